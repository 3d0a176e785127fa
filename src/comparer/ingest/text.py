"""Read plain-text files: detect the encoding, split off a portal metadata header."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument
from .header import split_web_header

__all__ = ["read_text", "decode_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(file: Path, data: bytes) -> RawDocument:
    """Decode a text file and pull a web-copy metadata header out of the body."""
    text, encoding = decode_text(data, file)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text[:20000])) > 20:
        raise InputError(file, "binary file, not text")
    if not text.strip():
        raise InputError(file, "no text in file")
    body, header = split_web_header(text)
    meta = DocMeta(path=str(file), kind="web" if header else "text", encoding=encoding)
    return RawDocument(meta=meta, text=body, header=tuple(header.items()))


def decode_text(data: bytes, file: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes (UTF-8/BOM, UTF-16, GB18030...) and return (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", file), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", file), "utf-16"
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, encoding, file), encoding
    if b"\x00" in data[:4096]:
        raise InputError(file, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_detected(data, file)


def _looks_utf16(data: bytes) -> bool:
    """Return True when every other byte of the start is NUL (BOM-less UTF-16)."""
    sample = data[:2000]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return evens.count(0) > 0.4 * len(evens) or odds.count(0) > 0.4 * len(odds)


def _strict(data: bytes, encoding: str, file) -> str:
    """Decode strictly or raise InputError naming the encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(file, f"not valid {encoding} text") from None


def _decode_detected(data: bytes, file) -> tuple[str, str]:
    """Try Chinese encodings (charset-normalizer breaks a tie), rejecting binary junk."""
    decoded = {}
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            decoded[encoding] = text
    if len(decoded) == 1:
        return next(iter(decoded.values())), next(iter(decoded))
    from charset_normalizer import from_bytes

    # Both Chinese encodings (or neither) decode: let the detector judge, within them if possible.
    best = from_bytes(data, cp_isolation=list(decoded) or None).best()
    if best is not None and _mostly_text(str(best)):
        return str(best), best.encoding
    if decoded:
        return decoded["gb18030"], "gb18030"
    raise InputError(file, "binary or undecodable file (unknown encoding)")


def _mostly_text(text: str) -> bool:
    """Return True when the decoded text is mostly printable characters."""
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return printable / len(text) > 0.95

"""Read plain-text files: detect the encoding, split off a portal metadata header."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument
from ..options import DEFAULT
from .header import split_web_header

__all__ = ["read_text", "decode_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What Chinese report text is made of: ASCII, general and CJK punctuation, ideographs, full-width forms
# (compiled on first use: only BOM-less UTF-16 needs it).
_PLAUSIBLE = r"[\t\n\r\x20-\x7e\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"


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
    nul = b"\x00" in data[:4096]
    if not nul:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    encoding = _utf16_order(data)
    if encoding:
        return _strict(data, encoding, file), encoding
    if nul:
        raise InputError(file, "binary file, not text")
    return _decode_detected(data, file)


def _utf16_order(data: bytes) -> str | None:
    """Return the byte order in which BOM-less bytes read as text (utf-16-le or -be), if one does.

    Chinese text in UTF-16 has no NUL bytes but for ASCII, so NUL counting misses it; the
    wrong byte order turns newlines and punctuation into Indic and Hangul letters instead.
    """
    import codecs

    if len(data) % 2:
        return None
    scores = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            sample = codecs.getincrementaldecoder(encoding)().decode(data[:8000], final=False)
        except UnicodeDecodeError:
            continue
        if sample:
            scores[encoding] = len(re.findall(_PLAUSIBLE, sample)) / len(sample)
    best = max(scores, key=scores.get, default=None)
    return best if best and scores[best] >= DEFAULT.normalize.utf16_plausible else None


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

"""Read bytes from disk into text plus metadata (txt, pdf, html)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import InputError
from .models import DocMeta, RawDocument
from . import meta as meta_mod

__all__ = ["read_document", "decode_text", "MAX_BYTES"]

MAX_BYTES = int(os.environ.get("COMPARER_MAX_BYTES", 200 * 1024 * 1024))
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def read_document(path: str | os.PathLike) -> RawDocument:
    """Read one document file; raise InputError with a one-line reason."""
    file = Path(path)
    data = _read_bytes(file)
    kind = _sniff_kind(file, data)
    if kind == "pdf":
        from .ingest_pdf import read_pdf

        return read_pdf(file, data)
    if kind == "web":
        from .ingest_html import read_html

        return read_html(file, data)
    return _read_text(file, data)


def _read_bytes(file: Path) -> bytes:
    """Return the file's bytes or raise a clear InputError."""
    if not file.exists():
        raise InputError(file, "no such file")
    if file.is_dir():
        raise InputError(file, "is a directory, not a document")
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise InputError(file, f"too large ({size} bytes; limit {MAX_BYTES}, set COMPARER_MAX_BYTES)")
        data = file.read_bytes()
    except PermissionError:
        raise InputError(file, "permission denied") from None
    except OSError as exc:
        raise InputError(file, f"cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(file, "empty file")
    return data


def _sniff_kind(file: Path, data: bytes) -> str:
    """Decide pdf / web / text from the content first, the suffix second."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF") or file.suffix.lower() == ".pdf":
        return "pdf"
    lowered = head[:512].lower()
    if file.suffix.lower() in _HTML_SUFFIXES or lowered.startswith((b"<!doctype html", b"<html")):
        return "web"
    return "text"


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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _read_text(file: Path, data: bytes) -> RawDocument:
    """Decode a text file and pull a web-copy metadata header out of the body."""
    text, encoding = decode_text(data, file)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text[:20000])) > 20:
        raise InputError(file, "binary file, not text")
    if not text.strip():
        raise InputError(file, "no text in file")
    body, header = meta_mod.split_web_header(text)
    kind = "web" if header else "text"
    info = meta_mod.identify(body, header)
    meta = DocMeta(path=str(file), kind=kind, encoding=encoding, **info)
    return RawDocument(meta=meta, text=body)

"""The reader registry: one entry per input format (suffixes, content sniffing, reader).

Everything that needs to know the formats reads this table: `read_document` picks the
reader, `comparer corpus` decides which files to read, the CLI help lists them. Adding a
format is adding one `Reader` here and a module with its `read(file, data)` function.
"""
from __future__ import annotations

from importlib import import_module
from pathlib import PurePath
from typing import Callable

from ..record import record

__all__ = ["Reader", "READERS", "SUFFIXES", "reader_for", "formats_help"]


@record
class Reader:
    """One input format: how to recognise it and which function reads it."""

    name: str  # short name shown to users: "pdf", "html", "text"
    suffixes: tuple[str, ...]  # lower-case file name endings, with the dot
    sniff: Callable[[bytes], bool]  # True when the bytes are this format, whatever the suffix
    function: str  # "module:function" (relative to comparer.ingest), imported only when used
    media_types: tuple[str, ...] = ()  # HTTP Content-Type values (without parameters) of this format

    def read(self, file, data: bytes):
        """Return the RawDocument of this format read from data (file names it in errors)."""
        module, _, name = self.function.partition(":")
        return getattr(import_module(f"comparer.ingest.{module}"), name)(file, data)


def _is_pdf(data: bytes) -> bool:
    """Return True for a PDF header near the start."""
    return data[:1024].lstrip()[:4] == b"%PDF"


def _is_html(data: bytes) -> bool:
    """Return True for a document that starts as an HTML page."""
    return data[:1024].lstrip()[:512].lower().startswith((b"<!doctype html", b"<html"))


def _zip_holding(member: str) -> Callable[[bytes], bool]:
    """Return a sniffer for a ZIP package that holds the named member (docx: word/document.xml, OFD: OFD.xml)."""

    def sniff(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                return any(name.lstrip("/").lower() == member.lower() for name in package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False

    return sniff


def _is_word97(data: bytes) -> bool:
    """Return True for an OLE2 compound file holding a WordDocument stream (.doc, .wps)."""
    return data.startswith(_OLE2) and "WordDocument".encode("utf-16-le") in data


def _never(head: bytes) -> bool:
    """Return False: plain text is what is left when nothing else matched."""
    return False


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READERS: tuple[Reader, ...] = (
    Reader("pdf", (".pdf",), _is_pdf, "pdf:read_pdf", ("application/pdf", "application/x-pdf")),
    Reader("html", (".html", ".htm", ".xhtml", ".shtml"), _is_html, "html:read_html", ("text/html", "application/xhtml+xml")),
    Reader("docx", (".docx",), _zip_holding("word/document.xml"), "docx:read_docx", (_DOCX_TYPE,)),
    Reader("ofd", (".ofd",), _zip_holding("OFD.xml"), "ofd:read_ofd", ("application/ofd", "application/x-ofd")),
    Reader("doc", (".doc", ".wps"), _is_word97, "word97:read_word97",
           ("application/msword", "application/vnd.ms-works", "application/kswps", "application/wps-office.wps")),
    Reader("text", (".txt", ".text", ".md"), _never, "text:read_text", ("text/plain",)),
)
_TEXT = READERS[-1]
SUFFIXES: tuple[str, ...] = tuple(s for reader in READERS for s in reader.suffixes)


def reader_for(file: PurePath, data: bytes, content_type: str = "") -> Reader:
    """Return the reader of a file: by content first, then by suffix, then by Content-Type, else plain text."""
    for reader in READERS:
        if reader.sniff(data):
            return reader
    suffix = file.suffix.lower()
    media = content_type.split(";")[0].strip().lower()
    by_suffix = next((reader for reader in READERS if suffix in reader.suffixes), None)
    return by_suffix or next((reader for reader in READERS if media and media in reader.media_types), _TEXT)


def formats_help() -> str:
    """Return the formats comparer reads, for help texts ("pdf (.pdf), html (.html, .htm…)")."""
    return ", ".join(f"{r.name} ({', '.join(r.suffixes)})" for r in READERS)

"""The reader registry: one entry per input format (suffixes, content sniffing, reader).

Everything that needs to know the formats reads this table: `read_document` picks the
reader, `comparer corpus` decides which files to read, the CLI help lists them. Adding a
format is adding one `Reader` here and a module with its `read(file, data)` function.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import PurePath
from typing import Callable

__all__ = ["Reader", "READERS", "SUFFIXES", "reader_for", "formats_help"]


@dataclass(frozen=True)
class Reader:
    """One input format: how to recognise it and which function reads it."""

    name: str  # short name shown to users: "pdf", "html", "text"
    suffixes: tuple[str, ...]  # lower-case file name endings, with the dot
    sniff: Callable[[bytes], bool]  # True when the first bytes are this format, whatever the suffix
    function: str  # "module:function" (relative to comparer.ingest), imported only when used

    def read(self, file, data: bytes):
        """Return the RawDocument of this format read from data (file names it in errors)."""
        module, _, name = self.function.partition(":")
        return getattr(import_module(f"comparer.ingest.{module}"), name)(file, data)


def _is_pdf(head: bytes) -> bool:
    """Return True for a PDF header near the start."""
    return head.lstrip()[:4] == b"%PDF"


def _is_html(head: bytes) -> bool:
    """Return True for a document that starts as an HTML page."""
    return head.lstrip()[:512].lower().startswith((b"<!doctype html", b"<html"))


def _never(head: bytes) -> bool:
    """Return False: plain text is what is left when nothing else matched."""
    return False


READERS: tuple[Reader, ...] = (
    Reader("pdf", (".pdf",), _is_pdf, "pdf:read_pdf"),
    Reader("html", (".html", ".htm", ".xhtml", ".shtml"), _is_html, "html:read_html"),
    Reader("text", (".txt", ".text", ".md"), _never, "text:read_text"),
)
_TEXT = READERS[-1]
SUFFIXES: tuple[str, ...] = tuple(s for reader in READERS for s in reader.suffixes)


def reader_for(file: PurePath, data: bytes) -> Reader:
    """Return the reader of a file: by content first, then by suffix, else plain text."""
    head = data[:1024]
    for reader in READERS:
        if reader.sniff(head):
            return reader
    suffix = file.suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), _TEXT)


def formats_help() -> str:
    """Return the formats comparer reads, for help texts ("pdf (.pdf), html (.html, .htm…)")."""
    return ", ".join(f"{r.name} ({', '.join(r.suffixes)})" for r in READERS)

"""Read documents: bytes -> text + what the file itself says about it (header fields).

The format is chosen by the reader registry (`registry.READERS`); identity (issuer, region,
year, genre) is decided later from the text, by `comparer.identity`.
"""
from __future__ import annotations

import os
from pathlib import Path, PurePath

from ..models import RawDocument
from .registry import READERS, SUFFIXES, Reader, formats_help, reader_for
from .source import MAX_BYTES, read_bytes

__all__ = ["read_document", "read_data", "READERS", "SUFFIXES", "Reader", "reader_for", "formats_help", "MAX_BYTES"]


def read_document(path: str | os.PathLike) -> RawDocument:
    """Read one document file; raise InputError with a one-line reason."""
    file = Path(path)
    return read_data(read_bytes(file), file)


def read_data(data: bytes, name: str | os.PathLike) -> RawDocument:
    """Read a document from bytes already in memory; name is the path shown in outputs and errors."""
    file = PurePath(name)
    return reader_for(file, data).read(file, data)

"""Find the report files of a folder (the formats of the reader registry) and read their bytes."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from ..ingest import SUFFIXES
from .documents import Skipped

__all__ = ["discover", "read_file"]


def discover(root: Path, exclude: Sequence[Optional[Path]] = ()) -> tuple[list, list]:
    """Return ([(path, relative path)], [Skipped]) for the files under root (hidden ones ignored)."""
    banned = {p.resolve() for p in exclude if p is not None}
    found, skipped = [], []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        if banned & {path.resolve(), *path.resolve().parents}:
            continue
        if path.suffix.lower() in SUFFIXES:
            found.append((path, rel.as_posix()))
        else:
            skipped.append(Skipped(rel.as_posix(), f"not a report file ({path.suffix or 'no suffix'}); comparer reads {', '.join(SUFFIXES)}"))
    return found, skipped


def read_file(path: Path, rel: str) -> "bytes | Skipped":
    """Return a file's bytes, or why it cannot be read."""
    from ..errors import InputError
    from ..ingest import read_bytes

    try:
        return read_bytes(path)
    except InputError as error:
        return Skipped(rel, error.problem)

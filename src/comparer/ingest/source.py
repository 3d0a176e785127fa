"""Read a document's bytes safely: regular files only, bounded size, clear reasons."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError

__all__ = ["read_bytes", "MAX_BYTES"]

MAX_BYTES = int(os.environ.get("COMPARER_MAX_BYTES", 200 * 1024 * 1024))


def read_bytes(file: Path) -> bytes:
    """Return the bytes of a regular file, or raise InputError with a one-line reason."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(file, "no such file") from None
    except OSError as exc:
        raise InputError(file, f"cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(file, "is a directory, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(file, "not a regular file (a pipe, device or socket), not read")
    if info.st_size > MAX_BYTES:
        raise InputError(file, f"too large ({info.st_size} bytes; limit {MAX_BYTES}, set COMPARER_MAX_BYTES)")
    try:
        data = file.read_bytes()
    except PermissionError:
        raise InputError(file, "permission denied") from None
    except OSError as exc:
        raise InputError(file, f"cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(file, "empty file")
    return data

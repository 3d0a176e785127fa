"""Read a document's bytes safely: regular files only, bounded size, clear reasons."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

from ..errors import InputError

__all__ = ["read_bytes", "max_bytes", "MAX_BYTES", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # a memory guard, not a judgement on reports: no shared report comes near it


def _env_limit() -> "int | None":
    """Return COMPARER_MAX_BYTES as a positive int, None when unset, 0 when not a positive number."""
    value = os.environ.get("COMPARER_MAX_BYTES")
    if value is None:
        return None
    try:
        return max(int(value), 0)
    except ValueError:
        return 0


MAX_BYTES = _env_limit() or DEFAULT_MAX_BYTES  # the limit when this module was imported


def max_bytes() -> int:
    """Return the size limit of one input file: COMPARER_MAX_BYTES if set, else 200 MiB."""
    limit = _env_limit()
    if limit == 0:
        raise InputError("COMPARER_MAX_BYTES", f"not a positive number of bytes ({os.environ['COMPARER_MAX_BYTES']!r})")
    return limit or DEFAULT_MAX_BYTES


def read_bytes(file: Path, limit: Optional[int] = None) -> bytes:
    """Return the bytes of a regular file, or raise InputError with a one-line reason."""
    limit = max_bytes() if limit is None else limit
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
    if info.st_size > limit:
        raise InputError(file, f"too large ({info.st_size} bytes; limit {limit}, set COMPARER_MAX_BYTES)")
    try:
        data = _read_regular(file, info, limit)
    except PermissionError:
        raise InputError(file, "permission denied") from None
    except OSError as exc:
        raise InputError(file, f"cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(file, "empty file")
    return data


def _read_regular(file: Path, info: os.stat_result, limit: int) -> bytes:
    """Read at most limit bytes of the file stat described (never blocking on a file swapped for a pipe)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(file, flags)
    with os.fdopen(handle, "rb") as stream:
        now = os.fstat(handle)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            raise InputError(file, "changed while being read, not read")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(file, f"too large (over {limit} bytes; set COMPARER_MAX_BYTES)")
    return data

"""Find the report files of a folder and read their bytes: regular files inside the folder only.

The walk never follows a link out of the folder, into a folder, or round a loop; pipes, sockets
and devices are never opened; each file left out for such a reason (or for its size) is listed
with the reason. Hidden files and folders, and the excluded paths (--out, the cache), are
ignored without a word.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Optional, Sequence

from ..ingest import SUFFIXES
from .documents import Skipped

__all__ = ["discover", "read_file"]

_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"))


def discover(root: Path, exclude: Sequence[Optional[Path]] = (), limit: Optional[int] = None) -> tuple[list, list]:
    """Return ([(path to read, relative path)], [Skipped]) for the files under root, in path order."""
    from ..ingest.source import max_bytes

    walk = _Walk(Path(root).resolve(), {Path(p).resolve() for p in exclude if p is not None}, limit or max_bytes())
    walk.pending.append((walk.root, ""))
    while walk.pending:
        walk.folder(*walk.pending.pop())
    return sorted(walk.found, key=lambda item: item[1]), sorted(walk.skipped, key=lambda s: s.path)


class _Walk:
    """The state of one walk: the resolved root, what to leave out, what was found and skipped."""

    def __init__(self, root: Path, banned: set, limit: int):
        self.root, self.banned, self.limit = root, banned, limit
        self.found: list = []
        self.skipped: list = []
        self.pending: list = []  # real folders still to walk (a stack: no recursion limit on depth)

    def folder(self, folder: Path, rel: str) -> None:
        """Walk one real (not linked) folder."""
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            self.skipped.append(Skipped(rel or ".", f"cannot read folder ({error.strerror or error})"))
            return
        for entry in entries:
            if entry.name.startswith(".") or Path(entry.path) in self.banned:
                continue
            self.entry(Path(entry.path), f"{rel}/{entry.name}" if rel else entry.name)

    def entry(self, path: Path, rel: str) -> None:
        """Classify one entry: walk a folder, follow a link inside root, keep a report file, or skip it."""
        try:
            info = path.lstat()
        except OSError as error:
            return self.skip(rel, f"cannot read ({error.strerror or error})")
        if stat.S_ISLNK(info.st_mode):
            return self.link(path, rel)
        if stat.S_ISDIR(info.st_mode):
            return self.pending.append((path, rel))
        self.file(path, rel, info)

    def link(self, path: Path, rel: str) -> None:
        """Take a symbolic link only when it leads to a regular file inside root."""
        try:
            target = path.resolve(strict=True)
        except (RuntimeError, OSError) as error:
            loop = isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP
            return self.skip(rel, "symbolic link loop, not followed" if loop else "broken symbolic link, not followed")
        if not (target == self.root or self.root in target.parents):
            return self.skip(rel, f"symbolic link to outside the folder ({target}), not followed")
        if self.banned & {target, *target.parents}:
            return None
        try:
            info = target.stat()
        except OSError as error:
            return self.skip(rel, f"cannot read ({error.strerror or error})")
        if stat.S_ISDIR(info.st_mode):
            return self.skip(rel, "symbolic link to a folder, not followed (the folder's own files are read)")
        self.file(target, rel, info)

    def file(self, path: Path, rel: str, info: os.stat_result) -> None:
        """Keep a regular report file within the size limit; skip anything else with its reason."""
        special = next((name for test, name in _SPECIAL if test(info.st_mode)), None)
        if special or not stat.S_ISREG(info.st_mode):
            return self.skip(rel, f"{special or 'not a regular file'}, not read")
        if path.suffix.lower() not in SUFFIXES:
            return self.skip(rel, f"not a report file ({path.suffix or 'no suffix'}); comparer reads {', '.join(SUFFIXES)}")
        if info.st_size > self.limit:
            return self.skip(rel, f"too large ({info.st_size} bytes; limit {self.limit}: raise it with --max-bytes or COMPARER_MAX_BYTES)")
        self.found.append((path, rel))

    def skip(self, rel: str, reason: str) -> None:
        """List a left-out entry with its reason."""
        self.skipped.append(Skipped(rel, reason))


def read_file(path: Path, rel: str, limit: Optional[int] = None) -> "bytes | Skipped":
    """Return a file's bytes, or why it cannot be read."""
    from ..errors import InputError
    from ..ingest import read_bytes

    try:
        return read_bytes(path, limit)
    except InputError as error:
        return Skipped(rel, error.problem)

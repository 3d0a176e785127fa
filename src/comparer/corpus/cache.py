"""Content-hash cache of the per-document stage: one pickle per (file bytes, comparer code).

Entries live in `<folder>/<code version>/<sha256[:2]>/<sha256>.pickle`. The code version is
comparer's version plus a hash of its own source and data files, so an upgrade (or any edit
of the pipeline) starts a fresh folder; `prune()` removes the folders of other versions.
The cache is best effort: a folder that cannot be written, or an entry that cannot be read,
only means the document is analysed again. Pickles are trusted: keep the cache folder private.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

__all__ = ["Cache", "digest", "code_version", "CACHE_DIRNAME"]

CACHE_DIRNAME = ".comparer-cache"


def digest(data: bytes) -> str:
    """Return the sha256 hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Return comparer's version plus a hash of its source and data files."""
    from .._version import __version__

    package = Path(__file__).resolve().parents[1]
    hasher = hashlib.sha256(__version__.encode())
    for source in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".gz", ".tsv", ".txt")):
        hasher.update(source.relative_to(package).as_posix().encode())
        hasher.update(source.read_bytes())
    return f"{__version__}-{hasher.hexdigest()[:12]}"


@dataclass(frozen=True)
class Cache:
    """A folder of pickled per-document results keyed by content hash (None: no cache)."""

    folder: Optional[Path]

    def _file(self, key: str) -> Path:
        """Return the entry path of a key."""
        return self.folder / code_version() / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Optional[object]:
        """Return the cached value of key, or None when absent or unreadable."""
        if self.folder is None:
            return None
        try:
            return pickle.loads(self._file(key).read_bytes())
        except Exception:  # noqa: BLE001 - a broken or stale entry is just a miss
            return None

    def store(self, key: str, value: object) -> bool:
        """Store value under key atomically; return False when the folder is not writable."""
        from ..errors import ComparerError
        from ..output import write_bytes_atomic

        if self.folder is None:
            return False
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ComparerError):
            return False
        return True

    def prune(self) -> None:
        """Remove the entries written by other comparer versions."""
        if self.folder is None or not self.folder.is_dir():
            return
        for old in self.folder.iterdir():
            if old.is_dir() and old.name != code_version():
                shutil.rmtree(old, ignore_errors=True)

"""Content-hash cache of corpus results: records-codec entries (data only) in a folder comparer owns.

Layout: `<root>/CACHEDIR.TAG` and `<root>/comparer-cache.json` mark the root as comparer's;
`<root>/<code version>/comparer-cache.json` marks each version folder comparer made, and entries
live in `<root>/<code version>/<key[:2]>/<key>.json.z` (see records.py). The root is the user
cache folder (platformdirs: ~/.cache/comparer on Linux) or, with `--cache DIR`,
`DIR/comparer-cache`. comparer uses a root only when it is new, empty or marked, and `prune()`
removes only the marked version folders of other code versions inside a marked root.
The cache is best effort: a folder that cannot be written, or an entry that is damaged, of
another version or of the wrong shape, only means the work is done again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from ..errors import OutputError
from ..record import record

__all__ = ["Cache", "open_cache", "default_root", "digest", "code_version", "SUBFOLDER", "MARKER", "CACHEDIR_TAG"]

SUBFOLDER = "comparer-cache"  # what `--cache DIR` creates inside DIR
MARKER = "comparer-cache.json"
MARKER_SCHEMA = "comparer.cache/1"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by comparer.\n"
    "# For information about cache directory tags, see: https://bford.info/cachedir/\n"
)
SUFFIX = ".json.z"


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


def default_root() -> Path:
    """Return the user cache folder of comparer (XDG_CACHE_HOME/comparer on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("comparer", appauthor=False))


@record
class Cache:
    """A marked folder of records entries keyed by content hash (folder None: no cache)."""

    folder: Optional[Path]
    note: str = ""  # why the cache is off, when it is off though it was asked for

    def _file(self, key: str) -> Path:
        """Return the entry path of a key."""
        return self.folder / code_version() / key[:2] / f"{key}{SUFFIX}"

    def load(self, key: str, expect: Any = object) -> Optional[Any]:
        """Return the cached value of key when it is intact and of type expect, else None."""
        from .records import RecordError, loads

        if self.folder is None or not _is_key(key):
            return None
        try:
            return loads(self._file(key).read_bytes(), expect, code_version())
        except (OSError, RecordError):
            return None

    def load_plain(self, key: str, check) -> Optional[Any]:
        """Return the plain JSON value of key when it is intact and check(value), else None."""
        from .records import RecordError, loads_plain

        blob = self.read(key)
        try:
            return loads_plain(blob, check, code_version()) if blob is not None else None
        except RecordError:
            return None

    def has(self, key: str) -> bool:
        """Return whether key has an entry (not checked: load it to know it is intact)."""
        return self.folder is not None and _is_key(key) and self._file(key).is_file()

    def read(self, key: str) -> Optional[bytes]:
        """Return the stored bytes of key, or None."""
        if self.folder is None or not _is_key(key):
            return None
        try:
            return self._file(key).read_bytes()
        except OSError:
            return None

    def store(self, key: str, value: Any, plain: bool = False) -> bool:
        """Store value under key atomically; return False when the folder is not writable."""
        try:
            self.put(key, value, plain)
        except (OSError, OutputError, ValueError):
            return False
        return True

    def put(self, key: str, value: Any, plain: bool = False) -> bytes:
        """Store value (records, or plain JSON) under key atomically and return the bytes written; raise OSError or OutputError when it cannot."""
        from ..output import write_bytes_atomic
        from .records import dumps, dumps_plain

        if self.folder is None or not _is_key(key):
            raise ValueError(f"no cache folder, or not a key: {key!r}")
        blob = (dumps_plain if plain else dumps)(value, code_version())
        _claim_version(self.folder / code_version())
        self._file(key).parent.mkdir(exist_ok=True)
        write_bytes_atomic(self._file(key), blob)
        return blob

    def writable(self) -> bool:
        """Return whether entries can be written (the version folder made and a file created in it)."""
        import tempfile

        if self.folder is None:
            return False
        try:
            _claim_version(self.folder / code_version())
            with tempfile.TemporaryFile(dir=self.folder / code_version()):
                return True
        except (OSError, OutputError):
            return False

    def prune(self) -> None:
        """Remove the version folders comparer marked for other code versions (nothing else)."""
        if self.folder is None or not _marked(self.folder / MARKER):
            return
        for old in self.folder.iterdir():
            if old.name != code_version() and not old.is_symlink() and old.is_dir() and _marked(old / MARKER, old.name):
                shutil.rmtree(old, ignore_errors=True)


def _is_key(key: str) -> bool:
    """Return whether a key is a hex digest (so it can only name a file inside the cache)."""
    return len(key) >= 16 and all(c in "0123456789abcdef" for c in key)


def _marked(marker: Path, version: Optional[str] = None) -> bool:
    """Return whether a marker file is comparer's (and names this version folder)."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("schema") == MARKER_SCHEMA and (version is None or data.get("version") == version)


def _write_marker(folder: Path, **fields) -> None:
    """Write comparer's marker into a folder it created or adopted."""
    from ..output import write_atomic

    write_atomic(folder / MARKER, json.dumps({"schema": MARKER_SCHEMA, **fields}) + "\n")


def _claim_version(folder: Path) -> None:
    """Create and mark the folder of this code version, once."""
    if not (folder / MARKER).exists():
        folder.mkdir(exist_ok=True)
        _write_marker(folder, version=folder.name)


def _claim_root(root: Path) -> None:
    """Create and mark a cache root; raise OutputError when it exists and is not comparer's."""
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise OutputError(root, "exists and is not a comparer cache folder; give --cache another folder")
    if root.is_dir() and _marked(root / MARKER):
        return
    if root.is_dir() and any(root.iterdir()):
        raise OutputError(root, "exists, is not empty and is not a comparer cache folder (no comparer-cache.json); "
                                "give --cache another folder")
    root.mkdir(parents=True, exist_ok=True)
    from ..output import write_atomic

    write_atomic(root / "CACHEDIR.TAG", CACHEDIR_TAG)
    _write_marker(root, purpose="comparer corpus cache; comparer deletes only the version folders it marked here")


def open_cache(given: Optional[Path] = None, enabled: bool = True) -> Cache:
    """Return the cache: off, in the user cache folder, or in `given`/comparer-cache (created and marked)."""
    if not enabled:
        return Cache(None)
    root = default_root() if given is None else Path(given) / SUBFOLDER
    try:
        _claim_root(root)
    except OutputError as error:
        if given is not None:
            raise
        return Cache(None, f"{error.path}: {error.problem}; cache off")
    except OSError as error:
        return Cache(None, f"{root}: cannot create the cache ({error.strerror or error}); cache off")
    return Cache(root)

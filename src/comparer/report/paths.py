"""Show file paths as a person typed them: relative to the working folder, else the shortest unique suffix."""
from __future__ import annotations

import os
from pathlib import PurePath

__all__ = ["display_paths", "display_path", "shorten"]

_META_KEYS = ("old", "new", "meta", "doc", "plan", "base")
_META_LISTS = ("later", "others", "docs")


def display_path(path: str, cwd: str | None = None) -> str:
    """Return path relative to the working folder when it lies inside it, else unchanged (URLs too)."""
    if "://" in path or not os.path.isabs(path):
        return path
    base = cwd or os.getcwd()
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def display_paths(data: dict) -> dict:
    """Return {path: shown form} for every document named in a result's JSON form."""
    paths = [m["path"] for m in _metas(data) if isinstance(m, dict) and m.get("path")]
    shown = {p: display_path(p) for p in paths}
    absolute = [p for p in paths if os.path.isabs(shown[p])]
    for path in absolute:
        shown[path] = _unique_suffix(path, absolute)
    return shown


def _metas(data: dict) -> list:
    """Return the document metadata dicts of a result's JSON form."""
    found = [data.get(key) for key in _META_KEYS]
    for key in _META_LISTS:
        found += list(data.get(key) or [])
    return found


def _unique_suffix(path: str, others: list[str]) -> str:
    """Return the fewest trailing path parts that tell path apart from the others (with …/ before)."""
    parts = PurePath(path).parts
    for count in range(1, len(parts)):
        suffix = PurePath(*parts[-count:])
        if not any(o != path and PurePath(o).parts[-count:] == parts[-count:] for o in others):
            return f"…/{suffix}"
    return path


def shorten(text: str, shown: dict) -> str:
    """Replace every full document path in a cell by its shown form (longest paths first)."""
    for path in sorted(shown, key=len, reverse=True):
        if path != shown[path] and path in text:
            text = text.replace(path, shown[path])
    return text

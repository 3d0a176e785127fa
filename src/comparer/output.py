"""Write outputs atomically (temp file + rename) and never over an input."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputError

__all__ = ["write_atomic", "write_bytes_atomic"]


def _refuse_inputs(target: Path, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise when the output path is one of the input files."""
    for item in inputs:
        source = Path(item)
        if source.exists() and target.exists() and os.path.samefile(source, target):
            raise OutputError(target, "refusing to overwrite an input file")
        if source.resolve() == target.resolve():
            raise OutputError(target, "refusing to overwrite an input file")


def write_bytes_atomic(path: str | os.PathLike, data: bytes, inputs: Iterable = ()) -> None:
    """Write data to path through a temporary file in the same folder, then rename."""
    target = Path(path)
    _refuse_inputs(target, inputs)
    if target.is_dir():
        raise OutputError(target, "is a directory")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(target, "folder does not exist")
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike, text: str, inputs: Iterable = ()) -> None:
    """Write UTF-8 text atomically."""
    write_bytes_atomic(path, text.encode("utf-8"), inputs)

"""Write outputs safely: atomically, never over an input, never over a special file, and whole folders at once.

Files: a regular file (or a new one) is replaced through a temporary file in the same folder;
a symbolic link is followed and its target replaced (the link stays); a device or a FIFO
(/dev/null, a pipe) is written through, never replaced. New files get 0666 & ~umask, an
existing file keeps its mode. Every error names the file.

Folders (`replace_folder`): the outputs are written into a temporary folder next to the
destination, marked with `.comparer-output.json` (the names written), then swapped in as a
whole; an existing destination is replaced only when empty or when everything in it is
comparer's (its marker lists it, or the caller recognises an older comparer output).
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Optional

from .errors import OutputError

__all__ = ["write_atomic", "write_bytes_atomic", "file_mode", "folder_mode", "replace_folder", "foreign_entries",
           "OUTPUT_MARKER"]

OUTPUT_MARKER = ".comparer-output.json"
_MARKER_SCHEMA = "comparer.output-folder/1"


def _umask() -> int:
    """Return the process umask (read without changing it where the system tells it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Return the mode of a new output file: 0666 less the umask."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """Return the mode of a new output folder: 0777 less the umask."""
    return 0o777 & ~_umask()


def _refuse_inputs(target: Path, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise when the output path is one of the input files."""
    for item in inputs:
        source = Path(item)
        if source.exists() and target.exists() and os.path.samefile(source, target):
            raise OutputError(target, "refusing to overwrite an input file")
        if source.resolve() == target.resolve():
            raise OutputError(target, "refusing to overwrite an input file")


def write_bytes_atomic(path: str | os.PathLike, data: bytes, inputs: Iterable = ()) -> None:
    """Write data to path (atomically for files, through devices and FIFOs); errors name the path."""
    target = Path(path)
    _refuse_inputs(target, inputs)
    try:
        _write(target, data)
    except OSError as error:
        raise OutputError(target, f"cannot write ({error.strerror or error})") from None


def _write(target: Path, data: bytes) -> None:
    """Write through a special file, or replace the (link's target) file through a temporary file."""
    try:
        info: Optional[os.stat_result] = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(target, "is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(target, "wb") as stream:  # a device or a FIFO: write through it, never replace it
            stream.write(data)
        return
    final = Path(os.path.realpath(target)) if target.is_symlink() else target
    if not final.parent.is_dir():
        raise OutputError(target, "folder does not exist")
    _replace_file(final, data, stat.S_IMODE(info.st_mode) if info is not None else file_mode())


def _replace_file(final: Path, data: bytes, mode: int) -> None:
    """Write data to a temporary file next to final, give it mode, and rename it over final."""
    handle, temp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, mode)
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike, text: str, inputs: Iterable = ()) -> None:
    """Write UTF-8 text atomically."""
    write_bytes_atomic(path, text.encode("utf-8"), inputs)


def _manifest(folder: Path) -> Optional[set]:
    """Return the names a comparer marker in folder says comparer wrote, or None when there is no valid marker."""
    try:
        data = json.loads((folder / OUTPUT_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("schema") == _MARKER_SCHEMA else None
    if not isinstance(files, list) or not all(isinstance(n, str) and n == Path(n).name and n not in ("", ".", "..") for n in files):
        return None
    return set(files)


def foreign_entries(folder: Path, legacy: Callable[[Path], bool] = lambda folder: False) -> list[str]:
    """Return the entries of an existing folder that comparer did not write there ([]: it may be replaced)."""
    names = sorted(os.listdir(folder))
    manifest = _manifest(folder)
    if manifest is None:
        return [] if not names or legacy(folder) else names
    return [n for n in names if n not in manifest | {OUTPUT_MARKER}]


def replace_folder(out: Path, fill: Callable[[Path], list[str]], legacy: Callable[[Path], bool] = lambda folder: False) -> list[str]:
    """Fill a temporary folder next to out, mark it, and swap it in for out as a whole; return the names written."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".comparer-tmp", dir=out.parent))
        os.chmod(staging, folder_mode())
    except OSError as error:
        raise OutputError(out, f"cannot create folder ({error.strerror or error})") from None
    try:
        names = fill(staging)
        write_atomic(staging / OUTPUT_MARKER, json.dumps({"schema": _MARKER_SCHEMA, "files": names}, indent=1) + "\n")
        _swap_in(staging, out, legacy)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # made by this call a moment ago: nothing else is in it
        raise
    return names


def _swap_in(staging: Path, out: Path, legacy: Callable[[Path], bool]) -> None:
    """Put staging at out; an existing out (checked again: comparer's or empty) is exchanged, then removed."""
    if not os.path.lexists(out):
        os.rename(staging, out)
        return
    if out.is_symlink() or not out.is_dir() or foreign_entries(out, legacy):
        raise OutputError(out, "changed during the run and holds files comparer did not write; outputs not written")
    try:
        if not _exchange(staging, out):
            aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".comparer-old", dir=out.parent))
            os.replace(out, aside)  # onto an empty folder: allowed
            os.rename(staging, out)
            staging = aside
    except OSError as error:
        raise OutputError(out, f"cannot replace the folder ({error.strerror or error})") from None
    _remove_output(staging)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); return False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_output(folder: Path) -> None:
    """Remove a replaced output folder: the files its marker lists (or, for an older output, its files), then it."""
    manifest = _manifest(folder)
    if manifest is not None:
        names = manifest | {OUTPUT_MARKER}
    else:  # empty, or an older comparer output without a marker (recognised by the caller)
        names = {entry.name for entry in folder.iterdir() if entry.is_file() and not entry.is_symlink()}
    for name in sorted(names):
        try:
            (folder / name).unlink()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass

"""Parse the big files a command names while the command line itself is still loading.

`comparer diff OLD NEW` spends its first ~60 ms importing the command-line framework (typer and
its click) before it knows what to do, and two 1 MB reports take ~55 ms each to read and parse.
When the arguments name two or more big local files (regular files of at least
`DiffOptions.parallel_min_bytes`), `start` forks one process that imports the parsing modules
and parses them at once, the first itself and each other one in a process of its own (forked
after the imports, so they are paid once), each result on its own pipe; meanwhile this process
loads the command line. A command that parses one of these files as a report (`load_report`:
exactly what it would compute itself) takes the result with `take` when the file is still the
same (device, inode, size, modification time); a result nobody takes is dropped at exit.
COMPARER_JOBS=1, one core or a system without fork: nothing is started.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

__all__ = ["start", "take", "file_key"]

_started: dict[str, tuple[tuple, int]] = {}  # argument -> (its file key when started, read end of its pipe)
_parser: list[int] = []  # the pid of the parsing process this one forked (at most one)


def start(args: Sequence[str]) -> None:
    """Start parsing the big local files named in args in forked processes (see the module's text)."""
    files = {arg: key for arg in dict.fromkeys(args) if (key := file_key(arg))}
    if len(files) < 2 or _parser or not hasattr(os, "fork"):
        return  # `comparer --help` and ordinary commands pay nothing more than a stat per argument
    from .errors import ComparerError
    from .options import DEFAULT
    from .parallel import cores, jobs_from_env

    try:
        processes = min(cores(), jobs_from_env() or cores())
    except ComparerError:  # a bad COMPARER_JOBS is the command's to report
        return
    big = {arg: key for arg, key in files.items() if key[2] >= DEFAULT.diff.parallel_min_bytes}
    if len(big) >= 2 and processes >= 2:
        _fork_parser(dict(list(big.items())[:processes]))


def take(sources: Sequence[str]) -> dict[int, int]:
    """Return {index: read end} for the sources already being parsed whose files have not changed since."""
    taken = {}
    for i, source in enumerate(sources):
        key, read_end = _started.get(source, (None, None))
        if read_end is not None and key == file_key(source):
            taken[i] = _started.pop(source)[1]
    return taken


def file_key(path: str) -> Optional[tuple]:
    """Return (device, inode, size, modification time) of a regular file, None for anything else."""
    import stat

    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


def _fork_parser(files: dict[str, tuple]) -> None:
    """Fork the parsing process with one pipe per file; remember the read ends (nothing when the system refuses)."""
    import sys

    pipes = []
    try:
        pipes = [os.pipe() for _ in files]
        sys.stdout.flush(), sys.stderr.flush()
        pid = os.fork()
    except OSError:
        for read_end, write_end in pipes:
            os.close(read_end), os.close(write_end)
        return
    if pid == 0:
        _serve(list(files), pipes)
    for (read_end, write_end), (path, key) in zip(pipes, files.items()):
        os.close(write_end)
        _started[path] = (key, read_end)
    _parser.append(pid)
    import atexit

    atexit.register(_drop)


def _serve(paths: list[str], pipes: list[tuple[int, int]]) -> None:
    """In the parsing process: import once, fork one process per further file, parse the first, wait, exit."""
    code = 0
    try:
        from .parallel import die_with_parent, send_outcome

        die_with_parent()
        for read_end, _ in pipes:
            os.close(read_end)
        _import_parsers()
        helpers = [_fork_one(path, write_end, pipes) for path, (_, write_end) in zip(paths[1:], pipes[1:])]
        send_outcome(_parse, paths[0], pipes[0][1])
        for pid in filter(None, helpers):
            os.waitpid(pid, 0)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _fork_one(path: str, write_end: int, pipes: list[tuple[int, int]]) -> Optional[int]:
    """Fork a process that parses path into write_end; return its pid (None: refused, the pipe is closed unanswered)."""
    from .parallel import run_in_child

    try:
        pid = os.fork()
    except OSError:
        os.close(write_end)  # the command sees no result and parses the file itself
        return None
    if pid == 0:
        for _, other in pipes:
            if other != write_end:
                _close_quietly(other)
        run_in_child(_parse, path, write_end)
    os.close(write_end)
    return pid


def _import_parsers() -> None:
    """Import what parsing a report needs, once, before forking; freeze it for the collector (copy-on-write)."""
    import gc

    from . import ingest, sections  # noqa: F401

    gc.freeze()


def _parse(path: str):
    """Parse one report file as the command line would (load_report on the argument as a Path)."""
    from .load import load_report

    return load_report(Path(path))


def _close_quietly(fd: int) -> None:
    """Close a file descriptor that may be closed already."""
    try:
        os.close(fd)
    except OSError:
        pass


def _drop() -> None:
    """At exit: close the pipes nobody read, stop the parsing process and reap it (its helpers die with it)."""
    import signal

    for _, read_end in _started.values():
        _close_quietly(read_end)
    _started.clear()
    for pid in _parser:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    _parser.clear()

"""Parse big inputs side by side: the later ones in forked children while this process parses the first.

Two 400 kB reports take about 0.15 s each to read, identify, normalise and section; on two cores
the second costs nothing in wall time. The child sends its result back pickled through a pipe:
data made by this very program a moment ago, never a file someone handed us.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Optional, Sequence

from .errors import ComparerError

__all__ = ["map_forked", "die_with_parent", "jobs_from_env"]


def map_forked(work: Callable, items: Sequence, sizes: Sequence[int], min_bytes: int, jobs: int = 0) -> list:
    """Return [work(item) for item in items], items after the first big one in forked children when two are big.

    jobs: at most this many processes in all (0: one per core).
    """
    big = [i for i, size in enumerate(sizes) if size >= min_bytes]
    processes = min(_cores(), jobs or _cores())
    forked = big[1:][: processes - 1] if len(big) >= 2 and hasattr(os, "fork") else []
    if forked:
        import gc

        gc.freeze()  # the collector in a child must not touch (and so copy) every page of this process
    children = {i: child for i in forked if (child := _spawn(work, items[i])) is not None}
    try:
        here = {i: work(item) for i, item in enumerate(items) if i not in children}
    except BaseException:
        for pid, pipe in children.values():
            _abandon(pid, pipe)
        raise
    return [here[i] if i in here else _collect(*children[i]) for i in range(len(items))]


def jobs_from_env() -> int:
    """Return COMPARER_JOBS (processes a command may use to parse its inputs), 0 when unset; refuse anything but a positive int."""
    value = os.environ.get("COMPARER_JOBS", "").strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) < 1:
        raise ComparerError("COMPARER_JOBS", f"not a positive number of processes ({value!r})")
    return int(value)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (prctl PR_SET_PDEATHSIG); elsewhere do nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the caller's own watchdog (if any) still ends it


def _cores() -> int:
    """Return the number of cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def _spawn(work: Callable, item) -> Optional[tuple[int, int]]:
    """Fork a child that runs work(item) and writes the pickled outcome to a pipe; return (pid, read end), None when the system refuses."""
    sys.stdout.flush(), sys.stderr.flush()  # nothing buffered here may be written twice
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None  # out of file descriptors: the item is parsed here instead
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the item is parsed here instead
        os.close(read_end), os.close(write_end)
        return None
    if pid == 0:
        os.close(read_end)
        _child(work, item, write_end)
    os.close(write_end)
    return pid, read_end


def _child(work: Callable, item, write_end: int) -> None:
    """Run work(item) in the forked child, send ("ok", result), ("error", ComparerError) or ("crash", text), exit."""
    import pickle
    import traceback

    code = 0
    try:
        die_with_parent()
        try:
            outcome = ("ok", work(item))
        except ComparerError as error:
            outcome = ("error", error)
        except BaseException:  # anything else is the parent's to report, with where it happened
            outcome = ("crash", traceback.format_exc())
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no buffers of the parent flushed a second time


def _collect(pid: int, read_end: int):
    """Return the child's result (or raise its error) once it has written everything and ended."""
    import pickle

    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()  # read before waiting: a full pipe would block the child forever
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"parsing child {pid} ended without a result")
    kind, value = pickle.loads(data)
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise RuntimeError(f"parsing child {pid} failed: {value.strip().splitlines()[-1]}")


def _abandon(pid: int, read_end: int) -> None:
    """Stop a child whose result is no longer wanted and reap it."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.close(read_end)
    os.waitpid(pid, 0)

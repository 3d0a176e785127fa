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

__all__ = ["map_forked", "die_with_parent", "jobs_from_env", "run_in_child", "send_outcome", "cores"]


def map_forked(work: Callable, items: Sequence, sizes: Sequence[int], min_bytes: int, jobs: int = 0,
               started: Optional[dict[int, int]] = None) -> list:
    """Return [work(item) for item in items], items after the first big one in forked children when two are big.

    jobs: at most this many processes in all (0: one per core). started: {index: read end} of
    items some other process is already working on (warm.py); their outcome is read from the pipe.
    """
    started = dict(started or {})
    big = [i for i, size in enumerate(sizes) if size >= min_bytes and i not in started]
    processes = min(cores(), jobs or cores())
    forked = big[1:][: processes - 1] if len(big) >= 2 and hasattr(os, "fork") else []
    if forked:
        import gc

        gc.freeze()  # the collector in a child must not touch (and so copy) every page of this process
    children = {i: child for i in forked if (child := _spawn(work, items[i])) is not None}
    children.update((i, (None, read_end)) for i, read_end in started.items())
    try:
        here = {i: work(item) for i, item in enumerate(items) if i not in children}
    except BaseException:
        for pid, pipe in children.values():
            _abandon(pid, pipe)
        raise
    return [here[i] if i in here else _outcome(work, items[i], *children[i]) for i in range(len(items))]


def _outcome(work: Callable, item, pid: Optional[int], read_end: int):
    """Return a child's result; when a process started before us (pid None) left none, compute it here."""
    if pid is not None:
        return _collect(pid, read_end)
    try:
        return _collect(None, read_end)
    except RuntimeError:  # a speculative parse that crashed or was cut short: nothing lost, do it here
        return work(item)


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


def cores() -> int:
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
        run_in_child(work, item, write_end)
    os.close(write_end)
    return pid, read_end


def run_in_child(work: Callable, item, write_end: int) -> None:
    """Run work(item) in the forked child, send its outcome (see send_outcome), exit."""
    code = 0
    try:
        die_with_parent()
        send_outcome(work, item, write_end)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no buffers of the parent flushed a second time


def send_outcome(work: Callable, item, write_end: int) -> None:
    """Run work(item); write ("ok", result), ("error", ComparerError) or ("crash", text) pickled to write_end and close it."""
    import pickle
    import traceback

    try:
        outcome = ("ok", work(item))
    except ComparerError as error:
        outcome = ("error", error)
    except BaseException:  # anything else is the parent's to report, with where it happened
        outcome = ("crash", traceback.format_exc())
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _collect(pid: Optional[int], read_end: int):
    """Return the child's result (or raise its error) once it has written everything (and, our own child, ended)."""
    import pickle

    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()  # read before waiting: a full pipe would block the child forever
    if pid is not None:
        os.waitpid(pid, 0)
    child = "a parsing child" if pid is None else f"parsing child {pid}"
    if not data:
        raise RuntimeError(f"{child} ended without a result")
    try:
        kind, value = pickle.loads(data)
    except Exception as error:  # cut short: the child was killed while writing
        raise RuntimeError(f"{child} sent a broken result ({error})") from None
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise RuntimeError(f"{child} failed: {value.strip().splitlines()[-1]}")


def _abandon(pid: Optional[int], read_end: int) -> None:
    """Stop a child whose result is no longer wanted and reap it (pid None: not ours, only close the pipe)."""
    import signal

    os.close(read_end)
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)

"""Run the tasks of a stage one by one, in local worker processes, or on a Dask cluster.

Every runner maps a top-level (picklable) function over a list and returns the results in
input order, calling `on_done()` once per finished task (for a progress bar). Runners are
context managers: workers start on entry, before any progress bar thread exists.
"""
from __future__ import annotations

import logging
import os
import sys
from typing import Any, Callable, Iterator, Optional, Sequence

from ..errors import ComparerError
from ..parallel import die_with_parent

__all__ = ["Runner", "ProcessRunner", "DaskRunner", "Pending", "open_runner", "ENGINES"]

ENGINES = ("local", "dask")


def _nothing() -> None:
    """Do nothing (the default progress callback, and a task that starts a worker)."""


_WARM = ("comparer.load", "comparer.corpus.documents", "comparer.diff", "comparer.followup", "comparer.repeats",
         "comparer.lsh", "comparer.targets", "numpy", "scipy.sparse", "rapidfuzz.process")


def warm_up() -> None:
    """Import the modules the tasks use, so a worker pays for its imports once, at start."""
    import importlib

    for name in _WARM:
        importlib.import_module(name)


def one_thread() -> None:
    """Keep this worker's numeric library (OpenBLAS) to one thread: the workers already share the cores out.

    Two workers each running a two-thread matrix product on two cores only make the threads wait for one another.
    """
    import numpy  # noqa: F401 (threadpoolctl limits the libraries loaded so far)
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _prepare_worker() -> None:
    """Set a Dask worker up: import the task modules, one numeric thread."""
    warm_up()
    one_thread()


def _start_worker(main: int) -> None:
    """Set a local worker up: end with the parent, one numeric thread (pool initializer)."""
    _die_with_parent(main)
    one_thread()


def _die_with_parent(main: int) -> None:
    """Make this worker end when the process that started it dies, even by SIGKILL (pool initializer)."""
    import threading

    die_with_parent()  # Linux: the kernel ends us; the watchdog below covers the rest
    parent = os.getppid()  # main itself (fork, spawn) or a fork server that ends with it
    if parent != main and not alive(main):  # main died before the kernel was told
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, main), name="comparer-parent-watch", daemon=True).start()


def alive(pid: int) -> bool:
    """Return whether a process is running (a zombie, killed but not yet reaped, is not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _watch_parent(parent: int, main: int, every: float = 0.5) -> None:
    """Exit the worker once it is re-parented or the main process is gone (prctl missing, or a fork server between)."""
    import time

    while os.getppid() == parent and (parent == main or alive(main)):
        time.sleep(every)
    os._exit(1)


class Pending:
    """fn(item) running in a thread of this process; result() returns its value or raises its error."""

    def __init__(self, fn: Callable, item):
        import threading

        self.value, self.error = None, None
        self.thread = threading.Thread(target=self._run, args=(fn, item), name="comparer-background", daemon=True)
        self.thread.start()

    def _run(self, fn: Callable, item) -> None:
        """Run fn(item), keeping its value or its error."""
        try:
            self.value = fn(item)
        except BaseException as error:  # noqa: BLE001 (raised again by result())
            self.error = error

    def result(self):
        """Wait for fn(item); return its value or raise its error."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


class Runner:
    """Run tasks in this process, one after the other."""

    name = "local"

    def __init__(self, jobs: int = 1):
        self.jobs = max(1, jobs)

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release workers (none here)."""

    def map(self, fn: Callable, items: Sequence, on_done: Callable[[], None] = _nothing) -> list:
        """Return [fn(item) for item in items], reporting each finished task."""
        results: list = [None] * len(items)
        for index, result in self.each(fn, items, on_done):
            results[index] = result
        return results

    def background(self, fn: Callable, item) -> "Pending":
        """Start fn(item) beside the tasks to come (here: in a thread of this process); result() waits for it."""
        return Pending(fn, item)

    def each(self, fn: Callable, items: Sequence, on_done: Callable[[], None] = _nothing) -> Iterator[tuple[int, Any]]:
        """Yield (index, fn(items[index])) as each task finishes (here: run as read; pool runners submit every task at once)."""
        for index, item in enumerate(items):
            result = fn(item)
            on_done()
            yield index, result


class ProcessRunner(Runner):
    """Run tasks in a pool of local worker processes (concurrent.futures)."""

    def __enter__(self) -> "ProcessRunner":
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker, initargs=(os.getpid(),))
        self.pool.submit(_nothing).result()  # fork the workers now, before any progress thread runs
        return self

    def close(self) -> None:
        """Shut the pool down."""
        self.pool.shutdown(cancel_futures=True)

    def background(self, fn: Callable, item):
        """Submit fn(item) to the pool ahead of the tasks to come; return its future."""
        return self.pool.submit(fn, item)

    def each(self, fn: Callable, items: Sequence, on_done: Callable[[], None] = _nothing) -> Iterator[tuple[int, Any]]:
        """Submit fn over items to the pool now; return an iterator of (index, result) as they finish."""
        return _as_finished({self.pool.submit(fn, item): index for index, item in enumerate(items)}, on_done)


class DaskRunner(Runner):
    """Run tasks as futures (client.submit) on a LocalCluster or on the scheduler at an address."""

    name = "dask"

    def __init__(self, jobs: int = 1, scheduler: Optional[str] = None):
        super().__init__(jobs)
        self.scheduler = scheduler
        self.cluster = None

    def __enter__(self) -> "DaskRunner":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ComparerError("--engine dask", "needs dask[distributed]: pip install 'comparer[dask]'") from None
        if self.scheduler:
            self.client = _connect(Client, self.scheduler)
        else:
            self.cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.client.run(_prepare_worker)  # every worker imports the task modules once and keeps to one numeric thread
        return self

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this runner started one."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def each(self, fn: Callable, items: Sequence, on_done: Callable[[], None] = _nothing) -> Iterator[tuple[int, Any]]:
        """Submit fn over items to the cluster now; return an iterator of (index, result) as they finish (each released once read)."""
        futures = [self.client.submit(fn, item, pure=False, priority=len(items) - n) for n, item in enumerate(items)]
        return self._finished(futures, on_done)

    @staticmethod
    def _finished(futures: list, on_done: Callable[[], None]) -> Iterator[tuple[int, Any]]:
        """Yield (index, result) of the futures as they finish, releasing each once read."""
        from dask.distributed import as_completed

        index = {future.key: n for n, future in enumerate(futures)}
        for future in as_completed(futures):
            result = future.result()
            future.release()
            on_done()
            yield index[future.key], result


def _as_finished(futures: dict, on_done: Callable[[], None]) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) of {future: index} as they finish."""
    from concurrent.futures import as_completed

    for future in as_completed(futures):
        index = futures.pop(future)
        on_done()
        yield index, future.result()


def _connect(client_class, address: str):
    """Return a client of the scheduler at address, or raise a one-line error."""
    try:
        return client_class(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise ComparerError(f"--scheduler {address}", f"cannot connect to the Dask scheduler ({error})") from None


def open_runner(engine: str = "local", jobs: int = 1, scheduler: Optional[str] = None) -> Runner:
    """Return the runner for an engine name (local: processes when jobs > 1)."""
    if engine not in ENGINES:
        raise ComparerError("--engine", f"unknown engine {engine!r} (choose {' or '.join(ENGINES)})")
    if scheduler and engine != "dask":
        raise ComparerError("--scheduler", "needs --engine dask")
    if engine == "dask":
        return DaskRunner(jobs, scheduler)
    return ProcessRunner(jobs) if jobs > 1 else Runner(jobs)

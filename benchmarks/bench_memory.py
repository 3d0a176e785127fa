"""Peak memory of `comparer sections` and `comparer diff` against input size (prints numbers; not a test).

Usage: python benchmarks/bench_memory.py [--sizes 1,10,50] [--commands sections,diff] [--timeout 300]

Inputs are the 2024 Changning seed repeated with its numbers varied per copy; the diff's new side
is the same text with 10 words changed. Each run is a fresh subprocess; its peak RSS comes from
os.wait4 (that child only). A run over --timeout is killed and reported with the RSS it reached;
a run is capped at --max-mb of address space so a quadratic stage fails with MemoryError instead
of exhausting the machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _inputs import ROOT, write_inputs  # noqa: E402

__all__ = ["measure", "main"]


def measure(args: list, timeout: float, max_mb: int = 0) -> tuple[float, float, str]:
    """Run `python -m comparer ARGS` (address space capped at max_mb); return (seconds, peak RSS in MB, outcome)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "comparer", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_cap(max_mb))
    outcome = _wait(proc.pid, timeout)
    _, status, usage = os.wait4(proc.pid, 0) if outcome == "timeout" else outcome
    seconds = time.perf_counter() - start
    label = "timeout" if outcome == "timeout" else f"exit {os.waitstatus_to_exitcode(status)}"
    proc.returncode = 0  # reaped above; keep Popen from waiting again
    if "MemoryError" in proc.stderr.read().decode("utf-8", "replace"):
        label += f" (MemoryError: over the {max_mb} MB cap)"
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024, label


def _cap(max_mb: int):
    """Return a preexec function limiting the child's address space (0: no limit)."""
    def limit() -> None:
        if max_mb:
            resource.setrlimit(resource.RLIMIT_AS, (max_mb * 2**20, max_mb * 2**20))

    return limit


def _wait(pid: int, timeout: float):
    """Wait for a child up to timeout; return wait4's result, or 'timeout' after killing it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return done, status, usage
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return "timeout"


def main(argv: list[str] | None = None) -> None:
    """Print peak RSS per command and input size, and the ratio peak / input bytes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="input sizes in MB, comma separated")
    parser.add_argument("--commands", default="sections,diff", help="sections and/or diff")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run before it is killed")
    parser.add_argument("--max-mb", type=int, default=4096, help="address-space cap per run in MB (0: none)")
    options = parser.parse_args(argv)
    _, base_rss, _ = measure(["--help"], 60)
    print(f"baseline: `comparer --help` peak RSS {base_rss:.0f} MB")
    print(f"{'command':<9} {'input MB':>8} {'read MB':>8} {'seconds':>8} {'peak MB':>8} {'peak/read':>9}  outcome")
    with tempfile.TemporaryDirectory(prefix="comparer-bench-") as folder:
        for size in [int(s) for s in options.sizes.split(",")]:
            old, new = write_inputs(Path(folder), size)
            for command in options.commands.split(","):
                args = ["sections", old, "-f", "json"] if command == "sections" else ["diff", old, new, "-f", "json"]
                read = sum(p.stat().st_size for p in args[1:] if isinstance(p, Path)) / 2**20
                seconds, peak, outcome = measure(args, options.timeout, options.max_mb)
                print(f"{command:<9} {size:>8} {read:>8.1f} {seconds:>8.1f} {peak:>8.0f} {peak / read:>9.1f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()

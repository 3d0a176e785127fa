"""Start-up time of `comparer --help` against `python -c "import typer"` (prints numbers; not a test).

Usage: python benchmarks/bench_startup.py [--runs 15]

Both are run alternately in fresh processes; the medians and their ratio are printed (target ≤ 2×).
Over target, it lists the slowest imports of `python -X importtime -m comparer --help`.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["timed", "slowest_imports", "main"]

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0


def timed(args: list[str]) -> float:
    """Return the wall time of one run of `python ARGS`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def slowest_imports(count: int = 12) -> list[tuple[int, str]]:
    """Return the (cumulative µs, module) of the slowest imports during `comparer --help`."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "comparer", "--help"], cwd=ROOT,
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


def main(argv: list[str] | None = None) -> None:
    """Print median start-up times, their ratio, and the slowest imports when over target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args(argv)
    cli, typer_only = ["-m", "comparer", "--help"], ["-c", "import typer"]
    timed(cli), timed(typer_only)  # warm the file cache
    cli_times, typer_times = [], []
    for _ in range(options.runs):
        cli_times.append(timed(cli))
        typer_times.append(timed(typer_only))
    cli_median, typer_median = statistics.median(cli_times), statistics.median(typer_times)
    ratio = cli_median / typer_median
    print(f"comparer --help     median {cli_median * 1000:6.0f} ms  (min {min(cli_times) * 1000:.0f}, {options.runs} runs)")
    print(f'python -c "import typer" median {typer_median * 1000:6.0f} ms  (min {min(typer_times) * 1000:.0f})')
    print(f"ratio {ratio:.2f}x (target <= {TARGET:.0f}x): {'ok' if ratio <= TARGET else 'OVER'}")
    if ratio > TARGET:
        print("slowest imports (cumulative µs):")
        for micros, module in slowest_imports():
            print(f"  {micros:>9}  {module}")


if __name__ == "__main__":
    main()

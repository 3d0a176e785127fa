"""Benchmark `comparer corpus` at scale on synthetic reports: stage times, peak RSS, --jobs 2 / --jobs 1.

Run from the repository root:

    python benchmarks/bench_scale.py [--sizes 100 1000] [--slow] [--jobs 2] [--no-single] [--add 5] [--add-only]

The reports come from benchmarks/gen_synthetic.py (real district reports renamed to other real
districts, years shifted, sentences swapped and mixed between reports, figures perturbed). Every
run is a fresh process running the whole pipeline with `--no-cache` (template and repeat
detection on) and writing all outputs; it prints the wall time of each stage and the peak RSS of
the main process and of its largest worker (resource.getrusage of self and children). Then:
t(largest)/t(smallest) at --jobs 2 (target <= 11 for 1,000 / 100), the --jobs 1 / --jobs 2 time
ratio at the largest size (target >= 1.6), and with --add K the cost of re-running after adding K
reports to a cached run against the cold run (target <= 10%). --slow adds N = 10,000 (hours).
Exits 1 only when a correctness check fails, never because a time is slow.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus_run import measure  # noqa: E402
from gen_synthetic import generate  # noqa: E402


def show(label: str, numbers: dict) -> None:
    """Print one run: total, stages, memory, counts."""
    c = numbers["counts"]
    stages = ", ".join(f"{k} {v:.1f}" for k, v in numbers["stages"].items())
    cpu = numbers.get("cpu_seconds", 0.0)
    print(f"{label}: {numbers['seconds']:.1f} s, CPU {cpu:.0f} s (CPU/wall {cpu / numbers['seconds']:.2f}) [{stages}]; peak RSS main {numbers['rss_mb']:.0f} MB, "
          f"largest worker {numbers['workers_rss_mb']:.0f} MB; documents {c['documents']}, links {c['links']}, "
          f"repeats and templates {c['repeats']}; machine load (5-min average) at the end {numbers.get('load', 0):.1f}", flush=True)


def main() -> int:
    """Generate the corpora, run the configurations, print the numbers and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--slow", action="store_true", help="add N = 10,000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-single", action="store_true", help="skip the --jobs 1 run at the largest size")
    parser.add_argument("--add", type=int, default=5, help="reports added to a cached run (0: skip)")
    parser.add_argument("--add-only", action="store_true", help="only the cached run and re-run at the largest size")
    args = parser.parse_args()
    if args.add_only:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            return 0 if incremental(Path(tmp), max(args.sizes), args.add, args.jobs) else 1
    sizes = sorted(set(args.sizes + ([10_000] if args.slow else [])))
    runs, ok = {}, True
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            generate(folder, n)
            runs[n] = measure(folder, args.jobs)
            show(f"N={n} --jobs {args.jobs}", runs[n])
            ok &= runs[n]["counts"]["documents"] == n
        small, large = sizes[0], sizes[-1]
        if large != small:
            print(f"t({large})/t({small}) at --jobs {args.jobs} = {runs[large]['seconds'] / runs[small]['seconds']:.2f} "
                  f"(N ratio {large / small:.0f})")
        if not args.no_single and args.jobs > 1:
            single = measure(Path(tmp) / f"n{small}", 1)
            show(f"N={small} --jobs 1", single)
            print(f"--jobs 1 / --jobs {args.jobs} at N={small}: {single['seconds'] / runs[small]['seconds']:.2f}x")
        if args.add:
            ok &= incremental(Path(tmp), large, args.add, args.jobs)
    print(f"checks: every generated report analysed: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


def incremental(tmp: Path, n: int, add: int, jobs: int) -> bool:
    """Time a cold cached run of n reports, then the re-run after adding `add` reports; print the ratio."""
    folder, extra, cache = tmp / f"inc{n}", tmp / "extra", tmp / "cache"
    generate(folder, n)
    paths = generate(extra, n + add)[n:]
    cold = measure(folder, jobs, cache)
    show(f"N={n} cold, cache on", cold)
    for path in paths:
        shutil.copy(path, folder / path.name)
    warm = measure(folder, jobs, cache)
    show(f"N={n}+{add} re-run, cache on", warm)
    print(f"adding {add} reports to a cached {n}-report run: {warm['seconds'] / cold['seconds']:.1%} of the cold run "
          f"({warm['pair_tasks'][0]} of {warm['pair_tasks'][1]} pair tasks from the cache)")
    return warm["counts"]["documents"] == n + add


if __name__ == "__main__":
    sys.exit(main())

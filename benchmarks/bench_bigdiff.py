"""The big diff at the floor: `comparer diff` on all national reports against the bare diff-match-patch core.

Run from the repository root:

    python benchmarks/bench_bigdiff.py [--repeat 3] [--changes 50] [--seed 11] [--keep DIR]

The pair (benchmarks/_inputs.py, deterministic): OLD is every national government work report
of fixtures/corpus and fixtures/corpus-extra (guowuyuan_*, 2004–2025) in one file; NEW is OLD
with --changes figures changed at seeded random places (last digit + 1, at least 400
characters apart). Measured in the same run, best of --repeat each:

- `cli`: the whole `comparer diff OLD NEW --format json --output FILE`, process start included
  (the two inputs are parsed side by side, the second in a forked child, on two cores);
- `cli in one process`: the same with COMPARER_JOBS=1 (its CPU time is the whole cost);
- `pure core`: diff_match_patch.diff_main + diff_cleanupSemantic (Diff_Timeout 0) on the two
  reports' comparable text encoded one character per word (the encoding comparer used to diff);
- `fast core`: fast-diff-match-patch on the same two strings;
- `normalize`: comparer.normalize.normalize on OLD, and on its first 650 000 characters of a
  double copy (the 650k target).

Prints the ratios (target: cli / pure core <= 1.0; normalize 650k <= 0.15 s) and checks that
the CLI reports every changed figure (old and new value) and nothing else. Exit 1 when it does
not (never because of a time).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _inputs import national_pair  # noqa: E402

__all__ = ["best_of", "rounds", "encoded_pair", "main"]


def best_of(repeat: int, work) -> tuple[float, float, object]:
    """Return the best wall time and the best CPU time (user + system, children included) of `repeat` runs of work()."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, used = time.perf_counter(), _cpu()
        result = work()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, _cpu() - used)
    return wall, cpu, result


def rounds(repeat: int, works: dict) -> dict:
    """Run every work once per round, in turn, `repeat` rounds; return {name: [(wall, cpu), ...]}.

    Taking turns keeps the machine's drift (other load, clock changes) out of the ratios: each
    round's ratio compares runs made seconds apart.
    """
    times: dict = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start, used = time.perf_counter(), _cpu()
            work()
            times[name].append((time.perf_counter() - start, _cpu() - used))
    return times


def _ratios(times: dict, name: str, base: str) -> str:
    """Return 'best x, median of rounds y' for the wall-time ratio of name to base."""
    import statistics

    best = min(w for w, _ in times[name]) / min(w for w, _ in times[base])
    per_round = statistics.median(a[0] / b[0] for a, b in zip(times[name], times[base]))
    return f"best {best:.2f}, median of rounds {per_round:.2f}"


def _cpu() -> float:
    """Return the CPU seconds used so far by this process and its finished children."""
    import resource

    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def encoded_pair(old: Path, new: Path) -> tuple[str, str]:
    """Return the comparable texts of two files encoded one character per word (shared codes)."""
    from comparer.engine import _encode
    from comparer.load import load_report
    from comparer.stream import build_stream
    from comparer.tokens import words_and_bounds

    a, _ = words_and_bounds(build_stream(load_report(old)).text)
    b, _ = words_and_bounds(build_stream(load_report(new)).text)
    return _encode(a, b)[:2]


def pure_core(a: str, b: str) -> list:
    """Run the bare pure-Python diff-match-patch core: diff_main and semantic cleanup, no time limit."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


def run_cli(old: Path, new: Path, out: Path, jobs: str = "") -> subprocess.CompletedProcess:
    """Run `comparer diff` in a fresh process, writing JSON to out (jobs: COMPARER_JOBS, "" = as installed).

    Byte-code caching is allowed (as in any installation) even where PYTHONDONTWRITEBYTECODE is
    set: compiling every module from source on every start is not what users run.
    """
    command = [sys.executable, "-m", "comparer", "diff", str(old), str(new), "--format", "json", "--output", str(out)]
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "COMPARER_JOBS")}
    env.update({"COMPARER_JOBS": jobs} if jobs else {})
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)


def check(out: Path, changes: list[tuple[int, str, str]]) -> list[str]:
    """Return the problems of the CLI's drifts against the planted changes (empty when all found, nothing else)."""
    drifts = json.loads(out.read_text("utf-8"))["drifts"]
    found = sorted((d["old_value"].rstrip("%"), d["new_value"].rstrip("%")) for d in drifts if d["kind"] == "figure")
    wanted = sorted((old, new) for _, old, new in changes)
    problems = [f"MISSED {old} -> {new}" for old, new in sorted(set(wanted) - set(found))]
    problems += [f"EXTRA {d['kind']}: {d['old_context']} -> {d['new_context']}" for d in drifts if d["kind"] != "figure"]
    if len(found) != len(wanted):
        problems.append(f"{len(found)} figure drifts for {len(wanted)} changes")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Build the pair, time the CLI and the cores, print ratios, check the drifts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="write the pair into this folder (kept)")
    options = parser.parse_args(argv)
    folder = options.keep or Path(tempfile.mkdtemp(prefix="bigdiff-"))
    folder.mkdir(parents=True, exist_ok=True)
    old_text, new_text, changes = national_pair(options.changes, options.seed)
    old, new, out = folder / "national_old.txt", folder / "national_new.txt", folder / "drift.json"
    old.write_text(old_text, encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")
    print(f"input: {len(old_text):,} characters per side, {len(changes)} figures changed (seed {options.seed}) in {folder}")

    a, b = encoded_pair(old, new)
    print(f"encoded: {len(a):,} / {len(b):,} words")
    run_cli(old, new, out)  # warm the file cache and write the byte-code cache
    done = run_cli(old, new, out)
    times = rounds(options.repeat, {"cli": lambda: run_cli(old, new, out),
                                    "one": lambda: run_cli(old, new, out.with_suffix(".one.json"), jobs="1"),
                                    "pure": lambda: pure_core(a, b)})
    (cli_wall, cli_cpu), (one_wall, one_cpu), (pure_wall, pure_cpu) = (
        tuple(min(column) for column in zip(*times[name])) for name in ("cli", "one", "pure"))
    from comparer.engine import _fast

    fast_wall, fast_cpu, _ = best_of(options.repeat, lambda: _fast(a, b))
    print(f"cli (process start included): wall {cli_wall:.3f} s, cpu {cli_cpu:.3f} s, exit {done.returncode}")
    print(f"cli in one process (COMPARER_JOBS=1): wall {one_wall:.3f} s, cpu {one_cpu:.3f} s")
    print(f"pure core (diff_main + cleanupSemantic, Diff_Timeout 0): wall {pure_wall:.3f} s, cpu {pure_cpu:.3f} s")
    print(f"fast core (fast-diff-match-patch): wall {fast_wall * 1000:.1f} ms, cpu {fast_cpu * 1000:.1f} ms")
    print(f"ratio cli / pure core: wall {cli_wall / pure_wall:.2f}, cpu {cli_cpu / pure_cpu:.2f} (target <= 1.0); "
          f"cli / fast core: {cli_wall / fast_wall:.0f}x; pure / fast: {pure_wall / fast_wall:.0f}x")
    print(f"ratio cli in one process / pure core: wall {one_wall / pure_wall:.2f}, cpu {one_cpu / pure_cpu:.2f}")
    print(f"wall ratios in turns: cli / pure core {_ratios(times, 'cli', 'pure')}; "
          f"one process / pure core {_ratios(times, 'one', 'pure')}")

    from comparer.normalize import normalize

    big = (old_text * 2)[:650_000]
    norm_wall, norm_cpu, _ = best_of(options.repeat, lambda: normalize(old_text))
    big_wall, big_cpu, _ = best_of(options.repeat, lambda: normalize(big))
    print(f"normalize: {len(old_text):,} characters wall {norm_wall:.3f} s (cpu {norm_cpu:.3f}); "
          f"650,000 characters wall {big_wall:.3f} s (cpu {big_cpu:.3f}; target <= 0.15 s)")

    problems = check(out, changes) if done.returncode == 1 else [f"comparer diff exited {done.returncode}: {done.stderr.strip()}"]
    print(f"figures found: {len(changes) - sum(p.startswith('MISSED') for p in problems)}/{len(changes)}; "
          f"other drifts: {sum(p.startswith('EXTRA') for p in problems)}")
    for problem in problems[:20]:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

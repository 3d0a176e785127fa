"""The big diff at the floor: `comparer diff` on all national reports against the bare diff-match-patch core.

Run from the repository root:

    python benchmarks/bench_bigdiff.py [--repeat 3] [--changes 50] [--seed 11] [--keep DIR]

The pair (benchmarks/_inputs.py, deterministic): OLD is every national government work report
of fixtures/corpus and fixtures/corpus-extra (guowuyuan_*, 2004–2025) in one file; NEW is OLD
with --changes figures changed at seeded random places (last digit + 1, at least 400
characters apart). Measured in the same run, best of --repeat each:

- `cli`: the whole `comparer diff OLD NEW --format json --output FILE`, process start included;
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _inputs import national_pair  # noqa: E402

__all__ = ["best_of", "encoded_pair", "main"]


def best_of(repeat: int, work) -> tuple[float, object]:
    """Return the best wall time of `repeat` runs of work() and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


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


def run_cli(old: Path, new: Path, out: Path) -> subprocess.CompletedProcess:
    """Run `comparer diff` in a fresh process, writing JSON to out."""
    command = [sys.executable, "-m", "comparer", "diff", str(old), str(new), "--format", "json", "--output", str(out)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


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
    run_cli(old, new, out)  # warm the file cache
    t_cli, done = best_of(options.repeat, lambda: run_cli(old, new, out))
    t_pure, _ = best_of(options.repeat, lambda: pure_core(a, b))
    from comparer.engine import _fast

    t_fast, _ = best_of(options.repeat, lambda: _fast(a, b))
    print(f"cli (process start included): {t_cli:.3f} s, exit {done.returncode}")
    print(f"pure core (diff_main + cleanupSemantic, Diff_Timeout 0): {t_pure:.3f} s")
    print(f"fast core (fast-diff-match-patch): {t_fast * 1000:.1f} ms")
    print(f"ratio cli / pure core: {t_cli / t_pure:.2f} (target <= 1.0); cli / fast core: {t_cli / t_fast:.0f}x; "
          f"pure / fast: {t_pure / t_fast:.0f}x")

    from comparer.normalize import normalize

    big = (old_text * 2)[:650_000]
    t_norm, _ = best_of(options.repeat, lambda: normalize(old_text))
    t_650, _ = best_of(options.repeat, lambda: normalize(big))
    print(f"normalize: {len(old_text):,} characters {t_norm:.3f} s; 650,000 characters {t_650:.3f} s (target <= 0.15 s)")

    problems = check(out, changes) if done.returncode == 1 else [f"comparer diff exited {done.returncode}: {done.stderr.strip()}"]
    print(f"figures found: {len(changes) - sum(p.startswith('MISSED') for p in problems)}/{len(changes)}; "
          f"other drifts: {sum(p.startswith('EXTRA') for p in problems)}")
    for problem in problems[:20]:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `comparer corpus`: time at N and 10N documents, --jobs 2 against --jobs 1, peak memory.

Run from the repository root:

    python benchmarks/bench_corpus.py [--scale 10] [--no-jobs] [--no-rerun]

N is the 38 files of fixtures/corpus. 10N is a temporary folder holding the corpus plus
scale-1 edited copies of every file (copy k changes a few numbers of the body by +k, never a
year), so each report has scale versions that must be grouped as copies and diffed. Every run
is a fresh process (`--no-cache`, except the rerun) that runs the pipeline and writes all
outputs; it reports its wall time and peak RSS (its own and its worker processes'). Prints
t(10N)/t(N) (target <= 12), the --jobs 2 / --jobs 1 time ratio at 10N, and the time of a second
run of N with a warm cache. Exits 1 only when a correctness check fails (all copies grouped,
every edited copy shows drift), never because a time is slow.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus_run import measure  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"
_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?![\d.])")  # 1-3 digit integers: never a year


def edited_copy(text: str, k: int) -> tuple[str, int]:
    """Return text with a few numbers of the body raised by k, and how many were changed."""
    numbers = [m for m in _NUMBER.finditer(text) if m.start() > 500]
    chosen = numbers[k::max(len(numbers) // 3, 1)][:3]
    for match in reversed(chosen):
        text = text[:match.start()] + str(int(match.group(0)) + k) + text[match.end():]
    return text, len(chosen)


def build_scaled(folder: Path, scale: int) -> int:
    """Write the corpus and scale-1 edited copies of it into folder; return the numbers changed."""
    changed = 0
    shutil.copytree(CORPUS, folder / "copy0")
    for k in range(1, scale):
        (folder / f"copy{k}").mkdir()
        for source in sorted(CORPUS.glob("*.txt")):
            text, n = edited_copy(source.read_text(encoding="utf-8"), k)
            (folder / f"copy{k}" / source.name).write_text(text, encoding="utf-8")
            changed += n
    return changed


def line(label: str, numbers: dict) -> str:
    """Return one result line."""
    c = numbers["counts"]
    return (f"{label}: {numbers['seconds']:.1f} s, peak RSS {numbers['rss_mb']:.0f} MB (workers {numbers['workers_rss_mb']:.0f} MB); "
            f"documents {c['documents']}, reports {c['reports']}, links {c['links']}, drifts {c['drifts']}")


def main() -> int:
    """Build N and 10N folders, run the configurations, print the numbers and checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs 2 run")
    parser.add_argument("--no-rerun", action="store_true", help="skip the warm-cache rerun")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        big = Path(tmp) / "scaled"
        changed = build_scaled(big, args.scale)
        size = sum(p.stat().st_size for p in files)
        print(f"input: N = {len(files)} files ({size / 1e6:.1f} MB), {args.scale}N = {len(files) * args.scale} files "
              f"({(args.scale - 1) * len(files)} edited copies, {changed} numbers changed)")
        small = measure(CORPUS, 1)
        print(line("N   --jobs 1", small))
        large = measure(big, 1)
        print(line(f"{args.scale}N --jobs 1", large))
        print(f"t({args.scale}N)/t(N) = {large['seconds'] / small['seconds']:.2f} (target <= 12)")
        if not args.no_jobs:
            parallel = measure(big, 2)
            print(line(f"{args.scale}N --jobs 2", parallel))
            print(f"--jobs 2 / --jobs 1 at {args.scale}N = {parallel['seconds'] / large['seconds']:.2f}")
        if not args.no_rerun:
            cache = Path(tmp) / "cache"
            measure(CORPUS, 1, cache)
            print(line("N   rerun, warm cache", measure(CORPUS, 1, cache)))
    return check(large, len(files), args.scale)


def check(large: dict, n: int, scale: int) -> int:
    """Print the correctness checks of the scaled run; return the exit code."""
    grouped = large["counts"]["reports"] == n and large["counts"]["copies"] == n * (scale - 1)
    drifted = large["copies_with_drift"]
    print(f"checks: copies grouped into {large['counts']['reports']} reports: {'ok' if grouped else 'FAILED'}; "
          f"edited copies showing drift: {drifted}/{n * (scale - 1)}")
    return 0 if grouped and drifted == n * (scale - 1) else 1


if __name__ == "__main__":
    sys.exit(main())

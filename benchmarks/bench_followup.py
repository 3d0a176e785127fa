"""Follow-up retrieval speed: vectorised TF-IDF against a Python loop of rapidfuzz partial_ratio.

Run: python benchmarks/bench_followup.py [CORPUS_DIR]
One large plan (国务院 2016) against its 5 later reports (2017-2021), same pairs, same run.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from comparer.api import load_report
from comparer.commitments import extract_commitments
from comparer.followup import candidates_of, follow_up
from comparer.retrieval import build_index

ROOT = Path(__file__).resolve().parents[1]


def _corpus_dir() -> Path:
    """Return the corpus folder given on the command line, or the shared one."""
    return Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"


def _best_of(runs: int, work) -> float:
    """Return the best wall time of several runs of work()."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time vectorised retrieval and the loop baseline on the same commitment × sentence pairs."""
    from rapidfuzz import fuzz

    folder = _corpus_dir()
    plan = load_report(folder / "guowuyuan_2016_gongzuobaogao.txt")
    later = [load_report(folder / f"guowuyuan_{y}_gongzuobaogao.txt") for y in range(2017, 2022)]
    queries = [c.text for c in extract_commitments(plan)]
    candidates = [c.text for doc, r in enumerate(later) for c in candidates_of(r, doc)]

    def vectorised():
        index = build_index(queries, candidates)
        return 0.6 * index.coverage() + 0.4 * index.cosine()

    def python_loop():
        return [[fuzz.partial_ratio(q, c) for c in candidates] for q in queries]

    fast = _best_of(7, vectorised)
    slow = _best_of(1, python_loop)
    whole = _best_of(1, lambda: follow_up(plan, later))
    print(f"commitments: {len(queries)}  candidate sentences: {len(candidates)}  pairs: {len(queries) * len(candidates)}")
    print(f"vectorised TF-IDF retrieval: {fast:.3f} s")
    print(f"python loop of fuzz.partial_ratio: {slow:.3f} s")
    print(f"ratio (loop / vectorised): {slow / fast:.1f}x  (target >= 50x)")
    print(f"whole follow-up (extraction, retrieval, targets, statuses): {whole:.3f} s")


if __name__ == "__main__":
    main()

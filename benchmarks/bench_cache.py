"""Benchmark the corpus cache codec: loading a cached document against analysing it again.

Run from the repository root:

    python benchmarks/bench_cache.py [--repeat 3]

For every file of fixtures/corpus, in one process: the per-document stage (`analyse`), the
records codec (`dumps`, and `loads` with validation against the Document type) and, for
reference, pickle (which comparer no longer uses: it runs code on load). Prints the totals,
best of --repeat, the ratios load/analyse and records/pickle, and the entry sizes. Exits 1 only
when a decoded document differs from the original, never because a time is slow.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path
from typing import Union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from comparer.corpus.documents import Document, Skipped, analyse  # noqa: E402
from comparer.corpus.records import dumps, loads  # noqa: E402

EXPECT = Union[Document, Skipped]


def best(function, repeat: int) -> float:
    """Return the best wall time of running function repeat times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted((ROOT / "fixtures" / "corpus").glob("*.txt"))
    tasks = [(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), p.read_bytes()) for p in files]
    docs = [analyse(task) for task in tasks]
    blobs = [dumps(doc, "bench") for doc in docs]
    pickles = [pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) for doc in docs]
    if [loads(blob, EXPECT, "bench") for blob in blobs] != docs:
        print("FAIL: a decoded document differs from the original")
        return 1
    analysed = best(lambda: [analyse(task) for task in tasks], args.repeat)
    encoded = best(lambda: [dumps(doc, "bench") for doc in docs], args.repeat)
    decoded = best(lambda: [loads(blob, EXPECT, "bench") for blob in blobs], args.repeat)
    unpickled = best(lambda: [pickle.loads(p) for p in pickles], args.repeat)
    print(f"documents: {len(docs)} ({sum(len(t[2]) for t in tasks) / 1e6:.2f} MB of text)")
    print(f"analyse (per-document stage): {analysed:.3f} s")
    print(f"records dumps: {encoded:.3f} s   loads + validation: {decoded:.3f} s   pickle loads: {unpickled:.3f} s")
    print(f"ratio loads/analyse: {decoded / analysed:.3f}   records loads/pickle loads: {decoded / unpickled:.1f}")
    print(f"entry size: records {sum(map(len, blobs)) / 1e6:.2f} MB (zlib JSON), pickle {sum(map(len, pickles)) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

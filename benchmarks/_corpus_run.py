"""One `comparer corpus` run in a fresh process, measured: shared by bench_corpus.py and bench_scale.py.

`measure(folder, jobs, cache)` starts this file as a child (`--child FOLDER OUT JOBS CACHE`), which
runs the whole pipeline and writes all outputs, then prints its numbers as one JSON line.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["measure", "run_once"]


def run_once(folder: str, out: str, jobs: int, cache: str | None) -> dict:
    """Run the pipeline in this process; return time, CPU, stage times, peak memory and counts."""
    sys.path.insert(0, str(ROOT / "src"))
    from comparer.corpus import run_corpus, write_outputs

    stages: dict = {}
    start = time.perf_counter()
    result = run_corpus(Path(folder), out=Path(out), jobs=jobs, cache_dir=Path(cache) if cache else None,
                        use_cache=cache is not None, timings=stages)
    mark = time.perf_counter()
    write_outputs(result, Path(out))
    stages["write outputs"] = time.perf_counter() - mark
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime,
            "load": os.getloadavg()[1], "stages": stages, "counts": result.to_dict()["counts"],
            "pair_tasks": list(result.pair_tasks), "copies_with_drift": len({row["new_doc"] for row in result.drifts}),
            "rss_mb": me.ru_maxrss / 1024, "workers_rss_mb": workers.ru_maxrss / 1024}


def measure(folder: Path, jobs: int, cache: Path | None = None) -> dict:
    """Run one configuration in a fresh Python process and return its numbers."""
    with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
        command = [sys.executable, __file__, "--child", str(folder), out, str(jobs), str(cache or "")]
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[1] != "--child":
        sys.exit("usage: _corpus_run.py --child FOLDER OUT JOBS CACHE")
    _, _, folder, out, jobs, cache = sys.argv
    print(json.dumps(run_once(folder, out, int(jobs), cache or None)))

"""Run a folder: discover files, the per-document stage (cached), copies, chains, pairs, indicators.

Stages: discover files -> per-document stage (read, identify, normalise, sections, commitments,
figures; cached by content hash; run on a runner) -> group copies -> chain each region's years ->
per-pair stage (diff each copy against its representative; follow each plan into the next
year's reports; repeats) -> indicator series across years -> CorpusResult.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import InputError
from .cache import CACHE_DIRNAME, Cache, digest
from .chains import chain_reports
from .copies import group_copies
from .discover import discover, read_file
from .documents import Document, Skipped, analyse, moved
from .indicators import line_up
from .pairs import compare_pairs
from .result import CorpusResult

__all__ = ["run_corpus", "write_outputs"]


def run_corpus(root, out: Optional[Path] = None, jobs: int = 1, engine: str = "local", scheduler: Optional[str] = None,
               cache_dir: Optional[Path] = None, use_cache: bool = True, progress: bool = False) -> CorpusResult:
    """Analyse every report under root and return the corpus result."""
    from .runners import open_runner

    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "no such folder" if not root.exists() else "not a folder")
    cache = Cache((cache_dir or root / CACHE_DIRNAME) if use_cache else None)
    cache.prune()
    files, skipped = discover(root, [out, cache.folder])
    with open_runner(engine, jobs, scheduler) as runner:
        docs, failed, hits = _documents(files, cache, runner, progress)
        groups = group_copies(docs)
        chains = chain_reports(docs, groups)
        drifts, followups, repeats = compare_pairs(docs, groups, chains, runner, progress)
    series = line_up(docs, groups, chains)
    return CorpusResult(str(root), tuple(docs), tuple(sorted(skipped + failed, key=lambda s: s.path)), tuple(groups),
                        tuple(chains), tuple(drifts), tuple(followups), tuple(series), tuple(repeats), engine, jobs, hits)


def _documents(files: list, cache: Cache, runner, show: bool) -> tuple[list, list, int]:
    """Run the per-document stage on cache misses; return (documents, skipped, cache hits) in path order."""
    from ..report.progress import progress_bar

    results, tasks, waiting = _from_cache(files, cache)
    hits = sum(1 for r in results if isinstance(r, Document))
    with progress_bar(len(tasks), "reading", show) as advance:
        computed = runner.map(analyse, tasks, advance)
    for task, result in zip(tasks, computed):
        cache.store(task[1], result)
        for i in waiting[task[1]]:
            results[i] = moved(result, files[i][1])
    return [r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Skipped)], hits


def _from_cache(files: list, cache: Cache) -> tuple[list, list, dict]:
    """Read each file; return (results found so far, tasks to run, file indices per digest)."""
    results: list = [None] * len(files)
    tasks, waiting = [], {}
    for i, (path, rel) in enumerate(files):
        data = read_file(path, rel)
        if isinstance(data, Skipped):
            results[i] = data
            continue
        key = digest(data)
        hit = cache.load(key) if key not in waiting else None
        if hit is not None:
            results[i] = moved(hit, rel)
            continue
        if key not in waiting:
            tasks.append((rel, key, data))
        waiting.setdefault(key, []).append(i)
    return results, tasks, waiting


def write_outputs(result: CorpusResult, out: Path) -> list[str]:
    """Write the tables (CSV, Parquet), summary.json and report.html into out; return file names."""
    from ..errors import OutputError
    from ..output import write_atomic
    from ..report.corpus_html import to_html
    from ..report.jsonout import to_json
    from ..report.tables import write_tables

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(out, f"cannot create folder ({error.strerror or error})") from None
    tables = result.tables()
    written = write_tables(tables, out)
    summary = result.to_dict()
    write_atomic(out / "summary.json", to_json(summary))
    write_atomic(out / "report.html", to_html(summary, {name: rows for name, (_, rows) in tables.items()}))
    return written + ["summary.json", "report.html"]

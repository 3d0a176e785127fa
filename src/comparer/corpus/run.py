"""Run a folder: discover files, the per-document stage (cached), copies, chains, pairs, indicators.

Stages: discover files -> per-document stage (read, identify, normalise, sections, commitments,
figures; cached by content hash; run on a runner) -> group copies -> chain each region's years ->
per-pair stage (diff each copy against its representative; follow each plan into the next
year's reports; repeats) -> indicator series across years -> CorpusResult.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import InputError, OutputError
from .cache import Cache, open_cache
from .chains import chain_reports
from .copies import group_copies
from .discover import discover
from .documents import Skipped
from .early import EARLY_TABLES, EarlyTables, failed_check
from .indicators import line_up
from .pairs import compare_pairs
from .result import CorpusResult
from .spilled import Spool
from .store import Stub, document_task, run_store

__all__ = ["run_corpus", "write_outputs", "check_out"]


def run_corpus(root, out: Optional[Path] = None, jobs: int = 1, engine: str = "local", scheduler: Optional[str] = None,
               cache_dir: Optional[Path] = None, use_cache: bool = True, progress: bool = False,
               max_bytes: Optional[int] = None, timings: Optional[dict] = None) -> CorpusResult:
    """Analyse every report under root and return the corpus result (out: refuse an unsafe --out first).

    timings: a dict that receives the wall seconds of each stage (benchmarks).
    """
    from .runners import open_runner

    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "no such folder" if not root.exists() else "not a folder")
    if out is not None:
        check_out(root, Path(out))
    cache = open_cache(cache_dir, use_cache)
    cache.prune()
    store, keeper = run_store(cache)
    spool = Spool(keeper.folder / "rows.jsonl")
    files, skipped = discover(root, [out, cache.folder], max_bytes)
    clock = _Clock(timings)
    with open_runner(engine, jobs, scheduler) as runner:
        clock.lap("start workers")
        docs, failed, hits = _documents(files, store, runner, progress, max_bytes)
        clock.lap("documents")
        groups = group_copies(docs)
        chains = chain_reports(docs, groups)
        clock.lap("copies and chains")
        series = line_up(docs, groups, chains)
        clock.lap("indicators")
        partial = CorpusResult(str(root), tuple(docs), (), tuple(groups), tuple(chains), (), (), tuple(series), (), engine, jobs,
                               store=store)  # what the early tables read: no per-pair result yet
        early = EarlyTables(partial, keeper.folder / "early", runner) if out is not None else None
        drifts, followups, repeats, targets, reused = compare_pairs(docs, groups, chains, runner, progress, clock,
                                                                    cache if cache.folder else None, store, spool)
    return CorpusResult(str(root), tuple(docs), tuple(sorted(skipped + failed, key=lambda s: s.path)), tuple(groups),
                        tuple(chains), drifts, followups, tuple(series), repeats, engine, jobs, hits,
                        cache.note, targets, reused, store, keeper, early)


class _Clock:
    """Record the wall seconds between laps into a dict (or nowhere)."""

    def __init__(self, into: Optional[dict]):
        import time

        self.into, self.now, self.last = into, time.perf_counter, time.perf_counter()

    def lap(self, stage: str) -> None:
        """Add the seconds since the last lap to stage."""
        now = self.now()
        if self.into is not None:
            self.into[stage] = self.into.get(stage, 0.0) + now - self.last
        self.last = now


def _documents(files: list, store: Cache, runner, show: bool, limit: Optional[int]) -> tuple[list, list, int]:
    """Run the per-document stage in the workers (read, look up, analyse, store); return (stubs, skipped, store hits) in path order."""
    from ..report.progress import progress_bar

    with progress_bar(len(files), "reading", show) as advance:
        results = runner.map(document_task, [(path, rel, limit, store) for path, rel in files], advance)
    docs = [r for r, _ in results if isinstance(r, Stub)]
    return docs, [r for r, _ in results if isinstance(r, Skipped)], sum(1 for r, hit in results if hit and isinstance(r, Stub))


def check_out(root: Path, out: Path) -> None:
    """Refuse an --out that is or holds the corpus folder, lies in it without being fresh, or holds others' files."""
    folder, target = root.resolve(), out.resolve()
    if target == folder or target in folder.parents:
        raise OutputError(out, "is or holds the corpus folder; give --out a folder outside it")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(out, "exists and is not a folder; give --out a new or empty folder")
    if not out.is_dir():
        return
    if folder in target.parents and any(out.iterdir()):
        raise OutputError(out, "is inside the corpus folder and not empty; give --out a new or empty folder")
    foreign = foreign_names(out)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise OutputError(out, f"holds files comparer did not write ({shown}); give --out a new or empty folder")


def foreign_names(out: Path) -> list[str]:
    """Return the entries of an existing --out folder that are not comparer's outputs."""
    from ..output import foreign_entries

    try:
        return foreign_entries(out, _older_output)
    except OSError as error:
        raise OutputError(out, f"cannot read folder ({error.strerror or error})") from None


def _older_output(folder: Path) -> bool:
    """Return whether a folder without a marker holds exactly an earlier comparer corpus output."""
    from .tables import TABLES

    names = {f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")} | {"summary.json", "report.html"}
    entries = list(folder.iterdir())
    if not all(e.name in names and e.is_file() and not e.is_symlink() for e in entries):
        return False
    try:
        schema = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("schema", "")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(schema, str) and schema.startswith("comparer.corpus/")


def write_outputs(result: CorpusResult, out: Path) -> list[str]:
    """Write the tables (CSV, Parquet), summary.json and report.html into out as a whole; return file names."""
    from ..output import replace_folder

    out = Path(out)
    summary = result.to_dict()
    return replace_folder(out, lambda staging: _fill(staging, out, result, summary), _older_output)


def _weights(result: CorpusResult, summary: dict) -> dict:
    """Return about how many rows each table has (to share the tables out between processes)."""
    counts = summary["counts"]
    return {"documents": counts["documents"], "sections": sum(d.counts[1] for d in result.documents),
            "commitments": counts["commitments"], "figures": counts["figures"], "followup": counts["followed_up"],
            "drifts": counts["drifts"], "repeats": counts["repeats"], "targets": counts["targets"]}


_PAGE_TABLES = ("documents", "followup", "targets", "drifts", "repeats")  # tables report.html lists
PAGE_ROWS = 20_000  # rows of each table report.html lists at most (the CSV and Parquet files hold them all)


def _fill(staging: Path, out: Path, result: CorpusResult, summary: dict) -> list[str]:
    """Write every output file into the staging folder; errors name the file's place in out."""
    from itertools import islice

    from ..output import write_atomic
    from ..report import corpus_html, jsonout

    tables = result.tables()
    rows = {name: list(islice((row for chunk in tables[name][1]() for row in chunk), PAGE_ROWS)) for name in _PAGE_TABLES}
    total = {"documents": "documents", "followup": "followed_up", "targets": "targets", "drifts": "drifts", "repeats": "repeats"}
    rows["_cut"] = {name: (PAGE_ROWS, summary["counts"][total[name]]) for name in _PAGE_TABLES if summary["counts"][total[name]] > PAGE_ROWS}
    failed: list = []
    steps = [("tables", lambda: _write_tables(staging, result, tables, _weights(result, summary), failed)),
             ("summary.json", lambda: write_atomic(staging / "summary.json", jsonout.to_json(summary))),
             ("report.html", lambda: write_atomic(staging / "report.html", corpus_html.to_html(summary, {**rows, "figures": failed})))]
    written: list[str] = []
    for name, step in steps:
        try:
            done = step()
        except OutputError as error:
            raise OutputError(out / Path(error.path).name, error.problem) from None
        except OSError as error:
            raise OutputError(out / Path(error.filename or name).name, f"cannot write ({error.strerror or error})") from None
        written += done if isinstance(done, list) else [name]
    return written


def _write_tables(staging: Path, result: CorpusResult, tables: dict, weights: dict, failed: list) -> list[str]:
    """Write the tables into staging (those the run wrote early are copied); keep the failed ratio checks in failed."""
    import shutil

    from ..report import tables as table_files

    early = result.early is not None and result.early.ready()
    for name in EARLY_TABLES if early else ():
        for ext in ("csv", "parquet"):
            shutil.copyfile(result.early.folder / f"{name}.{ext}", staging / f"{name}.{ext}")
    failed += result.early.failed if early else []
    rest = {name: table for name, table in tables.items() if not (early and name in EARLY_TABLES)}
    table_files.write_tables(rest, staging, {"figures": (failed_check, failed)}, result.jobs, weights)
    return [f"{name}.{ext}" for name in tables for ext in ("csv", "parquet")]

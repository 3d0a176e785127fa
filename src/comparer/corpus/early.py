"""The tables that need only the documents, written while the per-pair tasks run.

`documents`, `sections`, `commitments` and `figures` depend on the documents, their groups and the
indicator series, not on any per-pair result. When the run knows its --out, they are written (CSV
and Parquet, the same writer as the end of the run) into the run's temporary folder while the pairs
are compared: by a local worker, queued ahead of the pair tasks (--jobs N), else by a thread of the
main process (--jobs 1, Dask). `write_outputs` copies the files instead of writing them again;
should the early writing fail, the tables are simply written at the end.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

__all__ = ["EARLY_TABLES", "EarlyTables", "failed_check", "write_early"]

EARLY_TABLES = ("documents", "sections", "commitments", "figures")  # tables no per-pair result feeds


def failed_check(row: dict) -> bool:
    """Return whether a figures row is a failed ratio check (the rows report.html lists)."""
    return row.get("ratio_check") == "failed"


def write_early(task: tuple) -> list:
    """Write the EARLY_TABLES of a (partial result, folder) task; return the failed ratio-check rows."""
    from ..report.tables import write_tables

    partial, folder = task
    failed: list = []
    tables = {name: table for name, table in partial.tables().items() if name in EARLY_TABLES}
    write_tables(tables, Path(folder), {"figures": (failed_check, failed)})
    return failed


class EarlyTables:
    """The EARLY_TABLES of a partial result being written into a folder beside the pair tasks; `ready()` waits."""

    def __init__(self, partial, folder: Path, runner):
        self.folder, self.failed, self.error = Path(folder), [], None
        self.folder.mkdir()
        light = tuple(replace(d, shingles="", indicators=()) for d in partial.documents)  # what the tables read of a stub
        self.pending = runner.background(write_early, (replace(partial, documents=light), self.folder))

    def ready(self) -> bool:
        """Wait for the writing; return whether every early table was written."""
        if self.pending is not None:
            try:
                self.failed = self.pending.result()
            except Exception as error:  # noqa: BLE001 (the tables are written again at the end)
                self.error = error
            self.pending = None
        return self.error is None

"""The tables that need only the documents, written by a thread while the per-pair tasks run.

`documents`, `sections`, `commitments` and `figures` depend on the documents, their groups and the
indicator series, not on any per-pair result. When the run knows its --out, a thread writes them
(CSV and Parquet, the same writer as the end of the run) into the run's temporary folder while the
workers compare pairs, so the main process, idle then, does that part of the writing early;
`write_outputs` copies the files instead of writing them again. Should the thread fail, the tables
are simply written at the end.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["EARLY_TABLES", "EarlyTables", "failed_check"]

EARLY_TABLES = ("documents", "sections", "commitments", "figures")  # tables no per-pair result feeds


def failed_check(row: dict) -> bool:
    """Return whether a figures row is a failed ratio check (the rows report.html lists)."""
    return row.get("ratio_check") == "failed"


class EarlyTables:
    """A thread writing the EARLY_TABLES of a (partial) result into a folder; `ready()` waits for it."""

    def __init__(self, partial, folder: Path):
        import threading

        self.folder, self.failed, self.error = Path(folder), [], None
        self.folder.mkdir()
        self.thread = threading.Thread(target=self._write, args=(partial,), name="comparer-early-tables", daemon=True)
        self.thread.start()

    def _write(self, partial) -> None:
        """Write the tables (one process: no fork from a thread); keep the error, if any, for ready()."""
        from ..report.tables import write_tables

        try:
            tables = {name: table for name, table in partial.tables().items() if name in EARLY_TABLES}
            write_tables(tables, self.folder, {"figures": (failed_check, self.failed)})
        except Exception as error:  # noqa: BLE001 (the tables are written again at the end)
            self.error = error

    def ready(self) -> bool:
        """Wait for the thread; return whether every early table was written."""
        self.thread.join()
        return self.error is None

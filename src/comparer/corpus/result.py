"""CorpusResult: everything a corpus run found; owns the exit code and the summary."""
from __future__ import annotations

from dataclasses import field
from typing import Sequence

from .chains import Link
from ..record import record

__all__ = ["CorpusResult"]


@record
class CorpusResult:
    """Everything `comparer corpus` found; owns the exit code and the summary.json form."""

    root: str
    documents: tuple
    skipped: tuple
    groups: tuple
    chains: tuple
    drifts: Sequence  # drift rows (spilled.Rows: read from the store as iterated)
    followups: Sequence  # per link (chains' links in order): tuple of follow-up rows (spilled.PerPart)
    series: tuple
    repeats: Sequence  # repeats rows (spilled.Rows)
    engine: str = "local"
    jobs: int = 1
    from_cache: int = 0  # documents whose per-document stage came from the cache (not in summary.json)
    cache_note: str = ""  # why the cache was off though asked for (a warning on stderr; not in summary.json)
    targets: Sequence = ()  # target rows (spilled.Rows): every quantified target of every followed plan, with its verdict
    pair_tasks: tuple = (0, 0)  # (per-pair tasks loaded from the cache, all per-pair tasks) (not in summary.json)
    store: object = None  # the cache.Cache the documents' entries are in (tables stream their rows from it)
    keeper: object = None  # store.Spill: the run's temporary folder (removed once no result holds it)
    early: object = None  # early.EarlyTables: the tables written while the pairs ran (None: written at the end)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # the summary, computed once
    KIND = "corpus"
    SCHEMA = "comparer.corpus/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the documents (paths relative to the folder)."""
        return tuple(dict.fromkeys(notice for d in self.documents for notice in d.notices))

    @property
    def links(self) -> list[Link]:
        """Return every link of every chain, in order."""
        return [link for chain in self.chains for link in chain.links]

    @property
    def exit_code(self) -> int:
        """Return 2 when nothing could be read, 1 with findings, else 0."""
        from .tables import findings

        if not self.documents:
            return 2
        return 1 if any(findings(self).values()) else 0

    def to_dict(self) -> dict:
        """Return the comparer.corpus/1 JSON form (summary.json)."""
        import copy

        from .tables import summary

        if "summary" not in self.memo:
            self.memo["summary"] = summary(self)
        return copy.deepcopy(self.memo["summary"])

    def rows(self) -> list[dict]:
        """Return one row per region and family: reports, follow-up rate, findings."""
        from .tables import region_rows

        return region_rows(self)

    def tables(self) -> dict:
        """Return {table name: (columns, chunks)} for the files written to --out (chunks() yields lists of rows)."""
        from .tables import tables

        return tables(self)

"""The public entry points: load reports, diff, follow up, align, run a folder.

The CLI, golden cases, the corpus runner and the tests all go through these rather than
repeating the pipeline (read -> identify -> normalize -> sections) themselves.
"""
from __future__ import annotations

from .load import load_report, load_reports, report_from_bytes
from .models import Report

__all__ = ["load_report", "load_reports", "report_from_bytes", "diff_reports", "follow_up", "align_documents", "run_corpus"]


def diff_reports(old: Report, new: Report, engine: str | None = None):
    """Return the drift between two versions of a report (comparer.diff.DiffResult)."""
    from .diff import diff_reports as run

    return run(old, new, engine)


def follow_up(plan: Report, later: list[Report]):
    """Return the follow-up of plan's commitments in later reports (comparer.followup.FollowupResult)."""
    from .followup import follow_up as run

    return run(plan, later)


def align_documents(reports: list[Report]):
    """Return the section alignment of the first report with each other one (comparer.align.AlignResult)."""
    from .align import align_documents as run

    return run(reports)


def run_corpus(root, **options):
    """Analyse every report under a folder (comparer.corpus.CorpusResult); options as comparer.corpus.run_corpus."""
    from .corpus import run_corpus as run

    return run(root, **options)

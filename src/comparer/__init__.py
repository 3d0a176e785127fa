"""comparer: compare Chinese government reports (drift, follow-up, alignment).

The public API (imported lazily so `comparer --help` stays fast):

    from comparer import load_report, diff_reports, follow_up, align_documents, run_corpus
    result = diff_reports(load_report("a.pdf"), load_report("a.html"))
    result.exit_code, result.to_dict()
"""
from __future__ import annotations

from ._version import __version__

__all__ = ["__version__", "load_report", "load_reports", "report_from_bytes", "diff_reports", "follow_up",
           "align_documents", "run_corpus"]


def __getattr__(name: str):
    """Import an API function on first use (PEP 562)."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'comparer' has no attribute {name!r}")

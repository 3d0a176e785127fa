"""Load documents through the whole reading pipeline: read -> identify -> normalize -> sections."""
from __future__ import annotations

import os
from typing import Iterable

from .models import Report

__all__ = ["load_report", "load_reports", "report_from_bytes"]


def load_report(path: str | os.PathLike) -> Report:
    """Read, identify, normalize and section one document file."""
    from .ingest import read_document
    from .sections import parse_report

    return parse_report(read_document(path))


def load_reports(paths: Iterable[str | os.PathLike]) -> list[Report]:
    """Load several documents, in order."""
    return [load_report(path) for path in paths]


def report_from_bytes(data: bytes, name: str | os.PathLike) -> Report:
    """Read, identify, normalize and section a document already in memory (name: the path to show)."""
    from .ingest import read_data
    from .sections import parse_report

    return parse_report(read_data(data, name))

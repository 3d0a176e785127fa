"""CSV renderer: one row per finding."""
from __future__ import annotations

import csv
import io

__all__ = ["to_csv"]


def to_csv(rows: list[dict]) -> str:
    """Return rows as CSV text with a header from the first row's keys."""
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Flatten lists and dicts so each CSV cell is one value."""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else value

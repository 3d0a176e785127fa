"""Ask a result for its JSON form and its flat rows (results own their shape)."""
from __future__ import annotations

__all__ = ["kind_of", "to_dict", "rows"]


def kind_of(result: object) -> str:
    """Return the result's kind name (diff, sections, followup ...)."""
    return getattr(result, "KIND", type(result).__name__.lower())


def to_dict(result: object, **options) -> dict:
    """Return the JSON-ready dict of a result, with its schema tag and the warnings about its inputs."""
    data = result.to_dict(**options) if options else result.to_dict()
    if hasattr(result, "warnings"):
        data.setdefault("warnings", [notice.to_dict() for notice in result.warnings])
    return data


def rows(result: object) -> list[dict]:
    """Return the flat rows of a result (for CSV, Markdown and HTML tables)."""
    return list(result.rows())

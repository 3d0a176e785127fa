"""Renderers: turn results into strings (text, json, csv, md, html). Only the CLI prints."""
from __future__ import annotations

__all__ = ["render"]

FORMATS = ("text", "json", "csv", "md", "html")


def render(result: object, fmt: str, **options) -> str:
    """Render any comparer result in the requested format."""
    from . import serialize

    kind = serialize.kind_of(result)
    if fmt == "json":
        from .jsonout import to_json

        return to_json(serialize.to_dict(result, **options))
    if fmt == "csv":
        from .csvout import to_csv

        return to_csv(serialize.rows(result))
    if fmt == "md":
        from .markdown import diff_markdown, to_markdown

        if kind == "diff":
            return diff_markdown(result)
        return to_markdown(kind, serialize.to_dict(result, **options), serialize.rows(result))
    if fmt == "html":
        from .htmlout import to_html

        if kind == "diff":
            from .diffpage import diff_page

            return diff_page(result)
        return to_html(kind, serialize.to_dict(result, **options), serialize.rows(result))
    from .terminal import to_text

    return to_text(kind, result, **options)

"""Self-contained HTML renderer for single results (no network)."""
from __future__ import annotations

import html

__all__ = ["to_html", "table_html", "PAGE_CSS"]

PAGE_CSS = """body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0}.summary{margin:1em 0}.added{background:#e6ffed}.removed{background:#ffeef0}
.changed,.figure{background:#fff5b1}.moved{background:#e8f0fe}"""


def table_html(rows: list[dict], row_class: str = "") -> str:
    """Return rows as an HTML table; row_class names a column used as CSS class."""
    if not rows:
        return "<p>No findings.</p>"
    columns = list(rows[0].keys())
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        css = html.escape(str(row.get(row_class, ""))) if row_class else ""
        cells = "".join(f"<td>{html.escape(_text(row.get(c)))}</td>" for c in columns)
        body.append(f'<tr class="{css}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _text(value: object) -> str:
    """Return a cell value as plain text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def to_html(kind: str, data: dict, rows: list[dict]) -> str:
    """Return a complete HTML page with the summary and findings table."""
    summary = "".join(f"<li><b>{html.escape(str(k))}</b>: {html.escape(str(v))}</li>" for k, v in (data.get("summary") or {}).items())
    return (
        f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>comparer {html.escape(kind)}</title>"
        f"<style>{PAGE_CSS}</style></head><body><h1>comparer {html.escape(kind)}</h1>"
        f"<ul class=summary>{summary}</ul>{table_html(rows, 'kind')}</body></html>\n"
    )

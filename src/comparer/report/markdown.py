"""Markdown renderer: a title, the summary and a table of findings."""
from __future__ import annotations

__all__ = ["to_markdown"]


def to_markdown(kind: str, data: dict, rows: list[dict]) -> str:
    """Return a Markdown report for any result kind."""
    lines = [f"# comparer {kind}", ""]
    summary = data.get("summary")
    if summary:
        lines += [f"- **{k}**: {v}" for k, v in summary.items()] + [""]
    if not rows:
        return "\n".join(lines + ["No findings.", ""])
    columns = list(rows[0].keys())
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    """Escape a value for a Markdown table cell."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return str(value).replace("|", "\\|").replace("\n", " ")

"""Markdown renderer: a diff as one block per change; other results as a summary and a table.

Report text is data: it is HTML-escaped and its Markdown punctuation backslash-escaped, so a
report holding `<img onerror=…>` or `**` shows those characters and never becomes markup.
"""
from __future__ import annotations

import re

from .paths import display_paths

__all__ = ["to_markdown", "diff_markdown", "md_escape"]

_MD_SPECIAL = re.compile(r"([\\`*\[\]|~]|(?<!\w)_|_(?!\w))")  # text never starts a line here, so # - + > 1. are safe
_KINDS = ("changed", "added", "removed", "moved", "figure")


def md_escape(value: object) -> str:
    """Return text safe in Markdown: HTML-escaped, Markdown punctuation escaped, on one line."""
    if value is None:
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def to_markdown(kind: str, data: dict, rows: list[dict]) -> str:
    """Return a Markdown report for any result kind: summary list, then a table of rows."""
    lines = [f"# comparer {md_escape(kind)}", ""]
    summary = data.get("summary")
    if summary:
        lines += [f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in summary.items()] + [""]
    if not rows:
        return "\n".join(lines + ["No findings.", ""])
    columns = list(rows[0].keys())
    lines.append("| " + " | ".join(md_escape(c) for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    """Return a table cell (lists joined by '; ')."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return md_escape(value)


def diff_markdown(result) -> str:
    """Return a readable Markdown report of a diff: files, counts, figures, then one block per change."""
    shown = display_paths(result.to_dict())
    names = [shown.get(r.meta.path, r.meta.path) for r in (result.old, result.new)]
    lines = ["# comparer diff", "", "| | file | |", "|---|---|---|"]
    for side, name, report in (("old", names[0], result.old), ("new", names[1], result.new)):
        lines.append(f"| {side} | {md_escape(name)} | {md_escape(_describe(report.meta))} |")
    lines += ["", _counts(result), ""]
    lines += _figures(result)
    for number, drift in enumerate(result.drifts, start=1):
        lines += _block(result, number, drift, names)
    return "\n".join(lines).rstrip("\n") + "\n"


def _describe(meta) -> str:
    """Return a file's kind, pages and title."""
    return " · ".join(p for p in (meta.kind + (f", {meta.pages} pages" if meta.pages else ""), meta.title, meta.issuer) if p)


def _counts(result) -> str:
    """Return the change counts line."""
    summary = result.summary
    if not summary["drifts"]:
        return "**No drift**: after normalisation the two versions say the same."
    kinds = ", ".join(f"{summary[k]} {k}" for k in _KINDS if summary.get(k))
    return f"**{summary['drifts']} change{'s' * (summary['drifts'] != 1)}**: {kinds}."


def _figures(result) -> list[str]:
    """Return the list of changed figures (nothing when none)."""
    figures = [(n, d) for n, d in enumerate(result.drifts, start=1) if d.kind == "figure"]
    if not figures:
        return []
    out = ["## Figures changed", ""]
    out += [f"- **{md_escape(d.old_value)} → {md_escape(d.new_value)}** in {md_escape(d.section)} (change {n}; {md_escape(_where(d))})" for n, d in figures]
    return out + [""]


def _where(d) -> str:
    """Return the old and new places of a drift."""
    from ..places import place_label

    old = place_label(d.old_line, d.old_page, d.old_page_line, d.old_source_line)
    new = place_label(d.new_line, d.new_page, d.new_page_line, d.new_source_line)
    return f"old {old} · new {new}"


def _block(result, number: int, drift, names: list) -> list[str]:
    """Return one change: heading with kind and section, places in both files, the word-level diff."""
    from .change import change_parts

    before, old, new, after = change_parts(drift, result.old.raw.text, result.new.raw.text)
    words = md_escape(before)
    words += f"<del>{md_escape(old)}</del>" if old else ""
    words += f"<ins>{md_escape(new)}</ins>" if new else ""
    words += md_escape(after)
    plain = f"[-{old}-]" * bool(old) + f"{{+{new}+}}" * bool(new)
    return [f"## {number}. {drift.kind} — {md_escape(drift.section)}", "",
            f"- places: {md_escape(_where(drift))}", f"- change: {md_escape(plain)}", "", f"> {words}", ""]

"""Terminal renderer built on rich; returns the rendered text, never prints."""
from __future__ import annotations

import io
import os

__all__ = ["to_text"]


def _console(color: bool):
    """Return a recording console writing to memory, sized for CJK text."""
    from rich.console import Console

    width = int(os.environ.get("COLUMNS", "120"))
    return Console(file=io.StringIO(), width=width, force_terminal=color, color_system="standard" if color else None, highlight=False)


def to_text(kind: str, result: object, color: bool = False, **_) -> str:
    """Render a result for the terminal: diff side by side, sections as a tree, else a table."""
    console = _console(color)
    if kind == "diff":
        _diff(console, result)
    elif kind == "sections":
        _sections(console, result)
    elif kind == "followup":
        _followup(console, result)
    elif kind in ("check", "snapshot"):
        _findings(console, kind, result)
    elif kind == "align":
        _align(console, result)
    else:
        _generic(console, kind, result)
    return console.file.getvalue()


def _diff(console, result) -> None:
    """Print drifts grouped by section, old and new side by side."""
    from rich.table import Table
    from rich.text import Text

    by_section: dict[str, list] = {}
    for drift in result.drifts:
        by_section.setdefault(drift.section, []).append(drift)
    for section, drifts in by_section.items():
        table = Table(title=section, title_justify="left", expand=True, show_lines=True)
        table.add_column("kind", no_wrap=True)
        table.add_column(f"old  {result.old.meta.path}", ratio=1, overflow="fold")
        table.add_column(f"new  {result.new.meta.path}", ratio=1, overflow="fold")
        for d in drifts:
            old_side = _side(Text, d.old_context, _where(d.old_page, d.old_line), "red")
            new_side = _side(Text, d.new_context, _where(d.new_page, d.new_line), "green")
            table.add_row(d.kind, old_side, new_side)
        console.print(table)
    console.print(_summary_line(result))


def _where(page, line) -> str:
    """Return 'p.3 L12' (page only for paged sources)."""
    if line is None:
        return ""
    return f"p.{page} L{line}" if page else f"L{line}"


def _side(Text, context: str, where: str, style: str):
    """Return context text with the changed part (in brackets) highlighted."""
    before, _, rest = context.partition("[")
    changed, _, after = rest.rpartition("]")
    text = Text(f"{where}: " if where else "")
    text.append(before)
    text.append(changed or "∅", style=f"bold {style} reverse" if changed else "dim")
    text.append(after)
    return text


def _summary_line(result) -> str:
    """Return the one-line diff summary."""
    s = result.summary
    if not s["drifts"]:
        return "no drift: the two versions say the same"
    kinds = ", ".join(f"{s[k]} {k}" for k in ("changed", "added", "removed", "moved", "figure") if s[k])
    return f"{s['drifts']} drifts ({kinds}) in {len({d.section for d in result.drifts})} sections"


def _sections(console, result) -> None:
    """Print the heading tree with roles and original lines."""
    from rich.tree import Tree

    meta = result.report.meta
    tree = Tree(f"{meta.title or meta.path}  [{meta.issuer or '?'}; {meta.year or '?'}; {meta.genre}]")
    for top in result.report.sections:
        _branch(tree, top)
    console.print(tree)


def _branch(parent, section) -> None:
    """Add a section and its children to a rich tree."""
    label = f"{section.number}{section.title}  ({section.role}"
    label += f", plan {section.plan_year})" if section.plan_year else ")"
    node = parent.add(f"{label}  L{section.line}")
    for child in section.children:
        _branch(node, child)


_STATUS_STYLE = {"reported": "green", "repeated": "yellow", "shortfall": "magenta", "missing": "red"}


def _followup(console, result) -> None:
    """Print each commitment with its status and leading evidence."""
    from rich.markup import escape
    from rich.table import Table

    plan = result.plan.meta
    table = Table(title=f"follow-up of {plan.title or plan.path}", expand=True, show_lines=True)
    for column, ratio in (("id", None), ("status", None), ("commitment", 2), ("evidence", 2)):
        table.add_column(column, ratio=ratio, overflow="fold", no_wrap=ratio is None)
    for item in result.items:
        lead = item.evidence[0] if item.evidence else None
        status = item.status + (" (overdue)" if item.overdue else "")
        evidence = f"[{lead.role} L{lead.line} {lead.score}] {lead.text}" if lead else "-"
        if lead and result.explain:
            evidence += f"\nterms: {', '.join(lead.terms)}"
        if item.reason:
            evidence = f"{item.reason}\n{evidence}"
        table.add_row(item.commitment.id, f"[{_STATUS_STYLE[item.status]}]{status}[/]", escape(f"L{item.commitment.line} {item.commitment.text}"), escape(evidence))
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.summary.items()))


def _align(console, result) -> None:
    """Print one table per compared report: section ⇄ section, role, method, confidence."""
    from rich.markup import escape
    from rich.table import Table

    base = result.base.meta
    for other, pairs in result.tables:
        table = Table(title=f"{base.title or base.path}  ⇄  {other.meta.title or other.meta.path}", expand=True)
        for column in ("A section", "role", "B section", "role ", "method", "conf."):
            table.add_column(column, overflow="fold")
        for pair in pairs:
            a, b = pair.old, pair.new
            table.add_row(escape(f"L{a.line} {a.path}") if a else "-", a.role if a else "", escape(f"L{b.line} {b.path}") if b else "-",
                          b.role if b else "", pair.method, f"{pair.similarity:.2f}" if a and b else "")
        console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.to_dict()["summary"].items()))


def _findings(console, kind: str, result) -> None:
    """Print one plain line per case finding (readable in CI logs), then the summary."""
    from rich.markup import escape

    for row in result.rows():
        finding = f": {row['finding']}" if row.get("finding") else ""
        console.print(escape(f"{row['case']}: {row['status']}{finding}"), soft_wrap=True)
    summary = result.to_dict().get("summary")
    if summary:
        console.print(", ".join(f"{k}: {v}" for k, v in summary.items()))


def _generic(console, kind: str, result) -> None:
    """Print any result's rows as a table and its summary."""
    from rich.table import Table

    rows = list(result.rows())
    if rows:
        table = Table(title=kind, expand=True, show_lines=False)
        for column in rows[0]:
            table.add_column(str(column), overflow="fold")
        for row in rows:
            table.add_row(*[_cell(row.get(c)) for c in rows[0]])
        console.print(table)
    summary = result.to_dict().get("summary")
    if summary:
        console.print(", ".join(f"{k}: {v}" for k, v in summary.items()))


def _cell(value) -> str:
    """Return a table cell's text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)

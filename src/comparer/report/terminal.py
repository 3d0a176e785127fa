"""Terminal renderer built on rich; returns the rendered text, never prints.

Report text is data: markup and emoji codes are off, styles come from Text objects only.
Without colour a change keeps visible markers, [-old-]{+new+} as `git diff --word-diff` writes them.
"""
from __future__ import annotations

import io
import os

from .change import change_parts as _change, side_parts as _sides
from .paths import display_paths, shorten

__all__ = ["to_text", "terminal_width", "color_wanted", "word_diff"]

_WIDE = 110  # from this width on, a diff is shown as an old | new table; below it, one word-diff block per change


def terminal_width() -> int:
    """Return the output width: COLUMNS when set, else the real terminal's (rich's detection), else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    from rich.console import Console

    return Console().width


def color_wanted(stream) -> bool:
    """Return True for colour: NO_COLOR set turns it off, FORCE_COLOR on, else only on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _console(color: bool, width: int | None):
    """Return a console writing to memory: no markup, no emoji, no highlighting of data text."""
    from rich.console import Console

    return Console(file=io.StringIO(), width=width or terminal_width(), force_terminal=color,
                   color_system="standard" if color else None, highlight=False, markup=False, emoji=False)


def to_text(kind: str, result: object, color: bool = False, width: int | None = None, **_) -> str:
    """Render a result for the terminal: diff by section, sections as a tree, else a table."""
    if kind == "text":
        return _extracted(result)
    console = _console(color, width)
    paths = display_paths(result.to_dict())
    render = {"diff": _diff, "sections": _sections, "followup": _followup, "check": _findings,
              "snapshot": _findings, "align": _align, "targets": _targets, "repeats": _repeats}.get(kind, _generic)
    render(console, result, paths, color)
    return console.file.getvalue()


def _extracted(result) -> str:
    """Return every extracted line prefixed by its number and place label, tab-separated (grep-able)."""
    rows = result.rows()
    width = max((len(r["label"]) for r in rows), default=0)
    return "".join(f"{r['line']:>6}  {r['label']:<{width}}  {r['text']}\n" for r in rows)


def word_diff(drift, old_raw: str, new_raw: str, color: bool):
    """Return a rich Text of one change in the original characters: context, [-old-]{+new+}, context."""
    from rich.text import Text

    before, old, new, after = _change(drift, old_raw, new_raw)
    text = Text(before)
    if old:
        text.append(old if color else f"[-{old}-]", style="bold red reverse" if color else "")
    if new:
        text.append(new if color else f"{{+{new}+}}", style="bold green reverse" if color else "")
    text.append(after)
    return text


def _side(Text, label: str, context) -> object:
    """Return a table cell: the place label, then the change in its context."""
    cell = Text(f"{label}: " if label else "", style="dim")
    cell.append_text(context)
    return cell


def _diff(console, result, paths: dict, color: bool) -> None:
    """Print the files compared, then each section's changes (a table when wide, word-diff blocks when narrow)."""
    from rich.text import Text

    old_name, new_name = paths.get(result.old.meta.path, result.old.meta.path), paths.get(result.new.meta.path, result.new.meta.path)
    console.print(Text(f"old: {old_name}  ({_describe(result.old.meta)})\nnew: {new_name}  ({_describe(result.new.meta)})"))
    by_section: dict[str, list] = {}
    for drift in result.drifts:
        by_section.setdefault(drift.section, []).append(drift)
    show = _diff_table if console.width >= _WIDE else _diff_blocks
    for section, drifts in by_section.items():
        show(console, result, section, drifts, (old_name, new_name), color)
    console.print(Text(_summary_line(result)))


def _describe(meta) -> str:
    """Return 'pdf, 6 pages' / 'web' / 'text' for a file header line."""
    return f"{meta.kind}, {meta.pages} pages" if meta.pages else meta.kind


def _labels(d) -> tuple[str, str]:
    """Return the old and new place labels of a drift."""
    from ..places import place_label

    return (place_label(d.old_line, d.old_page, d.old_page_line, d.old_source_line),
            place_label(d.new_line, d.new_page, d.new_page_line, d.new_source_line))


def _diff_table(console, result, section: str, drifts: list, names: tuple, color: bool) -> None:
    """Print one section's changes as a table: kind | old | new."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=section, title_justify="left", expand=True, show_lines=True)
    table.add_column("kind", no_wrap=True)
    table.add_column(f"old  {names[0]}", ratio=1, overflow="fold")
    table.add_column(f"new  {names[1]}", ratio=1, overflow="fold")
    old_raw, new_raw = result.old.raw.text, result.new.raw.text
    for d in drifts:
        old_side, new_side = _sides(d, old_raw, new_raw)
        old_label, new_label = _labels(d)
        table.add_row(_kind_cell(Text, d), _side(Text, old_label, _one_side(Text, *old_side, "-", color)),
                      _side(Text, new_label, _one_side(Text, *new_side, "+", color)))
    console.print(table)


def _kind_cell(Text, d):
    """Return the kind, with old → new values for a figure."""
    return Text(f"{d.kind}\n{d.old_value} → {d.new_value}" if d.kind == "figure" else d.kind)


def _one_side(Text, before: str, changed: str, after: str, sign: str, color: bool):
    """Return one side's context with its changed words marked (∅ where nothing stands)."""
    text = Text(before)
    style = ("bold red reverse" if sign == "-" else "bold green reverse") if color else ""
    closing = "-]" if sign == "-" else "+}"
    opening = "[-" if sign == "-" else "{+"
    text.append((changed if color else f"{opening}{changed}{closing}") if changed else "∅", style=style if changed else "dim")
    text.append(after)
    return text


def _diff_blocks(console, result, section: str, drifts: list, names: tuple, color: bool) -> None:
    """Print one section's changes as word-diff blocks (narrow terminals)."""
    from rich.text import Text

    console.print(Text(section, style="bold"))
    for d in drifts:
        old_label, new_label = _labels(d)
        head = f"  {d.kind}" + (f" {d.old_value} → {d.new_value}" if d.kind == "figure" else "")
        console.print(Text(f"{head}   old {old_label} · new {new_label}", style="dim" if color else ""))
        line = Text("    ")
        line.append_text(word_diff(d, result.old.raw.text, result.new.raw.text, color))
        console.print(line)


def _summary_line(result) -> str:
    """Return the one-line diff summary."""
    s = result.summary
    if not s["drifts"]:
        return "no drift: the two versions say the same"
    kinds = ", ".join(f"{s[k]} {k}" for k in ("changed", "added", "removed", "moved", "figure") if s[k])
    return f"{s['drifts']} drifts ({kinds}) in {len({d.section for d in result.drifts})} sections"


def _sections(console, result, paths: dict, color: bool) -> None:
    """Print the heading tree with roles and places in the file."""
    from rich.tree import Tree

    from ..places import Locator

    meta = result.report.meta
    locator = Locator(result.report.raw)
    tree = Tree(f"{meta.title or paths.get(meta.path, meta.path)}  [{meta.issuer or '?'}; {meta.year or '?'}; {meta.genre}]")
    for top in result.report.sections:
        _branch(tree, top, locator)
    console.print(tree)


def _branch(parent, section, locator) -> None:
    """Add a section and its children to a rich tree."""
    label = f"{section.number}{section.title}  ({section.role}"
    label += f", plan {section.plan_year})" if section.plan_year else ")"
    node = parent.add(f"{label}  {locator.label(section.line)}")
    for child in section.children:
        _branch(node, child, locator)


_STATUS_STYLE = {"reported": "green", "repeated": "yellow", "shortfall": "magenta", "missing": "red"}


def _followup(console, result, paths: dict, color: bool) -> None:
    """Print each commitment with its status and leading evidence."""
    from rich.table import Table
    from rich.text import Text

    from ..places import Locator

    plan = result.plan.meta
    locators = {r.meta.path: Locator(r.raw) for r in (result.plan, *result.later)}
    table = Table(title=f"follow-up of {plan.title or paths.get(plan.path, plan.path)}", expand=True, show_lines=True)
    for column, ratio in (("id", None), ("status", None), ("commitment", 2), ("evidence", 2)):
        table.add_column(column, ratio=ratio, overflow="fold", no_wrap=ratio is None)
    for item in result.items:
        status = f"{item.status} {item.confidence:.2f}" + (" (overdue)" if item.overdue else "")
        where = locators[plan.path].label(item.commitment.line)
        table.add_row(item.commitment.id, Text(status, style=_STATUS_STYLE[item.status]), f"{where} {item.commitment.text}",
                      _evidence(result, item, locators, paths))
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.summary.items()))


def _evidence(result, item, locators: dict, paths: dict) -> str:
    """Return the leading evidence of a commitment: role, file and place, score, text."""
    lead = item.evidence[0] if item.evidence else None
    text = "-"
    if lead:
        locator = locators.get(lead.doc)
        where = locator.label(lead.line) if locator else f"L{lead.line}"
        doc = f"{paths.get(lead.doc, lead.doc)} " if len(result.later) > 1 else ""
        text = f"[{lead.role} {doc}{where} {lead.score}] {lead.text}"
        if result.explain:
            text += f"\nterms: {', '.join(lead.terms)}"
    return f"{item.reason}\n{text}" if item.reason else text


_VERDICT_STYLE = {"met": "green", "missed": "magenta", "not-reported": "red"}


def _targets(console, result, paths: dict, color: bool) -> None:
    """Print each quantified target: planned vs realised, the verdict with its confidence and the evidence line."""
    from rich.table import Table
    from rich.text import Text

    plan = result.plan.meta
    table = Table(title=f"targets of {plan.title or paths.get(plan.path, plan.path)}", expand=True, show_lines=True)
    for column, ratio in (("id", None), ("indicator", 2), ("planned", 1), ("realised", 1), ("verdict", 1), ("evidence", 3)):
        table.add_column(column, ratio=ratio, overflow="fold", no_wrap=ratio is None)
    for row in result.items:
        t, a = row.target, row.answer
        planned = t.raw if t.modifier in ("=", "range") or t.modifier in t.raw else f"{t.modifier} {t.raw}"
        evidence = f"{paths.get(a.doc, a.doc)} L{a.line}: {a.text}" if a else "-"
        table.add_row(row.commitment_id, t.indicator or "(generic)", planned, a.figure.raw if a else "-",
                      Text(f"{row.verdict} {row.confidence:.2f}", style=_VERDICT_STYLE[row.verdict]), evidence)
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.summary.items()))


def _repeats(console, result, paths: dict, color: bool) -> None:
    """Print recurring indicators (with their series), carried-over commitments and template text apart."""
    from rich.table import Table

    groups = (("recurring-indicator", "recurring indicators: one indicator planned each year", "series"),
              ("carried-over", "carried-over commitments: the same commitment planned again", "members"))
    for kind, title, last in groups:
        rows = [r for r in result.repeats if r["kind"] == kind]
        if rows:
            table = Table(title=title, expand=True, show_lines=True)
            for column, ratio in (("region", None), ("years", None), ("text", 3), (last, 3)):
                table.add_column(column, ratio=ratio, overflow="fold", no_wrap=ratio is None)
            for r in rows:
                detail = ("; ".join(_series_cell(p, paths) for p in r["series"]) if kind == "recurring-indicator"
                          else "; ".join(f"{m['year']} {paths.get(m['doc'], m['doc'])} L{m['line']}" for m in r["members"]))
                table.add_row(r["region"], ", ".join(map(str, r["years"])), r["text"], detail)
            console.print(table)
    templates = [row for row in result.rows() if row["kind"] == "template-text"]
    if templates:
        table = Table(title="template text shared between regions", expand=True)
        for column in ("regions", "similarity", "text", "where"):
            table.add_column(column, overflow="fold")
        for row in templates:
            table.add_row(_cell(row["regions"]), _cell(row["similarity"]), row["text"], shorten(row["where"], paths))
        console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.to_dict()["summary"].items()))


def _series_cell(point: dict, paths: dict) -> str:
    """Return one year of an indicator series: planned target (file and line) and realised value."""
    where = f"{paths.get(point['doc'], point['doc'])} L{point['line']}"
    return f"{point['year']}: planned {point['planned']} ({where}), realised {point.get('realised') or '-'}"


def _align(console, result, paths: dict, color: bool) -> None:
    """Print one table per compared report: section ⇄ section, role, method, confidence."""
    from rich.table import Table

    base = result.base.meta
    for other, pairs in result.tables:
        names = (base.title or paths.get(base.path, base.path), other.meta.title or paths.get(other.meta.path, other.meta.path))
        table = Table(title=f"{names[0]}  ⇄  {names[1]}", expand=True)
        for column in ("A section", "role", "B section", "role ", "method", "conf."):
            table.add_column(column, overflow="fold")
        for pair in pairs:
            a, b = pair.old, pair.new
            table.add_row(f"L{a.line} {a.path}" if a else "-", a.role if a else "", f"L{b.line} {b.path}" if b else "-",
                          b.role if b else "", pair.method, f"{pair.similarity:.2f}" if a and b else "")
        console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in result.to_dict()["summary"].items()))


def _findings(console, result, paths: dict, color: bool) -> None:
    """Print one plain line per case finding (readable in CI logs), then the summary."""
    for row in result.rows():
        finding = f": {row['finding']}" if row.get("finding") else ""
        console.print(f"{row['case']}: {row['status']}{finding}", soft_wrap=True)
    summary = result.to_dict().get("summary")
    if summary:
        console.print(", ".join(f"{k}: {v}" for k, v in summary.items()))


def _generic(console, result, paths: dict, color: bool) -> None:
    """Print any result's rows as a table (document paths shortened) and its summary."""
    from rich.table import Table

    rows = list(result.rows())
    if rows:
        table = Table(title=getattr(result, "KIND", ""), expand=True, show_lines=False)
        for column in rows[0]:
            table.add_column(str(column), overflow="fold")
        for row in rows:
            table.add_row(*[shorten(_cell(row.get(c)), paths) for c in rows[0]])
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

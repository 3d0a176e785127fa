"""Self-contained HTML report of a corpus run (inline CSS, JS and SVG; no network)."""
from __future__ import annotations

import html
from collections import defaultdict

from .htmlout import PAGE_CSS, table_html

__all__ = ["to_html"]

_CSS = PAGE_CSS + """
h2{margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ccc;border-radius:6px;padding:6px 10px;min-width:90px}.card b{display:block;font-size:20px}
.card.bad b{color:#b3261e}#matrix td{text-align:center;min-width:44px}#matrix th:first-child,#matrix td:first-child{text-align:left}
.cell small{display:block;color:#444;font-size:11px}.report-only{color:#888}.timeline{margin:.4em 0 1em}
.badge{padding:1px 6px;border-radius:8px;font-size:12px;white-space:nowrap}.reported{background:#d7f5dd}
.repeated{background:#e8f0fe}.shortfall{background:#fff0c2}.missing{background:#ffe0e0}.muted{color:#777;font-size:12px}
.trends{display:flex;flex-wrap:wrap;gap:10px}.trend{border:1px solid #ddd;border-radius:6px;padding:4px 8px;width:230px;font-size:12px}
#tools{margin:.5em 0;display:flex;gap:8px;align-items:center}#filter{width:24em;padding:4px}td.t{max-width:34em}
"""
_JS = """(function(){var q=document.getElementById('filter'),s=document.getElementById('status'),n=document.getElementById('shown');
var rows=[].slice.call(document.querySelectorAll('#commitments tbody tr'));
function apply(){var t=q.value.trim().toLowerCase(),st=s.value,k=0;rows.forEach(function(r){
var ok=(!st||r.getAttribute('data-status')===st)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);
r.style.display=ok?'':'none';if(ok){k++;}});n.textContent=k+' / '+rows.length+' shown';}
q.addEventListener('input',apply);s.addEventListener('change',apply);apply();})();"""
_GENRE_COLOR = {"work-report": "#3867d6", "fazhi-report": "#20bf6b", "multi-year-plan": "#f7b731"}
_STATUSES = ("reported", "repeated", "shortfall", "missing")
_TRENDS_PER_REGION = 12


def _e(value: object) -> str:
    """Escape a value for HTML text ('' for None)."""
    return "" if value is None else html.escape(str(value))


def to_html(summary: dict, tables: dict) -> str:
    """Return the whole report page from summary.json data and the table rows."""
    parts = [
        _header(summary), _cut(tables.get("_cut", {})), _skipped(summary), _matrix(summary), _timelines(summary),
        _commitments(tables.get("followup", [])), _targets(tables.get("targets", [])), _drifts(tables.get("drifts", [])),
        _trends(summary), _ratios(tables.get("figures", [])), _repeats(tables.get("repeats", [])),
        _documents(tables.get("documents", [])),
    ]
    return (f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>comparer corpus report</title>"
            f"<style>{_CSS}</style></head><body>{''.join(parts)}<script>{_JS}</script></body></html>\n")


def _cut(totals: dict) -> str:
    """Return the note naming the tables this page lists only the first rows of (nothing when none)."""
    if not totals:
        return ""
    items = "".join(f"<li><code>{_e(name)}</code>: the first {shown:,} of {total:,} rows; all of them are in "
                    f"<code>{_e(name)}.csv</code> and <code>{_e(name)}.parquet</code></li>" for name, (shown, total) in totals.items())
    return f"<div id=cut><p>This page lists only the first rows of the largest tables:</p><ul>{items}</ul></div>"


def _header(summary: dict) -> str:
    """Return the title and the headline counts as cards."""
    counts, found = summary["counts"], summary["findings"]
    keys = ("documents", "skipped", "reports", "copies", "regions", "chains", "links", "commitments", "followed_up",
            "reported", "drifts", "figures", "ratio_failed", "indicators", "repeats")
    bad = {k for k, v in found.items() if v} | ({"skipped"} if counts["skipped"] else set())
    cards = "".join(f'<div class="card{" bad" if k in bad else ""}"><b>{counts.get(k, 0)}</b>{_e(k.replace("_", " "))}</div>' for k in keys)
    return (f"<h1>comparer corpus report</h1><p class=muted>{_e(summary['root'])} · engine {_e(summary['engine'])} · "
            f"exit code {summary['exit_code']}</p><div class=cards id=counts>{cards}</div>")


def _skipped(summary: dict) -> str:
    """Return the list of skipped files with reasons (nothing when none)."""
    if not summary["skipped"]:
        return ""
    items = "".join(f"<li><code>{_e(s['path'])}</code>: {_e(s['reason'])}</li>" for s in summary["skipped"])
    return f"<h2>Skipped files</h2><ul id=skipped>{items}</ul>"


def _matrix(summary: dict) -> str:
    """Return the issuer x year matrix of follow-up rates (reported share of each plan)."""
    years = summary["years"]
    head = "".join(f"<th>{y}</th>" for y in years)
    body = "".join(_matrix_row(chain, years) for chain in summary["chains"])
    note = ("<p class=muted>Each cell: share of the plan in that year's report(s) that the next report shows as done "
            "(reported / followed up). • = a report with no later report to follow it up.</p>")
    return f"<h2>Follow-up rate by issuer and year</h2>{note}<table id=matrix><thead><tr><th>issuer</th>{head}</tr></thead><tbody>{body}</tbody></table>"


def _matrix_row(chain: dict, years: list) -> str:
    """Return one matrix row: a chain's cells by plan year."""
    by_year = defaultdict(list)
    for link in chain["links"]:
        by_year[link["plan_year"]].append(link)
    present = {r["year"] for r in chain["reports"]}
    cells = "".join(_cell(by_year.get(y), y in present, chain["region"], y) for y in years)
    issuers = sorted({r["issuer"] or "?" for r in chain["reports"]})
    label = f"{_e(chain['region'])} <span class=muted>{_e(chain['family'])} · {_e('、'.join(issuers))}</span>"
    return f'<tr data-region="{_e(chain["region"])}"><td>{label}</td>{cells}</tr>'


def _cell(links, present: bool, region: str, year: int) -> str:
    """Return one matrix cell coloured by the reported share of the year's plan(s)."""
    if not links:
        return f'<td class=report-only title="{_e(region)} {year}: no follow-up">{"•" if present else ""}</td>'
    total = sum(link["commitments"] for link in links)
    counts = {s: sum(link[s] for link in links) for s in _STATUSES}
    share = counts["reported"] / total if total else 0.0
    later = ", ".join(str(y) for link in links for y in link["later_years"])
    tip = f"{region} plan {year} -> {later}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
    style = f"background:hsl({int(120 * share)},65%,82%)"
    return (f'<td class=cell data-year="{year}" style="{style}" title="{_e(tip)}">{share:.0%}'
            f"<small>{counts['reported']}/{total}</small></td>")


def _timelines(summary: dict) -> str:
    """Return one inline SVG timeline per chain: reports as dots, follow-up links as arcs."""
    years = summary["years"]
    if not years:
        return ""
    rows = "".join(_timeline(chain, years) for chain in summary["chains"])
    legend = " ".join(f'<span style="color:{c}">●</span> {g}' for g, c in _GENRE_COLOR.items())
    return f"<h2>Timelines</h2><p class=muted>{legend}; arcs: plan → later report, labelled with the reported share.</p>{rows}"


def _timeline(chain: dict, years: list) -> str:
    """Return the SVG timeline of one chain."""
    step, left, width = 62, 20, 40 + 62 * (len(years) - 1)
    x = {y: left + step * i for i, y in enumerate(years)}
    arcs = "".join(_arc(x, link) for link in chain["links"])
    dots = "".join(
        f'<circle cx="{x[r["year"]]}" cy="46" r="6" fill="{_GENRE_COLOR.get(r["genre"], "#999")}"><title>{_e(r["year"])} {_e(r["issuer"])}: {_e(r["doc"])}</title></circle>'
        for r in chain["reports"])
    labels = "".join(f'<text x="{x[y]}" y="66" font-size="10" text-anchor="middle">{y}</text>' for y in years)
    svg = f'<svg width="{width}" height="72" role="img" aria-label="timeline {_e(chain["region"])}">{arcs}{dots}{labels}</svg>'
    return f'<div class=timeline><b>{_e(chain["region"])}</b> <span class=muted>{_e(chain["family"])}</span><br>{svg}</div>'


def _arc(x: dict, link: dict) -> str:
    """Return one follow-up arc from the plan year to each later year."""
    out = []
    share = link["reported_share"] or 0.0
    for year in link["later_years"]:
        a, b = x[link["plan_year"]], x[year]
        mid, top = (a + b) / 2, max(4, 40 - (b - a) / 3)
        colour = f"hsl({int(120 * share)},60%,40%)"
        out.append(f'<path d="M{a},40 Q{mid},{top - 10} {b},40" fill="none" stroke="{colour}" stroke-width="2">'
                   f"<title>{link['plan_year']} → {year}: {share:.0%} reported</title></path>"
                   f'<text x="{mid}" y="{top - 1}" font-size="9" text-anchor="middle">{share:.0%}</text>')
    return "".join(out)


def _commitments(rows: list[dict]) -> str:
    """Return the filterable table of followed-up commitments with their evidence."""
    options = "".join(f"<option value={s}>{s}</option>" for s in _STATUSES)
    tools = (f'<div id=tools><input id=filter type=search placeholder="filter: words, region, year…">'
             f'<select id=status><option value="">all statuses</option>{options}</select><span id=shown class=muted></span></div>')
    body = "".join(_commitment_row(r) for r in rows)
    head = "<tr><th>region</th><th>plan</th><th>commitment</th><th>status (confidence)</th><th>evidence</th></tr>"
    return (f"<h2>Commitments followed up</h2>{_accuracy_note()}{tools}"
            f"<table id=commitments><thead>{head}</thead><tbody>{body}</tbody></table>")


def _accuracy_note() -> str:
    """Return the plain statement of how often a status is right, from the shipped model's evaluation."""
    from ..status_model import load_model

    accuracy = load_model().accuracy
    if not accuracy:
        return ""
    return (f"<p class=muted>How far to trust a status: on {accuracy['labelled']} hand-labelled commitments of "
            f"{accuracy['issuers']} issuers, the status was right {accuracy['leave_one_issuer_out']:.0%} of the time for an "
            f"issuer the model was not fitted on (leave-one-issuer-out; {accuracy['pooled']:.0%} with every issuer). "
            f"Read a status as a pointer to the evidence, not as a verdict; the confidence is the model's probability.</p>")


def _targets(rows: list[dict]) -> str:
    """Return every quantified target of the followed plans: planned vs realised, verdict, evidence line."""
    keep = ("region", "plan_year", "later_years", "indicator", "modifier", "raw", "verdict", "confidence", "realised_raw",
            "evidence_doc", "evidence_line", "evidence_text")
    table = table_html([{k: r.get(k) for k in keep} for r in rows], "verdict").replace("<table>", "<table id=targets>", 1)
    note = ("<p class=muted>A realised figure is shown only when its subject names the target's indicator specifically, "
            "in the same unit and of plausible magnitude; otherwise the target is not-reported (no value is guessed).</p>")
    return f"<h2>Quantified targets</h2>{note}{table}"


def _commitment_row(r: dict) -> str:
    """Return one commitment row with its status badge and leading evidence."""
    status = _e(r["status"])
    evidence = ""
    if r.get("evidence_text"):
        evidence = (f"{_e(r['evidence_text'])}<br><span class=muted>{_e(r['evidence_role'])} · {_e(r['evidence_doc'])}:"
                    f"{_e(r['evidence_line'])} · score {_e(r['score'])}</span>")
    reason = f"<br><span class=muted>{_e(r['reason'])}</span>" if r.get("reason") else ""
    plan = f"{_e(r['plan_year'])} → {_e(r['later_years'])}<br><span class=muted>{_e(r['plan_doc'])}:{_e(r['line'])}</span>"
    return (f'<tr class=c-row data-status="{status}"><td>{_e(r["region"])}</td><td>{plan}</td><td class=t>{_e(r["text"])}</td>'
            f'<td><span class="badge {status}">{status}</span> <span class=muted>{_confidence(r.get("confidence"))}</span>'
            f'{" overdue" if r.get("overdue") else ""}</td><td class=t>{evidence}{reason}</td></tr>')


def _confidence(value) -> str:
    """Return a confidence as two decimals ('' when unknown)."""
    return "" if value is None else f"{float(value):.2f}"


def _drifts(rows: list[dict]) -> str:
    """Return the drift list between copies of one report."""
    keep = ("group", "region", "year", "kind", "section", "old_doc", "old_line", "old_context", "new_doc", "new_line", "new_context")
    table = table_html([{k: r.get(k) for k in keep} for r in rows], "kind").replace("<table>", "<table id=drifts>", 1)
    return f"<h2>Drift between copies</h2>{table}"


def _trends(summary: dict) -> str:
    """Return small SVG charts of the indicators lined up across years, per region."""
    by_region = defaultdict(list)
    for series in summary["indicators"]:
        by_region[series["region"]].append(series)
    blocks = []
    for region, series in sorted(by_region.items()):
        best = sorted(series, key=lambda s: (-len(s["points"]), s["id"]))[:_TRENDS_PER_REGION]
        blocks.append(f"<h3>{_e(region)}</h3><div class=trends>{''.join(_sparkline(s) for s in best)}</div>")
    if not blocks:
        return "<h2>Figure trends</h2><p>No indicator found in two or more years.</p>"
    return f"<h2>Figure trends</h2><p class=muted>Results figures of the same indicator lined up across years (value year).</p>{''.join(blocks)}"


def _sparkline(series: dict) -> str:
    """Return one indicator as a small inline SVG line chart."""
    points = series["points"]
    values = [p["value"] for p in points]
    low, high = min(values), max(values)
    span_x, span_y = max(len(points) - 1, 1), (high - low) or 1.0
    coords = [(10 + 190 * i / span_x, 44 - 34 * (v - low) / span_y) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#3867d6"><title>{_e(p["year"])}: {_e(p["raw"])} ({_e(p["doc"])})</title></circle>'
                   for (x, y), p in zip(coords, points))
    first, last = points[0], points[-1]
    caption = f"{_e(first['year'])}: {_e(first['raw'])} → {_e(last['year'])}: {_e(last['raw'])}"
    svg = f'<svg width="210" height="50"><polyline points="{line}" fill="none" stroke="#3867d6" stroke-width="1.5"/>{dots}</svg>'
    return f'<div class=trend><b>{_e(series["subject"])}</b> <span class=muted>({_e(series["unit"])})</span>{svg}<div class=muted>{caption}</div></div>'


def _ratios(rows: list[dict]) -> str:
    """Return the stated rates that do not match the counts they come from."""
    failed = [{k: r[k] for k in ("doc", "line", "section", "subject", "raw", "computed_percent")} for r in rows if r.get("ratio_check") == "failed"]
    return f"<h2>Failed ratio checks</h2>{table_html(failed)}"


def _repeats(rows: list[dict]) -> str:
    """Return recurring indicators, carried-over commitments and template text as three tables."""
    parts = [("recurring-indicator", "Recurring indicators", "one indicator planned each year, with its targets and realised values"),
             ("carried-over", "Carried-over commitments", "the same commitment planned again in a later year"),
             ("template-text", "Template text shared between issuers", "near-identical sentences in reports of different regions")]
    out = ["<h2>Repeats</h2>"]
    for kind, title, note in parts:
        chosen = [{k: v for k, v in r.items() if k != "kind" and (k != "series" or kind == "recurring-indicator")}
                  for r in rows if r.get("kind") == kind]
        out.append(f"<h3>{title}</h3><p class=muted>{note}</p>{table_html(chosen)}")
    return "".join(out)


def _documents(rows: list[dict]) -> str:
    """Return the document list."""
    keep = ("path", "region", "issuer", "year", "genre", "kind", "group", "copy_of", "identified_by", "commitments", "figures")
    table = table_html([{k: r.get(k) for k in keep} for r in rows]).replace("<table>", "<table id=documents>", 1)
    return f"<h2>Documents</h2>{table}"

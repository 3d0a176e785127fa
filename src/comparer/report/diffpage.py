"""The diff page: both versions side by side (or inline), changed words highlighted in place.

Self-contained (inline CSS and a few lines of JS, no network) and readable in print. Text is shown
in the file's own characters (the extracted text `comparer text` prints), paragraph by paragraph as
comparer rebuilt them; rows pair the paragraphs that start at the same place of the word diff.
"""
from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional

from .paths import display_paths

__all__ = ["diff_page"]

_KINDS = ("changed", "added", "removed", "moved", "figure")
_NARROW_PX = 900  # below this window width the page opens inline (two columns of Chinese text get too narrow)

_CSS = """
:root{--del:#ffd7d5;--del-ink:#82071e;--ins:#ccffd8;--ins-ink:#055d20;--mov:#dbe9ff;--fig:#ffe58a;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}body{font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;
margin:0;color:#1f2328;line-height:1.7;font-size:15px}header.top{padding:12px 20px;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 6px}.files{border-collapse:collapse;font-size:13px}.files td{padding:1px 10px 1px 0}
.files .side{font-weight:bold}.muted{color:var(--muted);font-size:12px}.counts{margin:6px 0}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;margin-right:4px;border:1px solid var(--line)}
.badge.changed{background:var(--fig)}.badge.added{background:var(--ins)}.badge.removed{background:var(--del)}
.badge.moved{background:var(--mov)}.badge.figure{background:var(--fig);font-weight:bold}
.toolbar{position:sticky;top:0;z-index:2;background:#f6f8fa;border-bottom:1px solid var(--line);padding:6px 20px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.toolbar label{cursor:pointer}.toolbar button{font:inherit;padding:1px 10px}
section.box{margin:12px 20px;border:1px solid var(--line);border-radius:6px;padding:6px 12px}
section.box h2{font-size:16px;margin:4px 0}#changes ol{margin:0;padding-left:2.2em}#changes li{margin:4px 0}
#changes .sec{color:var(--muted);font-size:12px}#changes .wd{margin-left:0}#figures table{border-collapse:collapse;font-size:14px}
#figures td,#figures th{border-bottom:1px solid var(--line);padding:2px 10px 2px 0;text-align:left;vertical-align:top}
del,ins{text-decoration:none;border-radius:2px;padding:0 1px}del{background:var(--del);color:var(--del-ink);text-decoration:line-through}
ins{background:var(--ins);color:var(--ins-ink)}del.moved,ins.moved{background:var(--mov);color:#0a3069;text-decoration:none}
del.figure,ins.figure{font-weight:bold;outline:2px solid #d4a72c}.gap{display:inline-block;width:0;height:1em;border-left:3px solid #cf222e;vertical-align:middle;margin:0 1px}
.gap.ins{border-left-color:#1a7f37}#doc{margin:0 20px 40px}.colhead{display:grid;grid-template-columns:1fr 1fr;gap:0 16px;position:sticky;top:38px;z-index:1;background:#fff;border-bottom:2px solid var(--line);font-weight:bold;font-size:13px;padding:4px 0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 16px;border-bottom:1px solid #eee;padding:4px 0}
.row.changed{background:#fffbe6}.row:target,.row.current{outline:2px solid #0969da}.cell{min-width:0;overflow-wrap:anywhere}
.cell.empty{background:repeating-linear-gradient(135deg,#f6f8fa,#f6f8fa 6px,#fff 6px,#fff 12px)}
.cell p{margin:0 0 4px}.loc{display:block;color:var(--muted);font-size:11px;font-family:monospace;line-height:1.3}
.cell h2,.cell h3,.cell h4,.cell h5{margin:10px 0 2px;line-height:1.4}.cell h2{font-size:18px}.cell h3{font-size:16px}.cell h4,.cell h5{font-size:15px}
.cell.inl{display:none}body.inline .colhead{grid-template-columns:1fr}body.inline .colhead .o{display:none}
body.inline .row{grid-template-columns:1fr}body.inline .row.changed .cell.old,body.inline .row.changed .cell.new{display:none}
body.inline .row.changed .cell.inl{display:block}body.inline .row:not(.changed) .cell.old{display:none}
body.inline .row.only-old .cell.old{display:block}body.inline .row.only-old .cell.new{display:none}
@media print{.toolbar{display:none}.colhead{position:static}body{font-size:11pt}.row{break-inside:avoid}
.row.changed{background:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;text-decoration:none}}
"""
_JS = """(function(){var b=document.body,m=document.querySelectorAll('input[name=view]');
function set(v){b.classList.toggle('inline',v==='inline');b.classList.toggle('sbs',v!=='inline');m.forEach(function(r){r.checked=r.value===v;});}
m.forEach(function(r){r.addEventListener('change',function(){set(r.value);});});
set(window.innerWidth<%d?'inline':'sbs');
var rows=[].slice.call(document.querySelectorAll('.row.changed')),at=-1;
function go(step){if(!rows.length)return;at=(at+step+rows.length)%%rows.length;rows.forEach(function(r){r.classList.remove('current');});
rows[at].classList.add('current');rows[at].scrollIntoView({block:'center'});}
document.getElementById('next').addEventListener('click',function(){go(1);});
document.getElementById('prev').addEventListener('click',function(){go(-1);});
if(location.hash){var t=document.getElementById(location.hash.slice(1));if(t){var r=t.closest('.row');
if(r){at=rows.indexOf(r);r.classList.add('current');}t.scrollIntoView({block:'center'});}}
document.addEventListener('keydown',function(e){if(e.target.tagName==='INPUT')return;if(e.key==='n'||e.key==='j')go(1);if(e.key==='p'||e.key==='k')go(-1);});
})();""" % _NARROW_PX


@dataclass
class _Para:
    """One paragraph of one side: the raw line pieces it shows and where it starts in the word-diff stream."""

    pieces: list[tuple[int, int]]
    stream: Optional[int]
    heading: Optional[int]
    label: str
    marks: list = field(default_factory=list)  # (start, end, drift number)


def _e(value: object) -> str:
    """Escape a value for HTML ('' for None)."""
    return "" if value is None else html.escape(str(value))


def diff_page(result) -> str:
    """Return the whole HTML page of a DiffResult."""
    from ..places import Locator

    shown = display_paths(result.to_dict())
    old_loc, new_loc = Locator(result.old.raw), Locator(result.new.raw)
    old_paras, new_paras = _paragraphs(result.old, old_loc), _paragraphs(result.new, new_loc)
    _attach(old_paras, [d.old_span for d in result.drifts])
    _attach(new_paras, [d.new_span for d in result.drifts])
    rows = _rows(old_paras, new_paras, result.hunks)
    names = (shown.get(result.old.meta.path, result.old.meta.path), shown.get(result.new.meta.path, result.new.meta.path))
    body = [_header(result, names), _toolbar(), _figures(result), _changes(result), _document(result, rows, names)]
    title = f"comparer diff: {names[0]} → {names[1]}"
    return (f"<!doctype html><html lang=zh><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body class=sbs>{''.join(body)}<script>{_JS}</script></body></html>\n")


# ---- paragraphs and rows ------------------------------------------------------------------------


def _paragraphs(report, locator) -> list[_Para]:
    """Return the paragraphs of a report (normalised lines) as pieces of its extracted text."""
    from ..places import line_starts
    from ..stream import build_stream

    norm, stream = report.norm, build_stream(report)
    starts, raw_ends = line_starts(norm.text), _line_ends(locator)
    headings = {s.start: s for s in report.all_sections() if s.level != "inline"}
    paras = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(norm.text)
        first, last = max(bisect_right(norm.seg_starts, start) - 1, 0), bisect_left(norm.seg_starts, end)
        lines = sorted(set(norm.seg_lines[first:max(last, first + 1)]))
        pieces = [(locator.starts[n - 1], raw_ends[n - 1]) for n in lines if n <= len(raw_ends)]
        section = headings.get(start)
        heading = section.level if section and isinstance(section.level, int) and section.body_start >= end else None
        paras.append(_Para(pieces, _stream_start(stream, start, end), heading, locator.label(lines[0]) if lines else ""))
    return paras


def _line_ends(locator) -> list[int]:
    """Return the offset after the last character of each line (its newline excluded)."""
    starts, size = locator.starts, len(locator.raw.text)
    return [starts[i + 1] - 1 for i in range(len(starts) - 1)] + [size]


def _stream_start(stream, start: int, end: int) -> Optional[int]:
    """Return the stream offset of the first compared character of a paragraph (None when it has none)."""
    run = bisect_left(stream.norm_starts, start)
    if run < len(stream.norm_starts) and stream.norm_starts[run] < end:
        return stream.starts[run]
    return None


def _attach(paras: list[_Para], spans: list) -> None:
    """Give each paragraph the drift spans that fall in it (a gap belongs to the paragraph it ends or starts)."""
    firsts = [p.pieces[0][0] if p.pieces else -1 for p in paras]
    for number, span in enumerate(spans, start=1):
        if not span:
            continue
        index = max(bisect_right(firsts, span[0]) - 1, 0)
        while index < len(paras) and (firsts[index] <= span[1] or not paras[index].pieces):
            para = paras[index]
            if para.pieces and _touches(para.pieces, span):
                para.marks.append((span[0], span[1], number))
                if span[0] == span[1]:
                    break
            index += 1


def _touches(pieces: list, span: tuple) -> bool:
    """Return True when a span overlaps a paragraph's pieces (an empty span: lies within one)."""
    start, end = span
    if start == end:
        return any(a <= start <= b for a, b in pieces)
    return any(a < end and start < b for a, b in pieces)


def _rows(old: list[_Para], new: list[_Para], hunks) -> list[tuple[list[_Para], list[_Para]]]:
    """Pair paragraphs: a row starts wherever an old and a new paragraph start at the same place of the diff."""
    to_new = _mapper(hunks)
    new_at = {p.stream: j for j, p in enumerate(new) if p.stream is not None}
    syncs, last_j = [(0, 0)], 0
    for i, para in enumerate(old):
        j = new_at.get(to_new(para.stream)) if para.stream is not None else None
        if j is not None and j > last_j and i > syncs[-1][0]:
            syncs.append((i, j))
            last_j = j
    syncs.append((len(old), len(new)))
    return [(old[i0:i1], new[j0:j1]) for (i0, j0), (i1, j1) in zip(syncs, syncs[1:]) if i1 > i0 or j1 > j0]


def _mapper(hunks):
    """Return a function taking an old stream offset to the new one (None inside changed old text)."""
    starts = [h.a0 for h in hunks]

    def to_new(offset: int) -> Optional[int]:
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        hunk = hunks[index]
        return None if offset < hunk.a1 else offset - hunk.a1 + hunk.b1

    return to_new


# ---- rendering ----------------------------------------------------------------------------------


def _header(result, names: tuple) -> str:
    """Return the title, the two files and the counts by kind."""
    rows = "".join(f"<tr><td class=side>{side}</td><td><code>{_e(name)}</code></td><td class=muted>{_e(_describe(report.meta))}</td></tr>"
                   for side, name, report in (("old", names[0], result.old), ("new", names[1], result.new)))
    summary = result.summary
    badges = "".join(f"<span class='badge {k}'>{summary[k]} {k}</span>" for k in _KINDS if summary.get(k))
    total = f"{summary['drifts']} change{'s' * (summary['drifts'] != 1)}" if summary["drifts"] else "no drift: the two versions say the same"
    sections = ", ".join(f"{n} {s}" for s, n in summary.get("sections", {}).items() if n)
    return (f"<header class=top><h1>comparer diff</h1><table class=files>{rows}</table>"
            f"<div class=counts id=counts><b>{_e(total)}</b> {badges} <span class=muted>sections: {_e(sections)}</span></div></header>")


def _describe(meta) -> str:
    """Return a file's kind, pages, title, issuer and year in one line."""
    parts = [meta.kind + (f", {meta.pages} pages" if meta.pages else ""), meta.title, meta.issuer, str(meta.year) if meta.year else None]
    return " · ".join(p for p in parts if p)


def _toolbar() -> str:
    """Return the view switch and change navigation."""
    return ("<div class=toolbar><b>view</b><label><input type=radio name=view value=sbs checked> side by side</label>"
            "<label><input type=radio name=view value=inline> inline</label>"
            "<button id=prev title='previous change (p)'>↑ previous</button><button id=next title='next change (n)'>↓ next</button>"
            "<span class=muted>keys n / p</span></div>")


def _where(d) -> str:
    """Return 'old p.1 L19 · new p.1 L18' for a drift."""
    from ..places import place_label

    old = place_label(d.old_line, d.old_page, d.old_page_line, d.old_source_line)
    new = place_label(d.new_line, d.new_page, d.new_page_line, d.new_source_line)
    return f"old {old} · new {new}"


def _word_diff(d, result) -> str:
    """Return the change in a line: context, <del>old</del><ins>new</ins>, context (the file's own characters)."""
    from .change import change_parts

    before, old, new, after = change_parts(d, result.old.raw.text, result.new.raw.text)
    cls = f" class={d.kind}" if d.kind in ("moved", "figure") else ""
    middle = (f"<del{cls}>{_e(old)}</del>" if old else "") + (f"<ins{cls}>{_e(new)}</ins>" if new else "")
    return f"{_e(before)}{middle}{_e(after)}"


def _figures(result) -> str:
    """Return the call-out of changed figures (nothing when none)."""
    figures = [(n, d) for n, d in enumerate(result.drifts, start=1) if d.kind == "figure"]
    if not figures:
        return ""
    rows = "".join(f"<tr><td><a href='#d{n}'>#{n}</a></td><td><del class=figure>{_e(d.old_value)}</del> → <ins class=figure>{_e(d.new_value)}</ins></td>"
                   f"<td>{_word_diff(d, result)}</td><td class=muted>{_e(d.section)}<br>{_e(_where(d))}</td></tr>" for n, d in figures)
    return (f"<section class=box id=figures><h2>Figures changed ({len(figures)})</h2>"
            f"<table><thead><tr><th></th><th>old → new</th><th>in the text</th><th>where</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _changes(result) -> str:
    """Return the numbered list of changes, each linking to its place in the texts."""
    if not result.drifts:
        return "<section class=box id=changes><h2>Changes</h2><p>No drift: after normalisation the two versions say the same.</p></section>"
    items = "".join(f"<li class={d.kind}><a href='#d{n}'><span class='badge {d.kind}'>{d.kind}</span></a> <span class=sec>{_e(d.section)} · {_e(_where(d))}</span>"
                    f"<div class=wd>{_word_diff(d, result)}</div></li>" for n, d in enumerate(result.drifts, start=1))
    return f"<section class=box id=changes><h2>Changes ({len(result.drifts)})</h2><ol>{items}</ol></section>"


def _document(result, rows: list, names: tuple) -> str:
    """Return both texts, row by row, with the changes marked in place."""
    old_raw, new_raw = result.old.raw.text, result.new.raw.text
    removed_whole = {n for old, new in rows if old and not new for p in old for *_, n in p.marks}
    head = f"<div class=colhead><div class=o>old · {_e(names[0])}</div><div class=n>new · {_e(names[1])}</div></div>"
    out = [head]
    seen: set = set()
    for index, (old, new) in enumerate(rows):
        changed = any(p.marks for p in old + new)
        css = "row" + (" changed" if changed else "") + (" only-old" if old and not new else "")
        cells = (_cell("old", old, old_raw, result.drifts, "del", seen) + _cell("new", new, new_raw, result.drifts, "ins", seen))
        if changed and new:
            cells += _cell("inl", new, new_raw, result.drifts, "ins", None, removed_whole)
        out.append(f"<div class='{css}' id=r{index + 1}>{cells}</div>")
    return f"<main id=doc>{''.join(out)}</main>"


def _cell(side: str, paras: list[_Para], raw: str, drifts, tag: str, seen: Optional[set], skip_inline: set = frozenset()) -> str:
    """Return one cell: its paragraphs with marks; the inline cell also shows the old words before the new."""
    if not paras:
        return f"<div class='cell {side} empty'></div>"
    inline = side == "inl"
    body = "".join(_paragraph(p, raw, drifts, tag, seen, inline, skip_inline) for p in paras)
    return f"<div class='cell {side}'>{body}</div>"


def _paragraph(para: _Para, raw: str, drifts, tag: str, seen: Optional[set], inline: bool, skip_inline: set) -> str:
    """Return one paragraph (a heading as hN) with its place label and marked changes."""
    text = _marked(para, raw, drifts, tag, seen, inline, skip_inline)
    label = f"<span class=loc>{_e(para.label)}</span>"
    if para.heading:
        level = min(para.heading + 1, 5)
        return f"{label}<h{level}>{text}</h{level}>"
    return f"{label}<p>{text}</p>"


def _marked(para: _Para, raw: str, drifts, tag: str, seen: Optional[set], inline: bool, skip_inline: set) -> str:
    """Return a paragraph's pieces joined, each change wrapped in del/ins (a gap as a thin bar)."""
    out, previous = [], ""
    for start, end in para.pieces:
        piece = _piece(raw, start, end, sorted(para.marks), drifts, tag, seen, inline, skip_inline)
        text = raw[start:end]
        if previous and text and previous[-1:].isascii() and previous[-1:].isalnum() and text[:1].isascii() and text[:1].isalnum():
            out.append(" ")
        out.append(piece)
        previous = text.rstrip() or previous
    return "".join(out)


def _piece(raw: str, start: int, end: int, marks: list, drifts, tag: str, seen: Optional[set], inline: bool, skip_inline: set) -> str:
    """Return one line of raw text with the marks that fall in it."""
    out, position = [], start
    for mark_start, mark_end, number in marks:
        if mark_end < start or mark_start > end or (mark_start == mark_end and not start <= mark_start <= end):
            continue
        a, b = max(mark_start, start), min(mark_end, end)
        if a < position:
            continue
        out.append(_text(raw[position:a]))
        drift = drifts[number - 1]
        anchor = ""
        if seen is not None and number not in seen:
            seen.add(number)
            anchor = f" id=d{number}"
        if inline and a == mark_start and number not in skip_inline:
            old = drift.old_original if drift.old_original is not None else drift.old_text
            out.append(f"<del class={drift.kind}>{_text(old)}</del>" if old else "")
        if mark_start == mark_end:
            out.append(f"<span class='gap {tag}'{anchor} title='{_e(drift.kind)} here (#{number})'></span>")
        else:
            out.append(f"<{tag} class={drift.kind}{anchor} title='#{number} {_e(drift.kind)}'>{_text(raw[a:b])}</{tag}>")
        position = b
    out.append(_text(raw[position:end]))
    return "".join(out)


def _text(text: str) -> str:
    """Escape raw text for HTML (page-break marks and line breaks removed)."""
    return html.escape(text.replace("\f", "").replace("\n", ""))

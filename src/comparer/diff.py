"""Find drift between two versions of a report, placed in both original files."""
from __future__ import annotations

import re
from dataclasses import field
from itertools import accumulate, repeat
from operator import add
from typing import Optional

from .align import align_sections
from .engine import diff_chars, diff_tokens
from .models import Drift, Report, SectionPair, notices_of
from .options import DEFAULT
from .places import Locator
from .stream import Stream, build_stream
from .tokens import NUMBER, words_and_bounds
from .record import record

__all__ = ["DiffResult", "diff_reports", "Hunk", "drift_dict"]

_CONTEXT = 12
_MOVE_MIN_CHARS = 6
_HAN = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0002ebef"), ("\U0002f800", "\U0002fa1f"))


@record
class Hunk:
    """A run of changed tokens: old stream [a0, a1) replaced by new stream [b0, b1)."""

    a0: int
    a1: int
    b0: int
    b1: int


@record
class DiffResult:
    """Everything `comparer diff` reports; owns the exit code."""

    old: Report
    new: Report
    pairs: tuple[SectionPair, ...]
    drifts: tuple[Drift, ...]
    engine: str = ""
    summary: dict = field(default_factory=dict)
    hunks: tuple[Hunk, ...] = ()  # changed runs in stream offsets (build_stream), for renderers that align the texts

    KIND = "diff"
    SCHEMA = "comparer.diff/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the two versions (see models.Notice)."""
        return notices_of([self.old, self.new])

    @property
    def exit_code(self) -> int:
        """Return 0 when the versions say the same, 1 when drift was found."""
        return 1 if self.drifts else 0

    def to_dict(self) -> dict:
        """Return the comparer.diff/1 JSON form."""
        return {
            "schema": self.SCHEMA,
            "old": self.old.meta.to_dict(),
            "new": self.new.meta.to_dict(),
            "engine": self.engine,
            "sections": [_pair_dict(p) for p in self.pairs],
            "drifts": [drift_dict(d) for d in self.drifts],
            "summary": self.summary,
        }

    def rows(self) -> list[dict]:
        """Return one flat row per drift."""
        return [drift_dict(d) for d in self.drifts]


def diff_reports(old: Report, new: Report, engine: Optional[str] = None) -> DiffResult:
    """Compare two parsed reports and return drifts and section pairs."""
    from .engine import engine_name

    old_side, new_side = _Side(old, build_stream(old), Locator(old.raw)), _Side(new, build_stream(new), Locator(new.raw))
    hunks = _hunks(old_side.stream.text, new_side.stream.text, engine)
    drifts = _pair_moves([_drift(h, old_side, new_side) for h in hunks])
    pairs = align_sections(old, new, drifts)
    return DiffResult(old, new, tuple(pairs), tuple(drifts), engine or engine_name(), _summary(drifts, pairs), tuple(hunks))


def _hunks(old_text: str, new_text: str, engine: Optional[str]) -> list[Hunk]:
    """Diff two texts word by word and return the changed runs in character offsets.

    A character diff first finds where the texts differ; only those stretches, widened to
    word boundaries both texts share, are cut into words and diffed again word by word. Words
    are never cut where the texts are equal (most of a long document), and jieba is loaded only
    when a changed stretch holds Chinese words (a changed figure needs none).
    """
    hunks = []
    for a0, a1, b0, b1 in _windows(old_text, new_text, engine):
        a, old_bounds = words_and_bounds(old_text[a0:a1])
        b, new_bounds = words_and_bounds(new_text[b0:b1])
        for i0, i1, j0, j1 in _token_runs(diff_tokens(a, b, engine)):
            i0, i1, j0, j1 = _trim_common(a, b, i0, i1, j0, j1)
            hunks.append(Hunk(a0 + old_bounds[i0], a0 + old_bounds[i1], b0 + new_bounds[j0], b0 + new_bounds[j1]))
    return hunks


def _windows(old_text: str, new_text: str, engine: Optional[str]) -> list[tuple[int, int, int, int]]:
    """Return the stretches (old start, old end, new start, new end) that hold every change, at word boundaries.

    Each change of the character diff is widened into the equal text around it to the nearest
    position where both texts have a word boundary whatever the words around (a change of
    script, punctuation); stretches that meet or stand close are joined, so the word diff sees
    neighbouring changes together, as it would on the whole text.
    """
    changes = list(_changes(old_text, new_text, engine))
    windows: list[list[int]] = []
    for k, (a0, a1, b0, b1) in enumerate(changes):
        left = changes[k - 1][1] if k else 0  # the common text before this change starts here (old side)
        right = changes[k + 1][0] if k + 1 < len(changes) else len(old_text)
        back = _widen(old_text, new_text, a0, b0, max(a0 - left, 0), -1)
        ahead = _widen(old_text, new_text, a1, b1, max(right - a1, 0), 1)
        window = [a0 - back, a1 + ahead, b0 - back, b1 + ahead]
        if windows and window[0] - windows[-1][1] <= DEFAULT.diff.window_merge * max(_size(windows[-1]), _size(window)):
            windows[-1][1], windows[-1][3] = window[1], window[3]
        else:
            windows.append(window)
    return [tuple(w) for w in windows]


def _changes(old_text: str, new_text: str, engine: Optional[str]):
    """Yield the character changes (a0, a1, b0, b1): sentences diffed first, characters only inside changed ones."""
    a, old_starts = _sentences(old_text)
    b, new_starts = _sentences(new_text)
    for i0, i1, j0, j1 in _token_runs(diff_tokens(a, b, engine)):
        a0, a1, b0, b1 = old_starts[i0], old_starts[i1], new_starts[j0], new_starts[j1]
        if max(a1 - a0, b1 - b0) > DEFAULT.diff.character_diff_max:  # a rewrite: the word diff does it at half the length
            yield a0, a1, b0, b1
            continue
        for c0, c1, d0, d1 in _token_runs(diff_chars(old_text[a0:a1], new_text[b0:b1], engine)):
            yield a0 + c0, a0 + c1, b0 + d0, b0 + d1


def _sentences(text: str) -> tuple[list[str], list[int]]:
    """Return the sentences of text (cut after each 。, which they lose) and where each starts and the text ends."""
    sentences = text.split("。")
    starts = list(accumulate(map(add, map(len, sentences), repeat(1)), initial=0))
    starts[-1] = len(text)
    sentences[-1] += "\x00"  # the last piece has no 。 after it: never the same as an inner piece
    return sentences, starts


def _size(window: list[int]) -> int:
    """Return the larger side of a window, in characters."""
    return max(window[1] - window[0], window[3] - window[2])


def _widen(old_text: str, new_text: str, a: int, b: int, room: int, step: int) -> int:
    """Return how far to move from (a, b) into the common text (at most room) to reach a word boundary of both."""
    distance = 0
    while distance < room and not (_boundary(old_text, a + step * distance) and _boundary(new_text, b + step * distance)):
        distance += 1
    return distance


def _is_han(ch: str) -> bool:
    """Return True for a character jieba counts as hanzi (its blocks of CJK ideographs)."""
    return any(low <= ch <= high for low, high in _HAN)


def _boundary(text: str, position: int) -> bool:
    """Return True when the words of text left and right of position never depend on the other side."""
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    if before.isascii() != after.isascii():
        return True  # numbers, ASCII words and runs of Chinese are cut apart first
    if not before.isascii():
        return not (_is_han(before) and _is_han(after))  # jieba cuts at every character that is not a hanzi
    if before == "%" or (not before.isalnum() and before not in ".,") or (not after.isalnum() and after not in ".,%"):
        return True
    return before.isalpha() != after.isalpha()


def _token_runs(ops: list[tuple[str, int]]):
    """Yield (i0, i1, j0, j1) token ranges of each run of non-equal operations."""
    i = j = 0
    open_at = None
    for op, count in ops + [("=", 0)]:
        if op == "=":
            if open_at is not None:
                yield open_at[0], i, open_at[1], j
                open_at = None
            i, j = i + count, j + count
        else:
            open_at = open_at or (i, j)
            i, j = (i + count, j) if op == "-" else (i, j + count)


def _trim_common(a, b, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int, int, int]:
    """Drop tokens that a run shares at its start and end on both sides."""
    while i0 < i1 and j0 < j1 and a[i0] == b[j0]:
        i0, j0 = i0 + 1, j0 + 1
    while i0 < i1 and j0 < j1 and a[i1 - 1] == b[j1 - 1]:
        i1, j1 = i1 - 1, j1 - 1
    return i0, i1, j0, j1


def _kind(old_text: str, new_text: str) -> tuple[str, Optional[str], Optional[str]]:
    """Classify a change; a figure change carries its old and new value."""
    if not old_text:
        return "added", None, None
    if not new_text:
        return "removed", None, None
    old_numbers, new_numbers = NUMBER.findall(old_text), NUMBER.findall(new_text)
    same_words = NUMBER.sub("#", old_text) == NUMBER.sub("#", new_text)
    if old_numbers and same_words and old_numbers != new_numbers:
        changed = [(o, n) for o, n in zip(old_numbers, new_numbers) if o != n]
        return "figure", ", ".join(o for o, _ in changed), ", ".join(n for _, n in changed)
    return "changed", None, None


@record
class _Side:
    """One version being compared: its report, comparable stream and locator in the original text."""

    report: Report
    stream: Stream
    locator: Locator


@record
class _Place:
    """Where one side of a change stands in its file."""

    line: int
    section: str
    page: Optional[int] = None
    page_line: Optional[int] = None
    source_line: Optional[int] = None
    span: Optional[tuple[int, int]] = None
    original: Optional[str] = None


def _drift(h: Hunk, old: _Side, new: _Side) -> Drift:
    """Describe one hunk: kind, changed words, context, sections and places in both original files."""
    a, b = old.stream.text[h.a0:h.a1], new.stream.text[h.b0:h.b1]
    kind, old_value, new_value = _kind(a, b)
    o, n = _place(old, h.a0, h.a1), _place(new, h.b0, h.b1)
    return Drift(
        kind=kind, section=n.section or o.section or "(preamble)", old_text=a, new_text=b,
        old_line=o.line, new_line=n.line,
        old_context=_context(old.stream.text, h.a0, h.a1), new_context=_context(new.stream.text, h.b0, h.b1),
        old_value=old_value, new_value=new_value, old_page=o.page, new_page=n.page,
        old_section=o.section, new_section=n.section, old_page_line=o.page_line, new_page_line=n.page_line,
        old_source_line=o.source_line, new_source_line=n.source_line, old_original=o.original,
        new_original=n.original, old_span=o.span, new_span=n.span,
    )


def _place(side: _Side, start: int, end: int) -> _Place:
    """Return the place of stream text [start, end): line, section, page line, source line, original characters."""
    # An empty side is placed on the character before the gap: the line the text left or joined.
    anchor = start if end > start or not start else start - 1
    line, section = _line_and_section(side, anchor)
    first = _line_and_section(side, max(start - _CONTEXT, 0))[0] if end == start else line
    last = _line_and_section(side, max(end - 1, start))[0]
    text = side.stream.text
    span = side.locator.span(first, max(last, line), text[start:end], text[max(0, start - _CONTEXT):start], text[end:end + _CONTEXT])
    raw = side.report.raw
    span_line = side.locator.line_of(span[0]) if span and end > start else line
    source = raw.source_line_at(span[0]) if span and raw.source_lines else None
    return _Place(span_line, section, raw.page_of(span_line), raw.page_line(span_line), source, span, side.locator.original(span))


def _line_and_section(side: _Side, index: int) -> tuple[int, str]:
    """Return (original line, section path) of a stream position."""
    index = min(index, max(len(side.stream.text) - 1, 0))
    offset = side.stream.to_norm(index)
    section = side.report.section_at(offset)
    return side.report.norm.line_at(offset), section.path if section else ""


def _context(text: str, start: int, end: int) -> str:
    """Return the change with a little text either side, the change in brackets."""
    return f"{text[max(0, start - _CONTEXT):start]}[{text[start:end]}]{text[end:end + _CONTEXT]}"


def _pair_moves(drifts: list[Drift]) -> list[Drift]:
    """Merge a removed run and an added run with the same text into one 'moved' drift."""
    added: dict[str, int] = {}
    for i, drift in enumerate(drifts):
        if drift.kind == "added" and len(drift.new_text) >= _MOVE_MIN_CHARS:
            added.setdefault(drift.new_text, i)
    partner: dict[int, int] = {}
    for i, drift in enumerate(drifts):
        j = added.pop(drift.old_text, None) if drift.kind == "removed" else None
        if j is not None:
            partner[i] = j
    taken = set(partner.values())
    return [_moved(d, drifts[partner[i]]) if i in partner else d for i, d in enumerate(drifts) if i not in taken]


def _moved(removed: Drift, added: Drift) -> Drift:
    """Return one drift saying text moved from one place to another."""
    return Drift(
        kind="moved", section=added.section, old_text=removed.old_text, new_text=added.new_text,
        old_line=removed.old_line, new_line=added.new_line, old_context=removed.old_context,
        new_context=added.new_context, old_page=removed.old_page, new_page=added.new_page,
        old_section=removed.old_section, new_section=added.new_section, old_page_line=removed.old_page_line,
        new_page_line=added.new_page_line, old_source_line=removed.old_source_line, new_source_line=added.new_source_line,
        old_original=removed.old_original, new_original=added.new_original, old_span=removed.old_span, new_span=added.new_span,
    )


def drift_dict(d: Drift) -> dict:
    """Return one drift as a flat dict (JSON and CSV share it)."""
    return {
        "kind": d.kind, "section": d.section, "old_text": d.old_text, "new_text": d.new_text,
        "old_line": d.old_line, "new_line": d.new_line, "old_value": d.old_value, "new_value": d.new_value,
        "old_context": d.old_context, "new_context": d.new_context, "old_page": d.old_page,
        "new_page": d.new_page, "old_section": d.old_section, "new_section": d.new_section,
        "old_page_line": d.old_page_line, "new_page_line": d.new_page_line,
        "old_source_line": d.old_source_line, "new_source_line": d.new_source_line,
        "old_original": d.old_original, "new_original": d.new_original,
        "old_span": list(d.old_span) if d.old_span else None, "new_span": list(d.new_span) if d.new_span else None,
    }


def _pair_dict(p: SectionPair) -> dict:
    """Return one section pair as a dict."""
    return {
        "old_path": p.old.path if p.old else None, "new_path": p.new.path if p.new else None,
        "old_line": p.old.line if p.old else None, "new_line": p.new.line if p.new else None,
        "status": p.status, "similarity": p.similarity, "method": p.method,
    }


def _summary(drifts: list[Drift], pairs: list[SectionPair]) -> dict:
    """Count drifts by kind and sections by status."""
    counts = {"drifts": len(drifts)}
    for kind in ("changed", "added", "removed", "moved", "figure"):
        counts[kind] = sum(1 for d in drifts if d.kind == kind)
    counts["sections"] = {s: sum(1 for p in pairs if p.status == s) for s in ("same", "changed", "added", "removed", "moved")}
    return counts

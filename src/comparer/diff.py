"""Find drift between two versions of a report, placed in both original files."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .align import align_sections
from .engine import diff_encoded
from .models import Drift, Report, SectionPair
from .stream import Stream, build_stream
from .tokens import NUMBER, encode_text

__all__ = ["DiffResult", "diff_reports", "Hunk", "drift_dict"]

_CONTEXT = 12
_MOVE_MIN_CHARS = 6


@dataclass(frozen=True)
class Hunk:
    """A run of changed tokens: old stream [a0, a1) replaced by new stream [b0, b1)."""

    a0: int
    a1: int
    b0: int
    b1: int


@dataclass(frozen=True)
class DiffResult:
    """Everything `comparer diff` reports; owns the exit code."""

    old: Report
    new: Report
    pairs: tuple[SectionPair, ...]
    drifts: tuple[Drift, ...]
    engine: str = ""
    summary: dict = field(default_factory=dict)

    KIND = "diff"
    SCHEMA = "comparer.diff/1"

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

    old_stream, new_stream = build_stream(old), build_stream(new)
    hunks = _hunks(old_stream.text, new_stream.text, engine)
    drifts = _pair_moves([_drift(h, old, new, old_stream, new_stream) for h in hunks])
    pairs = align_sections(old, new, drifts)
    return DiffResult(old, new, tuple(pairs), tuple(drifts), engine or engine_name(), _summary(drifts, pairs))


def _hunks(old_text: str, new_text: str, engine: Optional[str]) -> list[Hunk]:
    """Diff two texts word by word and return the changed runs in character offsets."""
    import numpy as np

    codes: dict[str, int] = {}  # token -> id, shared so equal words get equal characters
    a, old_starts = encode_text(old_text, codes)
    b, new_starts = encode_text(new_text, codes)
    del codes
    old_bounds = np.append(old_starts, len(old_text))
    new_bounds = np.append(new_starts, len(new_text))
    hunks = []
    for i0, i1, j0, j1 in _token_runs(diff_encoded(a, b, engine)):
        i0, i1, j0, j1 = _trim_common(a, b, i0, i1, j0, j1)
        hunks.append(Hunk(int(old_bounds[i0]), int(old_bounds[i1]), int(new_bounds[j0]), int(new_bounds[j1])))
    return hunks


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


def _drift(h: Hunk, old: Report, new: Report, old_stream: Stream, new_stream: Stream) -> Drift:
    """Describe one hunk: kind, changed words, context, sections and original lines."""
    a0, a1, b0, b1 = h.a0, h.a1, h.b0, h.b1
    a, b = old_stream.text[a0:a1], new_stream.text[b0:b1]
    kind, old_value, new_value = _kind(a, b)
    # An empty side is placed on the character before the gap: the line the text left or joined.
    old_place = _place(old, old_stream, a0 if a or not a0 else a0 - 1)
    new_place = _place(new, new_stream, b0 if b or not b0 else b0 - 1)
    return Drift(
        kind=kind, section=new_place[1] or old_place[1] or "(preamble)", old_text=a, new_text=b,
        old_line=old_place[0], new_line=new_place[0],
        old_context=_context(old_stream.text, a0, a1), new_context=_context(new_stream.text, b0, b1),
        old_value=old_value, new_value=new_value,
        old_page=old.raw.page_of(old_place[0]), new_page=new.raw.page_of(new_place[0]),
        old_section=old_place[1], new_section=new_place[1],
    )


def _place(report: Report, stream: Stream, index: int) -> tuple[int, str]:
    """Return (original line, section path) of a stream position."""
    index = min(index, max(len(stream.text) - 1, 0))
    offset = stream.to_norm(index)
    section = report.section_at(offset)
    return report.norm.line_at(offset), section.path if section else ""


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
        old_section=removed.old_section, new_section=added.new_section,
    )


def drift_dict(d: Drift) -> dict:
    """Return one drift as a flat dict (JSON and CSV share it)."""
    return {
        "kind": d.kind, "section": d.section, "old_text": d.old_text, "new_text": d.new_text,
        "old_line": d.old_line, "new_line": d.new_line, "old_value": d.old_value, "new_value": d.new_value,
        "old_context": d.old_context, "new_context": d.new_context, "old_page": d.old_page,
        "new_page": d.new_page, "old_section": d.old_section, "new_section": d.new_section,
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

"""The comparable text of a report: body and titles without heading numbers or line breaks."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from .models import Report
from .record import record

__all__ = ["Stream", "build_stream"]


@record
class Stream:
    """Concatenated comparable text with a map back to normalized offsets."""

    text: str
    starts: tuple[int, ...]  # stream offset where each kept run begins
    norm_starts: tuple[int, ...]  # normalized offset of the same run

    def to_norm(self, index: int) -> int:
        """Return the normalized offset of stream character index."""
        if not self.starts:
            return 0
        run = max(bisect_right(self.starts, index) - 1, 0)
        return self.norm_starts[run] + (index - self.starts[run])


def build_stream(report: Report, start: int = 0, end: int | None = None) -> Stream:
    """Return the comparable text of report between two normalized offsets."""
    text = report.norm.text
    end = len(text) if end is None else end
    cuts = sorted((s.start, s.start + len(s.number)) for s in report.all_sections() if s.level != "inline" and s.number)
    runs = [run for gap in _gaps(start, end, cuts) for run in _line_runs(text, *gap)]
    pieces = [text[run_start:run_end] for run_start, run_end in runs]
    starts = tuple(accumulate(map(len, pieces[:-1]), initial=0)) if pieces else ()
    return Stream("".join(pieces), starts, tuple(run_start for run_start, _ in runs))


def _gaps(start: int, end: int, cuts: list[tuple[int, int]]):
    """Yield the (start, end) stretches of [start, end) outside the heading numbers."""
    position = start
    for cut_start, cut_end in cuts + [(end, end)]:
        if cut_end <= position or cut_start > end:
            continue
        if min(cut_start, end) > position:
            yield position, min(cut_start, end)
        position = max(position, cut_end)


def _line_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the non-empty runs between newlines in text[start:end]."""
    lines = text[start:end].split("\n")
    offsets = accumulate((len(line) + 1 for line in lines[:-1]), initial=start)
    return [(offset, offset + len(line)) for offset, line in zip(offsets, lines) if line]

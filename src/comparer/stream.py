"""The comparable text of a report: body and titles without heading numbers or line breaks."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .models import Report

__all__ = ["Stream", "build_stream"]


@dataclass(frozen=True)
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
    pieces, starts, norm_starts, length = [], [], [], 0
    for run_start, run_end in _kept_runs(text, start, end, cuts):
        piece = text[run_start:run_end]
        if piece:
            pieces.append(piece)
            starts.append(length)
            norm_starts.append(run_start)
            length += len(piece)
    return Stream("".join(pieces), tuple(starts), tuple(norm_starts))


def _kept_runs(text: str, start: int, end: int, cuts: list[tuple[int, int]]):
    """Yield (start, end) runs of text that are neither line breaks nor heading numbers."""
    position = start
    for cut_start, cut_end in cuts + [(end, end)]:
        if cut_end <= position or cut_start > end:
            continue
        yield from _split_lines(text, position, min(cut_start, end))
        position = max(position, cut_end)


def _split_lines(text: str, start: int, end: int):
    """Yield the runs between newlines in text[start:end]."""
    while start < end:
        newline = text.find("\n", start, end)
        stop = end if newline < 0 else newline
        yield start, stop
        start = stop + 1

"""Find a change in its original file: the characters as written, their offsets and line.

Normalised text folds widths and quotes and drops spaces, so the words a drift reports may not
be searchable in the file. A Locator finds them again in the extracted text (what `comparer
text` prints) by comparing folded, space-free characters within the lines the change came from.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

from .models import RawDocument

__all__ = ["Locator", "line_starts", "place_label"]

_NEWLINE = re.compile("\n")
_ANCHOR = 8  # characters matched at each end of a span whose middle differs (a page break, a running header)
_HINT = 6  # context characters used to choose between repeated occurrences


def line_starts(text: str) -> list[int]:
    """Return the offset where each line of text starts (index 0 is line 1)."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def place_label(line: Optional[int], page: Optional[int] = None, page_line: Optional[int] = None,
                source_line: Optional[int] = None) -> str:
    """Return a place as a person finds it: 'p.3 L18' (PDF), 'src L42' (HTML page source), else 'L25'."""
    if line is None:
        return ""
    if page and page_line:
        return f"p.{page} L{page_line}"
    return f"src L{source_line}" if source_line else f"L{line}"


class Locator:
    """Map folded text back to the characters of one document's extracted text."""

    def __init__(self, raw: RawDocument):
        self.raw = raw
        self.starts = line_starts(raw.text)

    def line_of(self, offset: int) -> int:
        """Return the 1-based line holding a character offset of the extracted text."""
        return bisect_right(self.starts, offset)

    def label(self, line: int) -> str:
        """Return the place label of a line of the extracted text (see place_label)."""
        raw = self.raw
        line = min(max(line, 1), len(self.starts))
        source = raw.source_line_at(self.starts[line - 1]) if raw.source_lines else None
        return place_label(line, raw.page_of(line), raw.page_line(line), source)

    def span(self, first_line: int, last_line: int, target: str, before: str = "", after: str = "") -> Optional[tuple[int, int]]:
        """Return [start, end) of target in lines first..last (an empty target: the gap after `before`)."""
        for reach in (0, 2):
            window = self._window(first_line - reach, last_line + reach)
            found = self._find(window, _squeeze(target), _squeeze(before), _squeeze(after))
            if found is not None:
                return found
        return None

    def original(self, span: Optional[tuple[int, int]]) -> Optional[str]:
        """Return the characters of a span as written (page-break marks removed)."""
        return None if span is None else self.raw.text[span[0]:span[1]].replace("\f", "")

    def _window(self, first_line: int, last_line: int) -> tuple[int, str, list[int]]:
        """Return (offset, folded space-free text, index of each folded character) of a run of lines."""
        from .normalize import fold, folds_one_for_one

        first = min(max(first_line, 1), len(self.starts))
        last = min(max(last_line, first), len(self.starts))
        start = self.starts[first - 1]
        end = self.starts[last] - 1 if last < len(self.starts) else len(self.raw.text)
        segment = self.raw.text[start:end]
        if not folds_one_for_one(segment):  # some character folds into several or none
            return start, *_folded_index(segment)
        folded = fold(segment)
        chars, index = [], []
        for run in re.finditer(r"\S+", folded):  # one for one: positions carry over, runs at a time
            chars.append(run.group())
            index.extend(range(run.start(), run.end()))
        return start, "".join(chars), index

    def _find(self, window, target: str, before: str, after: str) -> Optional[tuple[int, int]]:
        """Return the span of target in a window, using the context to choose an occurrence."""
        offset, text, index = window
        if not target:
            return self._gap(window, before, after)
        hits = _occurrences(text, target)
        if hits:
            hit = _choose(text, hits, before)
            return offset + index[hit], offset + index[hit + len(target) - 1] + 1
        if len(target) <= 2 * _ANCHOR:
            return None
        head = _choose(text, _occurrences(text, target[:_ANCHOR]), before) if target[:_ANCHOR] in text else None
        tail = text.find(target[-_ANCHOR:], head) if head is not None else -1
        if tail < 0:
            return None
        return offset + index[head], offset + index[tail + _ANCHOR - 1] + 1

    def _gap(self, window, before: str, after: str) -> Optional[tuple[int, int]]:
        """Return the empty span where deleted text stood: after its context, else before the next words."""
        offset, text, index = window
        hint = before[-_HINT:]
        if hint and hint in text:
            end = text.rfind(hint) + len(hint) - 1
            return (offset + index[end] + 1,) * 2
        hint = after[:_HINT]
        if hint and hint in text:
            return (offset + index[text.find(hint)],) * 2
        return None


def _squeeze(text: str) -> str:
    """Return text without whitespace (normalised text keeps a space between Latin words)."""
    return "".join(text.split())


def _occurrences(text: str, target: str) -> list[int]:
    """Return every start of target in text."""
    hits, position = [], text.find(target)
    while position >= 0:
        hits.append(position)
        position = text.find(target, position + 1)
    return hits


def _choose(text: str, hits: list[int], before: str) -> int:
    """Return the occurrence preceded by the context (the first one when none is)."""
    hint = before[-_HINT:]
    return next((hit for hit in hits if hint and text[max(0, hit - len(hint)):hit] == hint), hits[0])


def _folded_index(segment: str) -> tuple[str, list[int]]:
    """Return the folded, space-free text of segment and the position each of its characters comes from."""
    from .normalize import fold

    chars, index = [], []
    for position, char in enumerate(segment):
        for folded in fold(char):
            if not folded.isspace():
                chars.append(folded)
                index.append(position)
    return "".join(chars), index

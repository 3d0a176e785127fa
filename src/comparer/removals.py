"""Decide which lines of a text are not the report's: page numbers, running headers, web footers.

Every rule removes only the lines it matches, never "everything after": a footer line in the
middle of a document, or a file holding several reports, loses nothing else. Page numbers
need evidence (a page break, or a run of consecutive numbers a page apart), so a table cell
on its own line ("2" of M2, "10" of PM10) stays. The removed lines become `Dropped` records.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import accumulate

from .models import Dropped
from .options import DEFAULT

__all__ = ["find_removals", "dropped_runs", "FOOTER_TEXTS"]

_STRONG_PAGE = re.compile(r"-\d{1,4}-|第\d{1,4}页(?:,?共\d{1,4}页)?")  # a page number whatever its place
_WEAK_PAGE = re.compile(r"(\d{1,4})(?:/\d{1,4})?")  # a page number only with evidence
# Footer lines of government portals and of Wikisource, matched whole (after folding).
_FOOTER_LINE = re.compile(
    r"\[?我要纠错\]?(?:责任编辑:[^。;!?]{0,20})?|责任编辑:[^。;!?]{0,20}|扫一扫在手机打开当前页|本作品在全世界都属于公有领域[^\n]{0,80}"
)
# Footers broken over several lines (Wikisource renders links as lines of their own): a run of
# lines is one of them when the run joined is a prefix of the text and covers its first clause.
FOOTER_TEXTS = (
    "本作品是中华人民共和国的法律、法规,国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件,"
    "及其官方正式译文。根据《中华人民共和国著作权法》第五条第一项,本作品不适用于该法,在中国大陆,也可能在其他管辖区,属于公有领域。",
    "注:中文维基文库社群认为,中华人民共和国公务演讲,不总是具有立法、行政、司法性质的文件。",
)
_FOOTER_FIRST = frozenset("[我责扫本注")  # first characters of the footers above (a cheap filter)
# Lines that are footer only next to a footer (with blank lines between): licence-box labels, share links.
_FOOTER_SATELLITE = re.compile(r"Public domain|false|true|分享到:?|打印本页|关闭窗口|\[打印\]|\[关闭\]", re.IGNORECASE)


def find_removals(texts: list[str], page_breaks: list[int], heading: re.Pattern, ends_sentence) -> dict[int, str]:
    """Return {line index: rule} for the folded, squeezed lines that are page furniture or footers."""
    removed = {i: "page-number" for i in _page_numbers(texts, page_breaks)}
    boundaries = set(removed) | set(page_breaks)
    removed.update((i, "running-header") for i in _running_lines(texts, boundaries, heading, ends_sentence) if i not in removed)
    removed.update((i, "web-footer") for i in _footer_lines(texts) if i not in removed)
    return removed


def _page_numbers(texts: list[str], page_breaks: list[int]) -> set[int]:
    """Return the lines that are page numbers: marked as such, at a page break, or in a page run."""
    found, weak = set(), []
    edges = _page_edges(texts, page_breaks)
    for index, text in enumerate(texts):
        if not text or len(text) > 13 or not (text[0].isdigit() or text[0] in "-第"):
            continue
        if _STRONG_PAGE.fullmatch(text):
            found.add(index)
        elif (weak_match := _WEAK_PAGE.fullmatch(text)) is not None:
            if index in edges:
                found.add(index)
            else:
                weak.append((index, int(weak_match.group(1))))
    return found | _page_runs(texts, weak)


def _page_edges(texts: list[str], page_breaks: list[int]) -> set[int]:
    """Return the first and last non-empty line of every page (pages end at form feeds)."""
    if not page_breaks:
        return set()
    edges, start = set(), 0
    for end in [*page_breaks, len(texts) - 1]:
        filled = [i for i in range(start, end + 1) if texts[i]]
        edges.update(filled[:1] + filled[-1:])
        start = end + 1
    return edges


def _page_runs(texts: list[str], weak: list[tuple[int, int]]) -> set[int]:
    """Return the weak page-number lines that form runs of consecutive numbers a page apart.

    Runs are taken until none is left, so the lines kept hold no run: normalising the result
    again finds none either (idempotence).
    """
    if len(weak) < DEFAULT.normalize.page_run_min:
        return set()
    offsets = [0, *accumulate(map(len, texts))]
    found: set[int] = set()
    while True:
        runs = [run for run in _chains([w for w in weak if w[0] not in found]) if _is_page_run(run, offsets)]
        if not runs:
            return found
        found.update(index for run in runs for index in run)


def _chains(numbers: list[tuple[int, int]]) -> list[list[int]]:
    """Group (line, value) in reading order into chains of consecutive values (1, 2, 3 …)."""
    chains: list[list[int]] = []
    waiting: dict[int, int] = {}  # value a chain expects next -> chain index
    for index, value in numbers:
        chain = waiting.pop(value, None)
        if chain is None:
            chain = len(chains)
            chains.append([])
        chains[chain].append(index)
        waiting[value + 1] = chain
    return chains


def _is_page_run(run: list[int], offsets: list[int]) -> bool:
    """Return True for a chain long enough whose numbers stand a page's worth of text apart."""
    options = DEFAULT.normalize
    if len(run) < options.page_run_min:
        return False
    gaps = sorted(offsets[b] - offsets[a + 1] for a, b in zip(run, run[1:]))
    middle = len(gaps) // 2
    median = gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2
    return median >= options.page_run_min_chars


def _running_lines(texts: list[str], boundaries: set[int], heading: re.Pattern, ends_sentence) -> set[int]:
    """Return the short lines that recur next to 2+ page breaks (running headers and footers)."""
    if not boundaries:
        return set()
    near: dict[str, set[int]] = {}
    for boundary in sorted(boundaries):
        for index in _neighbours(texts, boundary):
            near.setdefault(texts[index], set()).add(index)
    counts = Counter(texts)
    # Only the occurrences at page breaks go: the same words elsewhere (a signature) stay.
    return {
        i for text, indices in near.items()
        if len(indices) >= 2 and counts[text] >= 2 and _may_be_running(text, heading, ends_sentence)
        for i in indices
    }


def _may_be_running(text: str, heading: re.Pattern, ends_sentence) -> bool:
    """Return True for a line short and open enough to be a running header."""
    return len(text) <= 40 and not ends_sentence(text) and not heading.match(text)


def _neighbours(texts: list[str], index: int) -> list[int]:
    """Return the indices of the nearest non-empty line on each side of a line."""
    found = []
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(texts) and not texts[position]:
            position += step
        if 0 <= position < len(texts):
            found.append(position)
    return found


def _footer_lines(texts: list[str]) -> set[int]:
    """Return the lines of every footer block: footer lines, multi-line footers and their labels."""
    core: set[int] = set()
    for index, text in enumerate(texts):
        if text[:1] in _FOOTER_FIRST and index not in core:
            core.update(_footer_at(texts, index))
    found = set(core)
    for index in sorted(core):
        found.update(_satellites(texts, index, -1))
        found.update(_satellites(texts, index, 1))
    return found


def _footer_at(texts: list[str], index: int) -> list[int]:
    """Return the lines of the footer starting at a line (empty when none starts there)."""
    text = texts[index]
    if _FOOTER_LINE.fullmatch(text):
        return [index]
    for footer in FOOTER_TEXTS:
        if footer.startswith(text):
            return _footer_run(texts, index, footer)
    return []


def _footer_run(texts: list[str], index: int, footer: str) -> list[int]:
    """Return the lines from index whose joined text is a prefix of footer, if long enough."""
    taken, joined = [index], texts[index]
    position = index + 1
    while position < len(texts) and len(joined) < len(footer):
        if texts[position] and not footer.startswith(joined + texts[position]):
            break
        joined += texts[position]
        if texts[position]:
            taken.append(position)
        position += 1
    return taken if len(joined) >= DEFAULT.normalize.footer_head else []


def _satellites(texts: list[str], index: int, step: int) -> list[int]:
    """Return the footer labels next to a footer line (blank lines between them allowed)."""
    found, position = [], index + step
    while 0 <= position < len(texts):
        text = texts[position]
        if text and not _FOOTER_SATELLITE.fullmatch(text):
            break
        if text:
            found.append(position)
        position += step
    return found


def dropped_runs(removed: dict[int, str], texts: list[str], original) -> tuple[Dropped, ...]:
    """Group removed lines into runs (same rule, only blank lines between) and describe each.

    original(i) returns original line i as written (before folding).
    """
    runs: list[list[int]] = []
    for index in sorted(removed):
        previous = runs[-1][-1] if runs else None
        joins = previous is not None and removed[previous] == removed[index] and not any(texts[previous + 1 : index])
        if joins:
            runs[-1].append(index)
        else:
            runs.append([index])
    described = []
    for run in runs:
        lines = [original(i).strip() for i in run]
        chars = sum(len("".join(line.split())) for line in lines)
        described.append(Dropped(removed[run[0]], run[0] + 1, run[-1] + 1, chars, "\n".join(lines)))
    return tuple(described)

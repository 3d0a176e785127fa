"""Turn raw report text into canonical paragraphs, keeping a map to original lines.

The function is pure and idempotent: normalize(normalize(x).text).text == normalize(x).text.
Folding and whitespace work on the whole text at once (a few C-level passes); what is
removed besides whitespace (page numbers, running headers, footers: see removals.py) is kept
in `Normalized.dropped`, and a share of CJK characters above the warning threshold becomes
a warning in `Normalized.warnings`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Optional

from .models import Normalized, Notice
from .options import DEFAULT
from .patterns import STABLE_MARKS, cjk_count, foldable_chars, replace_chars
from .removals import dropped_runs, find_removals
from .record import record

__all__ = ["normalize", "fold", "folds_one_for_one", "display_width", "FOLD_TABLE", "HEADING_START", "NormalizeResult"]

# Circled numbers are list markers; NFKC would turn them into bare digits.
_PROTECTED = frozenset(chr(c) for c in range(0x2460, 0x2474))
# Deliberate folding beyond NFKC: quote styles, dash styles and angle brackets
# differ between PDF and web copies of the same report and carry no meaning.
FOLD_TABLE = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "〝": '"', "〞": '"', "「": '"', "」": '"',
    "『": '"', "』": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'",
    "—": "-", "–": "-", "―": "-", "‒": "-", "−": "-", "‐": "-", "‑": "-", "─": "-",
    "〈": "<", "〉": ">", "﹤": "<", "﹥": ">",
    "•": "·", "●": "·", "・": "·", "‧": "·", "∙": "·",
    "〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]",
    "﹐": ",", "﹑": "、", "､": "、", "｡": "。", "．": ".",
}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATE = str.maketrans(FOLD_TABLE) | _ZERO_WIDTH
_HEADING_SPILL = 8  # characters a wrapped heading title may spill onto its next line
_TERMINAL = set("。;!?:；！？：")
_CLOSERS = "\"')]}>》」』】”’）"
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|\([一二三四五六七八九十百]+\)|\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条编部分])"
)


class _FoldMap(dict):
    """Character -> its folded form, computed the first time the character is seen."""

    def __missing__(self, ch: str) -> str:
        folded = ch if ch in _PROTECTED or ch < "\u00a0" else unicodedata.normalize("NFKC", ch)
        self[ch] = folded = folded.translate(_TRANSLATE)
        return folded


_FOLDED = _FoldMap()
_SPACE_RUN = re.compile("  *")  # after _squeeze turned every whitespace but the line break into " "
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_WIDE = "[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]"  # characters whose width must be looked up (PDF text only)


def fold(text: str) -> str:
    """Fold width forms, quote and dash styles; drop zero-width characters."""
    if len(text) == 1:  # callers that fold character by character (places.py)
        return _FOLDED[text]
    return "".join(map(_FOLDED.__getitem__, text))


def folds_one_for_one(text: str) -> bool:
    """Return True when fold turns every character of text into exactly one character."""
    return all(map(_ONE_FOR_ONE.__getitem__, set(text)))


class _OneForOne(dict):
    """Character -> whether fold gives exactly one character, computed the first time it is seen."""

    def __missing__(self, ch: str) -> bool:
        self[ch] = single = len(_FOLDED[ch]) == 1
        return single


_ONE_FOR_ONE = _OneForOne()


def display_width(text: str) -> int:
    """Return the terminal width of text (wide CJK characters count 2)."""
    return sum(map(_WIDTHS.__getitem__, text))


class _WidthMap(dict):
    """Character -> terminal width (2 for wide and full-width characters), cached."""

    def __missing__(self, ch: str) -> int:
        self[ch] = width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_WIDTHS = _WidthMap()


@dataclass
class _Line:
    """A line being rebuilt from wrapped PDF lines."""

    text: str
    segs: list = field(default_factory=list)  # [(offset, original line)]
    width: int = 0  # display width


def normalize(raw: str) -> Normalized:
    """Return canonical paragraphs of raw text with the original line of every character."""
    rules: Counter = Counter()
    source = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    originals = source.split("\n")
    _count_line_rules(originals, rules)
    folded, spaces = _fold_text(source, rules)
    texts = _squeeze(folded, spaces, rules).split("\n")
    page_breaks = [i for i, line in enumerate(originals) if "\f" in line] if "\f" in source else []
    removed = find_removals(texts, page_breaks, HEADING_START, _ends_sentence)
    rules.update(removed.values())
    dropped = dropped_runs(removed, texts, originals.__getitem__)
    kept = [i for i, t in enumerate(texts) if t and i not in removed]
    lines = [texts[i] for i in kept]
    warnings = _loss_warnings(dropped, source)
    if not _looks_hard_wrapped(lines):
        return _assemble_lines(lines, kept, rules, dropped, warnings)
    return _assemble(_rewrap_all(lines, kept, rules), rules, dropped, warnings)


def _count_line_rules(originals: list[str], rules: Counter) -> None:
    """Count lines that start with spaces and lines of whitespace only."""
    for line in originals:
        if line[:1].isspace():
            rules["blank-line" if line.isspace() else "leading-space"] += 1


def _fold_text(source: str, rules: Counter) -> tuple[str, str]:
    """Fold the whole text at once (each distinct character that folds is replaced everywhere).

    Return the folded text and the whitespace characters other than the line break it holds:
    every character that may fold or is whitespace is among patterns.foldable_chars, so a
    report's bulk (ideographs, ASCII letters and digits) is never looked at one by one.
    """
    candidates = foldable_chars(source)
    folded, changed = replace_chars(source, candidates, _FOLDED)
    counts = Counter(candidates) if changed else {}
    rules["width-fold"] += sum(counts[ch] for ch in changed)
    spaces = {c for ch in set(candidates) for c in _FOLDED[ch] if c != "\n" and c.isspace()}
    return folded, "".join(sorted(spaces))


def _squeeze(text: str, spaces: str, rules: Counter) -> str:
    """Drop whitespace (the characters in spaces) except one space between two ASCII letters or digits; line breaks stay."""
    inside = kept = 0

    def squeeze(match: re.Match) -> str:
        nonlocal inside, kept
        start, end = match.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        if before == "\n" or after == "\n":
            return ""  # spaces that start or end a line
        inside += end - start
        if before in _ALNUM and after in _ALNUM:
            kept += 1
            return " "
        return ""

    # Every run is replaced whole, so its characters may all be " " first; a pattern that starts
    # with a literal lets the regex engine jump from space to space (35x faster than [^\S\n]+).
    for space in spaces.replace(" ", ""):
        text = text.replace(space, " ")
    squeezed = _SPACE_RUN.sub(squeeze, text) if spaces else text
    rules["cjk-space"] += inside - kept
    return squeezed


def _loss_warnings(dropped, source: str) -> tuple[str, ...]:
    """Return a warning when the removed lines hold more than the allowed share of the source's CJK characters."""
    lost = sum(cjk_count(run.text) for run in dropped)
    if not lost:
        return ()
    source_cjk = _source_cjk(source)
    if lost <= DEFAULT.normalize.warn_dropped_cjk * source_cjk:
        return ()
    by_rule: Counter = Counter()
    for run in dropped:
        by_rule[run.rule] += cjk_count(run.text)
    detail = ", ".join(f"{rule} {count}" for rule, count in by_rule.most_common() if count)
    return (f"normalisation dropped {lost / source_cjk:.1%} of its CJK characters ({detail}; see comparer normalize --explain)",)


def _source_cjk(source: str) -> int:
    """Return the number of CJK ideographs of source: its non-ASCII characters neither foldable nor 、。《》.

    patterns.cjk_count would encode the whole text and count 13 byte patterns in it; the
    foldable characters are at hand (the scan _fold_text made).
    """
    non_ascii = len(source) - len(source.encode("ascii", "ignore"))
    foldable = sum(ch > "\x7f" for ch in foldable_chars(source))
    return non_ascii - foldable - sum(map(source.count, STABLE_MARKS))


def _looks_hard_wrapped(texts: list[str], widths: Optional[list[int]] = None) -> bool:
    """Return True when many lines share one width and stop mid-sentence (PDF text)."""
    if len(texts) < 6:
        return False
    open_ended = len(texts) - sum(map(_ends_sentence, texts))
    if open_ended < 0.3 * len(texts):
        return False
    widths = widths or _display_widths(texts)
    full = _wrap_width(widths)
    near = sum(1 for w in widths if 0.85 * full <= w <= 1.1 * full)
    return near >= 0.4 * len(widths)


def _display_widths(texts: list[str]) -> list[int]:
    """Return the display width of every line (2 for each wide character), in a few C-level calls per line."""
    narrow = [ch for ch in set(re.findall(_NOT_WIDE, "".join(texts))) if _WIDTHS[ch] == 1]  # ·, ①, × …
    widths = [2 * len(text) - len(text.encode("ascii", "ignore")) for text in texts]  # every other character counts 2
    if narrow:
        widths = [width - sum(map(text.count, narrow)) for width, text in zip(widths, texts)]
    return widths


def _wrap_width(widths: list[int]) -> int:
    """Return the width a hard-wrapped text breaks at (upper quartile of widths)."""
    ordered = sorted(widths)
    return ordered[(3 * len(ordered)) // 4]


def _ends_sentence(text: str) -> bool:
    """Return True when text ends with a sentence or clause terminator."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _rewrap_all(texts: list[str], numbers: list[int], rules: Counter) -> list[_Line]:
    """Join hand-wrapped lines back into paragraphs, pass after pass until nothing joins."""
    lines = [_Line(text, [(0, number + 1)], width) for text, number, width in zip(texts, numbers, _display_widths(texts))]
    while True:
        joined = _rewrap(lines, rules)
        if len(joined) == len(lines):
            return lines
        lines = joined


def _rewrap(lines: list[_Line], rules: Counter) -> list[_Line]:
    """Join hand-wrapped lines back into paragraphs (one pass)."""
    widths = [line.width for line in lines]
    if not _looks_hard_wrapped([line.text for line in lines], widths):
        return lines
    full = _wrap_width(widths)
    out: list[_Line] = []
    for line in lines:
        previous = out[-1] if out else None
        if previous is not None and _continues(previous, line, full):
            shift = len(previous.text)
            previous.text += line.text
            previous.width += line.width
            previous.segs.extend((offset + shift, number) for offset, number in line.segs)
            rules["rewrap"] += 1
        else:
            out.append(_Line(line.text, list(line.segs), line.width))
    return out


def _continues(previous: _Line, current: _Line, full: int) -> bool:
    """Return True when current is the wrapped continuation of previous."""
    if _ends_sentence(previous.text) or HEADING_START.match(current.text):
        return False
    if previous.width < 0.8 * full:
        return False
    if HEADING_START.match(previous.text) and not re.search(r"[。;!?]", previous.text):
        return _continues_heading(current, full)
    return True


def _continues_heading(current: _Line, full: int) -> bool:
    """Return True when a full-width heading line spills onto current.

    A title-only heading line and a wrapped heading look alike; a wrapped one
    ends on the next line either as a short line or within a few characters.
    """
    if current.width < 0.8 * full and not _ends_sentence(current.text):
        return True
    stop = re.search(r"[。;!?]", current.text)
    return stop is not None and stop.start() <= _HEADING_SPILL


def _assemble_lines(texts: list[str], numbers: list[int], rules: Counter, dropped: tuple, warnings: tuple[str, ...]) -> Normalized:
    """Join lines that need no rewrapping: one segment per line."""
    starts = [0, *accumulate(len(text) + 1 for text in texts[:-1])] if texts else []
    return Normalized(text="\n".join(texts), seg_starts=tuple(starts), seg_lines=tuple(n + 1 for n in numbers),
                      rules=tuple(sorted(rules.items())), dropped=dropped, warnings=warnings)


def _assemble(lines: list[_Line], rules: Counter, dropped: tuple, warnings: tuple[str, ...]) -> Normalized:
    """Join paragraphs with newlines and flatten the segment map."""
    starts: list[int] = []
    numbers: list[int] = []
    offset = 0
    for line in lines:
        for seg_offset, number in line.segs:
            starts.append(offset + seg_offset)
            numbers.append(number)
        offset += len(line.text) + 1
    text = "\n".join(line.text for line in lines)
    return Normalized(text=text, seg_starts=tuple(starts), seg_lines=tuple(numbers), rules=tuple(sorted(rules.items())),
                      dropped=dropped, warnings=warnings)


_RULE_HELP = {
    "width-fold": "full-width/compatibility characters, quote and dash styles folded",
    "cjk-space": "spaces between CJK characters, digits and punctuation removed",
    "leading-space": "lines starting with spaces (PDF page starts, indents)",
    "page-number": "page-number lines removed (- 5 -, 第5页; a bare number only at a page break or in a run of page numbers)",
    "running-header": "running page headers/footers removed (a short line recurring next to 2+ page breaks)",
    "blank-line": "whitespace-only lines (NBSP etc.) dropped",
    "rewrap": "hand-wrapped lines joined back into paragraphs",
    "web-footer": "web page footer lines removed (licence box, editor line, share links), nothing around them",
}


@record
class NormalizeResult:
    """Normalized text of one file and which rules fired, for `comparer normalize`."""

    path: str
    norm: Normalized
    notices: tuple[Notice, ...] = ()  # what reading the file lost (a PDF page without text)
    KIND = "normalize"
    SCHEMA = "comparer.normalize/1"
    exit_code = 0

    @property
    def warnings(self) -> tuple[Notice, ...]:
        """Return the warnings about reading and normalising the file."""
        return self.notices + self.norm.notices(self.path)

    def to_dict(self) -> dict:
        """Return the comparer.normalize/1 JSON form."""
        return {
            "schema": self.SCHEMA, "path": self.path, "text": self.norm.text, "rules": dict(self.norm.rules),
            "dropped": [run.to_dict() for run in self.norm.dropped],
        }

    def rows(self) -> list[dict]:
        """Return one row per rule that fired."""
        return [{"rule": r, "count": n, "meaning": _RULE_HELP.get(r, "")} for r, n in self.norm.rules if n]

    def explain(self) -> str:
        """Return the rules that fired and every dropped run (lines, characters, text) as plain text."""
        out = [f"{row['rule']:<15} {row['count']:>7}  {row['meaning']}" for row in self.rows()]
        if self.norm.dropped:
            out += ["", f"dropped ({len(self.norm.dropped)} runs):"]
        for run in self.norm.dropped:
            lines = f"L{run.first_line}" + (f"-{run.last_line}" if run.last_line != run.first_line else "")
            out.append(f"  {lines} {run.rule} ({run.chars} chars): " + run.text.replace("\n", " | "))
        return "\n".join(out) + "\n"

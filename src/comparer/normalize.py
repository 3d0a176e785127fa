"""Turn raw report text into canonical paragraphs, keeping a map to original lines.

The function is pure and idempotent: normalize(normalize(x).text).text == normalize(x).text.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .models import Normalized

__all__ = ["normalize", "fold", "display_width", "FOLD_TABLE", "HEADING_START", "NormalizeResult"]

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
_SPACE_RUN = re.compile(r"\s+")
_HEADING_SPILL = 8  # characters a wrapped heading title may spill onto its next line
_TERMINAL = set("。;!?:；！？：")
_CLOSERS = "\"')]}>》」』】”’）"
_PAGE_NUMBER = re.compile(r"-\d{1,4}-|第\d{1,4}页(,?共\d{1,4}页)?|\d{1,4}/\d{1,4}|[-·]?\s*\d{1,4}\s*[-·]?")
_FOOTER = re.compile(r"^(本作品是中华人民共和国的(?:法律|$)|本作品在全世界都属于公有领域|\[?我要纠错\]?|责任编辑[:：]|扫一扫在手机打开当前页|【我要纠错】)")
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|\([一二三四五六七八九十百]+\)|\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条编部分])"
)


def fold(text: str) -> str:
    """Fold width forms, quote and dash styles; drop zero-width characters."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        out.append(ch if ch in _PROTECTED or ch < "\u00a0" else unicodedata.normalize("NFKC", ch))
    return "".join(out).translate(_TRANSLATE)


def _squeeze_spaces(text: str) -> str:
    """Drop whitespace except a single space between two ASCII letters or digits."""

    def keep(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""

    return _SPACE_RUN.sub(keep, text)


def display_width(text: str) -> int:
    """Return the terminal width of text (wide CJK characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class _Line:
    text: str
    segs: list = field(default_factory=list)  # [(offset, original line)]


def normalize(raw: str) -> Normalized:
    """Return canonical paragraphs of raw text with the original line of every character."""
    rules: Counter = Counter()
    lines = _clean_lines(raw, rules)
    while True:
        joined = _rewrap(lines, rules)
        if len(joined) == len(lines):
            # Idempotence: if the result looks hard-wrapped, a second pass would treat its
            # bare-number lines as page numbers, so drop them now and rewrap again.
            joined = _drop_bare_numbers(lines, rules)
            if len(joined) == len(lines):
                break
        lines = joined
    return _assemble(lines, rules)


def _drop_bare_numbers(lines: list[_Line], rules: Counter) -> list[_Line]:
    """Drop page-number lines judged by the paragraphs built so far."""
    hard = _looks_hard_wrapped([l.text for l in lines])
    kept = [l for l in lines if not _is_page_number(l.text, hard)]
    rules["page-number"] += len(lines) - len(kept)
    return kept


def _clean_lines(raw: str, rules: Counter) -> list[_Line]:
    """Fold each original line, drop page numbers, running headers, blank lines and web footers."""
    source = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    texts = [_clean_one(original, rules) for original in source]
    hard = _looks_hard_wrapped(texts)
    page_numbers = {i for i, text in enumerate(texts) if text and _is_page_number(text, hard)}
    running = _running_lines(texts, page_numbers | {i for i, l in enumerate(source) if "\f" in l})
    cleaned: list[_Line] = []
    for index, (original, text) in enumerate(zip(source, texts)):
        if not text:
            rules["blank-line"] += bool(original.strip() == "" and original != "")
        elif index in page_numbers or index in running:
            rules["page-number" if index in page_numbers else "running-header"] += 1
        elif _FOOTER.match(text):
            rules["web-footer"] += 1
            break
        else:
            cleaned.append(_Line(text, [(0, index + 1)]))
    return cleaned


def _running_lines(texts: list[str], boundaries: set[int]) -> set[int]:
    """Return the indices of short lines that recur next to 2+ page breaks (running headers, footers)."""
    if not boundaries:
        return set()
    counts = Counter(t for t in texts if t and len(t) <= 40 and not _ends_sentence(t) and not HEADING_START.match(t))
    near: dict[str, set[int]] = {}
    for boundary in sorted(boundaries):
        for index in _neighbours(texts, boundary):
            if counts.get(texts[index], 0) >= 2:
                near.setdefault(texts[index], set()).add(index)
    # Only the occurrences at page breaks go: the same words elsewhere (a signature) stay.
    return {i for indices in near.values() if len(indices) >= 2 for i in indices}


def _neighbours(texts: list[str], index: int, reach: int = 1) -> list[int]:
    """Return the indices of up to `reach` non-empty lines on each side of a line."""
    found = []
    for step in (-1, 1):
        position, taken = index + step, 0
        while 0 <= position < len(texts) and taken < reach:
            if texts[position]:
                found.append(position)
                taken += 1
            position += step
    return found


def _clean_one(original: str, rules: Counter) -> str:
    """Fold one line and squeeze its spaces, counting which rules fired."""
    folded = fold(original)
    if folded != original:
        rules["width-fold"] += sum(1 for a, b in zip(original, folded) if a != b) or 1
    if original[:1].isspace() and original.strip():
        rules["leading-space"] += 1
    squeezed = _squeeze_spaces(folded).strip()
    removed = len(folded.strip()) - len(squeezed)
    if removed:
        rules["cjk-space"] += removed
    return squeezed


def _is_page_number(text: str, hard_wrapped: bool) -> bool:
    """Return True for a line that is only a page number."""
    if re.fullmatch(r"-\d{1,4}-|第\d{1,4}页(,?共\d{1,4}页)?|\d{1,4}/\d{1,4}", text):
        return True
    return hard_wrapped and re.fullmatch(r"\d{1,3}", text) is not None


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Return True when many lines share one width and stop mid-sentence (PDF text)."""
    widths = [display_width(l.strip()) for l in lines if l.strip()]
    if len(widths) < 6:
        return False
    full = _wrap_width(widths)
    near = sum(1 for w in widths if 0.85 * full <= w <= 1.1 * full)
    open_ended = sum(1 for l in lines if l.strip() and not _ends_sentence(l.strip()))
    return near >= 0.4 * len(widths) and open_ended >= 0.3 * len(widths)


def _wrap_width(widths: list[int]) -> int:
    """Return the width a hard-wrapped text breaks at (upper quartile of widths)."""
    ordered = sorted(widths)
    return ordered[(3 * len(ordered)) // 4]


def _ends_sentence(text: str) -> bool:
    """Return True when text ends with a sentence or clause terminator."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _rewrap(lines: list[_Line], rules: Counter) -> list[_Line]:
    """Join hand-wrapped lines back into paragraphs (one pass)."""
    if not _looks_hard_wrapped([l.text for l in lines]):
        return lines
    full = _wrap_width([display_width(l.text) for l in lines])
    out: list[_Line] = []
    for line in lines:
        previous = out[-1] if out else None
        if previous is not None and _continues(previous.text, line.text, full):
            shift = len(previous.text)
            previous.text += line.text
            previous.segs.extend((offset + shift, number) for offset, number in line.segs)
            rules["rewrap"] += 1
        else:
            out.append(_Line(line.text, list(line.segs)))
    return out


def _continues(previous: str, current: str, full: int) -> bool:
    """Return True when current is the wrapped continuation of previous."""
    if _ends_sentence(previous) or HEADING_START.match(current):
        return False
    if display_width(previous) < 0.8 * full:
        return False
    if HEADING_START.match(previous) and not re.search(r"[。;!?]", previous):
        return _continues_heading(current, full)
    return True


def _continues_heading(current: str, full: int) -> bool:
    """Return True when a full-width heading line spills onto current.

    A title-only heading line and a wrapped heading look alike; a wrapped one
    ends on the next line either as a short line or within a few characters.
    """
    if display_width(current) < 0.8 * full and not _ends_sentence(current):
        return True
    stop = re.search(r"[。;!?]", current)
    return stop is not None and stop.start() <= _HEADING_SPILL


def _assemble(lines: list[_Line], rules: Counter) -> Normalized:
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
    return Normalized(text=text, seg_starts=tuple(starts), seg_lines=tuple(numbers), rules=tuple(sorted(rules.items())))


_RULE_HELP = {
    "width-fold": "full-width/compatibility characters, quote and dash styles folded",
    "cjk-space": "spaces between CJK characters, digits and punctuation removed",
    "leading-space": "lines starting with spaces (PDF page starts, indents)",
    "page-number": "page-number lines removed (- 5 -, 第5页)",
    "running-header": "running page headers/footers removed (a short line recurring next to 2+ page breaks)",
    "blank-line": "whitespace-only lines (NBSP etc.) dropped",
    "rewrap": "hand-wrapped lines joined back into paragraphs",
    "web-footer": "web page footer cut (licence box, editor line)",
}


@dataclass(frozen=True)
class NormalizeResult:
    """Normalized text of one file and which rules fired, for `comparer normalize`."""

    path: str
    norm: Normalized
    KIND = "normalize"
    SCHEMA = "comparer.normalize/1"
    exit_code = 0

    def to_dict(self) -> dict:
        """Return the comparer.normalize/1 JSON form."""
        return {"schema": self.SCHEMA, "path": self.path, "text": self.norm.text, "rules": dict(self.norm.rules)}

    def rows(self) -> list[dict]:
        """Return one row per rule that fired."""
        return [{"rule": r, "count": n, "meaning": _RULE_HELP.get(r, "")} for r, n in self.norm.rules if n]

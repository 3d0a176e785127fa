"""Text patterns shared by every stage: CJK classes, years, dates, sentences (defined once)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

__all__ = [
    "CJK", "CJK_CHAR", "CJK_WIDE", "YEAR", "YEAR_RE", "DATE_RE", "SENTENCE_RE",
    "fold_compact", "fold_compact_lines", "fold_width", "replace_chars", "parse_date", "split_sentences", "cjk_count",
    "foldable_chars", "STABLE_MARKS",
]

CJK = "\u4e00-\u9fff"  # unified ideographs: the characters counted as "CJK" in every measure
# Compiled on first use (module __getattr__ below): a class of 20,000 ideographs costs 2-4 ms to
# compile, paid by every command that imports this module although few use these two.
_LAZY = {
    "CJK_CHAR": f"[{CJK}]",
    "CJK_WIDE": r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]",  # with extension A and compatibility forms
}
YEAR = r"(?:19|20)\d{2}"  # a calendar year as written in reports
YEAR_RE = re.compile(rf"({YEAR})年")
DATE_RE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
SENTENCE_RE = re.compile(r"[^。!?\n]+[。!?]?")


def cjk_count(text: str) -> int:
    """Return the number of CJK ideographs (U+4E00–U+9FFF) in text.

    Counted on the UTF-8 bytes, where each such character is one lead byte E5–E9, or E4 followed
    by B8–BF (U+4E00–U+4FFF): a few byte counts instead of a string per character (a 650k
    report in milliseconds). Lead bytes never occur inside another character's bytes.
    """
    data = text.encode("utf-8", "surrogatepass")
    return sum(map(data.count, _CJK_LEADS))


_CJK_LEADS = (*(bytes([lead]) for lead in range(0xE5, 0xEA)), *(bytes([0xE4, second]) for second in range(0xB8, 0xC0)))


def fold_compact(text: str) -> str:
    """Fold width forms (NFKC) and drop all whitespace: the form header and title patterns match."""
    return _WHITESPACE.sub("", fold_width(text))


def fold_compact_lines(text: str) -> list[str]:
    """Return the lines of text folded like fold_compact, in one pass over the whole text."""
    return replace_chars(text, foldable_chars(text), _COMPACT)[0].split("\n")


def fold_width(text: str) -> str:
    """Return text with each character in its NFKC form (full-width letters, digits and punctuation folded).

    Character by character, each distinct character replaced everywhere at once: NFKC on the
    lines of a long report one by one costs about 30 µs a line, most of it on ideographs that
    never change.
    """
    return replace_chars(text, _FOLDABLE_OR_SPACE.findall(text), _NFKC)[0]


def replace_chars(text: str, chars, table) -> tuple[str, dict]:
    """Replace each distinct character of chars by table[ch] everywhere in text; return the text and the replacements made.

    One str.replace per distinct character that changes: a long report has a few dozen.
    """
    changed = {ch: table[ch] for ch in set(chars) if table[ch] != ch}
    for ch, folded in changed.items():  # folded forms never fold again, so the order does not matter
        text = text.replace(ch, folded)
    return text, changed


class _NfkcMap(dict):
    """Character -> its NFKC form, computed the first time the character is seen."""

    def __missing__(self, ch: str) -> str:
        self[ch] = folded = unicodedata.normalize("NFKC", ch)
        return folded


class _CompactMap(dict):
    """Character -> its NFKC form without whitespace (line breaks kept), computed the first time the character is seen."""

    def __missing__(self, ch: str) -> str:
        self[ch] = compact = "".join(c for c in _NFKC[ch] if c == "\n" or not c.isspace())
        return compact


_NFKC = _NfkcMap()
_COMPACT = _CompactMap()
_WHITESPACE = re.compile(r"\s+")
# Printable ASCII (the backquote aside), the unified ideographs and 、。《》 never change under NFKC
# nor normalize's folds, and are no whitespace: the bulk of a report is skipped. What is left is
# every character that may fold and all whitespace but the line break (ASCII ones included).
STABLE_MARKS = "\u3001\u3002\u300a\u300b"  # 、。《》: the marks no fold changes
_FOLDABLE_OR_SPACE = re.compile(f"[^\x00-\x08\n\x0e-\x1b\x21-\x5f\x61-\x7f{CJK}{STABLE_MARKS}]")


@lru_cache(maxsize=1)
def foldable_chars(text: str) -> tuple[str, ...]:
    """Return each occurrence in text of a character that may fold or is whitespace other than the line break.

    One scan of a whole report serves identity (fold_compact_lines) and normalize, which read
    the same text one after the other: the last text's answer is kept.
    """
    return tuple(_FOLDABLE_OR_SPACE.findall(text))


def parse_date(text: str) -> Optional[str]:
    """Return the first date in text as YYYY-MM-DD, or None."""
    found = DATE_RE.search(fold_compact(text or ""))
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of text (ending at 。!? or a line break), shifted by base."""
    spans = []
    for match in SENTENCE_RE.finditer(text):
        piece = match.group(0)
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append((base + match.start() + lead, base + match.end()))
    return spans


def __getattr__(name: str) -> re.Pattern:
    """Compile CJK_CHAR or CJK_WIDE the first time it is asked for (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = re.compile(_LAZY[name])
    return compiled

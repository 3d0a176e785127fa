"""Split normalized Chinese text into words (rjieba plus domain words and numbers)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["tokenize", "encode_text", "is_number", "NUMBER"]

NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(r"[^\x00-\x7f]+")
_SPLIT = re.compile(r"(\d+(?:[.,]\d+)*%?|[A-Za-z]+|[^\x00-\x7f]+|[\x00-\x7f])")


@lru_cache(maxsize=1)
def _jieba():
    """Load rjieba once, with the domain dictionary added."""
    import rjieba

    words = resources.files("comparer").joinpath("data/domain_words.txt").read_text("utf-8")
    for word in words.split():
        rjieba.add_word(word, None, None)
    return rjieba


def tokenize(text: str) -> list[tuple[str, int]]:
    """Return (token, start offset) pairs covering text without gaps."""
    jieba = _jieba()
    out: list[tuple[str, int]] = []
    for match in _SPLIT.finditer(text):
        piece, start = match.group(0), match.start()
        if _CJK_RUN.fullmatch(piece) and len(piece) > 1:
            out.extend((word, start + begin) for word, begin, _ in jieba.tokenize(piece))
        else:
            out.append((piece, start))
    return out


def encode_text(text: str, codes: dict) -> tuple[str, object]:
    """Return text as one character per token (ids shared through codes) and the token starts.

    Streams tokens straight into their codes so no per-token list is ever held: a 50 MB
    report would otherwise keep millions of small strings alive.
    """
    from array import array

    from .engine import code_point

    jieba = _jieba()
    chars: list[str] = []
    starts = array("q")
    for match in _SPLIT.finditer(text):
        piece, start = match.group(0), match.start()
        if _CJK_RUN.fullmatch(piece) and len(piece) > 1:
            tokens = jieba.tokenize(piece)
            chars.append("".join(code_point(codes.setdefault(w, len(codes))) for w, _, _ in tokens))
            starts.extend(start + begin for _, begin, _ in tokens)
        else:
            chars.append(code_point(codes.setdefault(piece, len(codes))))
            starts.append(start)
    import numpy as np

    return "".join(chars), np.frombuffer(starts, dtype=np.int64)


def is_number(token: str) -> bool:
    """Return True when the token is a number (optionally a percentage)."""
    return NUMBER.fullmatch(token) is not None

"""Split normalized Chinese text into words (rjieba plus domain words and numbers)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["tokenize", "encode_text", "NUMBER"]

NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
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


def _iter_tokens(text: str):
    """Yield (token, start offset) covering text without gaps: jieba words for CJK runs, else numbers, words, characters."""
    jieba = _jieba()
    for match in _SPLIT.finditer(text):
        piece, start = match.group(0), match.start()
        if _CJK_RUN.fullmatch(piece) and len(piece) > 1:
            for word, begin, _ in jieba.tokenize(piece):
                yield word, start + begin
        else:
            yield piece, start


def tokenize(text: str) -> list[tuple[str, int]]:
    """Return (token, start offset) pairs covering text without gaps."""
    return list(_iter_tokens(text))


def encode_text(text: str, codes: dict) -> tuple[str, object]:
    """Return text as one character per token (ids shared through codes) and the token starts.

    Streams tokens straight into their codes so no per-token list is ever held: a 50 MB
    report would otherwise keep millions of small strings alive.
    """
    from array import array

    import numpy as np

    from .engine import code_point

    chars: list[str] = []
    starts = array("q")
    for word, start in _iter_tokens(text):
        chars.append(code_point(codes.setdefault(word, len(codes))))
        starts.append(start)
    return "".join(chars), np.frombuffer(starts, dtype=np.int64)

"""Split normalized Chinese text into words (rjieba plus domain words and numbers)."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

__all__ = ["tokenize", "words_and_bounds", "NUMBER", "SPLIT"]

NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
# Pieces: numbers, ASCII words, runs of non-ASCII text (cut into words by jieba), single ASCII characters.
SPLIT = re.compile(r"(\d+(?:[.,]\d+)*%?|[A-Za-z]+|[^\x00-\x7f]+|[\x00-\x7f])")


@lru_cache(maxsize=1)
def _jieba():
    """Load rjieba once, with the domain dictionary added."""
    import rjieba

    from .bundled import bundled_text

    words = bundled_text("domain_words.txt")
    for word in words.split():
        rjieba.add_word(word, None, None)
    return rjieba


def _words(text: str) -> list[str]:
    """Return the tokens covering text without gaps: jieba words for non-ASCII runs, else numbers, words, characters.

    All runs go to jieba in one call, a line break between them (jieba cuts each run on its
    own: a line break is a token of its own); rjieba is loaded only when there is a run to cut.
    """
    pieces = SPLIT.findall(text)
    runs = [piece for piece in pieces if len(piece) > 1 and not piece.isascii()]
    if not runs:
        return pieces
    words = iter(_jieba().cut("\n".join(runs)))
    out: list[str] = []
    for piece in pieces:
        if len(piece) > 1 and not piece.isascii():
            out.extend(iter(words.__next__, "\n"))
        else:
            out.append(piece)
    return out


def tokenize(text: str) -> list[tuple[str, int]]:
    """Return (token, start offset) pairs covering text without gaps."""
    words = _words(text)
    return list(zip(words, accumulate(map(len, words), initial=0)))


def words_and_bounds(text: str) -> tuple[list[str], list[int]]:
    """Return the tokens of text and the offsets where each starts and the last one ends."""
    words = _words(text)
    return words, list(accumulate(map(len, words), initial=0))

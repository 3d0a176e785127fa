"""Token-level diff engine on diff-match-patch (C++ build when available), never timing out.

diff-match-patch compares characters, so each token becomes a private-use character. Only
tokens found on both sides need codes of their own: a token on one side only can never be
matched, so all of them share one code per side (the operations are the same as with a code
per token). Up to 131 068 shared tokens a token is one character; beyond, two (an
unlimited encoding), and the character operations are mapped back onto whole tokens.
"""
from __future__ import annotations

from itertools import repeat
from typing import Hashable, Sequence

__all__ = ["diff_tokens", "diff_chars", "indel_similarity", "encode_tokens", "engine_name", "BulkReplaceError", "ONE_CHAR_LIMIT"]

_PER_PLANE = 0xFFFE  # code points used per plane: U+xFFFE and U+xFFFF are noncharacters
_PLANE_15, _PLANE_16 = 0xF0000, 0x100000  # the supplementary private-use planes
ONE_CHAR_LIMIT = 2 * _PER_PLANE  # distinct codes written as one character each


class BulkReplaceError(RuntimeError):
    """diff-match-patch gave up and replaced everything although the inputs share text."""


def diff_tokens(old: Sequence[Hashable], new: Sequence[Hashable], engine: str | None = None) -> list[tuple[str, int]]:
    """Return ('=', '-', '+', count) operations turning old tokens into new tokens (words, ids, sentences …)."""
    a, b, width, shared = _encode(old, new)
    ops = diff_chars(a, b, engine)
    if width == 2:
        ops = _whole_tokens(ops, a, b)
    _refuse_bulk_replace(ops, len(old), len(new), shared)
    return ops


def encode_tokens(old: Sequence[Hashable], new: Sequence[Hashable]) -> tuple[str, str]:
    """Return the two token sequences as the strings diff-match-patch compares (one or two characters per token)."""
    return _encode(old, new)[:2]


def _encode(old: Sequence[Hashable], new: Sequence[Hashable]) -> tuple[str, str, int, tuple[int, int, int]]:
    """Return (old text, new text, characters per token, (shared, distinct old, distinct new) token counts)."""
    old, new = _as_list(old), _as_list(new)
    in_old, in_new = dict.fromkeys(old), set(new)
    both = [token for token in in_old if token in in_new]  # in order of appearance: codes do not depend on hashing
    width = 1 if len(both) + 2 <= ONE_CHAR_LIMIT else 2
    *shared, only_old, only_new = _characters(len(both) + 2, width)  # one code per side for the tokens of one side
    char_of = dict(zip(both, shared))
    old_text = "".join(map(char_of.get, old, repeat(only_old)))
    new_text = "".join(map(char_of.get, new, repeat(only_new)))
    return old_text, new_text, width, (len(both), len(in_old), len(in_new))


def _as_list(tokens: Sequence[Hashable]) -> list:
    """Return tokens as a list of Python objects (a numpy array of ids becomes a list of ints)."""
    return tokens.tolist() if hasattr(tokens, "tolist") else list(tokens)


def _characters(count: int, width: int) -> list[str]:
    """Return the private-use strings standing for code numbers 0 … count-1 (two characters each when width is 2)."""
    if width == 1:
        return list(map(chr, [*range(_PLANE_15, _PLANE_15 + min(count, _PER_PLANE)), *range(_PLANE_16, _PLANE_16 + count - _PER_PLANE)]))
    low = list(map(chr, range(_PLANE_15, _PLANE_15 + _PER_PLANE)))
    high = list(map(chr, range(_PLANE_16, _PLANE_16 + count // _PER_PLANE + 1)))
    # number = low digit + high digit * 0xFFFE: room for 0xFFFE² codes
    return [low[number % _PER_PLANE] + high[number // _PER_PLANE] for number in range(count)]


def _whole_tokens(ops: list[tuple[str, int]], a: str, b: str) -> list[tuple[str, int]]:
    """Map operations on two-character tokens back to whole tokens: keep only equal runs that align with tokens."""
    equal, i, j = [], 0, 0
    for op, count in ops:
        if op == "=" and i % 2 == j % 2:
            first, last = (i + 1) // 2, (i + count) // 2  # whole tokens inside the run
            if last > first:
                equal.append((first, j // 2 + (j % 2), last - first))
        i, j = i + count * (op != "+"), j + count * (op != "-")
    out, ti, tj = [], 0, 0
    for first, other, count in equal + [(len(a) // 2, len(b) // 2, 0)]:
        out += [(op, n) for op, n in (("-", first - ti), ("+", other - tj)) if n > 0]
        if count:
            out.append(("=", count))
        ti, tj = first + count, other + count
    return _merge(out)


def _merge(ops: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join neighbouring operations of the same kind."""
    merged: list[tuple[str, int]] = []
    for op, count in ops:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + count)
        else:
            merged.append((op, count))
    return merged


def engine_name() -> str:
    """Return which diff-match-patch build is in use."""
    try:
        import fast_diff_match_patch  # noqa: F401

        return "fast-diff-match-patch"
    except ImportError:  # pragma: no cover - exercised only without the C++ wheel
        return "diff-match-patch"


def diff_chars(a: str, b: str, engine: str | None) -> list[tuple[str, int]]:
    """Diff two strings character by character with the chosen build."""
    return _fast(a, b) if (engine or engine_name()) == "fast-diff-match-patch" else _pure(a, b)


def indel_similarity(a: str, b: str) -> float:
    """Return 1 - (characters deleted + inserted) / (len(a) + len(b)) under a shortest edit (rapidfuzz's fuzz.ratio / 100).

    The C++ diff without time limit and without cleanup is a shortest edit script (Myers), so
    it counts what rapidfuzz counts, and the diff path needs no rapidfuzz import (70M
    instructions, a tenth of a big diff's start-up).
    """
    try:
        import fast_diff_match_patch
    except ImportError:  # pragma: no cover - exercised only without the C++ wheel
        from rapidfuzz import fuzz

        return fuzz.ratio(a, b) / 100
    if not a and not b:
        return 1.0
    ops = fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False, cleanup="No", counts_only=True)
    edits = sum(count for op, count in ops if op != "=")
    return 1 - edits / (len(a) + len(b))


def _fast(a: str, b: str) -> list[tuple[str, int]]:
    """Diff with the C++ build, time limit off, semantic cleanup."""
    import fast_diff_match_patch

    return fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=True)


def _pure(a: str, b: str) -> list[tuple[str, int]]:
    """Diff with the pure-Python build, Diff_Timeout off, semantic cleanup."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    symbol = {0: "=", -1: "-", 1: "+"}
    return [(symbol[op], len(text)) for op, text in diffs]


def _refuse_bulk_replace(ops: list[tuple[str, int]], old_length: int, new_length: int, counts: tuple[int, int, int]) -> None:
    """Raise when the result is one delete plus one insert of inputs that share most tokens."""
    if any(op == "=" for op, _ in ops) or not old_length or not new_length:
        return
    shared, distinct_old, distinct_new = counts
    if shared > 0.9 * min(distinct_old, distinct_new) and min(old_length, new_length) > 200:
        raise BulkReplaceError("diff-match-patch returned a bulk replace; refusing a meaningless diff")

"""Token-level diff engine on diff-match-patch (C++ build when available), never timing out."""
from __future__ import annotations

from typing import Sequence

__all__ = ["diff_tokens", "diff_encoded", "encode_tokens", "code_point", "engine_name", "BulkReplaceError"]


class BulkReplaceError(RuntimeError):
    """diff-match-patch gave up and replaced everything although the inputs share text."""


def encode_tokens(old: Sequence[str], new: Sequence[str]) -> tuple[str, str]:
    """Map each distinct token to one code point so a character diff becomes a word diff."""
    from itertools import chain, count

    import numpy as np

    codes: dict[str, int] = {}
    # setdefault with a running counter numbers tokens at C speed; np.unique closes the gaps.
    numbers = np.fromiter(map(codes.setdefault, chain(old, new), count()), dtype=np.int64, count=len(old) + len(new))
    dense = np.unique(numbers, return_inverse=True)[1].ravel() if len(numbers) else numbers
    text = "".join(map(code_point, dense.tolist()))
    return text[: len(old)], text[len(old) :]


_PUA_PLANES = 0xFFFE * 2  # planes 15 and 16: code points with no letter/space class


def code_point(number: int) -> str:
    """Return the character standing for token number.

    Private-use characters all have the same class, so diff-match-patch's semantic
    cleanup (which looks at letters, spaces and line breaks) treats every token alike.
    """
    if number < 0xFFFE:
        return chr(0xF0000 + number)
    if number < _PUA_PLANES:
        return chr(0x100000 + number - 0xFFFE)
    point = 0x10000 + number - _PUA_PLANES  # beyond 131k distinct tokens: other astral planes
    return chr(point)


def engine_name() -> str:
    """Return which diff-match-patch build is in use."""
    try:
        import fast_diff_match_patch  # noqa: F401

        return "fast-diff-match-patch"
    except ImportError:  # pragma: no cover - exercised only without the C++ wheel
        return "diff-match-patch"


def diff_tokens(old: Sequence[str], new: Sequence[str], engine: str | None = None) -> list[tuple[str, int]]:
    """Return ('=', '-', '+', count) operations turning old tokens into new tokens."""
    return diff_encoded(*encode_tokens(old, new), engine)


def diff_encoded(a: str, b: str, engine: str | None = None) -> list[tuple[str, int]]:
    """Return operations between two token-encoded strings (one character per token)."""
    ops = _fast(a, b) if (engine or engine_name()) == "fast-diff-match-patch" else _pure(a, b)
    _refuse_bulk_replace(ops, a, b)
    return ops


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


def _refuse_bulk_replace(ops: list[tuple[str, int]], a: str, b: str) -> None:
    """Raise when the result is one delete plus one insert of inputs that share most tokens."""
    if any(op == "=" for op, _ in ops) or not a or not b:
        return
    shared = len(set(a) & set(b))
    if shared > 0.9 * min(len(set(a)), len(set(b))) and min(len(a), len(b)) > 200:
        raise BulkReplaceError("diff-match-patch returned a bulk replace; refusing a meaningless diff")

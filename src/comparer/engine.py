"""Token-level diff engine on diff-match-patch (C++ build when available), never timing out."""
from __future__ import annotations

from typing import Sequence

__all__ = ["diff_tokens", "encode_tokens", "engine_name", "BulkReplaceError"]


class BulkReplaceError(RuntimeError):
    """diff-match-patch gave up and replaced everything although the inputs share text."""


def encode_tokens(old: Sequence[str], new: Sequence[str]) -> tuple[str, str]:
    """Map each distinct token to one code point so a character diff becomes a word diff."""
    codes: dict[str, str] = {}

    def code(token: str) -> str:
        found = codes.get(token)
        if found is None:
            point = 0x100 + len(codes)
            point += 0x800 if point >= 0xD800 else 0  # skip the surrogate block
            found = codes[token] = chr(point)
        return found

    return "".join(map(code, old)), "".join(map(code, new))


def engine_name() -> str:
    """Return which diff-match-patch build is in use."""
    try:
        import fast_diff_match_patch  # noqa: F401

        return "fast-diff-match-patch"
    except ImportError:  # pragma: no cover - exercised only without the C++ wheel
        return "diff-match-patch"


def diff_tokens(old: Sequence[str], new: Sequence[str], engine: str | None = None) -> list[tuple[str, int]]:
    """Return ('=', '-', '+', count) operations turning old tokens into new tokens."""
    a, b = encode_tokens(old, new)
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

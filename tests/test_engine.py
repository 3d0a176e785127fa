"""The token diff engine: identity, agreement of the C++ and pure builds, encoding, bulk guard."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from comparer import engine
from comparer.engine import BulkReplaceError, diff_tokens, encode_tokens

FAST, PURE = "fast-diff-match-patch", "diff-match-patch"
VOCAB = ["推进", "法治", "政府", "建设", "。", ",", "2024", "年", "41", "个", "领域", "、", "一网通办", '"', "甲乙"]
tokens = st.lists(st.sampled_from(VOCAB), max_size=40)
any_tokens = st.lists(st.text(min_size=1, max_size=4), max_size=30)


def _apply(ops, old, new):
    """Replay ops on old and check they produce new; return the op kinds seen."""
    i = j = 0
    out = []
    for op, count in ops:
        assert count > 0
        if op == "=":
            assert old[i : i + count] == new[j : j + count]
            out += old[i : i + count]
            i, j = i + count, j + count
        elif op == "-":
            i += count
        else:
            assert op == "+"
            out += new[j : j + count]
            j += count
    assert (i, j) == (len(old), len(new))
    assert out == list(new)


@settings(max_examples=200, deadline=None)
@given(a=st.one_of(tokens, any_tokens))
@pytest.mark.parametrize("name", [FAST, PURE])
def test_diff_of_a_list_with_itself_is_all_equal(name, a):
    ops = diff_tokens(a, a, name)
    assert all(op == "=" for op, _ in ops)
    assert sum(count for _, count in ops) == len(a)


@settings(max_examples=300, deadline=None)
@given(a=tokens, b=tokens)
def test_fast_and_pure_builds_give_the_same_ops(a, b):
    fast, pure = diff_tokens(a, b, FAST), diff_tokens(a, b, PURE)
    assert fast == pure
    _apply(fast, a, b)


@settings(max_examples=200, deadline=None)
@given(a=any_tokens, b=any_tokens)
def test_ops_replay_old_into_new(a, b):
    _apply(diff_tokens(a, b, FAST), a, b)
    _apply(diff_tokens(a, b, PURE), a, b)


def test_encoding_stays_distinct_beyond_65k_tokens():
    n = 70_000
    old = [f"t{i}" for i in range(n)]
    new = old[:35_000] + ["changed"] + old[35_001:]
    a, b = encode_tokens(old, new)
    assert len(a) == n and len(set(a)) == n  # one code point per distinct token
    assert len(set(a) | set(b)) == n + 1
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in a + b)  # no surrogates
    assert max(map(ord, a + b)) <= 0x10FFFF
    a.encode("utf-8"), b.encode("utf-8")  # encodable, so safe to hand to the C++ build
    assert b[35_000] not in a and a[35_000] not in b
    for name in (FAST, PURE):
        assert diff_tokens(old, new, name) == [("=", 35_000), ("-", 1), ("+", 1), ("=", n - 35_001)]


def test_encoding_repeats_codes_for_repeated_tokens():
    a, b = encode_tokens(["甲", "乙", "甲"], ["乙", "丙"])
    assert a[0] == a[2] and a[1] == b[0] and b[1] not in a


def _bulk(a: str, b: str):
    return [("-", len(a)), ("+", len(b))]


def test_bulk_replace_of_shared_text_is_refused(monkeypatch):
    monkeypatch.setattr(engine, "_fast", _bulk)
    monkeypatch.setattr(engine, "_pure", _bulk)
    old = [f"词{i % 150}" for i in range(300)]
    new = old[:100] + ["新词"] + old[100:]
    for name in (FAST, PURE):
        with pytest.raises(BulkReplaceError):
            diff_tokens(old, new, name)


def test_bulk_replace_of_unrelated_or_short_text_is_accepted(monkeypatch):
    monkeypatch.setattr(engine, "_fast", _bulk)
    old = [f"旧{i}" for i in range(300)]
    assert diff_tokens(old, [f"新{i}" for i in range(300)], FAST) == [("-", 300), ("+", 300)]
    short = old[:50]
    assert diff_tokens(short, short[::-1], FAST) == [("-", 50), ("+", 50)]


# ---- no ceiling on distinct tokens -----------------------------------------------------------

def _replays(ops, old, new) -> bool:
    """Return True when the operations turn the old id array into the new one (vectorised _apply)."""
    pieces, i, j = [], 0, 0
    for op, count in ops:
        if op != "-":
            pieces.append(old[i : i + count] if op == "=" else new[j : j + count])
        i, j = i + count * (op != "+"), j + count * (op != "-")
    return (i, j) == (len(old), len(new)) and np.array_equal(np.concatenate(pieces or [new[:0]]), new)


def test_a_changed_token_is_found_beyond_two_million_distinct_tokens():
    n = 2_100_000  # distinct token ids; one character per token stops at 131 068 shared tokens
    old = np.arange(n)
    new = old.copy()
    new[1_000_000] = 9_999_999  # a token absent from old (its code once collided with another)
    new[1_500_000], new[1_500_001] = old[1_500_001], old[1_500_000]  # two tokens swapped: both on both sides
    ops = diff_tokens(old, new, FAST)  # the pure build sees the same strings (checked on small inputs below)
    assert _replays(ops, old, new)
    assert ops[:3] == [("=", 1_000_000), ("-", 1), ("+", 1)]
    assert sum(count for op, count in ops if op != "=") == 6  # the change; the swap as delete + insert


def test_word_tokens_beyond_the_old_code_ceiling_are_told_apart():
    old = [str(k) for k in range(1_100_000)]
    new = list(old)
    # The 1 100 001st distinct token once got the code of token 51 428 (codes wrapped past
    # 1 048 572 and crashed past 1.18M): this change was reported as no change at all.
    new[51_428] = "9999999"
    assert diff_tokens(old, new, FAST) == [("=", 51_428), ("-", 1), ("+", 1), ("=", 1_048_571)]


def _one_code_per_token(old, new) -> tuple[str, str]:
    """Encode with a code of its own for every distinct token (the encoding before sharing)."""
    ids: dict[str, int] = {}
    return ("".join(chr(0xF0000 + ids.setdefault(t, len(ids))) for t in old),
            "".join(chr(0xF0000 + ids.setdefault(t, len(ids))) for t in new))


def test_tokens_on_one_side_only_share_one_code_per_side():
    old = [f"甲{i}" for i in range(50)] + ["共同"] * 5 + [f"乙{i}" for i in range(50)]
    new = [f"丙{i}" for i in range(30)] + ["共同"] * 5 + [f"丁{i}" for i in range(70)]
    a, b = encode_tokens(old, new)
    assert len(set(a)) == 2 and len(set(b)) == 2  # the shared token, and one code for each side's own tokens


one_sided = st.lists(st.sampled_from(VOCAB + [f"独{i}" for i in range(8)]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(a=one_sided, b=one_sided)
def test_sharing_codes_of_one_sided_tokens_gives_the_same_ops(a, b):
    for name, build in ((FAST, engine._fast), (PURE, engine._pure)):
        assert diff_tokens(a, b, name) == build(*_one_code_per_token(a, b))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.one_of(tokens, any_tokens), b=st.one_of(tokens, any_tokens))
def test_two_characters_per_token_still_replay_old_into_new(monkeypatch, a, b):
    monkeypatch.setattr(engine, "ONE_CHAR_LIMIT", 3)  # force the encoding used beyond 131 068 shared tokens (same for every input)
    for name in (FAST, PURE):
        ops = diff_tokens(a, b, name)
        _apply(ops, a, b)
        if a == b:
            assert all(op == "=" for op, _ in ops)


small_text = st.text(alphabet="的工作推进法治政府建设年2024,。", max_size=60)


@settings(max_examples=300, deadline=None)
@given(a=small_text, b=small_text)
def test_indel_similarity_is_rapidfuzz_ratio(a, b):
    """The section score of the diff path counts a shortest edit, exactly as rapidfuzz's fuzz.ratio does."""
    from rapidfuzz import fuzz

    assert engine.indel_similarity(a, b) == pytest.approx(fuzz.ratio(a, b) / 100, abs=1e-9)


def test_indel_similarity_on_real_section_text_is_rapidfuzz_ratio():
    from rapidfuzz import fuzz

    from conftest import PDF_TEXT, WEB_TEXT

    old, new = PDF_TEXT.read_text("utf-8"), WEB_TEXT.read_text("utf-8")
    for start in range(0, 6000, 500):
        a, b = old[start : start + 2000], new[start + 37 : start + 1800]
        assert engine.indel_similarity(a, b) == pytest.approx(fuzz.ratio(a, b) / 100, abs=1e-9)

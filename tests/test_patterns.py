"""Shared text patterns: the whole-text folds give what folding line by line gives."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from comparer.patterns import fold_compact_lines, fold_width

from conftest import PDF_TEXT, WEB_TEXT

# Full-width forms, ideographic and other Unicode spaces, ASCII whitespace, line breaks, CJK, compatibility characters.
ALPHABET = "ａＢ１２，：（）　\u2003\u00a0\u2028\u0085\x1c \t\r\n\x0b\x0c中文。、《》①㈠Ⅻ¨ﬁ"
texts = st.text(alphabet=ALPHABET, max_size=80)


def _compact_lines_one_by_one(text: str) -> list[str]:
    """Fold each line with NFKC and drop its whitespace: the definition fold_compact_lines must keep."""
    return [re.sub(r"[^\S\n]+", "", unicodedata.normalize("NFKC", line)) for line in text.split("\n")]


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_fold_compact_lines_is_nfkc_without_whitespace_line_by_line(text):
    assert fold_compact_lines(text) == _compact_lines_one_by_one(text)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_fold_width_is_nfkc_on_report_characters(text):
    assert fold_width(text) == unicodedata.normalize("NFKC", text)


def test_fold_compact_lines_on_real_reports():
    for path in (PDF_TEXT, WEB_TEXT):
        text = path.read_text("utf-8")
        assert fold_compact_lines(text) == _compact_lines_one_by_one(text)

"""Normalisation: invariants on random text, the folding table, paragraph rebuilding, real files."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import GUODONGBAN_2024, PDF_TEXT, QUFUBAN_2022, ROOT, WEB_TEXT
from comparer.ingest import read_document
from comparer.normalize import fold, normalize

CORPUS = ROOT / "fixtures" / "corpus"

# ---- random text ----------------------------------------------------------------------------

CJK = "的一是在了有和人中大为上个国以要时来用生到作地于出就分对成会可主发年动同工能下过子产种面而方后多定行学法所民得经"
PUNCT = "。，、；：！？“”（）《》"
DIGITS = "0123456789０１２３４５６７８９"
LETTERS = "abcXYZ" + "ａｂｃＸＹＺ"
SPACES = " \u3000\u00a0"
ALPHABET = CJK + PUNCT + DIGITS + LETTERS + SPACES + "\n"

page_line = st.integers(min_value=1, max_value=999).map(lambda n: f"- {n} -")
free_line = st.text(alphabet=ALPHABET, max_size=60)


@st.composite
def pdf_like(draw) -> str:
    """Paragraphs hand-wrapped at one width with a blank line after each line and page numbers."""
    width = draw(st.integers(min_value=8, max_value=30))
    paragraphs = draw(st.lists(st.text(alphabet=CJK + PUNCT + DIGITS + " ", min_size=1, max_size=120), min_size=1, max_size=8))
    page_every = draw(st.integers(min_value=3, max_value=20))
    out, count, page = [], 0, 1
    for paragraph in paragraphs:
        for k in range(0, len(paragraph), width):
            out += [(" " if count == 0 and page > 1 else "") + paragraph[k : k + width], ""]
            count += 1
            if count == page_every:
                out += [f"- {page} -", ""]
                page, count = page + 1, 0
    return "\n".join(out)


random_text = st.one_of(
    st.lists(st.one_of(free_line, free_line, page_line), max_size=25).map("\n".join),
    pdf_like(),
)


def _original_lines(raw: str) -> list[str]:
    return raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_text)
def test_normalize_is_idempotent(raw):
    once = normalize(raw).text
    assert normalize(once).text == once


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_text)
def test_line_map_points_into_the_original(raw):
    norm = normalize(raw)
    originals = _original_lines(raw)
    previous = 1
    for offset, ch in enumerate(norm.text):
        line = norm.line_at(offset)
        assert 1 <= line <= len(originals)
        assert line >= previous, (offset, line, previous)
        previous = line
        if ch not in " \n":
            assert ch in fold(originals[line - 1]), (offset, ch, originals[line - 1])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_text)
def test_noise_never_survives(raw):
    text = normalize(raw).text
    assert not set(text) & set("\u3000\u00a0，：；！？（）“”０１２３４５６７８９ａｂｃＸＹＺ")
    assert not any(re.fullmatch(r"-\d{1,4}-", line) for line in text.split("\n"))
    assert "" not in text.split("\n") or text == ""
    # the only space kept is one between two ASCII letters or digits
    for m in re.finditer(" ", text):
        assert 0 < m.start() < len(text) - 1 and text[m.start() - 1].isascii() and text[m.start() + 1].isascii()


# ---- the folding table (DOMAIN.md: decide it deliberately) ----------------------------------

@pytest.mark.parametrize(
    "raw, expected",
    [
        ("甲，乙", "甲,乙"),
        ("甲：乙", "甲:乙"),
        ("甲；乙", "甲;乙"),
        ("（一）", "(一)"),
        ("１２个", "12个"),
        ("“一网通办”", '"一网通办"'),
        ("「一业一证」", '"一业一证"'),
        ("甲、乙。", "甲、乙。"),  # the enumeration comma and the full stop stay
        ("①加强", "①加强"),  # circled numbers are list markers, not digits
        ("2024 年", "2024年"),
        ("41 个领域", "41个领域"),
        ("甲\u00a0乙", "甲乙"),
        ("甲\u3000乙", "甲乙"),
        ("\u3000\u3000各位代表", "各位代表"),
        ("(2021—2025 年)", "(2021-2025年)"),
        ("静府办发〔2021〕11 号", "静府办发[2021]11号"),
        ("GDP 增长 5.2%", "GDP增长5.2%"),
        ("M 2 增长", "M 2增长"),
        ("零\u200b宽", "零宽"),
    ],
)
def test_folding_table(raw, expected):
    assert normalize(raw).text == expected


def test_page_number_lines_are_removed():
    raw = "一、主要举措\n\n- 5 -\n\n 第5页\n\n正文继续。\n- 12 -"
    assert normalize(raw).text == "一、主要举措\n正文继续。"
    assert dict(normalize(raw).rules)["page-number"] == 3


# ---- paragraphs rebuilt from hand-wrapped PDF text ------------------------------------------

WEB_PARAGRAPHS = normalize(read_document(WEB_TEXT).text).text.split("\n")
PDF_NORM = normalize(PDF_TEXT.read_text("utf-8"))
_FULL = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；", '"': "“"})


def _wrap_like_pdf(paragraph: str, width: int) -> str:
    """Render one web paragraph as PDF text: full width, spaced digits, wrapped, page break."""
    text = paragraph.translate(_FULL)
    text = re.sub(r"(?<=\d)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d)", " ", text)
    lines = [text[k : k + width] for k in range(0, len(text), width)]
    out = []
    for i, line in enumerate(lines):
        out += [line, ""]
        if i == 3:
            out += ["- 7 -", "", " "]  # a page break: the next page starts with a space
    return "\n".join(out)


def test_the_intro_paragraph_of_the_pdf_equals_the_web_paragraph():
    intro = next(p for p in WEB_PARAGRAPHS if p.startswith("2024年,长宁区全面贯彻"))
    assert intro in PDF_NORM.text.split("\n")
    offset = PDF_NORM.text.index(intro)
    assert PDF_NORM.line_at(offset) == 3 and PDF_NORM.line_at(offset + len(intro) - 1) == 11


@pytest.mark.parametrize("width", [19, 23, 27, 31])
def test_wrapped_paragraph_with_blank_lines_is_rebuilt(width):
    paragraph = next(p for p in WEB_PARAGRAPHS if p.startswith("(二)强化引领"))
    wrapped = _wrap_like_pdf(paragraph, width)
    rows = [r for r in wrapped.split("\n") if r.strip() and not r.startswith("- ")]
    assert not any(r.rstrip()[-1] in "。；：" for r in rows[:-1]), "a row ends a sentence: pick another width"
    norm = normalize(wrapped)
    assert norm.text == paragraph
    assert ("rewrap", len(rows) - 1) in norm.rules


def test_pdf_and_web_paragraphs_differ_only_at_sentence_ends():
    """Every PDF line break is a web paragraph break or stands right after a sentence end."""
    pdf_lines = PDF_NORM.text.split("\n")
    assert "".join(pdf_lines) == "".join(WEB_PARAGRAPHS)
    web_ends, position = set(), 0
    for paragraph in WEB_PARAGRAPHS:
        position += len(paragraph)
        web_ends.add(position)
    position = 0
    for line in pdf_lines[:-1]:
        position += len(line)
        assert position in web_ends or line.rstrip("\"')》")[-1] in "。;!?:", line[-30:]
    # 7 of 23 web paragraphs hold a PDF line that ends exactly on a sentence end (ambiguous)
    assert sum(1 for p in WEB_PARAGRAPHS if p in pdf_lines) >= 16


def test_wrapped_heading_is_joined_back():
    raw = GUODONGBAN_2024.read_text("utf-8")
    lines = raw.split("\n")
    assert lines[98] == "三、区国动办主要负责人履行推进法治政府建设第一责任人"
    assert lines[100].startswith("职责，加强法治政府建设的有关情况")
    norm = normalize(raw)
    heading = "三、区国动办主要负责人履行推进法治政府建设第一责任人职责,加强法治政府建设的有关情况"
    assert heading in norm.text.split("\n")
    start = norm.text.index(heading)
    assert norm.line_at(start) == 99
    assert norm.line_at(start + heading.index("职责")) == 101


def test_title_only_heading_is_not_joined_to_its_body():
    norm = normalize(QUFUBAN_2022.read_text("utf-8"))
    lines = norm.text.split("\n")
    assert "(一)积极健全制度,制定重大行政决策相关规定" in lines
    body = lines[lines.index("(一)积极健全制度,制定重大行政决策相关规定") + 1]
    assert body.startswith("根据《上海市重大行政决策程序规定》的要求,在广泛收集")


# ---- the real CLI ---------------------------------------------------------------------------

def _explain(cli, path) -> dict:
    result = cli("normalize", path, "--explain", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "comparer.normalize/1"
    return data["rules"]


def test_cli_explain_reports_the_pdf_rules(cli):
    rules = _explain(cli, PDF_TEXT)
    for rule in ("page-number", "rewrap", "cjk-space", "width-fold"):
        assert rules.get(rule, 0) > 0, (rule, rules)


def test_cli_explain_reports_no_rewrap_for_web_text(cli):
    rules = _explain(cli, WEB_TEXT)
    assert rules.get("rewrap", 0) == 0, rules
    assert rules.get("width-fold", 0) > 0


# ---- government work reports from the corpus ------------------------------------------------

CORPUS_FILES = [
    "guowuyuan_2017_gongzuobaogao.txt",  # title broken over lines, zero-width spaces, licence box
    "guowuyuan_2020_gongzuobaogao.txt",  # gov.cn footer (我要纠错 / 扫一扫)
    "guowuyuan_2023_gongzuobaogao.txt",  # Wikisource licence box, broken over lines
    "guowuyuan_2024_gongzuobaogao.txt",
    "shenzhen-luohu_2024_gongzuobaogao.txt",  # full-width indents, glossary
    "shenzhen-yantian_2020_gongzuobaogao.txt",  # unnumbered headings
    "shenzhen-longhua_2019_fazhizhengfu.txt",  # short 法治政府 report
]


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_normalizes_cleanly(name):
    raw = (CORPUS / name).read_text("utf-8")
    norm = normalize(raw)
    assert normalize(norm.text).text == norm.text
    lines = norm.text.split("\n")
    assert not any(re.fullmatch(r"-\d{1,4}-|第\d{1,4}页(,?共\d{1,4}页)?", line) for line in lines)
    assert not set(norm.text) & set("\u3000\u00a0\u200b\ufeff")
    for footer in ("本作品是中华人民共和国的", "Public domain", "我要纠错", "扫一扫在手机打开当前页", "责任编辑"):
        assert footer not in norm.text, footer
    assert lines[-1].endswith(("!", "。", "日")), lines[-1][-40:]
    originals = _original_lines(raw)
    assert all(1 <= n <= len(originals) for n in norm.seg_lines)
    assert list(norm.seg_lines) == sorted(norm.seg_lines)


def test_running_header_at_page_breaks_is_dropped_but_the_same_signature_stays():
    body = ["一、主要举措和成效", "", "推进依法行政,完善制度建设,持续优化营商环", "", "境。", ""]
    page = lambda n: [f"- {n} -", "", "上海市长宁区人民政府", ""]
    raw = "\n".join(body + page(1) + body + page(2) + body + ["上海市长宁区人民政府", "", "2025年1月9日"])
    result = normalize(raw)
    rules = dict(result.rules)
    assert rules["running-header"] == 2 and rules["page-number"] == 2
    assert result.text.count("上海市长宁区人民政府") == 1  # the signature line
    assert normalize(result.text).text == result.text


@st.composite
def paged_pdf(draw) -> str:
    """PDF-like text in pages (form feeds), bare page numbers at page ends or not, number-only table cells."""
    width = draw(st.integers(min_value=8, max_value=30))
    pages = draw(st.lists(st.lists(st.text(alphabet=CJK + PUNCT + DIGITS, min_size=1, max_size=90), min_size=1, max_size=5),
                          min_size=1, max_size=6))
    breaks = draw(st.booleans())
    out = []
    for number, paragraphs in enumerate(pages, 1):
        rows = [p[k : k + width] for p in paragraphs for k in range(0, len(p), width)]
        for row in draw(st.lists(st.sampled_from(["2", "10", "M", "PM", "12", "3/20"]), max_size=3)):
            rows.insert(draw(st.integers(0, len(rows))), row)
        rows.append(str(number))
        out.append("\n".join(rows) + ("\f" if breaks else ""))
    return "\n".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=paged_pdf())
def test_page_number_evidence_keeps_normalisation_idempotent(raw):
    once = normalize(raw).text
    assert normalize(once).text == once


_SPACED = st.text(alphabet=list("ab12中文。` \t\u3000\u00a0\u2002\u2028\x0c\n"), max_size=40)


@given(_SPACED)
def test_whitespace_is_squeezed_as_the_rule_says(raw):
    """Every run of whitespace but the line break goes, except one space between ASCII letters or digits."""
    from collections import Counter

    from comparer.normalize import _fold_text, _squeeze

    def rule(match: re.Match) -> str:
        text, start, end = match.string, match.start(), match.end()
        before, after = text[start - 1] if start else "\n", text[end] if end < len(text) else "\n"
        return " " if before in "ab12" and after in "ab12" else ""

    folded, spaces = _fold_text(raw, Counter())
    assert folded == fold(raw)
    assert _squeeze(folded, spaces, Counter()) == re.sub(r"[^\S\n]+", rule, folded)

"""PDF and HTML ingestion on the generated fixtures (tools/make_fixtures.py)."""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

from comparer.errors import InputError
from comparer.ingest import read_document
from comparer.api import load_report
from comparer.ingest.html import read_html
from comparer.ingest.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "fixtures" / "generated"
BAD = ROOT / "fixtures" / "bad"
PDF = GENERATED / "changning_2024_report.pdf"
EDITED = GENERATED / "changning_2024_report_edited.pdf"
PORTAL = GENERATED / "changning_2024_report_portal.html"
WEB_SEED = ROOT / "fixtures" / "seeds" / "changning_2024_fazhi_report_webtext.txt"
DROPPED = "完成全市首单长三角区域不动产登记“跨省通办”业务。"
PARA = "长宁区持续推进法治政府建设，完善依法行政制度体系，提升行政执法质量和效能。"


def _load_generator():
    """Import tools/make_fixtures.py as a module."""
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tools" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _squash(text: str) -> str:
    """Fold width forms and drop whitespace and page-number lines, for content comparison."""
    lines = [line for line in text.split("\n") if not re.fullmatch(r"\s*-\s*\d+\s*-\s*", line)]
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(lines)))


def _seed_paragraphs() -> list[str]:
    """Return the body paragraphs of the seed web text (no title, no header fields)."""
    lines = [line.strip().replace("\xa0", "") for line in WEB_SEED.read_text(encoding="utf-8").split("\n")]
    return [line for line in lines[5:] if line]


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_text_contains_every_body_paragraph():
    doc = read_document(PDF)
    text = _squash(doc.text)
    for paragraph in _seed_paragraphs():
        assert _squash(paragraph) in text


def test_pdf_pages_and_page_starts():
    doc = read_document(PDF)
    lines = doc.text.split("\n")
    assert doc.meta.kind == "pdf"
    assert doc.meta.pages == len(doc.page_starts) > 1
    assert doc.page_starts[0] == 1 and list(doc.page_starts) == sorted(set(doc.page_starts))
    assert doc.page_starts[-1] <= len(lines)
    for page, start in enumerate(doc.page_starts, 1):
        assert doc.page_of(start) == page
        footer = lines[doc.page_starts[page] - 2] if page < len(doc.page_starts) else lines[-1]
        assert footer.strip() == f"- {page} -"


def test_pdf_keeps_hand_wrapped_lines_and_headings_alone():
    lines = read_document(PDF).text.split("\n")
    assert "一、主要举措和成效" in lines
    assert max(len(line) for line in lines) <= 40
    assert "\r" not in "".join(lines)


def test_pdf_metadata():
    meta = load_report(PDF).meta
    assert meta.title == "2024年长宁区法治政府建设情况报告"
    assert meta.year == 2024
    assert meta.genre == "fazhi-report"


def test_edited_pdf_has_exactly_the_two_planted_edits():
    original = _squash(read_document(PDF).text)
    edited = _squash(read_document(EDITED).text)
    assert "7009件" in original and "7009件" not in edited and "7090件" in edited
    assert DROPPED in original and DROPPED not in edited
    assert original.replace("7009件", "7090件").replace(DROPPED, "") == edited


def test_pdf_and_portal_html_carry_the_same_words():
    pdf_text = _squash(read_document(PDF).text)
    web_text = _squash(read_document(PORTAL).text)
    assert pdf_text == web_text


def test_pdf_junk_metadata_title_falls_back_to_text(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "junk_title.pdf"
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.setTitle("Microsoft Word - 附件1.docx")
    pdf.setFont("STSong-Light", 16)
    pdf.drawString(72, 760, "2023年某区法治政府建设情况报告")
    pdf.drawString(72, 730, PARA)
    pdf.save()
    meta = load_report(path).meta
    assert meta.title == "2023年某区法治政府建设情况报告"
    assert meta.pages == 1


@pytest.mark.parametrize(
    ("name", "problem"),
    [("scanned.pdf", "no text layer (scanned PDF?)"), ("encrypted.pdf", "encrypted"), ("truncated.pdf", "not a readable PDF (")],
)
def test_bad_pdfs_raise_input_error(name, problem):
    path = BAD / name
    with pytest.raises(InputError) as caught:
        read_pdf(path, path.read_bytes())
    assert problem in caught.value.problem
    assert caught.value.path == str(path)


def test_garbage_with_pdf_suffix_is_not_readable(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_document(path)


# --- HTML --------------------------------------------------------------------------------


def test_portal_metadata():
    meta = load_report(PORTAL).meta
    assert meta.kind == "web"
    assert meta.stated_issuer == "长宁区司法局" and meta.issuer == "长宁区人民政府" and meta.region == "长宁区"
    assert meta.date == "2025-01-09"
    assert meta.title == "2024年长宁区法治政府建设情况报告"
    assert meta.year == 2024
    assert meta.encoding == "utf-8"


def test_portal_body_is_the_article_only():
    text = read_document(PORTAL).text
    for furniture in ("版权所有", "首页", "当前位置", "ICP", "相关文章", "分享到", "网站地图", "搜索", "发文机构", "发布日期"):
        assert furniture not in text


def test_portal_paragraphs_stay_paragraphs():
    lines = read_document(PORTAL).text.split("\n")
    assert lines[0] == "2024年长宁区法治政府建设情况报告"
    assert lines[1:] == _seed_paragraphs()


def test_metadata_from_page_text_without_meta_tags(tmp_path):
    page = (
        "<html><head><title>关于印发某方案的通知_某区人民政府</title></head><body>"
        "<div class='article'><h1>关于印发某方案的通知</h1>"
        "<div class='info'>发文机构：某区司法局 | 成文日期：2025年1月8日 | 发布日期：2025-01-09</div>"
        f"<div id='zoom'><p>{PARA}</p><p>{PARA}</p></div></div></body></html>"
    )
    doc = read_html(tmp_path / "a.html", page.encode("utf-8"))
    header = dict(doc.header)
    assert (header["发文机构"], header["发布日期"], header["标题"]) == ("某区司法局", "2025-01-09", "关于印发某方案的通知")
    assert doc.text == f"{PARA}\n{PARA}"


def test_field_lines_inside_the_article_go_to_metadata(tmp_path):
    page = f"<html><body><div class='TRS_Editor'><p>发布日期:2024-03-05</p><p>{PARA}</p><p>来源：区政府办公室</p></div></body></html>"
    doc = read_html(tmp_path / "b.html", page.encode("utf-8"))
    assert doc.text == PARA
    assert dict(doc.header)["发布日期"] == "2024-03-05"


def test_declared_gb2312_charset(tmp_path):
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><div class="pages_content"><p>{PARA}</p></div></body></html>'
    doc = read_html(tmp_path / "c.html", page.encode("gbk"))
    assert doc.text == PARA
    assert doc.meta.encoding == "gb18030"


def test_wrong_declared_charset_is_recovered(tmp_path):
    page = f'<html><head><meta charset="utf-8"></head><body><article><p>{PARA}</p></article></body></html>'
    doc = read_html(tmp_path / "d.html", page.encode("gb18030"))
    assert doc.text == PARA


def test_block_elements_become_lines(tmp_path):
    page = (
        f"<html><body><div class='content'><h2>一、总体要求</h2><div>{PARA}<br>{PARA}</div>"
        "<ul><li>第一项工作安排</li><li>第二项工作安排</li></ul>"
        "<table><tr><td>指标</td><td>100%</td></tr></table></div></body></html>"
    )
    lines = read_html(tmp_path / "e.html", page.encode("utf-8")).text.split("\n")
    assert lines == ["一、总体要求", PARA, PARA, "第一项工作安排", "第二项工作安排", "指标 100%"]


def test_no_known_container_falls_back(tmp_path):
    page = f"<html><body><div class='nav'>首页 政务公开</div><div class='x'><p>{PARA}</p><p>{PARA}</p></div><div class='footer'>版权所有</div></body></html>"
    text = read_html(tmp_path / "f.html", page.encode("utf-8")).text
    assert PARA in text and "版权所有" not in text and "首页" not in text


def test_malformed_html_still_yields_its_paragraphs():
    doc = read_document(BAD / "malformed.html")
    lines = doc.text.split("\n")
    assert lines[0] == "2024年长宁区法治政府建设情况报告"
    assert lines[2] == "一、主要举措和成效"
    assert any(line.startswith("(三)持续推进政府职能转变") for line in lines)
    assert "首页" not in doc.text


def test_deeply_nested_html(tmp_path):
    page = "<html><body>" + "<div>" * 5000 + f"<p>{PARA}</p>" + "</div>" * 5000 + "</body></html>"
    assert read_html(tmp_path / "g.html", page.encode("utf-8")).text == PARA


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>标题</title><script>var a = '正文';</script></head><body></body></html>",
        "<html><body><div class='nav'><a>首页</a><a>政务公开</a></div><footer>版权所有</footer></body></html>",
        "<!DOCTYPE html><html><body><style>p{color:red}</style>   \n </body></html>",
    ],
)
def test_html_without_article_text_is_an_input_error(tmp_path, page):
    path = tmp_path / "empty.html"
    with pytest.raises(InputError, match="no article text found in HTML"):
        read_html(path, page.encode("utf-8"))


# --- the generator -----------------------------------------------------------------------


def test_generator_is_byte_stable(tmp_path):
    gen = _load_generator()
    title, header, paragraphs = gen.read_seed()
    assert gen.build_pdf(tmp_path / "a.pdf", title, paragraphs) == PDF.read_bytes()
    assert gen.build_pdf(tmp_path / "b.pdf", title, gen.plant_edits(paragraphs)) == EDITED.read_bytes()
    gen.build_html(tmp_path / "c.html", title, header, paragraphs)
    assert (tmp_path / "c.html").read_bytes() == PORTAL.read_bytes()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(cli, tmp_path, encoding):
    source = ROOT / "fixtures" / "corpus" / "guowuyuan_2020_gongzuobaogao.txt"
    path = tmp_path / f"report_{encoding}.txt"
    path.write_bytes(source.read_text("utf-8").encode(encoding))  # Python's utf-16-le/-be write no BOM
    assert path.read_bytes()[:2] not in (b"\xff\xfe", b"\xfe\xff")
    raw = read_document(path)
    assert raw.text == read_document(source).text and raw.meta.encoding == encoding
    result = cli("normalize", path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == cli("normalize", source).stdout

"""Build the generated PDF/HTML fixtures and the bad-input fixtures from the seed web text.

Run as `python tools/make_fixtures.py`; the output is byte-stable (reportlab invariant mode).
"""
from __future__ import annotations

import html
import random
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

__all__ = ["main", "read_seed", "plant_edits", "pdf_style", "wrap", "build_pdf", "build_html", "build_bad"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GENERATED = ROOT / "fixtures" / "generated"
BAD = ROOT / "fixtures" / "bad"
WEB_SEED = SEEDS / "changning_2024_fazhi_report_webtext.txt"
PDF_SEED = SEEDS / "changning_2024_fazhi_report_pdftext.txt"

FONT = "STSong-Light"
BODY_SIZE = 16
TITLE_SIZE = 22
LEADING = 29
LINE_WIDTH = 28 * BODY_SIZE
LEFT = (A4[0] - LINE_WIDTH) / 2
TOP = A4[1] - 37 * mm
BOTTOM = 35 * mm
EDITS = (("7009件", "7090件"), ("完成全市首单长三角区域不动产登记“跨省通办”业务。", ""))

_FIELD = re.compile(r"^\s*[•·]?\s*(发文机构|发布日期)\s*[:：]\s*(.+?)\s*$")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_NO_LINE_START = set("，。、；：？！”’）》〉】%")
_NO_LINE_END = set("“‘（《〈【")


def read_seed(path: Path = WEB_SEED) -> tuple[str, dict, list[str]]:
    """Split the seed web text into title, header fields and body paragraphs."""
    lines = path.read_text(encoding="utf-8").split("\n")
    title = lines[0].strip()
    header = {m.group(1): m.group(2) for m in map(_FIELD.match, lines[1:6]) if m}
    paragraphs = [line.strip().replace("\xa0", "") for line in lines[1:] if not _FIELD.match(line)]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return title, header, paragraphs


def plant_edits(paragraphs: list[str]) -> list[str]:
    """Apply the two planted edits (a changed figure, a deleted sentence) exactly once each."""
    text = "\n".join(paragraphs)
    for old, new in EDITS:
        if text.count(old) != 1:
            raise SystemExit(f"seed must contain {old!r} exactly once (found {text.count(old)})")
        text = text.replace(old, new)
    return text.split("\n")


def pdf_style(text: str) -> str:
    """Render web text the way an office PDF shows it: full-width punctuation, spaced figures."""
    text = re.sub(r",(?!\d)|(?<!\d),", "，", text)
    text = text.translate(str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}))
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])", " ", text)
    return re.sub(r"(?<=[0-9A-Za-z%])(?=[\u4e00-\u9fff])", " ", text)


def wrap(text: str, first_width: float, width: float) -> list[str]:
    """Wrap text greedily by rendered width, keeping figures whole and obeying line-start rules."""
    lines, current, limit = [], "", first_width
    for token in re.findall(r"[0-9A-Za-z.%]+|.", text):
        fits = pdfmetrics.stringWidth(current + token, FONT, BODY_SIZE) <= limit
        if fits or not current or token in _NO_LINE_START:
            current += token
            continue
        carry = current[-1] if current[-1] in _NO_LINE_END else ""
        lines.append(current[: len(current) - len(carry)].rstrip())
        current, limit = carry + token.lstrip(), width
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _layout(paragraphs: list[str]) -> list[tuple[float, str]]:
    """Return (x, text) for every body line: headings alone, paragraphs indented two characters."""
    indent = 2 * BODY_SIZE
    rows = []
    for paragraph in map(pdf_style, paragraphs):
        if _LEVEL1.match(paragraph):
            rows.append((LEFT + indent, paragraph))
            continue
        for index, line in enumerate(wrap(paragraph, LINE_WIDTH - indent, LINE_WIDTH)):
            rows.append((LEFT + (indent if index == 0 else 0), line))
    return rows


def _footer(pdf: canvas.Canvas, number: int) -> None:
    """Draw the centered page number "- N -" at the bottom of the page."""
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(A4[0] / 2, 18 * mm, f"- {number} -")


def build_pdf(path: Path, title: str, paragraphs: list[str], encrypt=None) -> bytes:
    """Lay the report out as a multi-page A4 PDF and return its bytes."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    pdf.setTitle(title)
    pdf.setCreator("comparer tools/make_fixtures.py")
    pdf.setFont(FONT, TITLE_SIZE)
    pdf.drawCentredString(A4[0] / 2, TOP, pdf_style(title))
    y, page = TOP - 2 * LEADING, 1
    for x, line in _layout(paragraphs):
        if y < BOTTOM:
            _footer(pdf, page)
            pdf.showPage()
            y, page = TOP, page + 1
        pdf.setFont(FONT, BODY_SIZE)
        pdf.drawString(x, y, line)
        y -= LEADING
    _footer(pdf, page)
    pdf.showPage()
    pdf.save()
    return path.read_bytes()


_PORTAL = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_上海市长宁区人民政府</title>
<meta name="SiteName" content="上海市长宁区人民政府">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 17:30">
<meta name="ContentSource" content="{issuer}">
<meta name="keywords" content="法治政府建设,长宁区,报告">
<link rel="stylesheet" href="/css/common.css">
<style>.nav li{{float:left}} .footer{{color:#666}} /* 首页 样式 */</style>
<script>var _hmt = _hmt || []; document.title = "首页 - 长宁区";</script>
</head>
<body>
<div class="header">
  <div class="logo"><a href="/">上海市长宁区人民政府</a></div>
  <div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjcn/">走进长宁</a></li>
  </ul>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/fzzf/">法治政府建设</a></div>
<div class="container">
  <div class="sidebar">
    <h3>相关文章</h3>
    <ul>
      <li><a href="/a/1.html">2023年长宁区法治政府建设情况报告</a></li>
      <li><a href="/a/2.html">2022年长宁区法治政府建设情况报告</a></li>
      <li><a href="/a/3.html">长宁区行政规范性文件管理实施办法</a></li>
    </ul>
  </div>
  <div class="main">
    <h1 class="article-title">{title}</h1>
    <div class="article-info"><span>发文机构:{issuer}</span>&nbsp;&nbsp;<span>发布日期:{date}</span></div>
    <div class="article-content">
      <div class="TRS_Editor">
{body}
      </div>
    </div>
    <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<div class="footer">
  <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
  <p>版权所有：上海市长宁区人民政府 &nbsp; 地址：上海市长宁区愚园路1320号</p>
  <p><a href="https://beian.miit.gov.cn/">沪ICP备12345678号</a> &nbsp; 沪公网安备31010502000000号</p>
</div>
</body>
</html>
"""


def _body_html(title: str, paragraphs: list[str]) -> str:
    """Render the article body as portal editor HTML: one <p> per paragraph, headings in bold."""
    rows = [f'<p style="text-align:center"><strong>{html.escape(title)}</strong></p>', "<p>&nbsp;</p>"]
    for paragraph in paragraphs:
        text = html.escape(paragraph)
        if _LEVEL1.match(paragraph):
            text = f"<strong>{text}</strong>"
        rows.append(f'<p style="text-indent:2em">{text}</p>')
    return "\n".join(" " * 8 + row for row in rows)


def build_html(path: Path, title: str, header: dict, paragraphs: list[str]) -> None:
    """Write a portal-style UTF-8 page (nav, breadcrumb, sidebar, article, footer)."""
    page = _PORTAL.format(
        title=html.escape(title),
        issuer=html.escape(header["发文机构"]),
        date=html.escape(header["发布日期"]),
        body=_body_html(title, paragraphs),
    )
    path.write_text(page, encoding="utf-8")


_MALFORMED = """<html><head><meta charset="utf-8"><title>长宁区法治政府建设情况报告（节选）</title>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a>
<body>
<div class="wrap"><div id="main">
<h2>2024年长宁区法治政府建设情况报告</h3>
<p>{p0}
<p>{p1}<p><b><i>{p2}</b></i>
<div><span>{p3}
</div></p></span>
<table><tr><td>{p4}<tr><td>
</div>
"""


def build_malformed_html(path: Path, paragraphs: list[str]) -> None:
    """Write broken HTML (unclosed and misnested tags, no </html>) that still carries real text."""
    parts = {f"p{i}": html.escape(p) for i, p in enumerate(paragraphs[:5])}
    path.write_text(_MALFORMED.format(**parts), encoding="utf-8")


def build_scanned_pdf(path: Path) -> None:
    """Write an image-only PDF page: a raster "scan" and filled bars, no text objects."""
    from PIL import Image

    rng = random.Random(7)
    image = Image.new("L", (120, 170), 250)
    image.putdata([250 if rng.random() > 0.08 else 40 for _ in range(120 * 170)])
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawInlineImage(image, 0, 0, A4[0], A4[1])
    for row in range(20):
        pdf.rect(LEFT, TOP - row * LEADING, LINE_WIDTH * (0.6 + 0.4 * rng.random()), 10, stroke=0, fill=1)
    pdf.showPage()
    pdf.save()


def build_bad(good_pdf: bytes, title: str, paragraphs: list[str]) -> None:
    """Write every bad-input fixture into fixtures/bad/."""
    BAD.mkdir(parents=True, exist_ok=True)
    build_scanned_pdf(BAD / "scanned.pdf")
    build_pdf(BAD / "encrypted.pdf", title, paragraphs[:6], encrypt="secret")
    (BAD / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    build_malformed_html(BAD / "malformed.html", paragraphs)
    (BAD / "binary.bin").write_bytes(random.Random(20250109).randbytes(4096))
    (BAD / "empty.txt").write_bytes(b"")
    seed_pdf_text = PDF_SEED.read_text(encoding="utf-8")
    (BAD / "gbk.txt").write_bytes(seed_pdf_text.encode("gb18030"))
    (BAD / "utf16.txt").write_bytes(seed_pdf_text.encode("utf-16"))


def main() -> None:
    """Generate all fixtures."""
    GENERATED.mkdir(parents=True, exist_ok=True)
    title, header, paragraphs = read_seed()
    good = build_pdf(GENERATED / "changning_2024_report.pdf", title, paragraphs)
    build_pdf(GENERATED / "changning_2024_report_edited.pdf", title, plant_edits(paragraphs))
    build_html(GENERATED / "changning_2024_report_portal.html", title, header, paragraphs)
    build_bad(good, title, paragraphs)
    print(f"wrote fixtures under {GENERATED.relative_to(ROOT)}/ and {BAD.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()

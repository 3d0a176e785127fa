"""Pull the article text and its metadata out of a government portal web page."""
from __future__ import annotations

import codecs
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument
from ..patterns import CJK_WIDE, parse_date
from .text import decode_text

__all__ = ["read_html", "decode_html", "source_map", "block_lines", "page_fields", "ARTICLE_SELECTORS", "EDITOR_SELECTORS"]

EDITOR_SELECTORS = (
    "#zoom", ".TRS_Editor", ".trs_editor_view", ".pages_content", "#UCAP-CONTENT", ".article-content",
    ".article_content", ".detail-content", ".news_content", ".content_text",
)
ARTICLE_SELECTORS = EDITOR_SELECTORS + (
    ".view", "#article", ".article", "#content", ".content", "article", "main", "#main", ".main",
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "select", "textarea", "button")
_HIDDEN_TAGS = frozenset(_DROP_TAGS + ("title",))
_JUNK_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_JUNK_NAME = re.compile(
    r"(?:^|[-_])(nav|navbar|menus?|breadcrumbs?|crumbs?|footer|header|sidebar|share|bdshare|toolbar|search|"
    r"logo|copyright|position|location|dqwz|related|xgwz|pager|pagination|print)(?:$|[-_])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "ul", "ol", "dl", "dt", "dd", "table",
    "section", "article", "blockquote", "pre", "hr", "main", "figure", "figcaption", "center", "address",
    "caption", "body", "header", "footer", "nav", "aside", "form", "tbody", "thead", "tfoot",
}
_CJK = CJK_WIDE
_WORDISH = re.compile(r"[A-Za-z0-9]")
_LABELS = r"发文机构|发文机关|发布机构|发文单位|发布日期|发布时间|成文日期|发文日期|来源|索引号|文号|发文字号|主题分类|信息来源"
_FIELD_LINE = re.compile(r"^[\s•·●【\[]*(?:" + _LABELS + r")\s*[:：]")
_FIELD = re.compile(r"(" + _LABELS + r")\s*[:：]\s*")
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_MIN_SCORE = 40
# Share of the page's prose that may lie outside the chosen container before the article counts as split:
# a portal page puts a line or two of prose outside the article at most (a summary, a note); a page that
# splits its article (two editor blocks, a page break block) leaves 28-57% of it outside.
SPLIT_SHARE = 0.1


def read_html(file: Path, data: bytes) -> RawDocument:
    """Read a web page into a RawDocument holding one line per paragraph of the article."""
    from selectolax.lexbor import LexborHTMLParser

    source, encoding = decode_html(file, data)
    tree = LexborHTMLParser(source)
    header = _meta_tags(tree)
    tree.strip_tags(list(_DROP_TAGS))
    fields = page_fields(block_lines(tree.body) if tree.body else [])
    lines = [line for line in _article_lines(tree) if not _is_field_line(line)]
    if not any(_score(line) for line in lines):
        raise InputError(file, "no article text found in HTML")
    meta = DocMeta(path=str(file), kind="web", encoding=encoding)
    return RawDocument(meta=meta, text="\n".join(lines), header=tuple(_merge_header(header, fields).items()),
                       source_lines=source_map(source, lines))


class _VisibleText(HTMLParser):
    """Collect the page's visible characters (no whitespace) with the source line of each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chars: list[str] = []
        self.lines: list[int] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in _HIDDEN_TAGS

    def handle_endtag(self, tag):
        self._hidden -= tag in _HIDDEN_TAGS and self._hidden > 0

    def handle_data(self, data):
        if self._hidden:
            return
        line = self.getpos()[0]
        for char in data:
            if char == "\n":
                line += 1
            elif not char.isspace():
                self.chars.append(char)
                self.lines.append(line)


def source_map(source: str, lines: list[str]) -> tuple[tuple[int, int], ...]:
    """Return (offset in the article text, line of the page source) breakpoints; line 0 where not found."""
    page = _VisibleText()
    page.feed(source)
    page.close()
    visible, breaks, cursor, offset = "".join(page.chars), [], 0, 0
    for line in lines:
        key = [(i, ch) for i, ch in enumerate(line) if not ch.isspace()]
        found = _find_in_page(visible, "".join(ch for _, ch in key), cursor)
        if found is None:
            breaks.append((offset, 0))
        else:
            cursor = found + len(key)
            for (i, _), source_line in zip(key, page.lines[found:cursor]):
                if not breaks or breaks[-1][1] != source_line:
                    breaks.append((offset + i, source_line))
        offset += len(line) + 1
    return tuple(breaks)


def _find_in_page(visible: str, key: str, cursor: int) -> int | None:
    """Return where key starts in the page's visible text, searching on from the cursor first."""
    for start in (cursor, 0):
        found = visible.find(key, start)
        if found >= 0:
            return found
    return None


def decode_html(file: Path, data: bytes) -> tuple[str, str]:
    """Decode page bytes by BOM, then the declared <meta> charset, then detection."""
    declared = None if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) else _declared_codec(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    try:
        return decode_text(data, file)
    except InputError:
        if not declared:
            raise
        return data.decode(declared, errors="replace"), declared


def _declared_codec(data: bytes) -> str | None:
    """Return the Python codec for a <meta charset> / http-equiv declaration, if usable."""
    found = _CHARSET.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii", "ignore").lower()
    if name in {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "x-euc-cn", "euc-cn"}:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _meta_tags(tree) -> dict:
    """Return header fields (标题/发布日期/发文机构) from <meta> tags and <title>."""
    metas = {}
    for node in tree.css("meta"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").strip().lower()
        content = (node.attributes.get("content") or "").strip()
        if name and content:
            metas.setdefault(name, content)
    header = {"标题": metas.get("articletitle") or metas.get("og:title") or _title_text(tree)}
    header["发布日期"] = metas.get("pubdate") or metas.get("publishdate") or metas.get("article:published_time")
    header["发文机构"] = metas.get("contentsource")
    return {key: value for key, value in header.items() if value}


def _title_text(tree) -> str | None:
    """Return the <title> without the portal name after "_", " - " or "|", else the first <h1>."""
    node = tree.css_first("title")
    text = _squash(node.text()) if node else ""
    text = re.split(r"\s*(?:_|\||--|\s-\s)\s*", text)[0].strip() if text else ""
    if not text:
        heading = tree.css_first("h1")
        text = _squash(heading.text()) if heading else ""
    return text or None


def page_fields(lines: list[str]) -> dict:
    """Return label -> value for 发文机构:/发布日期:/成文日期: … lines of the page."""
    fields = {}
    for line in lines:
        if not _is_field_line(line):
            continue
        marks = list(_FIELD.finditer(line))
        for mark, following in zip(marks, marks[1:] + [None]):
            value = line[mark.end() : following.start() if following else len(line)]
            value = value.strip(" \t\u3000\xa0|｜】]")
            if value:
                fields.setdefault(mark.group(1), value)
    return fields


def _is_field_line(line: str) -> bool:
    """Return True for a short line that starts with a metadata label."""
    return len(line) <= 120 and bool(_FIELD_LINE.match(line))


def _merge_header(tags: dict, fields: dict) -> dict:
    """Combine <meta> values and on-page fields; the visible page text wins."""
    header = dict(tags)
    issuer = fields.get("发文机构") or fields.get("发文机关") or fields.get("发布机构") or fields.get("发文单位")
    if issuer:
        header["发文机构"] = issuer
    published = fields.get("发布日期") or fields.get("发布时间")
    if published and parse_date(published):
        header["发布日期"] = published
    if fields.get("成文日期"):
        header["成文日期"] = fields["成文日期"]
    return header


def _article_lines(tree) -> list[str]:
    """Return the article's lines: best portal container (with the rest of a split article), else trafilatura, else the body."""
    if tree.body is None:
        return []
    _drop_junk(tree.body)
    best = _best_candidate(tree)
    if best is not None and _score("".join(best[1])) >= _MIN_SCORE:
        return _whole_article(tree.body, best[0], best[1])
    return _trafilatura_lines(tree.html or "") or (best[1] if best else []) or block_lines(tree.body)


def _best_candidate(tree):
    """Return (node, lines) of the tightest container holding nearly the most CJK text, or None."""
    # an editor container (#zoom, .TRS_Editor …) needs 60% of the best score, a generic one 85%:
    # what a wrapper adds is usually the title, the date line and share links.
    seen, candidates = set(), []
    for selector in ARTICLE_SELECTORS:
        share = 0.6 if selector in EDITOR_SELECTORS else 0.85
        for node in tree.css(selector):
            if node.mem_id not in seen:
                seen.add(node.mem_id)
                lines = block_lines(node)
                candidates.append((_score("".join(lines)), share, sum(map(len, lines)), node, lines))
    if not candidates:
        return None
    top = max(score for score, *_ in candidates)
    close = [c for c in candidates if c[0] >= c[1] * top]
    best = min(close, key=lambda c: c[2])
    return best[3], best[4]


def _whole_article(body, node, lines: list[str]) -> list[str]:
    """Return the container's lines, plus the prose blocks beside it when the article is split across blocks.

    Text mass decides: when more than SPLIT_SHARE of the page's prose (paragraph-length lines) lies
    outside the chosen container, go up to the smallest ancestor holding nearly all of it and keep,
    on the way down to the container, every sibling block that holds prose (and none that does not).
    """
    total = _prose_mass(block_lines(body))
    if not total or _prose_mass(lines) >= (1 - SPLIT_SHARE) * total:
        return lines
    ancestor = node
    while ancestor.parent is not None and ancestor.parent.tag != "-document" and _prose_mass(block_lines(ancestor)) < (1 - SPLIT_SHARE / 2) * total:
        ancestor = ancestor.parent
    return _prose_blocks(ancestor, node)


def _prose_blocks(root, target) -> list[str]:
    """Return the lines of target and of every block with prose beside it, between root and target."""
    out = []
    for child in root.iter(include_text=True):
        if child.mem_id == target.mem_id:
            out += block_lines(target)
        elif child.tag != "-text" and _contains(child, target):
            out += _prose_blocks(child, target)
        elif child.tag == "-text":
            text = _squash(child.text_content or "")
            out += [text] if _is_prose(text) else []
        elif any(_is_prose(line) for line in block_lines(child)):
            out += block_lines(child)
    return out


def _contains(node, target) -> bool:
    """Return True when target lies under node."""
    parent = target.parent
    while parent is not None and parent.tag != "-document":
        if parent.mem_id == node.mem_id:
            return True
        parent = parent.parent
    return False


def _is_prose(line: str) -> bool:
    """Return True for a paragraph-length line (more than a menu item, title or date line)."""
    return len(_CJK.findall(line)) >= 25 or len(line) >= 120


def _prose_mass(lines: list[str]) -> int:
    """Return the CJK characters of the paragraph-length lines."""
    return sum(len(_CJK.findall(line)) for line in lines if _is_prose(line))


def _drop_junk(body) -> None:
    """Remove nav, header, footer, menus, breadcrumbs and sidebars, unless one holds most of the text."""
    total = _score(body.text(separator=" "))
    dropped = set()
    for node in body.css("*"):
        if not _is_junk(node) or _under(node, dropped):
            continue
        if total and _score(node.text(separator=" ")) > 0.5 * total and _has_prose(node):
            continue
        dropped.add(node.mem_id)
    for node in [n for n in body.css("*") if n.mem_id in dropped]:
        node.decompose()


def _has_prose(node) -> bool:
    """Return True when node holds a paragraph-length line (so it is more than a menu)."""
    return any(_is_prose(line) for line in block_lines(node))


def _is_junk(node) -> bool:
    """Return True for page furniture by tag, class or id."""
    if node.tag in _JUNK_TAGS:
        return True
    names = (node.attributes.get("class") or "").split() + [node.attributes.get("id") or ""]
    return any(_JUNK_NAME.search(name) for name in names if name)


def _under(node, ids: set) -> bool:
    """Return True when an ancestor of node is in ids."""
    parent = node.parent
    while parent is not None and parent.tag != "-document":
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def block_lines(root) -> list[str]:
    """Return one line per block element (p, div, h1-h6, li, tr …) under root, whitespace squashed."""
    lines, buffer = [], []
    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving or tag in ("br", "hr"):
            _flush(buffer, lines)
        elif tag == "-text":
            buffer.append(node.text_content or "")
        elif not tag.startswith(("-", "_", "!")):
            if tag in ("td", "th"):
                buffer.append(" ")
            if tag in _BLOCK_TAGS:
                _flush(buffer, lines)
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    _flush(buffer, lines)
    return lines


def _flush(buffer: list[str], lines: list[str]) -> None:
    """Move the buffered inline text to lines as one squashed line."""
    line = _squash("".join(buffer))
    buffer.clear()
    if line:
        lines.append(line)


def _squash(text: str) -> str:
    """Collapse runs of whitespace (incl. no-break and ideographic spaces) and trim."""
    return re.sub(r"\s+", " ", text).strip()


def _score(text: str) -> float:
    """Score text by its CJK characters (Latin letters and digits count a quarter)."""
    return len(_CJK.findall(text)) + len(_WORDISH.findall(text)) / 4


def _trafilatura_lines(source: str) -> list[str]:
    """Return trafilatura's main-text extraction of the cleaned page as squashed lines (quietly), or []."""
    logger = logging.getLogger("trafilatura")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        import trafilatura

        text = trafilatura.extract(source, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # a fallback extractor must never turn a page into a traceback
        text = None
    finally:
        logger.setLevel(previous)
    lines = (re.sub(r"^\|\s*|\s*\|$", "", line.strip()).replace(" | ", " ") for line in (text or "").split("\n"))
    return [line for line in map(_squash, lines) if line]

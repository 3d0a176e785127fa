"""Build the heading tree of a normalized report and give each section its role."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from .identity import identify
from .models import Normalized, RawDocument, Report, Section, notices_of
from .normalize import normalize
from .options import DEFAULT, Options
from .options import RolesOptions
from .roles import PLEDGE_LIST, Chapter, body_span, term_span, title_signal, chapter_roles, is_appendix, looks_like_unnumbered_heading, plan_span, plan_years_of, role_of
from .record import record

__all__ = ["parse_report", "build_sections", "heading_of", "Heading", "SectionsResult", "section_dict"]

_CN = "一二三四五六七八九十百"
# (rank, pattern): a lower rank is a higher level of the outline.
_MARKERS = (
    (0, re.compile(rf"^第[{_CN}\d]+编")),
    (1, re.compile(rf"^第[{_CN}\d]+章")),
    (2, re.compile(rf"^第[{_CN}\d]+节")),
    (3, re.compile(rf"^第[{_CN}\d]+部分")),
    (3, re.compile(rf"^[{_CN}]+、")),
    (4, re.compile(rf"^\([{_CN}]+\)")),
    (5, re.compile(rf"^第[{_CN}\d]+条")),
    (6, re.compile(r"^\d{1,2}[.、](?!\d)")),
    (7, re.compile(r"^\(\d{1,2}\)")),
    (8, re.compile(r"^[①-⑳]")),
)
_SPAN_IN_TITLE = re.compile(r"(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)\d{2}|十[一二三四五六]?五")
_MARKER_FIRST = frozenset(f"第{_CN}(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")  # how every marker above starts
_APPENDIX_ROLE = "appendix"  # glossary/attachments: reported as role "other"
_TITLE_END = re.compile(r"[。;!?]")
# 一是 … at the start or after a clause mark. The pattern starts with the literal 是 so the regex
# engine jumps from one 是 to the next, then looks behind for the numeral and what stands before
# it (10x faster on a long report than starting with the numeral class). A match ends after 是.
_INLINE = re.compile(rf"是(?<=(?<![^。;,:!?\n])[{_CN[:10]}]是)")


@record
class Heading:
    """A heading found at the start of a paragraph."""

    rank: int
    number: str
    title: str
    title_end: int  # offset in the paragraph where the body starts


def heading_of(paragraph: str) -> Optional[Heading]:
    """Return the heading that starts a paragraph, or None."""
    if paragraph[:1] not in _MARKER_FIRST:  # one look instead of ten regexes for the many body paragraphs
        return Heading(3, "", paragraph, len(paragraph)) if looks_like_unnumbered_heading(paragraph) else None
    for rank, pattern in _MARKERS:
        found = pattern.match(paragraph)
        if found:
            title, end = _split_title(paragraph, found.end())
            return Heading(rank, found.group(0), title, end) if title or rank < 4 else None
    if looks_like_unnumbered_heading(paragraph):
        return Heading(3, "", paragraph, len(paragraph))
    return None


def _split_title(paragraph: str, start: int) -> tuple[str, int]:
    """Split a heading paragraph into its title and the offset of the body."""
    stop = _TITLE_END.search(paragraph, start)
    if stop and stop.start() - start <= 80:
        return paragraph[start : stop.start()], stop.end()
    if stop is None and len(paragraph) - start <= 80:
        return paragraph[start:], len(paragraph)
    comma = paragraph.find(",", start, start + 40)
    end = comma if comma > start else min(len(paragraph), start + 40)
    return paragraph[start:end], end


@dataclass
class _Node:
    """A heading while the outline is built (mutable: its end and children come later)."""

    rank: int
    heading: Heading
    start: int
    body_start: int
    children: list = field(default_factory=list)
    end: int = 0


def parse_report(raw: RawDocument, options: Options = DEFAULT) -> Report:
    """Decide the document's identity, normalize it and build its section tree."""
    raw = replace(raw, meta=identify(raw, options.identity))
    norm = normalize(raw.text)
    return Report(raw=raw, norm=norm, sections=build_sections(norm, raw.meta.genre, raw.meta.year, options.roles))


def build_sections(norm: Normalized, genre: Optional[str] = None, year: Optional[int] = None,
                   options: RolesOptions = DEFAULT.roles) -> tuple[Section, ...]:
    """Return the top-level sections of normalized text, with roles and inline items.

    The chapters' roles are decided together (their order counts, see roles.chapter_roles);
    subsections take their chapter's role unless their own title says otherwise.
    """
    roots = _outline(norm.text)
    span = plan_span(norm.text) if genre == "multi-year-plan" else ()
    context = _Context(norm, genre, year, span, () if span else term_span(norm.text, year))
    chapters = [Chapter(node.heading.title.strip(), norm.text[node.body_start : node.end]) for node in roots]
    roles = chapter_roles(chapters, genre, year, options)
    roots, roles = _pledge_lists_under_plan(roots, roles)
    return tuple(_freeze(node, str(i), (), context, None, role) for i, (node, role) in enumerate(zip(roots, roles), 1))


def _pledge_lists_under_plan(roots: list[_Node], roles: list[str]) -> tuple[list[_Node], list[str]]:
    """Move a pledge list standing after the plan (2018年民生实事, numbered again from 1) under that plan chapter.

    It belongs to the plan (its items are the most checkable pledges), not beside it as a chapter.
    """
    kept_roots, kept_roles, plan = [], [], None
    for node, role in zip(roots, roles):
        if role == "plan" and PLEDGE_LIST.search(node.heading.title) and plan is not None:
            plan.children.append(node)
            continue
        if role == "plan":
            plan = node
        kept_roots.append(node)
        kept_roles.append(role)
    return kept_roots, kept_roles


@record
class _Context:
    """What every section of one report is decided against."""

    norm: Normalized
    genre: Optional[str]
    year: Optional[int]
    span: tuple  # the years a five-year plan document covers
    term: tuple = ()  # the years a work report's five-year chapters plan (到2025年 -> 2021..2025)


def _outline(text: str) -> list[_Node]:
    """Find headings paragraph by paragraph and nest them by marker rank."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    paragraphs = text.split("\n")
    offset, unnumbered_rank = 0, None
    for k, paragraph in enumerate(paragraphs):
        heading = _heading_at(paragraphs, k)
        if heading is not None and unnumbered_rank is None:
            # Chapters without numbers (盐田 2020) stand above the 一、 items inside them.
            unnumbered_rank = 2 if not heading.number and not is_appendix(heading.title) else 3
        if heading is not None and not heading.number:
            heading = replace(heading, rank=unnumbered_rank)
        if heading is not None:
            node = _Node(heading.rank, heading, offset, offset + heading.title_end)
            while stack and stack[-1].rank >= node.rank:
                stack.pop().end = offset
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        offset += len(paragraph) + 1
    for node in stack:
        node.end = len(text)
    _close(roots, len(text))
    return roots


def _heading_at(paragraphs: list[str], k: int) -> Optional[Heading]:
    """Return the heading of paragraph k, its title re-joined when a line break cut it inside 《…》.

    A book title broken over lines (三、关于《 / 国民经济…纲要 / 》的说明) is one heading; an
    unnumbered line inside such a title (…的建议 between 《 and 》) is none.
    """
    heading = heading_of(paragraphs[k])
    if heading is None:
        return None
    if not heading.number and k > 0 and (paragraphs[k - 1].endswith("《") or paragraphs[k + 1 : k + 2] and paragraphs[k + 1].startswith("》")):
        return None
    title, end, j = heading.title, heading.title_end, k
    while title.count("《") > title.count("》") and j + 1 < len(paragraphs) and j - k < 3 and len(paragraphs[j + 1]) <= 60:
        j += 1
        title += paragraphs[j]
        end = sum(len(p) + 1 for p in paragraphs[k:j]) + len(paragraphs[j])
    return Heading(heading.rank, heading.number, title, end) if j > k else heading


def _close(nodes: list[_Node], end: int) -> None:
    """Make every node end where its next sibling starts (or at its parent's end)."""
    for node, following in zip(nodes, nodes[1:] + [None]):
        node.end = following.start if following else end
        _close(node.children, node.end)


def _role(title: str, ctx: _Context, inherited: Optional[str]) -> str:
    """Return a subsection's role: its chapter's, unless its own title says otherwise (appendix parts stay other)."""
    if inherited == _APPENDIX_ROLE or is_appendix(title):
        return _APPENDIX_ROLE
    own = role_of(title, ctx.genre, ctx.year)
    if inherited in (None, "other"):
        return own
    if ctx.genre == "multi-year-plan" and inherited == "multi-year-plan" and own in ("results", "shortcomings", "other"):
        return own if own != "other" or _is_background(title) else inherited  # a plan's 发展基础 / 机遇挑战 / 重大意义
    if inherited == "multi-year-plan" and title_signal(title, ctx.genre, ctx.year) == "results":
        return "results"  # the past period reviewed inside a five-year chapter ("十五"期间…主要情况)
    # A review may hold its own problems subsection; a plan's 政府自身建设 item stays plan.
    return own if (own == "shortcomings" and inherited == "results") else inherited


def _is_background(title: str) -> bool:
    """Return True for a five-year plan's framing subsection (重大意义) that neither reviews nor plans."""
    return bool(re.search(r"意义", title))


def _freeze(node: _Node, ident: str, parents: tuple, ctx: _Context, inherited: Optional[str], decided: Optional[str] = None,
            parent_years: tuple = ()) -> Section:
    """Turn a mutable outline node into a frozen Section (recursively); decided: a chapter's role."""
    norm = ctx.norm
    title = node.heading.title.strip()
    marked = decided or _role(title, ctx, inherited)
    role = "other" if marked == _APPENDIX_ROLE else marked
    own_years = _plan_years(title, role, ctx, norm.text[node.body_start : node.end])
    years = parent_years if role == inherited == "multi-year-plan" and parent_years and not _SPAN_IN_TITLE.search(title) else own_years
    path = parents + (title or node.heading.number,)
    children = tuple(_freeze(c, f"{ident}.{i}", path, ctx, marked, None, years) for i, c in enumerate(node.children, 1))
    plan_year = years[-1] if years else None
    if not children:
        children = _inline_items(ident, path, role, plan_year, years, node.body_start, node.end, norm)
    return Section(
        id=ident, level=len(path), number=node.heading.number, title=title, role=role,
        plan_year=plan_year, line=norm.line_at(node.start), start=node.start,
        body_start=node.body_start, end=node.end, children=children, path_titles=path, plan_years=years,
    )


def _plan_years(title: str, role: str, ctx: _Context, body: str) -> tuple[int, ...]:
    """Return the years a plan or multi-year-plan section plans (empty for other roles)."""
    if role == "plan":
        return plan_years_of(title, ctx.year, ctx.genre, ctx.span)
    if role != "multi-year-plan":
        return ()
    return plan_years_of(title, ctx.year, ctx.genre, ctx.span or body_span(body, ctx.year) or ctx.term, role="multi-year-plan")


def _inline_items(ident: str, path: tuple, role: str, plan_year: Optional[int], years: tuple,
                  body_start: int, end: int, norm: Normalized) -> tuple[Section, ...]:
    """Return 一是…二是…三是… items in a leaf section's body (body_start..end) as inline children."""
    sequence, body = [], norm.text[body_start:end]  # a slice: the look-behind must not see the title
    for match in _INLINE.finditer(body):
        if _CN.index(body[match.start() - 1]) == len(sequence):
            sequence.append(body_start + match.start() - 1)  # where this 一是, 二是 … starts
    if len(sequence) < 2:
        return ()
    items = []
    for i, start in enumerate(sequence):
        item_end = sequence[i + 1] if i + 1 < len(sequence) else end
        stop = _TITLE_END.search(norm.text, start, item_end)
        title = norm.text[start + 2 : stop.start() if stop else min(item_end, start + 40)]
        items.append(Section(
            id=f"{ident}.{i + 1}", level="inline", number=norm.text[start : start + 2], title=title, role=role,
            plan_year=plan_year, line=norm.line_at(start), start=start, body_start=start + 2, end=item_end,
            path_titles=path + (title,), plan_years=years,
        ))
    return tuple(items)


def section_dict(section: Section) -> dict:
    """Return a section (and its children) in the comparer.sections/1 form."""
    return {
        "id": section.id, "path": section.path, "level": section.level, "number": section.number,
        "title": section.title, "role": section.role, "plan_year": section.plan_year,
        "plan_years": list(section.plan_years), "line": section.line,
        "children": [section_dict(c) for c in section.children],
    }


@record
class SectionsResult:
    """The heading tree of one report, as `comparer sections` shows it."""

    report: Report
    KIND = "sections"
    SCHEMA = "comparer.sections/1"
    exit_code = 0

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the inputs (see models.Notice)."""
        return notices_of([self.report])

    def to_dict(self) -> dict:
        """Return the comparer.sections/1 JSON form."""
        meta = self.report.meta.to_dict()
        return {"schema": self.SCHEMA, "meta": meta, "sections": [section_dict(s) for s in self.report.sections]}

    def rows(self) -> list[dict]:
        """Return one flat row per section, depth first."""
        return [{k: v for k, v in section_dict(s).items() if k != "children"} for s in self.report.all_sections()]

"""Build the heading tree of a normalized report and give each section its role."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from .identity import identify
from .models import Normalized, RawDocument, Report, Section
from .normalize import normalize
from .roles import is_appendix, looks_like_unnumbered_heading, plan_span, plan_years_of, role_of

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
_APPENDIX_ROLE = "appendix"  # glossary/attachments: reported as role "other"
_TITLE_END = re.compile(r"[。;!?]")
_INLINE = re.compile(rf"(?:(?<=^)|(?<=[。;,:!?\n]))([{_CN[:10]}])是")


@dataclass(frozen=True)
class Heading:
    """A heading found at the start of a paragraph."""

    rank: int
    number: str
    title: str
    title_end: int  # offset in the paragraph where the body starts


def heading_of(paragraph: str) -> Optional[Heading]:
    """Return the heading that starts a paragraph, or None."""
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
    rank: int
    heading: Heading
    start: int
    body_start: int
    children: list = field(default_factory=list)
    end: int = 0


def parse_report(raw: RawDocument) -> Report:
    """Decide the document's identity, normalize it and build its section tree."""
    raw = replace(raw, meta=identify(raw))
    norm = normalize(raw.text)
    return Report(raw=raw, norm=norm, sections=build_sections(norm, raw.meta.genre, raw.meta.year))


def build_sections(norm: Normalized, genre: Optional[str] = None, year: Optional[int] = None) -> tuple[Section, ...]:
    """Return the top-level sections of normalized text, with roles and inline items."""
    roots = _outline(norm.text)
    context = _Context(norm, genre, year, plan_span(norm.text) if genre == "multi-year-plan" else ())
    sections = tuple(_freeze(node, str(i), (), context, None) for i, node in enumerate(roots, 1))
    return _topics_before_plan_are_results(sections, genre)


def _topics_before_plan_are_results(sections: tuple[Section, ...], genre: Optional[str]) -> tuple[Section, ...]:
    """In a report with no results heading, read the topic chapters before its plan as results.

    Some annual reports title each chapter by its topic (一、深入推进"放管服"改革…) and only
    the last chapter says what it is (八、2020年法治政府建设工作计划).
    """
    roles = [s.role for s in sections]
    if genre == "multi-year-plan" or "results" in roles or "plan" not in roles:
        return sections
    first_plan = roles.index("plan")
    if first_plan == 0 or any(r != "other" for r in roles[:first_plan]):
        return sections
    return tuple(_with_role(s, "results") if i < first_plan else s for i, s in enumerate(sections))


def _with_role(section: Section, role: str) -> Section:
    """Return a copy of a section (and its subtree) with another role."""
    children = tuple(_with_role(c, role) for c in section.children)
    return replace(section, role=role, children=children, plan_year=None, plan_years=())


@dataclass(frozen=True)
class _Context:
    norm: Normalized
    genre: Optional[str]
    year: Optional[int]
    span: tuple


def _outline(text: str) -> list[_Node]:
    """Find headings paragraph by paragraph and nest them by marker rank."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    offset = 0
    for paragraph in text.split("\n"):
        heading = heading_of(paragraph)
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


def _close(nodes: list[_Node], end: int) -> None:
    """Make every node end where its next sibling starts (or at its parent's end)."""
    for node, following in zip(nodes, nodes[1:] + [None]):
        node.end = following.start if following else end
        _close(node.children, node.end)


def _role(title: str, genre: Optional[str], inherited: Optional[str]) -> str:
    """Return a section's role: its own title's, else its parent's (appendix parts stay other)."""
    if inherited == _APPENDIX_ROLE or is_appendix(title):
        return _APPENDIX_ROLE
    own = role_of(title, genre)
    if inherited in (None, "other"):
        return own
    # A review may hold its own problems subsection; a plan's 政府自身建设 item stays plan.
    return own if (own == "shortcomings" and inherited == "results") else inherited


def _freeze(node: _Node, ident: str, parents: tuple, ctx: _Context, inherited: Optional[str]) -> Section:
    """Turn a mutable outline node into a frozen Section (recursively)."""
    norm = ctx.norm
    title = node.heading.title.strip()
    marked = _role(title, ctx.genre, inherited)
    role = "other" if marked == _APPENDIX_ROLE else marked
    years = plan_years_of(title, ctx.year, ctx.genre, ctx.span) if role in ("plan", "multi-year-plan") else ()
    path = parents + (title or node.heading.number,)
    children = [_freeze(c, f"{ident}.{i}", path, ctx, marked) for i, c in enumerate(node.children, 1)]
    section = Section(
        id=ident, level=len(path), number=node.heading.number, title=title, role=role,
        plan_year=years[-1] if years else None, line=norm.line_at(node.start), start=node.start,
        body_start=node.body_start, end=node.end, children=tuple(children), path_titles=path, plan_years=years,
    )
    if not children:
        section = replace(section, children=_inline_items(section, norm))
    return section


def _inline_items(section: Section, norm: Normalized) -> tuple[Section, ...]:
    """Return 一是…二是…三是… items in a leaf section's body as inline children."""
    body = norm.text[section.body_start : section.end]
    hits = [m for m in _INLINE.finditer(body)]
    sequence = []
    for match in hits:
        if _CN.index(match.group(1)) == len(sequence):
            sequence.append(match)
    if len(sequence) < 2:
        return ()
    items = []
    for i, match in enumerate(sequence):
        start = section.body_start + match.start()
        end = section.body_start + sequence[i + 1].start() if i + 1 < len(sequence) else section.end
        stop = _TITLE_END.search(norm.text, start, end)
        title = norm.text[start + 2 : stop.start() if stop else min(end, start + 40)]
        items.append(Section(
            id=f"{section.id}.{i + 1}", level="inline", number=match.group(0), title=title, role=section.role,
            plan_year=section.plan_year, line=norm.line_at(start), start=start, body_start=start + 2, end=end,
            path_titles=section.path_titles + (title,), plan_years=section.plan_years,
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


@dataclass(frozen=True)
class SectionsResult:
    """The heading tree of one report, as `comparer sections` shows it."""

    report: Report
    KIND = "sections"
    SCHEMA = "comparer.sections/1"
    exit_code = 0

    def to_dict(self) -> dict:
        """Return the comparer.sections/1 JSON form."""
        meta = self.report.meta.to_dict()
        return {"schema": self.SCHEMA, "meta": meta, "sections": [section_dict(s) for s in self.report.sections]}

    def rows(self) -> list[dict]:
        """Return one flat row per section, depth first."""
        return [{k: v for k, v in section_dict(s).items() if k != "children"} for s in self.report.all_sections()]

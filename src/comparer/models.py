"""Small immutable records passed between pipeline stages."""
from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from typing import Optional

from .record import record

__all__ = [
    "DocMeta",
    "RawDocument",
    "Normalized",
    "Section",
    "Report",
    "SectionPair",
    "Drift",
    "Notice",
    "Dropped",
    "ROLES",
    "notices_of",
]

ROLES = ("results", "shortcomings", "duty", "plan", "multi-year-plan", "other")


@record
class Notice:
    """Something the user must be told about an input or a result: printed on stderr, listed in JSON `warnings`."""

    path: str  # the file (or input) it is about
    message: str  # one line, e.g. "dropped 3.2% of CJK characters (web-footer 120, page-number 4)"

    def __str__(self) -> str:
        return f"{self.path}: warning: {self.message}"

    def to_dict(self) -> dict:
        """Return the JSON form listed in an output's `warnings`."""
        return {"path": self.path, "message": self.message}


@record
class Dropped:
    """A run of original lines that normalisation removed, and the rule that removed it."""

    rule: str  # page-number | running-header | web-footer
    first_line: int  # 1-based original line numbers (blank lines inside the run count too)
    last_line: int
    chars: int  # characters removed, whitespace not counted
    text: str  # the removed lines as written, one per line, blank lines left out

    def to_dict(self) -> dict:
        """Return the JSON form used by `comparer normalize --explain --format json`."""
        return {"rule": self.rule, "first_line": self.first_line, "last_line": self.last_line, "chars": self.chars, "text": self.text}


@record
class DocMeta:
    """What is known about a document apart from its body text."""

    path: str
    kind: str  # "pdf" | "web" | "text"
    title: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[str] = None
    year: Optional[int] = None
    encoding: Optional[str] = None
    pages: Optional[int] = None
    genre: Optional[str] = None
    region: Optional[str] = None  # jurisdiction without the levels above it: 罗湖区, 国务院
    stated_issuer: Optional[str] = None  # the issuer as the header or text names it, before normalising
    identified_by: Optional[str] = None  # "text" or "filename" (region or year only from the file name)
    identity_confidence: Optional[float] = None  # in [0, 1]: how sure region, issuer and year are (identity.py)
    notices: tuple[Notice, ...] = ()  # warnings about this document (weak identity …); not part of to_dict

    def to_dict(self) -> dict:
        """Return the JSON form used by every output."""
        return {
            "path": self.path,
            "kind": self.kind,
            "title": self.title,
            "issuer": self.issuer,
            "region": self.region,
            "stated_issuer": self.stated_issuer,
            "identified_by": self.identified_by,
            "identity_confidence": self.identity_confidence,
            "date": self.date,
            "year": self.year,
            "genre": self.genre,
            "encoding": self.encoding,
            "pages": self.pages,
        }


@record
class RawDocument:
    """Decoded or extracted text; its line numbers are the ones users see."""

    meta: DocMeta
    text: str
    page_starts: tuple[int, ...] = ()  # first line (1-based) of each PDF page
    header: tuple[tuple[str, str], ...] = ()  # fields the file states about itself (标题, 发文机构, 发布日期 …)
    source_lines: tuple[tuple[int, int], ...] = ()  # (offset in text, line of the file's source) breakpoints: HTML
    notices: tuple[Notice, ...] = ()  # what reading lost or could not see (a PDF page without text layer)

    def page_of(self, line: int) -> Optional[int]:
        """Return the 1-based page holding an original line, if paged."""
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, line)

    def page_line(self, line: int) -> Optional[int]:
        """Return the 1-based line within its page of an original line, if paged."""
        page = self.page_of(line)
        return line - self.page_starts[page - 1] + 1 if page else None

    def source_line_at(self, offset: int) -> Optional[int]:
        """Return the line of the file's source (HTML) where the text at offset stands, if known."""
        index = bisect_right(self.source_lines, (offset, float("inf"))) - 1
        return (self.source_lines[index][1] or None) if index >= 0 else None  # 0: not found in the source


@record
class Normalized:
    """Canonical text (one paragraph per line) with a map to original lines."""

    text: str
    seg_starts: tuple[int, ...]  # offsets in text where a run from one original line starts
    seg_lines: tuple[int, ...]  # the original 1-based line of each run
    rules: tuple[tuple[str, int], ...] = ()
    dropped: tuple[Dropped, ...] = ()  # every run of text a rule removed (whitespace aside)
    warnings: tuple[str, ...] = ()  # messages about the removals worth telling (no path: see notices)

    def notices(self, path: str) -> tuple[Notice, ...]:
        """Return the warnings about this text as notices on the file at path."""
        return tuple(Notice(path, message) for message in self.warnings)

    def line_at(self, offset: int) -> int:
        """Return the original line number of the character at offset."""
        if not self.seg_starts:
            return 1
        index = bisect_right(self.seg_starts, max(offset, 0)) - 1
        return self.seg_lines[max(index, 0)]


@record
class Section:
    """A heading and the text it governs, with its role in the report."""

    id: str  # ordinal path, "2.3"
    level: object  # depth 1.. or "inline"
    number: str  # marker as written, "四、", "(二)", "1."
    title: str
    role: str
    plan_year: Optional[int]
    line: int  # original line of the heading
    start: int  # offset of the heading in the normalized text
    body_start: int  # offset where the body (after the title) starts
    end: int  # offset after the last character of the section, children included
    children: tuple["Section", ...] = ()
    path_titles: tuple[str, ...] = ()
    plan_years: tuple[int, ...] = ()

    @property
    def path(self) -> str:
        """Return the titles from the top heading down to this one."""
        return " > ".join(self.path_titles)

    def walk(self):
        """Yield this section and all descendants in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


@record
class Report:
    """A parsed document: metadata, normalized text, section tree."""

    raw: RawDocument
    norm: Normalized
    sections: tuple[Section, ...]

    @property
    def meta(self) -> DocMeta:
        """Return the document's metadata (identity included)."""
        return self.raw.meta

    @property
    def year(self) -> Optional[int]:
        """Return the report's year (work reports: the year delivered)."""
        return self.raw.meta.year

    @property
    def warnings(self) -> tuple[Notice, ...]:
        """Return what the user must be told about this document: reading, identity, normalisation."""
        return self.raw.notices + self.raw.meta.notices + self.norm.notices(self.raw.meta.path)

    def all_sections(self) -> list[Section]:
        """Return every section, depth first."""
        return list(self._flat)

    @cached_property
    def _flat(self) -> tuple[Section, ...]:
        """Every section, depth first (computed once: the tree never changes)."""
        return tuple(s for top in self.sections for s in top.walk())

    @cached_property
    def _outline(self) -> tuple[tuple[int, ...], tuple[Section, ...]]:
        """The non-inline sections depth first, and their starts (never decreasing in that order)."""
        outline = tuple(s for s in self._flat if s.level != "inline")
        return tuple(s.start for s in outline), outline

    def section_at(self, offset: int) -> Optional[Section]:
        """Return the deepest non-inline section containing offset."""
        starts, outline = self._outline
        # Depth first, the sections holding offset are a chain of ancestors; the last one
        # starting at or before offset that still holds it is the deepest.
        for index in range(bisect_right(starts, offset) - 1, -1, -1):
            if offset < outline[index].end:
                return outline[index]
        return None


@record
class SectionPair:
    """Two sections judged to correspond (one side may be missing)."""

    old: Optional[Section]
    new: Optional[Section]
    status: str  # same | changed | added | removed | moved
    similarity: float
    method: str = "title+content"


@record
class Drift:
    """One difference between two versions, placed in both originals."""

    kind: str  # changed | added | removed | moved | figure
    section: str
    old_text: str
    new_text: str
    old_line: Optional[int]
    new_line: Optional[int]
    old_context: str = ""
    new_context: str = ""
    old_value: Optional[str] = None
    new_value: Optional[str] = None
    old_page: Optional[int] = None
    new_page: Optional[int] = None
    old_section: str = ""
    new_section: str = ""
    old_page_line: Optional[int] = None  # line within old_page (what a PDF viewer shows), old_line counts the whole text
    new_page_line: Optional[int] = None
    old_source_line: Optional[int] = None  # line of the HTML page source where the changed text starts
    new_source_line: Optional[int] = None
    old_original: Optional[str] = None  # the changed characters as written in the file (not normalised); None if not found
    new_original: Optional[str] = None
    old_span: Optional[tuple[int, int]] = None  # [start, end) character offsets of old_original in the extracted text
    new_span: Optional[tuple[int, int]] = None


def notices_of(reports) -> tuple[Notice, ...]:
    """Return the warnings of several reports, each once, in order."""
    return tuple(dict.fromkeys(notice for report in reports for notice in report.warnings))

"""The per-document stage of a corpus run: read, identify, section, extract (one task per file)."""
from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from ..errors import InputError
from ..models import Report
from ..record import record

if TYPE_CHECKING:  # record types named in annotations (the records codec resolves them)
    from ..commitments import Commitment
    from ..models import Notice
    from ..figures import Figure, RatioCheck

__all__ = ["Skipped", "Placed", "Document", "Stub", "analyse", "place_figures", "sketch", "similarity", "moved"]


@record
class Skipped:
    """A file of the folder that was not analysed, and why."""

    path: str
    reason: str


@record
class Placed:
    """A figure with where it stands: original line, section path and role, ratio check."""

    figure: Figure
    line: int
    section: str
    role: str
    check: Optional[RatioCheck] = None


@record
class Document:
    """The per-document stage's result: the parsed report and what was found in it."""

    path: str  # relative to the corpus folder
    sha256: str
    report: Report
    commitments: tuple[Commitment, ...]
    figures: tuple[Placed, ...]
    sketch: frozenset[int]
    plan_years: tuple[int, ...] = ()

    @property
    def region(self) -> Optional[str]:
        return self.report.meta.region

    @property
    def issuer(self) -> Optional[str]:
        return self.report.meta.issuer

    @property
    def stated_issuer(self) -> Optional[str]:
        return self.report.meta.stated_issuer

    @property
    def identified_by(self) -> Optional[str]:
        return self.report.meta.identified_by

    @property
    def year(self) -> Optional[int]:
        return self.report.year

    @property
    def genre(self) -> Optional[str]:
        return self.report.meta.genre

    @property
    def kind(self) -> str:
        return self.report.meta.kind


@record
class Stub:
    """What the main process keeps of a document: identity, counts, copy sketch, indicator figures, entry digests."""

    path: str
    sha256: str
    entries: tuple[str, ...]  # sha256 of the stored bytes of each entry of PARTS
    kind: str
    region: Optional[str]
    issuer: Optional[str]
    stated_issuer: Optional[str]
    identified_by: Optional[str]
    year: Optional[int]
    genre: Optional[str]
    title: Optional[str]
    date: Optional[str]
    pages: Optional[int]
    encoding: Optional[str]
    counts: tuple[int, ...]  # chars, sections, commitments, figures, ratio checks, failed ratio checks
    notices: tuple[Notice, ...]
    plan_years: tuple[int, ...]
    indicators: tuple[tuple[int, Placed], ...]  # (figure index, figure) of the results figures
    shingles: str  # the copy sketch: sorted uint32 shingle hashes, base64
    kinds: tuple[str, ...] = ()  # per table of columns.PER_DOCUMENT: the kinds of value of each column (columns.row_kinds)

    @property
    def sketch(self) -> frozenset:
        """Return the copy sketch (sketch()) as a set."""
        import base64

        import numpy as np

        return frozenset(np.frombuffer(base64.b64decode(self.shingles), dtype="<u4").tolist())

    @property
    def commitments(self) -> int:
        return self.counts[2]

    def figure(self, k: int):
        """Return indicator figure k (a Placed)."""
        from bisect import bisect_left

        return self.indicators[bisect_left(self.indicators, k, key=lambda item: item[0])][1]


def analyse(task: tuple) -> "Document | Skipped":
    """Run the per-document stage on (relative path, sha256, bytes): read, parse, identify, extract."""
    from ..load import report_from_bytes

    rel, key, data = task
    try:
        return _document(report_from_bytes(data, rel), rel, key)
    except InputError as error:
        return Skipped(rel, error.problem)
    except Exception as error:  # noqa: BLE001 - one odd file must not stop the corpus run
        return Skipped(rel, f"cannot analyse ({type(error).__name__}: {error})".splitlines()[0])


def _document(report: Report, rel: str, key: str) -> Document:
    """Extract a parsed report's commitments, figures and text sketch."""
    from ..commitments import extract_commitments
    from ..roles import plan_span

    span = plan_span(report.norm.text) if report.meta.genre == "multi-year-plan" else ()
    return Document(
        path=rel, sha256=key, report=report, commitments=tuple(extract_commitments(report)),
        figures=place_figures(report), sketch=sketch(report.norm.text), plan_years=tuple(span),
    )


def moved(result, rel: str):
    """Return a cached or shared result relabelled with this file's relative path."""
    if isinstance(result, Skipped):
        return replace(result, path=rel)
    if result.path == rel:
        return result
    meta = replace(result.report.meta, path=rel)
    return replace(result, path=rel, report=replace(result.report, raw=replace(result.report.raw, meta=meta)))


def place_figures(report: Report) -> tuple:
    """Return the report's figures with line, section, role and the ratio check they state."""
    from ..figures import check_ratios, extract_figures

    text = report.norm.text
    figures = extract_figures(text)
    checks = {_rate_index(figures, check): check for check in check_ratios(figures, text)}
    sections = [s for s in report.all_sections() if s.level != "inline"]
    starts = [s.start for s in sections]
    placed = []
    for index, figure in enumerate(figures):
        section = _deepest(sections, starts, figure.offset)
        placed.append(Placed(figure, report.norm.line_at(figure.offset), section.path if section else "",
                             section.role if section else "other", checks.get(index)))
    return tuple(placed)


def _rate_index(figures: list, check) -> Optional[int]:
    """Return the index of the stated rate a ratio check is about."""
    after = max(check.numerator.offset, check.denominator.offset)
    return next((i for i, f in enumerate(figures) if f.offset > after and f.unit == "%" and f.value == check.stated_percent), None)


def _deepest(sections: list, starts: list, offset: int):
    """Return the deepest section (depth-first list) containing offset, or None."""
    index = bisect_right(starts, offset) - 1
    while index >= 0 and sections[index].end <= offset:
        index -= 1
    return sections[index] if index >= 0 else None


def sketch(text: str) -> frozenset:
    """Return a 1-in-8 sample of the hashed 8-character shingles of text (copy detection)."""
    body = re.sub(r"\s+", "", text)
    hashes = (zlib.crc32(body[i:i + 8].encode("utf-8")) for i in range(max(len(body) - 7, 0)))
    return frozenset(h for h in hashes if h % 8 == 0)


def similarity(a: frozenset, b: frozenset) -> float:
    """Return the Jaccard similarity of two sketches."""
    return len(a & b) / len(a | b) if a or b else 1.0

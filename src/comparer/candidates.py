"""Sentence clauses of later reports, each with the role of its section: what a commitment is matched against."""
from __future__ import annotations

import re

from .models import Report
from .patterns import split_sentences
from .record import record

__all__ = ["Candidate", "candidates_of", "LEAD_IN_CHARS"]

LEAD_IN_CHARS = 14  # a sentence this short is a topic line, not a report of work
# A review often admits problems inside its results section ("在总结成绩的同时…不足").
_ADMITS = re.compile(r"困难和不足|存在不足|不足之处|短板|差距|有待|仍需|不够|尚未|薄弱|不到位|问题仍")


@record
class Candidate:
    """A sentence or clause of a later report that may answer a commitment."""

    doc: int
    text: str
    section: str
    role: str
    line: int
    start: int


def candidates_of(report: Report, doc: int) -> list[Candidate]:
    """Return every sentence clause of a report with the role of its section."""
    text = report.norm.text
    out: list[Candidate] = []
    for section in report.all_sections():
        if section.level == "inline":
            continue
        children = [c for c in section.children if c.level != "inline"]
        end = children[0].start if children else section.end
        for start_at, end_at in _with_lead_ins(text, split_sentences(text[section.body_start : end], section.body_start)):
            out.extend(_clauses(report, doc, section, start_at, end_at))
    return out


def _with_lead_ins(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a short lead-in sentence (a topic line such as 严格落实重大行政决策制度。) to the sentence after it.

    A lead-in names a topic, not a deed: alone it matches any plan item on that topic.
    """
    out: list[tuple[int, int]] = []
    pending = None  # start of a lead-in waiting for its sentence
    for start, end in spans:
        if pending is not None and "\n" not in text[pending:start]:
            start = pending
        elif pending is not None:
            out.append((pending, pending_end))
        pending = None
        if end - start <= LEAD_IN_CHARS:
            pending, pending_end = start, end
        else:
            out.append((start, end))
    if pending is not None:
        out.append((pending, pending_end))
    return out


def _clauses(report: Report, doc: int, section, start: int, end: int) -> list[Candidate]:
    """Split one sentence at ；/; into candidates (the inline item's role wins)."""
    text = report.norm.text
    out, cursor = [], start
    for piece in text[start:end].replace("；", ";").split(";"):
        if len(piece.strip()) >= 4:
            role = "shortcomings" if section.role == "results" and _ADMITS.search(piece) else section.role
            lead = len(piece) - len(piece.lstrip())
            out.append(Candidate(doc, piece.strip(), section.path, role, report.norm.line_at(cursor + lead), cursor + lead))
        cursor += len(piece) + 1
    return out

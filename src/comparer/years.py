"""Decide which year a report is for, from what its chapters review and plan.

A work report delivered early in year Y reviews Y-1 and plans Y; both are read from the chapter
that reviews and the chapter that plans (their headings, then the first sentences of their
bodies), and must agree. A review titled by a period (十三五时期…, 过去五年) and a plan that opens a
new period (今年是"十四五"开局之年) mean Y is the first year of the new period. The first year in the
text is usually the year reviewed. Never the file name: identity.py falls back to it, and says so.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .patterns import YEAR
from .record import record

__all__ = ["YearFinding", "work_report_year", "FIVE_YEAR_PLANS", "chapters"]

FIVE_YEAR_PLANS = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_PERIOD = re.compile(r"(十[一二三四五六]五)")
_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分)")
_REVIEW_WORDS = re.compile(r"回顾|成就|成绩|过去|以来|工作情况|主要工作|取得")
_PLAN_WORDS = re.compile(r"安排|任务|重点|部署|建议|思路|目标|计划|打算|今年|各项工作|关于.{0,6}工作|的工作$|主要工作")
_YEAR_IN = re.compile(rf"({YEAR})\s*年")
_SPAN = re.compile(rf"({YEAR})\s*[-—–~至到]\s*({YEAR})")
_LATE_YEAR = re.compile(rf"预计(?:到|至)({YEAR})年(?:底|末)")
_THIS_YEAR_IS = re.compile(rf"^.{{0,40}}?({YEAR})年是")
_TERM_REVIEW = re.compile(r"过去五年|本届政府|五年来|[十]{1}[一二三四五六]五")
_TERM_PLAN = re.compile(r"今后五年|未来五年|新一届政府|五年")
_BY_YEAR = re.compile(rf"到({YEAR})年")
_PERIOD_EDGE = re.compile(r"今年是.{0,30}?(十[一二三四五六]五).{0,12}?(开局之年|第一年|起步之年|开局起步|收官之年|最后一年|决胜之年)")


@record
class YearFinding:
    """A report's year with what it rests on."""

    year: Optional[int]
    confidence: float
    reviewed: Optional[int]
    planned: Optional[int]
    note: str = ""  # one line when the evidence is weak or disagrees


def chapters(lines: list[str]) -> list[tuple[int, str]]:
    """Return (line index, heading) of the level-1 chapters (一、… / 第一部分) of folded lines.

    A report whose chapters carry no numbers (2019年工作回顾 / 2020年主要工作任务 on lines of their
    own, before any 一、) gives its short unpunctuated lines that review or plan.
    """
    numbered = [(i, line[:60]) for i, line in enumerate(lines) if _CHAPTER.match(line) and len(line) <= 80]
    unnumbered = [(i, line) for i, line in enumerate(lines)
                  if 4 <= len(line) <= 30 and not re.search(r"[。，,:：；;、]", line) and (_REVIEW_WORDS.search(line) or _PLAN_WORDS.search(line))]
    if unnumbered and (not numbered or unnumbered[0][0] < numbered[0][0]):
        return unnumbered  # chapters without numbers stand above the 一、 items inside them
    return numbered


def work_report_year(lines: list[str]) -> YearFinding:
    """Return a work report's year: the planned year, the reviewed year + 1, checked against each other."""
    heads = chapters(lines)
    review_at = _review_chapter(heads)
    reviewed, late = _reviewed_year(lines, heads, review_at)
    planned = _planned_year(lines, heads, review_at)
    term_start = None if planned else _term_plan_start(lines, heads, 0 if review_at is None else review_at + 1)
    return _agree(reviewed, planned, late, term_start, lines)


def _review_chapter(heads: list[tuple[int, str]]) -> Optional[int]:
    """Return the position (in heads) of the chapter that reviews: the first one, unless it plans."""
    for k, (_, heading) in enumerate(heads[:3]):
        if _REVIEW_WORDS.search(heading) or not _plans(heading):
            return k
    return None


def _plans(heading: str) -> bool:
    """Return True when a chapter heading announces a plan of the year (not of a period)."""
    return bool(_PLAN_WORDS.search(heading)) and not _REVIEW_WORDS.search(heading.split("和")[0])


def _body_lines(lines: list[str], heads: list[tuple[int, str]], k: int) -> list[str]:
    """Return the lines of chapter k's body."""
    start = heads[k][0] + 1
    end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
    return lines[start:end]


def _body(lines: list[str], heads: list[tuple[int, str]], k: int, size: int = 400) -> str:
    """Return the first characters of chapter k's body."""
    return "".join(_body_lines(lines, heads, k))[:size]


def _reviewed_year(lines, heads, k: Optional[int]) -> tuple[Optional[int], bool]:
    """Return (year reviewed, whether the review runs to the end of that year) from the review chapter."""
    if k is None:
        return None, False
    heading, body = heads[k][1], _body(lines, heads, k)
    late = _LATE_YEAR.search("".join(_body_lines(lines, heads, k)))
    if late:
        return int(late.group(1)), True
    if _TERM_REVIEW.search(heading):
        return _heading_year(heading, end=True), False  # 过去五年: the first year in its body is not the last reviewed
    return _heading_year(heading, end=True) or _first_year(body), False


def _heading_year(heading: str, end: bool) -> Optional[int]:
    """Return the year a heading names: a span's last (end) or first year, a five-year period's too."""
    span = _SPAN.search(heading)
    if span:
        return int(span.group(2) if end else span.group(1))
    years = [int(y) for y in _YEAR_IN.findall(heading)]
    if years:
        return years[-1] if end else years[0]
    period = _PERIOD.search(heading)
    if period and end and re.search(r"回顾|成就|时期", heading):
        return FIVE_YEAR_PLANS[period.group(1)] + 4
    return None


def _first_year(body: str) -> Optional[int]:
    """Return the first year the start of a review names (2005年，我国… / 过去一年 … 2023年)."""
    found = _YEAR_IN.search(body[:200])
    return int(found.group(1)) if found else None


def _planned_year(lines, heads, review_at: Optional[int]) -> Optional[int]:
    """Return the year the plan chapter plans: its heading's year, else its body's 'Y年是…' / 今年是…开局之年."""
    start = 0 if review_at is None else review_at + 1
    for k in range(start, len(heads)):
        heading = heads[k][1]
        if _SPAN.search(heading) or (_PERIOD.search(heading) and "今年" not in heading) or _TERM_PLAN.search(heading):
            continue
        if _plans(heading) and _YEAR_IN.search(heading):
            return _heading_year(heading, end=False)
        if _plans(heading) or k == start:
            found = _year_of_body(_body_lines(lines, heads, k)[:5])
            if found:
                return found
    return _period_edge("".join(lines))


def _term_plan_start(lines, heads, start: int) -> Optional[int]:
    """Return the first year of a new term's five-year plan (今后五年 … 到2025年 -> 2021), or None."""
    if not any(_TERM_PLAN.search(heading) for _, heading in heads[start:]):
        return None
    targets = Counter(int(y) for k in range(start, len(heads)) for y in _BY_YEAR.findall("".join(_body_lines(lines, heads, k))))
    return targets.most_common(1)[0][0] - 4 if targets else None


def _year_of_body(paragraphs: list[str]) -> Optional[int]:
    """Return the year the first paragraphs of a plan chapter name (2024年是… / 今年是"十四五"开局之年)."""
    for paragraph in paragraphs:
        found = _THIS_YEAR_IS.search(paragraph)
        if found:
            return int(found.group(1))
    return _period_edge("".join(paragraphs))


def _period_edge(text: str) -> Optional[int]:
    """Return the year of 今年是"十四五"开局之年 (the period's first year) or …收官之年 (its last)."""
    found = _PERIOD_EDGE.search(text)
    if not found:
        return None
    first = FIVE_YEAR_PLANS[found.group(1)]
    return first if found.group(2) in ("开局之年", "第一年", "起步之年", "开局起步") else first + 4


def _agree(reviewed, planned, late: bool, term_start, lines: list[str]) -> YearFinding:
    """Combine the reviewed and planned years into the report's year and a confidence.

    late: the review runs to the end of the year it reviews (预计到2016年底), so the report is of that
    year; term_start: the first year of a new term's five-year plan, when there is no annual plan.
    """
    if planned and reviewed and planned == reviewed + 1:
        return YearFinding(planned, 1.0, reviewed, planned)
    if reviewed and late and planned in (None, reviewed):
        return YearFinding(reviewed, 0.85, reviewed, planned)
    if term_start and not planned and (reviewed is None or term_start in (reviewed, reviewed + 1)):
        return YearFinding(term_start, 0.8, reviewed, None)
    if planned and reviewed:
        note = f"the review is of {reviewed} but the plan is for {planned}; year {planned} taken from the plan"
        return YearFinding(planned, 0.6, reviewed, planned, note)
    if planned:
        return YearFinding(planned, 0.9, None, planned)
    if reviewed:
        return YearFinding(reviewed if late else reviewed + 1, 0.8, reviewed, None)
    first = _first_year("".join(lines)[:3000].replace("\n", "")) if lines else None
    if first:
        return YearFinding(first + 1, 0.4, first, None, f"no review or plan year found; {first + 1} = first year in the text + 1")
    return YearFinding(None, 0.0, None, None)

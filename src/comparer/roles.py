"""Give a section its role (results, shortcomings, duty, plan, multi-year-plan, other)."""
from __future__ import annotations

import re
from typing import Optional

__all__ = ["is_appendix", "role_of", "plan_years_of", "plan_span", "looks_like_unnumbered_heading"]

_SHORTCOMINGS = re.compile(r"不足|存在的?问题|存在问题|短板|差距|薄弱环节|困难和挑战|问题和挑战")
_DUTY = re.compile(r"第一责任人|主要负责人|履行.{0,12}职责|自身建设|党政主要")
_RESULTS = re.compile(r"回顾|举措和成效|主要举措|成效|成绩|工作情况|进展情况|完成情况|取得的|过去[一五]年")
_PLAN = re.compile(r"安排|计划|打算|(?:19|20)\d{2}年.{0,12}部署|下一步|工作思路|工作任务|重点工作|主要工作|工作建议|的建议|目标任务|总体要求|政策取向|主要任务")
_MULTI_YEAR = re.compile(r"规划|发展目标|主要指标|主要任务|重大项目|保障措施|总体要求|指导思想|远景目标|基本原则")
_APPENDIX = re.compile(r"名词解释|名词注释|术语注释|名词、术语|附件|附表|注释")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def is_appendix(title: str) -> bool:
    """Return True for a glossary or attachment heading (名词解释, 附件)."""
    return bool(_APPENDIX.search(title)) and len(title) <= 20


def role_of(title: str, genre: Optional[str]) -> str:
    """Return the role a heading's title signals, judged against the document genre."""
    if _APPENDIX.search(title):
        return "other"
    if _SHORTCOMINGS.search(title):
        return "shortcomings"
    if _DUTY.search(title):
        return "duty"
    if _RESULTS.search(title):
        return "results"
    if genre == "multi-year-plan" and _MULTI_YEAR.search(title):
        return "multi-year-plan"
    if _PLAN.search(title) or re.search(r"今年|明年", title):
        return "plan"
    return "other"


def plan_years_of(title: str, report_year: Optional[int], genre: Optional[str], span: tuple = ()) -> tuple[int, ...]:
    """Return the year(s) a plan section plans for, from its title, the plan span or the report year."""
    if genre == "multi-year-plan" and span and not _YEAR.search(title):
        return span
    years = [int(y) for y in _YEAR.findall(title)]
    span = re.search(r"((?:19|20)\d{2})\s*[-至到]\s*((?:19|20)\d{2})", title)
    if span:
        return tuple(range(int(span.group(1)), int(span.group(2)) + 1))
    if years:
        return (years[0],)
    if report_year is None:
        return ()
    if "明年" in title or genre == "fazhi-report":
        return (report_year + 1,)
    return (report_year,)


def looks_like_unnumbered_heading(paragraph: str) -> bool:
    """Return True for a short standalone line that names a report section."""
    if len(paragraph) > 30 or re.search(r"[。,;:!?，；：]", paragraph) or re.search(r"(报告|规划|通知|决定)$", paragraph):
        return False
    if _APPENDIX.search(paragraph) and len(paragraph) <= 16:
        return True
    has_role = _SHORTCOMINGS.search(paragraph) or _RESULTS.search(paragraph) or _PLAN.search(paragraph)
    return bool(has_role) and len(paragraph) >= 4


_FIVE_YEAR = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}


def plan_span(text: str) -> tuple[int, ...]:
    """Return the years a multi-year plan covers ("2021-2025", "十四五"), or ()."""
    head = text[:3000]
    span = re.search(r"((?:19|20)\d{2})\s*[-至到]\s*((?:19|20)\d{2})\s*年", head)
    if span and 1 <= int(span.group(2)) - int(span.group(1)) <= 15:
        return tuple(range(int(span.group(1)), int(span.group(2)) + 1))
    for name, first in _FIVE_YEAR.items():
        if name in head:
            return tuple(range(first, first + 5))
    return ()

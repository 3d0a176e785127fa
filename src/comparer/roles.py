"""Give a section its role (results, shortcomings, duty, plan, multi-year-plan, other) from several signals.

Signals, strongest first (DOMAIN.md, "Which chapter is which"):
- a span in the title (2021—2025, 十四五, 今后五年): a multi-year plan, or a review when the title reviews
  (十三五时期发展成就) or the span ended before the year reviewed;
- a year in the title against the report's year: the year reviewed -> results, the year planned -> plan
  (work report of Y: Y-1 / Y; 法治 report of Y: Y / Y+1), and 今年 / 明年 / 下一步;
- title keywords (回顾, 成效 / 不足, 问题 / 第一责任人, 自身建设 / 安排, 任务, 思路 …), one signal among
  these: a plan title that mentions 成绩 or 短板 (以优异成绩迎接…, 补短板) stays a plan when a year or
  the body's tense says so;
- chapter order: in a work report the first body chapter reviews; topic chapters after the plan
  chapter plan, before it review;
- the tense of the body: completed (已 实现 完成 增长 …) against planned (要 将 着力 推进 确保 …).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .options import DEFAULT, RolesOptions
from .years import FIVE_YEAR_PLANS
from .record import record

__all__ = [
    "is_appendix", "role_of", "plan_years_of", "plan_span", "looks_like_unnumbered_heading", "tense_of",
    "title_signal", "chapter_roles", "Chapter", "body_span", "term_span", "PLEDGE_LIST",
]

_SHORTCOMINGS = re.compile(r"不足|存在的?问题|短板|差距|薄弱环节|困难和挑战|问题和挑战|机遇挑战|机遇和挑战")
_DUTY = re.compile(r"第一责任人|主要负责人|履行.{0,12}职责|自身建设|党政主要")
_RESULTS = re.compile(r"回顾|举措和成效|主要举措|成效|成绩|成就|工作情况|进展情况|完成情况|取得的|过去[一五]年|法治政府建设基础|发展基础")
_PLAN = re.compile(r"安排|计划|打算|(?:19|20)\d{2}年.{0,12}部署|下一步|下一阶段|工作思路|工作任务|重点工作|主要工作|工作建议|的建议|目标任务|"
                   r"总体要求|政策取向|主要任务|工作重点|各项工作|关于.{0,8}工作$|重点任务")
_MULTI_YEAR = re.compile(r"规划|发展目标|主要指标|主要任务|重大项目|保障措施|总体要求|指导思想|远景目标|基本原则|发展背景")
_APPENDIX = re.compile(r"名词解释|名词注释|术语注释|名词、术语|附件|附表|注释")
PLEDGE_LIST = re.compile(r"民生实事|实事项目|为民办实事|惠民实事|民生项目")  # a numbered list of pledges after the plan
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_SPAN = re.compile(r"((?:19|20)\d{2})\s*[-—–~至到]\s*((?:19|20)\d{2})")
_TERM = re.compile(r"今后五年|未来五年|五年规划|新一届政府|今后一个时期")
_PERIOD = re.compile(r"十[一二三四五六]五|(?<=[“\"])十五(?=[”\"])|(?<=第)十[一二三四五六]?(?=个五年)")
_REVIEWS = re.compile(r"回顾|成就|成效|成绩|以来|完成情况|工作情况|主要情况|基础")
_DONE = re.compile(r"已经|已|实现|完成|增长|达到|取得|累计|同比|提高了|下降|获评|获得|建成|荣获|成功|首次|率先|共计|新增")
_TODO = re.compile(r"要|将|着力|确保|力争|加快|抓好|推动|聚焦|围绕|谋划|争取|做好|打好|计划|拟")


def is_appendix(title: str) -> bool:
    """Return True for a glossary or attachment heading (名词解释, 附件)."""
    return bool(_APPENDIX.search(title)) and len(title) <= 20


def tense_of(body: str, margin: float) -> Optional[str]:
    """Return results or plan when one tense dominates a body by more than margin, else None."""
    done, todo = len(_DONE.findall(body[:4000])), len(_TODO.findall(body[:4000]))
    if done + todo < 4:
        return None
    balance = (done - todo) / (done + todo)
    return "results" if balance > margin else "plan" if balance < -margin else None


def _years_of_report(genre: Optional[str], year: Optional[int]) -> tuple[Optional[int], Optional[int]]:
    """Return (year reviewed, year planned) of a report: work report of Y: Y-1, Y; others: Y, Y+1."""
    if year is None:
        return None, None
    return (year - 1, year) if genre == "work-report" else (year, year + 1)


def title_signal(title: str, genre: Optional[str], year: Optional[int]) -> Optional[str]:
    """Return the role a title's span or year decides against the report's year, or None."""
    reviewed, planned = _years_of_report(genre, year)
    span = _SPAN.search(title)
    if span or _PERIOD.search(title) or _TERM.search(title):
        ended = int(span.group(2)) if span else _period_end(title)
        if re.search(r"回顾|成就|主要情况|以来", title.split("和")[0]) or (ended and reviewed and ended <= reviewed):
            return "results"
        return "multi-year-plan"
    years = [int(y) for y in _YEAR.findall(title)]
    if years and reviewed is not None:
        if years[0] == planned:
            return "plan"
        if years[0] <= reviewed:
            return "results"
    if re.search(r"今年|明年|下一步|下一阶段", title):
        return "plan"
    return None


def _period_name(title: str) -> Optional[str]:
    """Return the five-year period a title names: 十三五, or 十一五 for 第十一个五年规划."""
    found = _PERIOD.search(title)
    if not found:
        return None
    name = found.group(0) if found.group(0).endswith("五") else found.group(0) + "五"
    return name if name in FIVE_YEAR_PLANS else None


def _period_end(title: str) -> Optional[int]:
    """Return the last year of the five-year period a title names (十三五 -> 2020), or None."""
    name = _period_name(title)
    return FIVE_YEAR_PLANS[name] + 4 if name else None


def role_of(title: str, genre: Optional[str], year: Optional[int] = None) -> str:
    """Return the role a heading's title signals: its span or year first, then its keywords."""
    if _APPENDIX.search(title):
        return "other"
    decided = title_signal(title, genre, year)
    if decided == "multi-year-plan" and genre == "multi-year-plan":
        return _keyword_role(title, genre) or decided
    return decided or _keyword_role(title, genre) or "other"


def _keyword_role(title: str, genre: Optional[str]) -> Optional[str]:
    """Return the role the title's keywords name, or None."""
    if _SHORTCOMINGS.search(title) and not _PLAN.search(title):
        return "shortcomings"
    if _DUTY.search(title):
        return "duty"
    if _RESULTS.search(title) and not _PLAN.search(title):
        return "results"
    if genre == "multi-year-plan" and _MULTI_YEAR.search(title):
        return "multi-year-plan"
    if _PLAN.search(title):
        return "plan"
    return None


@record
class Chapter:
    """What chapter_roles needs of a level-1 section: its title and the start of its body."""

    title: str
    body: str


def chapter_roles(chapters: list[Chapter], genre: Optional[str], year: Optional[int],
                  options: RolesOptions = DEFAULT.roles) -> list[str]:
    """Return the role of each level-1 chapter from its title, its body's tense and its place in the report."""
    roles = [_own_role(c, genre, year, options) for c in chapters]
    first_plan = next((i for i, r in enumerate(roles) if r == "plan"), None)
    first_body = next((i for i, c in enumerate(chapters) if not is_appendix(c.title)), None)
    for i, chapter in enumerate(chapters):
        if roles[i] is None:
            roles[i] = _by_place(i, chapter, first_body, first_plan, genre, options)
    return roles


def _own_role(chapter: Chapter, genre, year, options: RolesOptions) -> Optional[str]:
    """Return a chapter's role from its title (span/year, then keywords checked against the body's tense)."""
    if is_appendix(chapter.title):
        return "appendix"
    decided = title_signal(chapter.title, genre, year)
    if decided and not (decided == "multi-year-plan" and genre == "multi-year-plan"):
        return decided
    if genre == "multi-year-plan":
        return "multi-year-plan"
    keyword = _keyword_role(chapter.title, genre)
    if keyword in ("results", "plan") and _mixed(chapter.title):
        tense = tense_of(chapter.body, options.tense_margin)  # read only when it can decide
        if tense and tense != keyword:
            return tense  # 以优异成绩迎接… in a plan, 补短板 …: the keyword loses to the body
    if keyword is None and genre == "work-report" and body_span(chapter.body, year):
        return "multi-year-plan"
    return keyword


def _mixed(title: str) -> bool:
    """Return True for a title whose role words could belong to either side (成绩, 短板, 工作)."""
    return bool(re.search(r"成绩|短板|不足|新局面|新篇章|新成效", title))


def _by_place(i: int, chapter: Chapter, first_body, first_plan, genre, options: RolesOptions) -> str:
    """Return the role of a chapter no title signal decides: from its place, else its body's tense."""
    if genre == "work-report" and i == first_body:
        return "results"  # a work report opens with its review
    if first_plan is not None and genre in ("work-report", "fazhi-report"):
        placed = "plan" if i > first_plan else "results"
        tense = tense_of(chapter.body, options.tense_margin) if i < first_plan else None
        return tense if tense and tense != placed else placed
    return tense_of(chapter.body, options.tense_margin) or "other"


def body_span(body: str, year: Optional[int]) -> tuple[int, ...]:
    """Return the years a chapter's body plans when it is about a period (十四五, 到2025年), else ()."""
    head = body[:800]
    current = next((p for p in _PERIOD.findall(head) if p in FIVE_YEAR_PLANS and year and FIVE_YEAR_PLANS[p] >= year - 1), None)
    targets = Counter(int(y) for y in re.findall(r"到((?:19|20)\d{2})年", body[:4000]))
    far = [y for y, n in targets.items() if year and y >= year + 2]
    if _TERM.search(head) or (current and far):
        end = max(far, key=lambda y: targets[y]) if far else (FIVE_YEAR_PLANS[current] + 4 if current else None)
        return tuple(range(end - 4, end + 1)) if end else ()
    return ()


def term_span(text: str, year: Optional[int]) -> tuple[int, ...]:
    """Return the five years a work report's targets reach (the year most often written 到Y年, Y >= year + 2), or ()."""
    targets = Counter(int(y) for y in re.findall(r"到((?:19|20)\d{2})年", text))
    far = [y for y in targets if year and year + 2 <= y <= year + 6]
    if not far:
        return ()
    end = max(far, key=lambda y: (targets[y], -y))
    return tuple(range(end - 4, end + 1))


def plan_years_of(title: str, report_year: Optional[int], genre: Optional[str], span: tuple = (), role: str = "plan") -> tuple[int, ...]:
    """Return the year(s) a plan section plans for, from its title, the plan span or the report year."""
    found = _SPAN.search(title)
    if found:
        return tuple(range(int(found.group(1)), int(found.group(2)) + 1))
    if role == "multi-year-plan":
        period = _period_name(title)
        return tuple(range(FIVE_YEAR_PLANS[period], FIVE_YEAR_PLANS[period] + 5)) if period else span
    years = [int(y) for y in _YEAR.findall(title)]
    if years:
        return (years[0],)
    if report_year is None:
        return ()
    if "今年" in title:
        return (report_year,)
    if re.search(r"明年|下一步|下一阶段", title) or genre == "fazhi-report":
        return (report_year + 1,)
    return (report_year,)


def looks_like_unnumbered_heading(paragraph: str) -> bool:
    """Return True for a short standalone line that names a report section."""
    if len(paragraph) > 30 and not paragraph.startswith(("附件", "附表")):
        return False  # what every rule below would say; most body paragraphs stop here
    if re.fullmatch(r"(?:附[:：])?(?:[^:：]{0,12}(?:名词解释|名词注释|术语注释|注释)|附件\d*|附表\d*)[:：]?", paragraph):
        return True  # 名词解释: / 附件2 / 附:名词解释 (not 附件:无)
    if PLEDGE_LIST.search(paragraph) and len(paragraph) <= 30 and not re.search(r"[。,;:!?，；：]", paragraph):
        return True  # 2018年龙岗区政府民生实事 (a list of pledges)
    if len(paragraph) > 30 or re.search(r"[。,;:!?，；：]", paragraph) or re.search(r"(报告|规划|通知|决定)$", paragraph):
        return False
    if _APPENDIX.search(paragraph) and len(paragraph) <= 16:
        return True
    has_role = _SHORTCOMINGS.search(paragraph) or _RESULTS.search(paragraph) or _PLAN.search(paragraph)
    return bool(has_role) and len(paragraph) >= 4


def plan_span(text: str) -> tuple[int, ...]:
    """Return the years a multi-year plan covers ("2021-2025", "十四五"), or ()."""
    head = text[:3000]
    span = re.search(r"((?:19|20)\d{2})\s*[-至到]\s*((?:19|20)\d{2})\s*年", head)
    if span and 1 <= int(span.group(2)) - int(span.group(1)) <= 15:
        return tuple(range(int(span.group(1)), int(span.group(2)) + 1))
    for name, first in FIVE_YEAR_PLANS.items():
        if name in head:
            return tuple(range(first, first + 5))
    return ()

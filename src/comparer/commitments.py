"""Extract commitments (planned items) from the plan sections of a report."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .models import Report, Section, notices_of
from .patterns import split_sentences

__all__ = ["Commitment", "Deadline", "extract_commitments", "CommitmentsResult", "PLAN_ROLES", "PLAN_VERBS", "commitment_dict"]

PLAN_ROLES = ("plan", "multi-year-plan")
PLAN_VERBS = (
    "全面推行", "进一步", "深化", "推进", "推动", "加强", "完善", "健全", "持续", "打造", "出台", "拓展", "落实",
    "提升", "优化", "强化", "加快", "加大", "建立", "建设", "构建", "实施", "开展", "组织", "做好", "抓好", "确保",
    "保障", "促进", "扩大", "支持", "实现", "坚持", "发挥", "力争", "完成", "制定", "修订", "探索", "创新",
    "巩固", "稳定", "增加", "提高", "降低", "培育", "发展", "筑牢", "守牢", "防范", "改善", "规范", "严格",
    "启动", "创建", "举办", "筹办", "推广", "倡导", "引导", "鼓励", "引进", "新建", "改造", "开工", "建成", "争取",
)
_CLAUSE = re.compile(r"[^;；]+[;；]?")
_DEADLINE = re.compile(
    r"(?:到|在|于)?((?:19|20)\d{2})年(?:\d{1,2}月)?(?:底|末|年底|年末|上半年|下半年)?(?:前|以前|之前)?"
    r"(?=完成|基本|全面|实现|建成|形成|达到|前|底|末|,|，|力争|初步|确保)"
)
_RECURRING = re.compile(r"每年|每季度|每半年|每月|年度")
_MIN_CHARS = 6
# Sentences that describe the situation rather than promise an action (plan sections open with them).
_CONTEXT = re.compile(
    r"形势|面临|挑战|机遇|之年|关键一年|依然|仍然|不确定|不稳定|复杂严峻|错综复杂|各位代表|我们深知|必须清醒|"
    r"成绩的取得|得益于|总的看|总体看|综合考虑|主要预期目标是|要坚持以下|工作的总体要求是"
)


@dataclass(frozen=True)
class Deadline:
    """When a commitment is due: a year, or a recurring period; phrase as written."""

    year: Optional[int]
    phrase: str
    recurring: bool = False


@dataclass(frozen=True)
class Commitment:
    """One planned item: a plan sentence, or one clause/target of it."""

    id: str
    text: str
    section: str
    section_id: str
    role: str
    line: int
    plan_year: Optional[int]
    deadline: Optional[Deadline]
    targets: tuple
    verb: Optional[str]
    start: int
    end: int


def extract_commitments(report: Report) -> list[Commitment]:
    """Return the commitments of every plan or multi-year-plan section of a report."""
    out: list[Commitment] = []
    for section in report.all_sections():
        if section.role in PLAN_ROLES and section.level != "inline":
            out.extend(_from_section(report, section))
    return out


def _own_text_span(section: Section) -> tuple[int, int]:
    """Return the body span of a section that no non-inline child covers."""
    children = [c for c in section.children if c.level != "inline"]
    return section.body_start, children[0].start if children else section.end


def _from_section(report: Report, section: Section) -> list[Commitment]:
    """Return the commitments in one section's own body (heading title if no body)."""
    start, end = _own_text_span(section)
    text = report.norm.text
    spans = [p for s in split_sentences(text[start:end], start) for p in _parts(text, *s)]
    if not spans and section.title and not section.children:
        spans = [(section.start + len(section.number), section.body_start)]
    found = []
    # The ordinal counts every sentence part, kept or not, so ids survive a change of filter.
    for ordinal, (start_at, end_at) in enumerate(spans, start=1):
        piece = text[start_at:end_at].strip()
        if len(piece) >= _MIN_CHARS and _signals(piece):
            found.append(_commitment(report, section, ordinal, start_at, end_at))
    return found


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence into clauses at ；, and a list of targets at commas."""
    out = []
    for match in _CLAUSE.finditer(text[start:end]):
        clause_start, clause_end = start + match.start(), start + match.end()
        out.extend(_target_parts(text, clause_start, clause_end))
    return out


def _target_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a clause listing several quantified targets into one part per target."""
    from .figures import extract_figures

    clause = text[start:end]
    targets = extract_figures(clause)
    if len(targets) < 2:
        return [(start, end)]
    cuts = [start]
    for previous, target in zip(targets, targets[1:]):
        comma = max(clause.rfind(",", previous.offset, target.offset), clause.rfind("，", previous.offset, target.offset))
        if comma > 0:
            cuts.append(start + comma + 1)
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _signals(piece: str) -> bool:
    """Return True unless a plan-section sentence describes the situation instead of an action.

    Every sentence of a plan section is a planned item (DOMAIN.md) except context and rhetoric;
    a figure keeps even a context-sounding sentence ("主要预期目标是：增长5%左右").
    """
    return bool(re.search(r"\d", piece)) or not _CONTEXT.search(piece)


def _commitment(report: Report, section: Section, ordinal: int, start: int, end: int) -> Commitment:
    """Build one Commitment with its deadline, targets and verb."""
    from .figures import extract_figures

    text = report.norm.text[start:end].strip().rstrip("。;；,，")
    return Commitment(
        id=f"{section.id}#{ordinal}", text=text, section=section.path, section_id=section.id, role=section.role,
        line=report.norm.line_at(start), plan_year=section.plan_year, deadline=parse_deadline(text, section.plan_year),
        targets=tuple(extract_figures(text)), verb=next((v for v in PLAN_VERBS if v in text), None),
        start=start, end=end,
    )


def parse_deadline(text: str, plan_year: Optional[int]) -> Optional[Deadline]:
    """Return the deadline a commitment states (2023年底前, 2025年前, 每年…), if any."""
    found = _DEADLINE.search(text)
    if found:
        phrase = text[found.start() : found.end() + (1 if text[found.end() : found.end() + 1] in "前底末" else 0)]
        return Deadline(int(found.group(1)), phrase.rstrip(",，"))
    recurring = _RECURRING.search(text)
    if recurring:
        return Deadline(plan_year, recurring.group(0), recurring=True)
    if "年内" in text or "今年" in text:
        return Deadline(plan_year, "年内" if "年内" in text else "今年")
    return None


def commitment_dict(c: Commitment) -> dict:
    """Return a commitment in JSON form."""
    return {
        "id": c.id, "text": c.text, "section": c.section, "role": c.role, "line": c.line, "plan_year": c.plan_year,
        "deadline": None if c.deadline is None else {"year": c.deadline.year, "phrase": c.deadline.phrase, "recurring": c.deadline.recurring},
        "targets": [{"raw": t.raw, "value": t.value, "unit": t.unit, "comparator": t.comparator, "subject": t.subject} for t in c.targets],
        "verb": c.verb,
    }


@dataclass(frozen=True)
class CommitmentsResult:
    """The commitments of one report, as `comparer commitments` shows them."""

    report: Report
    commitments: tuple
    KIND = "commitments"
    SCHEMA = "comparer.commitments/1"
    exit_code = 0

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the inputs (see models.Notice)."""
        return notices_of([self.report])

    def to_dict(self) -> dict:
        """Return the comparer.commitments/1 JSON form."""

        items = [commitment_dict(c) for c in self.commitments]
        with_deadline = sum(1 for c in self.commitments if c.deadline)
        with_targets = sum(1 for c in self.commitments if c.targets)
        return {"schema": self.SCHEMA, "doc": self.report.meta.to_dict(), "commitments": items,
                "summary": {"commitments": len(items), "with_deadline": with_deadline, "with_targets": with_targets}}

    def rows(self) -> list[dict]:
        """Return one flat row per commitment."""
        return [_flat(commitment_dict(c)) for c in self.commitments]


def _flat(item: dict) -> dict:
    """Flatten deadline and targets for tables."""
    deadline = item["deadline"]
    return {**item, "deadline": deadline["phrase"] if deadline else None,
            "targets": "; ".join(f"{t['subject']} {t['comparator'] or ''}{t['raw']}" for t in item["targets"])}

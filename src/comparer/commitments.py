"""Extract commitments (planned items) from the plan sections of a report."""
from __future__ import annotations

import re
from typing import Optional

from .models import Report, Section, notices_of
from .options import DEFAULT
from .patterns import split_sentences
from .record import record

__all__ = [
    "Commitment", "Deadline", "extract_commitments", "CommitmentsResult", "PLAN_ROLES", "PLAN_VERBS", "ACTION_VERBS",
    "commitment_dict", "kind_of", "item_spans", "parse_deadline", "KINDS",
]

KINDS = ("action", "target", "context")

PLAN_ROLES = ("plan", "multi-year-plan")
PLAN_VERBS = (
    "全面推行", "进一步", "深化", "推进", "推动", "加强", "完善", "健全", "持续", "打造", "出台", "拓展", "落实",
    "提升", "优化", "强化", "加快", "加大", "建立", "建设", "构建", "实施", "开展", "组织", "做好", "抓好", "确保",
    "保障", "促进", "扩大", "支持", "实现", "坚持", "发挥", "力争", "完成", "制定", "修订", "探索", "创新",
    "巩固", "稳定", "增加", "提高", "降低", "培育", "发展", "筑牢", "守牢", "防范", "改善", "规范", "严格",
    "启动", "创建", "举办", "筹办", "推广", "倡导", "引导", "鼓励", "引进", "新建", "改造", "开工", "建成", "争取",
)
_CLAUSE = re.compile(r"[^;；]+[;；]?")
# Further verbs that open an action (and so a separately judged item) in work-report plans.
ACTION_VERBS = PLAN_VERBS + (
    "新增", "办好", "招引", "竣工", "投用", "整治", "扩建", "升级", "承办", "落地", "上线", "设立", "组建", "保持",
    "控制", "达到", "突破", "争创", "推出", "试点", "聚焦", "严防", "严控", "严厉", "坚决", "开通", "服务", "保护",
    "守住", "提供", "配建", "筹建", "新开", "实行", "整合", "释放", "激发", "延伸", "吸引", "用好", "做大", "做强",
    "做优", "壮大", "织密", "兜牢", "擦亮", "打响", "夯实", "补齐", "畅通", "拓宽", "谋划", "布局", "编制", "办理",
    "贯通", "打通", "串联", "更换", "发放", "新设", "供应", "压减", "减少", "深入", "大力", "积极", "全力", "着力",
    "依托", "对接", "融入", "共建", "引育", "招商", "认真", "落户", "投入", "提质", "扩容", "焕新", "重建", "迁建",
    "重视", "关心", "关爱", "领会", "贯彻", "牢记", "弘扬", "践行",
)
_DEADLINE = re.compile(
    r"(?:到|在|于)?((?:19|20)\d{2})年(?:\d{1,2}月)?(?:底|末|年底|年末|上半年|下半年)?(?:前|以前|之前)?"
    r"(?=完成|基本|全面|实现|建成|形成|达到|前|底|末|,|，|力争|初步|确保)"
)
# 年内/今年 is a deadline only when it binds a completion (年内建成, 今年底前完成), not 今年经济工作.
_THIS_YEAR_DEADLINE = re.compile(r"(?:年内|今年内|今年底前?|年底前)(?:全面|基本|全部|力争|确保)?(?:完成|建成|实现|开工|竣工|投用|投入使用|开通|上线|落地|出台|启用|开业|通车)")
_RECURRING = re.compile(r"每年|每季度|每半年|每月|年度")
_MIN_CHARS = 6
# Sentences that describe the situation rather than promise an action (plan sections open with them).
_CONTEXT = re.compile(
    r"形势|面临|挑战|机遇|之年|关键一年|依然|仍然|不确定|不稳定|复杂严峻|错综复杂|各位代表|我们深知|必须清醒|"
    r"成绩的取得|得益于|总的看|总体看|综合考虑|主要预期目标是|要坚持以下|工作的总体要求是|总体要求是|以下.{1,3}个?方面|"
    r"^当前|^近期|以来,|明确提出|相继召开|新征程|新起点|部署要求|决策部署$|主攻方向|立足\S{1,6}实际|^[让使]"
)
# A topic line names a theme (一是坚持制造业当家); the sentences after it carry the actions.
_TOPIC = re.compile(r"^[一二三四五六七八九十]+是[^,;]{0,14}$")
# Exhortations and political study: a call to attitude, not a checkable deed.
_EXHORTATION = re.compile(r"^(?:我们|必须|要(?![求素])|各位代表|团结|弘扬|深刻|站在|踏上|坚持|牢记)")
_POLITICAL = re.compile(
    r"二十大|党的|习近平|两个确立|两个维护|三个务必|初心|使命|征程|篇章|伟大|奋斗|政治|决定性意义|"
    r"重要讲话|首要任务|硬道理|第一动力|第一资源|第一生产力|人民城市|斗争意识|斗争精神|战略定力|蓝图|辩证"
)
# A guiding principle held (坚持以人民为中心的发展思想, 坚持…理念): how to work, not a deed; judged per item.
_PRINCIPLE = re.compile(r"^坚持[^,;]{0,16}(?:思想|理念|宗旨|方针|总基调)[,，]?")
_QUOTED_NAME = re.compile(r'"[^"]{2,20}"|《[^》]{2,40}》')


@record
class Deadline:
    """When a commitment is due: a year, or a recurring period; phrase as written."""

    year: Optional[int]
    phrase: str
    recurring: bool = False


@record
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
    kind: str = "action"  # action | target | context (context: not a commitment, kept for the record)
    items: tuple = ()  # (start, end) of each separately judged item: a bundled sentence holds several
    item_kinds: tuple = ()  # kind of each item: a slogan clause inside a sentence of deeds is context


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
        if len(piece) >= _MIN_CHARS:
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
    from .targets import has_own_subject, is_target

    clause = text[start:end]
    targets = [f for f in extract_figures(clause) if is_target(f, clause)]
    if len(targets) < 2:
        return [(start, end)]
    cuts = [start]
    for previous, target in zip(targets, targets[1:]):
        if not has_own_subject(target, clause):
            continue  # 新增国高企业300家以上,总量超3100家: the second target's subject is the first's
        comma = max(clause.rfind(",", previous.offset, target.offset), clause.rfind("，", previous.offset, target.offset))
        if comma > 0:
            cuts.append(start + comma + 1)
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def kind_of(piece: str, targets: tuple) -> str:
    """Return target, action or context for one plan-section sentence part.

    Every sentence of a plan section is a planned item (DOMAIN.md) except context: situation
    sentences, preambles, topic lines, slogans and exhortations without a checkable deed.
    A quantified target keeps even a context-sounding sentence ("主要预期目标是：增长5%左右").
    """
    if targets:
        return "target"
    if _CONTEXT.search(piece) or _TOPIC.match(piece):
        return "context"
    if not any(verb in piece for verb in ACTION_VERBS) and not _QUOTED_NAME.search(piece):
        return "context"  # 信心比黄金更宝贵: no deed at all
    if _POLITICAL.search(piece) and (_EXHORTATION.match(piece) or not _QUOTED_NAME.search(piece) and len(piece) < 30):
        return "context"
    if _SPEECH_VOICE.match(piece) and not _QUOTED_NAME.search(piece) and len(piece) < 26:
        return "context"  # 我们要一张蓝图绘到底 / 要正确处理稳与进的关系: the speaker's voice, no deed
    if len(_NUMBERED_SLOGAN.sub("", piece)) < 12 and _NUMBERED_SLOGAN.search(piece):
        return "context"  # 重点抓好"七个更加注重、七个牢牢把握": a count of principles named as a slogan
    return "action"


def _without_description(piece: str) -> str:
    """Return a sentence part from its first clause with a verb: 党的二十大精神内涵丰富,|我们要…下功夫 (a description leads in)."""
    clauses = re.split(r"(?<=[,，])", piece)
    for index, clause in enumerate(clauses):
        if any(verb in clause for verb in ACTION_VERBS) or clause.startswith(("我们", "要")):
            return "".join(clauses[index:]).strip(" ,，")
    return piece


_SPEECH_VOICE = re.compile(r"^(?:我们要|要(?![求素点]))")
_NUMBERED_SLOGAN = re.compile(r'"[一二两三四五六七八九十]+个[^"]*"')


_TARGET_FIGURE = re.compile(r"\d(?:[\d.]*)(?:万亿|亿|万)?(?:%|个|家|项|亿元|万元|元|人|公里|平方米|公顷|所|座|条|套|辆|吨)")
_ADVERBS = re.compile(r"^(?:深刻|大力|积极|全力|加快|深入|持续|着力|稳步|有序|全面|进一步|切实|不断|力争|确保|争取|重点|主动|高标准|高质量|常态化)*")


def item_spans(text: str, start: int, end: int, min_chars: int = 6) -> tuple:
    """Split a commitment at commas into the items it bundles: each starts with an action verb.

    A clause without its own verb (a purpose, a list continued) stays with the item before it.
    """
    spans: list[list[int]] = []
    cursor = start
    for piece in re.split(r"(?<=[,，])", text[start:end]):
        body = piece.strip(" ,，。;；")
        opens = _ADVERBS.sub("", body).startswith(ACTION_VERBS) or body.startswith(ACTION_VERBS) or body[:1] in "让使" or _TARGET_FIGURE.search(body) is not None
        if spans and (not opens or len(body) < min_chars or cursor - spans[-1][0] < min_chars):
            spans[-1][1] = cursor + len(piece)
        else:
            spans.append([cursor, cursor + len(piece)])
        cursor += len(piece)
    return tuple((a, b) for a, b in spans)


def _commitment(report: Report, section: Section, ordinal: int, start: int, end: int) -> Commitment:
    """Build one Commitment with its deadline, targets and verb."""
    from .figures import extract_figures

    from .targets import is_target

    raw = report.norm.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip().rstrip("。;；,，")
    targets = tuple(f for f in extract_figures(text) if is_target(f, text))
    items = item_spans(report.norm.text, start + lead, start + lead + len(text), DEFAULT.followup.min_item_chars)
    item_kinds = tuple(_item_kind(report.norm.text[a:b].strip(" ,，。;；")) for a, b in items)
    kind = "context" if all(k == "context" for k in item_kinds) and not targets else kind_of(text, targets)
    return Commitment(
        id=f"{section.id}#{ordinal}", text=text, section=section.path, section_id=section.id, role=section.role,
        line=report.norm.line_at(start), plan_year=section.plan_year,
        deadline=None if kind == "context" else parse_deadline(text, section.plan_year),
        targets=targets, verb=next((v for v in PLAN_VERBS if v in text), None),
        start=start, end=end, kind=kind, items=items, item_kinds=item_kinds,
    )


def _item_kind(text: str) -> str:
    """Return the kind of one item of a commitment.

    Besides kind_of: an item that holds a guiding principle (坚持…思想/理念/方针) or, after a
    description, exhorts to political study (党的二十大精神内涵丰富,我们要…下功夫) is context; the
    deeds after it open items of their own (item_spans).
    """
    from .figures import extract_figures
    from .targets import is_target

    deed = _without_description(text)
    if _PRINCIPLE.match(text) or deed != text and _POLITICAL.search(text) and _EXHORTATION.match(deed):
        return "context"
    return kind_of(text, tuple(f for f in extract_figures(text) if is_target(f, text)))


def parse_deadline(text: str, plan_year: Optional[int]) -> Optional[Deadline]:
    """Return the deadline a commitment states (2023年底前, 2025年前, 每年…), if any."""
    found = _DEADLINE.search(_unquoted(text))
    if found:
        bare = _unquoted(text)
        phrase = bare[found.start() : found.end() + (1 if bare[found.end() : found.end() + 1] in "前底末" else 0)]
        return Deadline(int(found.group(1)), phrase.rstrip(",，"))
    recurring = _RECURRING.search(text)
    if recurring:
        return Deadline(plan_year, recurring.group(0), recurring=True)
    this_year = _THIS_YEAR_DEADLINE.search(_unquoted(text))
    if this_year:
        return Deadline(plan_year, this_year.group(0))
    return None


def _unquoted(text: str) -> str:
    """Return text without quoted passages: a 今年 inside a quotation is someone else's deadline."""
    return re.sub(r'"[^"]*"|“[^”]*”', "", text)


def commitment_dict(c: Commitment) -> dict:
    """Return a commitment in JSON form."""
    return {
        "id": c.id, "text": c.text, "section": c.section, "role": c.role, "line": c.line, "plan_year": c.plan_year,
        "deadline": None if c.deadline is None else {"year": c.deadline.year, "phrase": c.deadline.phrase, "recurring": c.deadline.recurring},
        "targets": [_target_dict(t, c.text) for t in c.targets],
        "verb": c.verb, "kind": c.kind,
    }


def _target_dict(figure, text: str) -> dict:
    """Return one target of a commitment: the figure as written plus its indicator and modifier."""
    from .targets import indicator_of, modifier_of

    return {"raw": figure.raw, "value": figure.value, "unit": figure.unit, "comparator": figure.comparator,
            "subject": figure.subject, "indicator": indicator_of(figure, text), "modifier": modifier_of(text, figure)}


@record
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
        kinds = {k: sum(1 for c in self.commitments if c.kind == k) for k in KINDS}
        return {"schema": self.SCHEMA, "doc": self.report.meta.to_dict(), "commitments": items,
                "summary": {"commitments": len(items), "with_deadline": with_deadline, "with_targets": with_targets, **kinds}}

    def rows(self) -> list[dict]:
        """Return one flat row per commitment."""
        return [_flat(commitment_dict(c)) for c in self.commitments]


def _flat(item: dict) -> dict:
    """Flatten deadline and targets for tables."""
    deadline = item["deadline"]
    return {**item, "deadline": deadline["phrase"] if deadline else None,
            "targets": "; ".join(f"{t['subject']} {t['comparator'] or ''}{t['raw']}" for t in item["targets"])}

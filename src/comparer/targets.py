"""Quantified targets of a plan as data, and the figure of a later review that answers each.

A target is an indicator (a specific subject noun phrase), a modifier (以上, 左右, 以内, 不低于,
不超过, a range, 翻一番 or a bare "="), a value with its unit, and the sentence it came from.
Numbers inside names (“20+8”产业集群, 五大工程, 三件大事), ordinals and phases (第八期, 二期),
durations and anniversaries (30年, 25周年) are never targets.

A realised figure answers a target only when its subject names the same indicator specifically
(not just a generic head such as 增长, 企业, 投资, 产值), the units agree and the magnitudes are
plausible; otherwise the target is `not-reported` and nothing is invented. Among several answers
the most specific subject match wins, not the first in the document.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import field
from functools import lru_cache
from typing import Optional, Sequence

from .figures import Figure, extract_figures
from .models import Report, notices_of
from .options import DEFAULT
from .record import record

__all__ = [
    "Target", "Answer", "TargetResult", "TargetsResult", "targets_in", "is_target", "indicator_of", "modifier_of",
    "find_answer", "verdict_of", "VERDICTS", "realised_figures", "judge", "specificity", "target_dict",
    "phrase_of", "has_own_subject", "review_figures",
]

VERDICTS = ("met", "missed", "not-reported")
# Words that say how a figure moves or is counted, not what it measures.
# Heads that alone say nothing about which indicator: 增长 of what? 企业 of which kind?
_GENERIC_HEADS = frozenset(
    "增长 企业 投资 产值 项目 收入 规模 总量 数量 总额 金额 面积 人数 个数 家数 比重 占比 增速 水平 任务 工作 经济 增加值 产业 业".split()
)
# A count of programmes, themes or measures names a plan's structure, not a quantity to deliver.
_PROGRAMME_HEADS = re.compile(r"^(?:大(?![型幅])|件大事|大事|大行动|大工程|大任务|大计划|大战略|大攻坚|大体系|大中心|个一|个\d*百分之百)")
_PROGRAMME_NOUNS = re.compile(r"举措|措施|行动|工程|计划|任务|方面|要求|原则|战略|攻坚战|大事")
_ORDINAL_UNITS = frozenset("期 届 批 轮".split())
_DURATION_UNITS = frozenset("年 周年 岁".split())
_CEILING_WORDS = ("失业率", "涨幅", "赤字", "能耗", "排放", "浓度", "发生率", "死亡", "亡人", "事故", "负债率", "PM2.5")
_REDUCTION_WORDS = ("降低", "下降", "减少", "压减", "压降")
_COUNT_UNITS = frozenset("个 家 项 件 所 座 处 条 支 名 人 户 套 栋 场 次 批 台 辆 艘 间 宗 例 类 种".split())
_MODIFIER_OF_SUFFIX = (("以上", "以上"), ("左右", "左右"), ("上下", "左右"), ("以内", "以内"), ("以下", "以内"))
_MODIFIER_OF_PREFIX = (
    (re.compile(r"(?:不少于|不低于|至少)[^\d]{0,2}$"), "不低于"), (re.compile(r"(?:不超过|不高于|控制在)[^\d]{0,3}$"), "不超过"),
    (re.compile(r"(?:突破|超过|超|逾|多于|高于)[^\d]{0,2}$"), "以上"), (re.compile(r"(?:低于|少于|降至|降到|以内)[^\d]{0,2}$"), "以内"),
)


@record
class Target:
    """One quantified target of a plan: indicator, modifier, value and unit, and where it was written."""

    indicator: Optional[str]  # None: the subject is too generic to tell which indicator
    modifier: str  # 以上 | 左右 | 以内 | 不低于 | 不超过 | range | 翻一番 | =
    value: float
    unit: str
    raw: str
    text: str  # the sentence (clause) it came from
    line: int
    figure: Figure


@record
class Answer:
    """The realised figure chosen for a target: where it was found and how specifically it matched."""

    figure: Figure
    text: str
    doc: str
    section: str
    line: int
    specificity: float  # share of the target's indicator the figure's subject names (0..1)
    subject: str = ""  # what the realised figure measures, as the review words it


@record
class TargetResult:
    """A target with its verdict: met, missed or not-reported, and the answer if any."""

    target: Target
    commitment_id: str
    verdict: str
    answer: Optional[Answer]
    confidence: float


def modifier_of(text: str, figure: Figure) -> str:
    """Return how a target bounds its value (以上, 左右, 以内, 不低于, 不超过, range, 翻一番 or =)."""
    for suffix, modifier in _MODIFIER_OF_SUFFIX:
        if figure.raw.endswith(suffix):
            return modifier
    if re.search(r"\d[^\d]{0,4}[-~至]\s*\d", figure.raw):
        return "range"
    before = text[max(0, figure.offset - 5):figure.offset]
    for pattern, modifier in _MODIFIER_OF_PREFIX:
        if pattern.search(before):
            return modifier
    return "以上" if figure.comparator == "≥" else "="


def indicator_of(figure: Figure, text: str) -> Optional[str]:
    """Return the noun phrase a figure measures as a specific indicator, or None when only generic words are left."""
    phrase = phrase_of(figure, text)
    core = _core(phrase)
    if len(core) < 2 or core in _GENERIC_HEADS:
        return None
    return phrase


def has_own_subject(figure: Figure, text: str) -> bool:
    """Return True when the clause of a figure names what it measures (总量超3100家 does not: 总量 of the item before)."""
    return len(_core(_clause_before(text, figure.offset, ",、") + _after(figure, text))) >= 2


def _after(figure: Figure, text: str) -> str:
    """Return the noun after a counted figure (新增|6家|持牌金融机构), empty after a measurement (95.6%)."""
    if figure.unit in _SUBJECT_BEFORE_UNITS:
        return ""
    after = re.split(r"[。;,:!?、()\d]", text[figure.end:figure.end + 14])[0]
    return re.split(_AFTER_CUT, after)[0]


def phrase_of(figure: Figure, text: str) -> str:
    """Return the words around a figure that say what it measures: the clause before it and the noun after it.

    城镇新增就业|1200万人; 焕新|50万平方米|产业空间; 新增|6家|持牌金融机构. When those are generic
    (2808.19亿元、|增长|7.2%), the phrase extends over the list to the subject of the sentence.
    """
    after = _after(figure, text)
    before = _clause_before(text, figure.offset, ",、")
    if len(_core(before + after)) < 2:  # 旅游收入155亿元、|增长: the subject of the item before
        before = _subject_before(text, figure.offset)
    if len(_core(before + after)) < 2 or _core(before + after).startswith("占"):
        before = _clause_before(text, figure.offset, "")  # 占GDP比重提高到3.85%: a share of the subject before
    return (before + after).strip(',;:、" ')


_SUBJECT_BEFORE_UNITS = frozenset(["%", "‰", "个百分点", "百分点", "元", "美元", "倍"])
_AFTER_CUT = re.compile(r"新台阶|台阶|大关|关口|纳入|列入|入选|以上|左右|以内|以下|的|和|与|及|等|在|对|向|已|均|累计|分别|完成|实现|开工|建成|竣工|投用|达到|提高|增长|下降|安排")
_FIGURE_TOKEN = re.compile(r"[\d.]+(?:万亿|亿|千万|万|千)?(?:%|‰|元|个|家|人次|人|项|亩|吨|条|座|所|公里|平方米|平方公里|公顷)?")


_PREDICATE = re.compile(r"^(?:达到|达|实现|创|位居|居|保持|跃居|稳居|排名|列)")
_PREDICATE_CUT = re.compile(r"(?<=..)(?:再破|突破|达到|超过|首次|跃上)")


def _subject_before(text: str, offset: int) -> str:
    """Return the segment before a figure's own that names a subject, joined to the figure's segment.

    Segments that only describe (达到建区以来同期最好水平) are passed over, and a subject's own
    predicate is cut (固定资产投资|再破千亿大关, 达到…, |增长27.6%: 固定资产投资增长).
    """
    segments = re.split(r"[,、]", text[_clause_start(text, offset):offset])
    for segment in reversed(segments[:-1]):
        if re.search(r"\d", segment) or not _PREDICATE.match(segment):
            return _FIGURE_TOKEN.sub("", _PREDICATE_CUT.split(segment)[0] + segments[-1])[-24:]
    return ""


def _clause_before(text: str, offset: int, extra: str) -> str:
    """Return the text between the last clause boundary (。;:!? plus extra) and offset, without other figures."""
    return _FIGURE_TOKEN.sub("", text[_clause_start(text, offset, _STOPS + extra):offset])[-24:]


_STOPS = "。;:!?\n"  # where a sentence-level clause ends (a comma ends a clause only where callers add it)


def _clause_start(text: str, offset: int, marks: str = _STOPS) -> int:
    """Return where the clause holding offset starts: just after the last of marks before it."""
    return max(text.rfind(mark, 0, offset) for mark in marks) + 1


_STRIP_EDGES = re.compile(
    r"^(?:[,、;:\"\s]|预计|同比|全年|年度|当年|今年|年末|年底|力争|确保|努力|新增|新建|新开|新引进|引进|引育|招引|完成|实现|达到|达|累计|其中|共|约|超过|超|突破|"
    r"打造|建设|建成|推进|推动|实施|开展|组织|举办|培育|落地|新改扩建|新改建|改建|改造|保持|控制在|各类|全区|全市|全省|全国|"
    r"开通|首批|第一批|贯通|努力|新认定|认定|引入|布局|启动|入驻|筹集)+"
    r"|(?:[,、;:\"\s]|增长|增速|增幅|涨幅|降幅|上涨|增加|提高|提升|下降|降低|减少|降到|降至|达到|达|突破|超过|超|为|是|到|至|以上|左右|控制在|"
    r"保持在|保持|稳定在|分别|再|同比|约|近|新增|正增长|由|从|比上年|等|全年|年末|年底|总额|总量|数量|规模|金额|额|量|数|平均|首次|跃上|跃升|入库|建设|开工|竣工)+$"
)
_FLOW = re.compile(r"新增|新认定|新引进|新建|新开|净增|引进|引育|招引")
_LEVEL = re.compile(r"(?:突破|超过|达到)$")
_ASIDE = re.compile(r"\([^()]{0,8}\)")  # 地区生产总值同比(下同)增长: an aside, not the subject
_STOCK = re.compile(r"总量|累计|总数|总计|存量|总规模")
_PERIOD = re.compile(r"[十五三两]年来|过去[五十]年|五年来|十年|[十]\S五(?:时期|期间)")
_AVERAGE = re.compile(r"年均")  # an average over years: only in the figure's own clause (PM2.5年均浓度…,空气优良率 is yearly)


@lru_cache(maxsize=1 << 16)
def _core(subject: str) -> str:
    """Return a subject without leading and trailing movement or counting words (国内生产总值增长 -> 国内生产总值)."""
    previous = None
    core = _ASIDE.sub("", subject or "")
    while core != previous:
        previous, core = core, _STRIP_EDGES.sub("", core)
    return core


def is_target(figure: Figure, text: str) -> bool:
    """Return False for numbers that are parts of names, ordinals, durations or counts of programmes.

    Also never a target: a Chinese numeral (plans write quantities in digits; 两个市场, 十大计划 are
    themes), a scale without a unit (14亿多中国人, 2.9亿在校学生: situation), and the starting value
    of a change (加计扣除比例从75%提高到100%: 75% is where it starts).
    """
    after = text[figure.end:figure.end + 6]
    if not figure.raw[0].isdigit() or not figure.unit or _FROM_VALUE.match(after) or text[figure.offset - 1:figure.offset] in ("从", "由"):
        return False
    if figure.unit in _ORDINAL_UNITS and not figure.raw[0].isdigit() or figure.unit in _DURATION_UNITS:
        return False
    if figure.unit == "大" or _PROGRAMME_HEADS.match(after) or _inside_quotes(text, figure.offset):
        return False
    if figure.unit in _COUNT_UNITS and _PROGRAMME_NOUNS.search(_noun_after(text, figure.end)[:8]):
        return False  # 45项深度融合举措: a count of measures
    if re.search(r"预计|预测|估计", _clause_of(text, figure.offset)) or _is_premise(text, figure):
        return False  # 预计今年高校毕业生超过1170万人 / 今年高校毕业生超过1000万人,要…: the situation a deed answers
    return not re.match(r"[+＋]\d", after) and not re.search(r"\d[+＋]$", text[max(0, figure.offset - 2):figure.offset])


_PREMISE = re.compile(r"[^,;。]{0,6},(?:我们)?(?:要|必须|需要)")
_SITUATION_OPENS = re.compile(r"^(?:今年|明年|全国|我国|目前|当前|现有)")


def _is_premise(text: str, figure: Figure) -> bool:
    """Return True for the situation a deed answers: 今年高校毕业生超过1000万人,要…; 全国近3亿人领取养老金,必须…."""
    return bool(_SITUATION_OPENS.match(_clause_of(text, figure.offset).strip()) and _PREMISE.match(text[figure.end:]))


_FROM_VALUE = re.compile(r"(?:提高|增加|增长|提升|扩大|降低|下降|压缩|减少|缩短)?(?:到|至)\d")


def _clause_of(text: str, offset: int) -> str:
    """Return the clause (between commas or stops) holding offset, up to offset."""
    return text[_clause_start(text, offset, _STOPS + ","):offset]


def _noun_after(text: str, end: int) -> str:
    """Return the words after a measure word up to the next punctuation (45项|深度融合举措)."""
    return re.split(r"[。;,:!?、\"()]", text[end:end + 12])[0]


def _inside_quotes(text: str, offset: int) -> bool:
    """Return True when offset lies inside a quoted name ("20+8", "三件大事")."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("。", 0, offset)) + 1
    return text.count('"', line_start, offset) % 2 == 1


def targets_in(text: str, line: int = 0) -> list[Target]:
    """Return the quantified targets written in one plan sentence or clause."""
    found = []
    for figure in extract_figures(text):
        if is_target(figure, text):
            modifier = modifier_of(text, figure)
            for indicator in _co_indicators(figure, text) + [indicator_of(figure, text)]:
                found.append(Target(indicator, modifier, figure.value, figure.unit, figure.raw, text, line, figure))
    return found


def _co_indicators(figure: Figure, text: str) -> list:
    """Return the other indicators a shared rate is set for (游客接待量、旅游总收入增长60%以上: 游客接待量增长 too)."""
    if figure.unit != "%":
        return []
    parts = _clause_of(text, figure.offset).split("、")
    movement = _GROWTH.search(parts[-1])
    if len(parts) < 2 or movement is None or not parts[-1].endswith(movement.group(0)):
        return []
    return [part + movement.group(0) for part in parts[:-1] if not re.search(r"\d", part) and len(_core(part)) >= 2]


def verdict_of(target: Target, realised: Figure) -> Optional[str]:
    """Return met or missed for a realised figure of the same indicator, None when units cannot be compared."""
    if not _units_agree(target.unit, realised.unit):
        return None
    value, goal = realised.value, target.value
    if target.modifier in ("以内", "不超过") or _is_ceiling(target):
        slack = 1 / DEFAULT.targets.approx_met_fraction if target.modifier == "左右" else 1.0
        return "met" if value <= goal * slack else "missed"
    if target.modifier == "左右":
        return "met" if value >= DEFAULT.targets.approx_met_fraction * goal else "missed"
    return "met" if value >= goal else "missed"


def _is_ceiling(target: Target) -> bool:
    """Return True for indicators where lower is better (失业率, CPI 涨幅) or reduction targets read as ceilings."""
    subject = target.indicator or target.figure.subject
    return any(word in subject for word in _CEILING_WORDS) and not any(word in subject for word in _REDUCTION_WORDS)


def _units_agree(a: str, b: str) -> bool:
    """Return True when two units measure the same kind of thing (家 and 个 are both counts of units)."""
    if a == b:
        return True
    interchangeable = DEFAULT.targets.interchangeable_units
    return any(a in group and b in group for group in interchangeable)


def _plausible(target: Target, realised: Figure) -> bool:
    """Return True when a realised value is of the target's order of magnitude (not one project's share)."""
    if target.unit in ("%", "个百分点", "‰") or target.value <= 0 or realised.value <= 0:
        return True
    ratio = realised.value / target.value
    low, high = DEFAULT.targets.magnitude_range
    return low <= ratio <= high


@lru_cache(maxsize=1 << 18)
def specificity(indicator: str, subject: str) -> float:
    """Return how specifically a realised figure's subject names a target's indicator (0: not the same indicator).

    The longest run the two cores share must be two characters or more and not a generic head,
    and the realised subject's head (its last two characters) must occur in the indicator:
    单位国内生产总值能耗降幅 does not answer 国内生产总值增长. The score is the run's share of the indicator.
    """
    core, other = _core(indicator), _core(subject)
    if len(core) < 2 or len(other) < 2:
        return 0.0
    named = _same_name(core, other, _QUOTED.findall(indicator), _QUOTED.findall(subject))
    if named:
        return named
    run = _longest_common_run(core, other)
    specific = run if run == core else _GENERIC_TAIL.sub("", run)
    if len(specific) < 2 or specific in _GENERIC_HEADS or other[-2:] not in core:
        return 0.0
    if len(run) <= 2 and len(core) > len(run) and core.endswith(run):
        return 0.0  # only the head word (公园 for 口袋公园): the review speaks of something wider
    if _other_kind(core, other, run):
        return 0.0
    share = len(run) / len(core)
    return round(share, 3) if len(run) >= 3 or share >= DEFAULT.targets.min_specificity else 0.0


_QUOTED = re.compile(r'"([^"]{2,20})"')


def _same_name(core: str, other: str, names: Sequence[str] = (), other_names: Sequence[str] = ()) -> float:
    """Return the score of two subjects that name one thing differently (0 when they do not).

    DOMAIN.md: names are the strongest keys. The same quoted name ("融·易·罗湖"活动 / "融·易·罗湖"交流会);
    an abbreviation, whose characters run in order through the full name with the same first and
    last (国高企业 / 国家高新技术企业, 事故亡人数 / 事故死亡人数); or one long modifier with another head
    that is not a measure of its own (空气质量优良率 / 空气质量优良天数比例, 老旧小区改造 / 老旧小区改造提升工程).
    """
    options = DEFAULT.targets
    quoted = set(names) & set(other_names)
    short, full = sorted((core, other), key=len)
    share = max(len(short) / len(full), options.min_specificity)
    if quoted or len(short) >= options.abbreviation_chars and short[0] == full[0] and short[-1] == full[-1] and _subsequence(short, full):
        return round(share, 3)
    if len(short) >= options.reordered_chars and len(full) <= len(short) + 1 and not Counter(short) - Counter(full):
        return round(share, 3)  # the same words in another order: 接待游客 / 游客接待量
    prefix = os.path.commonprefix([core, other])
    rests = (core[len(prefix):], other[len(prefix):])
    if len(prefix) >= options.shared_modifier_chars and 2 * len(prefix) > len(full) and not any(_MEASURE.search(rest) for rest in rests):
        return round(max(len(prefix) / len(core), options.min_specificity), 3)
    return 0.0


# Words that make a subject a measure of its own: 规模以上工业增加值 is not 规模以上工业总产值.
_MEASURE = re.compile(r"增加值|产值|收入|营收|投资|总额|金额|额|增速|比重|占比|产量|利润|税|人数|户数|数量|总量|规模|价格|指数")


def _other_kind(core: str, other: str, run: str) -> bool:
    """Return True when two subjects share only their head, each with its own modifier (普惠性托育机构 / 示范性托育机构)."""
    if not (core.endswith(run) and other.endswith(run)):
        return False
    head = run[1:] if _MODIFIER_END.match(run[:1]) else run  # 普惠|性托育机构: the shared run starts inside the modifier
    mine, theirs = (s[:-len(head)] for s in (core, other))
    if not (_MODIFIER_END.search(mine) and _MODIFIER_END.search(theirs)):
        return False
    return len(mine) >= 3 and len(theirs) >= 3 and not set(mine[:-1]) & set(theirs[:-1])


_MODIFIER_END = re.compile(r"[性型化式级类]$")


def _subsequence(short: str, full: str) -> bool:
    """Return True when the characters of short occur in full in the same order."""
    chars = iter(full)
    return all(char in chars for char in short)


_GENERIC_TAIL = re.compile("(?:" + "|".join(sorted(_GENERIC_HEADS, key=len, reverse=True)) + ")$")


def _longest_common_run(a: str, b: str) -> str:
    """Return the longest substring of a that also occurs in b."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def find_answer(target: Target, realised: Sequence[tuple]) -> Optional[Answer]:
    """Return the realised figure that answers a target, or None.

    realised: (figure, sentence, doc, section, line) of result sentences. The figure must name the
    indicator specifically, agree in unit and be of plausible magnitude; the most specific wins.
    """
    if target.indicator is None:
        return None
    best, best_key = None, None
    for figure, sentence, doc, section, line, *multi in realised:
        if not _units_agree(target.unit, figure.unit) or not _plausible(target, figure):
            continue
        subject = phrase_of(figure, sentence)
        if _different_measure(target, subject, sentence, section, any(multi)) or _other_stage(target, figure, sentence):
            continue
        score = specificity(target.indicator, subject) or _same_works(target, figure, subject, sentence)
        if score <= 0:
            continue
        key = (score, _same_direction(target, subject), -abs(len(_core(subject)) - len(_core(target.indicator))))
        if best_key is None or key > best_key:
            best, best_key = Answer(figure, sentence, doc, section, line, score, subject), key
    return best


def _different_measure(target: Target, subject: str, sentence: str, section: str = "", multi_year: bool = False) -> bool:
    """Return True when a figure measures something else than the target, whatever the words it shares.

    A stock against a flow target (总量 vs 新增), a net count against a gross one (净增 vs 新增), a
    multi-year figure (十年来, 过去五年) against a yearly one, a growth rate against a level
    (研发投入增长5.7% does not answer 研发投入占GDP比重提高到4.1%).
    """
    said = sentence[:sentence.find(subject) + 1] if subject in sentence else sentence
    if (multi_year or _PERIOD.search(said) or _PERIOD.search(section)) and not _PERIOD.search(target.text):
        return True
    if _AVERAGE.search(_clause_of(sentence, sentence.find(subject) + len(subject))) and not _AVERAGE.search(target.text):
        return True
    if ("净增" in subject) != ("净增" in (target.indicator or "")):
        return True
    if _LEVEL.search(target.indicator or "") and _FLOW.search(subject) and not _FLOW.search(target.indicator or ""):
        return True  # 国高企业突破100家 (how many there are) is not answered by 新认定国高企业42家 (how many came)
    if target.unit == "%" and _is_growth(target.indicator or "") != _is_growth(subject):
        return True
    if _is_growth(target.indicator or "") and _CHANGE.search(subject):
        return True  # 补助标准再提高30元 (an increase) is not answered by 从50元提高到84元 (the level reached)
    return bool(_STOCK.search(subject)) and not _STOCK.search(target.indicator or "")


_STAGES = (("开工", re.compile(r"开工|动工|开建")), ("建成", re.compile(r"建成|竣工|完工|通车|投用|投入使用|验收")))


def _stage(text: str, figure: Figure) -> Optional[str]:
    """Return the stage of work a counted figure's clause names (开工 or 建成), None when it names none."""
    ends = [i for i in (text.find(mark, figure.end) for mark in "。;:!?,") if i >= 0]
    clause = text[_clause_start(text, figure.offset, "。;:!?,"):min(ends) if ends else len(text)]
    found = [name for name, pattern in _STAGES if pattern.search(clause)]
    return found[0] if len(found) == 1 else None


def _same_works(target: Target, figure: Figure, subject: str, sentence: str) -> float:
    """Return a score for two counts of works named by examples, of one kind at one stage, else 0.

    龙眼园旧村二期等6个项目竣工验收 / 金斗岭工业区等8个项目竣工验收: the examples (X等) change every year,
    what is counted is the head (项目) at its stage (竣工).
    """
    heads = [_core(s).rpartition("等")[2] for s in (target.indicator or "", subject)]
    examples = all("等" in _core(s) for s in (target.indicator or "", subject))
    stage = _stage(target.text, target.figure)
    if examples and heads[0] and heads[0] == heads[1] and stage is not None and stage == _stage(sentence, figure):
        return DEFAULT.targets.min_specificity
    return 0.0


def _other_stage(target: Target, figure: Figure, sentence: str) -> bool:
    """Return True when a target and a figure count works at different stages (40条道路开工 vs 50条道路建成通车)."""
    mine, theirs = _stage(target.text, target.figure), _stage(sentence, figure)
    return mine is not None and theirs is not None and mine != theirs


_GROWTH = re.compile(r"(?:增长|增速|增幅|下降|降幅|降低|提高|提升|减少|上涨|涨幅|回落)(?![到至])")


def _is_growth(phrase: str) -> bool:
    """Return True when a percentage phrase is a rate of change (增长, 降幅超过), not a level (比重提高到, 优良率)."""
    return bool(_GROWTH.search(re.split(r"[,、]", phrase.strip(" ,、"))[-1]))


def _same_direction(target: Target, subject: str) -> bool:
    """Return True when both speak of a rise or both of a fall (增长 vs 下降), or neither says."""
    falls = [any(w in s for w in _REDUCTION_WORDS) for s in (target.indicator or "", subject)]
    return falls[0] == falls[1]


def realised_figures(later: Sequence[Report]) -> list[tuple]:
    """Return (figure, sentence, doc, section, line, multi-year?) for every figure of a results sentence of the later reports.

    A review that turns to a span (过去五年…, 五年来…) reviews that span in what follows, until it
    turns back to one year (过去一年…): its figures are multi-year (a new-term report's five-year review).
    """
    from .candidates import candidates_of

    out = []
    for doc, report in enumerate(later):
        multi = False
        for cand in candidates_of(report, doc):
            if cand.role != "results":
                continue
            multi = bool(_SPAN_OPENS.match(cand.text)) or multi and not _YEAR_OPENS.match(cand.text)
            for figure in review_figures(cand.text):
                line = report.norm.line_at(cand.start + figure.offset)
                out.append((figure, cand.text, report.meta.path, cand.section, line, multi))
    return out


_SPAN_OPENS = re.compile(r"^(?:过去[五十]年|[五十]年来|本届政府)")
_YEAR_OPENS = re.compile(r"^(?:过去一年|一年来|(?:19|20)\d\d年是)")


_CHANGE = re.compile(r"(?:增|增加|增长|提高|上升|扩大|降|降低|下降|减少)(?:到|至)")
_GROWN = re.compile(r"(?:增|增加|增长)(?:到|至)")  # a count that grew: its increase is what was added


def review_figures(text: str) -> list:
    """Return the figures of a review sentence that may answer a target (see _with_changes)."""
    return _with_changes(extract_figures(text), text)


def _with_changes(figures: list, text: str) -> list:
    """Return the figures without the starting value of a change (从50元|提高到84元), plus the increase of a
    count that grew (创新平台由242家增至278家: 36 added, valued B - A)."""
    out, starts = [], set()
    for a, b in zip(figures, figures[1:]):
        if a.unit == b.unit and text[a.offset - 1:a.offset] in ("由", "从") and _CHANGE.fullmatch(text[a.end:b.offset]):
            starts.add(a.offset)
            if _GROWN.fullmatch(text[a.end:b.offset]) and b.value > a.value:
                out.append(Figure(b.value - a.value, text[a.offset:b.end], b.unit, a.subject, None, a.offset))
    return [f for f in figures if f.offset not in starts] + out


def judge(target: Target, realised: Sequence[tuple]) -> tuple[str, Optional[Answer], float]:
    """Return (verdict, answer, confidence) for one target."""
    answer = find_answer(target, realised)
    verdict = verdict_of(target, answer.figure) if answer else None
    if verdict is None:
        return "not-reported", None, DEFAULT.targets.not_reported_confidence
    return verdict, answer, round(min(1.0, 0.5 + 0.5 * answer.specificity), 3)


def _number(value: float) -> float | int:
    """Return an integral float as int for display."""
    return int(value) if float(value).is_integer() else value


def target_dict(row: TargetResult) -> dict:
    """Return one target with its verdict in JSON form."""
    t, a = row.target, row.answer
    return {
        "commitment": row.commitment_id, "indicator": t.indicator, "modifier": t.modifier, "value": _number(t.value),
        "unit": t.unit, "raw": t.raw, "text": t.text, "line": t.line, "verdict": row.verdict, "confidence": row.confidence,
        "realised": None if a is None else {
            "value": _number(a.figure.value), "unit": a.figure.unit, "raw": a.figure.raw, "subject": a.subject or a.figure.subject,
            "text": a.text, "doc": a.doc, "section": a.section, "line": a.line, "specificity": a.specificity,
        },
    }


@record
class TargetsResult:
    """Every quantified target of a plan and its verdict; exit 1 when one is missed or not reported."""

    plan: Report
    later: tuple
    items: tuple
    input_warnings: tuple = field(default=())  # followup.check_inputs: not later, another issuer, the plan itself
    KIND = "targets"
    SCHEMA = "comparer.targets/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about the inputs: how they were read (models.Notice) and whether they fit together."""
        return tuple(dict.fromkeys(notices_of([self.plan, *self.later]) + tuple(self.input_warnings)))

    @property
    def exit_code(self) -> int:
        """Return 0 when every target was met, 1 otherwise."""
        return 0 if all(row.verdict == "met" for row in self.items) else 1

    @property
    def summary(self) -> dict:
        """Count targets per verdict."""
        return {**{v: sum(1 for r in self.items if r.verdict == v) for v in VERDICTS}, "targets": len(self.items)}

    def to_dict(self) -> dict:
        """Return the comparer.targets/1 JSON form."""
        return {"schema": self.SCHEMA, "plan": self.plan.meta.to_dict(), "later": [r.meta.to_dict() for r in self.later],
                "targets": [target_dict(r) for r in self.items], "summary": self.summary}

    def rows(self) -> list[dict]:
        """Return one flat row per target: planned vs realised and the evidence line."""
        out = []
        for row in self.items:
            data = target_dict(row)
            realised = data.pop("realised") or {}
            out.append({**data, "realised_value": realised.get("value"), "realised_unit": realised.get("unit"),
                        "realised_raw": realised.get("raw"), "evidence_doc": realised.get("doc"),
                        "evidence_line": realised.get("line"), "evidence_text": realised.get("text")})
        return out

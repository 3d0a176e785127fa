"""Extract quantified figures from normalized Chinese report text and check them.

Conventions (decided here, relied on by callers):
- A figure needs a unit; bare numbers (hotlines, dates, codes, ordinals) are skipped.
- 万/亿/万亿 scale the value and are dropped from the unit: "1200万人" -> 1.2e7 "人",
  "3万元" -> 30000 "元", so figures written at different scales compare directly.
- A range "6%-6.5%" is one figure valued at its lower bound with comparator "≥".
- "3个100%" (three indicators, each at 100%) is one figure: value 100, unit "%".
- A Chinese numeral is a figure only with a measure word after it; a lone 一 never is
  (一网通办, 一业一证, 一批, 一件事 ...), nor are party congresses (二十大) or slogans.
- Figures inside document titles 《…》 are parts of names and are skipped.
"""
from __future__ import annotations

import re
from typing import Optional

import cn2an
from rapidfuzz import fuzz

from .record import record

__all__ = [
    "Figure",
    "RatioCheck",
    "extract_figures",
    "check_ratios",
    "same_indicator",
    "meets_target",
    "APPROX_MET_FRACTION",
]

# A "左右" (≈) target counts as met from 97% of it upward: reports call a result
# "基本完成" a little below the target and "完成" anywhere above it.
APPROX_MET_FRACTION = 0.97


@record
class Figure:
    """A quantity as written in a report, with what it measures."""

    value: float
    raw: str
    unit: str
    subject: str
    comparator: Optional[str]
    offset: int

    @property
    def end(self) -> int:
        """Return the offset just after the raw text."""
        return self.offset + len(self.raw)


@record
class RatioCheck:
    """A stated rate set against the rate computed from two counts in its sentence."""

    numerator: Figure
    denominator: Figure
    stated_percent: float
    computed_percent: float
    consistent: bool
    sentence: str
    offset: int


_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_POSITIONS = set("十百千万亿")
_SCALES = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "万": 1e4, "千": 1e3}  # 6千张 (千瓦, 千米, 千克 are units)
_UNITS = (
    "微克/立方米 个百分点 百分点 个工作日 工作日 个月 平方公里 平方米 立方米 千瓦时 千瓦 公里 千米 公顷 公斤 千克 "
    "人次 户次 辆次 架次 批次 件次 周年 学时 课时 小时 分钟 标箱 美元 % ‰ 元 人 户 家 个 项 件 场 名 份 次 起 "
    "所 座 条 张 台 辆 套 处 批 类 种 位 支 部 篇 期 轮 栋 间 宗 笔 例 吨 斤 亩 米 天 周 年 岁 倍 大 组 床 艘"
).split()
_CN_UNITS = "个 项 件 场 名 份 家 次 大 类 批 条 种 张 所 位 支 座 套 处 户 人 篇 部 组 倍".split()
# Measure words whose noun follows the figure ("48场活动"), unlike measurements ("95.6%").
_CLASSIFIERS = set(_CN_UNITS) | {"起", "台", "辆", "栋", "间", "宗", "笔", "例", "期", "轮", "艘"}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d.])|\d+(?:\.\d+)?"
_TAIL = r"(?P<scale>万亿|亿|千万|万|千(?![瓦米克]))?(?P<approx>余|多)?(?P<unit>{units})?(?P<suffix>左右|上下|以上|以下|以内)?"
_ARABIC = re.compile(
    rf"(?<![A-Za-z0-9.\-])(?P<num>{_NUM})(?:(?:{_UNIT_RE})?[-~至](?P<high>{_NUM}))?"
    + _TAIL.format(units=_UNIT_RE)
)
_CHINESE = re.compile(
    rf"(?<![第周初{_CN_CHARS}])(?P<num>[{_CN_CHARS}]+)(?P<approx>余|多)?"
    rf"(?P<unit>{'|'.join(_CN_UNITS)})(?P<suffix>左右|以上|以下|以内)?"
)
_EACH_PERCENT = re.compile(r"(?<![\d.])(?:\d+|[二两三四五六七八九十]+)个(?P<num>\d+(?:\.\d+)?)%")
# Fixed political phrases and brand names built on a count: names, not quantities.
_SLOGANS = (
    "四个意识", "四个自信", "两个维护", "两个确立", "三个代表", "四个全面", "两个毫不动摇",
    "两个一百年", "五位一体", "三位一体", "两个大局", "五个一工程", "三次产业", "二次",
    "四个走在", "两个务必", "三个务必", "三所联动", "五个中心",
    "两位数", "八项规定", "五项原则", "四个不摘",
)
_PREFIX_CMP = re.compile(
    r"(?P<ge>(?:不少于|不低于|至少|超过|多于|高于)[\u4e00-\u9fff]{0,2}|逾|超)$"
    r"|(?P<le>(?:不超过|不高于|低于|少于)[\u4e00-\u9fff]{0,2}|控制在)$"
    r"|(?P<approx>大约|接近|约|近)$|(?P<eq>达到|达|(?<![行作成认视。,;:!?、\n])为|保持)$"
)
_SUFFIX_CMP = {"以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈", "上下": "≈"}
_BOUNDARY = set("。,;:!?、()[]\"'《》<>\n…·")
_LEAD = re.compile(r"^(?:\d{4}年(?:度|底|末)?|截至(?:目前|\d+月底?)|其中|全年|当年|今年|去年|此外|同时|共计?|累计)+")
_TRAIL = re.compile(
    r"(?:(?:增加|提高|提升|上升|下降|降低|减少|压缩|压减|增|降|升|扩大|缩短)(?:到|至)|从|由|较|(?<!占)比|"
    r"达到|达|(?<![行作成认视])为|是|至|(?<!报)到|约|近|超过|超|不少于|不低于|至少|不超过|不高于|"
    r"低于|高于|(?:稳定|保持|控制)在|应当|应|要|须|必须|将|力争|确保|共计|共|累计|合计|均|分别|逾|多于|少于|了|控制在)+$"
)
_VERB_CUT = re.compile(
    r"开展|实施|进行|参加|参与|获评|获得|成为|继续|实现|完成|接入|纳入|入选|开通|落地|落实|建成|投入|"
    r"提供|配置|覆盖|达到|通过|列入|上线|运行|发布|出台|印发|被|的|和|与|及|等|在|对|向|已|均|全部|累计|分别"
)
_HEADS = re.compile(
    r"文件|人员|领域|活动|案例|纠纷|企业|项目|事项|中心|专区|单位|机构|部门|课题|报告|平台|制度|任务|案件|"
    r"案卷|街道|社区|学校|岗位|场所|系统|窗口|站点|证书|清单|标准|指标|工程|设施|医院|园区|基地|楼宇|"
    r"家庭|群众|法规|规章|意见|建议|提案|议案|行动|协议|合同|问题|律师|市民|居民"
)
_GENERIC_HEADS = {"完成", "实现", "达到", "新增", "增长", "下降", "提高", "累计", "全年", "办理"}
_LOWER_IS_BETTER = ("失业率", "涨幅", "能耗", "赤字", "排放", "发生率", "死亡", "事故", "投诉", "差评", "时限")


def extract_figures(text: str) -> list[Figure]:
    """Return the figures in text, in reading order."""
    candidates = []
    for match in _EACH_PERCENT.finditer(text):
        candidates.append((match.start(), match.end(), float(match["num"]), "%", None))
    for match in _ARABIC.finditer(text):
        candidates.extend(_arabic(text, match))
    for match in _CHINESE.finditer(text):
        candidates.extend(_chinese(text, match))
    figures: list[Figure] = []
    for start, end, value, unit, approx in _without_overlaps(candidates):
        if not _inside_title(text, start):
            previous = figures[-1] if figures else None
            figures.append(_figure(text, start, end, value, unit, approx, previous))
    return figures


def _without_overlaps(candidates: list[tuple]) -> list[tuple]:
    """Keep the longest of overlapping candidates, in reading order."""
    kept: list[tuple] = []
    for cand in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if not kept or cand[0] >= kept[-1][1]:
            kept.append(cand)
    return kept


def _arabic(text: str, match: re.Match) -> list[tuple]:
    """Return the candidate for one Arabic-numeral match, or nothing if it is no figure."""
    unit, end = match["unit"], match.end()
    after = text[end:end + 1]
    if not unit and not match["scale"] or (after.isascii() and after.isalpha()):
        return []
    if unit == "大" and text.startswith("数据", end):
        return []  # "1+4大数据平台"
    if text[match.start() - 1:match.start()] == "第":
        return []
    low = float(match["num"].replace(",", ""))
    high = float(match["high"].replace(",", "")) if match["high"] else None
    if _is_year(low, unit) or (high is not None and (_is_year(high, unit) or high <= low)):
        return []
    scale = _SCALES.get(match["scale"] or "", 1.0)
    approx = "≥" if high is not None else match["approx"]
    return [(match.start(), end, low * scale, unit or "", approx)]


def _is_year(value: float, unit: Optional[str]) -> bool:
    """Return True for a calendar year such as 2024年 (not a quantity)."""
    return unit in (None, "年") and value.is_integer() and 1900 <= value <= 2100


def _chinese(text: str, match: re.Match) -> list[tuple]:
    """Return the candidate for one Chinese-numeral match, or nothing if it is no figure."""
    num, start = match["num"], match.start()
    if any(text.startswith(s, start) for s in _SLOGANS):
        return []
    if len(num) == 1 and num not in "二两三四五六七八九十":
        return []  # lone 一 is idiom (一批, 一网通办); lone 百/千/万 too (千家万户)
    if len(num) > 1 and not _CN_POSITIONS & set(num):
        return []  # 七八个, 两三项, 二〇二五: approximations and years, not amounts
    try:
        value = float(cn2an.cn2an(num, "smart"))
    except (ValueError, KeyError, IndexError):
        return []
    if match["unit"] == "大" and value > 10 or _is_session(text, match):
        return []  # 十九大, 二十大, 六届人大三次会议: congresses and their sessions
    return [(start, match.end(), value, match["unit"], match["approx"])]


def _is_session(text: str, match: re.Match) -> bool:
    """Return True for the ordinal session of a congress (十三届四次全会)."""
    before = re.split(r"[。,;:!?\n]", text[max(0, match.start() - 10):match.start()])[-1]
    return match["unit"] == "次" and "届" in before


def _inside_title(text: str, offset: int) -> bool:
    """Return True when offset lies inside a 《document title》."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.rfind("《", line_start, offset) > text.rfind("》", line_start, offset)


def _figure(text: str, start: int, end: int, value: float, unit: str, approx: Optional[str],
            previous: Optional[Figure]) -> Figure:
    """Build a Figure, finding its comparator and subject around it."""
    raw, floor = text[start:end], previous.end if previous else 0
    comparator = next((c for s, c in _SUFFIX_CMP.items() if raw.endswith(s)), None)
    comparator = comparator or _prefix_comparator(text, start, floor)
    if comparator is None and approx in ("余", "多", "≥"):
        comparator = "≥"
    if unit in _CLASSIFIERS or not unit:
        subject = _subject_after(text, end) or _subject_before(text, start, floor)
    else:
        subject = _subject_before(text, start, floor) or _subject_after(text, end)
    if previous and _continues_list(text, previous, start, subject):
        subject = previous.subject  # "分别增长9.4%、9.1%", "从60.2%提高到65.2%"
    return Figure(value=value, raw=raw, unit=unit, subject=subject, comparator=comparator, offset=start)


def _continues_list(text: str, previous: Figure, start: int, subject: str) -> bool:
    """Return True when a figure only continues the previous one's list or change."""
    between = text[previous.end:start]
    if len(between) > 8 or re.search(r"[。;!?\n]", between):
        return False
    return not subject or re.fullmatch(r"[、,和及与]|(?:[增降升提减压扩缩][加低高升少缩大短减]?|提[高升]|上升|下降)?(?:到|至)", between) is not None


def _prefix_comparator(text: str, start: int, floor: int) -> Optional[str]:
    """Return the comparator written just before a number (不少于, 约, 达到 ...)."""
    match = _PREFIX_CMP.search(text[max(floor, start - 6):start])
    if match is None:
        return None
    return {"ge": "≥", "le": "≤", "approx": "≈", "eq": "="}[match.lastgroup]


def _subject_before(text: str, start: int, floor: int) -> str:
    """Return the noun phrase ending just before a figure (受理各类民间纠纷|7009件)."""
    if text[start - 1:start] == '"' and start - 1 > floor:
        opening = text.rfind('"', floor, start - 1)
        if opening >= 0 and start - opening <= 24:
            return text[opening + 1:start - 1]  # "深龙英才"302人
    i = start
    while i > floor and text[i - 1] not in _BOUNDARY and start - i < 24:
        i -= 1
    phrase = _LEAD.sub("", text[i:start])
    phrase = _TRAIL.sub("", phrase)
    return phrase[-16:]


def _subject_after(text: str, end: int) -> str:
    """Return the noun a measure word introduces (48场|"政府开放月活动")."""
    if text[end:end + 1] == '"':
        close = text.find('"', end + 1)
        return text[end + 1:close] if 0 < close - end <= 24 else ""
    j = end
    while j < len(text) and text[j] not in _BOUNDARY and not text[j].isdigit() and j - end < 12:
        j += 1
    window = text[end:j]
    cut = _VERB_CUT.search(window)
    window = window[:cut.start()] if cut else window
    heads = list(_HEADS.finditer(window))
    return window[:heads[-1].end()] if heads else window


def check_ratios(figures: list[Figure], text: str) -> list[RatioCheck]:
    """Check each stated rate against the two same-unit counts before it in its sentence."""
    checks = []
    for start, end in _sentences(text):
        inside = [f for f in figures if start <= f.offset < end]
        for rate in inside:
            if rate.unit != "%" or not rate.subject.endswith(("率", "比例", "占比")):
                continue
            pair = _count_pair([f for f in inside if f.offset < rate.offset and f.unit not in ("%", "")])
            if pair and _shares_bigram(rate.subject, pair[0].subject + "|" + pair[1].subject):
                checks.append(_ratio_check(pair, rate, text[start:end], start))
    return checks


def _shares_bigram(a: str, b: str) -> bool:
    """Return True when a and b have a two-character substring in common."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


def _sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of text."""
    spans, start = [], 0
    for match in re.finditer(r"[。;!?\n]", text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _count_pair(counts: list[Figure]) -> Optional[tuple[Figure, Figure]]:
    """Return (part, whole): the last count and the nearest earlier related one in its unit."""
    if not counts:
        return None
    last = counts[-1]
    for earlier in reversed(counts[:-1]):
        if earlier.unit == last.unit and max(earlier.value, last.value) > 0 and _related(earlier, last):
            part, whole = sorted((earlier, last), key=lambda f: f.value)
            return part, whole
    return None


def _related(a: Figure, b: Figure) -> bool:
    """Return True when two counts name the same kind of thing (调解纠纷 / 民间纠纷)."""
    # The same subject twice is a change over time (由112公里增至134公里), not part and whole.
    if a.subject == b.subject:
        return False
    heads = {a.subject[-2:]: b.subject, b.subject[-2:]: a.subject}
    return any(len(h) == 2 and h not in _GENERIC_HEADS and h in other for h, other in heads.items())


def _ratio_check(pair: tuple[Figure, Figure], rate: Figure, sentence: str, start: int) -> RatioCheck:
    """Compare a stated percentage with part/whole, allowing for its rounding."""
    part, whole = pair
    computed = 100.0 * part.value / whole.value
    written = re.search(r"\d+(?:\.(\d+))?%", rate.raw)
    decimals = len(written.group(1) or "") if written else 0
    # Half a unit of the last written decimal covers rounding; 0.05pp more covers truncation.
    tolerance = 0.5 * 10 ** -decimals + 0.05
    consistent = abs(computed - rate.value) <= tolerance
    return RatioCheck(part, whole, rate.value, round(computed, 4), consistent, sentence, start)


def same_indicator(a: Figure, b: Figure) -> float:
    """Return how likely two figures measure the same indicator (0..1)."""
    if not a.subject or not b.subject:
        return 0.0
    score = max(fuzz.ratio(a.subject, b.subject), 0.9 * fuzz.partial_ratio(a.subject, b.subject)) / 100
    if a.unit != b.unit:
        # A percentage and a count never measure the same thing; two counts might.
        score *= 0.0 if "%" in (a.unit, b.unit) else 0.5
    return round(score, 4)


def meets_target(target: Figure, result: Figure) -> Optional[bool]:
    """Return whether result meets target, or None when they cannot be compared."""
    if target.unit != result.unit:
        return None
    lower_better = any(word in target.subject for word in _LOWER_IS_BETTER)
    if target.comparator == "≤" or (lower_better and target.comparator != "≥"):
        slack = 1 / APPROX_MET_FRACTION if target.comparator == "≈" else 1.0
        return result.value <= target.value * slack
    if target.comparator == "≈":
        return result.value >= APPROX_MET_FRACTION * target.value
    return result.value >= target.value

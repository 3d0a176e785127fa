"""Decide who issued a report, for which region and year, and of which genre (once, before sections).

Identity (documented in the README):
- region: the jurisdiction that reports, without the levels above it: 罗湖区 (not 深圳市罗湖区),
  长宁区, 广东省; the State Council's reports have region 国务院 (the national level). A region is
  an administrative division of the bundled list (divisions.py), or a functional zone (新区,
  高新区, 合作区 …) that the text names with its suffix as the body that speaks (…管委会).
- issuer: region + office: 罗湖区人民政府, 长宁区人民政府办公室 (区府办), 长宁区国动办, X新区管委会.
  A title that names only the region (2024年长宁区法治政府建设情况报告) means the region's
  government, even when a web copy's header names the office that published it (发文机构:
  长宁区司法局, kept as stated_issuer).
- Found from the text: title, the speaker line (我代表…人民政府 / 管委会; when it names only the
  level, 区人民政府, the division of that level the body names most often), header, cover, byline,
  signature. The file name only when the text gives nothing (identified_by: filename).
- Each decision has a confidence in [0, 1]; below `IdentityOptions.warn_below` one notice says why.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import PurePath
from typing import Optional, Sequence

from .divisions import LEVEL_OF_SUFFIX, divisions
from .models import DocMeta, Notice, RawDocument
from .options import DEFAULT, IdentityOptions
from .patterns import DATE_RE, YEAR, fold_compact as _fold, fold_compact_lines, parse_date
from .record import record
from .years import work_report_year

__all__ = [
    "identify", "identify_meta", "split_issuer", "frequent_place", "issuer_in_title", "region_from_filename",
    "parse_issuer", "Who",
]

_TITLE_WORDS = re.compile(r"报告|规划|方案|通知|意见|计划|纲要|决定|办法|总结")
_ISSUER_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|司法局|办公室|委员会|管委会|[局委办厅])"
_ZONE = (  # compiled on first use (_zone): the ideograph class costs milliseconds a diff rarely needs
    r"([\u4e00-\u9fff]{2,12}?(?:高新技术产业开发区|经济技术开发区|高新区|经开区|新区|合作区|自由贸易试验区|自贸区|"
    r"开发区|示范区|试验区|管理区|园区|保税区|港区))(?=管委会|管理委员会|管理局|党工委)"
)
_SPEAKER = re.compile(
    r"(?:我代表|受)(?P<who>[^，,。：:；;、\s]{2,40}?)(?:的委托|委托)?[，,]?\s*(?:向(?:大会|本次大会|会议)|作|报告|对|请予)"
)
_OFFICE_ALIASES = {"府办": "人民政府办公室", "政府办": "人民政府办公室", "政府": "人民政府", "": "人民政府", "管理委员会": "管委会"}
_GOVERNMENT_OFFICES = ("人民政府", "管委会")
_FORWARDED = re.compile(r"(?:转发|印发)[^《]{0,12}《(.{4,60}?)》")


@record
class Who:
    """A decided region and issuer, with how sure and from what."""

    region: Optional[str]
    issuer: Optional[str]
    confidence: float
    source: str
    note: str = ""


def identify(raw: RawDocument, options: IdentityOptions = DEFAULT.identity) -> DocMeta:
    """Return the document's metadata with title, issuer, region, date, year and genre decided.

    A field the caller already set on the metadata (a known year, say) is kept as given.
    """
    found = identify_meta(raw.text, dict(raw.header), raw.meta.path, options)
    notes = found.pop("notes")
    meta = replace(raw.meta, **{key: value for key, value in found.items() if getattr(raw.meta, key) is None})
    return replace(meta, notices=meta.notices + tuple(Notice(raw.meta.path, note) for note in notes))


def identify_meta(body: str, header: dict, path: str = "", options: IdentityOptions = DEFAULT.identity) -> dict:
    """Return the identity fields of a body text with its header fields, the file name as a last resort."""
    lines = [line for line in fold_compact_lines(body) if line]
    title = header.get("标题") or _find_title(lines)
    genre = _genre(title or "", lines)
    date = parse_date(header.get("发布日期") or header.get("成文日期") or header.get("发文日期") or "") or _signature_date(lines)
    text = _head(lines, 40000)
    who = decide_who(title, header, lines, text, genre == "work-report")
    year, year_confidence, year_note = _find_year(title or "", lines, genre, date)
    fields = {"title": title, "issuer": who.issuer, "stated_issuer": _stated(title, header, lines, who.region),
              "region": who.region, "date": date, "year": year, "genre": genre, "identified_by": "text"}
    confidence = min(who.confidence, year_confidence)
    notes = [n for n in (who.note, year_note) if n]
    if who.region is None or year is None:
        fields, confidence, notes = _from_filename(fields, path, confidence, notes)
    fields["identity_confidence"] = round(confidence, 2)
    fields["notes"] = notes if confidence < options.warn_below else []
    return fields


def _head(lines: Sequence[str], size: int) -> str:
    """Return the first `size` characters of the lines joined."""
    taken, length = [], 0
    for line in lines:
        if length >= size:
            break
        taken.append(line)
        length += len(line)
    return "".join(taken)[:size]


def _from_filename(fields: dict, path: str, confidence: float, notes: list) -> tuple[dict, float, list]:
    """Fill a region or year the text does not give from the file name, and say so."""
    named_region, named_year = region_from_filename(path)
    taken = [k for k, v in (("region", named_region), ("year", named_year)) if fields[k] is None and v is not None]
    for key in taken:
        fields[key] = named_region if key == "region" else named_year
    if taken:
        fields["identified_by"] = "filename"
        notes = notes + [f"{' and '.join(taken)} from the file name only"]
        confidence = min(confidence, 0.3)
    elif fields["region"] is None:
        notes = notes + ["region unknown: the text names no division it speaks for"]
        confidence = 0.0
    return fields, confidence, notes


def decide_who(title: Optional[str], header: dict, lines: list[str], text: str, work_report: bool = False) -> Who:
    """Return region and issuer: title, speaker line, header, cover/byline/signature, then the place named most."""
    for source, stated in _issuer_statements(title, header, lines):
        who = _grounded(stated, source, text)
        if who is not None:
            return who
    region, share = _most_named(text, "county")
    if region:
        # A work report is delivered by the region's government; other genres name no issuer.
        issuer = region + "人民政府" if work_report else None
        note = f"no issuer stated; {region} is the district the text names most"
        return Who(region, issuer, min(share, 0.6), "frequent", note)
    return Who(None, None, 0.0, "none")


def _issuer_statements(title: Optional[str], header: dict, lines: list[str]) -> list[tuple[str, str]]:
    """Return (source, issuer text) in the order they are trusted."""
    head = "".join(lines[:12])
    found = []
    forwarded = _FORWARDED.search(title or head[:300])
    for source, stated in (
        ("title", issuer_in_title(forwarded.group(1) if forwarded else (title or ""))),
        ("speaker", _speaker(head)),
        ("header", header.get("发文机构") or header.get("发布机构")),
        ("cover", _cover(lines)),
        ("byline", _byline(lines)),
        ("signature", _signature_issuer(lines)),
    ):
        if stated:
            found.append((source, stated))
    return found


_SOURCE_CONFIDENCE = {"title": 0.95, "speaker": 1.0, "header": 0.85, "cover": 0.85, "byline": 0.9, "signature": 0.8}


def _grounded(stated: str, source: str, text: str) -> Optional[Who]:
    """Return the region and issuer a stated issuer grounds in the division list, or None."""
    parsed = parse_issuer(stated)
    if parsed is None:
        return None
    region, office, level = parsed
    confidence, note = _SOURCE_CONFIDENCE[source], ""
    if region is None and level:
        region, confidence, note = _region_of_level(level, office, text, source)
        if region is None:
            return None
    if region is None:
        return None
    issuer = region if region == "国务院" else region + office
    return Who(region, issuer, confidence, source, note)


def _region_of_level(level: str, office: str, text: str, source: str) -> tuple[Optional[str], float, str]:
    """Return the region a bare level word (区人民政府, 新区管委会) points to in the body, with confidence."""
    if level in LEVEL_OF_SUFFIX:
        region, share = _most_named(text, LEVEL_OF_SUFFIX[level], level)
    else:
        region, share = _most_named_zone(text, level)
    if region is None:
        return None, 0.0, ""
    note = "" if share >= 0.8 else f"the {source} names only the level ({level}{office}); {region} is the one the text names most"
    return region, min(1.0, share), note


def parse_issuer(stated: Optional[str]) -> Optional[tuple[Optional[str], str, Optional[str]]]:
    """Return (region, office, level word) of an issuer name: 深圳市罗湖区人民政府 -> (罗湖区, 人民政府, None).

    区人民政府 -> (None, 人民政府, 区); a name that starts with no known division nor level -> None.
    """
    name = _fold(stated or "").strip("()（）")
    if name.endswith("国务院"):
        return "国务院", "", None
    places, rest = _leading_places(name)
    office = _OFFICE_ALIASES.get(rest, rest)
    if places:
        return places[-1], office, None
    zone = re.fullmatch(r"((?:高新技术产业开发|经济技术开发|高新|经开|新|合作|自贸|开发|示范|试验|管理)区)(管委会|管理委员会)", name)
    if zone:
        return None, "管委会", zone.group(1)
    if name[:1] in LEVEL_OF_SUFFIX and len(name) > 1 and re.match(_ISSUER_SUFFIX + "|府办|政府|国动办|[\u4e00-\u9fff]{1,6}[局委办厅]$", name[1:]):
        return None, _OFFICE_ALIASES.get(name[1:], name[1:]), name[0]
    return None


@lru_cache(maxsize=1)
def _zone() -> re.Pattern:
    """Return the zone pattern (a functional zone named before its 管委会), compiled once."""
    return re.compile(_ZONE)


def _leading_places(name: str) -> tuple[list[str], str]:
    """Split the divisions (or a zone named as the speaking body) off the front of an issuer name."""
    table, places, at = divisions(), [], 0
    while at < len(name):
        found = table.name_at(name, at)
        zone = _zone().match(name, at)
        if zone and (not found or len(zone.group(1)) > len(found)):
            found = zone.group(1)
        if not found or not _is_whole_name(name, at, found):
            break
        places.append(found)
        at += len(found)
    return places, name[at:]


def _is_whole_name(name: str, at: int, found: str) -> bool:
    """Return True unless the division name is really the start of a longer word (城区人民政府 is no 城区)."""
    return at + len(found) == len(name) or not re.match(r"[区县市]", name[at + len(found):])


def _most_named(text: str, level: str, suffix: str = "") -> tuple[Optional[str], float]:
    """Return the division of a level (ending in suffix) whose bare name the text uses most, and its share.

    Candidates are divisions the text writes out in full, and divisions under a city or province
    it writes out in full (深圳市 -> 盐田, 罗湖 …); those under a named parent come first. A bare word
    that is also a place elsewhere (城区, 光明, 和平) never wins on its own; a zone named after the
    district (罗湖口岸, X高新区) counts for the district, not against it.
    """
    table = divisions()
    named = {name for _, name in table.names_in(text)}
    written = [d for name in named for d in table.named(name)]
    below = [c for d in written if d.level in ("city", "province") for c in table.children(d.name)]
    fitting = [d for d in written + below if d.level == level and d.name.endswith(suffix)]
    under_named_parent = [d for d in fitting if _parent_named(d, text)]
    # Without a named parent only names of two or more characters before the level word count:
    # 康县 or 城区 inside 健康县域 / 老城区 are words, not places.
    candidates = {d.bare or d.name: d.name for d in (under_named_parent or [d for d in fitting if d.bare])}
    counts = Counter({name: text.count(bare) for bare, name in candidates.items()})
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None, 0.0
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0], ranked[0][1] / (ranked[0][1] + second)


def _parent_named(division, text: str) -> bool:
    """Return True when the text names the division's parent (深圳 for 罗湖区), bare or in full."""
    parents = divisions().named(division.parent)
    return any((p.bare or p.name) in text for p in parents)


def _most_named_zone(text: str, kind: str) -> tuple[Optional[str], float]:
    """Return the zone of a kind (新区, 高新区 …) the text names most often with its suffix, and its share."""
    names = Counter(m.group(1) for m in re.finditer(rf"([\u4e00-\u9fff]{{2,4}}?){kind}", text) if _reads_as_name(m.group(1)))
    ranked = names.most_common(2)
    if not ranked or ranked[0][1] < 3:
        return None, 0.0
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] + kind, ranked[0][1] / (ranked[0][1] + second) * 0.8


def _reads_as_name(prefix: str) -> bool:
    """Return False for prefixes that end or start with a function word (创新和新区, 推动新区)."""
    return not re.search(r"^[全本该各我和与及的在是为对等推加建进促]|[和与及的在是为对等化动设]$", prefix)


def frequent_place(text: str, level: str = "区") -> Optional[str]:
    """Return the division of a level (区, 县, 市, 省) the text names most often: 罗湖区, 广东省."""
    region, _ = _most_named(text, LEVEL_OF_SUFFIX.get(level, "county"), "" if level == "省" else level)
    return region


def split_issuer(issuer: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Return (region, issuer): 深圳市光明区人民政府 → (光明区, 光明区人民政府); 国务院 stays 国务院."""
    parsed = parse_issuer(issuer)
    if not issuer or parsed is None or parsed[0] is None:
        return None, issuer or None
    region, office, _ = parsed
    return region, region if region == "国务院" else region + office


def region_from_filename(path: str) -> tuple[Optional[str], Optional[int]]:
    """Return (region, year) from a file name, the region only when it names a known division.

    罗湖区_2023.txt and shenzhen-luohu_2023_… (pinyin of the city and the district) name 罗湖区;
    changning_… alone names two divisions (上海 长宁区, 四川 长宁县): no region.
    """
    stem = PurePath(path).stem if path else ""
    year = re.search(rf"(?<!\d)({YEAR})(?!\d)", stem)
    return _region_in_name(stem), int(year.group(1)) if year else None


def _region_in_name(stem: str) -> Optional[str]:
    """Return the one division a file name's Chinese or pinyin words name, or None.

    Only the part before the first digit names a place; a word there that names nothing below a
    city it names (shenzhen-foo) leaves the region unknown rather than the city.
    """
    table = divisions()
    written = [name for _, name in table.names_in(stem)]
    if written:
        return written[-1]
    current: list = []
    for word in re.split(r"[^a-z]+", re.split(r"\d", stem.lower(), maxsplit=1)[0]):
        if len(word) < 3:
            continue
        found = [d for d in table.by_pinyin.get(word, []) if d.level != "county" or not current or d.parent in {c.name for c in current}]
        if not found and current and current[0].level in ("city", "province"):
            return None
        current = found or current
    names = {d.name for d in current}
    return names.pop() if len(names) == 1 else None


def _speaker(head: str) -> Optional[str]:
    """Return who the speaker line speaks for (我代表罗湖区人民政府，向大会… -> 罗湖区人民政府)."""
    found = _SPEAKER.search(head[:1500])
    if not found:
        return None
    who = found.group("who")
    if who == "国务院" or re.search(r"人民政府|政府|管委会|管理委员会|管理局", who):
        return who
    return None


def _cover(lines: list[str]) -> Optional[str]:
    """Return the issuer of a cover line such as 上海市静安区人民政府办公室文件."""
    return next((m.group(1) for m in (re.fullmatch(r"(.{2,30}?)文件", line) for line in lines[:2]) if m), None)


def _byline(lines: list[str]) -> Optional[str]:
    """Return an issuer standing in brackets under the title: (长宁区人民政府办公室)."""
    return next((line.strip("()（）") for line in lines[:6] if re.fullmatch(r"[（(].{2,30}" + _ISSUER_SUFFIX + r"[)）]", line)), None)


def _stated(title: Optional[str], header: dict, lines: list[str], region: Optional[str]) -> Optional[str]:
    """Return the issuer as the document states it (header, speaker, cover, byline, title, signature).

    A name that leaves out the place (区国动办) gets the decided region in front (长宁区国动办).
    """
    stated = (header.get("发文机构") or header.get("发布机构") or _speaker("".join(lines[:12])) or _cover(lines)
              or _byline(lines) or issuer_in_title(title or "") or _signature_issuer(lines))
    if stated and region and region != "国务院" and stated[0] in LEVEL_OF_SUFFIX and not stated.startswith(region):
        return region + stated[1:]
    return stated


def _find_title(lines: list[str]) -> Optional[str]:
    """Return the first short line near the top that reads like a title."""
    for index, line in enumerate(lines[:10]):
        if len(line) <= 60 and "。" not in line and _TITLE_WORDS.search(line) and not _is_lead_in(line):
            return _maybe_join_wrapped_title(lines, index)
        if 0 < len(line) <= 30 and index + 1 < len(lines) and len(lines[index + 1]) <= 2 and _TITLE_WORDS.search(line + lines[index + 1]):
            return line + lines[index + 1]  # "政府工作报" / "告": a title broken before its last character
    return None


def _is_lead_in(line: str) -> bool:
    """Return True for an opening sentence such as 现将有关情况报告如下: (not a title)."""
    return line.endswith((":", "：")) or "如下" in line


def _maybe_join_wrapped_title(lines: list[str], index: int) -> str:
    """Join a title whose PDF line was wrapped: before its last words, or after 关于/转发…《 (a forwarded title)."""
    title = lines[index]
    if index > 0 and not _TITLE_WORDS.search(lines[index - 1]) and lines[index - 1].startswith("关于"):
        title = lines[index - 1] + title
    if title.count("《") > title.count("》") and index + 1 < len(lines) and len(lines[index + 1]) <= 40:
        title += lines[index + 1]
    return title


_WORK_REPORT_OPENING = re.compile(r"向(?:大会|本次大会|会议)(?:作|报告)?(?:政府)?工作报告|向(?:大会|本次大会|会议)报告(?:本届政府过去五年的|过去五年的)?(?:政府)?工作")


def _genre(title: str, lines: list[str]) -> str:
    """Classify as work-report, fazhi-report, multi-year-plan or other."""
    head = "".join(lines[:30])
    if re.search(r"规划|纲要|十[一二三四五六]五", title) or re.search(r"法治政府建设.{0,6}[“\"]?十[三四五]五[”\"]?规划", head):
        return "multi-year-plan"
    opening = "".join(lines[:5])
    if re.search(r"各位(?:人大)?代表", opening) or "政府工作报告" in title or _WORK_REPORT_OPENING.search(head):
        return "work-report"
    if "法治" in title or "法治政府建设" in head[:400]:
        return "fazhi-report"
    return "other"


def _signature_date(lines: list[str]) -> Optional[str]:
    """Return a date standing alone on one of the last lines or the first lines."""
    for line in list(reversed(lines[-8:])) + lines[:8]:
        if len(line) <= 16 and DATE_RE.fullmatch(line.strip("()（）")):
            return parse_date(line)
    return None


def issuer_in_title(title: str) -> Optional[str]:
    """Return the body a title names before its subject (2024年长宁区法治政府建设… → 长宁区)."""
    found = re.search(r"(?:\d{4}年度?)?(.{2,16}?)(?:关于)?(?:\d{4}年度?)?(?:法治政府|依法行政|政府工作|法治建设)", _fold(title or ""))
    if not found or re.fullmatch(r"[\d年度]*", found.group(1)) or re.search(r"[《》\"]|转发|印发", found.group(1)):
        return None
    return re.sub(r"^(关于)?\d{4}年度?", "", found.group(1)) or None


def _signature_issuer(lines: list[str]) -> Optional[str]:
    """Return an issuer line near the end (signature block) if any."""
    for line in reversed(lines[-8:]):
        if len(line) <= 30 and re.fullmatch(r"[^、,，;；:：]{2,26}" + _ISSUER_SUFFIX, line):
            return line
    return None


def _find_year(title: str, lines: list[str], genre: str, date: Optional[str]) -> tuple[Optional[int], float, str]:
    """Return (year, confidence, note): work reports the year delivered, others the year they report on."""
    if genre == "work-report":
        found = work_report_year(lines)
        if found.year:
            return found.year, found.confidence, found.note
    for text, confidence in ((title, 0.95), ("".join(lines[:4])[:200], 0.8)):
        found = re.search(rf"({YEAR})年度?", text) or re.search(rf"[〔\[(]({YEAR})[〕\])]", text)
        if found:
            return int(found.group(1)), confidence, ""
    if date:
        return int(date[:4]), 0.6, f"year {date[:4]} from the document's date"
    return None, 0.0, ""

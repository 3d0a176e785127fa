"""Decide who issued a report, for which region and year, and of which genre (once, before sections).

Identity (documented in the README):
- region: the jurisdiction that reports, without the levels above it: 罗湖区 (not 深圳市罗湖区),
  长宁区, 广东省; the State Council's reports have region 国务院 (the national level).
- issuer: region + office: 罗湖区人民政府, 长宁区人民政府办公室 (区府办), 长宁区国动办. A title that
  names only the region (2024年长宁区法治政府建设情况报告) means the region's government, even
  when a web copy's header names the office that published it (发文机构: 长宁区司法局, kept as
  stated_issuer).
- Found from the text (header, title, first sentence, signature, the place named most often);
  the file name (`<region>_<year>_…`) only when the text says nothing (identified_by: filename).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import PurePath
from typing import Optional

from .models import DocMeta, RawDocument
from .patterns import DATE_RE, YEAR, fold_compact as _fold, parse_date

__all__ = ["identify", "identify_meta", "split_issuer", "frequent_place", "issuer_in_title", "region_from_filename"]

_TITLE_WORDS = re.compile(r"报告|规划|方案|通知|意见|计划|纲要|决定|办法|总结")
_ISSUER_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|司法局|办公室|委员会|[局委办厅])"
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,5}?(?:自治区|新区|省|市|区|县)")
# Last characters of generic "…区" compounds (地区, 城区, 示范区, 合作区, 核心区, 集聚区 …), never of a place name.
_COMPOUND_END = set("地城社园片街湾景矿灾牧林老特小辖库范验贸政能护发作心聚保导载点府和与及的个在是为对等")
_PLACE_TAGS = ("ns", "nr", "nz")
_PROVINCES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 "
    "海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆"
).split()
_OFFICE_ALIASES = {"府办": "人民政府办公室", "政府办": "人民政府办公室", "政府": "人民政府", "": "人民政府"}


def identify(raw: RawDocument) -> DocMeta:
    """Return the document's metadata with title, issuer, region, date, year and genre decided.

    A field the caller already set on the metadata (a known year, say) is kept as given.
    """
    found = identify_meta(raw.text, dict(raw.header), raw.meta.path)
    return replace(raw.meta, **{key: value for key, value in found.items() if getattr(raw.meta, key) is None})


def identify_meta(body: str, header: dict, path: str = "") -> dict:
    """Return the identity fields of a body text with its header fields, the file name as a last resort."""
    lines = [_fold(line) for line in body.split("\n") if line.strip()]
    title = header.get("标题") or _find_title(lines)
    genre = _genre(title or "", lines)
    date = parse_date(header.get("发布日期") or header.get("成文日期") or header.get("发文日期") or "") or _signature_date(lines)
    stated = header.get("发文机构") or header.get("发布机构") or _find_issuer(title or "", lines)
    year = _find_year(title or "", lines, genre, date)
    region, issuer = _region_and_issuer(title, stated, "".join(lines)[:20000])
    identified_by = "text"
    if region is None or year is None:
        named_region, named_year = region_from_filename(path)
        region, year, identified_by = region or named_region, year or named_year, "filename"
    return {"title": title, "issuer": issuer or region, "stated_issuer": stated, "region": region, "date": date,
            "year": year, "genre": genre, "identified_by": identified_by}


def _region_and_issuer(title: Optional[str], stated: Optional[str], text: str) -> tuple[Optional[str], Optional[str]]:
    """Return (region, issuer): from the title, else the stated issuer, else the place the text names most."""
    region, issuer = split_issuer(issuer_in_title(title or ""))
    if region is None:
        region, issuer = split_issuer(stated)
    if region is None:
        region = frequent_place(text)
        issuer = _qualified(issuer, region)
    return region, issuer


def _qualified(issuer: Optional[str], region: Optional[str]) -> Optional[str]:
    """Put the region before an issuer that leaves it out (区国动办 -> 长宁区国动办)."""
    if not region:
        return issuer
    if not issuer:
        return region + "人民政府"
    return region + issuer[1:] if issuer[0] in "区县市" else issuer


def region_from_filename(path: str) -> tuple[Optional[str], Optional[int]]:
    """Return (region, year) from a name such as shenzhen-luohu_2023_gongzuobaogao.txt."""
    stem = PurePath(path).stem if path else ""
    year = re.search(rf"(?<!\d)({YEAR})(?!\d)", stem)
    region = re.split(r"[_\d]", stem, maxsplit=1)[0].strip("-_ ")
    return region or None, int(year.group(1)) if year else None


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
    """Join a title whose PDF line was wrapped before its last words."""
    title = lines[index]
    if index > 0 and not _TITLE_WORDS.search(lines[index - 1]) and lines[index - 1].startswith("关于"):
        title = lines[index - 1] + title
    return title


def _genre(title: str, lines: list[str]) -> str:
    """Classify as work-report, fazhi-report, multi-year-plan or other."""
    head = "".join(lines[:30])
    if re.search(r"规划|纲要|十[一二三四五六]五", title) or re.search(r"法治政府建设.{0,6}[“\"]?十[三四五]五[”\"]?规划", head):
        return "multi-year-plan"
    if "各位代表" in "".join(lines[:5]) or "政府工作报告" in title or re.search(r"向大会报告政府工作", head):
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


def _find_issuer(title: str, lines: list[str]) -> Optional[str]:
    """Guess the issuing body from the first sentence, the byline or the title."""
    head = "".join(lines[:10])
    spoken = re.search(r"我代表(国务院|.{1,20}?人民政府)", head)
    if spoken:
        return _qualify(spoken.group(1), lines)
    cover = next((m.group(1) for m in (re.fullmatch(r"(.{2,30}?)文件", l) for l in lines[:2]) if m), None)
    if cover:
        return cover
    byline = next((l.strip("()（）") for l in lines[:6] if re.fullmatch(r"[（(].{2,30}" + _ISSUER_SUFFIX + r"[)）]", l)), None)
    if byline:
        return byline
    in_title = issuer_in_title(title)
    if in_title:
        return _qualify(in_title, lines)
    return _signature_issuer(lines) or _frequent_district(lines)


def issuer_in_title(title: str) -> Optional[str]:
    """Return the body a title names before its subject (2024年长宁区法治政府建设… → 长宁区)."""
    found = re.search(r"(?:\d{4}年度?)?(.{2,16}?)(?:关于)?(?:\d{4}年度?)?(?:法治政府|依法行政|政府工作|法治建设)", _fold(title or ""))
    if not found or re.fullmatch(r"[\d年度]*", found.group(1)) or re.search(r"[《》\"]|转发|印发", found.group(1)):
        return None
    return re.sub(r"^(关于)?\d{4}年度?", "", found.group(1)) or None


def _qualify(issuer: str, lines: list[str]) -> str:
    """Put the place name before an issuer that leaves it out (区人民政府 → 罗湖区人民政府)."""
    level = issuer[0]
    if level not in "区市县省":
        return issuer
    place = frequent_place("".join(lines[:400]), level)
    return place + issuer[1:] if place else issuer


def _signature_issuer(lines: list[str]) -> Optional[str]:
    """Return an issuer line near the end (signature block) if any."""
    for line in reversed(lines[-8:]):
        if len(line) <= 30 and re.fullmatch(r".{2,26}" + _ISSUER_SUFFIX, line):
            return line
    return None


def _frequent_district(lines: list[str]) -> Optional[str]:
    """Return the district (else city) the text names most often, or None."""
    text = "".join(lines[:400])
    return frequent_place(text, "区") or frequent_place(text, "县")


def frequent_place(text: str, level: str = "区") -> Optional[str]:
    """Return the place of a level (区, 县, 市, 省) the text names most often: 罗湖区, 广东省."""
    if level == "省":
        counts = Counter({name: text.count(name) for name in _PROVINCES})
        best, n = counts.most_common(1)[0]
        return best + "省" if n >= 3 else None
    names = {m for m in re.findall(rf"([\u4e00-\u9fff]{{2}}){level}", text) if _is_place(m, level, text)}
    counts = Counter({name: text.count(name) for name in names})
    best = counts.most_common(1)
    return best[0][0] + level if best and best[0][1] >= 2 else None


def _is_place(name: str, level: str, text: str) -> bool:
    """Return True when name + level reads as a place (深圳市光明区, or a place name to jieba)."""
    if name[-1] in _COMPOUND_END or name[0] in "全本该各我省市区县":
        return False
    if re.search(rf"(?<![城都])[省市]{name}{level}", text):
        return True
    import rjieba

    whole, bare = rjieba.tag(name + level), rjieba.tag(name)
    return (len(whole) == 1 and whole[0][1] in _PLACE_TAGS) or (len(bare) == 1 and bare[0][1] in _PLACE_TAGS)


def split_issuer(issuer: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Return (region, issuer): 深圳市光明区人民政府 → (光明区, 光明区人民政府); 国务院 stays 国务院."""
    if not issuer:
        return None, None
    if issuer.endswith("国务院"):
        return "国务院", "国务院"
    rest, places = issuer, []
    while (found := _PLACE.match(rest)) is not None and found.group(0)[-2] not in _COMPOUND_END:
        places.append(found.group(0))
        rest = rest[found.end():]
    if not places:
        return None, issuer
    region = places[-1]
    return region, region + _OFFICE_ALIASES.get(rest, rest)


def _find_year(title: str, lines: list[str], genre: str, date: Optional[str]) -> Optional[int]:
    """Return the year the report covers (work reports: the year delivered)."""
    if genre == "work-report":
        found = _work_report_year(lines)
        if found:
            return found
    for text in (title, "".join(lines[:4])[:200]):
        found = re.search(r"((?:19|20)\d{2})年度?", text) or re.search(r"[〔\[(]((?:19|20)\d{2})[〕\])]", text)
        if found:
            return int(found.group(1))
    return int(date[:4]) if date else None


def _work_report_year(lines: list[str]) -> Optional[int]:
    """Infer a work report's year from its review or plan heading."""
    for line in lines:
        if len(line) > 40:
            continue
        review = re.search(r"((?:19|20)\d{2})年(?:和今年)?(?:以来)?(?:工作)?回顾", line)
        if review:
            return int(review.group(1)) + 1
        plan = re.search(r"((?:19|20)\d{2})年(?:政府)?(?:工作安排|重点工作|主要工作|工作任务|工作总体部署|政府工作任务|工作的建议|工作思路)", line)
        if plan:
            return int(plan.group(1))
    return None

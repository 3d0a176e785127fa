"""Find title, issuer, date, year and genre of a report from its text."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Optional

__all__ = ["split_web_header", "identify", "parse_date"]

_HEADER_FIELD = re.compile(r"^\s*[•·●▪\-*]?\s*(发文机构|发布机构|发布日期|成文日期|发文日期|索引号|主题分类|文号|发文字号|来源)\s*[:：]\s*(.*)$")
_TITLE_WORDS = re.compile(r"报告|规划|方案|通知|意见|计划|纲要|决定|办法|总结")
_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_ISSUER_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|司法局|办公室|委员会|[局委办厅])"


def split_web_header(text: str) -> tuple[str, dict]:
    """Blank out a portal header (title + • 发文机构: …) keeping line numbers; return (body, fields)."""
    lines = text.split("\n")
    field_rows = [i for i, line in enumerate(lines[:15]) if _HEADER_FIELD.match(line)]
    if not field_rows:
        return text, {}
    last = field_rows[-1]
    header = {}
    for i in field_rows:
        name, value = _HEADER_FIELD.match(lines[i]).groups()
        header[name] = value.strip()
    title_lines = [line.strip() for line in lines[: field_rows[0]] if line.strip()]
    if title_lines:
        header["标题"] = "".join(title_lines)
    body = "\n".join([""] * (last + 1) + lines[last + 1 :])
    return body, header


def parse_date(text: str) -> Optional[str]:
    """Return the first date in text as YYYY-MM-DD, or None."""
    found = _DATE.search(_fold(text or ""))
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _fold(text: str) -> str:
    """Fold width forms and drop all whitespace (meta patterns only)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def identify(body: str, header: dict | None = None) -> dict:
    """Return title, issuer, date, year and genre guessed from header and body."""
    header = header or {}
    lines = [_fold(line) for line in body.split("\n") if line.strip()]
    title = header.get("标题") or _find_title(lines)
    genre = _genre(title or "", lines)
    date = parse_date(header.get("发布日期") or header.get("成文日期") or header.get("发文日期") or "") or _signature_date(lines)
    issuer = header.get("发文机构") or header.get("发布机构") or _find_issuer(title or "", lines)
    year = _find_year(title or "", lines, genre, date)
    return {"title": title, "issuer": issuer, "date": date, "year": year, "genre": genre}


def _find_title(lines: list[str]) -> Optional[str]:
    """Return the first short line near the top that reads like a title."""
    for index, line in enumerate(lines[:10]):
        if len(line) <= 60 and "。" not in line and _TITLE_WORDS.search(line):
            return _maybe_join_wrapped_title(lines, index)
    return None


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
        if len(line) <= 16 and _DATE.fullmatch(line.strip("()（）")):
            return parse_date(line)
    return None


def _find_issuer(title: str, lines: list[str]) -> Optional[str]:
    """Guess the issuing body from the first sentence, the byline or the title."""
    head = "".join(lines[:6])
    spoken = re.search(r"我代表(.{2,20}?人民政府)", head)
    if spoken:
        return spoken.group(1)
    cover = next((m.group(1) for m in (re.fullmatch(r"(.{2,30}?)文件", l) for l in lines[:2]) if m), None)
    if cover:
        return cover
    byline = next((l.strip("()（）") for l in lines[:6] if re.fullmatch(r"[（(].{2,30}" + _ISSUER_SUFFIX + r"[)）]", l)), None)
    if byline:
        return byline
    in_title = re.search(r"(?:\d{4}年度?)?(.{2,16}?)(?:关于)?(?:\d{4}年度?)?(?:法治政府|依法行政|政府工作|法治建设)", title)
    if in_title and not re.fullmatch(r"[\d年度]*", in_title.group(1)):
        return re.sub(r"^(关于)?\d{4}年度?", "", in_title.group(1)) or None
    return _signature_issuer(lines) or _frequent_district(lines)


def _signature_issuer(lines: list[str]) -> Optional[str]:
    """Return an issuer line near the end (signature block) if any."""
    for line in reversed(lines[-8:]):
        if len(line) <= 30 and re.fullmatch(r".{2,26}" + _ISSUER_SUFFIX, line):
            return line
    return None


def _frequent_district(lines: list[str]) -> Optional[str]:
    """Return the most frequent district or city name in the text."""
    counts = Counter(re.findall(r"[\u4e00-\u9fff]{2,3}[区县市省]", "".join(lines[:200])))
    best = [name for name, n in counts.most_common(3) if n >= 3]
    return best[0] if best else None


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
        review = re.search(r"((?:19|20)\d{2})年(?:工作)?回顾", line)
        if review:
            return int(review.group(1)) + 1
        plan = re.search(r"((?:19|20)\d{2})年(?:政府)?(?:工作安排|重点工作|主要工作|工作任务|工作总体部署|政府工作任务)", line)
        if plan:
            return int(plan.group(1))
    return None

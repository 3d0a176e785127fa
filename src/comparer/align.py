"""Pair the sections of two reports: by title and content, and optionally by role."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from .models import Drift, Report, Section, SectionPair, notices_of
from .options import DEFAULT, AlignOptions
from .record import record

__all__ = ["align_sections", "match_sections", "section_text", "AlignResult", "align_documents"]

_NOISE = re.compile(r"[\d\s年度()（）、.,，。;；:：\"']|^第.+?[章节条]")
_THRESHOLD = 0.45


def section_text(report: Report, section: Section) -> str:
    """Return a section's title and body (children included) without line breaks."""
    return report.norm.text[section.start + len(section.number) : section.end].replace("\n", "")


def _same_text(old: Report, new: Report, a: Section, b: Section) -> bool:
    """Return True when two sections hold the same text, line breaks aside (equal slices answer without joining lines)."""
    left, right = old.norm.text[a.start + len(a.number) : a.end], new.norm.text[b.start + len(b.number) : b.end]
    return left == right or left.replace("\n", "") == right.replace("\n", "")


def _title_key(title: str) -> str:
    """Strip numbers, years and punctuation so renumbered or re-dated titles compare equal."""
    return _NOISE.sub("", title)


_MATRIX_LIMIT = 40_000  # section pairs scored exhaustively; larger documents are aligned in order first


def match_sections(
    old: Report, new: Report, old_secs: Sequence[Section], new_secs: Sequence[Section], by_role: bool = False
) -> list[tuple[int, int, float, str]]:
    """Return one-to-one (old index, new index, score, method) matches."""
    if not old_secs or not new_secs:
        return []
    if len(old_secs) * len(new_secs) <= _MATRIX_LIMIT:
        return _match_matrix(old, new, old_secs, new_secs, by_role, list(range(len(old_secs))), list(range(len(new_secs))))
    return _match_large(old, new, old_secs, new_secs, by_role)


def _match_matrix(old, new, old_secs, new_secs, by_role, old_ids: list[int], new_ids: list[int]):
    """Score every pair of the given sections and pick the best pairs greedily."""
    from rapidfuzz import fuzz, process

    a = [old_secs[i] for i in old_ids]
    b = [new_secs[j] for j in new_ids]
    titles = process.cdist([_title_key(s.title) for s in a], [_title_key(s.title) for s in b], scorer=fuzz.ratio, workers=-1) / 100
    bodies = _content_similarity([section_text(old, s) for s in a], [section_text(new, s) for s in b])
    score = 0.5 * titles + 0.5 * bodies + _structure_bonus(a, b, by_role)
    picked = _greedy(score, titles, bodies, a, b, by_role)
    return [(old_ids[i], new_ids[j], value, method) for i, j, value, method in picked]


def _match_large(old, new, old_secs, new_secs, by_role) -> list[tuple[int, int, float, str]]:
    """Align long documents: equal titles in reading order, then gaps, then moved titles."""
    from .engine import diff_tokens

    old_keys = [f"{s.level}|{_title_key(s.title)}" for s in old_secs]
    new_keys = [f"{s.level}|{_title_key(s.title)}" for s in new_secs]
    matches, i, j = [], 0, 0
    for op, count in diff_tokens(old_keys, new_keys) + [("=", 0)]:
        if op != "=":
            i, j = (i + count, j) if op == "-" else (i, j + count)
            continue
        matches += [(i + k, j + k, _pair_score(old, new, old_secs[i + k], new_secs[j + k]), "title") for k in range(count)]
        i, j = i + count, j + count
    matches += _match_gaps(old, new, old_secs, new_secs, by_role, matches)
    return matches + _match_same_titles(old, new, old_secs, new_secs, matches, old_keys, new_keys)


def _match_gaps(old, new, old_secs, new_secs, by_role, anchors) -> list:
    """Score pairs inside each stretch between anchored sections, when the stretch is small."""
    bounds = sorted(anchors) + [(len(old_secs), len(new_secs), 0, "")]
    found, i, j = [], 0, 0
    for ai, aj, _, _ in bounds:
        old_ids, new_ids = list(range(i, ai)), list(range(j, aj))
        if old_ids and new_ids and len(old_ids) * len(new_ids) <= _MATRIX_LIMIT:
            found += _match_matrix(old, new, old_secs, new_secs, by_role, old_ids, new_ids)
        i, j = ai + 1, aj + 1
    return found


def _match_same_titles(old, new, old_secs, new_secs, matches, old_keys, new_keys) -> list:
    """Pair still unmatched sections whose titles are equal (moved sections)."""
    used_old = {m[0] for m in matches}
    used_new = {m[1] for m in matches}
    waiting: dict[str, list[int]] = {}
    for j, key in enumerate(new_keys):
        if j not in used_new:
            waiting.setdefault(key, []).append(j)
    found = []
    for i, key in enumerate(old_keys):
        if i not in used_old and waiting.get(key):
            j = waiting[key].pop(0)
            found.append((i, j, _pair_score(old, new, old_secs[i], new_secs[j]), "title"))
    return found


def _pair_score(old, new, a: Section, b: Section) -> float:
    """Return the score of two sections with equal titles (content decides the rest)."""
    from .engine import indel_similarity

    same = _same_text(old, new, a, b)
    content = 1.0 if same else indel_similarity(section_text(old, a)[:2000], section_text(new, b)[:2000])
    return round(min(0.5 + 0.5 * content + 0.05, 1.0), 3)


def _content_similarity(old_texts: list[str], new_texts: list[str]):
    """Return content similarity of every section pair: 1 when equal, else term cosine."""
    import numpy as np

    from .retrieval import build_index

    # Rounded so that equal scores tie exactly (float noise must not decide title vs content).
    similarity = np.clip(np.round(build_index(old_texts, new_texts).cosine(), 6), 0.0, 1.0)
    ids: dict[str, int] = {}
    old_ids = np.array([ids.setdefault(t, len(ids)) for t in old_texts])
    new_ids = np.array([ids.setdefault(t, len(ids)) for t in new_texts])
    return np.maximum(similarity, old_ids[:, None] == new_ids[None, :])


def _structure_bonus(old_secs, new_secs, by_role: bool):
    """Reward pairs of the same depth, and top sections of the same known role when aligning by role."""
    import numpy as np

    old_level = np.array([str(s.level) for s in old_secs])[:, None]
    new_level = np.array([str(s.level) for s in new_secs])[None, :]
    bonus = np.where(old_level == new_level, 0.05, -0.1)
    if not by_role:
        return bonus
    old_role = np.array([_role_family(s.role) for s in old_secs])[:, None]
    new_role = np.array([_role_family(s.role) for s in new_secs])[None, :]
    known = (old_role != "other") & (new_role != "other")
    top = (old_level == "1") & (new_level == "1")
    same = old_role == new_role
    return bonus + np.where(known, np.where(same, np.where(top, 0.4, 0.0), -0.3), 0.0)


def _role_family(role: str) -> str:
    """Treat an annual plan and a multi-year plan as the same kind of section."""
    return "plan" if role == "multi-year-plan" else role


def _greedy(score, titles, bodies, old_secs, new_secs, by_role: bool) -> list[tuple[int, int, float, str]]:
    """Take pairs from the best score down, each section at most once."""
    import numpy as np

    rows, cols = np.nonzero(score >= _THRESHOLD)
    order = np.argsort(-score[rows, cols], kind="stable")
    used_old, used_new, matches = set(), set(), []
    for i, j in zip(rows[order].tolist(), cols[order].tolist()):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        method = _method(titles[i, j], bodies[i, j], old_secs[i], new_secs[j], by_role)
        matches.append((i, j, round(float(min(score[i, j], 1.0)), 3), method))
    return matches


def _method(title: float, body: float, a: Section, b: Section, by_role: bool) -> str:
    """Name what made two sections correspond."""
    if by_role and a.role == b.role and a.role != "other" and max(title, body) < 0.6:
        return "role"
    return "title" if title >= body else "content"


def align_sections(old: Report, new: Report, drifts: Iterable[Drift] = (), by_role: bool = False) -> list[SectionPair]:
    """Return section pairs with status same / changed / added / removed / moved."""
    old_secs = [s for s in old.all_sections() if s.level != "inline"]
    new_secs = [s for s in new.all_sections() if s.level != "inline"]
    matches = match_sections(old, new, old_secs, new_secs, by_role)
    moved = _out_of_order([(i, j) for i, j, _, _ in matches])
    pairs = [_pair(old, new, old_secs[i], new_secs[j], score, method, (i, j) in moved) for i, j, score, method in matches]
    matched_old = {i for i, _, _, _ in matches}
    matched_new = {j for _, j, _, _ in matches}
    pairs += [SectionPair(s, None, "removed", 0.0, "none") for i, s in enumerate(old_secs) if i not in matched_old]
    pairs += [SectionPair(None, s, "added", 0.0, "none") for j, s in enumerate(new_secs) if j not in matched_new]
    return sorted(pairs, key=_reading_order)


def _pair(old: Report, new: Report, a: Section, b: Section, score: float, method: str, moved: bool) -> SectionPair:
    """Build one matched pair and decide its status."""
    if moved:
        status = "moved"
    else:
        status = "same" if _same_text(old, new, a, b) else "changed"
    return SectionPair(a, b, status, score, method)


def _out_of_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return the matched pairs outside the longest run that keeps reading order (O(n log n))."""
    from bisect import bisect_left

    ordered = sorted(pairs)
    tails: list[int] = []  # smallest new index ending a run of each length
    tail_at: list[int] = []  # position in ordered of that run's end
    parent = [-1] * len(ordered)
    for k, (_, j) in enumerate(ordered):
        length = bisect_left(tails, j)
        parent[k] = tail_at[length - 1] if length else -1
        if length == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[length], tail_at[length] = j, k
    keep, k = set(), tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(ordered[k])
        k = parent[k]
    return set(ordered) - keep


def _reading_order(pair: SectionPair) -> tuple[int, int]:
    """Sort pairs by where they stand in the new report, then the old."""
    new_at = pair.new.start if pair.new else -1
    old_at = pair.old.start if pair.old else -1
    return (new_at if new_at >= 0 else old_at, old_at)


def align_documents(reports: Sequence[Report], options: AlignOptions = DEFAULT.align) -> "AlignResult":
    """Align the sections of the first report with each of the others: chapters by role, then their subsections.

    Two copies of one report (same region, year and genre) are aligned as versions (align_sections);
    reports of other districts, offices or years with the evidence of align_across.
    """
    base = reports[0]
    tables = tuple((other, tuple(sorted(_pairs(base, other, options), key=_base_order))) for other in reports[1:])
    return AlignResult(base, tables)


def _pairs(base: Report, other: Report, options: AlignOptions) -> list[SectionPair]:
    """Return the section pairs of two reports, as versions of one document or as different documents."""
    from .align_across import align_across  # only here: a diff never aligns across issuers

    same = lambda m, n: (m.region, m.year, m.genre, m.issuer) == (n.region, n.year, n.genre, n.issuer)  # noqa: E731
    if same(base.meta, other.meta) and base.meta.year is not None:
        return align_sections(base, other, by_role=True)
    return align_across(base, other, options)


def _base_order(pair: SectionPair) -> tuple:
    """Order pairs by the first report's reading order; sections only in the other one last."""
    return (0, pair.old.start, 0) if pair.old else (1, 0, pair.new.start)


@record
class AlignResult:
    """Corresponding sections between one report and others (years, offices, districts)."""

    base: Report
    tables: tuple  # ((other report, (SectionPair, ...)), ...)
    KIND = "align"
    SCHEMA = "comparer.align/1"
    exit_code = 0

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the inputs (see models.Notice)."""
        return notices_of([self.base, *(other for other, _ in self.tables)])

    def rows(self) -> list[dict]:
        """Return one row per section pair (unpartnered sections included)."""
        out = []
        for other, pairs in self.tables:
            for pair in pairs:
                out.append({
                    "a_doc": self.base.meta.path, "a_path": pair.old.path if pair.old else None,
                    "a_role": pair.old.role if pair.old else None, "a_line": pair.old.line if pair.old else None,
                    "b_doc": other.meta.path, "b_path": pair.new.path if pair.new else None,
                    "b_role": pair.new.role if pair.new else None, "b_line": pair.new.line if pair.new else None,
                    "method": pair.method, "confidence": pair.similarity,
                })
        return out

    def to_dict(self) -> dict:
        """Return the comparer.align/1 JSON form."""

        rows = self.rows()
        matched = sum(1 for r in rows if r["a_path"] and r["b_path"])
        return {"schema": self.SCHEMA, "base": self.base.meta.to_dict(), "others": [o.meta.to_dict() for o, _ in self.tables],
                "pairs": rows, "summary": {"pairs": matched, "unpartnered": len(rows) - matched}}

"""Pair the sections of two reports: by title and content, and optionally by role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .models import Drift, Report, Section, SectionPair

__all__ = ["align_sections", "match_sections", "section_text", "AlignResult", "align_documents"]

_NOISE = re.compile(r"[\d\s年度()（）、.,，。;；:：\"']|^第.+?[章节条]")
_THRESHOLD = 0.45


def section_text(report: Report, section: Section) -> str:
    """Return a section's title and body (children included) without line breaks."""
    return report.norm.text[section.start + len(section.number) : section.end].replace("\n", "")


def _title_key(title: str) -> str:
    """Strip numbers, years and punctuation so renumbered or re-dated titles compare equal."""
    return _NOISE.sub("", title)


def match_sections(
    old: Report, new: Report, old_secs: Sequence[Section], new_secs: Sequence[Section], by_role: bool = False
) -> list[tuple[int, int, float, str]]:
    """Return one-to-one (old index, new index, score, method) matches, best first."""
    if not old_secs or not new_secs:
        return []
    from rapidfuzz import fuzz, process

    titles = process.cdist([_title_key(s.title) for s in old_secs], [_title_key(s.title) for s in new_secs], scorer=fuzz.ratio, workers=-1) / 100
    bodies = _content_similarity([section_text(old, s) for s in old_secs], [section_text(new, s) for s in new_secs])
    score = 0.5 * titles + 0.5 * bodies + _structure_bonus(old_secs, new_secs, by_role)
    return _greedy(score, titles, bodies, old_secs, new_secs, by_role)


def _content_similarity(old_texts: list[str], new_texts: list[str]):
    """Return content similarity of every section pair: 1 when equal, else term cosine."""
    import numpy as np

    from .retrieval import build_index

    similarity = build_index(old_texts, new_texts).cosine()
    equal = np.array([[a == b for b in new_texts] for a in old_texts]) if len(old_texts) * len(new_texts) <= 250_000 else None
    return np.maximum(similarity, equal) if equal is not None else similarity


def _structure_bonus(old_secs, new_secs, by_role: bool):
    """Reward pairs of the same depth, and of the same known role when aligning by role."""
    import numpy as np

    level = np.array([[0.05 if a.level == b.level else -0.1 for b in new_secs] for a in old_secs])
    if not by_role:
        return level
    role = np.array([[_role_bonus(a, b) for b in new_secs] for a in old_secs])
    return level + role


def _role_bonus(a: Section, b: Section) -> float:
    """Return +0.4 for top sections of the same known role, -0.3 for two different known roles."""
    if a.role == "other" or b.role == "other":
        return 0.0
    if a.role == b.role and (a.level != 1 or b.level != 1):
        return 0.0
    return 0.4 if a.role == b.role or {a.role, b.role} == {"plan", "multi-year-plan"} else -0.3


def _greedy(score, titles, bodies, old_secs, new_secs, by_role: bool) -> list[tuple[int, int, float, str]]:
    """Pick the best remaining pair until no pair scores above the threshold."""
    import numpy as np

    work = score.copy()
    matches = []
    while work.size and work.max() >= _THRESHOLD:
        i, j = np.unravel_index(int(work.argmax()), work.shape)
        method = _method(titles[i, j], bodies[i, j], old_secs[i], new_secs[j], by_role)
        matches.append((int(i), int(j), round(float(min(score[i, j], 1.0)), 3), method))
        work[i, :] = -1
        work[:, j] = -1
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
        status = "same" if section_text(old, a) == section_text(new, b) else "changed"
    return SectionPair(a, b, status, score, method)


def _out_of_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return the matched pairs outside the longest run that keeps reading order."""
    ordered = sorted(pairs)
    best: list[list[tuple[int, int]]] = []
    for pair in ordered:
        chain = max((c for c in best if c[-1][1] < pair[1]), key=len, default=[])
        best.append(chain + [pair])
    keep = set(max(best, key=len, default=[]))
    return set(ordered) - keep


def _reading_order(pair: SectionPair) -> tuple[int, int]:
    """Sort pairs by where they stand in the new report, then the old."""
    new_at = pair.new.start if pair.new else -1
    old_at = pair.old.start if pair.old else -1
    return (new_at if new_at >= 0 else old_at, old_at)


def align_documents(reports: Sequence[Report]) -> "AlignResult":
    """Align the sections of the first report with each of the others, by role first."""
    base = reports[0]
    tables = tuple((other, tuple(align_sections(base, other, by_role=True))) for other in reports[1:])
    return AlignResult(base, tables)


@dataclass(frozen=True)
class AlignResult:
    """Corresponding sections between one report and others (years, offices, districts)."""

    base: Report
    tables: tuple  # ((other report, (SectionPair, ...)), ...)
    KIND = "align"
    SCHEMA = "comparer.align/1"
    exit_code = 0

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
        from .diff import doc_dict

        rows = self.rows()
        matched = sum(1 for r in rows if r["a_path"] and r["b_path"])
        return {"schema": self.SCHEMA, "base": doc_dict(self.base), "others": [doc_dict(o) for o, _ in self.tables],
                "pairs": rows, "summary": {"pairs": matched, "unpartnered": len(rows) - matched}}

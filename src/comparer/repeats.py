"""Commitments planned again year after year, and template text shared between issuers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .commitments import extract_commitments
from .patterns import split_sentences
from .models import Report, notices_of

__all__ = ["RepeatsResult", "find_repeats", "region_of", "REPEAT_SIMILARITY", "TEMPLATE_SIMILARITY"]

REPEAT_SIMILARITY = 0.6  # cosine of distinctive terms for "the same commitment planned again"
TEMPLATE_SIMILARITY = 0.85  # character similarity (rapidfuzz ratio / 100) for shared template text
_TEMPLATE_MIN_CHARS = 20


def region_of(report: Report) -> str:
    """Return the region identity decided for a report, else its issuer, else its path."""
    return report.meta.region or report.meta.issuer or report.meta.path


class _Groups:
    """Union-find over integer ids."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        """Return the root of i, compressing the path."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        """Put i and j in one group."""
        self.parent[self.find(i)] = self.find(j)

    def members(self) -> list[list[int]]:
        """Return the groups with more than one member."""
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.find(i), []).append(i)
        return [g for g in groups.values() if len(g) > 1]


def find_repeats(reports: Sequence[Report]) -> "RepeatsResult":
    """Return repeated commitments per region and template passages across regions."""
    return RepeatsResult(tuple(reports), tuple(_repeated_commitments(reports)), tuple(_templates(reports)))


def _repeated_commitments(reports: Sequence[Report]) -> list[dict]:
    """Chain near-identical commitments of one region across different years."""
    from .retrieval import build_index

    by_region: dict[str, list] = {}
    for report in reports:
        by_region.setdefault(region_of(report), []).extend((report, c) for c in extract_commitments(report))
    chains = []
    for items in by_region.values():
        if len(items) < 2:
            continue
        texts = [c.text for _, c in items]
        cosine = build_index(texts, texts).cosine()  # one region at a time keeps the matrix small
        groups = _Groups(len(items))
        for i, j in zip(*(cosine >= REPEAT_SIMILARITY).nonzero()):
            if i < j and _year(items[i]) != _year(items[j]):
                groups.join(int(i), int(j))
        chains += [_chain(items, members, cosine) for members in groups.members()]
    return chains


def _year(item) -> int:
    """Return the year a commitment is planned for (plan year, else report year)."""
    report, commitment = item
    return commitment.plan_year or report.year or 0


def _chain(items, members: list[int], cosine) -> dict:
    """Describe one repeated commitment across years."""
    members = sorted(members, key=lambda i: _year(items[i]))
    years = sorted({_year(items[i]) for i in members})
    first = items[members[0]][1]
    similarity = min(float(cosine[a, b]) for a in members for b in members if a < b)
    return {
        "kind": "repeated-commitment", "region": region_of(items[members[0]][0]), "text": first.text,
        "years": years, "count": len(years), "first_year": years[0], "last_year": years[-1],
        "similarity": round(similarity, 3),
        "members": [{"doc": items[i][0].meta.path, "id": items[i][1].id, "line": items[i][1].line,
                     "year": _year(items[i]), "text": items[i][1].text} for i in members],
    }


def _sentences(reports: Sequence[Report]) -> list[tuple[int, str, int]]:
    """Return (report index, sentence, line) of every long sentence."""
    out = []
    for k, report in enumerate(reports):
        text = report.norm.text
        for start, end in split_sentences(text):
            if end - start >= _TEMPLATE_MIN_CHARS:
                out.append((k, text[start:end], report.norm.line_at(start)))
    return out


def _templates(reports: Sequence[Report]) -> list[dict]:
    """Cluster sentences shared nearly word for word by reports of different regions."""
    from rapidfuzz import fuzz

    sentences = _sentences(reports)
    regions = [region_of(r) for r in reports]
    texts = [s for _, s, _ in sentences]
    groups = _Groups(len(sentences))
    for i, j in _similar_pairs(texts, [regions[k] for k, _, _ in sentences]):
        if fuzz.ratio(texts[i], texts[j]) >= TEMPLATE_SIMILARITY * 100:
            groups.join(i, j)
    clusters = [m for m in groups.members() if len({regions[sentences[i][0]] for i in m}) > 1]
    return [_cluster(sentences, regions, reports, m, fuzz) for m in clusters]


_PREFILTER = 0.6  # term cosine below which two sentences cannot be 85% alike in characters


def _similar_pairs(texts: list[str], regions: list[str], chunk: int = 1000):
    """Yield (i < j) pairs of sentences from different regions whose term vectors are close."""
    import numpy as np

    from .retrieval import build_index

    if len(texts) < 2:
        return
    unit = build_index(texts, texts).candidate_unit
    region_codes = np.unique(np.array(regions), return_inverse=True)[1].ravel()
    for start in range(0, len(texts), chunk):
        block = (unit[start : start + chunk] @ unit.T).tocoo()
        keep = (block.data >= _PREFILTER) & (block.row + start < block.col)
        rows, cols = block.row[keep] + start, block.col[keep]
        other = region_codes[rows] != region_codes[cols]
        yield from zip(rows[other].tolist(), cols[other].tolist())


def _cluster(sentences, regions, reports, members: list[int], fuzz) -> dict:
    """Describe one cluster of template text."""
    scores = [fuzz.ratio(sentences[a][1], sentences[b][1]) / 100 for a in members for b in members if a < b]
    return {
        "kind": "template-text", "text": sentences[members[0]][1], "regions": sorted({regions[sentences[i][0]] for i in members}),
        "similarity": round(min(scores), 3), "size": len(members),
        "members": [{"doc": reports[sentences[i][0]].meta.path, "region": regions[sentences[i][0]],
                     "line": sentences[i][2], "text": sentences[i][1]} for i in members],
    }


@dataclass(frozen=True)
class RepeatsResult:
    """Repeated commitments and shared template text; findings make exit code 1."""

    reports: tuple
    repeats: tuple
    templates: tuple
    KIND = "repeats"
    SCHEMA = "comparer.repeats/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the inputs (see models.Notice)."""
        return notices_of(self.reports)

    @property
    def exit_code(self) -> int:
        """Return 1 when anything repeats, else 0."""
        return 1 if self.repeats or self.templates else 0

    def to_dict(self) -> dict:
        """Return the comparer.repeats/1 JSON form."""

        return {"schema": self.SCHEMA, "docs": [r.meta.to_dict() for r in self.reports], "repeats": list(self.repeats),
                "templates": list(self.templates), "summary": {"repeats": len(self.repeats), "templates": len(self.templates)}}

    def rows(self) -> list[dict]:
        """Return one row per finding (repeat chain or template cluster)."""
        out = []
        for item in list(self.repeats) + list(self.templates):
            where = "; ".join(f"{m['doc']}:{m['line']}" for m in item["members"])
            out.append({"kind": item["kind"], "text": item["text"], "years": item.get("years"),
                        "regions": item.get("regions") or [item.get("region")], "count": item.get("count", item.get("size")),
                        "similarity": item["similarity"], "where": where})
        return out

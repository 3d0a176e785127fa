"""Commitments planned again year after year, and template text shared between issuers."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from .commitments import extract_commitments
from .patterns import split_sentences
from .models import Report, notices_of
from .options import DEFAULT
from .record import record

__all__ = ["RepeatsResult", "find_repeats", "region_repeats", "find_templates", "template_sentences", "long_sentences", "cluster_templates", "exact_template_pairs", "region_of", "REPEAT_SIMILARITY", "TEMPLATE_SIMILARITY", "REPEAT_KINDS"]

REPEAT_SIMILARITY = DEFAULT.repeats.repeat_similarity  # cosine of distinctive terms for "the same commitment planned again"
REPEAT_KINDS = ("recurring-indicator", "carried-over")
TEMPLATE_SIMILARITY = DEFAULT.repeats.template_similarity  # character similarity (rapidfuzz ratio / 100) for shared template text
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
    """Return recurring indicators and carried-over commitments per region, and template passages across regions."""
    return RepeatsResult(tuple(reports), tuple(region_repeats(reports)), tuple(find_templates(reports)))


def region_repeats(reports: Sequence[Report], commitments: Optional[Sequence] = None) -> list[dict]:
    """Return the recurring indicators, then the carried-over commitments, of the reports' regions.

    commitments: each report's extract_commitments(...), when already known (a corpus run's documents).
    """
    known = list(commitments) if commitments is not None else [extract_commitments(r) for r in reports]
    return _recurring_indicators(reports, known) + _repeated_commitments(reports, known)


def _recurring_indicators(reports: Sequence[Report], known: list) -> list[dict]:
    """Group the targets of one region's plans by indicator across years: one indicator planned each year."""
    from .targets import targets_in

    by_region: dict[str, list] = {}
    for report, commitments in zip(reports, known):
        for c in commitments:
            if c.kind != "context":
                by_region.setdefault(region_of(report), []).extend((report, c, t) for t in targets_in(c.text, c.line) if t.indicator)
    out = []
    realised = _Realised(reports)
    for region, items in by_region.items():
        groups = _Groups(len(items))
        by_unit: dict = {}
        for i, item in enumerate(items):
            by_unit.setdefault(item[2].unit, []).append(i)  # only targets of one unit can be one indicator
        for same in by_unit.values():
            for a, i in enumerate(same):
                for j in same[a + 1:]:
                    if _year(items[i][:2]) != _year(items[j][:2]) and _same_indicator(items[i][2], items[j][2]):
                        groups.join(i, j)
        out += [_indicator_chain(region, [items[i] for i in m], realised) for m in groups.members() if _spans_years(items, m)]
    return out


class _Realised:
    """The realised figures of each region's reports of one year, computed once."""

    def __init__(self, reports: Sequence[Report]):
        self.reports, self.known = reports, {}

    def of(self, region: str, year: int, but: Report):
        """Return (later reports exist, their realised figures) for a region's year (but: the plan itself)."""
        from .targets import realised_figures

        key = (region, year, id(but))
        if key not in self.known:
            later = [r for r in self.reports if region_of(r) == region and r.year == year and r is not but]
            self.known[key] = (bool(later), realised_figures(later) if later else None)
        return self.known[key]


def _spans_years(items: list, members: list[int]) -> bool:
    """Return True when a group holds targets of at least two different years."""
    return len({_year(items[i][:2]) for i in members}) > 1


def _same_indicator(a, b) -> bool:
    """Return True when two targets measure the same indicator in the same unit (社会消费品零售总额增长 6%以上 / 5%以上)."""
    from .targets import specificity

    threshold = DEFAULT.repeats.indicator_similarity
    return a.unit == b.unit and min(specificity(a.indicator, b.indicator), specificity(b.indicator, a.indicator)) >= threshold


def _indicator_chain(region: str, members: list, realised: _Realised) -> dict:
    """Describe one recurring indicator: its years and the series of planned and realised values."""
    members = sorted(members, key=lambda m: (_year(m[:2]), m[1].line))
    first_of_year: dict[int, tuple] = {}
    for member in members:
        first_of_year.setdefault(_year(member[:2]), member)
    years = sorted(first_of_year)
    series = [_series_point(year, first_of_year[year], region, realised) for year in years]
    return {
        "kind": "recurring-indicator", "region": region, "text": members[0][1].text, "indicator": members[0][2].indicator,
        "years": years, "count": len(years), "first_year": years[0], "last_year": years[-1], "similarity": 1.0,
        "series": series,
        "members": [{"doc": r.meta.path, "id": c.id, "line": c.line, "year": _year((r, c)), "text": c.text} for r, c, _ in members],
    }


def _series_point(year: int, member: tuple, region: str, realised: _Realised) -> dict:
    """Return one year of a recurring indicator: the target planned and the value the next review gives."""
    from .targets import judge

    report, commitment, target = member
    later, figures = realised.of(region, year + 1, report)
    verdict, answer, _ = judge(target, figures) if later else ("not-reported", None, 0.0)
    return {"year": year, "planned": target.raw, "modifier": target.modifier, "value": target.value, "unit": target.unit,
            "realised": answer.figure.raw if answer else None, "realised_value": answer.figure.value if answer else None,
            "verdict": verdict if later else None, "doc": report.meta.path, "line": commitment.line}


def _repeated_commitments(reports: Sequence[Report], known: list) -> list[dict]:
    """Chain near-identical commitments (not targets: those recur as indicators) of one region across years."""
    from .retrieval import build_index

    by_region: dict[str, list] = {}
    for report, commitments in zip(reports, known):
        by_region.setdefault(region_of(report), []).extend(
            (report, c, item) for c in commitments if c.kind != "context" for item in _item_texts(report, c))
    chains = []
    for items in by_region.values():
        if len(items) < 2:
            continue
        texts = [item for _, _, item in items]
        cosine = build_index(texts, texts).cosine()  # one region at a time keeps the matrix small
        groups = _Groups(len(items))
        for i, j in zip(*(cosine >= REPEAT_SIMILARITY).nonzero()):
            if i < j and _year(items[i]) != _year(items[j]):
                groups.join(int(i), int(j))
        chains += [_chain(items, members, cosine) for members in groups.members() if not _new_target_each_year(items, members)]
    return chains


def _item_texts(report: Report, commitment) -> list[str]:
    """Return the items a commitment bundles (a sentence planned again is often one clause of a longer one)."""
    text = report.norm.text
    return [text[a:b].strip(" ,，。;；") for a, b in commitment.items] or [commitment.text]


def _new_target_each_year(items: list, members: list[int]) -> bool:
    """Return True when a group is one indicator with a new value each year (a recurring indicator, not a carried-over commitment).

    A quota set again with the same value stays carried-over (DOMAIN.md: planned again verbatim).
    """
    from .targets import targets_in

    texts = {items[i][2] for i in members}
    values = [tuple(sorted((t.unit, t.value) for t in targets_in(text))) for text in texts]
    return all(values) and len(set(values)) > 1


def _year(item) -> int:
    """Return the year a commitment is planned for (plan year, else report year)."""
    report, commitment = item[0], item[1]
    return commitment.plan_year or report.year or 0


def _chain(items, members: list[int], cosine) -> dict:
    """Describe one repeated commitment across years."""
    members = sorted(members, key=lambda i: _year(items[i]))
    years = sorted({_year(items[i]) for i in members})
    first = items[members[0]][2]
    similarity = min(float(cosine[a, b]) for a in members for b in members if a < b)
    return {
        "kind": "carried-over", "region": region_of(items[members[0]][0]), "text": first, "indicator": None,
        "years": years, "count": len(years), "first_year": years[0], "last_year": years[-1],
        "similarity": round(similarity, 3), "series": [],
        "members": [{"doc": items[i][0].meta.path, "id": items[i][1].id, "line": items[i][1].line,
                     "year": _year(items[i]), "text": items[i][2]} for i in members],
    }


def _sentences(reports: Sequence[Report]) -> list[tuple[int, str, int]]:
    """Return (report index, sentence, line) of every long sentence."""
    return [(k, sentence, line) for k, report in enumerate(reports) for sentence, line in long_sentences(report)]


def long_sentences(report: Report) -> list[tuple[str, int]]:
    """Return (sentence, line) of every sentence of a report long enough to be template text."""
    text = report.norm.text
    return [(text[start:end], report.norm.line_at(start)) for start, end in split_sentences(text)
            if end - start >= _TEMPLATE_MIN_CHARS]


def find_templates(reports: Sequence[Report], pairs=None, stats=None) -> list[dict]:
    """Cluster sentences shared nearly word for word by reports of different regions.

    pairs: the candidate-and-check function (default lsh.similar_pairs; exact_template_pairs is the
    quadratic reference it is measured against). stats: an lsh.Blocking that receives the counts.
    """
    return cluster_templates(template_sentences(reports), pairs, stats)


def template_sentences(reports: Sequence[Report]) -> tuple:
    """Return what template detection needs of the reports: (sentences, region of each report, path of each report)."""
    return _sentences(reports), [region_of(r) for r in reports], [r.meta.path for r in reports]


def cluster_templates(given: tuple, pairs=None, stats=None) -> list[dict]:
    """Cluster the sentences of template_sentences(...) shared by different regions (see find_templates)."""
    from rapidfuzz import fuzz

    from .lsh import Blocking, similar_pairs

    sentences, regions, paths = given
    codes = _codes([regions[k] for k, _, _ in sentences])
    groups = _Groups(len(sentences))
    joined = lambda i, j: groups.find(i) == groups.find(j)  # noqa: E731
    for i, j in (pairs or similar_pairs)([s for _, s, _ in sentences], codes, [k for k, _, _ in sentences], joined,
                                         stats if stats is not None else Blocking()):
        groups.join(i, j)
    clusters = [m for m in groups.members() if len({regions[sentences[i][0]] for i in m}) > 1]
    return [_cluster(sentences, regions, paths, m, fuzz) for m in clusters]


def _codes(labels: list[str]) -> list[int]:
    """Return an integer code per label (equal labels, equal codes)."""
    seen: dict[str, int] = {}
    return [seen.setdefault(label, len(seen)) for label in labels]


_PREFILTER = 0.6  # term cosine below which two sentences cannot be 85% alike in characters


def exact_template_pairs(texts: list[str], groups: list[int], sources=None, joined=None, stats=None, chunk: int = 1000):
    """Yield every pair (i < j) of texts of different groups at least TEMPLATE_SIMILARITY alike (quadratic reference)."""
    import numpy as np
    from rapidfuzz import fuzz

    from .retrieval import build_index

    if len(texts) < 2:
        return
    unit = build_index(texts, texts).candidate_unit
    codes = np.asarray(groups)
    for start in range(0, len(texts), chunk):
        block = (unit[start : start + chunk] @ unit.T).tocoo()
        keep = (block.data >= _PREFILTER) & (block.row + start < block.col)
        rows, cols = block.row[keep] + start, block.col[keep]
        other = codes[rows] != codes[cols]
        for i, j in zip(rows[other].tolist(), cols[other].tolist()):
            if fuzz.ratio(texts[i], texts[j]) >= TEMPLATE_SIMILARITY * 100:
                yield i, j


def _cluster(sentences, regions, paths, members: list[int], fuzz) -> dict:
    """Describe one cluster of template text (similarity: the lowest of its members' pairs)."""
    from rapidfuzz.process import cdist

    texts = [sentences[i][1] for i in members]
    lowest = float(cdist(texts, texts, scorer=fuzz.ratio, dtype="float64").min())  # the diagonal is 100
    return {
        "kind": "template-text", "text": sentences[members[0]][1], "regions": sorted({regions[sentences[i][0]] for i in members}),
        "similarity": round(lowest / 100, 3), "size": len(members),
        "members": [{"doc": paths[sentences[i][0]], "region": regions[sentences[i][0]],
                     "line": sentences[i][2], "text": sentences[i][1]} for i in members],
    }


@record
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

        kinds = {k.replace("-", "_"): sum(1 for r in self.repeats if r["kind"] == k) for k in REPEAT_KINDS}
        return {"schema": self.SCHEMA, "docs": [r.meta.to_dict() for r in self.reports], "repeats": list(self.repeats),
                "templates": list(self.templates),
                "summary": {"repeats": len(self.repeats), **kinds, "templates": len(self.templates)}}

    def rows(self) -> list[dict]:
        """Return one row per finding (repeat chain or template cluster)."""
        out = []
        for item in list(self.repeats) + list(self.templates):
            where = "; ".join(f"{m['doc']}:{m['line']}" for m in item["members"])
            series = "; ".join(f"{p['year']}: {p['planned']} -> {p['realised'] or '-'}" for p in item.get("series", []))
            out.append({"kind": item["kind"], "text": item["text"], "years": item.get("years"), "series": series,
                        "regions": item.get("regions") or [item.get("region")], "count": item.get("count", item.get("size")),
                        "similarity": item["similarity"], "where": where})
        return out

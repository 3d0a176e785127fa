"""Line up the same indicator (results figures) across the years of each chain."""
from __future__ import annotations

import re
from typing import Sequence

from .chains import Chain
from .copies import Group
from ..record import record

__all__ = ["Series", "line_up", "INDICATOR_SIMILARITY"]

INDICATOR_SIMILARITY = 0.85  # comparer.figures.same_indicator score to line up two figures
# Subjects too generic to name an indicator ("增长 5%" is the growth of whatever the sentence is about).
_GENERIC_SUBJECT = re.compile(r"(?:同比|年均|平均|比上年|分别|累计|总)?(?:增长|下降|提高|上涨|增速|增幅|减少|总量|投入|连续|企业|小区|项目)")


@record
class Series:
    """One indicator lined up across a chain's years: (document, figure) index pairs."""

    id: str
    region: str
    family: str
    subject: str
    unit: str
    points: tuple


def line_up(docs: Sequence, groups: Sequence[Group], chains: Sequence[Chain]) -> list[Series]:
    """Line up the same indicator (results figures) across each chain's consecutive years (docs: store.Stub)."""
    found = []
    for chain in chains:
        by_year: dict[int, list[tuple[int, int]]] = {}
        for g in chain.groups:
            lead = groups[g].members[0]
            points = [(lead, k) for k, _ in docs[lead].indicators]
            by_year.setdefault(groups[g].year, []).extend(points)
        years = sorted(by_year)
        links = [pair for a, b in zip(years, years[1:]) for pair in _matches(docs, by_year[a], by_year[b])]
        found += [(chain, members) for members in _components(links)]
    found.sort(key=lambda item: (item[0].region, item[0].family, docs[item[1][0][0]].year or 0, item[1][0]))
    return [_series(f"I{n:03d}", chain, members, docs) for n, (chain, members) in enumerate(found, 1)]


def indicator_subject(subject: str) -> bool:
    """Return True when a figure's subject is specific enough to name an indicator."""
    return len(subject) >= 3 and not _GENERIC_SUBJECT.fullmatch(subject)


def _matches(docs, left: list, right: list) -> list[tuple]:
    """Return one-to-one pairs of same-unit figures scoring at least INDICATOR_SIMILARITY."""
    from ..figures import same_indicator

    fig = {point: docs[point[0]].figure(point[1]).figure for point in left + right}
    scored = sorted(((same_indicator(fig[a], fig[b]), a, b) for a in left for b in right if fig[a].unit == fig[b].unit), reverse=True)
    used, pairs = set(), []
    for score, a, b in scored:
        if score < INDICATOR_SIMILARITY:
            break
        if a not in used and b not in used:
            used.update((a, b))
            pairs.append((a, b))
    return pairs


def _components(pairs: list[tuple]) -> list[list]:
    """Return the connected components (sorted point lists) of linked points."""
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict = {}
    for point in list(parent):
        members.setdefault(root(point), []).append(point)
    return [sorted(m) for m in members.values() if len(m) > 1]


def _series(ident: str, chain: Chain, members: list, docs) -> Series:
    """Build one Series ordered by year, named after its latest figure."""
    points = tuple(sorted(members, key=lambda p: (docs[p[0]].year or 0, p)))
    last = docs[points[-1][0]].figure(points[-1][1]).figure
    return Series(ident, chain.region, chain.family, last.subject, last.unit, points)

"""Chain each region's reports by year and link every plan to the reports that follow it up."""
from __future__ import annotations

from typing import Optional, Sequence

from .copies import Group
from .documents import Document
from ..record import record

__all__ = ["Link", "Chain", "chain_reports", "family_of"]


@record
class Link:
    """A plan (group index) followed up in the next year's reports (group indices)."""

    region: str
    family: str
    plan: int
    later: tuple


@record
class Chain:
    """One region's reports of one family, by year, with the plan -> next-year links."""

    region: str
    family: str
    groups: tuple
    links: tuple


def family_of(genre: Optional[str]) -> str:
    """Return the chain family of a genre: work reports, or 法治 reports and plans."""
    if genre == "work-report":
        return "work"
    return "fazhi" if genre in ("fazhi-report", "multi-year-plan") else "other"


def chain_reports(docs: Sequence[Document], groups: Sequence[Group]) -> list[Chain]:
    """Chain each region's reports of one family by year and link each plan to the next year."""
    by_key: dict[tuple, list[int]] = {}
    for index, group in enumerate(groups):
        if group.region and group.year:
            by_key.setdefault((group.region, family_of(group.genre)), []).append(index)
    chains = []
    for (region, family), members in sorted(by_key.items()):
        members.sort(key=lambda g: (groups[g].year, groups[g].id))
        links = [_link(docs, groups, g, members, region, family) for g in members]
        chains.append(Chain(region, family, tuple(members), tuple(link for link in links if link)))
    return chains


def _link(docs, groups, g: int, members: list[int], region: str, family: str) -> Optional[Link]:
    """Return the link from group g's plan to its follow-up reports, if it has both."""
    if not docs[groups[g].members[0]].commitments:
        return None
    later = _later(docs, groups, g, members)
    return Link(region, family, g, tuple(later)) if later else None


def _later(docs, groups, g: int, members: list[int]) -> list[int]:
    """Return the groups that follow g up: next year present, or the years a multi-year plan spans."""
    group = groups[g]
    others = [h for h in members if h != g and groups[h].genre != "multi-year-plan"]
    if group.genre == "multi-year-plan":
        span = docs[group.members[0]].plan_years or (group.year,)
        return [h for h in others if span[0] <= groups[h].year <= span[-1]]
    following = [groups[h].year for h in others if groups[h].year > group.year]
    return [h for h in others if following and groups[h].year == min(following)]

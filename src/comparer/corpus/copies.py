"""Group copies of one report (PDF, web page, text): same region, year and genre, similar text."""
from __future__ import annotations

from typing import Optional, Sequence

from .documents import Document, similarity
from ..record import record

__all__ = ["Group", "group_copies", "COPY_SIMILARITY"]

# Share of sampled 8-character shingles two texts must share to be copies of one report
# (PDF text vs web text of the Changning report: 0.93; adjacent years of one series: < 0.1).
COPY_SIMILARITY = 0.5
_KIND_RANK = {"pdf": 0, "text": 1, "web": 2}


@record
class Group:
    """Copies of one report (PDF, web, …); the representative comes first."""

    id: str
    region: Optional[str]
    issuer: Optional[str]
    year: Optional[int]
    genre: Optional[str]
    members: tuple  # document indices
    similarity: float  # lowest similarity of a member to the representative


def group_copies(docs: Sequence[Document]) -> list[Group]:
    """Group copies of one report: same region, year and genre, and similar text."""
    buckets: dict[tuple, list[list[int]]] = {}
    for i in sorted(range(len(docs)), key=lambda i: (_KIND_RANK.get(docs[i].kind, 3), docs[i].path)):
        doc = docs[i]
        key = (doc.region, doc.year, doc.genre) if doc.region and doc.year else (None, None, doc.path)
        bucket = buckets.setdefault(key, [])
        home = next((c for c in bucket if similarity(docs[c[0]].sketch, doc.sketch) >= COPY_SIMILARITY), None)
        if home is None:
            bucket.append([i])
        else:
            home.append(i)
    clusters = sorted((c for b in buckets.values() for c in b), key=lambda c: _order(docs[c[0]]))
    return [_group(f"G{n:03d}", docs, members) for n, members in enumerate(clusters, 1)]


def _order(doc: Document) -> tuple:
    """Return the sort key of a report: region, year, genre, path."""
    return (doc.region or "", doc.year or 0, doc.genre or "", doc.path)


def _group(ident: str, docs: Sequence[Document], members: list[int]) -> Group:
    """Build one Group from its member indices (representative first)."""
    lead = docs[members[0]]
    scores = [similarity(lead.sketch, docs[m].sketch) for m in members[1:]]
    return Group(ident, lead.region, lead.issuer, lead.year, lead.genre, tuple(members), round(min(scores, default=1.0), 3))

"""Rows of the corpus tables and the comparer.corpus/1 summary, built from a CorpusResult."""
from __future__ import annotations

from collections import Counter
from typing import Iterator, Optional

from .chains import family_of
from .columns import PER_DOCUMENT, TABLES, only

__all__ = ["TABLES", "tables", "summary", "findings", "region_rows", "STATUSES"]

STATUSES = ("reported", "repeated", "shortfall", "missing")
_CHUNK = 200  # documents whose rows are read (and written out) at a time
_ROWS = 20_000  # rows of the other tables written at a time


def tables(result: CorpusResult) -> dict:
    """Return {name: (columns, chunks)}: chunks() yields lists of rows (rows hold only those columns, in order)."""
    rows = {
        "documents": lambda: _documents(result), "followup": lambda: (row for rows in result.followups for row in rows),
        "drifts": lambda: iter(result.drifts), "repeats": lambda: iter(result.repeats), "targets": lambda: iter(result.targets),
    }
    return {name: (columns, lambda name=name: _chunks(TABLES[name], rows[name]()), None) if name in rows
            else (columns, lambda name=name: _streamed(result, name), _kinds(result, name)) for name, columns in TABLES.items()}


def _kinds(result: CorpusResult, name: str) -> dict:
    """Return {column: kinds of value} of a per-document table, from the documents' stubs (no row read)."""
    columns = TABLES[name]
    kinds: dict = {c: set() for c in columns}
    for d in result.documents:
        for c, found in zip(columns, d.kinds[PER_DOCUMENT.index(name)].split(";")):
            kinds[c].update(k for k in found.split("|") if k)
    if name == "figures" and result.series:
        kinds["indicator"].add("str")
    return kinds


def _chunks(columns: tuple, rows) -> Iterator[list]:
    """Yield the rows, restricted to columns, in lists of _ROWS (at least one list)."""
    chunk: list = []
    for row in rows:
        chunk.append(only(columns, row))
        if len(chunk) == _ROWS:
            yield chunk
            chunk = []
    yield chunk


def _streamed(result: CorpusResult, name: str):
    """Yield the rows of a per-document table, a chunk of documents at a time, read from the store."""
    from .store import load_rows

    columns, docs = TABLES[name], result.documents
    indicator = {point: s.id for s in result.series for point in s.points} if name == "figures" else {}
    for start in range(0, len(docs), _CHUNK):
        chunk = []
        for i in range(start, min(start + _CHUNK, len(docs))):
            for k, values in enumerate(load_rows(result.store, docs[i].sha256)[name]):
                row = dict(zip(columns, values))
                row["doc"] = docs[i].path
                if name == "figures":
                    row["indicator"] = indicator.get((i, k))
                chunk.append(row)
        yield chunk


def _group_of(result: CorpusResult) -> dict:
    """Return {document index: group}."""
    return {m: g for g in result.groups for m in g.members}


def _documents(result: CorpusResult) -> list[dict]:
    """Return one row per document."""
    group_of, docs = _group_of(result), result.documents
    rows = []
    for i, d in enumerate(docs):
        group = group_of[i]
        chars, sections, commitments, figures, _, failed = d.counts
        rows.append({
            "path": d.path, "sha256": d.sha256, "kind": d.kind, "region": d.region, "issuer": d.issuer,
            "stated_issuer": d.stated_issuer, "title": d.title, "year": d.year, "date": d.date, "genre": d.genre,
            "family": family_of(d.genre), "identified_by": d.identified_by, "group": group.id,
            "copy_of": None if group.members[0] == i else docs[group.members[0]].path,
            "sections": sections, "commitments": commitments, "figures": figures, "ratio_failed": failed,
            "chars": chars, "pages": d.pages, "encoding": d.encoding, "warnings": [n.message for n in d.notices],
        })
    return rows


def _link_counts(result: CorpusResult) -> list[tuple]:
    """Return (status counts, overdue, rows) of each link's follow-up rows: one pass over the stored rows."""
    return [(Counter(row["status"] for row in rows), sum(1 for row in rows if row["overdue"]), len(rows)) for rows in result.followups]


def findings(result: CorpusResult, links: Optional[list] = None) -> dict:
    """Return the counts that make exit code 1: drift, commitments not reported, failed ratio checks."""
    statuses = sum((c for c, _, _ in (links if links is not None else _link_counts(result))), Counter())
    failed = sum(d.counts[5] for d in result.documents)
    return {"drifts": len(result.drifts), "not_reported": sum(n for s, n in statuses.items() if s != "reported"),
            "ratio_failed": failed}


def summary(result: CorpusResult) -> dict:
    """Return the comparer.corpus/1 summary (summary.json)."""
    docs, links = result.documents, _link_counts(result)
    found = findings(result, links)
    drifts = Counter(row["group"] for row in result.drifts)
    return {
        "schema": result.SCHEMA, "root": result.root, "engine": result.engine, "jobs": result.jobs,
        "counts": _counts(result, links), "findings": found, "exit_code": (1 if any(found.values()) else 0) if docs else 2,
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "warnings": [notice.to_dict() for notice in result.warnings],
        "issuers": _issuers(result), "years": sorted({d.year for d in docs if d.year}),
        "copies": [_copies(result, g, drifts[g.id]) for g in result.groups if len(g.members) > 1],
        "chains": _chains(result, links),
        "indicators": [_indicator(result, s) for s in result.series],
    }


def _counts(result: CorpusResult, links: list) -> dict:
    """Return the headline counts of a corpus run."""
    statuses = sum((c for c, _, _ in links), Counter())
    verdicts = Counter(row["verdict"] for row in result.targets)
    return {
        "files": len(result.documents) + len(result.skipped), "documents": len(result.documents),
        "skipped": len(result.skipped), "reports": len(result.groups),
        "copies": sum(len(g.members) - 1 for g in result.groups), "regions": len({d.region for d in result.documents}),
        "issuers": len({d.issuer for d in result.documents}), "chains": len(result.chains), "links": len(result.links),
        "commitments": sum(d.counts[2] for d in result.documents),
        "followed_up": sum(statuses.values()), **{s: statuses.get(s, 0) for s in STATUSES},
        "overdue": sum(overdue for _, overdue, _ in links),
        "drifts": len(result.drifts), "figures": sum(d.counts[3] for d in result.documents),
        "ratio_checks": sum(d.counts[4] for d in result.documents), "ratio_failed": sum(d.counts[5] for d in result.documents),
        "indicators": len(result.series), "repeats": len(result.repeats), "targets": len(result.targets),
        **{f"targets_{v.replace('-', '_')}": verdicts.get(v, 0) for v in ("met", "missed", "not-reported")},
    }


def _issuers(result: CorpusResult) -> list[dict]:
    """Return one entry per region: its issuers, years, genres and document count."""
    by_region: dict = {}
    for d in result.documents:
        by_region.setdefault(d.region or "?", []).append(d)
    return [{"region": region, "issuers": sorted({d.issuer or "?" for d in docs}), "years": sorted({d.year for d in docs if d.year}),
             "genres": sorted({d.genre or "?" for d in docs}), "documents": len(docs)}
            for region, docs in sorted(by_region.items())]


def _copies(result: CorpusResult, group, drifts: int) -> dict:
    """Return one group of copies with its drift count."""
    return {"group": group.id, "region": group.region, "issuer": group.issuer, "year": group.year, "genre": group.genre,
            "documents": [result.documents[m].path for m in group.members], "similarity": group.similarity,
            "drifts": drifts}


def _chains(result: CorpusResult, links: list) -> list[dict]:
    """Return every chain with the follow-up counts of its links."""
    counts_of = {link.plan: counts for link, counts in zip(result.links, links)}
    return [_chain(result, chain, counts_of) for chain in result.chains]


def _chain(result: CorpusResult, chain, counts_of: dict) -> dict:
    """Return one chain: its reports by year and the follow-up counts of each link."""
    groups, docs = result.groups, result.documents
    reports = [{"year": groups[g].year, "group": groups[g].id, "issuer": groups[g].issuer, "genre": groups[g].genre,
                "doc": docs[groups[g].members[0]].path} for g in chain.groups]
    return {"region": chain.region, "family": chain.family, "years": sorted({r["year"] for r in reports}),
            "reports": reports, "links": [_link(result, link, counts_of[link.plan]) for link in chain.links]}


def _link(result: CorpusResult, link, link_counts: tuple) -> dict:
    """Return one plan -> later link with its status counts and reported share."""
    groups, docs = result.groups, result.documents
    counts, overdue, rows = link_counts
    return {"plan": docs[groups[link.plan].members[0]].path, "plan_year": groups[link.plan].year,
            "plan_issuer": groups[link.plan].issuer, "later": [docs[groups[h].members[0]].path for h in link.later],
            "later_years": sorted({groups[h].year for h in link.later}), "commitments": rows,
            **{s: counts.get(s, 0) for s in STATUSES}, "overdue": overdue,
            "reported_share": round(counts.get("reported", 0) / rows, 3) if rows else None}


def _indicator(result: CorpusResult, series) -> dict:
    """Return one indicator series: subject, unit and (year, value) points."""
    points = []
    for doc_index, k in series.points:
        doc = result.documents[doc_index]
        year = doc.year - 1 if doc.genre == "work-report" and doc.year else doc.year
        figure = doc.figure(k).figure
        points.append({"year": year, "value": figure.value, "raw": figure.raw, "doc": doc.path})
    return {"id": series.id, "region": series.region, "family": series.family, "subject": series.subject,
            "unit": series.unit, "points": points}


def region_rows(result: CorpusResult) -> list[dict]:
    """Return one row per chain (region and family) for the terminal."""
    rows, drifts = [], Counter(row["region"] for row in result.drifts)
    for chain, data in zip(result.chains, _chains(result, _link_counts(result))):
        links = data["links"]
        followed = sum(link["commitments"] for link in links)
        reported = sum(link["reported"] for link in links)
        years = data["years"]
        rows.append({
            "region": chain.region, "family": chain.family, "years": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]),
            "reports": len(chain.groups), "links": len(links), "followed_up": followed,
            "reported": f"{100 * reported / followed:.0f}%" if followed else "-",
            "drifts": drifts[chain.region],
        })
    return rows

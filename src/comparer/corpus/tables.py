"""Rows of the corpus tables and the comparer.corpus/1 summary, built from a CorpusResult."""
from __future__ import annotations

from collections import Counter

from .chains import family_of

__all__ = ["TABLES", "tables", "summary", "findings", "region_rows", "STATUSES"]

STATUSES = ("reported", "repeated", "shortfall", "missing")
TABLES = {
    "documents": ("path", "sha256", "kind", "region", "issuer", "stated_issuer", "title", "year", "date", "genre",
                  "family", "identified_by", "group", "copy_of", "sections", "commitments", "figures",
                  "ratio_failed", "chars", "pages", "encoding", "warnings"),
    "sections": ("doc", "region", "year", "id", "level", "number", "title", "role", "plan_year", "plan_years", "line"),
    "commitments": ("doc", "region", "issuer", "year", "id", "text", "section", "role", "line", "plan_year",
                    "deadline", "targets", "verb"),
    "followup": ("region", "family", "plan_doc", "plan_year", "later_docs", "later_years", "id", "status", "confidence", "overdue",
                 "text", "section", "line", "deadline", "reason", "evidence_doc", "evidence_role", "evidence_section",
                 "evidence_text", "evidence_line", "score"),
    "drifts": ("group", "region", "year", "old_doc", "new_doc", "kind", "section", "old_text", "new_text", "old_line",
               "new_line", "old_value", "new_value", "old_context", "new_context", "old_page", "new_page",
               "old_section", "new_section"),
    "figures": ("doc", "region", "issuer", "year", "value_year", "line", "section", "role", "subject", "value", "unit",
                "comparator", "raw", "ratio_check", "computed_percent", "indicator"),
    "repeats": ("kind", "text", "years", "series", "regions", "count", "similarity", "where"),
    "targets": ("region", "family", "plan_doc", "plan_year", "later_docs", "later_years", "commitment", "indicator",
                "modifier", "value", "unit", "raw", "text", "line", "verdict", "confidence", "realised_value",
                "realised_unit", "realised_raw", "evidence_doc", "evidence_line", "evidence_text"),
}


def tables(result: CorpusResult) -> dict:
    """Return {name: (columns, rows)} for every corpus table (rows hold only those columns)."""
    builders = {
        "documents": _documents, "sections": _sections, "commitments": _commitments,
        "followup": lambda r: [row for rows in r.followups for row in rows], "drifts": lambda r: list(r.drifts),
        "figures": _figures, "repeats": lambda r: list(r.repeats), "targets": lambda r: list(r.targets),
    }
    return {name: (TABLES[name], [_only(TABLES[name], row) for row in builders[name](result)]) for name in TABLES}


def _only(columns: tuple, row: dict) -> dict:
    """Return row restricted to columns, lists joined with '; '."""
    return {c: "; ".join(map(str, row.get(c))) if isinstance(row.get(c), (list, tuple)) else row.get(c) for c in columns}


def _group_of(result: CorpusResult) -> dict:
    """Return {document index: group}."""
    return {m: g for g in result.groups for m in g.members}


def _documents(result: CorpusResult) -> list[dict]:
    """Return one row per document."""
    group_of, docs = _group_of(result), result.documents
    rows = []
    for i, d in enumerate(docs):
        group, meta = group_of[i], d.report.meta
        rows.append({
            "path": d.path, "sha256": d.sha256, "kind": d.kind, "region": d.region, "issuer": d.issuer,
            "stated_issuer": d.stated_issuer, "title": meta.title, "year": d.year, "date": meta.date, "genre": d.genre,
            "family": family_of(d.genre), "identified_by": d.identified_by, "group": group.id,
            "copy_of": None if group.members[0] == i else docs[group.members[0]].path,
            "sections": sum(1 for s in d.report.all_sections() if s.level != "inline"), "commitments": len(d.commitments),
            "figures": len(d.figures), "ratio_failed": sum(1 for p in d.figures if p.check and not p.check.consistent),
            "chars": len(d.report.raw.text), "pages": meta.pages, "encoding": meta.encoding,
            "warnings": [notice.message for notice in d.report.warnings],
        })
    return rows


def _sections(result: CorpusResult) -> list[dict]:
    """Return one row per section of every document."""
    from ..sections import SectionsResult

    rows = []
    for d in result.documents:
        for row in SectionsResult(d.report).rows():
            rows.append({"doc": d.path, "region": d.region, "year": d.year, **row, "level": str(row["level"])})
    return rows


def _commitments(result: CorpusResult) -> list[dict]:
    """Return one row per commitment of every document."""
    from ..commitments import CommitmentsResult

    rows = []
    for d in result.documents:
        head = {"doc": d.path, "region": d.region, "issuer": d.issuer, "year": d.year}
        rows += [{**head, **row} for row in CommitmentsResult(d.report, d.commitments).rows()]
    return rows


def _figures(result: CorpusResult) -> list[dict]:
    """Return one row per figure of every document, with its ratio check and indicator."""
    indicator = {point: s.id for s in result.series for point in s.points}
    rows = []
    for i, d in enumerate(result.documents):
        for k, placed in enumerate(d.figures):
            rows.append(_figure_row(d, placed, indicator.get((i, k))))
    return rows


def _figure_row(d, placed, indicator) -> dict:
    """Return one figure row."""
    f, check = placed.figure, placed.check
    reviewed = d.genre == "work-report" and placed.role == "results" and d.year
    return {
        "doc": d.path, "region": d.region, "issuer": d.issuer, "year": d.year,
        "value_year": d.year - 1 if reviewed else d.year, "line": placed.line, "section": placed.section,
        "role": placed.role, "subject": f.subject, "value": float(f.value), "unit": f.unit, "comparator": f.comparator,
        "raw": f.raw, "ratio_check": ("ok" if check.consistent else "failed") if check else None,
        "computed_percent": check.computed_percent if check else None, "indicator": indicator,
    }


def findings(result: CorpusResult) -> dict:
    """Return the counts that make exit code 1: drift, commitments not reported, failed ratio checks."""
    statuses = Counter(row["status"] for rows in result.followups for row in rows)
    failed = sum(1 for d in result.documents for p in d.figures if p.check and not p.check.consistent)
    return {"drifts": len(result.drifts), "not_reported": sum(n for s, n in statuses.items() if s != "reported"),
            "ratio_failed": failed}


def summary(result: CorpusResult) -> dict:
    """Return the comparer.corpus/1 summary (summary.json)."""
    docs = result.documents
    return {
        "schema": result.SCHEMA, "root": result.root, "engine": result.engine, "jobs": result.jobs,
        "counts": _counts(result), "findings": findings(result), "exit_code": result.exit_code,
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "warnings": [notice.to_dict() for notice in result.warnings],
        "issuers": _issuers(result), "years": sorted({d.year for d in docs if d.year}),
        "copies": [_copies(result, g) for g in result.groups if len(g.members) > 1],
        "chains": [_chain(result, chain) for chain in result.chains],
        "indicators": [_indicator(result, s) for s in result.series],
    }


def _counts(result: CorpusResult) -> dict:
    """Return the headline counts of a corpus run."""
    statuses = Counter(row["status"] for rows in result.followups for row in rows)
    ratio_checks = [p.check for d in result.documents for p in d.figures if p.check]
    return {
        "files": len(result.documents) + len(result.skipped), "documents": len(result.documents),
        "skipped": len(result.skipped), "reports": len(result.groups),
        "copies": sum(len(g.members) - 1 for g in result.groups), "regions": len({d.region for d in result.documents}),
        "issuers": len({d.issuer for d in result.documents}), "chains": len(result.chains), "links": len(result.links),
        "commitments": sum(len(d.commitments) for d in result.documents),
        "followed_up": sum(statuses.values()), **{s: statuses.get(s, 0) for s in STATUSES},
        "overdue": sum(1 for rows in result.followups for row in rows if row["overdue"]),
        "drifts": len(result.drifts), "figures": sum(len(d.figures) for d in result.documents),
        "ratio_checks": len(ratio_checks), "ratio_failed": sum(1 for c in ratio_checks if not c.consistent),
        "indicators": len(result.series), "repeats": len(result.repeats), "targets": len(result.targets),
        **{f"targets_{v.replace('-', '_')}": sum(1 for row in result.targets if row["verdict"] == v) for v in ("met", "missed", "not-reported")},
    }


def _issuers(result: CorpusResult) -> list[dict]:
    """Return one entry per region: its issuers, years, genres and document count."""
    by_region: dict = {}
    for d in result.documents:
        by_region.setdefault(d.region or "?", []).append(d)
    return [{"region": region, "issuers": sorted({d.issuer or "?" for d in docs}), "years": sorted({d.year for d in docs if d.year}),
             "genres": sorted({d.genre or "?" for d in docs}), "documents": len(docs)}
            for region, docs in sorted(by_region.items())]


def _copies(result: CorpusResult, group) -> dict:
    """Return one group of copies with its drift count."""
    return {"group": group.id, "region": group.region, "issuer": group.issuer, "year": group.year, "genre": group.genre,
            "documents": [result.documents[m].path for m in group.members], "similarity": group.similarity,
            "drifts": sum(1 for row in result.drifts if row["group"] == group.id)}


def _chain(result: CorpusResult, chain) -> dict:
    """Return one chain: its reports by year and the follow-up counts of each link."""
    groups, docs = result.groups, result.documents
    rows_of = {link.plan: rows for link, rows in zip(result.links, result.followups)}
    reports = [{"year": groups[g].year, "group": groups[g].id, "issuer": groups[g].issuer, "genre": groups[g].genre,
                "doc": docs[groups[g].members[0]].path} for g in chain.groups]
    return {"region": chain.region, "family": chain.family, "years": sorted({r["year"] for r in reports}),
            "reports": reports, "links": [_link(result, link, rows_of[link.plan]) for link in chain.links]}


def _link(result: CorpusResult, link, rows: tuple) -> dict:
    """Return one plan -> later link with its status counts and reported share."""
    groups, docs = result.groups, result.documents
    counts = Counter(row["status"] for row in rows)
    return {"plan": docs[groups[link.plan].members[0]].path, "plan_year": groups[link.plan].year,
            "plan_issuer": groups[link.plan].issuer, "later": [docs[groups[h].members[0]].path for h in link.later],
            "later_years": sorted({groups[h].year for h in link.later}), "commitments": len(rows),
            **{s: counts.get(s, 0) for s in STATUSES}, "overdue": sum(1 for row in rows if row["overdue"]),
            "reported_share": round(counts.get("reported", 0) / len(rows), 3) if rows else None}


def _indicator(result: CorpusResult, series) -> dict:
    """Return one indicator series: subject, unit and (year, value) points."""
    points = []
    for doc_index, k in series.points:
        doc = result.documents[doc_index]
        year = doc.year - 1 if doc.genre == "work-report" and doc.year else doc.year
        points.append({"year": year, "value": doc.figures[k].figure.value, "raw": doc.figures[k].figure.raw, "doc": doc.path})
    return {"id": series.id, "region": series.region, "family": series.family, "subject": series.subject,
            "unit": series.unit, "points": points}


def region_rows(result: CorpusResult) -> list[dict]:
    """Return one row per chain (region and family) for the terminal."""
    rows = []
    for chain, data in zip(result.chains, summary(result)["chains"]):
        links = data["links"]
        followed = sum(link["commitments"] for link in links)
        reported = sum(link["reported"] for link in links)
        years = data["years"]
        rows.append({
            "region": chain.region, "family": chain.family, "years": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]),
            "reports": len(chain.groups), "links": len(links), "followed_up": followed,
            "reported": f"{100 * reported / followed:.0f}%" if followed else "-",
            "drifts": sum(1 for row in result.drifts if row["region"] == chain.region),
        })
    return rows

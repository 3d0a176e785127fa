"""The columns of the corpus tables, and the per-document rows a worker writes into the store."""
from __future__ import annotations

__all__ = ["TABLES", "PER_DOCUMENT", "only", "document_rows", "row_kinds"]

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


def only(columns: tuple, row: dict) -> dict:
    """Return row restricted to columns, lists joined with '; '."""
    return {c: "; ".join(map(str, row.get(c))) if isinstance(row.get(c), (list, tuple)) else row.get(c) for c in columns}


PER_DOCUMENT = ("sections", "commitments", "figures")  # the tables whose rows the workers write per document


def row_kinds(rows: dict) -> tuple[str, ...]:
    """Return, per table of PER_DOCUMENT, the kinds of value of each column ("int|none;str;…"), from document_rows(...)."""
    from ..report.tables import value_kind

    out = []
    for name in PER_DOCUMENT:
        columns = [sorted({value_kind(row[c]) for row in rows[name]}) for c in range(len(TABLES[name]))]
        out.append(";".join("|".join(kinds) for kinds in columns))
    return tuple(out)


def document_rows(d) -> dict:
    """Return a Document's rows of the per-document tables as {table: [[values in column order], ...]} (run in workers)."""
    rows = {"sections": _sections(d), "commitments": _commitments(d), "figures": [_figure_row(d, p, None) for p in d.figures]}
    return {name: [list(only(TABLES[name], row).values()) for row in items] for name, items in rows.items()}


def _sections(d) -> list[dict]:
    """Return one row per section of a document."""
    from ..sections import SectionsResult

    return [{"doc": d.path, "region": d.region, "year": d.year, **row, "level": str(row["level"])}
            for row in SectionsResult(d.report).rows()]


def _commitments(d) -> list[dict]:
    """Return one row per commitment of a document."""
    from ..commitments import CommitmentsResult

    head = {"doc": d.path, "region": d.region, "issuer": d.issuer, "year": d.year}
    return [{**head, **row} for row in CommitmentsResult(d.report, d.commitments).rows()]


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

"""Section roles against fixtures/labels/roles.jsonl (444 level-1/2 headings of 26 reports), per issuer.

A heading is right when comparer finds a section on the labelled line with the labelled role
(and, for a plan, the labelled plan_year; for a multi-year plan, its first and last year).
`tree` also asks that the section hangs under the labelled parent (an appendix list under its plan).

The roles rules are fixed except one threshold, `RolesOptions.tense_margin` (how much more one
tense must dominate a body to decide a role no title signal decides). Leave-one-issuer-out: the
margin is chosen on the other issuers' reports (best accuracy over a grid), then each issuer is
scored with the margin fitted without it.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .common import LABELS, ROOT, leave_one_issuer_out, per_issuer, read_jsonl, table

MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


@lru_cache(maxsize=1)
def labels() -> list[dict]:
    """Return the role labels, each with the issuer of its document."""
    issuers = {row["doc"]: row["issuer"] for row in read_jsonl(LABELS / "identity.jsonl")}
    return [dict(row, issuer=issuers[row["doc"]]) for row in read_jsonl(LABELS / "roles.jsonl")]


@lru_cache(maxsize=None)
def _raw(doc: str):
    """Return a labelled document read (not yet sectioned)."""
    from comparer.ingest import read_document

    return read_document(ROOT / doc)


@lru_cache(maxsize=None)
def sections_by_line(doc: str, margin: float) -> dict:
    """Return {line: (section, parent line)} of a document sectioned with a tense margin."""
    from comparer.options import DEFAULT
    from comparer.sections import parse_report

    options = replace(DEFAULT, roles=replace(DEFAULT.roles, tense_margin=margin))
    report = parse_report(_raw(doc), options)
    found: dict = {}
    for top in report.sections:
        _index(top, None, found)
    return found


def _index(section, parent_line, found: dict) -> None:
    """Record a section and its non-inline descendants by line (the first section on a line wins)."""
    if section.level == "inline":
        return
    found.setdefault(section.line, (section, parent_line))
    for child in section.children:
        _index(child, section.line, found)


def is_right(label: dict, margin: float, tree: bool = False) -> bool:
    """Return True when comparer gives the labelled heading its labelled role (and plan year)."""
    hit = sections_by_line(label["doc"], margin).get(label["line"])
    if hit is None:
        return False
    section, parent_line = hit
    if section.role != label["role"]:
        return False
    if label["role"] == "plan" and section.plan_year != label["plan_year"]:
        return False
    if label["role"] == "multi-year-plan" and label["plan_years"] and section.plan_years[:1] + section.plan_years[-1:] != tuple(label["plan_years"]):
        return False
    return not tree or parent_line == label["parent_line"]


def fit(items: list[dict]) -> float:
    """Return the tense margin with the best accuracy on the given labels (the smallest on ties)."""
    return max(MARGINS, key=lambda m: (sum(is_right(item, m) for item in items), -m))


def report() -> str:
    """Return the roles table: per issuer with the default margin, with the tree, and leave-one-issuer-out."""
    from comparer.options import DEFAULT

    items = labels()
    margin = DEFAULT.roles.tense_margin
    columns = {
        f"role (margin {margin})": per_issuer((item["issuer"], is_right(item, margin)) for item in items),
        "role + parent": per_issuer((item["issuer"], is_right(item, margin, tree=True)) for item in items),
        "leave-one-issuer-out": leave_one_issuer_out(items, lambda item: item["issuer"], fit, lambda m, item: is_right(item, m)),
    }
    return table("Roles of level-1 and level-2 headings", columns) + f"\nMargin fitted on all issuers: {fit(items)}.\n"

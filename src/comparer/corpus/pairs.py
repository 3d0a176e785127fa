"""The per-pair stage of a corpus run: diff copies, follow plans up, find repeats (one task each)."""
from __future__ import annotations

from typing import Sequence

from ..models import Report

__all__ = ["diff_task", "followup_task", "targets_task", "find_template_repeats", "compare_pairs"]


def diff_task(task: tuple) -> list[dict]:
    """Diff a copy against its group's representative; return one row per drift."""
    from ..diff import diff_reports

    group, old, new = task
    head = {"group": group.id, "region": group.region, "year": group.year, "old_doc": old.meta.path, "new_doc": new.meta.path}
    return [{**head, **row} for row in diff_reports(old, new).rows()]


def followup_task(task: tuple) -> list[dict]:
    """Follow a plan into its later reports; return one row per commitment."""
    from ..followup import follow_up

    region, family, plan, later = task
    head = {"region": region, "family": family, "plan_doc": plan.meta.path, "plan_year": plan.year,
            "later_docs": "; ".join(r.meta.path for r in later), "later_years": "; ".join(sorted({str(r.year) for r in later}))}
    return [_followup_row(head, item) for item in follow_up(plan, list(later)).items]


def _followup_row(head: dict, item) -> dict:
    """Return one follow-up row: the commitment, its status and its leading evidence."""
    c, lead = item.commitment, (item.evidence[0] if item.evidence else None)
    return {
        **head, "id": c.id, "status": item.status, "confidence": item.confidence, "overdue": item.overdue, "text": c.text,
        "section": c.section,
        "line": c.line, "deadline": c.deadline.phrase if c.deadline else None, "reason": item.reason,
        "evidence_doc": lead.doc if lead else None, "evidence_role": lead.role if lead else None,
        "evidence_section": lead.section if lead else None, "evidence_text": lead.text if lead else None,
        "evidence_line": lead.line if lead else None, "score": lead.score if lead else None,
    }


def targets_task(task: tuple) -> list[dict]:
    """Judge every quantified target of a plan against its later reports; return one row per target."""
    from ..followup import follow_targets

    region, family, plan, later = task
    head = {"region": region, "family": family, "plan_doc": plan.meta.path, "plan_year": plan.year,
            "later_docs": "; ".join(r.meta.path for r in later), "later_years": "; ".join(sorted({str(r.year) for r in later}))}
    return [{**head, **row} for row in follow_targets(plan, list(later)).rows()]


def _run_pair(job: tuple):
    """Run one per-pair task: (function, arguments)."""
    fn, task = job
    return fn(task)


def find_template_repeats(reports: Sequence[Report]) -> list[dict]:
    """Return the rows of comparer.repeats.find_repeats (repeated commitments, template text)."""
    from ..repeats import find_repeats

    return list(find_repeats(list(reports)).rows())


def compare_pairs(docs, groups, chains, runner, show: bool, clock=None) -> tuple[list, list, list, list]:
    """Run the per-pair stage (and repeats, the longest task, first): return (drift rows, per-link rows, repeats rows, target rows)."""
    from ..report.progress import progress_bar

    def lead(g: int) -> Report:
        return docs[groups[g].members[0]].report

    repeats = [(find_template_repeats, tuple(lead(g) for g in range(len(groups))))]
    links = [(l.region, l.family, lead(l.plan), tuple(lead(h) for h in l.later)) for c in chains for l in c.links]
    follow = [(followup_task, link) for link in links]
    targets = [(targets_task, link) for link in links]
    copies = [(diff_task, (g, docs[g.members[0]].report, docs[m].report)) for g in groups for m in g.members[1:]]
    with progress_bar(1 + 2 * len(follow) + len(copies), "comparing", show) as advance:
        results = runner.map(_run_pair, repeats + follow + targets + copies, advance)
    if clock is not None:
        clock.lap("pairs")
    n = len(follow)
    drift_rows = [row for rows in results[1 + 2 * n:] for row in rows]
    target_rows = [row for rows in results[1 + n:1 + 2 * n] for row in rows]
    return drift_rows, [tuple(rows) for rows in results[1:1 + n]], results[0], target_rows

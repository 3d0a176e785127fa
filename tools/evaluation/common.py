"""Shared pieces of the evaluation tasks: labelled items, per-issuer scores, tables."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "fixtures" / "labels"


def read_jsonl(path: Path) -> list[dict]:
    """Return the JSON objects of a .jsonl file."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Score:
    """Correct out of total for one issuer (or all)."""

    issuer: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Return correct / total (1.0 for no items)."""
        return self.correct / self.total if self.total else 1.0


def per_issuer(outcomes: Iterable[tuple[str, bool]]) -> list[Score]:
    """Return one Score per issuer from (issuer, correct?) pairs, plus a pooled 'all' row last."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for issuer, ok in outcomes:
        counts[issuer][0] += bool(ok)
        counts[issuer][1] += 1
    rows = [Score(issuer, c, t) for issuer, (c, t) in sorted(counts.items())]
    return rows + [Score("all", sum(r.correct for r in rows), sum(r.total for r in rows))]


def leave_one_issuer_out(items: list, issuer_of: Callable, fit: Callable, judge: Callable) -> list[Score]:
    """Score each issuer's items with a model fitted on the other issuers' items only.

    fit(training items) -> model; judge(model, item) -> correct?
    """
    issuers = sorted({issuer_of(item) for item in items})
    outcomes = []
    for held_out in issuers:
        model = fit([item for item in items if issuer_of(item) != held_out])
        outcomes += [(held_out, judge(model, item)) for item in items if issuer_of(item) == held_out]
    return per_issuer(outcomes)


def table(title: str, columns: dict[str, list[Score]]) -> str:
    """Return a Markdown table: one row per issuer, one accuracy column per scoring."""
    issuers = [s.issuer for s in next(iter(columns.values()))]
    lines = [f"### {title}", "", "| issuer | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for i, issuer in enumerate(issuers):
        cells = [f"{scores[i].accuracy:.2f} ({scores[i].correct}/{scores[i].total})" for scores in columns.values()]
        lines.append(f"| {issuer} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

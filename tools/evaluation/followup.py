"""Follow-up status against the hand-made labels (fixtures/cases/followup_*/labels.json).

Scoring rules (fixtures/cases/followup_README.md):
- comparer follows DOMAIN.md: an item reported in the review AND planned again nearly verbatim is
  `repeated`. The two newest pairs (盐田, 龙华) were labelled that way. The four older pairs used
  "reported wins": there a `reported` label whose note says the item comes back in the next plan
  accepts `reported` or `repeated` (the older rule hides which DOMAIN.md would give); `strict`
  columns score the label as written.
- A label is matched to the commitment items its text overlaps in the plan; when it spans
  several items they are combined as comparer combines them (followup.combine).
- Context labels (kind: context) are right when comparer keeps them out of the follow-up.
- Leave-one-issuer-out: the status model is refitted without the held-out issuer's labels
  (status_model.fit_model on the features of the other issuers' labelled texts), then the whole
  follow-up of the held-out pair is run with it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .common import ROOT, Score, per_issuer, table

CASES = ROOT / "fixtures" / "cases"
_AGAIN = re.compile(r"again|repeated verbatim|planned again|再次|reappears|recurs")


@dataclass(frozen=True)
class Label:
    """One labelled plan item."""

    issuer: str
    case: str
    text: str
    status: object  # None for context
    kind: object
    note: str
    older: bool  # labelled under "reported wins"

    def accepts(self, status: str, strict: bool = False) -> bool:
        """Return True when a predicted status agrees with the label under the scoring rules."""
        if status == self.status:
            return True
        return (not strict and self.older and self.status == "reported" and status == "repeated"
                and _AGAIN.search(self.note) is not None)


def fold_label(text: str) -> str:
    """Return a label's plan text in the form of comparer's normalised text."""
    from comparer.normalize import fold

    return re.sub(r"\s+", "", fold(text)).lstrip(";；")


def _doc(name: str) -> Path:
    """Return a labelled document: a path relative to the repository, or a corpus file name."""
    return ROOT / name if (ROOT / name).exists() else ROOT / "fixtures" / "corpus" / name


@lru_cache(maxsize=None)
def pairs() -> tuple:
    """Return (case, issuer, plan report, later report, labels) for every labelled pair."""
    from comparer.load import load_report

    out = []
    for case in sorted(CASES.glob("followup_*/labels.json")):
        data = json.loads(case.read_text("utf-8"))
        plan, later = load_report(_doc(data["plan_doc"])), load_report(_doc(data["later_doc"]))
        issuer = plan.meta.region or case.parent.name
        older = not any("kind" in item for item in data["items"])
        labels = tuple(Label(issuer, case.parent.name, fold_label(i["plan_text"]), i["status"], i.get("kind"),
                             i.get("note") or "", older) for i in data["items"])
        out.append((case.parent.name, issuer, plan, later, labels))
    return tuple(out)


def training_rows(pair_list=None) -> tuple[list, list, list]:
    """Return (feature rows, statuses, issuers) of the labelled texts: what the status model is fitted on.

    Context labels and older `reported` labels planned again (ambiguous under DOMAIN.md) are left
    out, and so is a pair whose later report has no results section (its roles were not found:
    its features say nothing about delivery).
    """
    from comparer.candidates import candidates_of
    from comparer.followup import match_features

    rows, statuses, issuers = [], [], []
    for _, issuer, _, later, labels in pair_list or pairs():
        if not any(s.role == "results" for s in later.all_sections()):
            continue
        usable = [l for l in labels if l.status and not (l.older and l.status == "reported" and _AGAIN.search(l.note))]
        features, _, _ = match_features([l.text for l in usable], candidates_of(later, 0))
        rows += [list(r) for r in features]
        statuses += [l.status for l in usable]
        issuers += [issuer] * len(usable)
    return rows, statuses, issuers


def predicted(plan, later, labels, model=None, options=None) -> list:
    """Return (label, predicted status or None when not followed up) for one pair."""
    from comparer.followup import combine, follow_up

    result = follow_up(plan, [later], model=model, options=options)
    text = plan.norm.text
    out = []
    for label in labels:
        start = text.find(label.text)
        span = (start, start + len(label.text)) if start >= 0 else None
        out.append((label, _status_over(result.items, span, combine) if span else None))
    return out


def _status_over(items, span, combine):
    """Return the combined status of the commitment items a label's span overlaps (None: not followed up)."""
    from comparer.followup import ItemStatus

    covered = []
    for item in items:
        c = item.commitment
        parts = c.items or ((c.start, c.end),)
        statuses = item.items or (ItemStatus(c.text, item.status, item.confidence, item.reason),)
        for (a, b), status in zip(parts, statuses):
            if a < span[1] and span[0] < b and status.status != "context":
                covered.append(status)
    return covered[combine(covered)].status if covered else None


def outcomes(model_for=None, strict: bool = False, kinds=("status",), options_for=None, issuers=None) -> list[tuple[str, bool]]:
    """Return (issuer, right?) per labelled item; model_for / options_for(issuer) give the model and options (None: shipped)."""
    out = []
    for _, issuer, plan, later, labels in pairs():
        if issuers is not None and issuer not in issuers:
            continue
        model = model_for(issuer) if model_for else None
        options = options_for(issuer) if options_for else None
        for label, status in predicted(plan, later, labels, model, options):
            if label.status is None and "context" in kinds:
                out.append((issuer, status is None))
            elif label.status is not None and "status" in kinds:
                out.append((issuer, status is not None and label.accepts(status, strict)))
    return out


def confusion(model_for=None, options_for=None) -> dict:
    """Return {(label status, predicted status or None): count} over the labelled items (accepted predictions count as the label)."""
    from collections import Counter

    counts = Counter()
    for _, issuer, plan, later, labels in pairs():
        model = model_for(issuer) if model_for else None
        options = options_for(issuer) if options_for else None
        for label, status in predicted(plan, later, labels, model, options):
            if label.status is not None:
                counts[(label.status, label.status if status is not None and label.accepts(status) else status)] += 1
    return dict(counts)


def confusion_table(counts: dict, title: str) -> str:
    """Return a Markdown table: one row per labelled status, one column per predicted status (none: not followed up)."""
    from comparer.status_model import STATUSES

    columns = list(STATUSES) + [None]
    lines = [f"### {title}", "", "| label \\ predicted | " + " | ".join(c or "none" for c in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for status in STATUSES:
        lines.append(f"| {status} | " + " | ".join(str(counts.get((status, c), 0)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def loio_models() -> dict:
    """Return {issuer: model fitted without that issuer's labels}."""
    from comparer.status_model import fit_model

    rows, statuses, issuers = training_rows()
    models = {}
    for held_out in sorted(set(issuers)):
        keep = [i for i, issuer in enumerate(issuers) if issuer != held_out]
        models[held_out] = fit_model([rows[i] for i in keep], [statuses[i] for i in keep],
                                     fitted_on=sorted(set(issuers) - {held_out}))
    return models


REPEAT_VERBATIM_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: the rule off


@lru_cache(maxsize=1)
def loio_options() -> dict:
    """Return {issuer: FollowupOptions whose repeat_verbatim is the grid value best on the other issuers} (ties: the rule off)."""
    models, chosen = loio_models(), {}
    with _features_cached():
        for held_out, model in models.items():
            chosen[held_out] = _best_repeat_verbatim(model, set(models) - {held_out})
    return chosen


def _best_repeat_verbatim(model, issuers: set):
    """Return FollowupOptions with the repeat_verbatim of the grid that scores best on the issuers (ties: the rule off)."""
    from dataclasses import replace

    from comparer.options import DEFAULT

    def right(value):
        options = replace(DEFAULT.followup, repeat_verbatim=value)
        return sum(ok for _, ok in outcomes(lambda _: model, options_for=lambda _: options, issuers=issuers))

    return replace(DEFAULT.followup, repeat_verbatim=max(reversed(REPEAT_VERBATIM_GRID), key=right))


@contextmanager
def _features_cached():
    """Memoise comparer.followup.match_features during a threshold search: the features depend only on the texts."""
    import comparer.followup as followup

    original, memo = followup.match_features, {}

    def cached(queries, candidates):
        key = (tuple(queries), tuple(candidates))
        if key not in memo:
            memo[key] = original(queries, candidates)
        return memo[key]

    followup.match_features = cached
    try:
        yield
    finally:
        followup.match_features = original


def scores() -> dict[str, list[Score]]:
    """Return the accuracy columns: shipped model, leave-one-issuer-out, strict, context kept out."""
    models, options = loio_models(), loio_options()
    return {
        "shipped model": per_issuer(outcomes()),
        "leave-one-issuer-out": per_issuer(outcomes(models.get, options_for=options.get)),
        "leave-one-issuer-out, strict": per_issuer(outcomes(models.get, strict=True, options_for=options.get)),
        "context kept out": per_issuer(outcomes(kinds=("context",))),
    }


def report() -> str:
    """Return the follow-up accuracy tables, the thresholds chosen per held-out issuer and the leave-one-issuer-out confusion matrix."""
    columns = scores()
    context = columns.pop("context kept out")
    text = table("Follow-up status accuracy (labelled pairs)", columns)
    options = loio_options()
    chosen = ", ".join(f"{issuer} {o.repeat_verbatim}" for issuer, o in sorted(options.items()))
    text += f"\nrepeat_verbatim chosen without each issuer: {chosen}\n"
    matrix = confusion_table(confusion(loio_models().get, options.get), "Follow-up status confusion (leave-one-issuer-out)")
    return text + "\n" + matrix + "\n" + table("Context sentences kept out of the follow-up", {"context kept out": context})

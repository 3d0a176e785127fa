"""Follow a plan's commitments into later reports: reported, repeated, shortfall or missing, with a confidence.

Each commitment is split into the items it bundles (one per action verb or target), each item is
matched against every clause of the later reports (by section role), and a small logistic model
fitted on hand-labelled pairs turns the match features into a status with its probability. A
quantified target answered by a figure for the same indicator decides first (targets.py). The
commitment takes the status of its leading item. Context sentences (preambles, slogans, topic
lines, situation sentences) are not commitments and are not followed up.
"""
from __future__ import annotations

import re
from dataclasses import field
from typing import Optional, Sequence

from .candidates import Candidate, candidates_of
from .commitments import Commitment, commitment_dict, extract_commitments
from .models import Notice, Report, notices_of
from .options import DEFAULT
from .record import record

__all__ = [
    "Candidate", "Evidence", "FollowedUp", "ItemStatus", "FollowupResult", "follow_up", "candidates_of",
    "check_inputs", "match_features", "combine", "follow_targets", "ROLES_MATCHED",
]

ROLES_MATCHED = ("results", "plan", "shortcomings")
SUBJECT_ROLES = ("results", "plan")  # roles whose clauses are searched for an item's subject nouns
_LEAD = {"reported": "results", "repeated": "plan", "shortfall": "shortcomings"}
_QUOTED = re.compile(r'"([^"]{2,20})"|《([^》]{2,40})》')


@record
class Evidence:
    """Where a later report speaks of a commitment, and how strongly."""

    doc: str
    section: str
    role: str
    text: str
    line: int
    score: float
    terms: tuple = ()


@record
class ItemStatus:
    """One item of a bundled commitment with its own status and confidence."""

    text: str
    status: str
    confidence: float
    reason: str = ""


@record
class FollowedUp:
    """A commitment with its follow-up status, the confidence of that status and the evidence for it."""

    commitment: Commitment
    status: str  # reported | repeated | shortfall | missing
    overdue: bool
    evidence: tuple
    reason: str = ""
    confidence: float = 0.0
    items: tuple = ()


def check_inputs(plan: Report, later: Sequence[Report]) -> list[Notice]:
    """Return warnings about later reports that cannot follow the plan up: not later, another issuer, the plan itself."""
    out = []
    for report in later:
        where = report.meta.path
        if report is plan or report.raw.text == plan.raw.text:
            out.append(Notice(where, "is the plan itself, not a later report"))
            continue
        if plan.year and report.year and report.year <= plan.year:
            out.append(Notice(where, f"is not later than the plan ({report.year} <= {plan.year})"))
        mine, theirs = plan.meta.region or plan.meta.issuer, report.meta.region or report.meta.issuer
        if mine and theirs and mine != theirs:
            out.append(Notice(where, f"is from another issuer ({theirs}, the plan is {mine})"))
        if not any(s.role == "results" for s in report.all_sections()):
            out.append(Notice(where, "has no results section: nothing can be reported as delivered"))
    return out


def follow_up(plan: Report, later: Sequence[Report], model=None, options=None) -> "FollowupResult":
    """Return the follow-up status of every commitment of plan in the later reports (options: a FollowupOptions variant)."""
    from .status_model import load_model

    warnings = tuple(check_inputs(plan, later))
    commitments = [c for c in extract_commitments(plan) if c.kind != "context"]
    candidates = [c for doc, report in enumerate(later) for c in candidates_of(report, doc)]
    if not commitments or not candidates:
        items = [FollowedUp(c, "missing", _overdue(c, later, "missing"), (), confidence=1.0) for c in commitments]
        return FollowupResult(plan, tuple(later), tuple(items), input_warnings=warnings)
    judged = _Judge(tuple(later), candidates, model or load_model(DEFAULT.followup.model), options or DEFAULT.followup)
    return FollowupResult(plan, tuple(later), tuple(judged.commitments(plan, commitments)), input_warnings=warnings)


def follow_targets(plan: Report, later: Sequence[Report], warnings: Sequence[Notice] = ()) -> "TargetsResult":
    """Return every quantified target of a plan's commitments with its verdict in the later reports."""
    from .targets import TargetResult, TargetsResult, judge, realised_figures, targets_in

    realised = realised_figures(later)
    rows = []
    for commitment in extract_commitments(plan):
        if commitment.kind == "context":
            continue
        for target in targets_in(commitment.text, commitment.line):
            verdict, answer, confidence = judge(target, realised)
            rows.append(TargetResult(target, commitment.id, verdict, answer, confidence))
    return TargetsResult(plan, tuple(later), tuple(rows), tuple(warnings))


def match_features(queries: Sequence[str], candidates: Sequence[Candidate]):
    """Return (features per query as rows in status_model.FEATURES order, scores, best candidate per role)."""
    import numpy as np

    from .features import alias_pairs, with_aliases
    from .retrieval import build_index

    texts = [c.text for c in candidates]
    aliases = alias_pairs(list(queries) + texts)
    index = build_index([with_aliases(q, aliases) for q in queries], [with_aliases(t, aliases) for t in texts])
    weight = DEFAULT.followup.coverage_weight
    scores = weight * index.coverage() + (1 - weight) * index.cosine()
    roles = np.array([c.role for c in candidates])
    best, columns = {}, {}
    for role in ROLES_MATCHED:
        masked = np.where(roles == role, scores, -1.0)
        best[role] = masked.argmax(axis=1)
        columns[role + "_best"] = np.maximum(masked[np.arange(len(queries)), best[role]], 0.0)
        columns[role + "_section"] = _section_coverage(index, roles == role)
        columns["names_" + role] = _names_found(queries, [c.text for c in candidates if c.role == role])
        columns[role + "_anchor"], columns[role + "_shared"] = _anchors(index, best[role], roles == role)
    rare = _rare_coverage(index)
    for role in ROLES_MATCHED:
        masked = np.where(roles == role, rare, -1.0)
        columns[role + "_rare"] = np.maximum(masked.max(axis=1), 0.0)
    columns.update(_subject_columns(queries, texts, roles, best))
    columns["plan_verbatim"] = _verbatim(queries, [texts[j] for j in best["plan"]], roles[best["plan"]] == "plan")
    columns["results_verbatim"] = _verbatim(queries, [texts[j] for j in best["results"]], roles[best["results"]] == "results")
    columns["plan_over_results"] = columns["plan_best"] - columns["results_best"]
    columns["length"] = np.log1p([len(q) for q in queries])
    from .status_model import FEATURES

    return np.column_stack([columns[name] for name in FEATURES]), scores, best


def _anchors(index, best, mask):
    """Return, per query, the rarest shared term with its best candidate (idf relative to the query's rarest) and log1p(shared terms)."""
    import numpy as np

    if not mask.any():
        return np.zeros(index.queries.shape[0]), np.zeros(index.queries.shape[0])
    present = (index.queries > 0).astype(float)
    shared = present.multiply(index.candidates[best]).tocsr()
    idf = index.idf
    rarest_shared = np.asarray(shared.multiply(idf).max(axis=1).todense()).ravel()
    rarest_own = np.asarray(present.multiply(idf).max(axis=1).todense()).ravel()
    ratio = np.divide(rarest_shared, rarest_own, out=np.zeros_like(rarest_own), where=rarest_own > 0)
    return ratio, np.log1p(np.asarray(shared.sum(axis=1)).ravel())


def _subject_columns(queries: Sequence[str], texts: list[str], roles, best: dict) -> dict:
    """Return per role the share of each query's subject nouns (idf-weighted) found in its best match, in any one clause, anywhere in the role."""
    import numpy as np

    from .features import subject_hits

    weights, hits = subject_hits(queries, texts)
    shares = weights @ hits
    rows = np.arange(len(queries))
    out = {}
    for role in SUBJECT_ROLES:
        mask = roles == role
        matched = roles[best[role]] == role
        out[role + "_subject"] = np.where(matched, shares[rows, best[role]], 0.0)
        out[role + "_subject_max"] = shares[:, mask].max(axis=1) if mask.any() else np.zeros(len(queries))
        out[role + "_subject_section"] = weights @ hits[:, mask].max(axis=1) if mask.any() else np.zeros(len(queries))
    return out


def _verbatim(queries: Sequence[str], matches: Sequence[str], valid) -> list:
    """Return the share of each query's characters that its match repeats in runs of four or more (planned again word for word)."""
    return [_repeated_share(query, match) if ok else 0.0 for query, match, ok in zip(queries, matches, valid)]


def _repeated_share(query: str, match: str, run: int = 4) -> float:
    """Return the share of query's characters inside runs of at least `run` characters that match also holds."""
    covered, i = 0, 0
    while i <= len(query) - run:
        j = i + run
        if query[i:j] not in match:
            i += 1
            continue
        while j < len(query) and query[i:j + 1] in match:
            j += 1
        covered, i = covered + j - i, j
    return covered / max(len(query), 1)


def _rare_coverage(index):
    """Return the share of each query's squared-idf term weight found in each candidate: rare terms (names) count most."""
    from .retrieval import _row_normalized

    rare = _row_normalized(index.queries.multiply(index.idf).tocsr(), "l1")
    return (rare @ index.candidates.T).toarray()


def _section_coverage(index, mask):
    """Return the share of each query's term weight found anywhere in the candidates of one role."""
    import numpy as np

    if not mask.any():
        return np.zeros(index.queries.shape[0])
    present = np.asarray(index.candidates[np.flatnonzero(mask)].sum(axis=0) > 0, dtype=float).ravel()
    return np.asarray(index.queries @ present).ravel()


def _names_found(queries: Sequence[str], texts: list[str]):
    """Return the share of each query's quoted names (“一网通办”, 《…》) found in the texts (0 without names)."""
    joined = "\n".join(texts)
    out = []
    for query in queries:
        names = [a or b for a, b in _QUOTED.findall(query)]
        out.append(sum(name in joined for name in names) / len(names) if names else 0.0)
    return out


class _Judge:
    """Scores every item of every commitment once and decides their statuses."""

    def __init__(self, later: tuple, candidates: list, model, options):
        self.later, self.candidates, self.model, self.options = later, candidates, model, options

    def commitments(self, plan: Report, commitments: list[Commitment]) -> list[FollowedUp]:
        """Return the followed-up commitments, items scored together in one index."""
        from .targets import realised_figures

        text = plan.norm.text
        spans = [(i, a, b) for i, c in enumerate(commitments) for (a, b), kind in _items_of(c) if kind != "context"]
        queries = [text[a:b].strip(" ,，。;；") or commitments[i].text for i, a, b in spans]
        rows, self.scores, self.best = match_features(queries, self.candidates)
        probabilities = self.model.probabilities(rows)
        self.realised = realised_figures(self.later)
        judged = {(i, a): self._item(k, queries[k], probabilities[k], rows[k]) for k, (i, a, _) in enumerate(spans)}
        out = []
        for i, c in enumerate(commitments):
            context = (ItemStatus(c.text, "context", 1.0), ())
            out.append(self._followed(c, [judged.get((i, a), context) for (a, _), _ in _items_of(c)]))
        return out

    def _item(self, k: int, query: str, probability, row) -> tuple:
        """Return (ItemStatus, evidence) for one item: a figure verdict first, else the model's most likely status.

        A status other than missing must show its evidence: a status whose role has no match at the
        evidence floor is ruled out and the probabilities of the others are renormalised (the confidence).
        """
        from .status_model import FEATURES

        evidence = self._evidence(k, query)
        verdict = self._figure_verdict(query)
        if verdict is not None:
            met, reason, extra, strength, target = verdict
            repeated_verbatim = row[FEATURES.index("plan_over_results")] >= self.options.verbatim_margin
            status = "repeated" if met and repeated_verbatim and self._set_again(k, target) else ("reported" if met else "shortfall")
            return ItemStatus(query, status, strength, reason), extra + evidence
        admitted = row[FEATURES.index("shortcomings_best")]
        if admitted >= self.options.shortcoming_threshold and admitted > max(row[FEATURES.index("results_best")], row[FEATURES.index("plan_best")]):
            lead = self._lead_evidence(k, query, "shortfall")
            return ItemStatus(query, "shortfall", round(min(1.0, float(admitted)), 3), "admitted as a shortcoming"), (lead,) + evidence
        leads = {status: self._lead_evidence(k, query, status) for status in self.model.classes}
        allowed = [j for j, status in enumerate(self.model.classes) if status == "missing" or leads[status] is not None]
        # A status without evidence in its role is impossible here: renormalise over the possible ones.
        best = max(allowed, key=lambda j: probability[j])
        confidence = float(probability[best]) / max(float(sum(probability[j] for j in allowed)), 1e-9)
        status, lead = self.model.classes[best], leads[self.model.classes[best]]
        if status == "reported" and leads["repeated"] is not None and row[FEATURES.index("plan_verbatim")] >= self.options.repeat_verbatim:
            status, lead = "repeated", leads["repeated"]  # DOMAIN.md: reported and planned again almost verbatim is a repeat
        extra = () if lead is None or lead in evidence else (lead,)
        return ItemStatus(query, status, round(confidence, 3)), extra + evidence

    def _lead_evidence(self, k: int, query: str, status: str) -> Optional[Evidence]:
        """Return the best candidate in the role a status rests on, if it is strong enough to be shown as evidence."""
        role = _LEAD.get(status)
        if role is None:
            return None
        j = int(self.best[role][k])
        score = float(self.scores[k, j])
        cand = self.candidates[j]
        if cand.role != role or score < self.options.evidence_floor:
            return None
        return self._evidence_of(query, cand, score)

    def _evidence_of(self, query: str, cand: Candidate, score: float) -> Evidence:
        """Return one evidence record with the distinctive terms it shares with the item."""
        from .features import shared_phrases

        terms = tuple(shared_phrases(query, cand.text))
        return Evidence(self.later[cand.doc].meta.path, cand.section, cand.role, cand.text, cand.line, round(score, 3), terms)

    def _figure_verdict(self, query: str) -> Optional[tuple]:
        """Return (met?, reason, evidence, confidence, target) when a realised figure answers a target of the item."""
        from .targets import judge, targets_in

        for target in targets_in(query):
            verdict, answer, confidence = judge(target, self.realised)
            if answer is None:
                continue
            where = answer.doc.replace("\\", "/").rsplit("/", 1)[-1]
            reason = f"target {verdict}: planned {target.indicator} {target.raw}, reported {answer.subject} {answer.figure.raw} ({where} L{answer.line})"
            role = "results"
            evidence = (Evidence(answer.doc, answer.section, role, answer.text, answer.line, answer.specificity,
                                 (answer.subject, answer.figure.raw)),)
            return verdict == "met", reason, evidence, confidence, target
        return None

    def _set_again(self, k: int, target) -> bool:
        """Return True when the item's best plan match sets the same value again (a quota renewed, DOMAIN.md: a repeat).

        A recurring indicator with a new value (GDP 增长5%左右 after 5.2%) is a new target, not a repeat.
        """
        from .targets import targets_in

        cand = self.candidates[int(self.best["plan"][k])]
        return cand.role == "plan" and any(t.value == target.value and t.unit == target.unit for t in targets_in(cand.text))

    def _evidence(self, k: int, query: str) -> tuple:
        """Return the best candidate of each role for item k that clears the evidence floor."""
        out = []
        for role in ROLES_MATCHED:
            j = int(self.best[role][k])
            score = float(self.scores[k, j])
            cand = self.candidates[j]
            if cand.role == role and score >= self.options.evidence_floor:
                out.append(self._evidence_of(query, cand, score))
        return tuple(out)

    def _followed(self, commitment: Commitment, judged: list) -> FollowedUp:
        """Combine the items of one commitment into its status, confidence and evidence."""
        items = [status for status, _ in judged]
        if all(item.status == "context" for item in items):  # a target-less commitment of context items only
            items = [ItemStatus(commitment.text, "missing", 1.0)]
        lead = combine(items)
        evidence = _ordered(tuple(e for _, ev in judged for e in ev), items[lead].status)
        status = items[lead].status
        return FollowedUp(commitment, status, _overdue(commitment, self.later, status), evidence, items[lead].reason,
                          items[lead].confidence, tuple(items) if len(items) > 1 else ())


def _items_of(commitment: Commitment) -> list:
    """Return ((start, end), kind) for each item of a commitment (the whole commitment when it has none)."""
    spans = commitment.items or ((commitment.start, commitment.end),)
    kinds = commitment.item_kinds or (commitment.kind,) * len(spans)
    return list(zip(spans, kinds))


def combine(items: Sequence[ItemStatus]) -> int:
    """Return the index of the item that decides a bundled commitment's status.

    A figure verdict on any item is the most checkable statement and wins; otherwise a commitment
    is reported when any of its items is (partial delivery counts, DOMAIN.md), else repeated when
    any item is planned again, else shortfall, else missing. (Chosen against "first item",
    "majority" and "most confident item" on the labelled pairs: tools/evaluation/followup.py.)
    """
    for index, item in enumerate(items):
        if item.reason and item.status != "context":
            return index
    for status in ("reported", "repeated", "shortfall", "missing"):
        found = next((index for index, item in enumerate(items) if item.status == status), None)
        if found is not None:
            return found
    return 0


def _ordered(evidence: tuple, status: str) -> tuple:
    """Put the evidence of the deciding role first, strongest first, without duplicates."""
    lead = _LEAD.get(status)
    seen, out = set(), []
    for e in sorted(evidence, key=lambda e: (e.role != lead, -e.score)):
        if (e.doc, e.line, e.text) not in seen:
            seen.add((e.doc, e.line, e.text))
            out.append(e)
    return tuple(out)


def _overdue(commitment: Commitment, later: Sequence[Report], status: str) -> bool:
    """Return True when the commitment's own dated deadline passed by the last later report without a report."""
    deadline = commitment.deadline
    years = [r.year for r in later if r.year]
    if status == "reported" or deadline is None or deadline.recurring or deadline.year is None or not years:
        return False
    return deadline.year <= max(years)


def _evidence_dict(e: Evidence) -> dict:
    """Return evidence in JSON form."""
    return {"doc": e.doc, "section": e.section, "role": e.role, "text": e.text, "line": e.line, "score": e.score, "terms": list(e.terms)}


@record
class FollowupResult:
    """Follow-up of one plan's commitments; owns the exit code."""

    plan: Report
    later: tuple
    items: tuple
    explain: bool = field(default=False, compare=False)
    input_warnings: tuple = field(default=())  # check_inputs: not later, another issuer, the plan itself
    KIND = "followup"
    SCHEMA = "comparer.followup/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about the inputs: how they were read (models.Notice) and whether they fit together."""
        return tuple(dict.fromkeys(notices_of([self.plan, *self.later]) + tuple(self.input_warnings)))

    @property
    def exit_code(self) -> int:
        """Return 0 when every commitment was reported, 1 otherwise."""
        return 0 if all(item.status == "reported" for item in self.items) else 1

    @property
    def summary(self) -> dict:
        """Count commitments per status."""
        counts = {s: sum(1 for i in self.items if i.status == s) for s in ("reported", "repeated", "shortfall", "missing")}
        return {**counts, "overdue": sum(1 for i in self.items if i.overdue), "commitments": len(self.items)}

    def to_dict(self) -> dict:
        """Return the comparer.followup/1 JSON form."""
        return {"schema": self.SCHEMA, "plan": self.plan.meta.to_dict(), "later": [r.meta.to_dict() for r in self.later],
                "commitments": [self._item(i) for i in self.items], "summary": self.summary}

    def _item(self, item: FollowedUp) -> dict:
        """Return one commitment with its status, confidence, items and evidence."""
        data = commitment_dict(item.commitment)
        data.update(status=item.status, confidence=item.confidence, overdue=item.overdue, reason=item.reason,
                    items=[{"text": i.text, "status": i.status, "confidence": i.confidence} for i in item.items],
                    evidence=[_evidence_dict(e) for e in item.evidence])
        return data

    def rows(self) -> list[dict]:
        """Return one flat row per commitment with its leading evidence."""
        out = []
        for item in self.items:
            lead = item.evidence[0] if item.evidence else None
            out.append({
                "id": item.commitment.id, "status": item.status, "confidence": item.confidence, "overdue": item.overdue,
                "text": item.commitment.text, "section": item.commitment.section, "line": item.commitment.line,
                "reason": item.reason, "evidence_doc": lead.doc if lead else None,
                "evidence_role": lead.role if lead else None, "evidence_text": lead.text if lead else None,
                "evidence_line": lead.line if lead else None, "score": lead.score if lead else None,
                **({"terms": ", ".join(lead.terms) if lead else ""} if self.explain else {}),
            })
        return out

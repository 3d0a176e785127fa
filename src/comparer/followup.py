"""Follow a plan's commitments into later reports: reported, repeated, shortfall or missing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .commitments import Commitment, commitment_dict, extract_commitments
from .patterns import split_sentences
from .models import Report, notices_of

__all__ = ["Candidate", "Evidence", "FollowedUp", "FollowupResult", "follow_up", "candidates_of", "THRESHOLDS"]

# Score needed for a match in each role: 0.6 * share of the commitment's term weight found
# in the candidate + 0.4 * cosine. Chosen after labelling, as the balance point of the two
# labelled pairs (fixtures/cases/followup_*): lower thresholds call more items reported.
THRESHOLDS = {"results": 0.12, "plan": 0.15, "shortcomings": 0.2}
_EVIDENCE_FLOOR = 0.12  # weaker matches are shown as evidence but decide nothing
_DELIVERED = ("results",)
_VERBATIM = 0.8  # a plan match this strong is the sentence planned again almost word for word
_VERBATIM_MARGIN = 0.3  # ... and clearly stronger than anything the review says
_LEAD_IN_CHARS = 14  # a sentence this short is a topic line, not a report of work
_SAME_INDICATOR = 0.75  # figures.same_indicator score for "the same indicator"
_TARGET_CONTEXT = 0.04  # a result figure counts only in a sentence that shares terms with the commitment
# A review often admits problems inside its results section ("在总结成绩的同时…不足").
_ADMITS = re.compile(r"困难和不足|存在不足|不足之处|短板|差距|有待|仍需|不够|尚未|薄弱|不到位|问题仍")


@dataclass(frozen=True)
class Candidate:
    """A sentence or clause of a later report that may answer a commitment."""

    doc: int
    text: str
    section: str
    role: str
    line: int
    start: int


@dataclass(frozen=True)
class Evidence:
    """Where a later report speaks of a commitment, and how strongly."""

    doc: str
    section: str
    role: str
    text: str
    line: int
    score: float
    terms: tuple = ()


@dataclass(frozen=True)
class FollowedUp:
    """A commitment with its follow-up status and the evidence for it."""

    commitment: Commitment
    status: str  # reported | repeated | shortfall | missing
    overdue: bool
    evidence: tuple
    reason: str = ""


def candidates_of(report: Report, doc: int) -> list[Candidate]:
    """Return every sentence clause of a report with the role of its section."""
    text = report.norm.text
    out: list[Candidate] = []
    for section in report.all_sections():
        if section.level == "inline":
            continue
        children = [c for c in section.children if c.level != "inline"]
        end = children[0].start if children else section.end
        for start_at, end_at in _with_lead_ins(text, split_sentences(text[section.body_start : end], section.body_start)):
            out.extend(_clauses(report, doc, section, start_at, end_at))
    return out


def _with_lead_ins(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a short lead-in sentence (a topic line such as 严格落实重大行政决策制度。) to the sentence after it.

    A lead-in names a topic, not a deed: alone it matches any plan item on that topic.
    """
    out: list[tuple[int, int]] = []
    pending = None  # start of a lead-in waiting for its sentence
    for start, end in spans:
        if pending is not None and "\n" not in text[pending:start]:
            start = pending
        elif pending is not None:
            out.append((pending, pending_end))
        pending = None
        if end - start <= _LEAD_IN_CHARS:
            pending, pending_end = start, end
        else:
            out.append((start, end))
    if pending is not None:
        out.append((pending, pending_end))
    return out


def _clauses(report: Report, doc: int, section, start: int, end: int) -> list[Candidate]:
    """Split one sentence at ；/; into candidates (the inline item's role wins)."""
    text = report.norm.text
    out, cursor = [], start
    for piece in text[start:end].replace("；", ";").split(";"):
        if len(piece.strip()) >= 4:
            role = "shortcomings" if section.role == "results" and _ADMITS.search(piece) else section.role
            out.append(Candidate(doc, piece.strip(), section.path, role, report.norm.line_at(cursor), cursor))
        cursor += len(piece) + 1
    return out


def follow_up(plan: Report, later: Sequence[Report]) -> "FollowupResult":
    """Return the follow-up status of every commitment of plan in the later reports."""
    from .retrieval import build_index

    commitments = extract_commitments(plan)
    candidates = [c for doc, report in enumerate(later) for c in candidates_of(report, doc)]
    if not commitments or not candidates:
        items = [FollowedUp(c, "missing", _overdue(c, later, "missing"), ()) for c in commitments]
        return FollowupResult(plan, tuple(later), tuple(items))
    index = build_index([c.text for c in commitments], [c.text for c in candidates])
    scores = 0.6 * index.coverage() + 0.4 * index.cosine()
    by_role = _best_by_role(scores, candidates)
    found = _Found(candidates, tuple(later), [c.text for c in commitments], _result_figures(candidates), scores)
    items = [_decide(i, c, _row_best(by_role, i), found) for i, c in enumerate(commitments)]
    return FollowupResult(plan, tuple(later), tuple(items))


@dataclass(frozen=True)
class _Found:
    """What retrieval found, shared by every commitment's decision."""

    candidates: list
    later: tuple
    texts: list  # commitment texts, by commitment index
    results_figures: list  # (figure, candidate index) in results sentences
    scores: object  # commitments x candidates


def _best_by_role(scores, candidates: list[Candidate]) -> dict:
    """Return {role: (best candidate index per commitment, its score)} as arrays."""
    import numpy as np

    roles = np.array([c.role for c in candidates])
    out = {}
    for role in THRESHOLDS:
        masked = np.where(roles == role, scores, -1.0)
        best = masked.argmax(axis=1)
        out[role] = (best, masked[np.arange(len(scores)), best])
    return out


def _row_best(by_role: dict, i: int) -> dict:
    """Return {role: (candidate index or None, score)} for commitment i."""
    out = {}
    for role, (best, score) in by_role.items():
        out[role] = (int(best[i]), float(score[i])) if score[i] > 0 else (None, 0.0)
    return out


def _decide(i: int, commitment: Commitment, best: dict, found: _Found) -> FollowedUp:
    """Choose the status of one commitment from its best match in each role."""
    later = found.later
    evidence = tuple(_evidence(i, j, s, found) for role, (j, s) in best.items() if j is not None and s >= _EVIDENCE_FLOOR)
    target = _target_verdict(i, commitment, found)
    if target is not None:
        status, reason, extra = target
        return FollowedUp(commitment, status, _overdue(commitment, later, status), extra + evidence, reason)
    status = next((s for s, role in (("reported", "results"), ("repeated", "plan"), ("shortfall", "shortcomings"))
                   if best[role][1] >= THRESHOLDS[role]), "missing")
    if best["plan"][1] >= _VERBATIM and best["plan"][1] >= best["results"][1] + _VERBATIM_MARGIN:
        status = "repeated"  # planned again almost word for word: a repeat, whatever the review says of related work
    return FollowedUp(commitment, status, _overdue(commitment, later, status), _ordered(evidence, status))


def _ordered(evidence: tuple, status: str) -> tuple:
    """Put the evidence of the deciding role first."""
    lead = {"reported": "results", "repeated": "plan", "shortfall": "shortcomings"}.get(status)
    return tuple(sorted(evidence, key=lambda e: (e.role != lead, -e.score)))


def _evidence(i: int, j: int, score: float, found: _Found) -> Evidence:
    """Build the evidence record for commitment i and candidate j."""
    from .features import shared_phrases

    cand = found.candidates[j]
    terms = tuple(shared_phrases(found.texts[i], cand.text))
    return Evidence(found.later[cand.doc].meta.path, cand.section, cand.role, cand.text, cand.line, round(score, 3), terms)


def _result_figures(candidates: list[Candidate]) -> list[tuple]:
    """Return (figure, candidate index) for every figure in a results sentence."""
    from .figures import extract_figures

    return [(f, j) for j, c in enumerate(candidates) if c.role in _DELIVERED for f in extract_figures(c.text)]


def _target_verdict(i: int, commitment: Commitment, found: _Found) -> Optional[tuple]:
    """Judge a quantified target by the same indicator in a results sentence about the same thing."""
    from .figures import meets_target, same_indicator

    row = found.scores[i]
    for target in commitment.targets:
        scored = [(same_indicator(target, f), f, j) for f, j in found.results_figures if row[j] >= _TARGET_CONTEXT]
        scored = [s for s in scored if s[0] >= _SAME_INDICATOR]
        if not scored:
            continue
        similarity, figure, j = max(scored, key=lambda s: (s[0], row[s[2]]))
        met = meets_target(target, figure)
        if met is None:
            continue
        cand = found.candidates[j]
        evidence = (Evidence(found.later[cand.doc].meta.path, cand.section, cand.role, cand.text, cand.line, round(similarity, 3), (figure.subject, figure.raw)),)
        verdict = "met" if met else "missed"
        return ("reported" if met else "shortfall", f"target {verdict}: planned {target.raw}, reported {figure.raw}", evidence)
    return None


def _overdue(commitment: Commitment, later: Sequence[Report], status: str) -> bool:
    """Return True when a dated commitment's deadline passed by the last later report without a report."""
    deadline = commitment.deadline
    years = [r.year for r in later if r.year]
    if status == "reported" or deadline is None or deadline.recurring or deadline.year is None or not years:
        return False
    return deadline.year <= max(years)


def _evidence_dict(e: Evidence) -> dict:
    """Return evidence in JSON form."""
    return {"doc": e.doc, "section": e.section, "role": e.role, "text": e.text, "line": e.line, "score": e.score, "terms": list(e.terms)}


@dataclass(frozen=True)
class FollowupResult:
    """Follow-up of one plan's commitments; owns the exit code."""

    plan: Report
    later: tuple
    items: tuple
    explain: bool = field(default=False, compare=False)
    KIND = "followup"
    SCHEMA = "comparer.followup/1"

    @property
    def warnings(self) -> tuple:
        """Return the warnings about reading and normalising the inputs (see models.Notice)."""
        return notices_of([self.plan, *self.later])

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
        """Return one commitment with its status and evidence."""
        data = commitment_dict(item.commitment)
        data.update(status=item.status, overdue=item.overdue, reason=item.reason, evidence=[_evidence_dict(e) for e in item.evidence])
        return data

    def rows(self) -> list[dict]:
        """Return one flat row per commitment with its leading evidence."""
        out = []
        for item in self.items:
            lead = item.evidence[0] if item.evidence else None
            out.append({
                "id": item.commitment.id, "status": item.status, "overdue": item.overdue, "text": item.commitment.text,
                "section": item.commitment.section, "line": item.commitment.line, "reason": item.reason,
                "evidence_role": lead.role if lead else None, "evidence_doc": lead.doc if lead else None,
                "evidence_text": lead.text if lead else None,
                "evidence_line": lead.line if lead else None, "score": lead.score if lead else None,
                **({"terms": ", ".join(lead.terms) if lead else ""} if self.explain else {}),
            })
        return out

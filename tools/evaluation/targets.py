"""Figure verdicts against fixtures/labels/targets.jsonl (targets read by hand, answers looked up by hand).

- right indicator: the realised figure comparer chose is the labelled one (same later line, its
  number in the labelled realised text), or comparer chose none where the label is not-reported.
  A labelled target comparer did not extract counts as wrong.
- verdict: met / missed / not-reported agrees with the label.
- pairing: a label goes to comparer's target on its line with the closest value, then the one whose
  indicator lies in the label's target_text, then the one whose indicator is the label's (never by answer).
- not-target: a number inside a name, an ordinal or a programme count that comparer did NOT take as a target.
The target rules have no fitted parameters besides TargetOptions (min_specificity, magnitude_range),
so leave-one-issuer-out equals the per-issuer score; the table says so rather than repeat it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .common import LABELS, ROOT, per_issuer, read_jsonl, table
from .followup import fold_label
from comparer.targets import _core

_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4}


def rows() -> list[dict]:
    """Return the labelled rows of targets.jsonl."""
    return read_jsonl(LABELS / "targets.jsonl")


@lru_cache(maxsize=None)
def _report(path: str):
    """Return a loaded report (cached)."""
    from comparer.load import load_report

    return load_report(ROOT / path)


@lru_cache(maxsize=None)
def _judged(plan: str, later: str):
    """Return comparer's targets of a plan judged against one later report."""
    from comparer.followup import follow_targets

    return follow_targets(_report(plan), [_report(later)]).items


@lru_cache(maxsize=None)
def _plan_targets(plan: str) -> tuple:
    """Return every target comparer reads in a plan's commitments (for the not-target rows)."""
    from comparer.commitments import extract_commitments
    from comparer.targets import targets_in

    return tuple(t for c in extract_commitments(_report(plan)) if c.kind != "context" for t in targets_in(c.text, c.line))


def issuer_of(row: dict) -> str:
    """Return the issuer of a labelled row (its plan document's region)."""
    return _report(row["plan_doc"]).meta.region or row["plan_doc"]


def _value(value: float, unit: str) -> float:
    """Return a labelled value at comparer's scale (1100 万人 -> 1.1e7)."""
    for prefix, scale in _SCALE.items():
        if unit and unit.startswith(prefix) and unit != prefix:
            return value * scale
    return value


def match(row: dict):
    """Return comparer's judged target for a labelled target row, or None when it was not extracted."""
    text = fold_label(row["target_text"])
    found = [r for r in _judged(row["plan_doc"], row["later_doc"])
             if r.target.raw in text and (r.target.line == row["plan_line"] or text in r.target.text)]
    if len(found) > 1:  # the same figure twice on a line (增长7%左右 for two indicators): the one whose words the label holds
        goal = _value(row["value"], row["unit"])
        found.sort(key=lambda r: (abs(r.target.value - goal) / max(goal, 1e-9), _core(r.target.indicator or "") not in text,
                                  _core(r.target.indicator or "") != _core(row.get("indicator") or "")))
    return found[0] if found else None


def right_indicator(row: dict) -> bool:
    """Return True when comparer chose the labelled realised figure, or rightly none."""
    judged = match(row)
    if judged is None:
        return False
    if row["verdict"] == "not-reported":
        return judged.answer is None
    answer = judged.answer
    realised = fold_label(row["realised_text"] or "")
    return answer is not None and answer.line == row["later_line"] and _number_in(answer.figure.raw, realised)


def _number_in(raw: str, text: str) -> bool:
    """Return True when the number of a figure occurs in a text."""
    number = re.match(r"[\d.,]+|[零〇一二两三四五六七八九十百千万亿]+", raw)
    return bool(number) and number.group(0) in text


def right_verdict(row: dict) -> bool:
    """Return True when comparer's verdict equals the label's."""
    judged = match(row)
    return judged is not None and judged.verdict == row["verdict"]


def not_target_kept_out(row: dict) -> bool:
    """Return True when no target comparer reads lies inside a labelled not-target text."""
    text = fold_label(row["text"])
    return not any(t.line == row["plan_line"] and t.raw in text and _inside(t, text) for t in _plan_targets(row["plan_doc"]))


def _inside(target, text: str) -> bool:
    """Return True when the target's own clause contains the not-target text around its number."""
    start = target.text.find(target.raw)
    window = target.text[max(0, start - 12):start + len(target.raw) + 12]
    return any(text[i:i + 4] in window for i in range(0, max(1, len(text) - 3)))


def report() -> str:
    """Return the figure-verdict tables."""
    labelled = [r for r in rows() if r["kind"] == "target"]
    negatives = [r for r in rows() if r["kind"] == "not-target"]
    columns = {
        "right indicator": per_issuer((issuer_of(r), right_indicator(r)) for r in labelled),
        "verdict": per_issuer((issuer_of(r), right_verdict(r)) for r in labelled),
        "extracted": per_issuer((issuer_of(r), match(r) is not None) for r in labelled),
    }
    text = table("Figure verdicts (targets.jsonl; rules only, nothing fitted per issuer)", columns)
    kept = {"not-target kept out": per_issuer((issuer_of(r), not_target_kept_out(r)) for r in negatives)}
    return text + "\n" + table("Numbers that are not targets (names, ordinals, programme counts)", kept)

"""Cross-district section alignment against fixtures/labels/align_pairs.jsonl (7 document pairs, 84 pairs).

For each labelled document pair, `comparer align A B` (comparer.align.align_documents) is run and
every labelled level-1/2 heading of A is looked up: a labelled pair is *found* when comparer pairs A's
heading with the labelled B heading; a *wrong* pair is one comparer makes between labelled headings
that the labels do not (a different partner, or a partner where the labels say none).

Three values are fitted: `AlignOptions.across_min_confidence` (the least evidence for pairing two
subsections of different issuers' reports), `across_order_weight` and `across_area_weight`.
Leave-one-issuer-out: for a document pair, they are chosen on the same-year document pairs that
involve neither of its issuers (most found minus 3 x wrong), then the pair is scored with them.
"Obvious" pairs are the labelled pairs whose notes name no alternative partner; a pair comparer
makes with a partner the notes name as an alternative is not counted wrong.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache

from .common import LABELS, ROOT, Score, read_jsonl

THRESHOLDS = (0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3)
ORDER_WEIGHTS = (0.2,)
AREA_WEIGHTS = (0.3,)
GRID = tuple((t, o, a) for t in THRESHOLDS for o in ORDER_WEIGHTS for a in AREA_WEIGHTS)
WRONG_COST = 3  # a wrong pair costs three found ones: the floor is at most one wrong pair per document pair


@lru_cache(maxsize=1)
def doc_pairs() -> dict:
    """Return {(a, b): [label rows]} of the labelled document pairs."""
    pairs: dict = defaultdict(list)
    for row in read_jsonl(LABELS / "align_pairs.jsonl"):
        pairs[(row["a"], row["b"])].append(row)
    return dict(pairs)


@lru_cache(maxsize=1)
def issuers() -> dict:
    """Return {doc: issuer} from the identity labels."""
    return {row["doc"]: row["issuer"] for row in read_jsonl(LABELS / "identity.jsonl")}


@lru_cache(maxsize=None)
def _report(doc: str):
    """Return a labelled document loaded through comparer."""
    from comparer import load_report

    return load_report(ROOT / doc)


@lru_cache(maxsize=None)
def predicted(a: str, b: str, params: tuple) -> dict:
    """Return {A heading line: B heading line} as comparer aligns the two reports with (threshold, order, area weight)."""
    from comparer.align import align_documents
    from comparer.options import DEFAULT

    options = replace(DEFAULT.align, across_min_confidence=params[0], across_order_weight=params[1], across_area_weight=params[2])
    result = align_documents([_report(a), _report(b)], options)
    return {p.old.line: p.new.line for _, pairs in result.tables for p in pairs if p.old and p.new}


def alternatives(row: dict) -> set:
    """Return the B lines a label's notes name as equally possible partners ("alternative B (三) line 27")."""
    if not re.search(r"alternative|equally possible|alt\.|ambiguous|also the partner", row["notes"]):
        return set()
    return {int(n) for n in re.findall(r"line (\d+)", row["notes"])} | {-1}


def score_pair(a: str, b: str, params: tuple, obvious: bool = False) -> tuple[int, int, int]:
    """Return (found, labelled pairs, wrong pairs) for one document pair.

    obvious: count only the labelled pairs whose notes name no alternative partner. A pair comparer
    makes with a partner the notes name as an alternative is not counted wrong.
    """
    rows = [r for r in doc_pairs()[(a, b)] if r["a_line"] is not None]
    truth = {r["a_line"]: r["b_line"] for r in rows}
    allowed = {r["a_line"]: alternatives(r) for r in rows}
    b_lines = {r["b_line"] for r in doc_pairs()[(a, b)] if r["b_line"] is not None}
    made = predicted(a, b, params)
    counted = [r for r in rows if r["b_line"] is not None and not (obvious and allowed[r["a_line"]])]
    found = sum(1 for r in counted if made.get(r["a_line"]) == r["b_line"])
    wrong = sum(1 for line, partner in made.items()
                if line in truth and partner in b_lines and truth[line] != partner and partner not in allowed[line])
    return found, len(counted), wrong


def same_year(pair: tuple[str, str]) -> bool:
    """Return True for two reports of the same year (the case the floors are about)."""
    years = {row["doc"]: row["year"] for row in read_jsonl(LABELS / "identity.jsonl")}
    return years[pair[0]] == years[pair[1]]


def _fit(keys: list[tuple[str, str]]) -> tuple:
    """Return the (threshold, order weight, area weight) with most found minus WRONG_COST x wrong pairs here."""
    def merit(params: tuple) -> tuple:
        scores = [score_pair(a, b, params) for a, b in keys]
        return (sum(f for f, _, _ in scores) - WRONG_COST * sum(w for _, _, w in scores), params[0], -params[1], -params[2])

    return max(GRID, key=merit)


def loio_params(pair: tuple[str, str]) -> tuple:
    """Return the parameters fitted on the same-year document pairs that involve neither issuer of a pair."""
    involved = {issuers()[pair[0]], issuers()[pair[1]]}
    training = [k for k in doc_pairs() if same_year(k) and not ({issuers()[k[0]], issuers()[k[1]]} & involved)]
    return _fit(training)


def rows(params_of) -> list[dict]:
    """Return one row per document pair: issuers, found (all / obvious), wrong, with params_of(pair)."""
    out = []
    for a, b in doc_pairs():
        params = params_of((a, b))
        found, total, wrong = score_pair(a, b, params)
        plain, obvious, _ = score_pair(a, b, params, obvious=True)
        out.append({"a": a, "b": b, "issuers": (issuers()[a], issuers()[b]), "found": found, "total": total, "wrong": wrong,
                    "obvious_found": plain, "obvious": obvious, "params": params, "same_year": same_year((a, b))})
    return out


def per_issuer_scores(table_rows: list[dict]) -> list[Score]:
    """Return found/labelled per issuer (a document pair counts for both its issuers) and all, same-year pairs only."""
    counts: dict = defaultdict(lambda: [0, 0])
    for row in table_rows:
        if not row["same_year"]:
            continue
        for issuer in set(row["issuers"]):
            counts[issuer][0] += row["found"]
            counts[issuer][1] += row["total"]
    kept = [r for r in table_rows if r["same_year"]]
    scores = [Score(i, c, t) for i, (c, t) in sorted(counts.items())]
    return scores + [Score("all", sum(r["found"] for r in kept), sum(r["total"] for r in kept))]


def _name(doc: str) -> str:
    """Return a short document name (shenzhen-luohu_2023)."""
    return doc.rsplit("/", 1)[-1].rsplit("_", 1)[0]


def _cell(found: int, total: int) -> str:
    """Return found/total (share)."""
    return f"{found}/{total} ({found / total:.2f})" if total else "0/0"


def _sums(table_rows: list[dict], same: bool) -> dict:
    """Return column sums over the same-year (or the other) document pairs."""
    kept = [r for r in table_rows if r["same_year"] == same]
    return {k: sum(r[k] for r in kept) for k in ("found", "total", "wrong", "obvious_found", "obvious")} | {"max_wrong": max((r["wrong"] for r in kept), default=0)}


def report() -> str:
    """Return the alignment tables: per document pair and per issuer, default and leave-one-issuer-out."""
    from comparer.options import DEFAULT

    default_params = (DEFAULT.align.across_min_confidence, DEFAULT.align.across_order_weight, DEFAULT.align.across_area_weight)
    default = rows(lambda _: default_params)
    held = rows(loio_params)
    lines = ["### Cross-district alignment: labelled pairs found, wrong pairs", "",
             f"Shipped options: confidence floor {default_params[0]}, order weight {default_params[1]}, "
             f"area weight {default_params[2]}. Leave-one-issuer-out (LOIO): the confidence floor fitted on the "
             "same-year pairs involving neither issuer of the pair (params: floor, order, area).", "",
             "| A | B | found | obvious found | wrong | LOIO found | LOIO obvious | LOIO wrong | LOIO params |",
             "|---|---|---|---|---|---|---|---|---|"]
    for d, h in zip(default, held):
        mark = "" if d["same_year"] else " (other year)"
        lines.append(f"| {_name(d['a'])} | {_name(d['b'])}{mark} | {_cell(d['found'], d['total'])} | "
                     f"{_cell(d['obvious_found'], d['obvious'])} | {d['wrong']} | {_cell(h['found'], h['total'])} | "
                     f"{_cell(h['obvious_found'], h['obvious'])} | {h['wrong']} | {h['params']} |")
    for same, label in ((True, "same-year pairs"), (False, "other-year pair")):
        d, h = _sums(default, same), _sums(held, same)
        lines.append(f"| **{label}** | | {_cell(d['found'], d['total'])} | {_cell(d['obvious_found'], d['obvious'])} | "
                     f"{d['wrong']} (max {d['max_wrong']}) | {_cell(h['found'], h['total'])} | "
                     f"{_cell(h['obvious_found'], h['obvious'])} | {h['wrong']} (max {h['max_wrong']}) | |")
    per = ["", "| issuer (same-year pairs) | found | leave-one-issuer-out |", "|---|---|---|"]
    for d, h in zip(per_issuer_scores(default), per_issuer_scores(held)):
        per.append(f"| {d.issuer} | {d.accuracy:.2f} ({d.correct}/{d.total}) | {h.accuracy:.2f} ({h.correct}/{h.total}) |")
    fitted = _fit([k for k in doc_pairs() if same_year(k)])
    return "\n".join(lines + per) + f"\n\nFitted on all same-year pairs (floor, order weight, area weight): {fitted}.\n"

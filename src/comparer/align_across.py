"""Pair the sections of two different reports (other districts, offices or years), chapter first.

Two versions of one document share most words, so `align.align_sections` asks for a high score;
two districts' reports share structure and topics but few sentences. Here:
- chapters (level 1) pair on role first (review <-> review, plan <-> plan, 十四五 <-> 十四五,
  glossary <-> glossary), then title and content; chapters of different known roles never pair;
- subsections pair only under chapters already paired, on title and content (distinctive terms
  weighted by IDF, so 疫情防控 or 营商环境 count and 加快 推进 do not), with the same role;
- a pair is made only when each side is the other's best (mutual best), round after round over what
  is left, taken in reading order; its confidence must reach `AlignOptions.across_min_confidence` (subsections);
- every pair carries a confidence: its score and how far ahead of each side's runner-up it is.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Sequence

from .models import Report, Section, SectionPair
from .options import DEFAULT, AlignOptions

__all__ = ["align_across", "section_body"]

_FORBIDDEN = -1.0
_RELATED = 0.5
_PLANS = {"plan", "multi-year-plan"}
_CJK_WORD = r"[\u4e00-\u9fff]+"  # compiled on first use (re's cache): most commands never align across issuers


def section_body(report: Report, section: Section) -> str:
    """Return a section's title and body (children included) without line breaks."""
    return report.norm.text[section.start + len(section.number) : section.end].replace("\n", "")


def align_across(a: Report, b: Report, options: AlignOptions = DEFAULT.align) -> list[SectionPair]:
    """Return the section pairs of two different reports, then the sections left without a partner."""
    pairs = _pair_children(a, b, list(a.sections), list(b.sections), options, chapters=True)
    paired_a = {id(p.old) for p in pairs}
    paired_b = {id(p.new) for p in pairs}
    left_a = [SectionPair(s, None, "removed", 0.0, "none") for s in _sections(a) if id(s) not in paired_a]
    left_b = [SectionPair(None, s, "added", 0.0, "none") for s in _sections(b) if id(s) not in paired_b]
    return pairs + left_a + left_b


def _sections(report: Report) -> list[Section]:
    """Return every non-inline section in reading order."""
    return [s for s in report.all_sections() if s.level != "inline"]


def _pair_children(a: Report, b: Report, left: list[Section], right: list[Section], options: AlignOptions,
                   chapters: bool) -> list[SectionPair]:
    """Pair two lists of sibling sections, then recurse into each pair's children."""
    left = [s for s in left if s.level != "inline"]
    right = [s for s in right if s.level != "inline"]
    if not left or not right:
        return []
    score, evidence = _scores(a, b, left, right, options, chapters)
    out = []
    floor = options.across_min_chapter_score if chapters else 0.0
    least = 0.0 if chapters else options.across_min_confidence
    for i, j, confidence in _mutual_best(score, floor, least):
        out.append(SectionPair(left[i], right[j], _status(a, b, left[i], right[j]), confidence, evidence(i, j)))
        out += _pair_children(a, b, list(left[i].children), list(right[j].children), options, chapters=False)
    return out


def _status(a: Report, b: Report, left: Section, right: Section) -> str:
    """Return same when both sections read alike word for word, else changed."""
    return "same" if section_body(a, left) == section_body(b, right) else "changed"


def _scores(a: Report, b: Report, left: Sequence[Section], right: Sequence[Section], options: AlignOptions, chapters: bool):
    """Return the pair scores (forbidden pairs negative) and a function naming each pair's evidence."""
    import numpy as np

    titles = _word_cosine([s.title for s in left], [s.title for s in right])
    bodies = _word_cosine([section_body(a, s) for s in left], [section_body(b, s) for s in right])
    roles = _role_agreement(left, right)
    lexical = options.across_title_weight * titles + (1 - options.across_title_weight) * bodies
    areas = _area_cosine([s.title for s in left], [s.title for s in right]) + _area_cosine(
        [section_body(a, s) for s in left], [section_body(b, s) for s in right])
    text = (1 - options.across_area_weight) * lexical + options.across_area_weight * areas / 2
    text = (1 - options.across_order_weight) * text + options.across_order_weight * _order_prior(len(left), len(right)) * text.max()
    weight = options.chapter_role_weight if chapters else options.section_role_weight
    score = np.where(roles < 0, _FORBIDDEN, weight * roles + (1 - weight) * text)

    def evidence(i: int, j: int) -> str:
        if chapters and roles[i, j] == 1.0 and text[i, j] < 0.5:
            return "role"
        return "title" if titles[i, j] >= bodies[i, j] else "content"

    return score, evidence


def _area_cosine(left: list[str], right: list[str]):
    """Return the cosine of the policy-area profiles of every pair of texts (data/policy_areas.txt)."""
    import numpy as np

    def profiles(texts: list[str]):
        matrix = np.array([[sum(text.count(w) for w in words) for words in _policy_areas()] for text in texts], dtype=float)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)

    return profiles(left) @ profiles(right).T


@lru_cache(maxsize=1)
def _policy_areas() -> tuple[tuple[str, ...], ...]:
    """Return the words of each policy area."""
    from .bundled import bundled_text

    text = bundled_text("policy_areas.txt")
    return tuple(tuple(line.split("\t", 1)[1].split()) for line in text.splitlines() if line and not line.startswith("#"))


def _order_prior(n: int, m: int):
    """Return 1 - the distance between two siblings' relative places (first with first, last with last)."""
    import numpy as np

    left = np.arange(n)[:, None] / max(n - 1, 1)
    right = np.arange(m)[None, :] / max(m - 1, 1)
    return 1.0 - np.abs(left - right)


def _word_cosine(left: list[str], right: list[str]):
    """Return the TF-IDF cosine of every pair of texts over words (IDF over both lists: a topic's words count).

    Words shared by every text of the two lists (推进, 加快, 建设 in every plan item) weigh nothing.
    """
    import numpy as np

    bags = [Counter(_words(text)) for text in left + right]
    frequency = Counter(word for bag in bags for word in bag)
    vectors = [_unit({w: (1 + math.log(c)) * math.log((len(bags) + 1) / (frequency[w] + 0.5)) for w, c in bag.items()})
               for bag in bags]
    out = np.zeros((len(left), len(right)))
    for i, x in enumerate(vectors[: len(left)]):
        for j, y in enumerate(vectors[len(left) :]):
            out[i, j] = sum(value * y.get(word, 0.0) for word, value in x.items())
    return np.clip(out, 0.0, 1.0)


def _words(text: str) -> list[str]:
    """Return the Chinese words of two or more characters of a text (rjieba with the domain words)."""
    from .tokens import tokenize

    return [word for word, _ in tokenize(text) if len(word) >= 2 and re.fullmatch(_CJK_WORD, word)]


def _unit(vector: dict) -> dict:
    """Return a vector scaled to unit length (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _role_agreement(left: Sequence[Section], right: Sequence[Section]):
    """Return 1 for the same known role, 0.5 for a plan and a multi-year plan or two others, 0 when one is other, -1 else.

    A plan of the year and a five-year plan are both plans (a 法治 report's plan against a five-year
    plan document), but a plan chapter prefers a plan chapter.
    """
    import numpy as np

    out = np.zeros((len(left), len(right)))
    for i, x in enumerate(left):
        for j, y in enumerate(right):
            if x.role == "other" and y.role == "other":
                out[i, j] = 0.5
            elif "other" in (x.role, y.role):
                out[i, j] = 0.0
            else:
                out[i, j] = 1.0 if x.role == y.role else _RELATED if {x.role, y.role} == _PLANS else _FORBIDDEN
    return out


def _mutual_best(score, floor: float, least: float = 0.0) -> list[tuple[int, int, float]]:
    """Return (i, j, confidence) of mutual best pairs scoring at least floor with at least that confidence.

    Round after round over what is left; returned in reading order.
    """
    import numpy as np

    original, score = score, score.copy()
    found: list[tuple[int, int, float]] = []
    while True:
        new = _one_round(score, floor, least, original)
        if not new:
            break
        for i, j, confidence in new:
            score[i, :] = _FORBIDDEN
            score[:, j] = _FORBIDDEN
            found.append((i, j, confidence))
    return sorted(found)


def _one_round(score, floor: float, least: float, original) -> list[tuple[int, int, float]]:
    """Return the pairs whose two sides are each other's best among what is left (and sure enough).

    The confidence is measured against every rival, paired or not (original scores): a leftover
    pair whose sides were both beaten elsewhere is not sure just because its rivals are gone.
    """
    import numpy as np

    if score.size == 0 or score.max() < floor:
        return []
    best_j = score.argmax(axis=1)
    best_i = score.argmax(axis=0)
    out = []
    for i, j in enumerate(best_j.tolist()):
        value = float(score[i, j])
        confidence = _confidence(original, i, j)
        if value >= floor and best_i[j] == i and confidence >= least:
            out.append((i, j, confidence))
    return out


def _runner_up(score, i: int, j: int) -> float:
    """Return the best score either side of a pair has with anything else (0 if none)."""
    import numpy as np

    row = np.delete(score[i, :], j)
    column = np.delete(score[:, j], i)
    return max([float(x) for x in (row.max() if row.size else 0.0, column.max() if column.size else 0.0)] + [0.0])


def _confidence(score, i: int, j: int) -> float:
    """Return a pair's confidence: its score, lowered when a runner-up on either side comes close."""
    value = float(score[i, j])
    margin = max(0.0, value - _runner_up(score, i, j))
    return round(min(1.0, 0.5 * value + 0.5 * min(1.0, 2 * margin)), 3)

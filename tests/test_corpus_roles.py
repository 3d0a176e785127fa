"""Sections and roles hold on every bundled corpus report, not only on the seeds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from comparer.api import load_report


CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))


def test_corpus_fixtures_are_present():
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_review_and_plan_sections_found_with_years(path):
    region, year, kind = re.match(r"(.+)_(\d{4})_(\w+)\.txt", path.name).groups()
    report = load_report(path)
    roles = [s.role for s in report.sections]
    assert "results" in roles and "plan" in roles, [(s.title, s.role) for s in report.sections]
    plan_years = {s.plan_year for s in report.sections if s.role == "plan"}
    expected = int(year) if kind == "gongzuobaogao" else int(year) + 1
    assert expected in plan_years
    assert report.year == int(year)
    assert roles.index("results") < roles.index("plan")

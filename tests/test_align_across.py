"""Alignment of different districts' reports (chapters by role, subsections by mutual best); floors on the labels."""
from __future__ import annotations

import json
import sys

from conftest import PDF_TEXT, ROOT, WEB_TEXT

sys.path.insert(0, str(ROOT / "tools"))


def _same_year_rows(params_of):
    from evaluation.align import rows

    return [row for row in rows(params_of) if row["same_year"]]


def test_cross_district_alignment_floor_with_the_shipped_options():
    """Same-year district pairs: >= 85% of the labelled pairs found, at most one wrong pair per document pair."""
    from comparer.options import DEFAULT

    params = (DEFAULT.align.across_min_confidence, DEFAULT.align.across_order_weight, DEFAULT.align.across_area_weight)
    table = _same_year_rows(lambda _: params)
    found, total = sum(r["found"] for r in table), sum(r["total"] for r in table)
    assert found / total >= 0.85 and found >= 66
    assert max(r["wrong"] for r in table) <= 1
    assert sum(r["obvious_found"] for r in table) / sum(r["obvious"] for r in table) >= 0.89


def test_cross_district_alignment_leave_one_issuer_out_floor():
    """The confidence floor fitted on pairs involving neither issuer: still >= 84% found, <= 3 wrong pairs in all."""
    from evaluation.align import loio_params

    table = _same_year_rows(loio_params)
    found, total = sum(r["found"] for r in table), sum(r["total"] for r in table)
    assert found / total >= 0.84 and sum(r["wrong"] for r in table) <= 3


def test_align_cli_pairs_two_districts_chapter_by_role_with_a_confidence(cli):
    a = ROOT / "fixtures" / "corpus" / "shenzhen-luohu_2023_gongzuobaogao.txt"
    b = ROOT / "fixtures" / "corpus" / "shenzhen-yantian_2023_gongzuobaogao.txt"
    done = cli("align", a, b, "--format", "json")
    assert done.returncode == 0, done.stderr
    pairs = [p for p in json.loads(done.stdout)["pairs"] if p["a_path"] and p["b_path"]]
    by_a = {p["a_line"]: p for p in pairs}
    assert by_a[3]["b_line"] == 3 and by_a[3]["a_role"] == "results"  # 2022年工作回顾 <-> 2022年工作回顾
    assert by_a[50]["b_line"] == 22 and by_a[50]["a_role"] == by_a[50]["b_role"] == "plan"
    assert by_a[11]["b_line"] == 6  # 疫情防控 <-> 疫情防控, under the paired review chapters
    assert all(0.0 < p["confidence"] <= 1.0 for p in pairs)
    assert all(p["a_role"] == p["b_role"] for p in pairs)


def test_subsections_pair_only_under_paired_chapters():
    from comparer import load_report
    from comparer.align import align_documents

    a = load_report(ROOT / "fixtures" / "corpus" / "shenzhen-luohu_2021_gongzuobaogao.txt")
    b = load_report(ROOT / "fixtures" / "corpus" / "shenzhen-longgang_2021_gongzuobaogao.txt")
    pairs = [p for _, table in align_documents([a, b]).tables for p in table if p.old and p.new]
    chapters = {(p.old.id, p.new.id) for p in pairs if p.old.level == 1}
    for pair in pairs:
        if pair.old.level == 2:
            assert (pair.old.id.split(".")[0], pair.new.id.split(".")[0]) in chapters


def test_two_copies_of_one_report_are_still_aligned_as_versions():
    """PDF text and web text of one report: every section pairs with its copy (the versions path, unchanged)."""
    from comparer import load_report
    from comparer.align import align_documents

    pdf, web = load_report(PDF_TEXT), load_report(WEB_TEXT)
    table = align_documents([pdf, web]).tables[0][1]
    assert all(p.old and p.new and p.old.title == p.new.title for p in table)

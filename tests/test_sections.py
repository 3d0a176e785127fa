"""Heading tree and roles on the real seed documents, through the CLI."""
from __future__ import annotations

import json

from conftest import GUODONGBAN_2024, JINGAN_PLAN, PDF_TEXT, QUFUBAN_2022, WEB_TEXT


def _tree(cli, path):
    result = cli("sections", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "comparer.sections/1"
    return data


def test_pdf_text_tree_has_four_roles_and_children(cli):
    data = _tree(cli, PDF_TEXT)
    tops = data["sections"]
    assert [s["role"] for s in tops] == ["results", "shortcomings", "duty", "plan"]
    assert tops[3]["plan_year"] == 2025
    assert [len(s["children"]) for s in tops] == [8, 3, 3, 5]
    assert [c["level"] for c in tops[1]["children"]] == ["inline"] * 3
    assert all(c["level"] == 2 for i in (0, 2, 3) for c in tops[i]["children"])
    assert tops[0]["children"][1]["title"] == "持续加强法治化营商环境建设"


def test_web_text_tree_equals_pdf_text_tree(cli):
    def shape(nodes):
        return [(n["title"], n["role"], n["level"], shape(n["children"])) for n in nodes]

    assert shape(_tree(cli, PDF_TEXT)["sections"]) == shape(_tree(cli, WEB_TEXT)["sections"])


def test_headings_point_to_original_lines(cli):
    tops = _tree(cli, PDF_TEXT)["sections"]
    lines = PDF_TEXT.read_text("utf-8").split("\n")
    for section in tops + tops[0]["children"]:
        assert section["number"].rstrip("、") in lines[section["line"] - 1].replace("（", "(").replace("）", ")")


def test_skipped_level_arabic_headings_sit_under_top_level(cli):
    tops = _tree(cli, GUODONGBAN_2024)["sections"]
    assert [c["number"] for c in tops[0]["children"]] == ["1.", "2.", "3.", "4.", "5."]
    assert [c["number"] for c in tops[3]["children"]] == ["1.", "2.", "3.", "4."]
    assert tops[2]["role"] == "duty" and "职责" in tops[2]["title"]  # heading wrapped over two PDF lines
    assert tops[3]["role"] == "plan" and tops[3]["plan_year"] == 2025


def test_office_report_plans_2023_and_has_no_shortcomings(cli):
    tops = _tree(cli, QUFUBAN_2022)["sections"]
    roles = [s["role"] for s in tops]
    assert "shortcomings" not in roles
    assert roles == ["results", "duty", "plan"]
    assert tops[2]["plan_year"] == 2023
    assert tops[0]["children"][0]["title"] == "积极健全制度,制定重大行政决策相关规定"


def test_five_year_plan_cover_notice_then_chapters(cli):
    data = _tree(cli, JINGAN_PLAN)
    tops = data["sections"]
    assert [s["number"] + s["title"] for s in tops] == ["一、发展背景", "二、总体要求", "三、主要任务", "四、重大项目", "五、保障措施"]
    assert tops[0]["line"] > 50  # the cover notice before it has no headings
    assert data["meta"]["genre"] == "multi-year-plan"
    assert tops[2]["role"] == "multi-year-plan" and tops[2]["plan_years"] == [2021, 2022, 2023, 2024, 2025]


def test_web_metadata_is_extracted_not_body(cli):
    data = _tree(cli, WEB_TEXT)
    assert data["meta"]["stated_issuer"] == "长宁区司法局" and data["meta"]["region"] == "长宁区"
    assert data["meta"]["date"] == "2025-01-09"
    assert data["meta"]["year"] == 2024
    normalized = cli("normalize", WEB_TEXT).stdout
    assert "发文机构" not in normalized and "发布日期" not in normalized

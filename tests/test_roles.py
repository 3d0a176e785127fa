"""Roles from several signals (title span/year against the report year, keywords, order, tense); floors on the labels."""
from __future__ import annotations

import json
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))


def sections_of(text: str, name: str = "document.txt"):
    """Return (report, {title: section}) for a text."""
    from comparer import report_from_bytes

    report = report_from_bytes(text.encode("utf-8"), name)
    return report, {s.title: s for s in report.all_sections() if s.level != "inline"}


def test_labelled_roles_floor():
    """443 of the 444 labelled level-1/2 headings (26 reports, 10 issuers) get the labelled role and plan year."""
    from comparer.options import DEFAULT
    from evaluation.roles import is_right, labels

    items = labels()
    assert sum(is_right(item, DEFAULT.roles.tense_margin) for item in items) >= 443
    assert sum(is_right(item, DEFAULT.roles.tense_margin, tree=True) for item in items) >= 443


def test_labelled_roles_leave_one_issuer_out_floor():
    """The tense margin fitted without an issuer scores that issuer as well (all issuers pooled >= 443/444)."""
    from evaluation.common import leave_one_issuer_out
    from evaluation.roles import fit, is_right, labels

    scores = leave_one_issuer_out(labels(), lambda item: item["issuer"], fit, lambda m, item: is_right(item, m))
    assert scores[-1].issuer == "all" and scores[-1].correct >= 443


WORK_REPORT = (
    "各位代表：\n现在，我代表罗湖区人民政府，向大会报告政府工作。\n"
    "一、“十三五”时期发展成就和2020年工作回顾\n2020年，罗湖地区生产总值增长3%，完成投资200亿元。\n"
    "（一）经济实现平稳增长\n全年实现增长，已完成目标。\n"
    "二、“十四五”时期发展目标\n今后五年，罗湖要着力建设湾区枢纽，到2025年生产总值达到3000亿元。\n"
    "三、全力做好2021年各项工作\n今年是“十四五”开局之年，罗湖将着力推进城市更新。\n"
    "（一）补短板强弱项，提升城区品质\n要加快补齐公共服务短板。\n"
    "（二）以优异成绩迎接建党100周年\n要着力确保各项任务落实。\n"
    "附件\n2021年罗湖区民生实事\n1.新建幼儿园5所，新增学位2000个。\n2.改造老旧小区20个，年底前完工。\n"
)


def test_work_report_chapters_get_their_roles_from_title_years_spans_and_order():
    report, by_title = sections_of(WORK_REPORT)
    assert report.year == 2021
    assert by_title['"十三五"时期发展成就和2020年工作回顾'].role == "results"  # quotes are folded to "
    assert by_title['"十四五"时期发展目标'].role == "multi-year-plan"
    assert by_title['"十四五"时期发展目标'].plan_years == (2021, 2022, 2023, 2024, 2025)
    plan = by_title["全力做好2021年各项工作"]
    assert (plan.role, plan.plan_year) == ("plan", 2021)
    assert by_title["补短板强弱项,提升城区品质"].role == "plan"
    assert by_title["以优异成绩迎接建党100周年"].role == "plan"


def test_a_pledge_list_after_the_plan_stays_under_it_and_its_items_become_commitments():
    from comparer.commitments import extract_commitments

    report, by_title = sections_of(WORK_REPORT)
    pledges = by_title["2021年罗湖区民生实事"]
    plan = by_title["全力做好2021年各项工作"]
    assert pledges in plan.children and (pledges.role, pledges.plan_year, pledges.level) == ("plan", 2021, 2)
    assert all(s.title != "2021年罗湖区民生实事" for s in report.sections)
    texts = [c.text for c in extract_commitments(report) if c.section.endswith("民生实事") or "民生实事 >" in c.section]
    assert any("新建幼儿园5所" in t for t in texts) and any("改造老旧小区20个" in t for t in texts)


def test_topic_chapters_after_the_plan_chapter_plan_and_the_first_chapter_reviews():
    text = ("各位代表：\n现在，我代表国务院，向大会作政府工作报告。\n一、过去一年工作回顾\n2019年，国内生产总值增长6.1%。\n"
            "二、今年工作总体部署\n2020年是全面建成小康社会收官之年。\n三、加大宏观政策实施力度\n要着力稳企业保就业。\n"
            "四、依靠改革激发市场主体活力\n要推进要素市场化配置改革。\n")
    report, by_title = sections_of(text)
    assert report.year == 2020
    assert [(s.role, s.plan_year) for s in report.sections] == [("results", None), ("plan", 2020), ("plan", 2020), ("plan", 2020)]


def test_every_labelled_work_report_with_a_dated_plan_has_plan_chapters_of_that_year():
    from comparer import load_report

    rows = [json.loads(line) for line in (ROOT / "fixtures" / "labels" / "identity.jsonl").read_text("utf-8").splitlines()]
    wrong = []
    for row in rows:
        if row["genre"] != "work-report" or row["plan_year"] is None:
            continue
        report = load_report(ROOT / row["doc"])
        chapters = [s.plan_year for s in report.sections if s.role == "plan"]
        if not chapters or set(chapters) != {row["plan_year"]}:
            wrong.append((row["doc"], chapters))
    assert wrong == []

"""Identity (region, issuer, year, genre) from the text, grounded in the division table; floors on the labels."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))


def meta_of(text: str, name: str = "document.txt"):
    """Return the identity comparer decides for a text read under a file name."""
    from comparer.identity import identify
    from comparer.ingest import read_data

    return identify(read_data(text.encode("utf-8"), name))


def test_every_labelled_report_is_identified_from_its_text_alone():
    """Year, region and issuer right on all 72 labelled documents with the file name hidden."""
    from evaluation.identity import outcomes

    wrong = [issuer for issuer, ok in outcomes("text") if not ok]
    assert wrong == []


def test_identity_does_not_depend_on_the_place_names_seen_here():
    """The same 72 texts with district, city and province swapped for far-away real ones: all still right."""
    from evaluation.identity import outcomes

    assert [issuer for issuer, ok in outcomes("renamed places") if not ok] == []


DISTRICT_REPORT = (
    "各位人大代表：\n现在，我代表区人民政府，向大会作政府工作报告，请予审议。\n一、2023年工作回顾\n"
    "2023年，宝安区地区生产总值增长6%。宝安高新区、宝安中心区建设加快，宝安国际机场客流创新高。"
    "深圳市宝安区坚持创新驱动，宝安制造业增加值增长，龙华区、南山区合作项目落地。\n"
    "二、2024年工作安排\n2024年是实现“十四五”规划目标任务的关键一年。宝安将着力推进产业升级。\n"
)


def test_a_speaker_naming_only_the_level_is_grounded_in_the_district_the_body_names_most():
    """我代表区人民政府 + 宝安 named most (its 高新区 and 中心区 count for it, not against it)."""
    meta = meta_of(DISTRICT_REPORT)
    assert (meta.region, meta.issuer, meta.year, meta.genre) == ("宝安区", "宝安区人民政府", 2024, "work-report")
    assert meta.identity_confidence >= 0.7 and meta.notices == ()


def test_a_management_committee_stays_a_management_committee():
    text = ("各位代表：\n现在，我代表贵安新区管理委员会，向大会报告工作，请予审议。\n一、2022年工作回顾\n"
            "2022年，贵安新区经济运行稳中有进。\n二、2023年工作安排\n2023年，贵安新区将着力推进数字经济。\n")
    meta = meta_of(text)
    assert (meta.region, meta.issuer, meta.year) == ("贵安新区", "贵安新区管委会", 2023)
    assert "人民政府" not in meta.issuer


def test_substrings_of_ordinary_words_are_never_regions():
    """…康县 (健康县域) and …和新区 (创新和新区) name no division: no region, a low confidence, one warning."""
    text = ("各位代表：\n现在，我代表县人民政府，向大会报告工作。\n一、2023年工作回顾\n"
            "推进健康县域建设，健康县城试点推进，坚持创新和新区联动，创新和新区建设统筹。\n"
            "二、2024年工作安排\n2024年，将着力推进健康县建设。\n")
    meta = meta_of(text)
    assert meta.region is None and meta.issuer is None
    assert meta.identity_confidence < 0.7 and len(meta.notices) == 1 and "region" in meta.notices[0].message


def test_a_five_year_review_and_a_new_period_plan_mean_the_first_year_of_that_period():
    text = ("各位代表：\n现在，我代表罗湖区人民政府，向大会报告政府工作。\n一、“十三五”时期发展成就回顾\n"
            "五年来，罗湖经济总量稳步增长，2016年以来累计完成投资。\n二、今年工作安排\n"
            "今年是“十四五”开局之年，罗湖将着力推进城市更新。\n")
    meta = meta_of(text)
    assert (meta.year, meta.region) == (2021, "罗湖区") and meta.identity_confidence >= 0.9


def test_the_first_year_in_a_work_report_is_the_year_reviewed():
    text = ("各位代表：\n现在，我代表罗湖区人民政府，向大会作政府工作报告。\n一、过去一年工作回顾\n"
            "2023年，罗湖区生产总值增长5%。\n二、今年重点工作\n做好今年工作，罗湖要着力扩大内需。\n")
    assert meta_of(text).year == 2024


def test_review_and_plan_years_that_disagree_are_reported():
    text = ("各位代表：\n现在，我代表罗湖区人民政府，向大会报告工作。\n一、2021年工作回顾\n2021年，罗湖稳中有进。\n"
            "二、2024年工作安排\n罗湖将着力推进城市更新。\n")
    meta = meta_of(text)
    assert meta.year == 2024 and meta.identity_confidence < 0.7
    assert len(meta.notices) == 1 and "2021" in meta.notices[0].message


def test_the_file_name_fills_only_what_the_text_lacks_and_says_so():
    text = "一、工作情况\n我们做了很多工作。\n二、下一步计划\n进一步加强学习。\n"
    meta = meta_of(text, "shenzhen-luohu_2023_fazhizhengfu.txt")
    assert (meta.region, meta.year, meta.identified_by) == ("罗湖区", 2023, "filename")
    assert any("file name" in n.message for n in meta.notices)
    unknown = meta_of(text, "shenzhen-foo_2023_fazhizhengfu.txt")
    assert unknown.region is None and unknown.year == 2023


@pytest.mark.parametrize("name, region", [
    ("shenzhen-luohu_2023_gongzuobaogao.txt", "罗湖区"), ("深圳市罗湖区2023年政府工作报告.txt", "罗湖区"),
    ("guowuyuan_2014_gongzuobaogao.txt", "国务院"), ("changning_2024.txt", None), ("shenzhen-foo_2020.txt", None),
    ("report_2020.txt", None),
])
def test_a_region_from_a_file_name_must_name_exactly_one_division(name, region):
    from comparer.identity import region_from_filename

    assert region_from_filename(name)[0] == region


def test_the_year_decided_from_the_file_name_reaches_the_plan_and_its_commitments(tmp_path):
    from comparer import load_report
    from comparer.commitments import extract_commitments

    path = tmp_path / "shenzhen-luohu_2023_fazhi.txt"
    path.write_text("一、工作情况\n我们完成了培训。\n二、下一步工作计划\n进一步加强执法人员培训，年底前完成全员轮训。\n", "utf-8")
    report = load_report(path)
    plan = next(s for s in report.all_sections() if s.role == "plan")
    assert (report.year, report.meta.identified_by, plan.plan_year) == (2023, "filename", 2024)
    assert {c.plan_year for c in extract_commitments(report)} == {2024}


def test_the_division_table_is_the_shipped_official_list():
    from comparer.divisions import divisions

    table = divisions()
    assert len(table.rows) > 3000
    luohu = table.named("罗湖区")[0]
    assert (luohu.bare, luohu.level, luohu.parent, luohu.province) == ("罗湖", "county", "深圳市", "广东省")
    assert "luohu" in luohu.pinyin and not table.named("田港区") and not table.named("健康县")


def test_a_weak_identity_is_one_warning_line_on_stderr(cli, tmp_path):
    path = tmp_path / "document.txt"
    path.write_text("各位代表：\n现在，我代表县人民政府，向大会报告工作。\n一、2023年工作回顾\n推进健康县域建设。\n二、2024年工作安排\n将着力推进。\n", "utf-8")
    done = cli("sections", path, "--format", "json")
    assert done.returncode == 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: warning: ") and "region" in lines[0]
    meta = json.loads(done.stdout)["meta"]
    assert meta["region"] is None and meta["identity_confidence"] < 0.7

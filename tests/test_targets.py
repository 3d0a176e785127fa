"""Targets as data, the `targets` command, input checks, context kinds, overdue and repeat kinds (real CLI)."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from comparer.commitments import parse_deadline
from comparer.figures import extract_figures
from comparer.targets import is_target, targets_in

CORPUS = ROOT / "fixtures" / "corpus"
LUOHU_2023 = CORPUS / "shenzhen-luohu_2023_gongzuobaogao.txt"
LUOHU_2024 = CORPUS / "shenzhen-luohu_2024_gongzuobaogao.txt"
YANTIAN_2024 = CORPUS / "shenzhen-yantian_2024_gongzuobaogao.txt"


def _json(cli, *args, codes=(0, 1)):
    result = cli(*args, "--format", "json")
    assert result.returncode in codes, result.stderr
    return json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("text", ["实施新型商贸引领等\"五大工程\"", "对标全市\"20+8\"产业集群布局", "建成启用第八期人才住房项目",
                                  "重点抓好旅游、消费、物流\"三件大事\"", "落实45项深度融合举措", "土地承包期再延长30年",
                                  "今年高校毕业生超过1000万人,要加强就业创业指导"])
def test_numbers_in_names_ordinals_and_programme_counts_are_not_targets(text):
    assert not [f for f in extract_figures(text) if is_target(f, text)]


@pytest.mark.parametrize("text, indicator, modifier, value", [
    ("城镇新增就业1200万人左右", "城镇新增就业", "左右", 1.2e7),
    ("固定资产投资突破250亿元", "固定资产投资", "以上", 2.5e10),
    ("引进持牌金融机构不少于6家", "持牌金融机构", "不低于", 6),
    ("城镇调查失业率控制在5.5%以内", "城镇调查失业率", "以内", 5.5),
])
def test_a_target_is_indicator_modifier_value_and_unit(text, indicator, modifier, value):
    (target,) = targets_in(text)
    assert indicator in target.indicator and target.modifier == modifier and target.value == value


def _answer(plan: str, review: str):
    """Return the first realised figure of a one-sentence review that answers a target of a plan clause, or None."""
    from comparer.targets import find_answer, review_figures

    realised = [(f, review, "later.txt", "2024年工作回顾", 3) for f in review_figures(review)]
    return next((a for a in (find_answer(t, realised) for t in targets_in(plan)) if a is not None), None)


@pytest.mark.parametrize("plan, review, raw", [
    ("新增国高企业300家以上", "新增国家高新技术企业341家", "341家"),  # an abbreviation
    ("推进6处立体停车项目建设", "布局10处立体停车设施", "10处"),  # one long modifier, another head
    ('举办"融易"品牌融资对接活动12场', '举办30场"融易"银企合作交流会', "30场"),  # the same quoted name
    ("新增各类创新载体20家以上", "市级以上创新载体新增44家", "44家"),  # 新增 after the subject
    ("新增各类创新平台23家以上", "创新平台由242家增至278家", "242家增至278家"),  # the increase of a count
    ("游客接待量、旅游总收入增长60%以上", "接待游客1500万人次、增长66.5%", "66.5%"),  # a rate set for a list
    ("新增床位6千张", "新增床位1405张", "1405张"),  # 千 scales a number
    ("新开工龙翔大道等道路40条", "外环高速等50条道路建成通车,丹农路等44条道路开工", "44条"),  # the stage counted
    ("一般公共预算收入增长6.5%左右", "一般公共预算收入约160亿元,增长12%", "12%"),  # a list's subject
])
def test_a_figure_answers_the_same_indicator_in_other_words(plan, review, raw):
    answer = _answer(plan, review)
    assert answer is not None and answer.figure.raw == raw


@pytest.mark.parametrize("plan, review", [
    ("全社会研发投入占GDP比重提高到4.1%", "全社会研发投入113.7亿元,增长5.7%"),  # a growth rate is not a level
    ("力争新增商事主体10万户", "净增商事主体6.8万户"),  # net is not gross
    ("国高企业突破100家", "新认定国高企业42家"),  # a flow does not answer a stock
    ("新增普惠性托育机构3家", "创建省级示范性托育机构1家"),  # another kind of the same head
    ("市级以上专精特新企业10家以上", "新增市级以上创新载体4家"),  # a shared qualifier only
    ("规模以上工业增加值增长7%左右", "规模以上工业总产值增长5%"),  # another measure of the same modifier
    ("人均财政补助标准再提高30元", "人均财政补助标准从50元提高到84元"),  # an increase is not the level reached
    ("招引重点项目100个", "52个项目纳入省市重点项目"),  # counted is what is placed, not the list
])
def test_a_figure_of_another_measure_answers_nothing(plan, review):
    assert _answer(plan, review) is None


def test_figures_of_a_five_year_review_do_not_answer_a_yearly_target():
    from comparer.targets import find_answer

    review = "新建高标准农田4.56亿亩"
    figure = extract_figures(review)[0]
    (target,) = targets_in("新建1亿亩高标准农田")
    assert find_answer(target, [(figure, review, "later.txt", "回顾", 3, False)]) is not None
    assert find_answer(target, [(figure, review, "later.txt", "回顾", 3, True)]) is None


def test_a_pledge_before_its_purpose_stays_a_target():
    text = "高职院校扩招200万人,要使更多劳动者长技能"
    assert [f.raw for f in extract_figures(text) if is_target(f, text)] == ["200万人"]


def test_a_generic_subject_gives_no_indicator():
    (target,) = targets_in("增长16%以上")
    assert target.indicator is None


def test_targets_command_reports_planned_and_realised_values(cli):
    data, _ = _json(cli, "targets", LUOHU_2023, LUOHU_2024)
    assert data["schema"] == "comparer.targets/1" and data["warnings"] == []
    verdicts = {t["verdict"] for t in data["targets"]}
    assert verdicts <= {"met", "missed", "not-reported"} and "met" in verdicts
    for target in data["targets"]:
        assert 0 <= target["confidence"] <= 1
        realised = target["realised"]
        assert (realised is None) == (target["verdict"] == "not-reported")
        if realised:  # the evidence line of the later report holds the realised figure
            line = LUOHU_2024.read_text("utf-8").split("\n")[realised["line"] - 1]
            assert realised["raw"].rstrip("%左右以上") in line.replace(" ", "")
    gdp = next(t for t in data["targets"] if "地区生产总值" in (t["indicator"] or "") and t["unit"] == "%")
    assert gdp["verdict"] == "met" and gdp["realised"]["raw"] == "7.2%"
    assert data["summary"]["targets"] == len(data["targets"])


def test_targets_exit_code_and_csv(cli):
    result = cli("targets", LUOHU_2023, LUOHU_2024, "--format", "csv")
    assert result.returncode == 1  # some targets are missed or not reported
    header = result.stdout.splitlines()[0].split(",")
    assert {"indicator", "modifier", "verdict", "confidence", "realised_raw", "evidence_line"} <= set(header)


def test_reversed_self_and_cross_issuer_inputs_warn_and_strict_exits_2(cli):
    cases = {
        "reversed": ((LUOHU_2024, LUOHU_2023), "is not later than the plan"),
        "self": ((LUOHU_2023, LUOHU_2023), "is the plan itself"),
        "cross-issuer": ((LUOHU_2023, YANTIAN_2024), "is from another issuer"),
    }
    for (plan, later), message in cases.values():
        data, stderr = _json(cli, "followup", plan, later)
        assert any(message in w["message"] for w in data["warnings"]) and message in stderr
        strict = cli("followup", "--strict", plan, later)
        assert strict.returncode == 2 and message in strict.stderr and strict.stdout == ""
    strict = cli("targets", "--strict", LUOHU_2023, LUOHU_2023)
    assert strict.returncode == 2 and "is the plan itself" in strict.stderr and strict.stdout == ""


def test_a_proper_pair_has_no_warning(cli):
    data, stderr = _json(cli, "followup", LUOHU_2023, LUOHU_2024)
    assert data["warnings"] == [] and "warning" not in stderr
    assert all(0 < c["confidence"] <= 1 for c in data["commitments"])
    assert all(c["kind"] in ("action", "target") for c in data["commitments"])
    assert all(i["status"] in ("reported", "repeated", "shortfall", "missing", "context") for c in data["commitments"] for i in c["items"])
    text = cli("followup", LUOHU_2023, LUOHU_2024).stdout
    assert any(f"{s} 0." in text or f"{s} 1.00" in text for s in ("reported", "repeated", "missing"))


def test_followup_rows_carry_the_confidence():
    from comparer.api import load_report
    from comparer.followup import follow_up
    from comparer.report import render

    result = follow_up(load_report(LUOHU_2023), [load_report(LUOHU_2024)])
    header = render(result, "csv").splitlines()[0].split(",")
    assert "confidence" in header and all(row["confidence"] > 0 for row in result.rows())


def test_context_sentences_stay_in_commitments_output_as_context(cli):
    from comparer.api import load_report
    from comparer.followup import follow_up

    data, _ = _json(cli, "commitments", LUOHU_2023, codes=(0,))
    context = [c for c in data["commitments"] if c["kind"] == "context"]
    assert context and data["summary"]["context"] == len(context)
    followed = {i.commitment.id for i in follow_up(load_report(LUOHU_2023), [load_report(LUOHU_2024)]).items}
    assert not followed & {c["id"] for c in context}


def test_a_quoted_this_year_is_no_deadline():
    assert parse_deadline('习近平主席在新年贺词中说"今年要完成的任务"', 2024) is None
    assert parse_deadline("年内建成区级政务服务中心", 2024).year == 2024
    assert parse_deadline("推进今年经济工作", 2024) is None


def test_repeats_split_recurring_indicators_from_carried_over(cli):
    files = sorted(CORPUS.glob("shenzhen-luohu_202[2345]_gongzuobaogao.txt"))
    data, _ = _json(cli, "repeats", *files, codes=(1,))
    kinds = {r["kind"] for r in data["repeats"]}
    assert kinds == {"recurring-indicator", "carried-over"}
    retail = [r for r in data["repeats"] if r["kind"] == "recurring-indicator" and "社会消费品零售总额" in r["indicator"]]
    assert retail and len(retail[0]["series"]) == len(retail[0]["years"]) >= 3
    assert len({p["planned"] for p in retail[0]["series"]}) >= 2  # a new target each year
    assert any(p["realised"] for p in retail[0]["series"])
    assert data["summary"]["recurring_indicator"] + data["summary"]["carried_over"] == data["summary"]["repeats"]


def test_terminal_shows_the_two_repeat_kinds_apart():
    from comparer.api import load_report
    from comparer.repeats import find_repeats
    from comparer.report import render

    files = sorted(CORPUS.glob("shenzhen-luohu_202[34]_gongzuobaogao.txt"))
    text = render(find_repeats([load_report(f) for f in files]), "text")
    assert text.index("recurring indicators") < text.index("carried-over commitments")


RENAMED_PLAN = """2023年某区政府工作报告
一、2022年工作回顾
过去一年，我们完成了各项工作。
二、2023年工作安排
（一）优化营商环境。建成“智慧法务”综合服务平台，为企业提供一站式法律服务。
"""
RENAMED_LATER = """2024年某区政府工作报告
一、2023年工作回顾
过去一年，“法务通”上线运行，累计访问2000余次。区司法局牵头完成数据迁移。
二、2024年工作安排
（一）深化改革。“智慧法务”综合服务平台已更名为“法务通”。
"""


def test_a_renamed_platform_is_still_found(tmp_path):
    from comparer.api import load_report
    from comparer.followup import follow_up

    plan, later = tmp_path / "mouqu_2023_report.txt", tmp_path / "mouqu_2024_report.txt"
    plan.write_text(RENAMED_PLAN, "utf-8")
    later.write_text(RENAMED_LATER, "utf-8")
    (item,) = [i for i in follow_up(load_report(plan), [load_report(later)]).items if "智慧法务" in i.commitment.text]
    results = [e for e in item.evidence if e.role == "results"]
    assert results and "法务通" in results[0].text

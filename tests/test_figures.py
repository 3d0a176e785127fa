"""Figures: extraction from real reports, ratio checks, indicator matching, targets."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from comparer.figures import (
    Figure,
    check_ratios,
    extract_figures,
    meets_target,
    same_indicator,
)
from comparer.normalize import normalize

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CN_2024_WEB = FIXTURES / "seeds" / "changning_2024_fazhi_report_webtext.txt"
CN_2024_PDF = FIXTURES / "seeds" / "changning_2024_fazhi_report_pdftext.txt"
CN_2022 = FIXTURES / "seeds" / "changning_qufuban_2022_fazhi_report_pdftext.txt"
JINGAN = FIXTURES / "seeds" / "jingan_fazhi_plan_2021-2025_pdftext.txt"
GWY_2023 = FIXTURES / "corpus" / "guowuyuan_2023_gongzuobaogao.txt"
GWY_2024 = FIXTURES / "corpus" / "guowuyuan_2024_gongzuobaogao.txt"
ALL_FILES = sorted((FIXTURES / "seeds").glob("*.txt")) + [GWY_2023, GWY_2024]


@lru_cache(maxsize=None)
def text_of(path: Path) -> str:
    return normalize(path.read_text(encoding="utf-8")).text


@lru_cache(maxsize=None)
def figures_of(path: Path) -> tuple[Figure, ...]:
    return tuple(extract_figures(text_of(path)))


def find(path: Path, raw: str) -> Figure:
    found = [f for f in figures_of(path) if f.raw == raw]
    assert found, f"{raw} not extracted from {path.name}"
    return found[0]


@pytest.mark.parametrize("path", [CN_2024_WEB, CN_2024_PDF])
@pytest.mark.parametrize(
    "raw, value, unit, subject",
    [
        ("41个", 41, "个", "领域"),
        ("188份", 188, "份", "政策文件"),
        ("120名", 120, "名", "行政执法人员"),
        ("48场", 48, "场", "政府开放月活动"),
        ("7009件", 7009, "件", "民间纠纷"),
        ("6698件", 6698, "件", "调解纠纷"),
        ("95.6%", 95.6, "%", "调解成功率"),
        ("三个", 3, "个", "分课题"),
    ],
)
def test_domain_examples_in_both_versions(path, raw, value, unit, subject):
    figure = find(path, raw)
    assert (figure.value, figure.unit) == (value, unit)
    assert subject in figure.subject


def test_chinese_numeral_ten_big_cases():
    tens = [f for f in figures_of(CN_2024_WEB) if f.raw == "十大"]
    assert tens and all(f.value == 10 for f in tens)
    assert "案例" in {f.subject for f in tens}


def test_three_times_hundred_percent_is_one_figure():
    figure = find(CN_2024_WEB, "3个100%")
    assert (figure.value, figure.unit, figure.comparator) == (100, "%", "=")
    assert figure.subject.endswith("率")
    assert not any(f.raw in ("3个", "100%") and f.offset == figure.offset for f in figures_of(CN_2024_WEB))


def test_2022_report_figures():
    assert find(CN_2022, "94.82%").subject.endswith("网办率")
    assert find(CN_2022, "42场").subject == "政府开放活动"
    assert find(CN_2022, "六千余条").value == 6000 and find(CN_2022, "六千余条").comparator == "≥"
    two = [f for f in figures_of(CN_2022) if f.subject == "免于提交"]
    assert two and two[0].value == 2 and two[0].raw == "两个"


def test_ratio_consistent_in_both_versions():
    for path in (CN_2024_WEB, CN_2024_PDF):
        checks = check_ratios(list(figures_of(path)), text_of(path))
        assert len(checks) == 1
        check = checks[0]
        assert (check.numerator.value, check.denominator.value, check.stated_percent) == (6698, 7009, 95.6)
        assert check.computed_percent == pytest.approx(95.5628, abs=1e-3)
        assert check.consistent
        assert "调解成功率" in check.sentence
        assert text_of(path)[check.offset:].startswith(check.sentence)


def test_planted_inconsistent_ratio_is_flagged():
    text = text_of(CN_2024_WEB).replace("成功调解纠纷6698件", "成功调解纠纷6000件")
    checks = check_ratios(extract_figures(text), text)
    assert len(checks) == 1
    assert not checks[0].consistent
    assert checks[0].computed_percent == pytest.approx(85.6, abs=0.01)


def test_no_ratio_check_without_rate_subject_or_related_counts():
    text = "办理人大建议171件、政协提案109件,办理答复率100%。规模由112公里增至134公里,占比由57%增至69%。"
    assert check_ratios(extract_figures(text), text) == []


def test_national_target_1200_wan_people():
    target = next(f for f in figures_of(GWY_2023) if f.raw == "1200万人左右")
    assert (target.value, target.unit, target.comparator) == (1.2e7, "人", "≈")
    assert target.subject == "城镇新增就业"
    result = find(GWY_2024, "1244万人")
    assert result.subject == "城镇新增就业" and result.value == 1.244e7
    assert meets_target(target, result) is True
    assert find(GWY_2024, "1200万人以上").comparator == "≥"
    assert same_indicator(target, result) == 1.0


def test_scale_units_and_ranges():
    assert find(GWY_2023, "1.37万亿斤").value == pytest.approx(1.37e12)
    assert find(GWY_2023, "2.4万亿元").unit == "元"
    assert find(GWY_2023, "2.4万亿元").comparator == "≥"  # 超过
    text = "国内生产总值增长6.5%-7%,居民消费价格涨幅3%左右。"
    growth = extract_figures(text)[0]
    assert (growth.raw, growth.value, growth.comparator) == ("6.5%-7%", 6.5, "≥")


def test_list_continuation_inherits_subject():
    rate_from = find(GWY_2023, "60.2%")
    rate_to = find(GWY_2023, "65.2%")
    assert rate_from.subject == rate_to.subject == "常住人口城镇化率"


@pytest.mark.parametrize(
    "text",
    ["一网通办", "一业一证", "进一步", "2024年", "(一)", "统一综合执法系统", "一体化", "一批",
     "一是法治政府建设仍需持续深入推进。二是", "党的二十大精神", "十九届五中全会", "静府办发[2021]11号",
     "规划(2021-2025年)", "发布日期:2025-01-09", "1-11月", "第三届", "1.强化法治思维根基",
     "增强\"四个意识\"、坚定\"四个自信\"", "十三届全国人大五次会议", "深化推广\"三所联动\"机制",
     "《提升行政执法质量三年行动计划》", "12345热线", "七八个"],
)
def test_no_figures_from_names_years_and_markers(text):
    assert extract_figures(normalize(text).text) == []


def test_plan_targets_carry_comparators():
    attend = next(f for f in figures_of(JINGAN) if f.subject.endswith("出庭率"))
    assert (attend.value, attend.comparator) == (100, "=")
    hours = find(JINGAN, "40学时")
    assert hours.comparator == "≥"
    once = find(JINGAN, "1次")
    assert once.comparator == "≥"  # 每年至少组织1次
    assert not any("2021" in f.raw or "2035" in f.raw for f in figures_of(JINGAN))


def test_same_indicator_lines_up_open_days_across_years():
    events_2024 = find(CN_2024_WEB, "48场")
    events_2022 = find(CN_2022, "42场")
    assert same_indicator(events_2024, events_2022) > 0.8
    assert same_indicator(events_2024, events_2022) > same_indicator(events_2024, find(CN_2022, "1903张"))
    assert same_indicator(find(CN_2024_WEB, "95.6%"), find(CN_2024_WEB, "7009件")) == 0.0


def fig(value, unit, comparator=None, subject="出庭率"):
    return Figure(value=value, raw=f"{value}{unit}", unit=unit, subject=subject, comparator=comparator, offset=0)


@pytest.mark.parametrize(
    "target, result, expected",
    [
        (fig(100, "%", "="), fig(98, "%"), False),
        (fig(100, "%", "="), fig(100, "%"), True),
        (fig(2, "次", "≥"), fig(3, "次"), True),
        (fig(120, "个工作日", "≤"), fig(90, "个工作日"), True),
        (fig(120, "个工作日", "≤"), fig(130, "个工作日"), False),
        (fig(1.2e7, "人", "≈"), fig(1.17e7, "人"), True),  # 97.5% of a 左右 target
        (fig(1.2e7, "人", "≈"), fig(1.1e7, "人"), False),
        (fig(5.5, "%", "≈", "城镇调查失业率"), fig(5.2, "%", None, "城镇调查失业率"), True),
        (fig(5.5, "%", "≈", "城镇调查失业率"), fig(5.8, "%", None, "城镇调查失业率"), False),
        (fig(100, "%"), fig(3, "个"), None),
    ],
)
def test_meets_target(target, result, expected):
    assert meets_target(target, result) is expected


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_raw_sits_at_offset_in_real_files(path):
    text = text_of(path)
    figures = figures_of(path)
    assert figures
    assert [f.offset for f in figures] == sorted(f.offset for f in figures)
    for figure in figures:
        assert text[figure.offset:figure.offset + len(figure.raw)] == figure.raw
        assert figure.comparator in (None, "≥", "≤", "≈", "=")


_ALPHABET = st.sampled_from(
    list("一二两三四五六七八九十百千万亿零〇第个件场名份大项次年月日率%.,-:;()[]\"《》、。的是进统网办证纠纷")
    + list("0123456789 \nAGPM")
)


@settings(derandomize=True, max_examples=200)
@given(st.one_of(st.text(alphabet=_ALPHABET, max_size=80), st.text(max_size=80)))
def test_extract_never_raises_and_raw_matches(text):
    figures = extract_figures(text)
    for figure in figures:
        assert text[figure.offset:figure.offset + len(figure.raw)] == figure.raw
    check_ratios(figures, text)
    for a in figures[:3]:
        for b in figures[:3]:
            assert 0.0 <= same_indicator(a, b) <= 1.0
            meets_target(a, b)

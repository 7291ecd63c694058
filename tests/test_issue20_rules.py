"""Facts a reporter can print: look-backs, asides, plan frames, restatements and clean indicator
phrases. One made-up sentence per rule (kgbuild/extract/tense.py, years.py, clauses.py, extractor.py)."""

from decimal import Decimal

from conftest import extract_text


def run(tmp_path, *paragraphs, title="某省今年政府工作报告", date="2021-03-05 09:00:00 +0800"):
    return extract_text(tmp_path, *paragraphs, title=title, date=date)


def test_a_look_back_over_the_first_years_of_a_plan_period_is_an_observation_with_its_span(tmp_path):
    x = run(tmp_path, "“十三五”前四年累计单位地区生产总值能耗下降11.2%，主要污染物排放量持续减少。",
            date="2020-02-10 09:00:00 +0800")
    assert not x.targets
    (o,) = [o for o in x.observations if o.value == Decimal("11.2")]
    assert (o.period_start, o.year) == (2016, 2019)
    assert o.aggregation == "cumulative" and o.indicator == "单位地区生产总值能耗下降"


def test_a_cue_in_brackets_decides_only_the_aside(tmp_path):
    x = run(tmp_path, "一、2020年计划执行情况",
            "全区生产总值812亿元，完成年计划850亿元的95.5%（主要是工业未达预期目标），增长3.1%。")
    assert not [t for t in x.targets if t.value == Decimal("3.1")]
    assert [o for o in x.observations if o.value == Decimal("3.1")]


def test_a_past_word_in_another_clause_does_not_outweigh_a_goal_in_a_plan_frame(tmp_path):
    x = run(tmp_path, "到2025年的主要目标：",
            "科技创新取得新突破，研发经费投入强度达到3.1%左右，高新技术产业增加值超过8000亿元。")
    values = {t.value for t in x.targets}
    assert {Decimal("3.1"), Decimal("8000")} <= values


def test_a_headline_figure_restated_in_another_sentence_is_one_target(tmp_path):
    x = run(tmp_path, "某市发布规划纲要，到2025年地区生产总值将达到8000亿元。",
            "纲要提出，到2025年，全市地区生产总值达到8000亿元，人均地区生产总值超过12万元。")
    assert len([t for t in x.targets if t.value == Decimal("8000")]) == 1


def test_indicator_phrases_lose_plan_words_times_and_bases(tmp_path):
    x = run(tmp_path, "今年拟安排省级财政专项资金320亿元，比上年预算增加25亿元。",
            "全省经济增长预期目标是在提高效益的基础上年均增长6.5%。",
            "企业职工基本养老金今年再提高4%。")
    names = {t.value: (t.indicator, t.aggregation) for t in x.targets}
    assert names[Decimal("320")][0] == "省级财政专项资金"
    assert names[Decimal("6.5")] == ("经济增长", "annualAverage")
    assert names[Decimal("4")][0] == "企业职工基本养老金提高"

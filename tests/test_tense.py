"""Promise or report, decided per number; the year a reported value is for. One made-up text per
phenomenon (kgbuild/extract/tense.py, data/lexicon/cues.tsv, sections.tsv, relative_years.tsv)."""

from decimal import Decimal

from conftest import extract_text


def run(tmp_path, *paragraphs, title="某县召开工作会议", date="2023-02-10 09:00:00 +0800"):
    return extract_text(tmp_path, *paragraphs, title=title, date=date)


def values(items):
    return sorted(x.value if x.value is not None else (x.min, x.max) for x in items)


def test_announced_goals_are_promises_though_the_verb_has_past_aspect(tmp_path):
    x = run(tmp_path, "今年全县环保工作的目标任务已经明确：新建污水管网20公里，改造雨污管网15公里。")
    assert values(x.targets) == [15, 20] and x.observations == ()


def test_reported_speech_about_a_plan_is_a_plan(tmp_path):
    x = run(tmp_path, "报告回顾了过去五年工作，部署了今年任务。",
            "他在报告中提出了今年的主要目标，即全市生产总值增长8.4%左右，新增城镇就业岗位3万个以上。",
            title="市长作政府工作报告", date="2024-01-20 09:00:00 +0800")
    assert values(x.targets) == [Decimal("8.4"), 30000]
    gdp = next(t for t in x.targets if t.value == Decimal("8.4"))
    assert gdp.indicator == "生产总值增长" and gdp.year == 2024 and gdp.cue == "目标"


def test_a_plan_execution_section_reports_and_the_plan_section_promises(tmp_path):
    x = run(tmp_path, "一、2023年计划执行情况", "预计全年地区生产总值520亿元，完成年计划的95%，增长3.1%。",
            "二、2024年计划安排", "地区生产总值增长6%左右，新增城镇就业岗位2万个。",
            title="关于2023年计划执行情况与2024年计划草案的报告", date="2024-01-20 09:00:00 +0800")
    assert values(x.targets) == [6, 20000]
    assert values(x.observations) == [Decimal("3.1"), 95, 520]
    assert {o.year for o in x.observations} == {2023}
    assert {t.cue for t in x.targets} <= {"§ 二、2024年计划安排", "左右"}


def test_a_review_section_narrating_with_plan_words_still_reports(tmp_path):
    x = run(tmp_path, "一、2022年工作回顾", "我们着力稳就业，确保重点群体就业稳定。", "新增城镇就业岗位2.1万个，居民收入增长5%。",
            "二、2023年主要目标", "新增城镇就业岗位2万个以上。", date="2023-02-10 09:00:00 +0800")
    assert values(x.observations) == [5, 21000] and {o.year for o in x.observations} == {2022}
    assert values(x.targets) == [20000]


def test_a_time_phrase_in_the_paragraph_outweighs_the_section(tmp_path):
    x = run(tmp_path, "三、2023年的工作", "过去一年，全县各项事业取得了新进展。全市地区生产总值增长6.2%。",
            "今年要新建学校3所。", date="2023-02-10 09:00:00 +0800")
    [o] = x.observations
    assert o.value == Decimal("6.2") and o.year == 2022
    assert values(x.targets) == [3]


def test_a_neutral_heading_keeps_the_frame_of_the_section_before(tmp_path):
    x = run(tmp_path, "一、2022年工作回顾", "全市新增科技型企业50家。", "二、2023年工作安排", "全市新增科技型企业80家。",
            "三、把改革推向纵深", "全市新增市场主体1万户。")
    assert values(x.targets) == [80, 10000] and values(x.observations) == [50]


def test_a_cue_bound_to_a_baseline_decides_only_that_number(tmp_path):
    x = run(tmp_path, "今年拟安排赤字规模4150亿元，全省赤字率从去年的2.3%提高到2.9%。")
    assert values(x.targets) == [Decimal("2.9"), 4150]


def test_a_completed_plan_is_a_report(tmp_path):
    x = run(tmp_path, "去年，全县年度重点任务全面完成。全市地区生产总值增长6.9%。", date="2023-03-05 09:00:00 +0800")
    [o] = x.observations
    assert o.value == Decimal("6.9") and o.year == 2022 and x.targets == ()


def test_a_plan_verb_with_a_completion_verb_after_it_promises(tmp_path):
    x = run(tmp_path, "今年上半年已改造1.6万套，全年计划完成3.2万套。", date="2023-08-12 09:00:00 +0800")
    assert values(x.targets) == [32000] and values(x.observations) == [16000]


def test_a_modal_word_after_a_past_time_describes_the_past(tmp_path):
    x = run(tmp_path, "2022年，全市新引进亿元项目96个，计划投资额529亿元。新开工项目60个。",
            title="2022年全市新引进亿元项目96个", date="2023-02-07 09:00:00 +0800")
    assert x.targets == () and set(values(x.observations)) == {60, 96, 529}    # the headline's 96 too


def test_an_aspect_marker_after_this_year_reports_progress(tmp_path):
    x = run(tmp_path, "今年全市已新增高新技术企业200家。", date="2023-07-01 09:00:00 +0800")
    assert x.targets == () and values(x.observations) == [200]


def test_the_clause_verb_after_the_number_decides(tmp_path):
    x = run(tmp_path, "今年全市将新建学校3所。", "市卫健委与6个街道在会上签署了承诺书。")
    assert values(x.targets) == [3] and values(x.observations) == [6]


def test_a_results_headline_sets_the_genre_for_cueless_numbers(tmp_path):
    x = run(tmp_path, "全省食品抽检合格率达98.5%以上。",
            title="2022年某省粮食总产量创新高", date="2023-03-17 09:00:00 +0800")
    assert x.targets == () and values(x.observations) == [Decimal("98.5")]


def test_a_paragraph_opening_with_a_connective_goes_on_from_the_one_before(tmp_path):
    x = run(tmp_path, "“十三五”期间，全市建成5G基站4.9万个。", "同时，全市行政村通宽带率达100%。",
            title="今年全市将新建5G基站1万个", date="2021-03-22 09:00:00 +0800")
    assert values(x.observations) == [100, 49000]


def test_a_goal_worded_number_makes_the_list_after_it_a_plan(tmp_path):
    x = run(tmp_path, "全市地区生产总值同比增长6%左右，新增城镇就业岗位3万个以上。", date="2023-01-15 10:00:00 +0800")
    assert values(x.targets) == [6, 30000]


def test_long_cue_phrases_the_segmenter_splits(tmp_path):
    x = run(tmp_path, "此外，一年来，全市15类慢性病患者受益8.2万人次。", title="今年力争新增养老床位1200张",
            date="2018-02-01 09:00:00 +0800")
    assert values(x.targets) == [1200] and values(x.observations) == [82000]


def test_observation_year_from_the_review_heading(tmp_path):
    x = run(tmp_path, "一、2018年工作回顾", "国内生产总值增长5.3%，居民消费价格上涨1.6%。",
            title="国务院2019年工作报告（摘要）", date="2019-03-05 09:00:00 +0800")
    assert [(o.value, o.year) for o in x.observations] == [(Decimal("5.3"), 2018), (Decimal("1.6"), 2018)]
    assert x.observations[1].kind == "growth_rate"


def test_a_winter_review_reports_this_year(tmp_path):
    x = run(tmp_path, "一年来，全市新增就业1.2万人。", date="2023-12-20 09:00:00 +0800")
    [o] = x.observations
    assert o.year == 2023


def test_years_of_a_multi_year_plan(tmp_path):
    x = run(tmp_path, "今年起，用3年时间完成全市27个老旧小区改造。", date="2016-05-01 09:00:00 +0800")
    [t] = x.targets
    assert t.year == 2018


def test_every_decision_keeps_its_cue(tmp_path):
    x = run(tmp_path, "去年全市新增科技型企业300家，今年力争新增420家。")
    assert [t.cue for t in x.targets] == ["力争"] and [o.cue for o in x.observations] == ["去年"]


def test_a_plan_periods_targets_are_for_its_last_year(tmp_path):
    x = run(tmp_path, "二、“十四五”时期的发展目标",
            "今后五年，全省经济在结构优化的基础上年均增长6.5%。按2020年价格计算，2025年全省生产总值将超过6万亿元。",
            "新增城镇就业岗位300万个。", title="某省2021年工作报告（摘要）", date="2021-01-25 09:00:00 +0800")
    by_value = {t.value: t for t in x.targets}
    assert by_value[60000].year == 2025                        # 2025年 after 按2020年价格计算
    assert by_value[3000000].year == 2025 and by_value[3000000].period_start == 2021     # the section's span
    assert by_value[Decimal("6.5")].year == 2025 and by_value[Decimal("6.5")].period_start == 2021   # 今后五年，…年均

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


def test_a_progress_report_reports_and_the_years_plan_it_quotes_stays_a_target(tmp_path):
    x = run(tmp_path, "记者从市发改委获悉，全市重点项目建设进展顺利。",
            "全市完成重点项目投资350亿元，占年度计划的62%。新开工项目45个，竣工项目18个。",
            "今年全市安排重点项目投资600亿元。",
            title="某市前7个月重点项目建设进展顺利", date="2023-08-12 10:00:00 +0800")
    assert [t.value for t in x.targets] == [Decimal("600")]
    assert {o.value for o in x.observations} >= {Decimal("350"), Decimal("62"), Decimal("45"), Decimal("18")}
    assert x.genre == "progress"
    assert any(o.cue.startswith("genre: progress") for o in x.observations)


def test_a_plan_stays_a_plan(tmp_path):
    x = run(tmp_path, "今年全市将新增高新技术企业120家，研发经费投入增长12%以上。", title="某市今年科技工作要点")
    assert x.genre == "plan" and len(x.targets) == 2


def test_every_comparator_and_unit_a_sector_plan_uses(tmp_path):
    x = run(tmp_path, "到2025年，全省婴儿死亡率低于4.5‰，城镇污水处理率提高到96%，森林覆盖率大于46%，"
            "单位地区生产总值二氧化碳排放降低19个百分点，科技成果转化收益增长到1.5倍，区域创新能力指数达到150以上，"
            "能源消费总量控制在2.6亿吨标准煤以内。", title="某省“十四五”生态环境保护规划")
    got = {t.value: (t.comparator, t.unit, t.kind) for t in x.targets}
    assert got[Decimal("4.5")] == ("lt", "‰", "ratio")
    assert got[Decimal("96")] == ("eq", "%", "ratio")                 # 提高到: a level, not a growth
    assert got[Decimal("46")][0] == "gt"
    assert got[Decimal("19")][1] == "个百分点"
    assert got[Decimal("1.5")] == ("eq", "倍", "ratio")
    assert got[Decimal("150")] == ("ge", None, "amount")             # an index has no unit
    assert got[Decimal("260000000")][:2] == ("le", "吨标准煤")
    assert all(t.year == 2025 for t in x.targets)


def test_two_figures_that_share_only_a_measure_name_stay_two_targets(tmp_path):
    x = run(tmp_path, "今年保税物流中心进出口额完成6亿美元。", "跨境电商进出口额实现6亿美元。",
            "全县粮食产量年均增长3%。", "今年粮食产量增长3%。")
    assert len([t for t in x.targets if t.value == Decimal("6")]) == 2
    assert len([t for t in x.targets if t.value == Decimal("3")]) == 2


def test_goals_that_have_been_settled_are_a_plan_not_a_report(tmp_path):
    x = run(tmp_path, "今年全县水务工作的主要目标已经敲定，农村污水处理率达到85%，新建管网40公里。",
            date="2021-03-20 09:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal("85"), Decimal("40")}
    assert not x.observations


def test_won_in_a_paragraph_about_last_year_is_a_report_and_a_plan_project_is_no_plan(tmp_path):
    x = run(tmp_path, "2020年全省科技工作取得新进展，登记科技成果980项。争取国家重点研发计划项目120项，"
                      "资金3.2亿元；专利授权8100件，同比增长12.5%。",
            "2021年全省科技工作的预期目标是：技术合同成交额达到150亿元。",
            date="2021-01-20 09:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal("150")}
    assert {Decimal("120"), Decimal("3.2"), Decimal("8100"), Decimal("12.5")} <= {o.value for o in x.observations}


def test_a_plan_still_strives_after_a_sentence_about_last_year_when_it_names_its_own_year(tmp_path):
    x = run(tmp_path, "2020年全市新增就业2.1万人。2021年争取新增就业2.3万人。", date="2021-02-01 09:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal("23000")}


def test_the_population_by_age_is_forecast_not_steered(tmp_path):
    x = run(tmp_path, "预计到2025年，全市60岁及以上人口占总人口比重将超过22%，届时养老床位将达到3万张。",
            date="2021-06-01 09:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal("30000")}


def test_a_count_of_districts_that_each_act_is_not_a_target(tmp_path):
    x = run(tmp_path, "到2025年，市级和9个区分别建成养老服务指导中心，社区养老设施覆盖率达到100%。",
            date="2021-06-01 09:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal("100")}


def test_a_yearly_average_under_a_plan_period_and_a_year_is_for_the_period(tmp_path):
    x = run(tmp_path, "我县“十四五”及2021年林业工作的主要目标：林业产值年均增长6%，完成造林面积2万亩。",
            date="2021-02-03 09:00:00 +0800")
    by = {t.value: t for t in x.targets}
    assert (by[Decimal("6")].year, by[Decimal("6")].period_start, by[Decimal("6")].aggregation) == (2025, 2021, "annualAverage")
    assert by[Decimal("20000")].year == 2021


def test_an_achievement_word_does_not_turn_a_plan_with_its_deadline_into_a_report(tmp_path):
    x = run(tmp_path, "到2025年，全市生产总值达到2万亿元；科技创新取得新成就，研发投入强度达到3%左右；"
                      "生态环境得到改善，森林覆盖率提高到45.5%。今年以来已新建公园12个。",
            date="2021-05-01 09:00:00 +0800")
    assert {Decimal("45.5"), Decimal("3")} <= {t.value for t in x.targets}
    assert Decimal("12") in {o.value for o in x.observations}


def test_measure_words_of_fields_wells_and_lamps_are_units(tmp_path):
    x = run(tmp_path, "今年全省将完成800片粮油高产创建，新打机井120眼，新装路灯3000盏。")
    assert {(t.value, t.unit) for t in x.targets} == {(Decimal("800"), "片"), (Decimal("120"), "眼"), (Decimal("3000"), "盏")}


def test_a_headline_counting_people_in_ren_restates_the_body_counting_them_in_ming(tmp_path):
    x = run(tmp_path, "今年全区将新招录教师300名。", title="某区今年计划新招录教师300人")
    (t,) = [t for t in x.targets if t.value == Decimal("300")]
    assert len(t.mentions) == 2


def test_a_share_of_the_years_plan_and_the_growth_after_it_name_the_measured_thing(tmp_path):
    x = run(tmp_path, "初步预计，全区地区生产总值420亿元，完成年计划450亿元的93.3%，增长4.1%。",
            date="2022-01-05 09:00:00 +0800")
    names = {o.value: o.indicator for o in x.observations}
    assert names[Decimal("93.3")].endswith("地区生产总值完成年度计划比例")
    assert names[Decimal("4.1")].endswith("地区生产总值增长")


def test_stranded_characters_prepositions_durations_and_change_wordings_leave_the_phrase(tmp_path):
    x = run(tmp_path, "今年保障性安居工程新开工住房60万套。",
            "在地级以上城市进行养老服务改革试点20个。",
            "用3年时间实现全市美丽乡村示范村150个。",
            "城乡居民医保财政补助标准提高到每人每年610元。")
    names = {t.value: t.indicator for t in x.targets}
    assert not names[Decimal("20")].startswith("在") and names[Decimal("20")].endswith("进行养老服务改革试点")
    assert names[Decimal("150")] == "实现全市美丽乡村示范村"
    assert names[Decimal("610")] == "城乡居民医保财政补助标准"


def test_eval_scores_the_reported_values_a_gold_file_annotates_with_their_year(tmp_path):
    import json
    from kgbuild.report.evaluate import evaluate, totals
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "r1.md").write_text(
        "---\ntitle: \"某县2020年工作总结\"\ndate: 2021-01-10 09:00:00 +0800\n---\n"
        "<p>去年全县地区生产总值增长6.1%，新增城镇就业3200人。今年将新建农村公路80公里。</p>\n", encoding="utf-8")
    gold = {"article": "r1.md", "city": "某县", "year": 2021,
            "targets": [{"indicator": "新建农村公路", "comparator": "eq", "value": 80, "unit": "公里", "kind": "amount",
                         "year": 2021, "mentions": ["新建农村公路80公里"]}],
            "observations": [{"indicator": "地区生产总值增长", "comparator": "eq", "value": 6.1, "unit": "%",
                              "kind": "growth_rate", "year": 2020, "mentions": ["地区生产总值增长6.1%"]},
                             {"indicator": "新增城镇就业", "comparator": "eq", "value": 3000, "unit": "人",
                              "kind": "count", "year": 2020, "mentions": ["新增城镇就业3200人"]}]}
    (tmp_path / "set" / "r1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    line = next(l for l in totals(evaluate(tmp_path)).splitlines() if l.startswith("set   observations"))
    assert "tp=1 fp=1 fn=1" in line and "year=1.000" in line      # 3000 is not the 3200 the text says


def test_a_comparison_base_year_is_not_the_year_a_value_is_for(tmp_path):
    x = run(tmp_path, "过去五年，全省人均住房面积比2016年增加3.1平方米，研发投入强度由2016年的1.8%提高到2020年的2.3%。",
            date="2021-01-20 09:00:00 +0800")
    years = {o.value: o.year for o in x.observations}
    assert years[Decimal("3.1")] != 2016 and years[Decimal("2.3")] == 2020

"""Numbers that are not targets, commitments stated twice, and text as real pages give it.
One made-up sentence per rule (kgbuild/extract/extractor.py, numbers.py, script.py, read/parse.py)."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings, strategies as st

from conftest import extract_text
from kgbuild.extract.numbers import zh_to_int


def run(tmp_path, *paragraphs, title="某市今年工作安排", date="2023-02-10 09:00:00 +0800"):
    return extract_text(tmp_path, *paragraphs, title=title, date=date)


@pytest.mark.parametrize("sentence", [
    "今年要认真执行八项规定。",                                  # a doctrine's name
    "今年要统筹推进两个循环、三项机制。",                        # a slogan
    "今年将实施“十大工程”，开展三大行动。",                     # quoted and 三大 names
    "今年要扎实推进18项重点工作落实。",                          # the plan's own tasks
    "今年将着力抓好技能提升行动、就业帮扶活动等5项工作。",       # the plan's own tasks
    "每个示范村可获省级奖补资金500万元。",                       # an entitlement
    "符合条件的企业最高可享受50万元奖励。",                      # an entitlement
    "预计今年全省应届毕业生将超过42万人。",                      # a forecast nobody steers
    "今年将补贴标准从每人2万元提高到8万元。",                   # 2万元 is the baseline (8万元 is the target)
])
def test_not_a_target(tmp_path, sentence):
    x = run(tmp_path, sentence)
    assert all(t.value != 2 and t.value != 1050 * 10000 for t in x.targets)
    assert [t.value for t in x.targets] in ([], [Decimal(8)]), [(t.indicator, t.value) for t in x.targets]


def test_numbers_that_qualify_a_noun(tmp_path):
    x = run(tmp_path, "今年将新增800个20户以上村民小组通自来水，每个区力争引进2-3个过20亿元、过50亿元项目。")
    assert sorted((str(t.value), t.min, t.max) for t in x.targets) == [("800", None, None), ("None", 2, 3)]


def test_a_count_of_the_names_just_listed_is_no_target_but_a_count_with_one_example_is(tmp_path):
    assert run(tmp_path, "今年重点推进东环、西环、南环等3条快速路建设。").targets == ()
    [t] = run(tmp_path, "今年将完成智慧社区等5项改革试点评估验收。").targets
    assert t.value == 5 and t.indicator == "改革试点评估验收"


def test_a_total_of_listed_projects_is_scope_not_a_target(tmp_path):
    x = run(tmp_path, "今年全市共有重点项目15个，总投资60亿元，年度计划投资12.5亿元。")
    assert sorted(t.value for t in x.targets) == [Decimal("12.5"), 15]


def test_a_plans_change_on_last_year_restates_the_figure(tmp_path):
    x = run(tmp_path, "今年拟安排赤字规模4150亿元，比去年增加260亿元。")
    assert [t.value for t in x.targets] == [4150]


def test_one_commitment_in_two_wordings_is_one_target(tmp_path):
    x = run(tmp_path, "今年经济增速预期目标为5.5%左右。", "地区生产总值增长5.5%左右，新增城镇就业岗位1万个以上。")
    gdp = [t for t in x.targets if t.value == Decimal("5.5")]
    assert len(gdp) == 1 and len(gdp[0].mentions) == 2
    assert gdp[0].concept == "https://w3id.org/ptkg/indicator/gdp-growth" and gdp[0].kind == "growth_rate"


def test_a_headline_restating_the_one_body_target_is_one_target(tmp_path):
    x = run(tmp_path, "今年要建成开放12所社区图书馆，计划开放的12所图书馆将在10月之前全部启用。",
            title="某市12所新建社区图书馆10月前全部启用")
    [t] = x.targets
    assert t.value == 12 and len(t.mentions) == 3 and t.indicator != "某市新建社区图书馆10月前全部启用"


def test_a_headline_in_two_parts(tmp_path):
    x = run(tmp_path, "某市获悉，2020年底，某市城区污水收集率要达到85%。",
            title="明年底污水收集率要达85% 全市污水治理现场会召开", date="2019-08-12 09:00:00 +0800")
    [t] = x.targets
    assert t.value == 85 and t.year == 2020 and all("现场会" not in m.text for m in t.mentions)


def test_people_counted_without_a_measure_word(tmp_path):
    x = run(tmp_path, "今年农村低收入人口减少80万以上，惠及120万中小学生。")
    assert sorted((t.value, t.unit) for t in x.targets) == [(800000, "人"), (1200000, "人")]


def test_full_width_digits_and_signs(tmp_path):
    x = run(tmp_path, "今年将新增就业１２万人，地区生产总值增长６．５％，增长6%－6.5%。")
    assert sorted(str(t.value or (t.min, t.max)) for t in x.targets) == \
        ["(Decimal('6'), Decimal('6.5'))", "120000", "6.5"]


def test_traditional_characters_are_read_and_offsets_stay_on_the_original(tmp_path):
    x = run(tmp_path, "今年將新增高新技術企業300家。")
    [t] = x.targets
    assert t.indicator == "新增高新技术企业" and t.cue == "将"
    assert t.mentions[0].text == "新增高新技術企業300家"
    assert x.article.text[t.mentions[0].begin:t.mentions[0].end] == t.mentions[0].text


def test_invisible_characters_and_spaces_inside_numbers(tmp_path):
    x = run(tmp_path, "今年将新增就业120\u200b0人，引进人才1 500名，实现外贸出口额3260 万美元左右。")
    assert sorted((t.value, t.unit) for t in x.targets) == [(1200, "人"), (1500, "名"), (3260, "万美元")]
    assert "\u200b" not in x.article.text


def test_trillions_keep_the_money_unit(tmp_path):
    [t] = run(tmp_path, "今年拟安排专项债券1.8万亿元。").targets
    assert (t.value, t.unit) == (Decimal(18000), "亿元")


def test_an_excerpt_that_ends_mid_sentence(tmp_path):
    x = run(tmp_path, "今年全市将新增科技型企业420家，专精特新企业达到")
    assert [t.value for t in x.targets] == [420]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999_999_999))
def test_chinese_numerals_agree_with_cn2an(n):
    """cn2an, made for Chinese numerals, writes n; our reader (8x faster, measured) must read it back."""
    assert zh_to_int(cn2an.an2cn(n)) == n


def test_an_aside_in_brackets_after_a_figure_is_not_part_of_its_evidence(tmp_path):
    x = run(tmp_path, "今年一般公共预算收入增长6%（剔除一次性因素后增长8%），城镇新增就业3万人。")
    first = next(t for t in x.targets if t.value == 6)
    assert first.mentions[0].text == "一般公共预算收入增长6%"
    assert first.indicator == "一般公共预算收入增长"


def test_a_milestone_figure_is_a_reported_value_not_a_class(tmp_path):
    x = run(tmp_path, "去年财政总收入突破500亿元大关，地区生产总值迈上4000亿元新台阶。", date="2024-01-10 09:00:00 +0800")
    assert sorted((o.indicator, o.value) for o in x.observations) == [("地区生产总值", Decimal(4000)),
                                                                       ("财政总收入", Decimal(500))]


def test_a_rate_per_hundred_thousand(tmp_path):
    x = run(tmp_path, "今年孕产妇死亡率控制在9/10万以下，婴儿死亡率控制在4‰以内。")
    assert [(t.indicator, t.value, t.unit, t.comparator) for t in x.targets] == [
        ("孕产妇死亡率", Decimal(9), "/10万", "le"), ("婴儿死亡率", Decimal(4), "‰", "le")]


def test_a_plan_period_under_way_names_no_time_ahead(tmp_path):
    """实现了“十四五”良好开局 in a January 2022 review: the period runs 2021–2025; its name alone does not
    make the figures that follow plans for 2025."""
    x = run(tmp_path, "过去一年，全省经济持续恢复，实现了“十四五”良好开局。</p><p>全省地区生产总值增长8.8%，城镇新增就业48万人。",
            title="某省人民政府工作报告（2022年）", date="2022-01-26 09:00:00 +0800")
    assert not x.targets
    assert sorted((o.indicator, o.year) for o in x.observations) == [("地区生产总值增长", 2021), ("城镇新增就业", 2021)]


def test_an_estimate_in_a_review_is_a_reported_value(tmp_path):
    x = run(tmp_path, "一、2023年计划执行情况。全市经济回升向好，主要指标好于预期。</p><p>民生福祉持续增进。研发经费投入强度预计达到3.2%。",
            title="关于某市2023年计划执行情况与2024年计划草案的报告",
            date="2024-01-29 09:00:00 +0800")
    assert not x.targets and [(o.value, o.year) for o in x.observations] == [(Decimal("3.2"), 2023)]


def test_a_milestone_of_an_order_of_magnitude(tmp_path):
    """迈上万亿元台阶: at least one 万亿元; 扣除…因素后 qualifies the growth, it is not what grows."""
    x = run(tmp_path, "今年全市地区生产总值力争迈上万亿元台阶，一般公共预算收入扣除留抵退税因素后增长6%。")
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in x.targets] == [
        ("地区生产总值", "ge", Decimal(10000), "亿元"), ("一般公共预算收入增长", "eq", Decimal(6), "%")]

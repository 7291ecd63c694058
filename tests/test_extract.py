"""One test per phenomenon, on made-up sentences (not taken from the gold articles)."""

from decimal import Decimal

import pytest

from kgbuild.extract.lexicon import load as load_lexicon
from kgbuild.extract import extract
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse

LEX = load_lexicon()


def targets(tmp_path, body, title="某市今年工作安排", date="2023-02-10 09:00:00 +0800"):
    p = tmp_path / "t.md"
    paras = "\n".join(f"<p>{x}</p>" for x in body.split("\n"))
    p.write_text(f"---\ntitle: \"{title}\"\ndate: {date}\n---\n{paras}\n", encoding="utf-8")
    return extract(parse(load_file(p)), LEX)


def one(x, **want):
    [t] = [t for t in x.targets if all(getattr(t, k) == v for k, v in want.items() if k in ("value", "min", "max", "unit"))]
    for k, v in want.items():
        assert getattr(t, k) == v, (k, getattr(t, k), v)
    return t


def test_count_with_ge_and_multiplier(tmp_path):
    x = targets(tmp_path, "今年，我市将培训技能人才2.5万人次以上。")
    one(x, value=Decimal(25000), unit="人次", comparator="ge", kind="count", year=2023)


def test_money_keeps_unit(tmp_path):
    x = targets(tmp_path, "今年全市将完成农业投资12亿元，争取上级资金8000万元。")
    one(x, value=Decimal(12), unit="亿元", kind="amount")
    one(x, value=Decimal(8000), unit="万元", kind="amount", level="aim")


def test_growth_versus_level(tmp_path):
    x = targets(tmp_path, "今年，全市地区生产总值增长6.5%，森林覆盖率达到67%。")
    one(x, value=Decimal("6.5"), kind="growth_rate", unit="%")
    one(x, value=Decimal(67), kind="ratio", unit="%")


def test_ranges(tmp_path):
    x = targets(tmp_path, "今年将新建5至8所学校，引育1-2家龙头企业，城镇失业率控制在5%-5.5%。")
    one(x, min=Decimal(5), max=Decimal(8), comparator="range", unit="所")
    one(x, min=Decimal(1), max=Decimal(2), comparator="range", unit="家")
    one(x, min=Decimal(5), max=Decimal("5.5"), comparator="range", unit="%")


@pytest.mark.parametrize("phrase,comparator", [
    ("不少于30个", "ge"), ("至少30个", "ge"), ("30个以上", "ge"), ("超过30个", "gt"), ("突破30个", "gt"),
    ("超30个", "gt"), ("不超过30个", "le"), ("30个以内", "le"), ("30个左右", "eq"), ("达到30个", "eq"),
])
def test_comparators(tmp_path, phrase, comparator):
    x = targets(tmp_path, f"今年，全市将新建口袋公园{phrase}。")
    one(x, value=Decimal(30), comparator=comparator)


def test_two_commitment_levels_for_one_indicator(tmp_path):
    x = targets(tmp_path, "今年要积极争取省级专项资金，确保超过3000万元、争取4000万元。")
    a = one(x, value=Decimal(3000), level="ensure", comparator="gt")
    b = one(x, value=Decimal(4000), level="aim", comparator="eq")
    assert a.indicator == b.indicator and "专项资金" in a.indicator


def test_relative_target(tmp_path):
    x = targets(tmp_path, "今年，新能源公交车占比不低于公交车总量的60%。")
    t = one(x, value=Decimal(60), comparator="ge", kind="ratio")
    assert t.relative_to == "公交车总量"


def test_shared_list_respectively(tmp_path):
    x = targets(tmp_path, "今年，小学、初中、高中入学率分别达到99%、98%、95%。")
    assert [t.value for t in x.targets] == [Decimal(99), Decimal(98), Decimal(95)]
    assert [t.indicator for t in x.targets] == ["小学", "初中", "高中入学率"] or \
           all(t.indicator for t in x.targets)


def test_sub_target(tmp_path):
    x = targets(tmp_path, "今年将新建养老机构20家，其中农村养老机构12家。")
    parent = one(x, value=Decimal(20))
    child = one(x, value=Decimal(12))
    assert child.parent == x.targets.index(parent)


def test_list_verb_carries_over(tmp_path):
    x = targets(tmp_path, "今年全市将新建社区食堂40个、托育机构15家。")
    t = one(x, value=Decimal(15))
    assert t.indicator == "新建托育机构"


def test_target_years(tmp_path):
    x = targets(tmp_path, "到2025年，全市新能源汽车保有量突破10万辆。\n明年将新建充电桩500个。", date="2023-06-01 00:00:00 +0800")
    one(x, value=Decimal(100000), year=2025)
    one(x, value=Decimal(500), year=2024)
    y = targets(tmp_path, "十四五末，全市5G基站达到2万个。", date="2022-03-01 00:00:00 +0800")
    one(y, value=Decimal(20000), year=2025)


@pytest.mark.parametrize("sentence", [
    "去年，全市新增高新技术企业300家，增长20%。",
    "2022年全市完成固定资产投资500亿元。",
    "截至目前，已建成5G基站2000个。",
    "全市已累计培育专精特新企业80家。",
])
def test_past_results_are_observations_not_targets(tmp_path, sentence):
    x = targets(tmp_path, sentence)
    assert x.targets == ()
    assert x.observations


@pytest.mark.parametrize("sentence", [
    "今年将实施第二批重点项目。",                    # batch ordinal
    "深入实施“四个倍增”计划和十项工程。",            # numerals in names
    "全市经济总量居全省前3位，排名第2位。",          # ranks
    "今年要办好10件民生实事。",                      # enumeration of a list
    "咨询电话：0595-22112345。",                     # phone number
    "1月27日召开2023年全市工作会议。",               # dates
    "重点推进东环、西环、南环等3条快速路建设。",       # a count of the names just listed
    "今年将推进总投资30亿元的产业园项目。",          # an attribute of a project
])
def test_never_targets(tmp_path, sentence):
    assert targets(tmp_path, sentence).targets == ()


def test_title_and_heading_merge_into_body_target(tmp_path):
    body = "新增高新技术企业500家\n着力“登高”做强科技企业。今年，我市将新增高企500家以上。"
    x = targets(tmp_path, body, title="力争新增高企超500家")
    [t] = x.targets
    assert len(t.mentions) == 3 and t.comparator == "ge"     # the body sentence decides
    assert x.areas[0].label == "科技企业" and t.area == 1


def test_abbreviation_expanded_in_concept_key(tmp_path):
    x = targets(tmp_path, "今年将新增高企100家。")
    [t] = x.targets
    assert t.indicator == "新增高企" and t.indicator_key == "新增高新技术企业"


def test_event_date_resolved(tmp_path):
    x = targets(tmp_path, "27日，我市召开2023年全市科技工作会议。今年将新增高企100家。", date="2023-02-03 00:00:00 +0800")
    [ev] = x.events
    assert ev.date == "2023-01-27" and "科技工作会议" in ev.name


def test_place_resolution():
    from kgbuild.read.load import load
    from conftest import SEED
    x = extract(parse(load([SEED])[0]), LEX)
    assert x.place.code == "350500" and x.place.name == "泉州市" and x.place.parent_code == "350000"


def test_government_report_targets(tmp_path):
    x = targets(tmp_path, "今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业1.2万人，城镇调查失业率控制在6.2%以内，"
                          "居民消费价格涨幅3.7%左右，粮食产量稳定在100万吨以上。")
    one(x, value=Decimal(6), kind="growth_rate", comparator="eq")
    one(x, value=Decimal(12000), unit="人", kind="count")
    one(x, value=Decimal("6.2"), comparator="le", kind="ratio")
    one(x, value=Decimal("3.7"), kind="growth_rate")
    one(x, value=Decimal(1000000), unit="吨", comparator="ge", kind="amount")


def test_and_joined_values_share_the_kind_and_split_a_fused_subject(tmp_path):
    """城乡 fuses 城镇 and 农村: with 分别 and two numbers, one each, in order."""
    x = targets(tmp_path, "今年城乡居民人均可支配收入分别增长6%和7.5%。")
    a, b = x.targets
    assert (a.value, b.value) == (Decimal(6), Decimal("7.5"))
    assert a.kind == b.kind == "growth_rate"
    assert (a.indicator, b.indicator) == ("城镇居民人均可支配收入增长", "农村居民人均可支配收入增长")


def test_the_measure_after_respectively_goes_with_each_name(tmp_path):
    x = targets(tmp_path, "今年工业投资和民间投资分别增长8%和10%，高新技术企业和科技型中小企业分别达到300家、800家。")
    assert [(t.indicator, t.value) for t in x.targets] == [
        ("工业投资增长", Decimal(8)), ("民间投资增长", Decimal(10)),
        ("高新技术企业", Decimal(300)), ("科技型中小企业", Decimal(800))]


def test_class_qualifiers_and_model_numbers_are_not_targets(tmp_path):
    x = targets(tmp_path, "今年建成5G基站2000个，每千人口拥有3岁以下婴幼儿托位数达到4.5个，开工亿元以上项目100个。")
    assert sorted(t.value for t in x.targets) == [Decimal("4.5"), Decimal(100), Decimal(2000)]


@pytest.mark.parametrize("sentence", [
    "今年以来，全市新增高企200家。",
    "1—10月，规上工业增加值同比增长8%。",
    "过去五年，全市地区生产总值年均增长7.2%。",
    "“十三五”期间，全市新建学校50所。",
])
def test_reporting_periods_are_past(tmp_path, sentence):
    x = targets(tmp_path, sentence)
    assert x.targets == () and x.observations


def test_slogans_with_numbers(tmp_path):
    assert targets(tmp_path, "今年要深入贯彻“四个全面”，实施五位一体总体布局，办好十件民生实事。").targets == ()


def test_future_cumulative_is_a_target(tmp_path):
    x = targets(tmp_path, "到2025年，全市累计建成5G基站1万个。", date="2022-05-01 00:00:00 +0800")
    one(x, value=Decimal(10000), year=2025)


@pytest.mark.parametrize("sentence", [
    "记者从市工信局获悉，全市规上工业增加值增长8.5%，高于全省平均水平1.2个百分点。",
    "数据显示，全市社会消费品零售总额达到1200亿元，同比增长9%。",
    "截至2022年底，全市共有高新技术企业1200家，比上年增加300家。",
])
def test_reports_without_a_year_are_past(tmp_path, sentence):
    x = targets(tmp_path, sentence)
    assert x.targets == () and len(x.observations) >= 2


def test_strong_future_cue_beats_weak_past_cue(tmp_path):
    x = targets(tmp_path, "一季度固定资产投资计划95.6亿元，预期同比增长12.4%。")
    one(x, value=Decimal("12.4"), level="expected", kind="growth_rate")


def test_sub_target_parent_has_the_same_unit(tmp_path):
    x = targets(tmp_path, "今年计划安排市级重点项目150个，年度计划投资600亿元，其中产业项目90个。")
    child = one(x, value=Decimal(90))
    assert x.targets[child.parent].value == Decimal(150)


def test_numbered_paragraphs_are_ordered_focus_areas(tmp_path):
    body = ("一是加快科技创新。全年新增高新技术企业100家。\n二是扩大有效投资。完成固定资产投资800亿元。\n"
            "（三）提升民生福祉。新建幼儿园20所。")
    x = targets(tmp_path, body)
    assert [(a.index, a.label) for a in x.areas] == [(1, "加快科技创新"), (2, "扩大有效投资"), (3, "提升民生福祉")]
    assert [t.area for t in x.targets] == [1, 2, 3]


def test_inline_enumeration_is_not_an_area(tmp_path):
    x = targets(tmp_path, "今年要实现三个目标：一是新增高企50家；二是专利申请量突破2000件；三是新建研发中心10家。")
    assert x.areas == () and len(x.targets) == 3


def test_seed_programs_organisations_people():
    import json
    from kgbuild.read.load import load
    from conftest import SEED, gold_dir
    x = extract(parse(load([SEED])[0]), LEX)
    gold = json.loads((gold_dir() / "quanzhou-2022.json").read_text(encoding="utf-8"))
    programs = {p.name for p in x.programs}
    assert set(gold["programs_some_of"]) <= programs
    orgs = {o.name for o in x.organizations}
    assert {"泉州装备制造研究所", "智能制造产业技术创新联盟", "国家技术转移东部中心", "数字产业技术创新研究院"} <= orgs
    assert [a.label for a in x.areas] == gold["areas"]
    for named in x.programs + x.organizations:
        for s in named.spans:
            assert x.article.text[s.begin:s.end] == s.text == named.name


def test_year_end_review_reports_are_not_promises(tmp_path):
    x = targets(tmp_path, "今年，全市新增高新技术企业300家，技术合同成交额增长25%。\n明年，全市力争新增高新技术企业400家。",
                date="2022-12-28 10:00:00 +0800")
    [t] = x.targets
    assert t.value == Decimal(400) and t.year == 2023
    assert {o.value for o in x.observations} == {Decimal(300), Decimal(25)}


def test_goal_wording_beats_a_weak_past_cue(tmp_path):
    x = targets(tmp_path, "2023年全市地区生产总值同比增长6%左右，城镇新增就业3万人以上。", date="2023-01-15 10:00:00 +0800")
    assert {t.value for t in x.targets} == {Decimal(6), Decimal(30000)}


def test_per_capita_indicator_keeps_its_qualifier(tmp_path):
    x = targets(tmp_path, "今年新增高新技术企业100家以上，每万人口发明专利拥有量达到15件。")
    t = one(x, value=Decimal(15))
    assert t.indicator == "每万人口发明专利拥有量" and t.kind == "ratio"


def test_growth_target_named_by_its_rate(tmp_path):
    x = targets(tmp_path, "今年全年GDP增速目标为6%，粮食总产量稳定在50亿斤以上。")
    one(x, value=Decimal(6), kind="growth_rate")
    one(x, value=Decimal(5_000_000_000), unit="斤", comparator="ge", kind="amount")


def test_meeting_names_are_not_targets(tmp_path):
    x = targets(tmp_path, "19日上午，市十七届人大三次会议隆重开幕。今年将新建幼儿园20所。")
    assert [t.value for t in x.targets] == [Decimal(20)]


def test_qualifiers_versus_counts_with_or_more(tmp_path):
    x = targets(tmp_path, "今年建成投用5个以上市级数字化车间，培育年产值超10亿元企业20家，扶持500人以上企业30家，"
                          "计划投资10亿元建设现代农业产业园。")
    assert sorted(t.value for t in x.targets) == [Decimal(5), Decimal(10), Decimal(20), Decimal(30)]
    one(x, value=Decimal(5), comparator="ge")
    assert one(x, value=Decimal(20)).indicator == "培育年产值超10亿元企业"
    assert one(x, value=Decimal(10)).unit == "亿元"


def test_undated_article_takes_the_year_its_title_names(tmp_path):
    p = tmp_path / "undated.txt"
    p.write_text("某开发区2024年工作安排\n今年，开发区将新增入驻企业50家。\n去年新增入驻企业40家。\n", encoding="utf-8")
    x = extract(parse(load_file(p)), LEX)
    [t] = x.targets
    assert (t.value, t.year) == (Decimal(50), 2024)
    assert [(o.value, o.year) for o in x.observations] == [(Decimal(40), 2023)]


def test_comparison_base_is_a_weak_report_cue_and_not_a_year(tmp_path):
    x = targets(tmp_path, "全市实现地区生产总值5000亿元，比上年增长7%。")
    assert x.targets == () and [o.year for o in x.observations] == [2023, 2023]
    y = targets(tmp_path, "今年全市力争实现地区生产总值比上年增长7%。")
    one(y, value=Decimal(7), level="strive", year=2023)


def test_chinese_numerals_starting_with_two(tmp_path):
    x = targets(tmp_path, "今年将新建二十个社区食堂，实施二期工程，打造一个平台，培育十二家龙头企业。")
    assert sorted(t.value for t in x.targets) == [Decimal(12), Decimal(20)]


def test_document_descriptors_and_shortened_times(tmp_path):
    x = targets(tmp_path, "今年将出台《关于加快推进制造业高质量发展的若干措施》（20条），企业开办时间压缩至1个工作日以内。")
    [t] = x.targets
    assert (t.value, t.comparator, t.indicator) == (Decimal(1), "le", "企业开办时间")


def test_bare_verb_indicators(tmp_path):
    x = targets(tmp_path, "今年举办技能大赛10场、培训2万人次，带动就业1.5万人。")
    assert one(x, value=Decimal(20000)).indicator == "培训人次"
    assert one(x, value=Decimal(15000)).indicator == "带动就业人数"   # a noun phrase: what is counted


def test_review_and_plan_sections(tmp_path):
    body = ("一、2022年工作回顾\n全市地区生产总值达到3000亿元，新增高新技术企业200家。\n"
            "二、2023年工作安排\n全市地区生产总值增长6%左右，新增高新技术企业250家。")
    x = targets(tmp_path, body, date="2023-01-10 09:00:00 +0800")
    assert sorted(t.value for t in x.targets) == [Decimal(6), Decimal(250)]
    assert sorted(o.value for o in x.observations) == [Decimal(200), Decimal(3000)]
    assert [a.label for a in x.areas] == ["2022年工作回顾", "2023年工作安排"]
    assert {t.area for t in x.targets} == {2}


@pytest.mark.parametrize("publisher", ["东阳市发展和改革委员会", "市统计局", "国家统计局丽水调查队", "浙江省人民政府办公厅"])
def test_a_public_bodys_name_on_its_own_line_is_no_focus_area(tmp_path, publisher):
    body = f"{publisher}\n加快科技创新\n全年新增高新技术企业100家。"
    x = targets(tmp_path, body)
    assert [a.label for a in x.areas] == ["加快科技创新"]


def test_a_heading_ending_like_a_body_is_still_an_area(tmp_path):
    x = targets(tmp_path, "构建新发展格局\n全年新增高新技术企业100家。")
    assert [a.label for a in x.areas] == ["构建新发展格局"]


@pytest.mark.parametrize("caption", ["【资料图】", "城区夜景 通讯员供图", "市民在公园健身 图片来源：某市融媒体中心",
                                     "【資料圖】", "城區夜景 通訊員供圖"])
def test_a_photos_credit_line_is_no_focus_area_and_names_no_one(tmp_path, caption):
    x = targets(tmp_path, f"{caption}\n加快科技创新\n全年新增高新技术企业100家。\n{caption}\n全年新增科技型中小企业200家。")
    assert [a.label for a in x.areas] == ["加快科技创新"]
    assert [(t.value, t.area) for t in x.targets] == [(100, 1), (200, 1)]
    assert x.article.people == ()

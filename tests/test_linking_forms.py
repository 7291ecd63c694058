"""Linking that generalises (kgbuild/link/outcomes.py): a province's made-up plan for 2021 and its
review a year later, each value worded the way reviews word them (an average over the year, a fall
with a comparator, a milestone, a year-end figure, the months of the whole year, other units of the
same quantity), meets its target; fiscal figures keep clean phrases; a tax bracket is no target.
Built and read with the real CLI. Every sentence and figure is invented."""

import json
from decimal import Decimal as D

import pytest

from conftest import run_cli
from kgbuild.link.outcomes import in_unit
from kgbuild.link.verdict import Figure

PLAN = """---
title: "某省2021年政府工作报告"
date: 2021-01-25 09:00:00 +0800
tags: 某省日报
---
<p>福建省今年的主要预期目标：全省地区生产总值增长7%左右，一般公共预算收入增长5%，固定资产投资增长6%，居民消费价格涨幅控制在3%左右，城镇调查失业率控制在5.5%以内，单位地区生产总值能耗下降3%，粮食产量稳定在500万吨以上，全社会用电量达到2800亿千瓦时，完成造林20万亩，森林覆盖率保持在66.8%，能源消费总量控制在1.4亿吨标准煤以内。</p>
<p>拟安排财政赤字3570亿元、比去年有所下调。对小型微利企业年应纳税所得额100万元至300万元的部分，再减半征收所得税。</p>
"""
REVIEW = """---
title: "福建省2022年政府工作报告"
date: 2022-01-20 09:00:00 +0800
tags: 某省日报
---
<p>一、2021年工作回顾</p>
<p>全省地区生产总值跃上4.88万亿元，增长8%。一般公共预算收入增幅达到9.5%。全年居民消费价格平均上涨0.9%。城镇调查失业率平均为5.1%。单位地区生产总值能耗降幅超过3.2%。粮食产量首次突破102亿斤。年末森林覆盖率达到66.9%。1—12月，固定资产投资增长6.5%。全社会用电量2900亿度。完成造林1.5万公顷。能源消费总量1.38亿吨标准煤。</p>
"""


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    src = tmp_path_factory.mktemp("linking")
    (src / "plan-2021.md").write_text(PLAN, encoding="utf-8")
    (src / "review-2021.md").write_text(REVIEW, encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(src))
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if '"plan-2021.md"' in line]


@pytest.mark.parametrize("indicator, reported", [
    ("地区生产总值增长", "8"),              # the growth after a milestone (跃上) in the same sentence
    ("一般公共预算收入增长", "9.5"),        # 增幅 is the growth
    ("固定资产投资增长", "6.5"),            # 1—12月: the whole year
    ("居民消费价格涨幅", "0.9"),            # an average over the year
    ("城镇调查失业率", "5.1"),              # an average over the year
    ("单位地区生产总值能耗下降", "3.2"),     # a fall with a comparator (降幅超过)
    ("粮食产量", "5100000"),                # a milestone (首次突破) in 斤, stated in 吨
    ("森林覆盖率", "66.9"),                 # a year-end figure
    ("全社会用电量", "290000000000"),       # 亿度 is 亿千瓦时
    ("造林", "225000"),                     # 公顷 stated in 亩
    ("能源消费总量", "138000000"),          # 亿吨标准煤
])
def test_each_target_meets_the_value_the_review_gives(records, indicator, reported):
    t = next(r for r in records if r["indicator"].endswith(indicator))
    assert t["status"] == "met", (t["indicator"], t["status"], t.get("status_rule"))
    basis = [o for o in t["outcomes"] if o.get("basis")]
    assert basis and basis[0]["year"] == 2021
    assert D(str(basis[0]["value"])) * _factor(basis[0]["unit"], t["unit"]) == D(reported)


def _factor(unit: str, target_unit: str) -> D:
    return in_unit(Figure("eq", D(1), None, None, unit), target_unit).value


def test_fiscal_figures_keep_a_clean_phrase_and_a_tax_bracket_is_no_target(records):
    deficit = [r for r in records if r["unit"] == "亿元"]
    assert [r["indicator"] for r in deficit] == ["财政赤字"]          # not …有所下调
    assert deficit[0]["year"] == 2021
    assert not [r for r in records if r["unit"] == "万元"]          # 100万元至300万元的部分 qualifies a class


def test_a_reported_value_is_stated_in_its_targets_unit():
    assert in_unit(Figure("eq", D("510"), None, None, "度"), "千瓦时").value == D("510")
    assert in_unit(Figure("eq", D("2"), None, None, "公顷"), "亩").value == D("30")
    assert in_unit(Figure("range", None, D("2000"), D("4000"), "斤"), "吨").max == D("2")
    same = Figure("eq", D("3"), None, None, "人")
    assert in_unit(same, "亩") is same                              # different quantities stay apart


UNMAPPED = """---
title: "某市2021年口袋公园建设计划"
date: 2021-02-01 09:00:00 +0800
tags: 某市日报
---
<p>泉州市今年新建口袋公园30个，改造口袋公园12个。全市新建口袋公园力争再增加5个，新建城市绿道40公里，全市地区生产总值增长7%左右。</p>
"""


def test_unmapped_lists_the_phrases_no_concept_takes_most_frequent_first(tmp_path):
    (tmp_path / "park-2021.md").write_text(UNMAPPED, encoding="utf-8")
    (tmp_path / "park-2022.md").write_text(UNMAPPED.replace("2021", "2022").replace("40公里", "25公里")
                                             .replace("改造口袋公园12个。", ""), encoding="utf-8")
    r = run_cli("kgbuild", "unmapped", str(tmp_path))
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()[1:]]
    phrases = [row[3] for row in rows]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert counts[phrases.index("新建城市绿道")] == 2 and counts[phrases.index("改造口袋公园")] == 1
    assert phrases.index("新建城市绿道") < phrases.index("改造口袋公园")
    assert not any("生产总值" in p for p in phrases)   # GDP growth maps
    assert all(row[2].split(" ") == sorted(row[2].split(" ")) for row in rows)   # units joined in order
    assert f"{len(rows)} indicator phrases map to no concept" in r.stderr


FALL_PLAN = """---
title: "某省2023年政府工作报告"
date: 2023-01-16 09:00:00 +0800
tags: 某省日报
---
<p>湖南省今年的主要预期目标：地区生产总值增长6%左右，固定资产投资增长8%左右，进出口总额增长5%，单位地区生产总值能耗下降2.5%。</p>
"""
FALL_REVIEW = """---
title: "湖南省2024年政府工作报告"
date: 2024-01-20 09:00:00 +0800
tags: 某省日报
---
<p>一、2023年工作回顾</p>
<p>过去一年，全省地区生产总值增长4.6%，固定资产投资下降3.1%，进出口总额降幅超过4%，单位地区生产总值能耗下降2.8%。</p>
"""


def test_a_fall_reported_for_a_growth_target_is_a_negative_growth(tmp_path):
    """A review that says 下降3.1% of what the plan set as a rise gives the rise, −3.1 %; a fall with a
    comparator turns round (降幅超过4%: growth below −4 %); a target set as a fall (能耗下降) stays one."""
    (tmp_path / "plan-2023.md").write_text(FALL_PLAN, encoding="utf-8")
    (tmp_path / "review-2023.md").write_text(FALL_REVIEW, encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(tmp_path))
    assert r.returncode == 0, r.stderr
    recs = {x["indicator"]: x for x in map(json.loads, r.stdout.splitlines()) if x["article"] == "plan-2023.md"}
    fai = recs["固定资产投资增长"]
    assert (fai["status"], [o["value"] for o in fai["outcomes"]]) == ("missed", [-3.1])
    assert fai["outcomes"][0]["mentions"] == ["固定资产投资下降3.1%"]          # the words as written
    trade = recs["进出口总额增长"]
    assert trade["status"] == "missed" and trade["outcomes"][0]["value"] == -4
    energy = recs["单位地区生产总值能耗下降"]
    assert (energy["status"], energy["outcomes"][0]["value"]) == ("met", 2.8)


@pytest.mark.parametrize("phrase, rise", [
    ("固定资产投资下降", "固定资产投资增长"),
    ("全省进出口总额降幅", "全省进出口总额增长"),
    ("社会消费品零售总额下降", "社会消费品零售总额增长"),
    ("单位地区生产总值能耗下降", None),     # the scheme measures it as a fall
    ("城镇调查失业率下降", None),           # a rate's level, not a growth
    ("口袋公园数量下降", None),             # no concept measures its rise
])
def test_which_falls_are_negative_rises(phrase, rise):
    from kgbuild.extract.concepts import rise_of_fall
    got = rise_of_fall(phrase, "%")
    assert (got[0] if got else None) == rise


CITY_PLAN = """---
title: "2022年赣州市政府工作报告"
date: 2022-02-21 09:00:00 +0800
tags: 某市日报
---
<p>今年全市经济社会发展的主要预期目标是：地区生产总值增长7%左右，一般公共预算收入同口径增长6%，城镇登记失业率控制在4%以内，全年新增市场主体10万户。</p>
"""
CITY_REVIEW = """---
title: "2023年赣州市政府工作报告"
date: 2023-02-15 09:00:00 +0800
tags: 某市日报
---
<p>各位代表，2022年是很不平凡的一年。一年来，我们主要做了以下工作：</p>
<p>全市实现地区生产总值4523.6亿元，按可比价格计算，增长5.2%；一般公共预算收入完成301.3亿元，同口径增长3.5%；城镇登记失业率3.2%。新增市场主体11.3万户。</p>
"""


def test_a_review_paragraph_without_a_year_takes_the_year_of_the_paragraph_it_goes_on_from(tmp_path):
    """The figures follow a lead (2022年是…一年。一年来，…：) in a report of February 2023: they are 2022's,
    not 2023's, and meet the 2022 plan; 同口径 (on a like-for-like basis) qualifies the growth, it is not
    what grows."""
    (tmp_path / "plan-2022.md").write_text(CITY_PLAN, encoding="utf-8")
    (tmp_path / "review-2022.md").write_text(CITY_REVIEW, encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(tmp_path))
    assert r.returncode == 0, r.stderr
    recs = {x["indicator"]: x for x in map(json.loads, r.stdout.splitlines())}
    got = {k: (v["status"], [(o["value"], o["year"]) for o in v["outcomes"]]) for k, v in recs.items()}
    assert got == {"地区生产总值增长": ("missed", [(5.2, 2022)]),
                   "一般公共预算收入增长": ("missed", [(3.5, 2022)]),
                   "城镇登记失业率": ("met", [(3.2, 2022)]),
                   "新增市场主体": ("met", [(113000, 2022)])}


def test_a_figure_of_a_city_named_in_a_province_report_is_not_the_provinces(tmp_path):
    """长沙市地区生产总值 in Hunan's review measures Changsha, not Hunan: it must not join Hunan's GDP target."""
    (tmp_path / "plan-2023.md").write_text(FALL_PLAN.replace("地区生产总值增长6%左右", "地区生产总值达到5万亿元"),
                                           encoding="utf-8")
    (tmp_path / "review-2023.md").write_text(FALL_REVIEW.replace(
        "全省地区生产总值增长4.6%", "全省地区生产总值突破5万亿元，长沙市地区生产总值突破1.4万亿元"), encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(tmp_path))
    assert r.returncode == 0, r.stderr
    gdp = next(x for x in map(json.loads, r.stdout.splitlines()) if x["indicator"] == "地区生产总值")
    assert gdp["status"] == "met", gdp["status_rule"]
    assert [o["mentions"] for o in gdp["outcomes"]] == [["全省地区生产总值突破5万亿元"]]


def test_the_figure_a_review_gives_is_judged_not_the_bound_it_kept_within(tmp_path):
    """控制在3%以内，实际上涨1.9%: the review restates the bound, then gives the figure; 实际增长 borrows
    what grew from the clause before."""
    (tmp_path / "plan-2023.md").write_text(FALL_PLAN.replace("进出口总额增长5%", "居民消费价格涨幅3%左右，城镇居民人均可支配收入增长6%"),
                                           encoding="utf-8")
    (tmp_path / "review-2023.md").write_text(FALL_REVIEW.replace(
        "进出口总额降幅超过4%", "居民消费价格涨幅控制在3%以内，实际上涨1.9%，城镇居民人均可支配收入4.9万元，实际增长5.1%"),
        encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(tmp_path))
    assert r.returncode == 0, r.stderr
    recs = {x["indicator"]: x for x in map(json.loads, r.stdout.splitlines()) if x["article"] == "plan-2023.md"}
    cpi, income = recs["居民消费价格涨幅"], recs["城镇居民人均可支配收入增长"]
    basis = lambda x: next(o for o in x["outcomes"] if o.get("basis"))  # noqa: E731
    assert (cpi["status"], basis(cpi)["value"]) == ("met", 1.9)
    assert (income["status"], basis(income)["value"]) == ("missed", 5.1)


def test_a_statistical_communique_titled_with_last_year_reports_that_year(tmp_path):
    """赣州市2022年…统计公报, published in April 2023: its figures, with no other year (全年…比上年增长), are 2022's."""
    (tmp_path / "plan-2022.md").write_text(CITY_PLAN, encoding="utf-8")
    (tmp_path / "gongbao-2022.md").write_text("""---
title: "赣州市2022年国民经济和社会发展统计公报"
date: 2023-04-10 09:00:00 +0800
tags: 某市统计局
---
<p>一、综合</p>
<p>初步核算，全年全市地区生产总值4523.6亿元，比上年增长5.2%。年末城镇登记失业率为3.2%。</p>
""", encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(tmp_path))
    assert r.returncode == 0, r.stderr
    recs = {x["indicator"]: x for x in map(json.loads, r.stdout.splitlines())}
    assert [(o["value"], o["year"]) for o in recs["地区生产总值增长"]["outcomes"]] == [(5.2, 2022)]
    assert recs["城镇登记失业率"]["status"] == "met"

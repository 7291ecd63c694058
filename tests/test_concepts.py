"""Indicator identity (kgbuild/extract/concepts.py, data/lexicon/indicators.ttl): the same measure is
one concept whatever the wording, and different measures stay apart."""

import pytest

from kgbuild.extract.concepts import concept_of, scheme

IND = "https://w3id.org/ptkg/indicator/"


@pytest.mark.parametrize("phrase, unit, concept", [
    ("居民消费价格涨幅", "%", "cpi"),
    ("居民消费价格总水平涨幅控制在", "%", "cpi"),
    ("CPI涨幅", "%", "cpi"),
    ("单位国内生产总值能耗降低", "%", "energy-intensity"),
    ("能耗强度下降", "%", "energy-intensity"),
    ("能源消耗强度下降", "%", "energy-intensity"),                      # 能源消耗 = 能耗
    ("单位地区生产总值能源消耗降低", "%", "energy-intensity"),
    ("全社会研发支出占地区生产总值的比重", "%", "rd-share"),             # 研发支出, 的比重
    ("研究与试验发展经费支出与国内生产总值之比", "%", "rd-share"),       # 与…之比 = 占…比重
    ("服务业在地区生产总值中的比重", "%", "service-share"),             # 在…中的比重 = 占…比重
    ("主要污染物排放量减少", "%", "major-pollutant-reduction"),
    ("财政性教育经费支出占国内生产总值的比例", "%", "education-spending-share"),   # 的比例, 比例 = 比重
    ("国家财政性教育经费支出占国内生产总值比重", "%", "education-spending-share"),
    ("农村居民人均纯收入实际增长", "%", "rural-income-growth"),
    ("单位GDP能耗下降", "%", "energy-intensity"),
    ("地方政府专项债券", "亿元", "local-special-bonds"),
    ("地方专项债券", "亿元", "local-special-bonds"),
    ("城镇登记失业率", "%", "registered-unemployment"),
    ("城镇调查失业率", "%", "surveyed-unemployment"),
    ("经济增长预期目标为", "%", "gdp-growth"),
    ("地区生产总值增长", "%", "gdp-growth"),
    ("广义货币M2余额预期增长目标", "%", "m2-growth"),
    ("拟安排财政赤字", "亿元", "fiscal-deficit"),
    ("拟安排财政赤字（其中中央财政赤字）", "亿元", "central-deficit"),
])
def test_wordings_of_one_measure(phrase, unit, concept):
    assert concept_of(phrase, unit) == IND + concept


def test_the_level_is_not_the_growth():
    assert concept_of("国内生产总值", "亿元") == IND + "gdp"
    assert concept_of("国内生产总值增长", "%") == IND + "gdp-growth"


def test_registered_and_surveyed_unemployment_are_different_concepts():
    assert concept_of("城镇登记失业率", "%") != concept_of("城镇调查失业率", "%")


@pytest.mark.parametrize("phrase, unit", [
    ("地区生产总值增长", "亿元"),      # a growth concept takes no money figure
    ("新建口袋公园", "个"),            # not in the scheme: stays its own concept
])
def test_unmapped_or_unit_mismatch(phrase, unit):
    assert concept_of(phrase, unit) is None


def test_every_concept_says_which_way_is_good():
    concepts, _ = scheme()
    assert len(concepts) >= 20
    assert {c.direction for c in concepts.values()} <= {"floor", "ceiling", "band"}
    assert concepts[IND + "cpi"].direction == "ceiling" and concepts[IND + "gdp-growth"].direction == "floor"

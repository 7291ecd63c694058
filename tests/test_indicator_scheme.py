"""The indicator scheme's breadth (data/lexicon/indicators.ttl) and mapping by what a phrase measures
(kgbuild/extract/concepts.py, data/lexicon/indicator_grammar.tsv): new wordings of known indicators
land on their concept, similar phrases that measure something else do not. Every phrase is made up."""

import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kgbuild.extract.concepts import concept_of, graph, scheme

IND = "https://w3id.org/ptkg/indicator/"


def test_the_scheme_covers_the_headline_indicators_with_labels_direction_and_unit():
    g = graph()
    concepts = sorted(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 100
    for c in concepts:
        for p in (SKOS.prefLabel, RDFS.label):
            assert {lbl.language for lbl in g.objects(c, p)} == {"zh", "en"}, c
    assert {c.direction for c in scheme()[0].values()} == {"floor", "ceiling", "band"}
    with_unit = [c for c in scheme()[0].values() if c.unit]
    assert len(with_unit) >= 0.9 * len(concepts)


def test_sdg_close_matches_use_the_un_sdg_kos_indicator_iris():
    g = graph()
    matches = {str(c).removeprefix(IND): str(o) for c, o in g.subject_objects(SKOS.closeMatch)}
    assert len(matches) >= 15
    assert all(re.fullmatch(r"http://metadata\.un\.org/sdg/\d{1,2}\.[0-9a-z]{1,2}\.\d", o) for o in matches.values())
    assert matches["registered-unemployment"] == matches["surveyed-unemployment"] == "http://metadata.un.org/sdg/8.5.2"
    assert matches["rd-share"] == "http://metadata.un.org/sdg/9.5.1"
    assert matches["forest-cover"] == "http://metadata.un.org/sdg/15.1.1"
    assert "gdp-growth" not in matches          # SDG 8.1.1 is GDP per capita: only that concept matches it
    assert matches["gdp-per-capita-growth"] == "http://metadata.un.org/sdg/8.1.1"


# (phrase, unit, concept): wordings no label lists, mapped by head, noun and modifiers
NEW_WORDINGS = [
    ("本市GDP增长速度", "%", "gdp-growth"),
    ("泉州市地区生产总值增长", "%", "gdp-growth"),
    ("一般公共预算收入增幅", "%", "public-budget-revenue-growth"),
    ("地方一般公共预算收入增速", "%", "public-budget-revenue-growth"),
    ("规上工业增加值增幅", "%", "industrial-value-added-growth"),
    ("全社会固定资产投资增幅", "%", "fixed-asset-investment-growth"),
    ("社会消费品零售额增长速度", "%", "retail-sales-growth"),
    ("外贸进出口总额增幅", "%", "trade-growth"),
    ("居民消费价格指数同比上涨", "%", "cpi"),
    ("城镇常住居民人均可支配收入增幅", "%", "urban-income-growth"),
    ("农村常住居民人均可支配收入增速", "%", "rural-income-growth"),
    ("万元地区生产总值能耗降低率", "%", "energy-intensity"),
    ("单位GDP二氧化碳排放降幅", "%", "co2-intensity"),
    ("研究与试验发展经费投入增幅", "%", "rd-spending-growth"),
    ("实际利用外资增幅", "%", "foreign-investment-growth"),
    ("税收收入增幅", "%", "tax-revenue-growth"),
    ("规上工业总产值增速", "%", "industrial-output-growth"),
    ("PM2.5年平均浓度", "微克/立方米", "pm25"),
    ("服务业增加值增速", "%", "service-value-added-growth"),
    ("福州市粮食总产量", "万吨", "grain-output"),
    ("城镇调查失业率平均", "%", "surveyed-unemployment"),
    ("民间投资增幅", "%", "private-investment-growth"),
    ("鲤城区全社会用电量", "亿千瓦时", "electricity-consumption"),
    ("固投增长", "%", "fixed-asset-investment-growth"),          # an abbreviation
    ("对外贸易进出口总额增长", "%", "trade-growth"),
    ("财政一般公共预算收入增长", "%", "public-budget-revenue-growth"),
    ("物价总水平涨幅", "%", "cpi"),
    ("全社会研发投入占GDP比重", "%", "rd-share"),
    ("外贸出口增长", "%", "export-growth"),
    ("新增地方政府专项债券", "亿元", "local-special-bonds"),   # 新增, 发行, 安排: the flow, same measure
    ("发行地方政府专项债券", "亿元", "local-special-bonds"),
]


@pytest.mark.parametrize("phrase, unit, concept", NEW_WORDINGS)
def test_a_new_wording_lands_on_its_concept(phrase, unit, concept):
    from kgbuild.extract.concepts import core
    assert core(phrase) not in scheme()[1]          # not a listed wording
    assert concept_of(phrase, unit) == IND + concept


def test_new_wordings_cover_at_least_fifteen_concepts():
    assert len({c for _, _, c in NEW_WORDINGS}) >= 15


@pytest.mark.parametrize("phrase, unit, not_concept", [
    ("居民收入增长", "%", "gdp-growth"),                      # income, not output
    ("人均地区生产总值增长", "%", "gdp-growth"),              # per capita selects another measure
    ("税收收入增长", "%", "public-budget-revenue-growth"),    # a part is not the whole
    ("工业投资增长", "%", "fixed-asset-investment-growth"),
    ("出口增长", "%", "trade-growth"),
    ("城镇居民人均可支配收入增长", "%", "resident-income-growth"),
    ("高技术制造业增加值增长", "%", "industrial-value-added-growth"),
    ("跨境电商进出口额", "亿美元", "exports"),                # 进|出口额: not at a word's start
    ("中央一般公共预算收入", "亿元", "public-budget-revenue"),
    ("地区生产总值", "%", "gdp"),                              # the level takes no rate
    ("一般公共预算收入", "%", "public-budget-revenue-growth"),  # no growth head: not the growth
])
def test_a_similar_phrase_that_measures_something_else_does_not_map(phrase, unit, not_concept):
    assert concept_of(phrase, unit) != IND + not_concept


def test_the_selecting_modifier_picks_its_own_concept():
    assert concept_of("人均地区生产总值增长", "%") == IND + "gdp-per-capita-growth"
    assert concept_of("农村居民人均可支配收入实际增长", "%") == IND + "rural-income-growth"
    assert concept_of("居民收入增长", "%") == IND + "resident-income-growth"
    assert concept_of("跨境电商进出口额", "亿美元") is None
    assert concept_of("中央一般公共预算收入", "亿元") is None

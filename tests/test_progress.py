"""Progress on multi-year targets (kgbuild/link/progress.py, rubric progress/2), end to end on a made-up
three-report corpus: a city's five-year plan (2021, targets 到2025年 and one 到2022年, baselines reported for 2020 or stated 从…提高到)
and its work reports of 2022 and 2023 giving the values of 2021 and 2022. Built with the real CLI, served
by a real kgserve, read over HTTP and in SPARQL. Every sentence and figure is made up; the expected
statuses are worked out by hand from the rule in words (ontology/rubrics.ttl)."""

import json
from decimal import Decimal as D

import pytest
import requests

from conftest import Server, local_store_only, run_cli
from kgbuild.link.outcomes import Statement
from kgbuild.link.progress import assess
from kgbuild.link.verdict import Figure

PLAN = """---
title: "某市国民经济和社会发展第十四个五年规划纲要"
date: 2021-02-01 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、发展基础</p>
<p>2020年，全市常住人口城镇化率为66%，全市5G基站0.5万个。</p>
<p>二、主要目标</p>
<p>今后五年，全市地区生产总值年均增长6.5%，五年城镇新增就业15万人。到2025年，全市常住人口城镇化率达到72%，研发经费投入强度从1.7%提高到2.5%。到2022年，全市5G基站达到1.2万个。</p>
<p>今后五年，单位地区生产总值能耗和二氧化碳排放分别降低14%和18%，城镇居民人均可支配收入和农村居民人均可支配收入年均实际增长超过6%。</p>
"""
R2022 = """---
title: "泉州市2022年政府工作报告"
date: 2022-01-20 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、2021年工作回顾</p>
<p>2021年，全市地区生产总值增长8.1%，城镇新增就业3.2万人，常住人口城镇化率达到68%，研发经费投入强度达到1.75%，5G基站达到0.8万个。</p>
<p>单位地区生产总值能耗下降3.2%。城镇居民人均可支配收入和农村居民人均可支配收入实际增长6.5%和8.1%。</p>
"""
R2023 = """---
title: "泉州市2023年政府工作报告"
date: 2023-01-18 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、2022年工作回顾</p>
<p>2022年，全市地区生产总值增长4.2%，城镇新增就业1万人，常住人口城镇化率达到67.8%，研发经费投入强度为1.65%，5G基站达到1.3万个。</p>
<p>单位地区生产总值能耗下降2%。城镇居民人均可支配收入实际增长4%，农村居民人均可支配收入实际增长7%。</p>
"""
# the review of the plan's five years, in the first report after them: figures for the whole span
R2026 = """---
title: "泉州市2026年政府工作报告"
date: 2026-01-22 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、过去五年工作回顾</p>
<p>2025年末，全市常住人口城镇化率达到71%。五年来，单位地区生产总值能耗累计下降15.1%，城镇居民人均可支配收入年均增长5.5%，农村居民人均可支配收入年均增长7.2%。</p>
<p>2025年底，全市5G基站达到2万个。单位地区生产总值二氧化碳排放下降19%。</p>
"""
# (indicator wording, year) → progress status, by hand:
EXPECTED = {
    ("常住人口城镇化率", 2021): "onTrack",            # (68−66)/1 ÷ (72−66)/5 = 2 ÷ 1.2 = 1.67
    ("常住人口城镇化率", 2022): "moderateProgress",   # (67.8−66)/2 ÷ 1.2 = 0.75
    ("研发经费投入强度", 2021): "limitedProgress",    # 0.05 ÷ 0.16 = 0.31 (the baseline stated: 从1.7%提高到)
    ("研发经费投入强度", 2022): "deterioration",      # −0.025 ÷ 0.16 < 0
    ("地区生产总值增长", 2021): "onTrack",            # 8.1 % ÷ 6.5 % = 1.25
    ("地区生产总值增长", 2022): "moderateProgress",   # √(1.081 × 1.042) − 1 = 6.13 % ÷ 6.5 % = 0.94
    ("城镇新增就业", 2021): "onTrack",                # 3.2万 ÷ 3万 due = 1.07
    ("城镇新增就业", 2022): "moderateProgress",       # 4.2万 ÷ 6万 due = 0.7
    ("5G基站", 2021): "moderateProgress",             # 0.3万 ÷ (0.7万 / 2) = 0.86
    # a change over the span (能耗…分别降低14%): the pace needed 1 − 0.86^(1/5) = 2.97 % a year
    ("单位地区生产总值能耗降低", 2021): "onTrack",            # 3.2 % ÷ 2.97 % = 1.08
    ("单位地区生产总值能耗降低", 2022): "moderateProgress",   # 1 − 0.968 × 0.98 = 5.14 % in 2 years: 2.60 % ÷ 2.97 % = 0.88
    # one figure for two coordinated incomes (…收入和…收入年均实际增长超过6%): a target each
    ("城镇居民人均可支配收入增长", 2021): "onTrack",          # 6.5 % ÷ 6 % = 1.08
    ("城镇居民人均可支配收入增长", 2022): "moderateProgress", # √(1.065 × 1.04) − 1 = 5.24 % ÷ 6 % = 0.87
    ("农村居民人均可支配收入增长", 2021): "onTrack",          # 8.1 % ÷ 6 % = 1.35
    ("农村居民人均可支配收入增长", 2022): "onTrack",          # √(1.081 × 1.07) − 1 = 7.55 % ÷ 6 % = 1.26
}
Q = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?wording ?year ?status ?rubric ?en ?deadlineStatus WHERE {
  ?t ptkg:statedIndicator ?wording ; ptkg:progress ?p ; ptkg:status/skos:notation ?deadlineStatus .
  ?p ptkg:year ?year ; ptkg:progressStatus/skos:notation ?status ; ptkg:rubric ?rubric ; ptkg:progressRule ?en .
  FILTER (lang(?en) = "en")
}"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("progress")
    for name, text in (("plan-2021.md", PLAN), ("report-2022.md", R2022), ("report-2023.md", R2023),
                       ("report-2026.md", R2026)):
        (src / name).write_text(text, encoding="utf-8")
    out = src.parent / (src.name + "-dist")
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_names_the_rubrics_and_counts_progress(corpus):
    _, m = corpus
    assert {r["name"]: r["iri"] for r in m["rubrics"]} == {"verdict": "https://w3id.org/ptkg/rubric/verdict/2",
                                                            "progress": "https://w3id.org/ptkg/rubric/progress/2"}
    assert all(len(r["rule_sha256"]) == 64 for r in m["rubrics"])
    assert m["graphs"]["links"]["progress"] == {"deterioration": 1, "limitedProgress": 1, "moderateProgress": 6,
                                                     "onTrack": 7}


@pytest.fixture(scope="module")
def site(corpus):
    s = Server(corpus[0])
    yield s
    s.stop()


def _sparql(site, q):
    r = requests.post(site.url + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"},
                      timeout=30)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


@local_store_only
def test_progress_statuses_in_sparql_over_http(site):
    rows = _sparql(site, Q)
    got = {(r["wording"], int(r["year"])): r["status"] for r in rows}
    assert got == EXPECTED
    assert {r["rubric"] for r in rows} == {"https://w3id.org/ptkg/rubric/progress/2"}
    deadline = {r["wording"]: r["deadlineStatus"] for r in rows}
    assert deadline["5G基站"] == "met"                       # 1.3万 ≥ 1.2万 at the deadline (verdict/2)
    assert deadline["常住人口城镇化率"] == "missed"           # 71 % at the end of 2025 (the review) < 72 %
    assert deadline["单位地区生产总值能耗降低"] == "met"       # 累计下降15.1% over the five years ≥ 14 %
    assert deadline["城镇居民人均可支配收入增长"] == "missed"  # 年均增长5.5% over the five years < 6 %
    assert deadline["农村居民人均可支配收入增长"] == "met"     # 7.2 % > 6 %
    en = {(r["wording"], int(r["year"])): r["en"] for r in rows}
    assert "from 66 % (2020, reported) to 72 % (2025)" in en[("常住人口城镇化率", 2022)]
    assert "from 1.7 % (2020, stated in the plan) to 2.5 % (2025)" in en[("研发经费投入强度", 2021)]
    [e] = _sparql(site, 'SELECT ?v ?b WHERE { ?t <https://w3id.org/ptkg/ns#statedIndicator> ?w ; <https://w3id.org/ptkg/ns#progress> ?p . '
                        '?p <https://w3id.org/ptkg/ns#year> ?y ; <https://w3id.org/ptkg/ns#progressValue> ?v ; '
                        '<https://w3id.org/ptkg/ns#baselineValue> ?b '
                        'FILTER (STR(?w) = "单位地区生产总值能耗降低" && STR(?y) = "2022") }')
    assert (float(e["v"]), float(e["b"])) == (5.136, 0.0)     # the fall so far (compounded) on the path from 0 to 14 %
    # under the review's heading (过去五年), a fall after another sentence's year-end stock (2025年底，…)
    # is the five years' fall, not 2025's: it meets the plan's 18 % for the span
    [co2] = _sparql(site, 'SELECT ?s WHERE { ?t <https://w3id.org/ptkg/ns#statedIndicator> ?w ; '
                          '<https://w3id.org/ptkg/ns#status>/<http://www.w3.org/2004/02/skos/core#notation> ?s '
                          'FILTER (STR(?w) = "单位地区生产总值二氧化碳排放降低") }')
    assert co2["s"] == "met"
    rub = _sparql(site, "SELECT ?t WHERE { ?t <https://w3id.org/ptkg/ns#rubric> <https://w3id.org/ptkg/rubric/verdict/2> }")
    assert len(rub) == 9                                     # every target's status names its rule


@local_store_only
def test_target_page_rubric_page_and_chart(site):
    [row] = _sparql(site, 'SELECT DISTINCT ?t ?i WHERE { ?t <https://w3id.org/ptkg/ns#statedIndicator> ?w ; '
                          '<https://w3id.org/ptkg/ns#indicator> ?i ; <https://w3id.org/ptkg/ns#progress> ?p '
                          'FILTER (STR(?w) = "常住人口城镇化率") }')
    path = "/" + row["t"].split("/", 3)[3]
    page = requests.get(site.url + path, headers={"Accept": "text/html"}, timeout=30).text
    assert "有进展，需加快" in page and "moderate progress, acceleration needed" in page
    assert "由2020年基期66%（报告）到2025年目标72%" in page and 'href="/rubric/progress/2"' in page
    r = requests.get(site.url + "/rubric/progress/1", headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200 and "Open SDG" in r.text and "进度规则" in r.text
    r = requests.get(site.url + "/rubric/verdict/1", headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle") and "ruleSha256" in r.text
    assert requests.get(site.url + "/rubric/progress/9", timeout=30).status_code == 404
    ind = row["i"]
    chart = requests.get(site.url + "/" + ind.split("/", 3)[3] if not ind.startswith("https://w3id.org/ptkg/indicator/")
                         else site.url + "/indicator/" + ind.rsplit("/", 1)[-1], timeout=30).text
    assert 'class="progress-path"' in chart and chart.count('class="progress"') == 2


def _s(uri, kind, value, year, issued, article, direction=None, comparator="eq", unit="%", fkind="ratio", start=None):
    return Statement(uri, kind, ("P", "I", year, start), Figure(comparator, D(value), None, None, unit, False, fkind),
                     direction, article, issued)


def test_a_ceiling_target_progresses_by_falling_and_percentages_stay_within_100():
    plan = "2021-01-01"
    stmts = [_s("t", "Target", "4.5", 2025, plan, "a", comparator="le"),
             _s("b", "Observation", "5.5", 2020, plan, "a"),
             _s("o1", "Observation", "5.3", 2021, "2022-01-01", "b"),      # fell 0.2 of the 0.2 a year needed
             _s("o2", "Observation", "5.6", 2022, "2023-01-01", "c")]      # rose: deterioration
    ps, _ = assess(stmts, ())
    assert [(p.year, p.status, p.ratio) for p in ps] == [(2021, "onTrack", D("1")), (2022, "deterioration", D("-0.25"))]
    stmts = [_s("t", "Target", "120", 2025, plan, "a", comparator="ge"),   # a share cannot pass 100 %
             _s("b", "Observation", "90", 2020, plan, "a"), _s("o1", "Observation", "96", 2021, "2022-01-01", "b")]
    [p] = assess(stmts, ())[0]
    assert p.ratio == D("3") and p.status == "onTrack"                    # (96−90)/1 ÷ (100−90)/5


def test_a_change_over_the_span_compounds_the_yearly_changes():
    """单位GDP能耗降低16% over five years: falls compound (1 − Π(1 − f)), not add; so does the pace needed."""
    from kgbuild.link import change
    assert change.compound([D("10"), D("10")], fall=True) == D("19")          # 1 − 0.9 × 0.9
    assert change.compound([D("10"), D("10")], fall=False) == D("21")         # 1.1 × 1.1 − 1
    assert abs(change.pace(D("19"), 2, fall=True) - D("10")) < D("1e-20")
    assert change.is_fall("单位地区生产总值能耗降低") and change.is_fall("主要污染物排放总量减少")
    assert not change.is_fall("地区生产总值增长")
    plan, fall = "2021-01-01", "单位地区生产总值能耗降低"
    stmts = [Statement("t", "Target", ("P", "I", 2025, 2021), Figure("eq", D("14"), None, None, "%", False, "growth_rate"),
                       "floor", "a", plan, stated=fall),
             _s("o1", "Observation", "3", 2021, "2022-01-01", "b", fkind="growth_rate"),
             _s("o3", "Observation", "3", 2023, "2024-01-01", "d", fkind="growth_rate"),       # 2022 not reported
             _s("c", "Observation", "9.5", 2023, "2024-01-02", "e", fkind="growth_rate", start=2021)]  # 前三年累计下降
    ps, _ = assess(stmts, ())
    assert [(p.year, p.mode, p.status) for p in ps] == [(2021, "change", "onTrack"), (2023, "change", "onTrack")]
    assert ps[-1].value == D("9.5") and ps[-1].basis == ("c",)     # the stated cumulative figure, over its 3 years


# ------------------------------------------------------------------ the forms a change over a plan takes
def _extract(tmp_path, body, date="2021-02-01", title="某市国民经济和社会发展第十四个五年规划纲要"):
    from kgbuild.extract import extract, lexicon
    from kgbuild.read.load import load_file
    from kgbuild.read.parse import parse
    f = tmp_path / "a.md"
    f.write_text(f'---\ntitle: "{title}"\ndate: {date} 09:00:00 +0800\ntags: 某市人民政府\n---\n{body}\n', encoding="utf-8")
    x = extract(parse(load_file(f)), lexicon.load())
    return {(t.indicator, str(t.value)): t for t in x.targets + x.observations}


def test_a_change_shared_by_names_stays_with_each_and_the_per_unit_modifier_is_shared(tmp_path):
    got = _extract(tmp_path, "<p>二、主要目标</p><p>今后五年，单位地区生产总值能耗和二氧化碳排放分别降低13.5%和18%，"
                             "化学需氧量、氨氮排放总量分别减少8%、10%，森林覆盖率和草原综合植被盖度分别达到60%和55%。</p>")
    e, c = got[("单位地区生产总值能耗降低", "13.5")], got[("单位地区生产总值二氧化碳排放降低", "18")]
    assert e.concept.endswith("/energy-intensity") and c.concept.endswith("/co2-intensity")
    assert (e.kind, e.year, e.period_start) == ("growth_rate", 2025, 2021)
    assert got[("氨氮排放总量减少", "10")].concept.endswith("/ammonia-reduction") and ("化学需氧量减少", "8") in got
    assert ("森林覆盖率", "60") in got and ("草原综合植被盖度", "55") in got     # 达到: levels, no change word


def test_respectively_understood_and_one_figure_for_two_measured_things(tmp_path):
    got = _extract(tmp_path, "<p>一、2021年工作回顾</p><p>城镇居民人均可支配收入和农村居民人均可支配收入实际增长6.1%和9.3%。"
                             "研究与试验发展经费支出增长12%。</p>", date="2022-01-20", title="某市2022年政府工作报告")
    assert got[("城镇居民人均可支配收入增长", "6.1")].concept.endswith("/urban-income-growth")
    assert got[("农村居民人均可支配收入增长", "9.3")].concept.endswith("/rural-income-growth")
    assert ("研究与试验发展经费支出增长", "12") in got                         # 与 inside one name: not split
    got = _extract(tmp_path, "<p>二、主要目标</p><p>今后五年，城镇居民人均可支配收入和农村居民人均可支配收入年均增长7%以上，"
                             "进出口和实际利用外资年均增长5%。</p>")
    u, r = got[("城镇居民人均可支配收入增长", "7")], got[("农村居民人均可支配收入增长", "7")]
    assert (u.aggregation, r.aggregation, u.period_start, r.period_start) == ("annualAverage",) * 2 + (2021, 2021)
    assert ("进出口和实际利用外资增长", "5") in got                           # 进出口 names no level: one phrase


def test_a_price_base_year_dates_no_figure():
    """按2020年不变价 / 按2020年价格计算 name the prices' year: a review's figure after it is not 2020's."""
    from kgbuild.extract import lexicon
    from kgbuild.extract.years import years_in
    lex = lexicon.load()
    for text in ("按2020年价格计算，2025年全市生产总值将超过1.2万亿元", "全市生产总值达到1.2万亿元（按2020年不变价），2025年城镇化率71%"):
        assert [y for _, y, _ in years_in(text, 0, len(text), 2026, lex)] == [2025], text


def test_a_duration_after_the_subject_is_no_part_of_what_is_measured(tmp_path):
    got = _extract(tmp_path, "<p>一、过去五年工作回顾</p><p>全市财政性教育经费支出五年累计780亿元，年均增长9.5%，"
                             "2025年占地区生产总值比例达到4.2%。</p>", date="2026-01-20", title="某市2026年政府工作报告")
    assert ("财政性教育经费支出", "780") in got                              # 五年 and 累计 gone from the phrase
    share = next(t for (ind, v), t in got.items() if v == "4.2")
    assert share.indicator.endswith("财政性教育经费支出占地区生产总值比例") and "五年" not in share.indicator
    assert share.concept.endswith("/education-spending-share") and share.year == 2025

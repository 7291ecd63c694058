"""Progress on multi-year targets (kgbuild/link/progress.py, rubric progress/1), end to end on a made-up
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
"""
R2022 = """---
title: "泉州市2022年政府工作报告"
date: 2022-01-20 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、2021年工作回顾</p>
<p>2021年，全市地区生产总值增长8.1%，城镇新增就业3.2万人，常住人口城镇化率达到68%，研发经费投入强度达到1.75%，5G基站达到0.8万个。</p>
"""
R2023 = """---
title: "泉州市2023年政府工作报告"
date: 2023-01-18 09:00:00 +0800
tags: 泉州市人民政府
---
<p>一、2022年工作回顾</p>
<p>2022年，全市地区生产总值增长4.2%，城镇新增就业1万人，常住人口城镇化率达到67.8%，研发经费投入强度为1.65%，5G基站达到1.3万个。</p>
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
    for name, text in (("plan-2021.md", PLAN), ("report-2022.md", R2022), ("report-2023.md", R2023)):
        (src / name).write_text(text, encoding="utf-8")
    out = src.parent / (src.name + "-dist")
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_names_the_rubrics_and_counts_progress(corpus):
    _, m = corpus
    assert {r["name"]: r["iri"] for r in m["rubrics"]} == {"verdict": "https://w3id.org/ptkg/rubric/verdict/1",
                                                            "progress": "https://w3id.org/ptkg/rubric/progress/1"}
    assert all(len(r["rule_sha256"]) == 64 for r in m["rubrics"])
    assert m["graphs"]["links"]["progress"] == {"deterioration": 1, "limitedProgress": 1, "moderateProgress": 4, "onTrack": 3}


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
    assert {r["rubric"] for r in rows} == {"https://w3id.org/ptkg/rubric/progress/1"}
    deadline = {r["wording"]: r["deadlineStatus"] for r in rows}
    assert deadline["5G基站"] == "met"                       # 1.3万 ≥ 1.2万 at the deadline (verdict/1)
    assert deadline["常住人口城镇化率"] == "notReported"      # 2025 not reported yet
    en = {(r["wording"], int(r["year"])): r["en"] for r in rows}
    assert "from 66 % (2020, reported) to 72 % (2025)" in en[("常住人口城镇化率", 2022)]
    assert "from 1.7 % (2020, stated in the plan) to 2.5 % (2025)" in en[("研发经费投入强度", 2021)]
    rub = _sparql(site, "SELECT ?t WHERE { ?t <https://w3id.org/ptkg/ns#rubric> <https://w3id.org/ptkg/rubric/verdict/1> }")
    assert len(rub) == 5                                     # every target's status names its rule


@local_store_only
def test_target_page_rubric_page_and_chart(site):
    [row] = _sparql(site, 'SELECT DISTINCT ?t ?i WHERE { ?t <https://w3id.org/ptkg/ns#statedIndicator> ?w ; '
                          '<https://w3id.org/ptkg/ns#indicator> ?i ; <https://w3id.org/ptkg/ns#progress> ?p '
                          'FILTER (STR(?w) = "常住人口城镇化率") }')
    path = "/" + row["t"].split("/", 3)[3]
    page = requests.get(site.url + path, headers={"Accept": "text/html"}, timeout=30).text
    assert "有进展，需加快" in page and "moderate progress, acceleration needed" in page
    assert "由2020年基期66%（报告）到2025年目标72%" in page and 'href="/rubric/progress/1"' in page
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

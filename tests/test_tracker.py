"""The promise tracker end to end, on a made-up two-article corpus: a city's plan for 2022 and its
review published in January 2023. Built with the real CLI, served by a real kgserve, read over
HTTP and in Chromium; the verdict rules on their own (kgbuild/link/verdict.py)."""

import csv
import io
import json
from decimal import Decimal as D

import pytest
import requests

from conftest import Server, local_store_only, run_cli
from kgbuild.link.verdict import Figure, judge
from test_browser import ARTEFACTS, browser  # noqa: F401  (the Chromium fixture)

PLAN = """---
title: "某市2022年政府工作报告发布"
date: 2022-01-20 09:00:00 +0800
tags: 泉州晚报
---
<p>泉州市今年的主要目标：全市地区生产总值增长7%左右，城镇新增就业3万人以上，全市居民消费价格涨幅控制在4.3%以内，规模以上工业增加值增长8%。</p>
"""
REVIEW = """---
title: "泉州市2023年政府工作报告"
date: 2023-01-18 09:00:00 +0800
tags: 泉州晚报
---
<p>一、2022年工作回顾</p>
<p>全市地区生产总值增长6.9%，城镇新增就业2.5万人，居民消费价格上涨1.8%，规模以上工业增加值增长8.5%。</p>
<p>二、2023年主要目标</p>
<p>全市地区生产总值增长6%左右。</p>
"""
GDP = "https://w3id.org/ptkg/indicator/gdp-growth"


def _build(src, out):
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recs = [json.loads(line) for line in run_cli("kgbuild", "targets", str(src)).stdout.splitlines()]
    return m, recs


def _graph_lines(out, graph):
    return [line for line in (out / "dataset.nq").read_text(encoding="utf-8").splitlines() if line.endswith(f"<{graph}> .")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("tracker")
    (src / "plan-2022.md").write_text(PLAN, encoding="utf-8")
    (src / "review-2022.md").write_text(REVIEW, encoding="utf-8")
    out = src.parent / (src.name + "-dist")
    m, recs = _build(src, out)
    return src, out, m, recs


def test_each_target_carries_its_outcome_and_verdict(corpus):
    _, _, m, recs = corpus
    plan = {r["indicator"]: r for r in recs if r["article"] == "plan-2022.md"}
    assert plan["地区生产总值增长"]["status"] == "met"
    assert plan["地区生产总值增长"]["outcomes"][0]["value"] == 6.9 and plan["地区生产总值增长"]["outcomes"][0]["year"] == 2022
    assert plan["地区生产总值增长"]["outcomes"][0]["article"] == "review-2022.md"
    assert plan["城镇新增就业"]["status"] == "missed"          # 2.5万人 below 3万人以上
    assert plan["居民消费价格涨幅"]["status"] == "met"         # a ceiling: 1.8 % ≤ 4.3 %
    assert plan["规模以上工业增加值增长"]["status"] == "met"
    [later] = [r for r in recs if r["article"] == "review-2022.md"]
    assert later["year"] == 2023 and later["status"] == "notReported" and later["outcomes"] == []
    assert m["graphs"]["links"]["statuses"] == {"met": 3, "missed": 1, "notReported": 1}


def test_adding_or_removing_the_review_changes_only_the_verdicts(corpus, tmp_path):
    src, out, m, _ = corpus
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "plan-2022.md").write_text(PLAN, encoding="utf-8")
    m1, recs1 = _build(alone, tmp_path / "dist-alone")
    assert {r["status"] for r in recs1} == {"notReported"}
    plan_graph = next(a for a in m["articles"] if a["key"] == "plan-2022")
    plan_alone = next(a for a in m1["articles"] if a["key"] == "plan-2022")
    assert plan_alone["graph_sha256"] == plan_graph["graph_sha256"]
    assert _graph_lines(tmp_path / "dist-alone", plan_graph["graph"]) == _graph_lines(out, plan_graph["graph"])
    assert m1["graphs"]["links"]["graph_sha256"] != m["graphs"]["links"]["graph_sha256"]
    # and the review back in: the same verdicts as before, without the plan extracted again
    cache = tmp_path / "cache"
    assert run_cli("kgbuild", "build", str(alone), "--out", str(tmp_path / "d2"), "--cache", str(cache)).returncode == 0
    (alone / "review-2022.md").write_text(REVIEW, encoding="utf-8")
    r = run_cli("kgbuild", "build", str(alone), "--out", str(tmp_path / "d2"), "--cache", str(cache))
    assert r.returncode == 0 and "(1 unchanged" in r.stdout, r.stdout + r.stderr
    m2 = json.loads((tmp_path / "d2" / "manifest.json").read_text(encoding="utf-8"))
    assert m2["graphs"]["links"]["statuses"] == m["graphs"]["links"]["statuses"]


@pytest.fixture(scope="module")
def site(corpus):
    _, out, _, _ = corpus
    s = Server(out)
    yield s
    s.stop()


@local_store_only
def test_tracker_pages_and_csv_over_http(site):
    r = requests.get(site.url + "/tracker", timeout=30)
    assert r.status_code == 200 and "已实现" in r.text and "未实现" in r.text and "6.9" in r.text
    r = requests.get(site.url + "/tracker", params={"status": "missed"}, timeout=30)
    assert "城镇新增就业" in r.text and "地区生产总值增长</a>" not in r.text
    r = requests.get(site.url + "/tracker.csv", params={"status": "all"}, timeout=30)
    assert r.headers["Content-Type"].startswith("text/csv") and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(x["status"] for x in rows) == ["met", "met", "met", "missed", "notReported"]
    assert requests.get(site.url + "/tracker", params={"year": "x"}, timeout=30).status_code == 400
    assert requests.get(site.url + "/tracker", params={"place": "<bad>"}, timeout=30).status_code == 400


@local_store_only
def test_target_page_shows_the_outcome_sentence_and_the_verdict(site):
    r = requests.get(site.url + "/tracker.csv", params={"status": "met"}, timeout=30)
    gdp = next(x for x in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))) if x["indicator"] == "国内生产总值增长")
    path = "/" + gdp["target_uri"].split("/", 3)[3]
    page = requests.get(site.url + path, headers={"Accept": "text/html"}, timeout=30).text
    assert "已实现" in page and "6.9 % ≥ 7 % − 0.2 pp (floor)" in page
    assert "全市地区生产总值增长6.9%" in page and "泉州市2023年政府工作报告" in page


@local_store_only
def test_indicator_chart_and_sparql(site):
    r = requests.get(site.url + "/indicator/gdp-growth", timeout=30)
    assert r.status_code == 200 and "<svg" in r.text and 'class="outcome"' in r.text and "target-band" in r.text
    assert requests.get(site.url + "/indicator/gdp-growth", headers={"Accept": "text/turtle"}, timeout=30).text.count(GDP) >= 1
    assert requests.get(site.url + "/indicator/no-such-thing", timeout=30).status_code == 404
    q = (site.url.rstrip("/") + "/queries/promise-vs-reported.rq")
    text = requests.get(q, timeout=30).text
    r = requests.post(site.url + "/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"},
                      timeout=30)
    statuses = sorted(b["status"]["value"] for b in r.json()["results"]["bindings"])
    assert statuses == ["met", "met", "met", "missed", "notReported"]


@local_store_only
def test_tracker_and_chart_in_chromium(site, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site.url + "/indicator/gdp-growth")
    chart = page.locator("svg.tracker").first
    assert chart.is_visible() and page.locator("svg.tracker circle.outcome").count() == 1
    chart.screenshot(path=str(ARTEFACTS / "indicator-chart.png"))
    page.goto(site.url + "/tracker?status=all")
    assert page.locator("table.tracker tr").count() == 6
    page.select_option("select[name=status]", "missed")
    page.locator("form.filters button").click()
    page.wait_for_url("**status=missed**")
    assert page.locator("table.tracker tr").count() == 2
    page.screenshot(path=str(ARTEFACTS / "tracker.png"), full_page=True)
    page.close()


def test_verdict_rules():
    f = lambda c, v, u="%", approx=False, lo=None, hi=None: Figure(c, None if v is None else D(v), lo, hi, u, approx, "growth_rate")  # noqa: E731
    assert judge(f("eq", "7", approx=True), f("eq", "6.9"), "floor").status == "met"
    assert judge(f("eq", "7", approx=True), f("eq", "6.7"), "floor").status == "missed"
    assert judge(f("ge", "6.5"), f("eq", "6.4"), "floor").status == "missed"          # 以上: no tolerance
    assert judge(f("eq", "3", approx=True), f("eq", "3.3"), "ceiling").status == "missed"
    assert judge(f("le", "4.6"), f("eq", "4.1"), None).status == "met"                 # the comparator decides
    assert judge(f("range", None, lo=D(6), hi=D("6.5")), f("eq", "6.1"), "floor").status == "met"
    assert judge(f("eq", "13", approx=True), f("eq", "13.6"), "band").status == "missed"
    assert judge(f("eq", "26000", "亿元"), f("eq", "2.6", "万亿元"), "band").status == "met"   # 万亿元 folded
    assert judge(f("eq", "3", approx=True), f("eq", "0.5", "个百分点"), "ceiling").status == "undetermined"
    assert judge(Figure("eq", D(5), None, None, "%", False, "ratio"), f("eq", "6"), None).status == "undetermined"

"""People in the loop (issue 24): corrections files, confidence, the review queue.

A made-up corpus (made-up sentences only): a plan of 漳州市 for 2023 and a review of that year
published in 2024. Corrections reject one target, set another's value, confirm and link an
outcome to a third; the build is served by a real kgserve and checked over HTTP and SPARQL.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import requests

from conftest import ROOT, Server, run_cli

pytestmark = pytest.mark.e2e

BASE = "http://127.0.0.1:5000/"
PLAN = """---
title: "漳州市2023年重点工作安排"
date: 2023-02-12 09:00:00 +0800
---
<p>今年，漳州市力争新增专精特新企业47家，地区生产总值增长6.5%左右。</p>
<p>全市计划新建城市书房13个。</p>
"""
REVIEW = """---
title: "漳州市2023年工作回顾"
date: 2024-01-22 09:00:00 +0800
---
<p>过去一年，漳州市地区生产总值增长6.3%，新增专精特新企业44家。</p>
"""
T = "id/target/zhangzhou-plan-2023/"
REJECTED, SET, LINKED = T + "xinjian-chengshi-shufang", T + "xinzeng-zhuanjingtexin-qiye-qiye", T + "diqushengchanzongzhi-zengzhang"
CORRECTIONS = f"""# made-up corrections of a made-up corpus
- iri: {REJECTED}
  action: reject
  reason: 城市书房是示例，不是目标
  by: 王审核
  date: 2024-03-01
- iri: {SET}
  action: set
  value: 43
  reason: 原文更正为43家
  by: 李编辑
  date: 2024-03-02
- iri: {BASE}{LINKED}
  action: confirm
  reason: 核对原文无误
  by: 李编辑
  date: 2024-03-02T10:00:00+08:00
- iri: {LINKED}
  action: link
  value: 6.4
  unit: "%"
  source: https://example.org/stats/zhangzhou-2023
  sentence: 统计公报：地区生产总值增长6.4%。
  reason: 统计公报的数值
  by: 王审核
  date: 2024-03-03
"""
PTKG = "https://w3id.org/ptkg/ns#"
PREFIXES = ("PREFIX ptkg: <https://w3id.org/ptkg/ns#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")


def corpus(d: Path) -> Path:
    arts = d / "articles"
    arts.mkdir(parents=True)
    (arts / "zhangzhou-plan-2023.md").write_text(PLAN, encoding="utf-8")
    (arts / "zhangzhou-review-2024.md").write_text(REVIEW, encoding="utf-8")
    return arts


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("corrections")
    arts = corpus(d)
    fixes = d / "corrections"
    fixes.mkdir()
    (fixes / "2024.yaml").write_text(CORRECTIONS, encoding="utf-8")
    r = run_cli("kgbuild", "build", str(arts), "--out", str(d / "dist"), "--corrections", str(fixes))
    assert r.returncode == 0, r.stderr
    s = Server(d / "dist")
    yield s, d
    s.stop()


def ask(server, q: str) -> list[dict]:
    r = requests.post(server.url + "/sparql", data={"query": PREFIXES + q},
                      headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def test_a_rejected_target_is_gone_from_every_output(site):
    server, d = site
    iri = BASE + REJECTED
    assert ask(server, f"SELECT ?t WHERE {{ BIND (<{iri}> AS ?t) ?t a ptkg:Target }}") == []
    assert iri not in requests.get(server.url + "/targets.csv").text
    assert iri not in (d / "dist" / "targets.csv").read_text(encoding="utf-8")
    assert "城市书房" not in requests.get(server.url + "/tracker", params={"status": "all"}).text
    assert "城市书房" not in requests.get(server.url + "/tracker.csv", params={"status": "all"}).text
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF
    g = Graph().parse(data=requests.get(server.url + "/dataset.ttl").text, format="turtle")
    assert (URIRef(iri), RDF.type, URIRef(PTKG + "Target")) not in g
    # …but the rejection and the extractor's reading stay queryable, and its page says so
    rows = ask(server, f"""SELECT ?by ?reason ?s WHERE {{ <{iri}> a ptkg:RejectedReading ; prov:wasInvalidatedBy ?c ;
        ptkg:evidence/ptkg:sentence ?s . ?c prov:wasAssociatedWith/rdfs:label ?by ; rdfs:comment ?reason }}""")
    assert rows == [{"by": "王审核", "reason": "城市书房是示例，不是目标", "s": "全市计划新建城市书房13个。"}]
    page = requests.get(server.url + "/" + REJECTED, headers={"Accept": "text/html"}).text
    assert "Rejected: not a target" in page and "全市计划新建" in page and "2024-03-01" in page and "王审核" in page


def test_a_set_value_is_what_targets_csv_the_tracker_and_the_verdict_use(site):
    server, _ = site
    iri = BASE + SET
    rows = list(csv.DictReader(io.StringIO(requests.get(server.url + "/targets.csv").text.lstrip("\ufeff"))))
    row = next(r for r in rows if r["uri"] == iri)
    assert row["value"] == "43" and row["status"] == "met" and "44家 ≥ 43家" in row["status_rule"]
    tracker = list(csv.DictReader(io.StringIO(requests.get(server.url + "/tracker.csv").text.lstrip("\ufeff"))))
    t = next(r for r in tracker if r["target_uri"] == iri)
    assert (t["target"], t["status"], t["reported"]) == ("43.0", "met", "44.0") or (t["target"], t["status"]) == ("43", "met")
    # the original reading is still in the graph and on the page
    rows = ask(server, f"""SELECT ?v ?old ?by ?date WHERE {{ <{iri}> ptkg:value ?v ; prov:wasRevisionOf ?r ; ptkg:correction ?c .
        ?r a ptkg:Reading ; ptkg:value ?old ; prov:wasInvalidatedBy ?c .
        ?c prov:wasAssociatedWith/rdfs:label ?by ; prov:endedAtTime ?date }}""")
    assert [(float(r["v"]), float(r["old"]), r["by"], r["date"][:10]) for r in rows] == [(43.0, 47.0, "李编辑", "2024-03-02")]
    page = requests.get(server.url + "/" + SET, headers={"Accept": "text/html"}).text
    assert "corrected on 2024-03-02 by 李编辑: 原文更正为43家" in page
    assert "extractor&#39;s reading" in page or "extractor's reading" in page
    assert "47家" in page


def test_a_link_adds_an_outcome_and_its_verdict(site):
    server, _ = site
    iri = BASE + LINKED
    rows = ask(server, f"""SELECT ?status ?v ?src ?rule WHERE {{ <{iri}> ptkg:status/<http://www.w3.org/2004/02/skos/core#notation> ?status ;
        ptkg:statusBasis ?o ; ptkg:statusRule ?rule . ?o a ptkg:CitedOutcome ; ptkg:value ?v ;
        <http://purl.org/dc/terms/source> ?src }}""")
    assert len(rows) == 1 and rows[0]["status"] == "met" and float(rows[0]["v"]) == 6.4
    assert rows[0]["src"] == "https://example.org/stats/zhangzhou-2023" and "linked by a person" in rows[0]["rule"]
    tracker = list(csv.DictReader(io.StringIO(requests.get(server.url + "/tracker.csv").text.lstrip("\ufeff"))))
    t = next(r for r in tracker if r["target_uri"] == iri)
    assert float(t["reported"]) == 6.4 and t["reported_in"] == "https://example.org/stats/zhangzhou-2023"
    page = requests.get(server.url + "/" + LINKED, headers={"Accept": "text/html"}).text
    assert "统计公报：地区生产总值增长6.4%。" in page and "checked by a person" in page


def test_the_provenance_of_each_correction_is_queryable(site):
    server, _ = site
    rows = ask(server, """SELECT ?what ?action ?by ?date ?reason WHERE { ?c a ptkg:Correction ; ptkg:corrects ?what ;
        ptkg:correctionAction/<http://www.w3.org/2004/02/skos/core#notation> ?action ;
        prov:wasAssociatedWith ?p ; prov:endedAtTime ?date ; rdfs:comment ?reason . ?p a prov:Person ; rdfs:label ?by }
        ORDER BY ?date""")
    assert [(r["what"][len(BASE):], r["action"], r["by"]) for r in rows] == [
        (REJECTED, "reject", "王审核"), (SET, "set", "李编辑"), (LINKED, "confirm", "李编辑"), (LINKED, "link", "王审核")]


def test_every_target_and_observation_has_a_confidence(site):
    server, _ = site
    rows = ask(server, """SELECT ?s ?c WHERE { VALUES ?t { ptkg:Target ptkg:Observation } ?s a ?t .
        OPTIONAL { ?s ptkg:confidence ?c } }""")
    assert rows and all("c" in r and 0 <= float(r["c"]) <= 1 for r in rows)
    confirmed = ask(server, f"SELECT ?c WHERE {{ <{BASE}{LINKED}> ptkg:confidence ?c }}")
    assert float(confirmed[0]["c"]) == 1.0


def test_review_queue_lists_least_confident_first_with_csv_twin(site):
    server, _ = site
    r = requests.get(server.url + "/review")
    assert r.status_code == 200
    csv_r = requests.get(server.url + "/review.csv")
    assert csv_r.content.startswith(b"\xef\xbb\xbf") and csv_r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_r.text.lstrip("\ufeff"))))
    confidences = [float(x["confidence"]) for x in rows]
    assert confidences == sorted(confidences) and rows
    paths = {x["path"] for x in rows if x["kind"] != "outcome"}
    assert REJECTED not in paths and SET not in paths and LINKED not in paths    # checked: out of the queue
    for x in rows:
        for v in x.values():
            assert v[:1] not in ("=", "+", "-", "@", "\t", "\r"), v
        assert x["reject"].startswith("# ") and "\n- iri: " in x["reject"]
    only = list(csv.DictReader(io.StringIO(requests.get(server.url + "/review.csv", params={"kind": "observation"}).text.lstrip("\ufeff"))))
    assert only and {x["kind"] for x in only} == {"observation"}
    assert requests.get(server.url + "/review", params={"year": "x"}).status_code == 400


def test_a_pasted_review_entry_is_a_valid_correction(site, tmp_path):
    """The queue's YAML, with a name filled in, is a correction the next build applies."""
    server, d = site
    rows = list(csv.DictReader(io.StringIO(requests.get(server.url + "/review.csv", params={"kind": "observation"}).text.lstrip("\ufeff"))))
    entry = rows[0]["reject"].replace('by: ""', "by: 张三")
    fixes = tmp_path / "fix"
    fixes.mkdir()
    (fixes / "a.yaml").write_text(entry, encoding="utf-8")
    r = run_cli("kgbuild", "observations", str(d / "articles"), "--corrections", str(fixes))
    assert r.returncode == 0, r.stderr
    assert rows[0]["iri"] not in r.stdout and r.stdout.count("\n") == 1    # one of the two observations is left


def test_kgbuild_review_command(site):
    _, d = site
    r = run_cli("kgbuild", "review", str(d / "articles"), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    import json
    items = [json.loads(x) for x in r.stdout.splitlines()]
    assert [i["confidence"] for i in items] == sorted(i["confidence"] for i in items)
    assert {"target", "observation", "outcome"} <= {i["kind"] for i in items}
    assert all(i["sentence"] and i["why"] and "action: confirm" in i["confirm"] or i["kind"] == "outcome" for i in items)
    r = run_cli("kgbuild", "review", str(d / "articles"), "--format", "csv", "--kind", "outcome", "--year", "2023")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("kind,confidence,")
    assert all(line.startswith("outcome,") for line in r.stdout.splitlines()[1:] if line[:1].isalpha() and "," in line[:12])


def test_unlink_removes_an_outcome(tmp_path):
    arts = corpus(tmp_path)
    fixes = tmp_path / "fix.yaml"
    fixes.write_text(f"""- iri: {SET}
  action: unlink
  outcome: id/observation/zhangzhou-review-2024/xinzeng-zhuanjingtexin-qiye-qiye-34
  reason: 口径不同
  by: 王审核
  date: 2024-03-05
""", encoding="utf-8")
    r = run_cli("kgbuild", "targets", str(arts), "--corrections", str(fixes))
    assert r.returncode == 0, r.stderr
    import json
    rec = next(json.loads(x) for x in r.stdout.splitlines() if json.loads(x)["uri"] == BASE + SET)
    assert rec["status"] == "notReported" and rec["outcomes"] == []


# ---------------------------------------------------------------- errors: file and line, exit codes, dist unchanged

def _snapshot(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def built_plain(tmp_path_factory):
    d = tmp_path_factory.mktemp("plain")
    arts = corpus(d)
    r = run_cli("kgbuild", "build", str(arts), "--out", str(d / "dist"))
    assert r.returncode == 0, r.stderr
    return d, arts


@pytest.mark.parametrize("text, line, words", [
    (f"- iri: {SET}\n  action: reject\n  reason: \"没有结束的引号\n  by: 王\n  date: 2024-01-01\n", 3, "invalid YAML"),
    (f"- iri: {SET}\n  action: reject\n  reason: r\n  by: 王\n  date: 2024-01-01\n- iri: {SET}\n  action: delete\n"
     "  reason: r\n  by: 王\n  date: 2024-01-01\n", 7, "unknown action 'delete'"),
    (f"- iri: {SET}\n  action: set\n  value: 四十\n  reason: r\n  by: 王\n  date: 2024-01-01\n", 3, "value: expected a number"),
    (f"- iri: {SET}\n  action: confirm\n  by: 王\n  date: 2024-01-01\n", 1, "missing `reason:`"),
])
def test_a_bad_corrections_file_is_one_line_with_file_and_line_and_dist_is_unchanged(built_plain, tmp_path, text, line, words):
    d, arts = built_plain
    before = _snapshot(d / "dist")
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    r = run_cli("kgbuild", "build", str(arts), "--out", str(d / "dist"), "--corrections", str(tmp_path))
    assert r.returncode == 7, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"error: {f}:{line}: ") and words in r.stderr, r.stderr
    assert _snapshot(d / "dist") == before


def test_a_missing_iri_is_a_warning_naming_the_nearest(built_plain, tmp_path):
    d, arts = built_plain
    f = tmp_path / "gone.yaml"
    f.write_text(f"- iri: {SET[:-2]}\n  action: reject\n  reason: r\n  by: 王\n  date: 2024-01-01\n", encoding="utf-8")
    r = run_cli("kgbuild", "build", str(arts), "--out", str(d / "dist"), "--corrections", str(f))
    assert r.returncode == 0, r.stderr
    warning = [x for x in r.stderr.splitlines() if x.startswith("warning:")]
    assert len(warning) == 1 and f"{f}:1:" in warning[0] and f"nearest: {SET}" in warning[0]
    assert BASE + SET in (d / "dist" / "targets.csv").read_text(encoding="utf-8")    # nothing was rejected


def test_a_correction_that_breaks_a_shape_names_its_file_and_line(built_plain, tmp_path):
    d, arts = built_plain
    before = _snapshot(d / "dist")
    f = tmp_path / "shape.yaml"
    f.write_text(f"- iri: {SET}\n  action: set\n  min: 50\n  max: 40\n  reason: r\n  by: 王\n  date: 2024-01-01\n", encoding="utf-8")
    r = run_cli("kgbuild", "build", str(arts), "--out", str(d / "dist"), "--corrections", str(f))
    assert r.returncode == 7 and f"error: {f}:1: " in r.stderr, r.stderr
    assert _snapshot(d / "dist") == before


def test_corrections_survive_rebuilds_and_a_changed_file_changes_only_what_it_names(tmp_path):
    """Corrections are applied after the per-article cache: the articles come from the cache,
    the corrected values follow the file, and removing the file restores the extractor's reading."""
    arts = corpus(tmp_path)
    fixes = tmp_path / "fix"
    fixes.mkdir()
    entry = f"- iri: {SET}\n  action: set\n  value: {{v}}\n  reason: r\n  by: 王审核\n  date: 2024-03-01\n"
    out = tmp_path / "dist"

    def build_value(v: int | None) -> tuple[str, str]:
        if v is None:
            shutil.rmtree(fixes)
            fixes.mkdir()
        else:
            (fixes / "a.yaml").write_text(entry.format(v=v), encoding="utf-8")
        r = run_cli("kgbuild", "build", str(arts), "--out", str(out), "--corrections", str(fixes))
        assert r.returncode == 0, r.stderr
        rows = list(csv.DictReader(io.StringIO((out / "targets.csv").read_text(encoding="utf-8").lstrip("\ufeff"))))
        return next(x["value"] for x in rows if x["uri"] == BASE + SET), r.stdout

    assert build_value(43)[0] == "43"
    value, stdout = build_value(41)
    assert value == "41" and "(2 unchanged, from the cache)" in stdout
    assert build_value(None)[0] == "47"


def test_corrections_are_inputs_of_the_nothing_changed_shortcut_and_incremental_links_equal_a_full_build(tmp_path):
    """The corrections files are part of what "nothing changed" compares (the build's inputs hash);
    a changed link correction rebuilds on the incremental path (the articles' cached statements
    joined, only the changed links validated again) with the same dumps as a --full build."""
    arts = corpus(tmp_path)
    fixes = tmp_path / "fix"
    fixes.mkdir()
    (fixes / "2024.yaml").write_text(CORRECTIONS, encoding="utf-8")
    out = tmp_path / "dist"

    def build(*extra: str, to: Path = out):
        r = run_cli("kgbuild", "build", str(arts), "--out", str(to), "--corrections", str(fixes), *extra)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def status(to: Path = out) -> str:
        line = next(x for x in (to / "dataset.nt").read_text(encoding="utf-8").splitlines()
                    if x.startswith(f"<{BASE}{LINKED}> <{PTKG}status> "))
        return line.split("#")[-1].rstrip("> .")

    assert not build().startswith("nothing changed") and status() == "met"
    assert build().startswith("nothing changed")
    (fixes / "2024.yaml").write_text(CORRECTIONS.replace("value: 6.4", "value: 5.0"), encoding="utf-8")
    stdout = build()
    assert not stdout.startswith("nothing changed") and "(2 unchanged, from the cache)" in stdout
    assert status() == "missed"
    build("--full", to=tmp_path / "full")
    answers = sorted(str(p.relative_to(out.resolve())) for p in (out.resolve() / "queries").glob("*.json"))
    assert "queries/review.json" in answers            # the canned answers too (publish.delta updates them)
    for name in ("dataset.nt", "dataset.ttl", "targets.csv", "review.json", *answers):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name

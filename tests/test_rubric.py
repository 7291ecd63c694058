"""Reproducible verdicts: every status names the version of the rule that made it, and a changed rule
is a new version (kgbuild/link/rubric.py, ontology/rubrics.ttl). Changed words without a new version,
a version the code names but the file does not describe, or decisions that differ from what the
version decided, all fail here."""

import hashlib
from decimal import Decimal as D

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF

from conftest import ROOT
from kgbuild.link import progress, verdict
from kgbuild.link import outcomes
from kgbuild.link.outcomes import Statement
from kgbuild.link.rubric import RUBRIC_NS, VERSIONS, rubric_iri
from kgbuild.link.verdict import Figure

PTKG = Namespace("https://w3id.org/ptkg/ns#")


def _rubrics() -> Graph:
    return Graph().parse(ROOT / "ontology" / "rubrics.ttl", format="turtle")


def test_each_rubric_describes_its_words_by_their_digest():
    g = _rubrics()
    nodes = list(g.subjects(RDF.type, PTKG.Rubric))
    assert len(nodes) >= len(VERSIONS)
    for u in nodes:
        words = {o.language: str(o) for o in g.objects(u, PTKG.ruleText)}
        digest = hashlib.sha256((words["en"] + "\n" + words["zh"]).encode("utf-8")).hexdigest()
        assert str(g.value(u, PTKG.ruleSha256)) == digest, f"{u}: its words changed without a new version"
        assert str(u) == f"{RUBRIC_NS}{str(u)[len(RUBRIC_NS):].split('/')[0]}/{g.value(u, OWL.versionInfo)}"


def test_the_versions_the_code_names_are_described_and_conform():
    g = _rubrics()
    for name in VERSIONS:
        assert (URIRef(rubric_iri(name)), RDF.type, PTKG.Rubric) in g, name
    shapes = Graph().parse(ROOT / "shapes" / "links.ttl", format="turtle")
    ok, _, text = validate(g, shacl_graph=shapes, advanced=True)
    assert ok, text


def test_a_rubric_whose_words_changed_without_a_new_version_is_caught(tmp_path):
    text = (ROOT / "ontology" / "rubrics.ttl").read_text(encoding="utf-8").replace("≥ 0.95 on track", "≥ 0.9 on track")
    g = Graph().parse(data=text, format="turtle")
    u = URIRef(rubric_iri("progress"))
    words = {o.language: str(o) for o in g.objects(u, PTKG.ruleText)}
    assert hashlib.sha256((words["en"] + "\n" + words["zh"]).encode()).hexdigest() != str(g.value(u, PTKG.ruleSha256))


# What each version decided, pinned: a code change that decides one of these differently must name a
# new version (VERSIONS in kgbuild/link/rubric.py, a new node in ontology/rubrics.ttl) and add its cases.
VERDICT_1 = [(("eq", "7", "%", True), "6.9", "floor", "met"), (("eq", "7", "%", True), "6.7", "floor", "missed"),
             (("ge", "6.5", "%", False), "6.4", None, "missed"), (("le", "3", "%", False), "3.1", None, "missed"),
             (("eq", "100", "亿元", True), "98.5", "band", "met")]
PROGRESS_1 = [("66", "72", "68", 2021, "onTrack"), ("66", "72", "67.8", 2022, "moderateProgress"),
              ("1.7", "2.5", "1.75", 2021, "limitedProgress"), ("1.7", "2.5", "1.65", 2022, "deterioration"),
              ("66", "72", "73", 2022, "targetAchieved"), ("5", "6", "5.19", 2021, "onTrack"),
              ("5", "6", "5.18", 2021, "moderateProgress"), ("5", "6", "5.12", 2021, "moderateProgress"),
              ("5", "6", "5.11", 2021, "limitedProgress")]


# Version 2 decides every case of version 1 as it did, and adds: a change over the span (降低16% over the
# plan's years) from yearly changes compounded or a cumulative figure stated so far; a level's baseline from
# one of the three years before the base year when the base year has none, else the first value after it. By hand from the words:
# falls 3.5 %, 2 % → 1 − 0.965 × 0.98 = 5.43 % over 2 years, 2.75 %/yr ÷ (1 − 0.84^(1/5) = 3.43 %/yr) = 0.80.
CHANGE_2 = [(["3.5"], None, "onTrack"), (["3.5", "2"], None, "moderateProgress"), (["1", "1"], None, "limitedProgress"),
            (["3.5", "2"], "17", "targetAchieved"), (["-1"], None, "deterioration")]
VERDICT_2_COMPOUNDED = [(["3.5", "2", "3.7", "4.8", "4"], "met"),        # 16.77 % ≥ 16 %
                        (["3.5", "3.5", "3.5", "3.5", "3.5"], "met"),    # 16.33 %: compounded, not summed (17.5)
                        (["3", "3", "3", "3", "3.5"], "missed")]         # 15.4 % (summed: 15.5)


def _judge_verdicts():
    for (cmp_, value, unit, approx), got, direction, status in VERDICT_1:
        t = Figure(cmp_, D(value), None, None, unit, approx, "growth_rate")
        o = Figure("eq", D(got), None, None, unit, False, "growth_rate")
        assert verdict.judge(t, o, direction).status == status, (value, got)


def test_verdict_version_1_decides_as_it_did():
    if VERSIONS["verdict"] in (1, 2):       # version 2 keeps every single-outcome decision of version 1
        _judge_verdicts()


def _level(base, goal, value, year, base_year=2020):
    stmts = [Statement("t", "Target", ("P", "I", 2025, None), Figure("eq", D(goal), None, None, "%", False, "ratio"),
                       "floor", "a", "2021-02-01"),
             Statement("b", "Observation", ("P", "I", base_year, None), Figure("eq", D(base), None, None, "%", False, "ratio"),
                       None, "a", "2021-02-01"),
             Statement("o", "Observation", ("P", "I", year, None), Figure("eq", D(value), None, None, "%", False, "ratio"),
                       None, "b", f"{year + 1}-01-20")]
    return progress.assess(stmts, ())[0]


def test_progress_version_1_decides_as_it_did():
    if VERSIONS["progress"] not in (1, 2):
        return
    for base, goal, value, year, status in PROGRESS_1:
        [p] = _level(base, goal, value, year)
        assert (p.status, p.rubric) == (status, rubric_iri("progress")), (base, goal, value)


def _change(falls, stated_so_far=None):
    fig = lambda v: Figure("eq", D(v), None, None, "%", False, "growth_rate")  # noqa: E731
    stmts = [Statement("t", "Target", ("P", "E", 2015, 2011), fig("16"), "floor", "a", "2011-03-05", stated="单位国内生产总值能耗降低")]
    stmts += [Statement(f"o{i}", "Observation", ("P", "E", 2011 + i, None), fig(f), "floor", f"r{i}", f"{2012 + i}-03-05")
              for i, f in enumerate(falls)]
    if stated_so_far is not None:
        y = 2010 + len(falls)
        stmts.append(Statement("s", "Observation", ("P", "E", y, 2011), fig(stated_so_far), "floor", "s", f"{y + 1}-03-06"))
    return stmts


def test_progress_version_2_decides_as_it_did():
    if VERSIONS["progress"] != 2:
        return
    for falls, stated, status in CHANGE_2:
        p = progress.assess(_change(falls, stated), ())[0][-1]
        assert (p.mode, p.status, p.rubric) == ("change", status, rubric_iri("progress")), (falls, stated)
    [p] = _level("66", "72", "68", 2021, base_year=2018)      # no 2020 value: 2018's, so (68−66)/3 ÷ (72−66)/7
    assert (p.baseline_year, p.ratio, p.status) == (2018, D("0.7778"), "moderateProgress")
    fig = lambda v: Figure("eq", D(v), None, None, "%", False, "ratio")  # noqa: E731
    stmts = [Statement("t", "Target", ("P", "I", 2025, None), fig("72"), "floor", "a", "2021-02-01"),
             Statement("o1", "Observation", ("P", "I", 2021, None), fig("66"), None, "b", "2022-01-20"),
             Statement("o3", "Observation", ("P", "I", 2023, None), fig("67"), None, "c", "2024-01-20")]
    [p] = progress.assess(stmts, ())[0]                      # a series that begins in 2021: (67−66)/2 ÷ (72−66)/4
    assert (p.year, p.baseline_year, p.ratio, p.status) == (2023, 2021, D("0.3333"), "limitedProgress")
    stmts[0] = Statement("t", "Target", ("P", "I", 2025, None), Figure("eq", D("4"), None, None, "个百分点", False, "ratio"),
                         "floor", "a", "2021-02-01")            # 提高4个百分点: from 2020's level, which no report gives
    assert [p.status for p in progress.assess(stmts, ())[0]] == ["undetermined", "undetermined"]


def test_verdict_version_2_decides_as_it_did():
    if VERSIONS["verdict"] != 2:
        return
    for falls, status in VERDICT_2_COMPOUNDED:
        stmts = _change(falls)
        [lk] = progress.assess(stmts, outcomes.join(stmts))[1]
        assert lk.status == status, falls

"""A link that violates the shapes stops the build: nothing is published, no temporary version or
store folder is left."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kgbuild import pipeline
from kgbuild.errors import ValidationFailed
from kgbuild.graph import validate

SEED = Path(__file__).resolve().parent.parent / "data" / "articles" / "quanzhou-2022.md"
ONLY_MET = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ptkg: <https://w3id.org/ptkg/ns#> .
@prefix status: <https://w3id.org/ptkg/code/status#> .
<urn:test:OnlyMet> a sh:NodeShape ; sh:targetSubjectsOf ptkg:status ;
    sh:property [ sh:path ptkg:status ; sh:in ( status:met ) ] .
"""


def test_a_link_that_violates_the_shapes_publishes_nothing(tmp_path, monkeypatch):
    stricter = Graph()
    for t in validate.links_shapes():
        stricter.add(t)
    stricter.parse(data=ONLY_MET, format="turtle")     # the seed's 34 links are notReported: each violates it
    monkeypatch.setattr("kgbuild.link.stage.links_shapes", lambda: stricter)
    out = tmp_path / "dist"
    with pytest.raises(ValidationFailed, match="links between targets and outcomes"):
        pipeline.build([SEED], out, full=True)
    assert not out.exists() and not out.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.lock"]   # no temporary version, no store folder



PTKG = "https://w3id.org/ptkg/ns#"
LOCATING = {PTKG + "place", PTKG + "indicator", PTKG + "year"}


def test_the_links_shapes_read_place_indicator_and_year_only_where_stage_gives_them():
    """link.stage gives the engine the place, indicator and year of a target with outcomes or
    progress and of its outcomes only (stage._located): the shapes read them nowhere else. No
    target declaration or property path but the progress assessment's own year names them, and the
    SPARQL constraints that name them read them of an outcome's target and the outcome, or of a
    progress assessment's target."""
    from kgbuild.graph.validate import SH
    shapes = validate.links_shapes()
    for s, p, o in shapes:
        if str(o) in LOCATING:
            assert p == SH.path and str(o) == PTKG + "year", (s, p, o)
            holder = next(shapes.subjects(SH.property, s))
            assert {str(c) for c in shapes.objects(holder, SH.targetClass)} == {PTKG + "ProgressAssessment"}
            assert not set(shapes.predicates(holder)) & {SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
    reading = [str(q) for q in shapes.objects(None, SH.select)
               if any(f"ptkg:{n}" in str(q) for n in ("place", "indicator", "year"))]
    assert len(reading) == 2
    assert all("$this ptkg:outcome ?value" in q or "?t ptkg:progress $this" in q for q in reading)


def _broken(lines: list[str]) -> list[str]:
    """LINES with three violations the context decides or not: an outcome of another year, a
    second rule of a target nothing reports on, a progress assessment after its deadline."""
    outcome = next(line for line in lines if f"<{PTKG}outcome>" in line)
    target, _, value = outcome.split(" ", 2)
    quiet = next(line.split(" ", 1)[0] for line in lines
                 if f"<{PTKG}status>" in line and line.endswith("#notReported> ."))
    progress = next(line.split(" ", 1)[0] for line in lines if "#progress-" in line.split(" ", 1)[0])
    other = next(line.split(" ", 2)[2] for line in lines if f"<{PTKG}outcome>" in line and line.split(" ", 1)[0] != target
                 and line.split(" ", 2)[2] != value)
    return sorted(set(lines) | {f"{target} <{PTKG}outcome> {other}",
                                f'{quiet} <{PTKG}statusRule> "another rule" .',
                                f'{progress} <{PTKG}year> "2099"^^<http://www.w3.org/2001/XMLSchema#gYear> .'})


def test_the_links_report_is_the_one_with_every_nodes_place_indicator_and_year(monkeypatch, tmp_path):
    """link_articles validates the links with the place, indicator and year of the nodes the shapes
    read them of: the report, broken links or not, is pyshacl's (the oracle) on the links with
    those of every node they name (every subject's and every outcome's)."""
    import subprocess
    from conftest import BIN, ROOT, national_dir
    from kgbuild.link import memo, stage
    from kgbuild.pipeline import DEFAULT_BASE, article
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(tmp_path), "--count", "12", "--seed", "7"],
                   check=True, capture_output=True)
    files = [SEED] + sorted(national_dir().glob("*.md")) + sorted(tmp_path.glob("*.md"))
    kept = [a for a in (article(f) for f in files) if not hasattr(a, "error")]
    lines = memo.lines([r for a in kept for r in a.statements], DEFAULT_BASE, "fp", None)
    located = f"<{PTKG}place>", f"<{PTKG}indicator>", f"<{PTKG}year>"
    for links in (lines, _broken(lines)):
        monkeypatch.setattr(stage.link_memo, "lines", lambda *_, links=links: list(links))
        got = stage.link_articles(kept, DEFAULT_BASE)
        named = {line.split(" ", 1)[0] for line in links} | \
                {line.split(" ", 2)[2][:-2] for line in links if f"<{PTKG}outcome>" in line}
        context = {line for a in kept for line in a.ntriples.splitlines()
                   if line.split(" ", 1)[0] in named and line.split(" ", 2)[1] in located}
        g = Graph().parse(data="\n".join(links + sorted(context)) + "\n", format="nt")
        oracle = validate.validate(g, validate.links_shapes(), validate.PYSHACL)
        assert (got.violations, got.report, got.report_text) == (oracle.violations, oracle.report_nt, oracle.report_text)
        assert (got.violations >= 3) is (links is not lines)

"""pyshacl-turbo, the build's SHACL engine, against pyshacl, the oracle: on every article we have
(the seed, ../shared/gold with dev2/ and dev3/, the national reports, synthetic articles), alone as
stage 5 validates them and as a union with their links as `kgbuild validate` and stage 6 do, both
engines must give the same conforms and the same results (focus node, path, source shape,
severity, constraint component, value, messages) and the same canonical report. The shape
mutation tests (test_shapes.py) run with both engines and compare them the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kgbuild import __version__
from kgbuild.extract import extract, lexicon
from kgbuild.graph import validate as shacl
from kgbuild.graph.iris import new_graph
from kgbuild.graph.mapping import links_to_rdf, to_rdf
from kgbuild.link import link
from kgbuild.publish import ntriples
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse
from conftest import ROOT, SEED, gold_dir, national_dir

pytestmark = pytest.mark.skipif(shacl.pyshacl_turbo is None, reason="pyshacl-turbo is not installed")
BASE = "http://127.0.0.1:5000/"


def same_report(g: Graph, shapes: Graph | None = None) -> int:
    """Both engines on G must agree; returns the number of results."""
    c1, r1 = shacl.run(g, shapes, shacl.PYSHACL)
    c2, r2 = shacl.run(g, shapes, shacl.TURBO)
    s1, s2 = shacl.result_set(r1, shapes), shacl.result_set(r2, shapes)
    assert c1 == c2
    assert s1 == s2, f"only pyshacl: {sorted(s1 - s2, key=str)}\nonly pyshacl-turbo: {sorted(s2 - s1, key=str)}"
    assert shacl.validate(g, shapes, shacl.PYSHACL) == shacl.validate(g, shapes, shacl.TURBO)
    return len(s1)


def graphs(files: list[Path]) -> list[Graph]:
    lex = lexicon.load()
    return [to_rdf(extract(parse(load_file(f)), lex), BASE, __version__) for f in files]


def check_set(files: list[Path]) -> int:
    assert files
    union, n = new_graph(), 0
    for g in graphs(files):
        n += same_report(g)
        union += g
    union += links_to_rdf(link(ntriples(union)), BASE)
    return n + same_report(union) + same_report(union, shacl.links_shapes())


def articles(d: Path) -> list[Path]:
    return sorted(f for f in d.glob("*.md") if f.name not in ("GUIDELINES.md", "README.md"))


def test_seed():
    check_set(articles(SEED.parent))


@pytest.mark.parametrize("sub", [".", "dev2", "dev3"])
def test_gold(sub):
    d = gold_dir() / sub
    if not d.is_dir():
        pytest.skip(f"no {d}")
    check_set(articles(d))


def test_national_reports():
    assert check_set(articles(national_dir())) > 0      # these have warnings: results to compare


def test_synthetic(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(tmp_path), "--count", "20", "--seed", "11"],
                   check=True, stdout=subprocess.DEVNULL)
    check_set(articles(tmp_path))


def test_the_comparison_sees_a_difference():
    """The result sets are compared on what matters: a changed value, path or severity shows."""
    from rdflib import Literal
    from rdflib.namespace import RDF
    report = Graph()
    r = shacl.BNode()
    report.add((r, RDF.type, shacl.SH.ValidationResult))
    report.add((r, shacl.SH.focusNode, shacl.SH.x))
    report.add((r, shacl.SH.value, Literal("1")))
    other = Graph()
    other += report
    other.set((r, shacl.SH.value, Literal("2")))
    assert shacl.result_set(report) != shacl.result_set(other)



def test_links_graph_as_text():
    """Stage 6 gives pyshacl-turbo the links graph (with its nodes' place, indicator and year) as
    N-Triples text: the same report as pyshacl, the oracle, on the parsed graph, with a violation
    and without."""
    from rdflib import Literal
    from rdflib.namespace import XSD
    from kgbuild.graph import lines
    union = new_graph()
    for g in graphs(articles(SEED.parent)):
        union += g
    ptkg = shacl.Namespace("https://w3id.org/ptkg/ns#")
    links = links_to_rdf(link(ntriples(union)), BASE)
    check = Graph()
    check += links
    for s in set(links.subjects()):
        for p in (ptkg.place, ptkg.indicator, ptkg.year):
            check.addN((s, p, o, check) for o in union.objects(s, p))
    targets = sorted(set(check.subjects(ptkg.status, None)))
    assert targets
    broken = Graph()
    broken += check
    broken.add((targets[0], ptkg.statusRule, Literal("another rule")))          # two rules: maxCount
    broken.add((targets[-1], ptkg.statusConfidence, Literal("2", datatype=XSD.decimal)))   # above 1
    shapes = shacl.links_shapes()
    for g, bad in ((check, False), (broken, True)):
        oracle = shacl.validate(g, shapes, shacl.PYSHACL)
        text = lines.canonical(g)
        text = text.decode("utf-8") if isinstance(text, bytes) else text
        assert shacl.validate(text, shapes, shacl.TURBO, names=Graph()) == oracle
        assert oracle.conforms is not bad and (oracle.violations >= 2) is bad
        assert shacl.result_set(shacl.run(text, shapes, shacl.TURBO, Graph())[1], shapes) == \
            shacl.result_set(shacl.run(g, shapes, shacl.PYSHACL)[1], shapes)


def test_ontology_structure_read_with_pyoxigraph(tmp_path, monkeypatch):
    """ontology_graph (pyoxigraph's Turtle parser) keeps the triples rdflib's parser reads from the
    same files, term for term: on the project's ontology, and on one with a blank node, literals
    (plain, tagged, typed) and a triple written in two files."""
    from rdflib import RDFS, SKOS

    def by_rdflib():
        return {t for t in shacl.load_dir(shacl.paths.ontology_dir()) if t[1] in (RDFS.subClassOf, RDFS.subPropertyOf,
                                                                                  SKOS.inScheme)}
    shacl.ontology_graph.cache_clear()
    try:
        got = shacl.ontology_graph()
        assert got and len(got) == len(set(got)) and set(got) == by_rdflib()
        (tmp_path / "a.ttl").write_text(
            '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
            '<http://e/A> rdfs:subClassOf <http://e/B> , [ rdfs:label "x" ] .\n'
            '<http://e/c> skos:inScheme "plain" , "中"@zh , "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            '<http://e/c> rdfs:label "not kept" .\n', encoding="utf-8")
        (tmp_path / "b.ttl").write_text('<http://e/A> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://e/B> .\n',
                                        encoding="utf-8")
        monkeypatch.setattr(shacl.paths, "ontology_dir", lambda: tmp_path)
        shacl.ontology_graph.cache_clear()
        got = shacl.ontology_graph()
        assert len(got) == len(set(got)) == 5
        blank = lambda ts: {tuple("_" if isinstance(x, shacl.BNode) else x for x in t) for t in ts}   # noqa: E731
        assert blank(got) == blank(by_rdflib())
    finally:
        shacl.ontology_graph.cache_clear()


def test_the_ontology_an_article_reaches():
    """ontology_for: the ontology's triples of the IRIs given, and of their objects on to the top,
    in the ontology's order; nothing for IRIs it does not describe; all of it for all its subjects."""
    triples = shacl.ontology_graph()
    rows = [shacl._nt_row(t) for t in triples]
    subjects = {s for s, _, _ in triples}
    assert shacl.ontology_for(set()) == "" and shacl.ontology_for({shacl.URIRef("http://example.org/x")}) == ""
    assert shacl.ontology_for(subjects) == shacl._ontology_nt()
    for s in subjects:
        got = shacl.ontology_for({s, shacl.URIRef("http://example.org/x")})
        want, todo, seen = set(), [s], {s}
        while todo:
            node = todo.pop()
            for i, t in enumerate(triples):
                if t[0] == node:
                    want.add(i)
                    if t[2] not in seen:
                        seen.add(t[2])
                        todo.append(t[2])
        assert got == "".join(rows[i] for i in sorted(want))
    chains = [t for t in triples if t[2] in subjects]      # a class whose superclass has one too
    assert all(shacl.ontology_for({t[0]}).count("\n") >= 2 for t in chains)


def test_the_shapes_reach_the_ontology_only_forwards():
    """What ontology_for relies on: no shape of shapes/ makes a node of the ontology a focus node
    (no target on a subject or object of its triples, which have no rdf:type) or reads its triples
    backwards (no inverse path; the SPARQL constraints name rdfs:subClassOf only in
    a/rdfs:subClassOf*, from a node of the data)."""
    shapes = shacl.shapes_graph()
    structural = {str(p) for p in shacl._STRUCTURAL}
    assert not any(shapes.triples((None, shacl.SH.inversePath, None)))
    assert not any(shapes.triples((None, shacl.SH.targetNode, None)))
    assert not any(shapes.triples((None, shacl.SH.targetObjectsOf, None)))
    assert not any(shapes.triples((None, shacl.SH.target, None)))
    assert {str(p) for p in shapes.objects(None, shacl.SH.targetSubjectsOf)}.isdisjoint(structural)
    assert {str(p) for p in shapes.objects(None, shacl.SH.path)} & structural <= {str(shacl.SKOS.inScheme)}
    for query in map(str, shapes.objects(None, shacl.SH.select)):
        for iri in structural:
            assert query.count(iri) == query.count(f"a/<{iri}>*")
        assert not any(f"{prefix}:{iri.rsplit('#', 1)[-1]}" in query
                       for prefix in ("rdfs", "skos") for iri in structural)


def test_an_article_is_validated_with_the_ontology_it_reaches():
    """Stage 5 gives pyshacl-turbo an article's lines with only the part of the ontology its IRIs
    reach: the same summary as with all of it, and as pyshacl's (the oracle) on the graph, on the
    seed, the national reports (their warnings) and synthetic articles."""
    from kgbuild.graph.mapping import to_lines
    lex = lexicon.load()
    files = articles(SEED.parent)
    try:
        files += articles(national_dir())
    except pytest.skip.Exception:
        pass                                # the seed alone
    assert files
    warned = 0
    for f in files:
        made = to_lines(extract(parse(load_file(f)), lex), BASE, __version__)
        text, names = made.canonical(), made.names()
        v = shacl.validate(text, names=names, iris=made.iris())
        assert v == shacl.validate(text, names=names)
        if f.parent == SEED.parent:
            assert v == shacl.validate(made.graph(), engine=shacl.PYSHACL)
        warned += bool(v.warnings)
    assert warned or len(files) == len(articles(SEED.parent))

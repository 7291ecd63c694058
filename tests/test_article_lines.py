"""Stage 4–5 on an article's N-Triples: the text pipeline.article writes once (graph.lines) is the
canonical N-Triples publish.ntriples gives, and validating that text gives the report validating
the graph gives, with both engines; the linking query reads the same rows from the lines whose
predicates it names as from the whole graph."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from conftest import BIN, ROOT, SEED, gold_dir, national_dir
from kgbuild import __version__
from kgbuild.extract import extract, lexicon
from kgbuild.graph import lines, validate as shacl
from kgbuild.graph.iris import new_graph
from kgbuild.graph.mapping import to_lines, to_rdf
from kgbuild.link.outcomes import rows
from kgbuild.publish import canned, ntriples
from kgbuild.publish.store import read_query
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse

BASE = "http://127.0.0.1:5000/"


@pytest.fixture(scope="module")
def extractions(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic")
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(d), "--count", "12", "--seed", "5"],
                   check=True, capture_output=True)
    files = [SEED, ROOT / "tests" / "data" / "made-up-report.md"] + sorted(d.glob("*.md"))
    files += [f for f in sorted(gold_dir().rglob("*.md")) + sorted(national_dir().glob("*.md"))
              if f.name not in ("GUIDELINES.md", "README.md")]
    lex = lexicon.load()
    return [extract(parse(load_file(f)), lex) for f in files]


@pytest.fixture(scope="module")
def graphs(extractions):
    return [to_rdf(x, BASE, __version__) for x in extractions]


def test_lines_are_the_graph_to_rdf_makes(extractions, graphs):
    """pipeline.article writes an article's lines from mapping.to_lines, with no rdflib store: the
    same lines as the graph to_rdf makes, its graph() that graph (the same triples added in the
    same order, the same prefixes), and its names() the graph's prefixes."""
    for x, g in zip(extractions, graphs):
        made = to_lines(x, BASE, __version__)
        assert made.canonical() == lines.canonical(g)
        again = made.graph()
        assert list(again) == list(g)
        assert list(again.namespaces()) == list(g.namespaces()) == list(made.names().namespaces())
        assert len(made.names()) == 0


def test_lines_answer_membership_as_a_graph_does():
    ex = lambda n: URIRef("http://example.org/" + n)  # noqa: E731
    made, g = lines.Lines(), new_graph()
    for t in [(ex("s"), ex("p"), ex("o")), (ex("s"), ex("q"), Literal("1.0", datatype=ex("d"))),
              (ex("t"), ex("p"), Literal("x", lang="zh"))]:
        made.add(t)
        g.add(t)
    for pattern in [(ex("s"), ex("p"), None), (ex("s"), ex("r"), None), (ex("s"), ex("p"), ex("o")),
                    (ex("s"), ex("p"), ex("x")), (ex("t"), ex("p"), Literal("x", lang="zh")),
                    (ex("t"), ex("p"), Literal("x")), (None, ex("q"), None), (None, None, ex("o"))]:
        assert (pattern in made) == (pattern in g), pattern
    assert made.canonical() == lines.canonical(g)


def rdflib_ntriples(g) -> str:
    """The oracle: rdflib's N-Triples serializer, its lines made distinct and sorted (what
    publish.ntriples did before it called lines.canonical)."""
    out = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return "\n".join(out) + "\n"


def test_canonical_lines_are_publish_ntriples(graphs):
    for g in graphs:
        assert lines.canonical(g) == rdflib_ntriples(g) == ntriples(g).decode("utf-8")


def test_canonical_lines_of_awkward_literals():
    """Escapes, a line separator inside a literal (split as ntriples splits it), an empty graph."""
    g = new_graph()
    s = URIRef("http://example.org/s")
    for text in ('a "quoted"\nline\\', "tab\there", "x\u2028y", "回车\r", ""):
        g.add((s, URIRef("http://example.org/p"), Literal(text, lang="zh")))
    g.add((s, URIRef("http://example.org/q"), Literal("1.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    assert lines.canonical(g) == rdflib_ntriples(g) == ntriples(g).decode("utf-8")
    assert lines.canonical(new_graph()) == rdflib_ntriples(new_graph()) == ntriples(new_graph()).decode("utf-8")


def test_lines_of_awkward_terms_split_as_ntriples_splits_them():
    """Lines.lines() is the published text's lines: a literal or an IRI holding a character
    str.splitlines cuts at (\u2028, \x85, \x0c…) is cut there too, the first time its text is
    written and again later (such a text is not kept), and a graph without one after it is not."""
    ex = lambda n: URIRef("http://example.org/" + n)  # noqa: E731
    awkward = [(ex("s"), ex("p"), Literal(text, lang="zh")) for text in ("x\u2028y", "a\x85 b", "c\x0cd", "plain")]
    awkward += [(ex("s\u2029t"), ex("p"), ex("o")), (ex("s"), ex("q"), Literal("x\x1ey"))]
    plain = [(ex("s"), ex("p"), Literal("plain", lang="zh")), (ex("s"), ex("p"), ex("o"))]
    for triples in (awkward, plain, awkward, plain):
        made, g = lines.Lines(), new_graph()
        for t in triples + triples[:1]:             # a triple twice: one line
            made.add(t)
            g.add(t)
        assert made.lines() == lines.canonical(g).splitlines() == rdflib_ntriples(g).splitlines()
        assert made.canonical() == rdflib_ntriples(g) == ntriples(g).decode("utf-8")
    assert len(made.lines()) == 2


@pytest.mark.parametrize("engine", [shacl.TURBO, shacl.PYSHACL])
def test_validating_the_text_is_validating_the_graph(graphs, engine):
    if engine == shacl.TURBO and shacl.pyshacl_turbo is None:
        pytest.skip("pyshacl-turbo is not installed")
    some = graphs if engine == shacl.TURBO else graphs[:3]      # pyshacl is slow: the seed and two more
    for g in some:
        assert shacl.validate(lines.canonical(g), engine=engine, names=g) == shacl.validate(g, engine=engine)


def test_validating_text_with_results_gives_the_same_report():
    """A graph with violations and warnings (a target without its numbers)."""
    g = to_rdf(extract(parse(load_file(SEED)), lexicon.load()), BASE, __version__)
    ptkg = "https://w3id.org/ptkg/ns#"
    for t in list(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(ptkg + "Target")))[:3]:
        g.remove((t, URIRef(ptkg + "unit"), None))
        g.remove((t, URIRef(ptkg + "year"), None))
    v = shacl.validate(g)
    assert v.violations or v.warnings
    assert shacl.validate(lines.canonical(g), names=g) == v


def test_link_rows_from_the_lines_they_read(graphs):
    names = canned.predicates(read_query("link-statements"))
    assert "<https://w3id.org/ptkg/ns#place>" in names and "<http://purl.org/dc/terms/issued>" in names
    n = 0
    for g in graphs:
        nt = lines.canonical(g)
        whole = rows(nt.encode("utf-8"))
        assert rows(lines.matching(nt, names).encode("utf-8")) == whole
        n += len(whole)
    assert n > 50


def test_a_query_with_full_iris_and_comments():
    q = ("PREFIX ex: <http://example.org/>\n# ex:commented out\nSELECT ?s WHERE {\n  ?s ex:p ?o ; "
         "<http://example.org/full#q> ?x . # ex:nope\n}")
    assert canned.predicates(q) == frozenset({"<http://example.org/p>", "<http://example.org/full#q>"})
    assert canned.predicates(q.replace("ex:p", "a")) == frozenset({RDF.type.n3(), "<http://example.org/full#q>"})


def test_a_query_that_may_read_any_triple_keeps_every_line(graphs):
    assert canned.predicates("SELECT * WHERE { ?s ?p ?o }") is None
    nt = lines.canonical(graphs[0])
    assert lines.matching(nt, None) == nt

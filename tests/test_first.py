"""publish.first: a "first of" sub-select answered ahead gives the same answer, byte for byte."""

from __future__ import annotations

import pyoxigraph as ox

from kgbuild import paths
from kgbuild.publish import first

Q = """PREFIX ex: <http://example.org/>
SELECT ?t ?label WHERE {
  { SELECT ?t WHERE { ?t a ex:Target } ORDER BY ?t LIMIT 1 }
  ?t ex:label ?label .
} ORDER BY ?label ?t"""


def _store(ttl: str) -> ox.Store:
    st = ox.Store()
    st.load(("@prefix ex: <http://example.org/> .\n" + ttl).encode(), format=ox.RdfFormat.TURTLE)
    return st


def _same(st: ox.Store, q: str) -> str:
    text = first.inlined(q, st)
    assert st.query(text).serialize(format=ox.QueryResultsFormat.JSON) == \
        st.query(q).serialize(format=ox.QueryResultsFormat.JSON)
    return text


def test_iris_in_code_point_order():
    st = _store("""<http://example.org/t/b> a ex:Target ; ex:label "b1", "b2" .
<http://example.org/t/Z> a ex:Target ; ex:label "z" .
<http://example.org/t/\u00e9> a ex:Target ; ex:label "e" .
<http://example.org/t/a\u4e00> a ex:Target ; ex:label "a" .
<http://example.org/t/aa> a ex:Target ; ex:label "aa" .""")
    text = _same(st, Q)
    assert "LIMIT" not in text and "<http://example.org/t/Z>" in text


def test_no_solution_and_literals_and_blank_nodes():
    assert "LIMIT" not in _same(_store("ex:x ex:label 'x' ."), Q)            # none: no solution either
    lit = """PREFIX ex: <http://example.org/>
SELECT ?t ?s WHERE { { SELECT ?t WHERE { ?x ex:code ?t } ORDER BY ?t LIMIT 1 } ?s ex:code ?t } ORDER BY ?s"""
    st = _store("ex:a ex:code 'b', 3 . ex:c ex:code 2, 'a' . ex:d ex:code 2 .")
    assert "LIMIT" not in _same(st, lit)                                    # literals: the engine's first
    blank = _store("[] a ex:Target ; ex:label 'anon' . ex:b a ex:Target ; ex:label 'b' .")
    assert _same(blank, Q) == Q                                             # a blank node first: as written


def test_the_canned_query_fits():
    text = (paths.queries_dir() / "target-provenance.rq").read_text(encoding="utf-8")
    st = _store("<http://example.org/t/1> a <https://w3id.org/ptkg/ns#Target> .")
    assert "LIMIT 1" in text and "LIMIT 1" not in first.inlined(text, st)

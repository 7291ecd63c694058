"""graph.lazystore: the store of the build's graphs answers every pattern as rdflib's SimpleMemory
does, in the same order, whatever came before (adds, removals, lookups in any order)."""

from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kgbuild.graph.iris import new_graph
from kgbuild.graph.lazystore import Built, LazyIndexes

S = [URIRef(f"http://example.org/s{i}") for i in range(6)]
P = [URIRef(f"http://example.org/p{i}") for i in range(4)]
O = S[:3] + [Literal("x"), Literal("x", lang="zh"), Literal("1.5", datatype=XSD.decimal), Literal(True), Literal(1)]


def _patterns():
    for s in (None, S[0], S[1]):
        for p in (None, P[0], P[2]):
            for o in (None, O[0], O[3], O[5]):
                yield s, p, o


def test_same_answers_as_simple_memory():
    rnd = random.Random(7)
    for _ in range(40):
        lazy, plain = Built(store=LazyIndexes()), Graph(store="SimpleMemory")
        for _ in range(120):
            t = (rnd.choice(S), rnd.choice(P), rnd.choice(O))
            act = rnd.random()
            if act < 0.6:
                lazy.add(t)
                plain.add(t)
            elif act < 0.75:                       # a removal by pattern
                pat = tuple(x if rnd.random() < 0.5 else None for x in t)
                lazy.remove(pat)
                plain.remove(pat)
            else:                                   # a lookup, which may build the indexes in between
                pat = rnd.choice(list(_patterns()))
                assert list(lazy.triples(pat)) == list(plain.triples(pat))
                assert (t in lazy) == (t in plain)
        for pat in _patterns():
            assert list(lazy.triples(pat)) == list(plain.triples(pat)), pat
        assert len(lazy) == len(plain)
        assert list(lazy) == list(plain)
        assert [(s, p, list(os)) for s, p, os in lazy.store.every()] == \
            [(s, p, [o for _, _, o in plain.triples((s, p, None))])
             for s in dict.fromkeys(plain.subjects()) for p in dict.fromkeys(plain.predicates(s))]


def test_built_graph_still_checks_terms():
    g = new_graph()
    try:
        g.add((S[0], P[0], "not a term"))
    except AssertionError:
        pass
    else:
        raise AssertionError("a plain string was added as an object")
    g.add((S[0], P[0], O[3]))
    assert g.value(S[0], P[0]) == O[3]
    assert set(g.subjects(P[0], O[3])) == {S[0]}

"""The store of the graphs the build makes (graph.iris.new_graph): rdflib's SimpleMemory, whose
two indexes by predicate and by object are brought up to date only when something asks for them.

An article's graph is made triple by triple (graph.mapping), then read whole (graph.lines) and
looked up by subject (graph.mapping's membership checks, pipeline.warn_confidence): keeping
SimpleMemory's three indexes while adding was two thirds of adding a triple, and rdflib's Literal
hashes itself in Python at every index. Here the subject index is kept as SimpleMemory keeps it
and the triples added since are replayed into the two others, in the order they were added, the
first time a pattern without a subject or a removal needs them: the indexes are then the
same dictionaries SimpleMemory would hold, so every answer, and its order, is the same
(tests/test_lazystore.py compares the two).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory


class LazyIndexes(SimpleMemory):
    """SimpleMemory with its predicate and object indexes made when first needed (see the module)."""

    def __init__(self, configuration=None, identifier=None):
        super().__init__(configuration, identifier)
        self._pending: list[tuple] = []

    def add(self, triple, context, quoted=False) -> None:
        s, p, o = triple
        spo = self._SimpleMemory__spo
        po = spo.get(s)
        if po is None:
            po = spo[s] = {}
        os = po.get(p)
        if os is None:
            os = po[p] = {}
        os[o] = 1
        self._pending.append(triple)

    def _sync(self) -> None:
        """Replay the triples added since the last call into the predicate and object indexes, as
        SimpleMemory.add builds them."""
        pending = self._pending
        if not pending:
            return
        pos, osp = self._SimpleMemory__pos, self._SimpleMemory__osp
        for s, p, o in pending:
            os = pos.get(p)
            if os is None:
                os = pos[p] = {}
            ss = os.get(o)
            if ss is None:
                ss = os[o] = {}
            ss[s] = 1
            sp = osp.get(o)
            if sp is None:
                sp = osp[o] = {}
            ps = sp.get(s)
            if ps is None:
                ps = sp[s] = {}
            ps[p] = 1
        self._pending = []

    def every(self):
        """Every triple, subject by subject and predicate by predicate: (s, p, objects) as the
        subject index holds them (what iterating the graph yields, without a generator per triple)."""
        for s, po in self._SimpleMemory__spo.items():
            for p, os in po.items():
                if os:
                    yield s, p, os

    def triples(self, triple_pattern, context=None):
        if triple_pattern[0] is None and (triple_pattern[1] is not None or triple_pattern[2] is not None):
            self._sync()
        return super().triples(triple_pattern, context)

    def remove(self, triple_pattern, context=None) -> None:
        self._sync()
        super().remove(triple_pattern, context)


class Built(Graph):
    """An rdflib Graph whose add() checks a triple of IRIs and literals by their exact types before
    rdflib's isinstance checks against its abstract Node class (a sixth of adding a triple); any
    other term goes the usual way."""

    def add(self, triple):
        s, p, o = triple
        if type(s) is URIRef and type(p) is URIRef and (type(o) is URIRef or type(o) is Literal):
            self._Graph__store.add(triple, self, quoted=False)
            return self
        return super().add(triple)

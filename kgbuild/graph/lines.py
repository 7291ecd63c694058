"""An article graph as N-Triples lines, made once per article and read by the stages after it.

In: an rdflib Graph (or its N-Triples). Out: text. Byte for byte what publish.ntriples gives (its
canonical form: distinct lines, sorted), without going through rdflib's serializer plugin and a
bytes round trip; and the lines whose predicates a SPARQL query can match (publish.canned.predicates).
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.plugins.serializers.nt import _quoteLiteral

from .lazystore import LazyIndexes


def canonical(g: Graph) -> str:
    """publish.ntriples(g).decode("utf-8"): rdflib's own N-Triples rows (its literal writer; IRIs
    written by their own n3(), once each: most recur in every article), the lines split, made
    distinct and sorted the same way (splitlines, as there)."""
    rows = []
    add = rows.append
    store = g.store
    if isinstance(store, LazyIndexes):         # graph.iris.new_graph's: the same triples, in the same order
        for s, p, os in store.every():
            head = f"{_n3(s)} {_n3(p)} "
            for o in os:
                add(f"{head}{_quoteLiteral(o) if isinstance(o, Literal) else _n3(o)} .\n")
    else:
        for s, p, o in g:
            add(f"{_n3(s)} {_n3(p)} {_quoteLiteral(o) if isinstance(o, Literal) else _n3(o)} .\n")
    lines = sorted(set("".join(rows).splitlines()) - {""})
    return "\n".join(lines) + "\n"


_WRITTEN: dict = {}


def _n3(term) -> str:
    """term.n3() (an IRI's checks it and raises for a bad one), kept for the next graph."""
    text = _WRITTEN.get(term)
    if text is None:
        text = term.n3()
        if len(_WRITTEN) > 200_000:
            _WRITTEN.clear()
        _WRITTEN[term] = text
    return text


def matching(nt: str, names: frozenset[str] | None) -> str:
    """The lines of NT whose predicate is one of NAMES (order kept); all of them when NAMES is None
    (publish.canned.predicates: a query that may read any triple)."""
    if names is None:
        return nt
    out = [line for line in nt.splitlines() if line and line.split(" ", 2)[1] in names]
    return "\n".join(out) + "\n" if out else ""

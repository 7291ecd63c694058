"""Serialisations of graphs: canonical N-Triples, N-Quads with one graph per article, the
union default graph, and the Turtle, TriG, JSON-LD and RDF/XML dumps written from them.

In: rdflib Graphs or N-Triples text. Out: bytes, deterministic (sorted lines; pyoxigraph writes
the big dumps in the order given).
"""

from __future__ import annotations

import json

from rdflib import Graph

from ..graph.iris import PREFIXES, is_shared
from ..model import ArticleBuild


def ntriples(g: Graph) -> bytes:
    """N-Triples with lines sorted: canonical order, independent of hashing."""
    lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def dump(data: bytes, fmt: str, prefixes: dict) -> bytes:
    """The big dumps, written by pyoxigraph from sorted N-Triples or N-Quads: fast (rdflib's
    Turtle writer takes minutes on a million triples) and in a stable order by construction."""
    return dumps(data, (fmt,), prefixes)[fmt]


def dumps(data: bytes, fmts: tuple[str, ...], prefixes: dict) -> dict[str, bytes]:
    """Several dumps of the same N-Triples (ttl, jsonld) or N-Quads (trig), parsed once: parsing
    into Python terms is most of the time (a second a quarter-million triples), writing a tenth."""
    import pyoxigraph as ox
    prefixes = {p: str(ns) for p, ns in prefixes.items()}
    if fmts == ("trig",):
        return {"trig": ox.serialize(ox.parse(data, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                                     prefixes=prefixes)}
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    out = {}
    for fmt in fmts:
        if fmt == "ttl":
            out[fmt] = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        elif fmt == "jsonld":
            out[fmt] = ox.serialize(triples, format=ox.RdfFormat.JSON_LD) + b"\n"
        else:
            raise ValueError(f"{fmt}: not a dump of N-Triples")
    return out


def rdfxml(g: Graph) -> bytes:
    """RDF/XML in a stable order (rdflib's RDF/XML writer follows hash order): pyoxigraph writes
    the sorted N-Triples in the order given."""
    import pyoxigraph as ox
    triples = ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes={p: str(ns) for p, ns in g.namespaces()})


def _sorted_json(node):
    if isinstance(node, dict):
        return {k: _sorted_json(v) for k, v in sorted(node.items())}
    if isinstance(node, list):
        items = [_sorted_json(x) for x in node]
        return sorted(items, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
    return node


def jsonld(g: Graph) -> bytes:
    context = {p: str(ns) for p, ns in PREFIXES.items()}
    doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sorted_json(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def split(articles: list[ArticleBuild], base: str) -> tuple[dict[str, str], str]:
    """Each article graph's own triples (graph IRI → N-Triples), and the shared graph: the distinct
    triples about nodes no article owns (places, indicators, organisations, people, the software;
    see graph.iris.is_shared). No triple is in two graphs, so the union of the graphs has no duplicates."""
    own: dict[str, str] = {}
    shared: set[str] = set()
    for a in articles:
        mine = []
        for line in a.ntriples.splitlines():
            if line:
                (shared.add(line) if is_shared(line.split(" ", 1)[0], base) else mine.append(line))
        own[a.graph] = "\n".join(mine) + "\n"
    return own, "\n".join(sorted(shared)) + "\n"


def nquads(own: dict[str, str], shared_iri: str, shared: str) -> bytes:
    """All graphs as N-Quads: graph by graph (sorted by name), lines sorted within."""
    graphs = dict(own) | {shared_iri: shared}
    out = []
    for name in sorted(graphs):
        g = f" <{name}> .\n"
        out.extend(line[:-2] + g for line in graphs[name].splitlines() if line)
    return "".join(out).encode("utf-8")


def union(own: dict[str, str], shared: str) -> bytes:
    """The union of the graphs as sorted, distinct N-Triples (the default graph)."""
    lines: set[str] = set(shared.splitlines())
    for text in own.values():
        lines.update(text.splitlines())
    lines.discard("")
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")

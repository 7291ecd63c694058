"""Serialisations of graphs: canonical N-Triples, N-Quads with one graph per article, the
shared graph, JSON-LD and RDF/XML of small graphs (the dumps are assembled by publish.pieces).

In: rdflib Graphs or N-Triples text. Out: bytes, deterministic (sorted lines).
"""

from __future__ import annotations

import json
from itertools import compress, repeat
from operator import not_

from rdflib import Graph

from ..graph.iris import CONCEPTS, PREFIXES, SHARED_KINDS
from ..graph.lines import canonical
from ..model import ArticleBuild


def ntriples(g: Graph) -> bytes:
    """N-Triples with lines sorted: canonical order, independent of hashing. graph.lines.canonical
    writes rdflib's own N-Triples rows without its serializer plugin (a third faster); the lines
    are those of g.serialize(format="nt"), distinct and sorted (tests/test_article_lines.py)."""
    return canonical(g).encode("utf-8")


def rdfxml(g: Graph) -> bytes:
    """RDF/XML in a stable order (rdflib's RDF/XML writer follows hash order): pyoxigraph writes
    the sorted N-Triples in the order given."""
    import pyoxigraph as ox
    triples = ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes={p: str(ns) for p, ns in g.namespaces()})


def turtle(g: Graph) -> bytes:
    """Turtle in a stable order, with G's prefixes: pyoxigraph writes the sorted N-Triples in the order
    given, a subject's triples together (a few milliseconds where rdflib's Turtle writer took 45 for the
    catalog of 1,000 articles)."""
    import pyoxigraph as ox
    triples = ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={p: str(ns) for p, ns in g.namespaces()})


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


def split(articles: list[ArticleBuild], base: str) -> tuple[dict[str, "str | Pending"], str]:
    """Each article graph's own triples (graph IRI → N-Triples), and the shared graph: the distinct
    triples about nodes no article owns (places, indicators, organisations, people, the software;
    see graph.iris.is_shared). No triple is in two graphs, so the union of the graphs has no duplicates.
    An article from the cache without its graph (cache.whole) gives a Pending, read when its text is
    needed, and its shared lines from its summary (graph.digest)."""
    shared_subjects = shared_prefixes(base)
    own: dict[str, str | Pending] = {}
    shared: set[str] = set()
    for a in articles:
        if a.ntriples is None:
            shared.update(line for line in a.digest["lines"] if line.startswith(shared_subjects))
            own[a.graph] = Pending(a)
            continue
        lines = a.ntriples.splitlines()
        # which lines are shared, in one pass of C calls (map, compress: no bytecode a line), a
        # fifth less than testing each line in a comprehension, then again for the shared set
        starts = list(map(str.startswith, lines, repeat(shared_subjects)))
        mine = list(filter(None, compress(lines, map(not_, starts))))
        if len(mine) < len(lines):
            shared.update(compress(lines, starts))
        own[a.graph] = "\n".join(mine) + "\n"
    return own, "\n".join(sorted(shared)) + "\n"


class Pending:
    """An article graph's own triples (split) not read yet: their SHA-256, newline count and
    blankness are in the article's summary (graph.digest), the text in its cache entry."""

    def __init__(self, article: ArticleBuild):
        self.article = article
        self.sha256, self.newlines, self.blank = article.digest["own"]

    def text(self) -> str:
        from ..cache import whole
        return _own(whole(self.article))


def _own(a: ArticleBuild) -> str:
    base = a.graph.rsplit("/graph/article/", 1)[0] + "/"
    return split([a], base)[0][a.graph]


def text_of(t: "str | Pending") -> str:
    return t.text() if isinstance(t, Pending) else t


def newlines(t: "str | Pending") -> int:
    return t.newlines if isinstance(t, Pending) else t.count("\n")


def blank(t: "str | Pending") -> bool:
    return t.blank if isinstance(t, Pending) else not t.strip()


class Texts(dict):
    """Graph IRI → text, a Pending read when its text is asked for (publish.pieces reads only the
    graphs it writes anew)."""

    def __getitem__(self, name: str) -> str:
        return text_of(super().__getitem__(name))


def dump_prefixes(base: str) -> dict:
    """The prefixes of the Turtle and TriG dumps: the vocabularies', and those of the entity kinds
    whose local names need no escapes in Turtle (a slug); targets, evidence and the rest are
    written as full IRIs, readable and easy to grep."""
    root = base.rstrip("/") + "/id/"
    return dict(PREFIXES) | {k: f"{root}{k}/" for k in ("place", "indicator", "plan", "person")}


def shared_prefixes(base: str) -> tuple[str, ...]:
    """How the N-Triples lines of the shared graph start: graph.iris.is_shared, as line prefixes
    (str.startswith with a tuple: one C call a line)."""
    root = "<" + base.rstrip("/") + "/id/"
    return (f"<{CONCEPTS}",) + tuple(f"{root}{kind}{end}" for kind in SHARED_KINDS for end in ("/", ">"))

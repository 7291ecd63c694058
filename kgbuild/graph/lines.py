"""An article graph as N-Triples lines, made once per article and read by the stages after it.

In: an rdflib Graph (or its N-Triples). Out: text. Byte for byte what publish.ntriples gives (its
canonical form: distinct lines, sorted), without going through rdflib's serializer plugin and a
bytes round trip; and the lines whose predicates a SPARQL query can match (publish.canned.predicates).
"""

from __future__ import annotations

import re
import threading

from rdflib import Graph, Literal, URIRef
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
    return text(_distinct("".join(rows)))      # the rows (each ending in a newline) cut, distinct, sorted


def _distinct(nt: str) -> list[str]:
    """The lines of NT, cut as publish.ntriples cuts them (splitlines), distinct and sorted."""
    return sorted(set(nt.splitlines()) - {""})


def text(lines: list[str]) -> str:
    """The N-Triples text of LINES (canonical's, Lines.lines'): text(x.splitlines()) is x."""
    return "\n".join(lines) + "\n"


_WRITTEN: dict = {}
_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")    # where str.splitlines cuts a line
_BROKEN = threading.local()    # .count: how many terms this thread wrote with one (such a text is not kept)


def _broke() -> None:
    _BROKEN.count = _broken() + 1


def _broken() -> int:
    return getattr(_BROKEN, "count", 0)


_NOT_IN_IRI = re.compile('[<>" {}|\\\\^`]')      # rdflib.term._invalid_uri_chars, what URIRef.n3 refuses


def _n3(term) -> str:
    """term.n3() (an IRI's checks it and raises for a bad one), kept for the next graph. An IRI's
    checked with one regex search instead of URIRef.n3's ten scans (most of an article's IRIs
    are its own: written once); a bad one goes to n3() for its error."""
    text = _WRITTEN.get(term)
    if text is None:
        text = f"<{term}>" if type(term) is URIRef and _NOT_IN_IRI.search(term) is None else term.n3()
        if _BREAK.search(text) is not None:
            _broke()
            return text
        if len(_WRITTEN) > 200_000:
            _WRITTEN.clear()
        _WRITTEN[term] = text
    return text


def matching(nt: str, names: frozenset[str] | None, lines: list[str] | None = None) -> str:
    """The lines of NT whose predicate is one of NAMES (order kept); all of them when NAMES is None
    (publish.canned.predicates: a query that may read any triple). LINES: nt.splitlines(), when
    the caller has them (Lines.lines)."""
    if names is None:
        return nt
    out = []
    add = out.append
    for line in nt.splitlines() if lines is None else lines:
        i = line.find(" ")                      # the subject (an IRI: no space) ends there
        if line and line[i + 1:line.find(" ", i + 1)] in names:
            add(line)
    return "\n".join(out) + "\n" if out else ""


_QUOTED: dict[int, tuple[Literal, str]] = {}


def _literal(o: Literal) -> str:
    """_quoteLiteral(o), kept by the literal's identity (graph.mapping makes each short literal
    once and gives the same object to every article: its text is written once too). The entry
    holds the literal, so its id names no other object while it is kept."""
    hit = _QUOTED.get(id(o))
    if hit is not None and hit[0] is o:
        return hit[1]
    text = _quoteLiteral(o)
    if _BREAK.search(text) is not None:
        _broke()
        return text
    if len(_QUOTED) > 200_000:
        _QUOTED.clear()
    _QUOTED[id(o)] = (o, text)
    return text


class Lines:
    """What graph.mapping adds to an article's graph, kept as its triples in the order added instead
    of in an rdflib store (pipeline.article: the build writes the lines and validates them, and
    never looks the graph up but for what mapping asks while it adds). canonical() is
    canonical(graph()), graph() the graph mapping.to_rdf makes; the membership checks mapping makes
    ((s, p, None) and (s, p, IRI)) are answered from two sets, brought up to date when asked
    (add is the list's own append: mapping adds a few hundred triples an article, and asks a few
    times)."""

    def __init__(self) -> None:
        self.triples: list[tuple] = []
        self.add = self.triples.append             # (graph.add returns the graph: mapping never reads it)
        self._pairs: set[tuple] = set()
        self._iris: set[tuple] = set()
        self._indexed = 0                          # how many triples the two sets hold
        self._binds: list[tuple[str, object]] = []

    def _index(self) -> None:
        added = self.triples[self._indexed:]
        self._pairs.update([t[:2] for t in added])                     # (s, p)
        self._iris.update([t for t in added if type(t[2]) is URIRef])
        self._indexed += len(added)

    def __contains__(self, triple: tuple) -> bool:
        s, p, o = triple
        if len(self.triples) != self._indexed:
            self._index()
        if s is not None and p is not None and o is None:
            return (s, p) in self._pairs
        if s is not None and p is not None and type(o) is URIRef:
            return triple in self._iris
        return any((s is None or s == t[0]) and (p is None or p == t[1]) and (o is None or o == t[2])
                   for t in self.triples)

    def iris(self) -> set:
        """The graph's subjects, predicates and IRI objects (validate.ontology_for)."""
        out = {t[0] for t in self.triples}
        out.update({t[1] for t in self.triples})
        out.update({t[2] for t in self.triples if type(t[2]) is URIRef})
        return out

    def bind(self, prefix: str, namespace) -> None:
        self._binds.append((prefix, namespace))

    def graph(self) -> Graph:
        """The rdflib graph (graph.iris.new_graph's, these prefixes bound, the triples added in order)."""
        g = self.names_graph(tuple(self._binds), fresh=True)
        for t in self.triples:
            g.add(t)
        return g

    def names(self) -> Graph:
        """An empty graph with graph()'s prefixes bound (what validation reads of the graph), made
        once for each set of prefixes (the base's): not to be added to."""
        return self.names_graph(tuple(self._binds))

    @staticmethod
    def names_graph(binds: tuple, fresh: bool = False) -> Graph:
        from .iris import new_graph
        g = None if fresh else _NAMES.get(binds)
        if g is None:
            g = new_graph()
            for prefix, ns in binds:
                g.bind(prefix, ns)
            if not fresh:
                if len(_NAMES) > 16:
                    _NAMES.clear()
                _NAMES[binds] = g
        return g

    def canonical(self) -> str:
        """canonical(self.graph()), without the graph."""
        return text(self.lines())

    def lines(self) -> list[str]:
        """canonical(self.graph()).splitlines(): its rows, distinct and sorted. Unless a term's text
        holds a character splitlines cuts at (_BREAK: none is kept, each is counted as written),
        that is the rows themselves, not joined and split again."""
        rows = []
        add = rows.append
        written = _WRITTEN.get                      # _n3's kept texts, looked up here (most terms recur)
        broken = _broken()
        for s, p, o in self.triples:
            add(f"{written(s) or _n3(s)} {written(p) or _n3(p)} "
                f"{_literal(o) if isinstance(o, Literal) else written(o) or _n3(o)} .")
        if _broken() != broken:                     # split where publish.ntriples' text is split
            return _distinct("\n".join(rows))
        return sorted(set(rows))


_NAMES: dict[tuple, Graph] = {}

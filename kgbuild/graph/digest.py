"""An article graph's summary: what the stages after the cache read of every article, made once
when the article is extracted and kept in the front part of its cache entry (kgbuild.cache), so a
rebuild reads an unchanged article's graph only when it needs the graph itself.

In: the graph's canonical N-Triples (graph.lines.canonical), the base and the article key. Out: a
small JSON-able dict:

* ``nodes``: subject → a hash of its lines, for every subject another article may describe too
  (any subject that is not one of this article's own nodes, /id/KIND/KEY…, KIND not a shared
  kind); what kgbuild.shared compares across articles;
* ``lines``: those subjects' lines (sorted), and ``types``: the rdf:type lines of this article's
  own nodes that those lines point to (for sh:class), so the union check of the nodes described
  differently needs no whole graph;
* ``own``: SHA-256, newline count and blankness of the article's own graph as publish.serialise.
  split cuts it (the lines that do not go to the shared graph), and ``retrieval``: the lines of
  its retrieval record (the catalog's source of a fetched file).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from .iris import SHARED_KINDS

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def root_of(graph: str) -> str:
    """The base's entity root ("<BASE/id/") from an article's graph IRI (graph.iris.graph_iri)."""
    return "<" + graph.rsplit("/graph/article/", 1)[0] + "/id/"


def own_node(subject: str, root: str, key: str) -> bool:
    """Whether SUBJECT (an N-Triples term) is one of the article KEY's own nodes: <ROOT KIND/KEY>,
    <ROOT KIND/KEY/…> or <ROOT KIND/KEY#…>, KIND not a shared kind. No other article's graph
    (another key: pipeline._split leaves out a second article with the same key) describes it."""
    if not subject.startswith(root):
        return False
    kind, _, rest = subject[len(root):-1].partition("/")
    return kind not in SHARED_KINDS and (rest == key or rest.startswith((key + "/", key + "#")))


def node_hash(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:24]


def summary(nt: str, graph: str, key: str, lines: list[str] | None = None) -> dict:
    """The summary of one article graph NT (its graph IRI GRAPH and key KEY); see the module.
    LINES: nt.splitlines(), when the caller has them (graph.lines.Lines.lines)."""
    from ..publish.serialise import shared_prefixes       # publish imports graph: here, not at import time
    root = root_of(graph)
    base = root[1:-len("id/")]
    shared_starts = shared_prefixes(base)
    by_subject: dict[str, list[str]] = defaultdict(list)
    if lines is None:
        lines = nt.splitlines()
    for line in lines:                           # sorted, so a subject's lines are together
        if line:
            i = line.find(" ")                   # line.partition(" ")[0], without copying the rest
            by_subject[line[:i] if i >= 0 else line].append(line)
    others = {s: ls for s, ls in by_subject.items() if not own_node(s, root, key)}
    objects = {line.split(" ", 2)[2].rsplit(" .", 1)[0] for ls in others.values() for line in ls}
    types = sorted(line for s in objects if s in by_subject and s not in others
                   for line in by_subject[s] if line.split(" ", 2)[1] == TYPE)
    mine = [line for line in lines if line and not line.startswith(shared_starts)]
    own = "\n".join(mine) + "\n"
    retrieval = f"{root}retrieval/{key}> "
    return {"nodes": {s: node_hash(ls) for s, ls in sorted(others.items())},
            "lines": sorted(line for ls in others.values() for line in ls),
            "types": types,
            "own": [hashlib.sha256(own.encode("utf-8")).hexdigest(), own.count("\n"), not own.strip()],
            "retrieval": "".join(line + "\n" for line in lines if line.startswith(retrieval))}


def well_formed(d) -> bool:
    """Whether D has the shape summary() gives (a cache entry from elsewhere is checked with it)."""
    if not isinstance(d, dict) or set(d) != {"nodes", "lines", "types", "own", "retrieval"}:
        return False
    own = d["own"]
    return (isinstance(d["nodes"], dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in d["nodes"].items())
            and all(isinstance(d[k], list) and all(isinstance(x, str) for x in d[k]) for k in ("lines", "types"))
            and isinstance(own, list) and len(own) == 3 and isinstance(own[0], str) and isinstance(own[1], int)
            and isinstance(own[2], bool) and isinstance(d["retrieval"], str))


def of(a) -> dict:
    """An ArticleBuild's summary: the one it carries, or made from its graph (a build made in
    memory, or corrected: kgbuild.correct makes a new graph)."""
    return a.digest if a.digest is not None else summary(a.ntriples, a.graph, a.key)

"""Whether a canned query's answer can be brought up to date row by row (publish.delta), and how.

A query qualifies when every solution binds one projected variable, its ROOT, and every other
variable of its triple patterns hangs off the root through those patterns (a connected pattern
graph). A solution is then made of triples reachable from its root along the patterns; a changed
triple that matches a pattern can only change the rows of the roots that reach its root-side end,
walking the patterns back up (over the old graph or the new one). Read from rdflib's algebra:

- the patterns of the basic graph patterns, of OPTIONAL, UNION, MINUS, sub-selects and FILTER
  (NOT) EXISTS, property paths made of IRIs, `/`, `|` and `^` (split into steps);
- each pattern's scope: the OPTIONAL sides, UNION branches, MINUS and EXISTS patterns it is in.
  The path from the root to a pattern's root-side end must run through patterns of that scope or
  an enclosing one: whenever the pattern matches in a solution, so does that path;
- a sub-select's variables it does not project are its own (renamed); one that reads the root
  projects it; grouping (outside or in a sub-select reading the root) groups by the root;
- the ORDER BY names projected variables only (ASC/DESC allowed), the root among them:
  publish.delta lets the engine order the rows it sets in, and rows of different roots never tie
  (distinct terms of the same root variable, IRIs or same-language labels here, compare unequal).

Anything else — LIMIT/OFFSET, GRAPH, SERVICE, a variable predicate, `*`, `+`, `?` or negated
paths, an aggregate over all solutions, NOW/RAND/…, a query rdflib cannot parse — gives None, and
the query runs in full as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

Node = str                    # "?name" for a variable, an N-Triples term for a constant


@dataclass(frozen=True)
class Edge:
    s: Node
    preds: frozenset[str]     # N-Triples IRIs
    o: Node
    scope: tuple[int, ...]


@dataclass(frozen=True)
class Step:
    """One step up from a variable towards the root: the pattern's predicates, and whether the
    variable is the pattern's object (the parent is then its subject) or its subject."""
    preds: frozenset[str]
    child_is_object: bool


@dataclass(frozen=True)
class Plan:
    root: str                                  # the root variable's name (no "?")
    edges: tuple[Edge, ...]
    up: dict                                   # variable → the Step to its parent (variables only)
    parent: dict                               # variable → parent variable
    order: tuple[tuple[str, bool], ...]        # ORDER BY: (variable, descending)
    variables: tuple[str, ...]                 # projected, in order

    def side(self, e: Edge) -> str | None:
        """Which end of E ("s" or "o") is nearer the root; None when neither is a variable."""
        depth = _depth(self.parent)
        ends = [(depth[n], k) for k, n in (("s", e.s), ("o", e.o)) if n.startswith("?")]
        return min(ends)[1] if ends else None


class _No(Exception):
    pass


VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def _depth(parent: dict) -> dict:
    out = {}
    for v in parent:
        d, x = 0, v
        while parent[x] is not None:
            x, d = parent[x], d + 1
        out[v] = d
    return out


class _Reader:
    def __init__(self) -> None:
        self.edges: list[Edge] = []
        self.scopes = 0
        self.fresh = 0
        self.groups: list[tuple[set[str], tuple[str, ...] | None]] = []   # (variables read, group keys)
        self.subselects: list[tuple[set[str], set[str]]] = []              # (variables read, projected)

    def scope(self, scope: tuple[int, ...]) -> tuple[int, ...]:
        self.scopes += 1
        return scope + (self.scopes,)

    def node(self, t, names: dict) -> Node:
        from rdflib import BNode, URIRef, Variable, Literal
        if isinstance(t, Variable):
            return "?" + names.get(str(t), str(t))
        if isinstance(t, BNode):
            return "?_:" + str(t)
        if isinstance(t, (URIRef, Literal)):
            return t.n3()
        raise _No()

    def path(self, s: Node, p, o: Node, scope, out: list[tuple[Node, frozenset, Node]]) -> None:
        from rdflib import URIRef
        from rdflib.paths import AlternativePath, InvPath, SequencePath
        if isinstance(p, URIRef):
            out.append((s, frozenset([p.n3()]), o))
        elif isinstance(p, InvPath):
            self.path(o, p.arg, s, scope, out)
        elif isinstance(p, SequencePath):
            nodes = [s] + [f"?__step{self._fresh()}" for _ in p.args[1:]] + [o]
            for a, b, step in zip(nodes, nodes[1:], p.args):
                self.path(a, step, b, scope, out)
        elif isinstance(p, AlternativePath) and all(isinstance(a, URIRef) for a in p.args):
            out.append((s, frozenset(a.n3() for a in p.args), o))
        else:
            raise _No()

    def _fresh(self) -> int:
        self.fresh += 1
        return self.fresh

    def triples(self, rows, scope, names: dict, read: set[str]) -> None:
        from rdflib import URIRef
        from rdflib.paths import Path
        for row in rows:
            row = list(row)
            if len(row) != 3:
                raise _No()
            s, p, o = row
            if not isinstance(p, (URIRef, Path)):
                raise _No()                    # a variable predicate
            out: list = []
            self.path(self.node(s, names), p, self.node(o, names), scope, out)
            for a, preds, b in out:
                self.edges.append(Edge(a, preds, b, scope))
                read.update(n[1:] for n in (a, b) if n.startswith("?"))

    def expr(self, e, scope, names: dict, read: set[str]) -> None:
        from rdflib.plugins.sparql.parserutils import CompValue
        if isinstance(e, CompValue):
            if e.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                self.pattern(e.graph, self.scope(scope), names, read)
                return
            for v in e.values():
                self.expr(v, scope, names, read)
        elif isinstance(e, (list, tuple)):
            for v in e:
                self.expr(v, scope, names, read)

    def pattern(self, n, scope, names: dict, read: set[str]) -> None:
        from rdflib.plugins.sparql.parserutils import CompValue
        if not isinstance(n, CompValue):
            raise _No()
        name = n.name
        if name in ("BGP", "TriplesBlock"):
            self.triples(n.triples, scope, names, read)
        elif name in ("GroupGraphPatternSub",):
            for part in n.part:
                self.pattern(part, scope, names, read)
        elif name == "Join":
            self.pattern(n.p1, scope, names, read)
            self.pattern(n.p2, scope, names, read)
        elif name == "LeftJoin":
            self.pattern(n.p1, scope, names, read)
            inner = self.scope(scope)
            self.pattern(n.p2, inner, names, read)
            self.expr(n.expr, inner, names, read)
        elif name == "Union":
            self.pattern(n.p1, self.scope(scope), names, read)
            self.pattern(n.p2, self.scope(scope), names, read)
        elif name == "Minus":
            self.pattern(n.p1, scope, names, read)
            self.pattern(n.p2, self.scope(scope), names, read)
        elif name == "Filter":
            self.pattern(n.p, scope, names, read)
            self.expr(n.expr, scope, names, read)
        elif name == "Extend":
            self.pattern(n.p, scope, names, read)
            self.expr(n.expr, scope, names, read)
        elif name in ("OrderBy", "Distinct", "Reduced"):
            self.pattern(n.p, scope, names, read)
        elif name in ("AggregateJoin",):
            self.pattern(n.p, scope, names, read)
        elif name == "Group":
            inner: set[str] = set()
            self.pattern(n.p, scope, names, inner)
            keys = n.get("expr")
            from rdflib import Variable
            if keys is not None and not all(isinstance(k, Variable) for k in keys):
                raise _No()
            self.groups.append((inner, None if keys is None else tuple(names.get(str(k), str(k)) for k in keys)))
            read |= inner
        elif name == "ToMultiSet":
            if isinstance(n.p, CompValue) and n.p.name == "values":
                return
            self.pattern(n.p, scope, names, read)
        elif name == "values":
            return
        elif name == "Project":                # a sub-select: its own variables renamed
            projected = {str(v) for v in n.PV}
            own = dict(names)
            tag = self._fresh()
            for v in _variables(n.p) - projected:
                own[v] = f"{v}__sub{tag}"
            inner = set()
            self.pattern(n.p, scope, own, inner)
            self.subselects.append((inner, {names.get(v, v) for v in projected}))
            read |= inner
        else:                                  # Slice (LIMIT/OFFSET), Graph, Service, anything else
            raise _No()


def _variables(node) -> set[str]:
    from rdflib import Variable
    from .order import _nodes
    out = set()
    for n in _nodes(node, set()):
        for v in n.values():
            if isinstance(v, Variable):
                out.add(str(v))
        for key in ("triples",):
            for row in n.get(key) or ():
                out.update(str(t) for t in row if isinstance(t, Variable))
        out.update(str(v) for v in (n.get("PV") or ()))
    return out


_KNOWN: dict[str, Plan | None] = {}      # query text → plan, from a previous manifest


def plan(text: str) -> Plan | None:
    """How the query TEXT's answer can be updated row by row; None when it cannot. Taken from the
    previous version's manifest for the same text (remember): rdflib parses a query in 0.04–0.2 s."""
    if text in _KNOWN:
        return _KNOWN[text]
    return _parsed(text)


def known_plan(text: str) -> Plan | None:
    """The plan a previous manifest lists for the query TEXT (remember), None when it lists none:
    never parsed here."""
    return _KNOWN.get(text)


@lru_cache(maxsize=64)
def _parsed(text: str) -> Plan | None:
    if VOLATILE.search(text):
        return None
    try:
        return _plan(text)
    except _No:
        return None
    except Exception:  # noqa: BLE001 — a query rdflib cannot read runs in full
        return None


def listed(text: str) -> dict | None:
    """plan(TEXT) as the manifest lists it (its `canned` entries' `plan`)."""
    p = plan(text)
    if p is None:
        return None
    return {"root": p.root, "order": [[v, d] for v, d in p.order], "variables": list(p.variables),
            "edges": [[e.s, sorted(e.preds), e.o, list(e.scope)] for e in p.edges]}


def _from_listed(d: dict) -> Plan:
    edges = tuple(Edge(s, frozenset(preds), o, tuple(scope)) for s, preds, o, scope in d["edges"])
    if not all(isinstance(x, str) for e in edges for x in (e.s, e.o, *e.preds)) or \
            not all(isinstance(i, int) for e in edges for i in e.scope):
        raise ValueError("not a plan")
    parent, up = _tree(str(d["root"]), list(edges))
    return Plan(str(d["root"]), edges, up, parent, tuple((str(v), bool(x)) for v, x in d["order"]),
                tuple(str(v) for v in d["variables"]))


def remember(previous, manifest: dict) -> None:
    """Take the plans the MANIFEST of the previous version (folder PREVIOUS) lists for its canned
    queries, keyed by the query's text as that version has it (the same software made it)."""
    from pathlib import Path
    for name, entry in manifest.get("canned", {}).items():
        if not isinstance(entry, dict) or "plan" not in entry:
            continue
        try:
            text = (Path(previous) / "queries" / f"{name}.rq").read_text(encoding="utf-8")
            _KNOWN[text] = None if entry["plan"] is None else _from_listed(entry["plan"])
        except (OSError, KeyError, TypeError, ValueError):
            continue


def _plan(text: str) -> Plan:
    from rdflib import Variable
    from rdflib.plugins.sparql.parserutils import CompValue
    from .order import algebra, concatenated_in_order
    if not concatenated_in_order(text):        # a GROUP_CONCAT or SAMPLE whose value depends on order
        raise _No()
    q = algebra(text)
    if q.name != "SelectQuery" or q.get("datasetClause"):
        raise _No()
    top = q.p
    if not (isinstance(top, CompValue) and top.name == "Project"):
        raise _No()
    variables = tuple(str(v) for v in top.PV)
    body = top.p
    order: tuple = ()
    if isinstance(body, CompValue) and body.name == "OrderBy":
        conds = []
        for c in body.expr:
            e = c.expr if isinstance(c, CompValue) and c.name == "OrderCondition" else c
            if not isinstance(e, Variable) or str(e) not in variables:
                raise _No()
            conds.append((str(e), isinstance(c, CompValue) and c.get("order") == "DESC"))
        order = tuple(conds)
        body = body.p
    r = _Reader()
    read: set[str] = set()
    r.pattern(body, (), {}, read)
    required = {n[1:] for e in r.edges if e.scope == () for n in (e.s, e.o) if n.startswith("?")}
    candidates = [v for v in variables if v in required]
    if not candidates:
        raise _No()
    hub = max(candidates, key=lambda v: (sum((e.s == "?" + v) + (e.o == "?" + v) for e in r.edges if e.scope == ()),
                                           -variables.index(v)))
    if hub not in {v for v, _ in order}:       # rows of different roots never tie under ORDER BY, so
        raise _No()                            # new rows never tie with old ones (publish.delta)
    for inner, keys in r.groups:               # grouping that reads the root groups by it
        if hub in inner and (keys is None or hub not in keys):
            raise _No()
    for inner, projected in r.subselects:
        if hub in inner and hub not in projected:
            raise _No()
    parent, up = _tree(hub, r.edges)
    plan_ = Plan(hub, tuple(r.edges), up, parent, order, variables)
    depth = _depth(parent)
    for e in r.edges:                          # every pattern's path to the root is in its scope
        ends = [n for n in (e.s, e.o) if n.startswith("?")]
        if not ends:
            continue
        if any(n not in parent for n in ends):
            raise _No()                        # not connected to the root
        x = min(ends, key=lambda n: depth[n])
        while parent[x] is not None:
            if not _within(up[x][1], e.scope):
                raise _No()
            x = parent[x]
    return plan_


def _within(outer: tuple[int, ...], inner: tuple[int, ...]) -> bool:
    return inner[:len(outer)] == outer


def _tree(root: str, edges: list[Edge]) -> tuple[dict, dict]:
    """A breadth-first tree over the variables from ROOT, preferring patterns of outer scopes:
    variable → parent variable, and variable → (Step, scope of that pattern)."""
    parent: dict = {"?" + root: None}
    up: dict = {}
    frontier = ["?" + root]
    while frontier:
        nxt = []
        for e in sorted(edges, key=lambda e: len(e.scope)):
            for a, b, child_is_object in ((e.s, e.o, True), (e.o, e.s, False)):
                if a in frontier and b.startswith("?") and b not in parent:
                    parent[b] = a
                    up[b] = (Step(e.preds, child_is_object), e.scope)
                    nxt.append(b)
        frontier = nxt
    return parent, up

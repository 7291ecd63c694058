"""Whether a SELECT query's answer depends on the order the engine meets its solutions in.

GROUP_CONCAT joins a group's values in the order they arrive and SAMPLE picks one of them: two
engines (or pyoxigraph's RocksDB store and its in-memory store, which walk their indexes in
different orders) may give different values for the same data. Both are safe in one shape:

- GROUP_CONCAT(?v) whose group is fed straight by a sub-select ordered by ?v (among its keys, in
  either direction): `SELECT ?g (GROUP_CONCAT(?v) AS ?vs) { { SELECT ?g ?v { … } ORDER BY ?v } }
  GROUP BY ?g`. The values then arrive in one order on any store (ties are equal values, which
  join the same either way); pyoxigraph keeps a sub-select's order into the grouping
  (tests/test_canned.py checks it on both of its stores);
- SAMPLE of a variable the query groups by (every solution of the group has the same value).

Anything else with either aggregate, or a query rdflib cannot parse, counts as order-dependent.
Read from rdflib's algebra (as publish.canned reads a query's triple patterns).
"""

from __future__ import annotations

from functools import lru_cache


def _nodes(node, seen: set[int]):
    """Every CompValue in NODE's algebra, once."""
    from rdflib.plugins.sparql.parserutils import CompValue
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        yield node
        children = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple, set, frozenset)):
        children = node
    else:
        return
    for child in children:
        yield from _nodes(child, seen)


def _ordered_by(node, var) -> bool:
    """Whether NODE (a group's input) is a sub-select ordered by VAR."""
    from rdflib.plugins.sparql.parserutils import CompValue
    while isinstance(node, CompValue) and node.name in ("ToMultiSet", "Project"):
        node = node.p
    if not (isinstance(node, CompValue) and node.name == "OrderBy"):
        return False
    return any((c.get("expr") if isinstance(c, CompValue) else c) == var for c in node.expr or ())


@lru_cache(maxsize=256)
def algebra(query: str):
    """rdflib's algebra of QUERY, parsed once per text (here and by publish.canned: rdflib's parser
    takes about 0.07 s a query). Raises what rdflib raises on a query it cannot read."""
    from rdflib.plugins.sparql import prepareQuery
    return prepareQuery(query).algebra


@lru_cache(maxsize=256)
def concatenated_in_order(query: str) -> bool:
    """Whether every GROUP_CONCAT and SAMPLE of QUERY gives the same value whatever order the
    engine meets the solutions in (the module says when). Kept between builds (publish.parsed)."""
    from .parsed import recall
    return recall("order", query, lambda: _concatenated_in_order(query), lambda v: isinstance(v, bool))


def _concatenated_in_order(query: str) -> bool:
    from rdflib import Variable
    try:
        tree = algebra(query)
    except Exception:  # noqa: BLE001 — a query rdflib cannot read is not known to be safe
        return False
    for node in _nodes(tree, set()):
        if node.name != "AggregateJoin":
            continue
        group = node.p
        keys = {k for k in (group.get("expr") or ()) if isinstance(k, Variable)}
        for agg in node.A:
            arg = agg.get("vars")
            if agg.name == "Aggregate_Sample" and arg not in keys:
                return False
            if agg.name == "Aggregate_GroupConcat" and not (isinstance(arg, Variable) and _ordered_by(group.p, arg)):
                return False
    return True

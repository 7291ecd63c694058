"""The join: each Target with the Observations of the same place, indicator concept and year.

In: the union of the article graphs as N-Triples. Out: Links, one per Target with a place,
an indicator and a year: its outcomes (every matching Observation, from any article), the
outcome its status is judged on (the one from the most recently issued article; several
different values in that article make it undetermined), the status and the rule.
A target nothing reports on yet is "notReported".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..publish import store
from .verdict import Figure, judge

@dataclass(frozen=True)
class Statement:
    uri: str
    kind: str                  # Target | Observation
    key: tuple                 # (place, indicator, year, first year of a span or None)
    figure: Figure
    direction: str | None
    article: str
    issued: str


@dataclass(frozen=True)
class Link:
    target: str
    outcomes: tuple[str, ...]  # every Observation of the same place, indicator and year
    basis: str | None          # the outcome the status is judged on
    status: str                # met | missed | notReported | undetermined
    rule: str


def _dec(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


COLUMNS = ("s", "type", "place", "indicator", "year", "comparator", "value", "min", "max", "unit", "approximate",
           "kind", "direction", "article", "issued", "start")


def rows(nt: bytes) -> tuple[tuple[str | None, ...], ...]:
    """What the linking stage reads from a graph (queries/link-statements.rq), one tuple of COLUMNS
    per row. An article's rows depend on its own graph only (it describes the places and indicators
    it uses), so they are computed with the article and cached: a build joins the rows of all its
    articles without loading their union (tests/test_corpus.py checks it gives the union's rows)."""
    _, found = store.rows(store.memory_store(nt, []), store.read_query("link-statements"))
    return tuple(tuple(r[c] for c in COLUMNS) for r in found)


def statements(union_nt: bytes) -> list[Statement]:
    return from_rows(rows(union_nt))


def from_rows(table) -> list[Statement]:
    """Statements from rows of COLUMNS (of one graph or several), in the order of their subjects."""
    out = []
    for r in sorted((dict(zip(COLUMNS, row)) for row in table), key=lambda r: r["s"]):
        tail = lambda iri: iri.rsplit("#", 1)[-1] if iri else None  # noqa: E731
        fig = Figure(tail(r["comparator"]), _dec(r["value"]), _dec(r["min"]), _dec(r["max"]), r["unit"],
                     r["approximate"] in ("true", "1"), tail(r["kind"]))
        start = int(r["start"]) if r["start"] else None     # a span is only set against the same span
        out.append(Statement(r["s"], tail(r["type"]), (r["place"], r["indicator"], int(r["year"]), start), fig,
                             tail(r["direction"]), r["article"], r["issued"] or ""))
    return out


def link(union_nt: bytes) -> tuple[Link, ...]:
    return join(statements(union_nt))


def join(stmts: list[Statement]) -> tuple[Link, ...]:
    """Each target with the observations of its place, indicator and year from other articles."""
    observed: dict[tuple, list[Statement]] = defaultdict(list)
    for s in stmts:
        if s.kind == "Observation":
            observed[s.key].append(s)
    links = []
    for t in sorted((s for s in stmts if s.kind == "Target"), key=lambda s: s.uri):
        outs = sorted((o for o in observed.get(t.key, []) if o.article != t.article), key=lambda o: (o.issued, o.uri))
        if not outs:
            links.append(Link(t.uri, (), None, "notReported", "no later report gives a value for this place, indicator and year"))
            continue
        latest = [o for o in outs if o.issued == outs[-1].issued and o.article == outs[-1].article]
        values = {(o.figure.value, o.figure.unit) for o in latest}
        basis = latest[0]
        if len(values) > 1:
            links.append(Link(t.uri, tuple(o.uri for o in outs), None, "undetermined",
                              "the latest report gives several values: " + ", ".join(
                                  sorted(f"{o.figure.value}{o.figure.unit or ''}" for o in latest))))
            continue
        v = judge(t.figure, basis.figure, t.direction)
        links.append(Link(t.uri, tuple(o.uri for o in outs), basis.uri, v.status, v.rule))
    return tuple(links)

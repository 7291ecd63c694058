"""The join: each Target with the Observations of the same place, indicator concept and year.

In: the statements of the article graphs (each article's rows, cached with it; or the union of the
graphs as N-Triples), and the outcomes people linked or unlinked (kgbuild.correct). Out: Links, one per Target with a place,
an indicator and a year: its outcomes (every matching Observation, from any article), the
outcome its status is judged on (the one from the most recently issued article; an exact
figure there before a bound it kept within; several different values make it undetermined), the
status and the rule.
A target nothing reports on yet is "notReported".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter

from .. import paths
from ..publish import store
from .rows import read
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
    confidence: Decimal | None = None
    aggregation: str | None = None   # annualAverage (年均) | cumulative (累计)
    baseline: Decimal | None = None  # a target's stated starting value (从47.5%提高到51.5%)
    stated: str | None = None        # the indicator as the sentence words it (单位国内生产总值能耗降低)


@dataclass(frozen=True)
class Link:
    target: str
    outcomes: tuple[str, ...]  # every Observation of the same place, indicator and year
    basis: str | None          # the outcome the status is judged on
    status: str                # met | missed | notReported | undetermined
    rule: str
    confidence: Decimal | None = None   # of the verdict (graph.confidence.of_verdict); None when not judged


@lru_cache(maxsize=1)
def factors() -> dict[str, tuple[str, Decimal]]:
    """unit → (base unit, factor), from data/lexicon/unit_factors.tsv."""
    out = {}
    for line in (paths.lexicon_dir() / "unit_factors.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            unit, base, factor = line.split("\t")[:3]
            out[unit.strip()] = (base.strip(), Decimal(factor.strip()))
    return out


def in_unit(fig: Figure, unit: str | None) -> Figure:
    """A reported figure stated in the target's unit when the two measure one quantity in different
    units (度 and 千瓦时, 公顷 and 亩, 斤 and 吨); otherwise as it is (the rule then says the units differ)."""
    if fig.unit == unit or fig.unit is None or unit is None:
        return fig
    f = factors()
    (a, fa), (b, fb) = f.get(fig.unit, (fig.unit, Decimal(1))), f.get(unit, (unit, Decimal(1)))
    if a != b:
        return fig
    conv = lambda v: None if v is None else (v * fa / fb).normalize()  # noqa: E731
    return replace(fig, value=conv(fig.value), min=conv(fig.min), max=conv(fig.max), unit=unit)


def _dec(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


COLUMNS = ("s", "type", "place", "indicator", "year", "comparator", "value", "min", "max", "unit", "approximate",
           "kind", "direction", "article", "issued", "start", "confidence", "aggregation", "baseline",
           "stated")


def rows(nt: bytes) -> tuple[tuple[str | None, ...], ...]:
    """What the linking stage reads from a graph (queries/link-statements.rq), one tuple of COLUMNS
    per row. An article's rows depend on its own graph only (it describes the places and indicators
    it uses), so they are computed with the article and cached: a build joins the rows of all its
    articles without loading their union (tests/test_corpus.py checks it gives the union's rows)."""
    query = _query()
    fast = read(nt.decode("utf-8"), query)         # the same rows without the query engine, when it can
    if fast is not None:
        return fast
    _, found = store.rows(store.memory_store(nt, []), query)
    return tuple(tuple(r[c] for c in COLUMNS) for r in found)


@lru_cache(maxsize=1)
def _query() -> str:
    return store.read_query("link-statements")


def statements(union_nt: bytes) -> list[Statement]:
    return from_rows(rows(union_nt))


def from_rows(table) -> list[Statement]:
    """Statements from rows of COLUMNS (of one graph or several), in the order of their subjects."""
    width = len(COLUMNS)
    rows = [row if len(row) == width else (tuple(row) + (None,) * width)[:width] for row in table]
    rows.sort(key=itemgetter(0))                # stable: rows of one subject in the order given
    tails: dict = {None: None, "": None}        # an IRI → its name after "#" (a few IRIs recur)
    out = []
    add = out.append
    for (s, type_, place, indicator, year, comparator, value, min_, max_, unit, approximate, kind, direction, article,
         issued, start, confidence, aggregation, baseline, stated) in rows:
        fig = Figure(_tail(tails, comparator), _dec(value), _dec(min_), _dec(max_), unit,
                     approximate in ("true", "1"), _tail(tails, kind))
        add(Statement(s, _tail(tails, type_), (place, indicator, int(year), int(start) if start else None), fig,
                      _tail(tails, direction), article, issued or "", _dec(confidence), _tail(tails, aggregation),
                      _dec(baseline), stated))  # a span (start) is only set against the same span
    return out


def _tail(tails: dict, iri: str | None) -> str | None:
    t = tails.get(iri, tails)
    if t is tails:
        t = tails[iri] = iri.rsplit("#", 1)[-1]
    return t


def link(union_nt: bytes, manual: dict[str, list[Statement | str]] | None = None,
         unlinked: dict[str, set[str]] | None = None) -> tuple[Link, ...]:
    """join() over the statements of a union of article graphs (N-Triples)."""
    return join(statements(union_nt), manual, unlinked)


def join(stmts: list[Statement], manual: dict[str, list[Statement | str]] | None = None,
         unlinked: dict[str, set[str]] | None = None) -> tuple[Link, ...]:
    """Each target with the observations of its place, indicator and year from other articles.
    manual: outcomes people linked to a target (Statements of cited values, or observation IRIs);
    the last one is the basis of the verdict. unlinked: outcomes people removed from a target
    (kgbuild.correct.link_inputs, from the link / unlink corrections)."""
    from ..graph.confidence import of_verdict
    manual, unlinked = manual or {}, unlinked or {}
    by_uri = {s.uri: s for s in stmts} if manual else {}
    observed: dict[tuple, list[Statement]] = defaultdict(list)
    for s in stmts:
        if s.kind == "Observation":
            observed[s.key].append(s)
    links = []
    for t in sorted((s for s in stmts if s.kind == "Target"), key=lambda s: s.uri):
        gone = unlinked.get(t.uri, set())
        outs = sorted((o for o in observed.get(t.key, []) if o.article != t.article and o.uri not in gone),
                      key=lambda o: (o.issued, o.uri))
        chosen = [by_uri.get(m) if isinstance(m, str) else m for m in manual.get(t.uri, ())]
        chosen = [m for m in chosen if m is not None and m.uri not in gone]
        if chosen:                                  # a person's link decides: judged on the last one linked
            outs = [o for o in outs if o.uri not in {m.uri for m in chosen}] + chosen
            basis = chosen[-1]
            v = judge(t.figure, in_unit(basis.figure, t.figure.unit), t.direction)
            links.append(Link(t.uri, tuple(o.uri for o in outs), basis.uri, v.status, v.rule + " (outcome linked by a person)",
                              of_verdict(t.confidence, basis.confidence, len(outs), manual=True)))
            continue
        if not outs:
            links.append(Link(t.uri, (), None, "notReported", "no later report gives a value for this place, indicator and year"))
            continue
        latest = [o for o in outs if o.issued == outs[-1].issued and o.article == outs[-1].article]
        exact = [o for o in latest if o.figure.comparator == "eq" and o.figure.value is not None]
        if exact and len(exact) < len(latest):
            latest = exact                  # 涨幅控制在3%以内，实际上涨1.9%: the figure, not the bound it kept within
        values = {(f.value, f.unit) for f in (in_unit(o.figure, t.figure.unit) for o in latest)}
        basis = latest[0]
        if len(values) > 1:
            links.append(Link(t.uri, tuple(o.uri for o in outs), None, "undetermined",
                              "the latest report gives several values: " + ", ".join(
                                  sorted(f"{o.figure.value}{o.figure.unit or ''}" for o in latest)),
                              of_verdict(t.confidence, None, len(outs))))
            continue
        v = judge(t.figure, in_unit(basis.figure, t.figure.unit), t.direction)
        links.append(Link(t.uri, tuple(o.uri for o in outs), basis.uri, v.status, v.rule,
                          of_verdict(t.confidence, basis.confidence, len(outs))))
    return tuple(links)

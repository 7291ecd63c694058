"""The indicator phrases that map to no concept of the scheme, most frequent first, so the scheme
(data/lexicon/indicators.ttl, data/lexicon/indicator_grammar.tsv) can grow.

In: a store (a built dist/, or the graph of a corpus built in memory). Out: one Phrase per stated
indicator whose Targets and Observations carry an indicator of their own, from
queries/unmapped-indicators.rq.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..publish import store


@dataclass(frozen=True)
class Phrase:
    phrase: str
    statements: int      # targets and reported values stating it
    targets: int
    units: str


def phrases(st) -> tuple[Phrase, ...]:
    _, rows = store.rows(st, store.read_query("unmapped-indicators"))
    return tuple(Phrase(r["phrase"], int(r["statements"]), int(r["targets"]), r.get("units") or "") for r in rows)


def table(ps: tuple[Phrase, ...], limit: int | None = None) -> str:
    out = ["statements\ttargets\tunits\tphrase"]
    out += [f"{p.statements}\t{p.targets}\t{p.units}\t{p.phrase}" for p in ps[:limit]]
    return "\n".join(out) + "\n"


def summary(ps: tuple[Phrase, ...]) -> str:
    return (f"{len(ps)} indicator phrases map to no concept ({sum(p.statements for p in ps)} statements, "
            f"{sum(p.targets for p in ps)} of them targets)\n")

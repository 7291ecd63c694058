"""The national check: China's Government Work Reports and promises.json (the targets each report
announces for its year, and the values the next report gives for them, with exact mentions).

In: the corpus folder (china-YEAR.md and promises.json). Out: one row per promise and per
reported value: found or not, with what was found. A target counts when a Target of that report,
placed in the country, for that year, with that number (万亿元 folded into 亿元) has a mention
that overlaps the promise's; a reported value counts when an Observation of the next report has
that number, that year and an overlapping mention. Everything is read from the built graph
(queries/targets.rq, queries/observations.rq), as a user of the dataset would read it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

from ..pipeline import graph_for
from ..publish import ntriples, ontology, store
from .targets import observations, records

DEFAULT_NATIONAL = os.environ.get("KG_NATIONAL_DIR",
                                  str(Path(__file__).resolve().parents[3] / "shared" / "corpus" / "national"))
COUNTRY = "CN"


@dataclass(frozen=True)
class Row:
    kind: str            # target | reported
    report_year: int
    year: int
    indicator: str
    expected: str        # the number as the promise gives it
    mention: str
    found: str | None    # what the dataset says (indicator, number, year), None when nothing matched
    number_found: bool = False   # a statement of that kind with that number and mention, whatever its year


def _num(value, unit: str | None) -> tuple[Decimal, str | None] | None:
    if value is None:
        return None
    v = Decimal(str(value))
    if unit == "万亿元":
        v, unit = v * 10000, "亿元"
    return v.normalize(), unit


def _same_number(rec: dict, p: dict) -> bool:
    if p.get("comparator") == "range" or p.get("min") is not None:
        return (_num(rec["min"], rec["unit"]) == _num(p.get("min"), p["unit"])
                and _num(rec["max"], rec["unit"]) == _num(p.get("max"), p["unit"]))
    return _num(rec["value"], rec["unit"]) == _num(p["value"], p["unit"])


def _overlaps(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) >= 0.5


def _shown(p: dict) -> str:
    if p.get("min") is not None:
        return f"{p['min']}–{p['max']}{p['unit']}"
    return f"{p['value']}{p['unit']}"


@lru_cache(maxsize=2)
def _built(corpus: Path) -> tuple[dict, list[dict], list[dict]]:
    """promises.json, and the target and observation records of one build of all the reports
    (with their links): the figures below all read this one build."""
    promises = json.loads((corpus / "promises.json").read_text(encoding="utf-8"))
    g, _ = graph_for(sorted(corpus.glob("china-*.md")))
    st = store.memory_store(ntriples(g) + ontology().serialize(format="nt", encoding="utf-8"), [])
    return promises, records(st), observations(st)


def check(corpus: str | Path) -> list[Row]:
    promises, recs_all, obs_all = _built(Path(corpus).resolve())

    def dataset(year: int) -> tuple[list[dict], list[dict]]:
        name = f"china-{year}.md"
        return [r for r in recs_all if r["article"] == name], [o for o in obs_all if o["article"] == name]

    rows = []
    for p in promises["targets"]:
        recs = [r for r in dataset(p["report_year"])[0] if any(_overlaps(m, p["mention"]) for m in r["mentions"])]
        ok = [r for r in recs if _same_number(r, p) and r["year"] == p["year"] and r["place_code"] == COUNTRY]
        best = (ok or recs or [None])[0]
        rows.append(Row("target", p["report_year"], p["year"], p["indicator"], _shown(p), p["mention"],
                        None if not ok else f"{best['indicator']} {_shown(best)} {best['year']}"))
    for p in promises["reported"]:
        recs = [r for r in dataset(p["report_year"])[1] if any(_overlaps(m, p["mention"]) for m in r["mentions"])]
        near = [r for r in recs if _same_number(r, p)]
        ok = [r for r in near if r["year"] == p["year"] and r["place_code"] == COUNTRY]
        rows.append(Row("reported", p["report_year"], p["year"], p["indicator"], _shown(p), p["mention"],
                        None if not ok else f"{ok[0]['indicator']} {_shown(ok[0])} {ok[0]['year']}", bool(near)))
    return rows


@dataclass(frozen=True)
class Pair:
    year: int
    indicator: str
    target: str          # the promised number, as promises.json gives it
    outcome: str         # the reported number
    linked: bool         # the target carries that value as an outcome
    status: str | None   # its verdict
    rule: str | None


def pairs(corpus: str | Path) -> list[Pair]:
    """Every (target, reported value) pair of promises.json, looked up in one build of all the
    reports: does the target carry the value as an outcome, and with which verdict?"""
    promises, recs, _ = _built(Path(corpus).resolve())
    out = []
    for rep in promises["reported"]:
        for p in promises["targets"]:
            if p["year"] != rep["year"] or p["indicator"] != rep["indicator"]:
                continue
            mine = [r for r in recs if r["article"] == f"china-{p['report_year']}.md" and r["year"] == p["year"]
                    and any(_overlaps(m, p["mention"]) for m in r["mentions"]) and _same_number(r, p)]
            hit = [(r, o) for r in mine for o in r["outcomes"] if _same_number(o, rep) and o["year"] == rep["year"]]
            r, o = hit[0] if hit else ((mine or [None])[0], None)
            out.append(Pair(p["year"], p["indicator"], _shown(p), _shown(rep), bool(hit),
                            r["status"] if r and hit else None, r["status_rule"] if r and hit else None))
    return out


def pair_table(ps: list[Pair]) -> str:
    out = [f"{'year':4s}  {'indicator':16s} {'target':>14s} {'outcome':>12s}  verdict"]
    for p in ps:
        out.append(f"{p.year:4d}  {p.indicator:16s} {p.target:>14s} {p.outcome:>12s}  "
                   + (f"{p.status}: {p.rule}" if p.linked else "NOT LINKED"))
    linked = sum(1 for p in ps if p.linked)
    counts: dict[str, int] = {}
    for p in ps:
        if p.linked:
            counts[p.status] = counts.get(p.status, 0) + 1
    out.append(f"pairs linked: {linked}/{len(ps)} = {linked / len(ps) if ps else 1:.3f}; verdicts: "
               + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return "\n".join(out) + "\n"


def table(rows: list[Row]) -> str:
    """Every row checked: kind, year, indicator, the expected number, what the dataset has."""
    out = [f"{'kind':8s} {'year':4s}  {'indicator':14s} {'expected':>14s}  found"]
    for r in rows:
        out.append(f"{r.kind:8s} {r.year:4d}  {r.indicator:14s} {r.expected:>14s}  {r.found or '—'}")
    return "\n".join(out) + "\n"


def report(rows: list[Row]) -> str:
    lines = []
    for kind in ("target", "reported"):
        mine = [r for r in rows if r.kind == kind]
        found = sum(1 for r in mine if r.found)
        for r in mine:
            if not r.found:
                lines.append(f"    missed {kind}: {r.year} {r.indicator} {r.expected}  «{r.mention}» (china-{r.report_year}.md)")
        share = found / len(mine) if mine else 1.0
        if kind == "reported":
            near = sum(1 for r in mine if r.number_found or r.found)
            lines.append(f"national reported values found with their number: {near}/{len(mine)}; "
                         f"of those, the year right: {found}/{near} = {found / near if near else 1.0:.3f}")
        lines.append(f"national {'targets' if kind == 'target' else 'reported values'}: {found}/{len(mine)} = {share:.3f}"
                     + ("  (with number, year and place 中华人民共和国)" if kind == "target" else "  (as Observations, with the year they are for)"))
    return "\n".join(lines) + "\n"

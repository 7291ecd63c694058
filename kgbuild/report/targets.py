"""Target and observation records (the `kgbuild targets` and `kgbuild observations` formats)
from queries/targets.rq and queries/observations.rq over a built graph."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

from ..publish import store

FIELDS = ("article", "indicator", "comparator", "value", "min", "max", "unit", "kind", "year", "area", "mentions", "uri",
          "place", "place_code", "level", "cue", "status", "status_rule", "outcomes", "confidence")
OBSERVATION_FIELDS = ("article", "indicator", "comparator", "value", "min", "max", "unit", "kind", "year", "place",
                      "place_code", "mentions", "cue", "uri", "confidence")


def _num(v: object) -> int | float | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(d)


def _rows(st, query: str, answers: Path | None, parsed: dict[str, dict | None] | None = None) -> list[dict]:
    """The rows of queries/QUERY.rq: from its answer evaluated at build time (PARSED[QUERY], the
    answer store.precompute just wrote, or ANSWERS/QUERY.json, written by it from the same store)
    when there is one, else from the store."""
    doc = (parsed or {}).get(query)
    f = answers / f"{query}.json" if answers else None
    if doc is None and (f is None or not f.is_file()):
        return store.rows(st, store.read_query(query))[1]
    if doc is None:
        doc = json.loads(f.read_bytes())
    names = doc["head"]["vars"]
    return [{n: b[n]["value"] if n in b else None for n in names} for b in doc["results"]["bindings"]]   # values()


def values(names: list[str], b: dict) -> dict:
    """A solution (SPARQL JSON bindings) as the rows read: each variable of NAMES → its value (None unbound)."""
    return {n: b[n]["value"] if n in b else None for n in names}


def grouped(rows: list[dict], key: str) -> list[dict]:
    """The records of ROWS (values; ordered as the query orders them), one per KEY, in the order
    each first appears."""
    by_uri: dict[str, dict] = {}
    for r in rows:                                    # rows come ordered by article, then offset
        rec = by_uri.get(r[key])
        if rec is None:
            rec = by_uri[r[key]] = {
                "article": r["article"], "indicator": r["indicator"], "comparator": r["comparator"],
                "value": _num(r["value"]), "min": _num(r["min"]), "max": _num(r["max"]), "unit": r["unit"],
                "kind": r["kind"], "year": int(r["year"]) if r["year"] else None, "area": r.get("area"),
                "mentions": [], "uri": r[key], "level": r.get("level"), "place": r["place"],
                "place_code": r["placeCode"], "cue": r["cue"],
                "confidence": float(r["confidence"]) if r.get("confidence") else None}
            if key == "target":
                rec["status"], rec["status_rule"], rec["outcomes"] = r["status"], r["rule"], []
        if r["mention"] not in rec["mentions"]:
            rec["mentions"].append(r["mention"])
    return list(by_uri.values())


def _records(st, query: str, key: str, answers: Path | None = None, parsed: dict | None = None) -> list[dict]:
    return grouped(_rows(st, query, answers, parsed), key)


def attach(by_uri: dict[str, dict], rows: list[dict]) -> None:
    """The outcomes of ROWS (values of queries/outcomes.rq's answer, in its order) added to the
    records BY_URI of their targets."""
    outcomes: dict[tuple[str, str], dict] = {}
    for r in rows:
        o = outcomes.get((r["target"], r["outcome"]))
        if o is None:
            o = outcomes[(r["target"], r["outcome"])] = {
                "value": _num(r["value"]), "min": _num(r["min"]), "max": _num(r["max"]), "unit": r["unit"],
                "year": int(r["year"]) if r["year"] else None, "article": r["article"], "mentions": [],
                "uri": r["outcome"], "basis": r["basis"] in ("true", "1")}
            if r["target"] in by_uri:
                by_uri[r["target"]]["outcomes"].append(o)
        if r["mention"] not in o["mentions"]:
            o["mentions"].append(r["mention"])


def records(st, answers: Path | None = None, parsed: dict[str, dict | None] | None = None) -> list[dict]:
    """One record per Target, with its status and its outcomes (value, min, max, unit, year,
    article, mentions, uri, basis: whether the status was judged on it). ANSWERS: the folder of
    the canned answers of the same store, read instead of querying it again; PARSED: those of them
    already parsed (store.precompute), by query name."""
    recs = _records(st, "targets", "target", answers, parsed)
    attach({r["uri"]: r for r in recs}, _rows(st, "outcomes", answers, parsed))
    return recs


def observations(st) -> list[dict]:
    """One record per Observation."""
    return _records(st, "observations", "observation")


def safe_cell(v):
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe; numbers stay numbers (OWASP, CSV injection)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[-+]?\d+(\.\d+)?", v):
        return "'" + v
    return v


def _shown(o: dict) -> str:
    n = o["value"] if o["value"] is not None else f"{o['min']}–{o['max']}"
    return f"{n}{o['unit'] or ''}"


def outcomes_cell(outcomes: list[dict]) -> str:
    """What targets.csv says of a target's outcomes (before safe_cell)."""
    return " | ".join(f"{_shown(o)} ({o['year']}, {o['article']})" for o in outcomes)


def to_jsonl(recs: list[dict], fields: tuple[str, ...] = FIELDS) -> str:
    return "".join(json.dumps({k: r[k] for k in fields}, ensure_ascii=False) + "\n" for r in recs)


def to_csv(recs: list[dict], fields: tuple[str, ...] = FIELDS) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in recs:
        row = [r[k] for k in fields]
        row[fields.index("mentions")] = " | ".join(r["mentions"])
        if "outcomes" in fields:
            row[fields.index("outcomes")] = outcomes_cell(r["outcomes"])
        w.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()

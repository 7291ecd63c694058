"""Target records (the `kgbuild targets` format) from queries/targets.rq over a built graph."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..publish import store

FIELDS = ("article", "indicator", "comparator", "value", "min", "max", "unit", "kind", "year", "area", "mentions", "uri")


def _num(v: object) -> int | float | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(d)


def records(st) -> list[dict]:
    _, rows = store.rows(st, store.read_query("targets"))
    by_target: dict[str, dict] = {}
    for r in rows:                                    # rows come ordered by article, then offset
        rec = by_target.get(r["target"])
        if rec is None:
            rec = by_target[r["target"]] = {
                "article": r["article"], "indicator": r["indicator"], "comparator": r["comparator"],
                "value": _num(r["value"]), "min": _num(r["min"]), "max": _num(r["max"]), "unit": r["unit"],
                "kind": r["kind"], "year": int(r["year"]) if r["year"] else None, "area": r["area"],
                "mentions": [], "uri": r["target"], "level": r["level"], "place": r["place"]}
        if r["mention"] not in rec["mentions"]:
            rec["mentions"].append(r["mention"])
    return list(by_target.values())


def to_jsonl(recs: list[dict]) -> str:
    return "".join(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n" for r in recs)


def to_csv(recs: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS + ("level", "place"))
    for r in recs:
        row = [r[k] for k in FIELDS] + [r["level"], r["place"]]
        row[FIELDS.index("mentions")] = " | ".join(r["mentions"])
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()

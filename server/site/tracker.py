"""The promise tracker: every target with a verdict, filterable by place, year, indicator and
verdict, with a CSV twin; and the indicator pages' charts (target against outcome, year by year).

Reads the links graph the build made (ptkg:outcome, ptkg:status); computes nothing itself.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from . import charts, figures, rules
from ..service import live
from .lookup import _query, local, run_text
from ..errors import APIError

bp = Blueprint("tracker", __name__)

PTKG = "https://w3id.org/ptkg/ns#"
CONCEPTS = "https://w3id.org/ptkg/indicator/"
STATUSES = ("met", "missed", "undetermined", "notReported")     # the build's; the links graph may hold more
JUDGED = ("met", "missed", "undetermined")
HTML_ROWS = 2000
SYMBOL = {"ge": "≥ ", "gt": "> ", "le": "≤ ", "lt": "< "}
CSV_FIELDS = ("place", "year", "indicator", "comparator", "target", "min", "max", "unit", "approximate", "status",
              "reported", "reported_unit", "reported_in", "rule", "article", "target_uri", "outcome_uri",
              "status_zh", "status_en", "rule_zh", "rule_en", "article_title", "reported_in_title", "reported_date")


def _iri(value: str, what: str) -> str:
    """A place or indicator given as an IRI, a /id/… path or a concept's short name."""
    base = live.dataset().manifest["base"].rstrip("/") + "/"
    if re.fullmatch(r"[a-z0-9-]+", value) and what == "indicator":
        value = CONCEPTS + value
    elif value.startswith("/id/"):
        value = base + value[1:]
    elif re.fullmatch(r"[a-z0-9-]+", value) and what == "place":
        value = base + "id/place/" + value
    try:
        return str(ox.NamedNode(value))           # validated: cannot inject SPARQL
    except ValueError:
        raise APIError(400, f"{what}: not an IRI: {value!r}") from None


def rows(place: str | None = None, indicator: str | None = None, year: str | None = None,
         status: str | None = "judged") -> list[dict]:
    filters = []
    if place:
        filters.append(f"FILTER (?place = {_iri(place, 'place')})")
    if indicator:
        filters.append(f"FILTER (?indicator = {_iri(indicator, 'indicator')})")
    if year:
        if not re.fullmatch(r"(19|20)\d{2}", year):
            raise APIError(400, f"year: expected a year such as 2018, got {year!r}")
        filters.append(f'FILTER (STR(?year) = "{year}")')
    if status and status != "all":
        if status == "judged":
            filters.append('FILTER (?status != "notReported")')
        elif re.fullmatch(r"[A-Za-z]{1,40}", status):
            filters.append(f'FILTER (?status = "{status}")')          # any status the links graph holds
        else:
            raise APIError(400, f"status: one of {', '.join(STATUSES)}, judged or all; got {status!r}")
    return run_text(_query("tracker").replace("{FILTERS}", "\n  ".join(filters)))


def number(r: dict, prefix: str = "") -> str:
    unit = r.get(prefix + "unit") or ""
    if r.get(prefix + "min") is not None and r.get(prefix + "max") is not None:
        return f"{figures.short(r[prefix + 'min'], unit)}–{figures.short(r[prefix + 'max'], unit)}"
    v = r.get(prefix + "value") if prefix else r.get("value")
    return figures.short(v, unit) if v is not None else ""


def _plain(v: str) -> str:
    return v[:-2] if v.endswith(".0") else v


def series(rs: list[dict]) -> dict[tuple[str, str], dict]:
    """Chart series per (place, indicator): per year, the target's shape and the outcome."""
    out: dict[tuple[str, str], dict] = {}
    for r in rs:
        key = (r["place"], r["indicator"])
        s = out.setdefault(key, {"place": r["placeLabel"], "indicator": r["indicatorLabel"], "unit": r.get("unit") or "",
                                 "points": {}})
        y = int(r["year"])
        if y in s["points"] or (r.get("unit") or "") != s["unit"]:
            continue                                  # one target per year, in one unit
        cmp_ = r["comparator"]
        if cmp_ == "range":
            lo, hi, shape = float(r["min"]), float(r["max"]), "band"
        elif r.get("value") is None:
            continue
        else:
            lo = hi = float(r["value"])
            shape = {"ge": "floor", "gt": "floor", "le": "ceiling", "lt": "ceiling"}.get(cmp_, "point")
            if shape == "point" and r.get("approximate") in ("true", "1"):
                tol = 0.2 if s["unit"] == "%" else abs(lo) * 0.02
                lo, hi, shape = lo - tol, hi + tol, "band"
        reported = float(r["reported"]) if r.get("reported") and (r.get("reportedUnit") or "") == s["unit"] else None
        s["points"][y] = {"year": y, "lo": lo, "hi": hi, "shape": shape, "outcome": reported, "status": r["status"],
                          "label": figures.target_text(r),
                          "reported_text": (figures.short(r["reported"], s["unit"]) + s["unit"]) if reported is not None else "",
                          "status_label": rules.status_label(r["status"], r.get("statusLabel"), r.get("statusLabelEn"))}
    return out


def charts_for(rs: list[dict], progress: list[dict] = ()) -> list[dict]:
    """One chart per (place, indicator); PROGRESS (server/queries/indicator-progress.rq) adds a
    multi-year target's path from its baseline to the target, with the values so far."""
    out = []
    paths = _paths(progress)
    for (place, _), s in sorted(series(rs).items(), key=lambda kv: (kv[1]["place"], kv[1]["indicator"])):
        pts = [s["points"][y] for y in sorted(s["points"])]
        path = paths.get((place, s["unit"]))
        if path:
            pts = [p for p in pts if not (path["from"][0] < p["year"] < path["to"][0]) or p["outcome"] is not None]
        if pts:
            title = f"{s['place']} · {s['indicator']}：目标与实际 target and reported"
            out.append({"place": s["place"], "place_iri": place, "indicator": s["indicator"], "unit": s["unit"],
                        "svg": charts.tracker(pts, title, s["unit"], path=path), "points": pts,
                        "legend": charts.legend({p["status"] for p in pts}, {p["shape"] for p in pts})})
    return out


def _paths(progress) -> dict[tuple[str, str], dict]:
    """Per (place, unit), the first multi-year target's path: baseline (or, for a yearly average, the
    target rate itself) to the target at its deadline, and each year's value so far."""
    out: dict[tuple[str, str], dict] = {}
    for r in progress:
        key = (r["place"], r.get("unit") or "")
        goal = r.get("goal") or r.get("min")
        if goal is None or r.get("value") is None or (key in out and out[key]["target"] != r["t"]):
            continue
        p = out.setdefault(key, {"target": r["t"], "to": (int(r["deadline"]), float(goal)), "points": [],
                                 "from": (int(r["baselineYear"]), float(r.get("baselineValue") or goal))})
        p["points"].append((int(r["year"]), float(r["value"]), r["status"]))
    return out


def statuses(options: list[dict]) -> list[tuple[str, str, str]]:
    """Every status the links graph holds, with its zh and en names, the build's four first."""
    found = {r["status"]: rules.status_label(r["status"], r.get("statusLabel"), r.get("statusLabelEn")) for r in options}
    for code in STATUSES:
        found.setdefault(code, rules.status_label(code))
    order = {c: i for i, c in enumerate(STATUSES + ("onTrack", "lagging"))}
    return [(c, zh, en) for c, (zh, en) in sorted(found.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))]


@bp.route("/tracker")
def tracker_page():
    a = request.args
    options = run_text(_query("tracker").replace("{FILTERS}", ""))
    judged = sum(1 for r in options if r["status"] != "notReported")
    note = None
    status = a.get("status")
    if not status:                          # the default: judged targets, or every target when none is judged yet
        status = "judged" if judged else "all"
        if not judged and options:
            note = "none-judged"
    rs = rows(a.get("place"), a.get("indicator"), a.get("year"), status)
    places = sorted({(r["place"], r["placeLabel"]) for r in options}, key=lambda p: p[1])
    indicators = sorted({(r["indicator"], r["indicatorLabel"], r.get("indicatorLabelEn") or "") for r in options},
                        key=lambda p: p[1])
    years = sorted({r["year"] for r in options})
    counts: dict[str, int] = {}
    for r in rs:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    widen = None
    if not rs and options:                  # an empty filter: say why, offer the one-click alternative
        wider = {k: v for k, v in a.items() if k != "status" and v}
        widen = "/tracker?" + urlencode({**wider, "status": "all"})
    return render_template("tracker.html", rows=rs[:HTML_ROWS], total=len(rs), cut=len(rs) > HTML_ROWS, counts=counts,
                           places=places, indicators=indicators, years=years, args=a, status=status, number=number,
                           local=local, query=urlencode({**{k: v for k, v in a.items() if v}, "status": status}),
                           statuses=statuses(options), all_count=len(options), judged=judged, note=note, widen=widen,
                           as_of=live.dataset().manifest.get("build_time", "")[:10])


@bp.route("/tracker.csv")
def tracker_csv():
    a = request.args
    rs = rows(a.get("place"), a.get("indicator"), a.get("year"), a.get("status") or "all")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_FIELDS)
    for r in rs:
        w.writerow([_safe(x) for x in (
            r["placeLabel"], r["year"], r["indicatorLabel"], r["comparator"], r.get("value", ""), r.get("min", ""),
            r.get("max", ""), r.get("unit", ""), "yes" if r.get("approximate") in ("true", "1") else "",
            r["status"], r.get("reported", ""), r.get("reportedUnit", ""), r.get("reportedIn", ""), r["rule"],
            r["article"], r["t"], r.get("outcome", ""),
            *rules.status_label(r["status"], r.get("statusLabel"), r.get("statusLabelEn")), *rules.explain(r["rule"]),
            r.get("title", ""), r.get("reportedTitle", ""), (r.get("reportedDate") or "")[:10])])
    resp = Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")   # BOM: Excel reads UTF-8
    resp.headers["Content-Disposition"] = 'attachment; filename="tracker.csv"'
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _safe(v: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    v = "" if v is None else str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"-?\d+(\.\d+)?", v) else v

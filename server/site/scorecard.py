"""Scorecards: per place, how many of its targets were met, missed, on track, lagging, not yet
reported or undetermined, by target year and by plan (the report that set them), with CSV twins.

In: the statuses the links graph holds (server/queries/scorecard.rq counts whatever codes are
there, so a new status appears without a code change). Out: /scorecard (every place),
/scorecard/PLACE and /scorecard/PLACE.csv (PLACE as in /id/place/PLACE), /scorecard.csv.
"""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from . import rules
from .lookup import _query, iri_for, local, run_text
from ..errors import APIError
from ..service import live

bp = Blueprint("scorecard", __name__)
ORDER = ("met", "missed", "targetAchieved", "onTrack", "moderateProgress", "limitedProgress", "lagging", "deterioration",
         "notReported", "undetermined")


def _columns(rs: list[dict]) -> list[tuple[str, str, str]]:
    found = {r["status"]: rules.status_label(r["status"], r.get("statusLabel"), r.get("statusLabelEn")) for r in rs}
    for code in ("met", "missed", "notReported", "undetermined"):
        found.setdefault(code, rules.status_label(code))
    rank = {c: i for i, c in enumerate(ORDER)}
    return [(c, zh, en) for c, (zh, en) in sorted(found.items(), key=lambda kv: (rank.get(kv[0], 50), kv[0]))]


def _rows(place_iri: str | None) -> list[dict]:
    f = f"FILTER (?place = {ox.NamedNode(place_iri)})" if place_iri else ""
    return run_text(_query("scorecard").replace("{FILTERS}", f))


def tables(rs: list[dict], year: str | None = None) -> dict:
    """{"places": [...], "years": [...], "plans": [...]}: each row a dict with counts per status."""
    def add(table: dict, key: tuple, base: dict, r: dict) -> None:
        row = table.setdefault(key, dict(base, counts={}, total=0))
        row["counts"][r["status"]] = row["counts"].get(r["status"], 0) + int(r["n"])
        row["total"] += int(r["n"])
    places: dict = {}
    years: dict = {}
    plans: dict = {}
    totals: dict = {}
    for r in rs:
        if year and r.get("year") != year:
            continue
        p = {"place": r["place"], "placeLabel": r["placeLabel"]}
        add(places, (r["placeLabel"], r["place"]), p, r)
        add(totals, (r.get("year") or "",), {"place": "", "year": r.get("year") or ""}, r)
        add(years, (r["placeLabel"], r.get("year") or ""), dict(p, year=r.get("year") or ""), r)
        add(plans, (r["placeLabel"], r.get("plan") or "", r.get("planTitle") or ""),
            dict(p, plan=r.get("plan") or "", title=r.get("planTitle") or "", issued=r.get("planYear") or ""), r)
    return {"places": [places[k] for k in sorted(places)], "years": [years[k] for k in sorted(years)],
            "totals": [totals[k] for k in sorted(totals)],
            "plans": [plans[k] for k in sorted(plans, key=lambda k: (k[0], plans[k]["issued"], k[2]))]}


def _place(slug: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", slug):
        raise APIError(404, "no such place")
    iri = iri_for("place/" + slug)
    return iri


def _csv(rs: list[dict], name: str) -> Response:
    cols = _columns(rs)
    t = tables(rs)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["place", "group", "year", "plan_title", "plan_uri", "total", *[c for c, _, _ in cols]])
    for row in t["years"]:
        w.writerow([row["placeLabel"], "year", row["year"], "", "", row["total"], *[row["counts"].get(c, 0) for c, _, _ in cols]])
    for row in t["plans"]:
        w.writerow([row["placeLabel"], "plan", row["issued"], row["title"], row["plan"], row["total"],
                    *[row["counts"].get(c, 0) for c, _, _ in cols]])
    resp = Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@bp.route("/scorecard")
def index():
    rs = _rows(None)
    year = request.args.get("year") or None
    if year and not re.fullmatch(r"(19|20)\d{2}", year):
        raise APIError(400, f"year: expected a year such as 2018, got {year!r}")
    return render_template("scorecard.html", place=None, t=tables(rs, year), cols=_columns(rs), local=local,
                           years=sorted({r["year"] for r in rs if r.get("year")}), year=year, slug=_slug,
                           as_of=live.dataset().manifest.get("build_time", "")[:10])


@bp.route("/scorecard.csv")
def index_csv():
    return _csv(_rows(None), "scorecard.csv")


@bp.route("/scorecard/<path:slug>")
def place(slug: str):
    if slug.endswith(".csv"):
        iri = _place(slug[:-4])
        return _csv(_rows(iri), slug.rsplit("/", 1)[-1])
    iri = _place(slug)
    rs = _rows(iri)
    if not rs:
        names = run_text(f"SELECT ?l WHERE {{ {ox.NamedNode(iri)} <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")
        if not names:
            raise APIError(404, f"no place {iri} in this dataset")
    return render_template("scorecard.html", place=iri, slug=_slug, t=tables(rs), cols=_columns(rs), local=local, years=[],
                           year=None, name=rs[0]["placeLabel"] if rs else slug,
                           as_of=live.dataset().manifest.get("build_time", "")[:10])


def _slug(place_iri: str) -> str:
    return local(place_iri).split("/id/place/", 1)[-1]

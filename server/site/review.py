"""The review queue: what no person has checked yet, least confident first, with a CSV twin.

Reads dist/review.json, which the build computes (kgbuild/report/review.py, from
queries/review.rq): the server stays read-only and computes nothing. Corrections reach the site
through a rebuild (`kgbuild build --corrections DIR`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request

from ..service import live
from .lookup import local
from ..errors import APIError

bp = Blueprint("review", __name__)

KINDS = ("target", "observation", "outcome")
FIELDS = ("kind", "confidence", "place", "year", "article", "reading", "sentence", "why", "iri", "path",
          "confirm", "reject")
HTML_ROWS = 500


@lru_cache(maxsize=4)
def _queue(path: str, version: str) -> tuple[dict, ...]:
    f = Path(path) / "review.json"
    if not f.is_file():
        return ()                                # a dataset built before the review queue existed
    return tuple(json.loads(f.read_text(encoding="utf-8")))


def items() -> list[dict]:
    a = request.args
    kg = live.dataset()
    queue = _queue(str(kg.path), kg.version)
    place, year, article, kind = (a.get(k) or None for k in ("place", "year", "article", "kind"))
    if year and not re.fullmatch(r"(19|20)\d{2}", year):
        raise APIError(400, f"year: expected a year such as 2018, got {year!r}")
    if kind and kind not in KINDS:
        raise APIError(400, f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    today = dt.date.today().isoformat()
    out = []
    for i in queue:
        if place and place not in (i["place"], i["place_iri"]) and not (i["place_iri"] or "").endswith("/" + place):
            continue
        if (year and str(i["year"]) != year) or (article and i["article"] != article) or (kind and i["kind"] != kind):
            continue
        out.append(dict(i, confirm=i["confirm"].replace("{today}", today), reject=i["reject"].replace("{today}", today)))
    return out


def _options() -> dict:
    kg = live.dataset()
    queue = _queue(str(kg.path), kg.version)
    return {"places": sorted({(i["place_iri"], i["place"]) for i in queue if i["place"]}, key=lambda p: p[1]),
            "years": sorted({str(i["year"]) for i in queue if i["year"]}),
            "articles": sorted({i["article"] for i in queue if i["article"]})}


@bp.route("/review")
def review_page():
    rs = items()
    return render_template("review.html", rows=rs[:HTML_ROWS], total=len(rs), cut=len(rs) > HTML_ROWS, args=request.args,
                           local=local, query=request.query_string.decode("utf-8"), **_options())


@bp.route("/review.csv")
def review_csv():
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(FIELDS)
    for i in items():
        w.writerow([_safe("; ".join(i["why"]) if k == "why" else i[k]) for k in FIELDS])
    resp = Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")   # BOM: Excel reads UTF-8
    resp.headers["Content-Disposition"] = 'attachment; filename="review.csv"'
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _safe(v) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @, tab or CR at the start)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    v = "" if v is None else str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(\.\d+)?", v) else v

"""/search: places, indicators, targets and article titles whose label holds the words asked for,
as HTML or JSON (?format=json or Accept: application/json).

In: ?q= (words separated by spaces, each must occur; at most 100 characters). Out: hits grouped
by kind with their page links, through server/queries/search.rq on the pages' query pool.
"""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, render_template, request

from .lookup import _query, local, run_text

bp = Blueprint("search", __name__)
KINDS = (("place", "地点", "places"), ("indicator", "指标", "indicators"), ("target", "目标", "targets"),
         ("article", "文章", "articles"))
PER_KIND = 50


def _literal(word: str) -> str:
    """A SPARQL string literal of word (quotes, backslashes and control characters escaped)."""
    word = re.sub(r"[\x00-\x1f\x7f]", " ", word)
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search(q: str) -> dict[str, list[dict]]:
    words = [w.lower() for w in q.split() if w][:8]
    out: dict[str, list[dict]] = {k: [] for k, _, _ in KINDS}
    if not words:
        return out
    test = " && ".join(f"CONTAINS(LCASE(STR(?l)), {_literal(w)})" for w in words)
    for r in run_text(_query("search").replace("{FILTER}", f"FILTER ({test})")):
        hits = out.setdefault(r["kind"], [])
        if len(hits) < PER_KIND:
            hits.append({"label": r["label"], "en": r.get("en", ""), "year": r.get("year", ""),
                         "place": r.get("placeLabel", ""), "iri": r["s"], "url": local(r["s"])})
    return out


@bp.route("/search")
def search_page():
    q = (request.args.get("q") or "").strip()[:100]
    hits = search(q)
    wants_json = request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json")
    if wants_json:
        resp = jsonify({"q": q, "results": hits})
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp
    return render_template("search.html", q=q, hits=hits, kinds=KINDS, total=sum(len(v) for v in hits.values()))

"""Dereferenceable URIs: /id/… answers with HTML for browsers and RDF for machines.

Design: a URI answers 200 with the representation chosen by content negotiation (Vary: Accept)
and names the exact document in Content-Location (/id/…​.ttl, .jsonld, .nt, .rdf, .html), with a
Link rel="describedby"; no 303 round trip. The W3C TAG's 2012 httpRange-14 resolution allows a
200 for a URI that names a thing, and one request instead of two matters to harvesters and
browsers alike. Unknown URIs get 404.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from . import charts, labels, tracker
from .lookup import CONCEPTS, RUBRICS, iri_for, local, run
from ..errors import APIError

bp = Blueprint("entities", __name__)

PTKG = "https://w3id.org/ptkg/ns#"
SCHEMA = "https://schema.org/"
SUFFIX = {".ttl": "ttl", ".jsonld": "jsonld", ".nt": "nt", ".rdf": "rdfxml", ".html": "html"}
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
         "rdfxml": "application/rdf+xml"}


def _choose(suffix: str | None) -> str:
    if suffix:
        return SUFFIX[suffix]
    offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
              "application/json"]
    best = request.accept_mimetypes.best_match(offers, default="text/html")
    return {"text/html": "html", "application/json": "jsonld"}.get(best) or {v: k for k, v in MEDIA.items()}[best]


@bp.route("/id/<path:path>")
def resource(path: str) -> Response:
    m = re.search(r"\.(ttl|jsonld|nt|rdf|html)$", path)
    suffix = m.group(0) if m else None
    if suffix:
        path = path[: -len(suffix)]
    try:
        iri = iri_for(path)
        ox.NamedNode(iri)
    except ValueError:
        raise APIError(404, "no such resource") from None
    return resource_for(iri, None, suffix, "/id/" + path)


def resource_for(iri: str, html=None, suffix: str | None = None, path: str | None = None) -> Response:
    """IRI's representation by content negotiation: its page (html(iri), or the page for its
    types) or RDF. path: where the documents live (/id/…, /indicator/…)."""
    if path is None:
        path = local(iri)
        m = re.search(r"\.(ttl|jsonld|nt|rdf|html)$", path)
        if m:
            suffix, path = m.group(0), path[: -len(m.group(0))]
            iri = iri[: -len(m.group(0))]
    types = [r["type"] for r in run("types", iri)]
    if not types and not run("incoming", iri):
        raise APIError(404, f"no resource {iri} in this dataset")
    fmt = _choose(suffix)
    if fmt == "html":
        resp = Response(html(iri) if html else page(iri, types), content_type="text/html; charset=utf-8")
    else:
        body = run("describe", iri, kind="graph", fmt=fmt)
        mt = MEDIA[fmt]
        resp = Response(body, content_type=mt + ("" if mt == "application/ld+json" else "; charset=utf-8"))
        resp.headers["Access-Control-Allow-Origin"] = "*"
    doc = path + {"html": ".html", "ttl": ".ttl", "jsonld": ".jsonld", "nt": ".nt", "rdfxml": ".rdf"}[fmt]
    resp.headers["Content-Location"] = doc
    resp.headers["Link"] = f'<{path}.ttl>; rel="describedby"; type="text/turtle"'
    resp.headers["Vary"] = "Accept"
    return resp


# ---------------------------------------------------------------- HTML pages


def page(iri: str, types: list[str]) -> str:
    t = set(types)
    if PTKG + "Target" in t or PTKG + "RejectedReading" in t:
        return target_page(iri, rejected=PTKG + "RejectedReading" in t)
    if PTKG + "Place" in t:
        return place_page(iri)
    if PTKG + "Indicator" in t:
        return indicator_page(iri)
    if PTKG + "Article" in t:
        return article_page(iri)
    if PTKG + "Plan" in t:
        return plan_page(iri, types)
    return generic_page(iri, types)


def plan_page(iri: str, types: list[str]) -> str:
    """A plan named as a plan (place, year, the article that set it), with its targets and verdicts."""
    rows = run("plan", iri)
    if not rows:
        return generic_page(iri, types)
    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(r["t"], r)
    targets = list(seen.values())
    first = targets[0]
    years = sorted({r["year"] for r in targets if r.get("year")})
    props = [p for p in run("properties", iri) if not p["p"].endswith(("#type", "rdf-schema#label"))]
    from ..service import live
    return render_template("plan.html", iri=iri, targets=targets, place=first.get("place"), place_label=first.get("placeLabel"),
                           year=years[0] if len(years) == 1 else (f"{years[0]}–{years[-1]}" if years else ""),
                           title=first.get("title"), article=first.get("article"), issued=(first.get("issued") or "")[:10],
                           props=props, local=local, as_of=live.dataset().manifest.get("build_time", "")[:10])


def _number(r: dict) -> str:
    if r.get("min") is not None and r.get("max") is not None:
        return f"{r['min']}–{r['max']}"
    return r.get("value", "")


def _context(row: dict) -> tuple[str, str, str]:
    """The sentence around a span (ptkg:sentence), split into before / span / after."""
    anchor, sentence = row["anchor"], row.get("sentence") or row["anchor"]
    at = sentence.find(anchor)
    if at < 0:
        return "", anchor, ""
    return sentence[:at], anchor, sentence[at + len(anchor):]


def target_page(iri: str, rejected: bool = False) -> str:
    rows = run("target", iri)
    if not rows:
        return generic_page(iri, [PTKG + ("RejectedReading" if rejected else "Target")])
    r = rows[0]
    evidence = [dict(e, ctx=_context(e)) for e in run("evidence", iri)]
    status = (run("status", iri) or [None])[0]
    outcomes = [dict(o, ctx=_context(o), number=_number(o))
                for o in run("outcomes", iri)]
    corrections = run("corrections", iri)
    reading = (run("reading", iri) or [None])[0] if corrections else None
    progress = run("progress", iri)
    from ..service import live
    return render_template("target.html", iri=iri, r=r, number=_number(r), evidence=evidence, local=local,
                           status=status, outcomes=outcomes, corrections=corrections, reading=reading, rejected=rejected,
                           progress=progress, as_of=live.dataset().manifest.get("build_time", "")[:10])


def place_page(iri: str) -> str:
    props = run("properties", iri)
    name = next((p["o"] for p in props if p["p"].endswith("rdf-schema#label") and not re.search(r"[A-Za-z]", p["o"])),
                iri)
    rows = run("place", iri)
    plans: dict[str, dict] = {}
    for r in rows:
        plan = plans.setdefault(r["plan"], {"label": r["planLabel"], "areas": {}, "title": r.get("title", ""),
                                            "issued": (r.get("issued") or "")[:10], "year": r.get("planYear") or r.get("year")})
        key = (int(r.get("order", 0) or 0), r.get("areaLabel") or "（未分领域）")
        plan["areas"].setdefault(key, []).append(r)
    by_year: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for r in rows:
        by_year[r.get("year", "?")] = by_year.get(r.get("year", "?"), 0) + 1
        kind = labels.code_text(r["kind"])
        by_kind[kind] = by_kind.get(kind, 0) + 1
    chart = charts.bars([(f"{y}年", n) for y, n in sorted(by_year.items())], title="各年目标数 · targets per year")
    chart_kind = charts.bars(sorted(by_kind.items()), title="目标类别 · targets by kind")
    from . import scorecard
    score_rows = scorecard._rows(iri)
    counts = scorecard.tables(score_rows)["places"]
    cols = scorecard._columns(score_rows)
    scores = [(c, zh, en, counts[0]["counts"].get(c, 0)) for c, zh, en in cols] if counts else []
    return render_template("place.html", iri=iri, name=name, props=props, plans=plans, chart=chart,
                           chart_kind=chart_kind, total=len(rows), local=local, scores=scores)


def indicator_page(iri: str) -> str:
    props = run("properties", iri)
    label = next((p["o"] for p in props if p["p"].endswith("core#prefLabel") and not re.search(r"[A-Za-z]{3}", p["o"])),
                 next((p["o"] for p in props if p["p"].endswith("core#prefLabel")), iri))
    label_en = next((p["o"] for p in props if p["p"].endswith("core#prefLabel") and re.search(r"[A-Za-z]{3}", p["o"])), "")
    direction = next((p["o"].rsplit("#", 1)[-1] for p in props if p["p"].endswith("#desiredDirection")), None)
    place = request.args.get("place")
    rows = run("indicator", iri)
    tracked = tracker.rows(place=place, indicator=iri, status="all")
    return render_template("indicator.html", iri=iri, label=label, label_en=label_en, direction=direction, props=props,
                           rows=rows, number=_number, local=local, PTKG=PTKG,
                           charts=tracker.charts_for(tracked, run("indicator-progress", iri)),
                           place=place)


def article_page(iri: str) -> str:
    props = run("properties", iri)
    text = next((p["o"] for p in props if p["p"].endswith("nif-core#isString")), "")
    title = next((p["o"] for p in props if p["p"].endswith("/title")), iri)
    spans = run("article", iri)
    priority = {PTKG + "Target": 0, PTKG + "Observation": 1, PTKG + "Program": 2, PTKG + "Organization": 2,
                PTKG + "Event": 2, SCHEMA + "Person": 2, PTKG + "FocusArea": 3}
    chosen: list[dict] = []
    for s in sorted(spans, key=lambda s: (priority.get(s["type"], 9), int(s["begin"]))):
        b, e = int(s["begin"]), int(s["end"])
        if all(e <= int(c["begin"]) or b >= int(c["end"]) for c in chosen):
            chosen.append(s)
    chosen.sort(key=lambda s: int(s["begin"]))
    pieces, pos = [], 0
    for s in chosen:
        b, e = int(s["begin"]), int(s["end"])
        pieces.append(("text", text[pos:b], None))
        pieces.append((s["type"].rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower(), text[b:e], s))
        pos = e
    pieces.append(("text", text[pos:], None))
    meta = [p for p in props if not p["p"].endswith("nif-core#isString")]
    retrieval = next(iter(run("retrieval", iri)), None)
    return render_template("article.html", iri=iri, title=title, pieces=pieces, meta=meta, local=local, retrieval=retrieval,
                           counts={k: sum(1 for s in chosen if s["type"].endswith(k)) for k in ("Target", "Observation")})


def generic_page(iri: str, types: list[str]) -> str:
    return render_template("resource.html", iri=iri, types=types, props=run("properties", iri),
                           incoming=run("incoming", iri), local=local)


@bp.route("/indicator/<slug>")
def concept(slug: str):
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise APIError(404, "no such indicator")
    try:
        return resource_for(CONCEPTS + slug, indicator_page)
    except APIError as e:
        if e.code != 404:
            raise
        from .indicators import empty_concept_page
        page_ = empty_concept_page(CONCEPTS + slug)
        if page_ is None:
            raise
        return Response(page_, content_type="text/html; charset=utf-8")


@bp.route("/rubric/<name>/<version>")
def rubric(name: str, version: str):
    """A rule that decides statuses, one version (ontology/rubrics.ttl): its page or its RDF."""
    m = re.fullmatch(r"([1-9][0-9]*)(\.(?:ttl|jsonld|nt|rdf|html))?", version)
    if not re.fullmatch(r"[a-z]+", name) or not m:
        raise APIError(404, "no such rubric")
    return resource_for(f"{RUBRICS}{name}/{m.group(1)}", None, m.group(2), f"/rubric/{name}/{m.group(1)}")

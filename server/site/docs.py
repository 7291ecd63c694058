"""The ontology and the validation report, by content negotiation (HTML for people, RDF for machines)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from ..service import live
from .downloads import send_dist_file
from ..errors import APIError

bp = Blueprint("docs", __name__)


def negotiate(offers: dict[str, str], default: str) -> str:
    """The file to send for the request's Accept header (or ?format=)."""
    fmt = request.args.get("format")
    if fmt:
        by_ext = {name.rsplit(".", 1)[-1]: name for name in offers.values()}
        if fmt not in by_ext:
            raise APIError(400, f"format {fmt!r} is not offered here; choose one of {', '.join(sorted(by_ext))}")
        return by_ext[fmt]
    best = request.accept_mimetypes.best_match(list(offers), default=default)
    return offers[best]


def negotiated_file(offers: dict[str, str], default: str) -> Response:
    """One of several files of dist/, chosen by the Accept header (or ?format=)."""
    name = negotiate(offers, default)
    resp = send_dist_file(name)
    resp.headers["Vary"] = "Accept"
    resp.headers["Content-Location"] = "/" + name
    return resp


@bp.route("/ontology")
def ontology() -> Response:
    offers = {"text/html": "ontology.html", "text/turtle": "ontology.ttl",
              "application/ld+json": "ontology.jsonld", "application/json": "ontology.jsonld"}
    if negotiate(offers, "text/html") != "ontology.html":
        return negotiated_file(offers, "text/html")
    contents, body = _lode(live.dataset().path / "ontology.html")
    resp = Response(render_template("ontology.html", contents=Markup(contents), body=Markup(body)),
                    content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


@lru_cache(maxsize=4)
def _lode(path: Path) -> tuple[str, str]:
    """pyLODE's page (dist/ontology.html, standalone) cut into its table of contents and its
    content, to show inside the site's frame; its fixed side panels and badge are left out."""
    html = path.read_text(encoding="utf-8")
    start, badge, toc = html.find('<div id="content">'), html.find('<div id="pylode">'), html.find('<div id="toc">')
    if min(start, badge, toc) < 0:
        return "", html[html.find("<body>") + 6: html.rfind("</body>")]
    return html[toc + len('<div id="toc">'): html.rfind("</div>", toc, html.rfind("</body>"))], html[start:badge]


@bp.route("/shapes")
def shapes() -> Response:
    if negotiate({"text/html": "shapes.html", "text/turtle": "shapes.ttl"}, "text/html") == "shapes.ttl":
        resp = send_dist_file("shapes.ttl")
    else:
        kg = live.dataset()
        text = (kg.path / "shapes.ttl").read_text(encoding="utf-8") if kg.file("shapes.ttl") else ""
        if not text:
            raise APIError(404, "this build has no shapes.ttl; rebuild the dataset")
        resp = Response(render_template("shapes.html", text=text), content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/validation")
def validation() -> Response:
    name = negotiate({"text/html": "validation.html", "text/turtle": "validation.ttl", "text/plain": "validation.txt"},
                     "text/html")
    if name == "validation.html":
        kg = live.dataset()
        text = (kg.path / "validation.txt").read_text(encoding="utf-8")
        resp = Response(render_template("validation.html", m=kg.manifest, report=text),
                        content_type="text/html; charset=utf-8")
    else:
        resp = send_dist_file(name)
    resp.headers["Vary"] = "Accept"
    return resp

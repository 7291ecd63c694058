"""The ontology and the validation report, by content negotiation (HTML for people, RDF for machines)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from . import live
from .downloads import send_dist_file
from .errors import APIError

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
    return negotiated_file({"text/html": "ontology.html", "text/turtle": "ontology.ttl",
                            "application/ld+json": "ontology.jsonld", "application/json": "ontology.jsonld"}, "text/html")


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

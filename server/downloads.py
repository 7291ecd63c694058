"""Downloads: the dump files of dist/ with their media types, ETag and Last-Modified."""

from __future__ import annotations

from flask import Blueprint, Response, request, send_file

from . import live
from .errors import APIError

bp = Blueprint("downloads", __name__)

def send_dist_file(name: str) -> Response:
    """A file of dist/ with the media type the manifest records."""
    info = live.dataset().file(name)
    if info is None:
        raise APIError(404, f"{name} is not part of this build")
    return _send(name, info["media_type"])


def _send(name: str, media_type: str) -> Response:
    kg = live.dataset()
    path = kg.path / name
    if not path.is_file():
        raise APIError(404, f"{name} is not part of this build")
    # Flask adds the charset to text/* itself; N-Triples is UTF-8 by definition but say so
    mt = media_type + ("; charset=utf-8" if media_type == "application/n-triples" else "")
    resp = send_file(path.resolve(), mimetype=mt, conditional=True, etag=False, max_age=300)
    info = kg.file(name)
    if info:
        resp.set_etag(info["sha256"][:32])
        resp.make_conditional(request)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@bp.route("/<any('dataset.ttl','dataset.nt','dataset.jsonld','dataset.trig','dataset.nq','targets.csv','validation.ttl','validation.txt',"
          "'ontology.ttl','ontology.jsonld','ontology.html'):name>")
def dump(name: str) -> Response:
    return send_dist_file(name)


@bp.route("/manifest.json")
def manifest() -> Response:
    return _send("manifest.json", "application/json")

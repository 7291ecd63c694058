"""What portals and crawlers read: the DCAT-AP catalog, VoID, robots.txt, sitemap.xml, and the
canned example queries as stable resources (/queries/NAME.csv, .json, .ttl …)."""

from __future__ import annotations

import json
import struct
import zlib
from xml.sax.saxutils import escape

from flask import Blueprint, Response, redirect, render_template, request
from werkzeug.http import is_resource_modified

from ..service import live
from ..service.canned import answer_form, examples
from .docs import negotiated_file
from ..service.engine import QueryFailed, cache_key
from ..errors import APIError

bp = Blueprint("portal", __name__)
RESULT_SET = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


CATALOG = {"text/turtle": "catalog.ttl", "application/ld+json": "catalog.jsonld", "application/rdf+xml": "catalog.rdf",
           "application/json": "catalog.jsonld"}


@bp.route("/catalog")
def catalog() -> Response:
    return negotiated_file(CATALOG, "text/turtle")


@bp.route("/.well-known/void")
def void() -> Response:
    """The catalog describes the dataset as a void:Dataset too (triples, endpoint, dumps, vocabularies)."""
    return negotiated_file(CATALOG, "text/turtle")


@bp.route("/robots.txt")
def robots() -> Response:
    return Response(f"User-agent: *\nAllow: /\nDisallow: /sparql?\nSitemap: {request.host_url}sitemap.xml\n",
                    content_type="text/plain; charset=utf-8")


def _icon_png(size: int = 32) -> bytes:
    """A target (concentric rings, dark blue on white) as a PNG, drawn here: no binary in the repo."""
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])                                   # PNG filter: none
        for x in range(size):
            d = ((x - c) ** 2 + (y - c) ** 2) ** 0.5 / (size / 2)
            ring = d < 0.22 or 0.42 < d < 0.62 or 0.8 < d <= 1.0
            row += bytes((31, 58, 110, 255)) if ring else bytes((255, 255, 255, 255 if d <= 1.0 else 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _icon_ico(size: int = 32) -> bytes:
    """The PNG in an ICO container (one image), as /favicon.ico is asked for by browsers and crawlers."""
    png = _icon_png(size)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), 22) + png


ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><g fill="none" stroke="#1f3a6e">'
            '<circle cx="16" cy="16" r="14.4" stroke-width="2.9"/><circle cx="16" cy="16" r="8.3" stroke-width="3.2"/>'
            '</g><circle cx="16" cy="16" r="3.5" fill="#1f3a6e"/></svg>\n')


@bp.route("/favicon.ico")
def favicon() -> Response:
    resp = Response(_icon_ico(), content_type="image/vnd.microsoft.icon")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


@bp.route("/favicon.svg")
def favicon_svg() -> Response:
    resp = Response(ICON_SVG, content_type="image/svg+xml")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    kg = live.dataset()
    base = kg.manifest["base"].rstrip("/") + "/"
    q = ("SELECT DISTINCT ?s WHERE { ?s a ?t FILTER (STRSTARTS(STR(?s), \"" + base + "id/\") "
         "&& !CONTAINS(STR(?s), \"#\")) } ORDER BY ?s LIMIT 49000")
    try:
        ans = live.pages_pool().run(q, [], [], "json", "ttl", cache_key=cache_key(kg.version, q))
    except QueryFailed as e:
        raise APIError(e.status, e.message, e.retry_after) from None
    urls = [request.host_url, request.host_url + "sparql", request.host_url + "ontology", request.host_url + "catalog"]
    urls += [request.host_url + b["s"]["value"][len(base):] for b in json.loads(ans.body)["results"]["bindings"]]
    lastmod = kg.manifest["build_time"][:10]
    body = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{escape(u)}</loc><lastmod>{lastmod}</lastmod></url>" for u in urls]
    body.append("</urlset>\n")
    return Response("\n".join(body), content_type="application/xml; charset=utf-8")


@bp.route("/queries/")
def query_index():
    return Response(render_template("queries.html", examples=examples()), content_type="text/html; charset=utf-8")


@bp.route("/queries/<name>.<ext>")
def canned(name: str, ext: str) -> Response:
    ex = next((e for e in examples() if e["name"] == name), None)
    if ex is None:
        raise APIError(404, f"no example query named {name!r}")
    if name == "targets" and ext == "csv":       # one targets CSV: the query's rows, one per target
        return redirect("/targets.csv", code=308)
    if ext == "rq":
        return Response(ex["query"], content_type="application/sparql-query; charset=utf-8")
    fmts = {"json": ("json", "application/sparql-results+json"), "csv": ("csv", "text/csv; charset=utf-8"),
            "tsv": ("tsv", "text/tab-separated-values; charset=utf-8"),
            "xml": ("xml", "application/sparql-results+xml; charset=utf-8"), "ttl": ("json", "text/turtle; charset=utf-8")}
    if ext not in fmts:
        raise APIError(404, f"no .{ext} form; use .rq, .json, .csv, .tsv, .xml or .ttl")
    kg = live.dataset()
    fmt, ctype = fmts[ext]
    etag = cache_key(kg.version, name, ext)[:32]
    if not is_resource_modified(request.environ, etag=etag, last_modified=kg.last_modified):   # before deriving
        resp = Response(status=304)
        resp.set_etag(etag)
        resp.headers["Last-Modified"] = kg.last_modified
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp
    body = answer_form(kg.path / "queries", name, fmt, kg.version)   # evaluated at build time (complete)
    if body is not None:
        if ext == "ttl":
            body = result_set_turtle(json.loads(body))
    else:                                                     # an older build, or not a SELECT
        try:
            ans = live.pages_pool().run(ex["query"], [], [], fmt, "ttl",
                                        cache_key=cache_key(kg.version, ex["query"], fmt))
        except QueryFailed as e:
            raise APIError(e.status, e.message, e.retry_after) from None
        body = ans.body
        if ext == "ttl":
            body = ans.body if ans.kind == "graph" else result_set_turtle(json.loads(ans.body))
    resp = Response(body, content_type=ctype)
    resp.set_etag(etag)
    resp.headers["Last-Modified"] = kg.last_modified
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp.make_conditional(request)


def result_set_turtle(doc: dict) -> bytes:
    """SELECT results as RDF, in the W3C result-set vocabulary (rs:ResultSet). rdflib is imported
    here, not with the module: a server answers its first request without loading it."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD
    RS = Namespace(RESULT_SET)
    g = Graph()
    g.bind("rs", RS)
    rs = BNode("results")
    g.add((rs, RDF.type, RS.ResultSet))
    for v in doc["head"]["vars"]:
        g.add((rs, RS.resultVariable, Literal(v)))
    for i, b in enumerate(doc["results"]["bindings"]):
        sol = BNode(f"s{i}")
        g.add((rs, RS.solution, sol))
        g.add((sol, RS["index"], Literal(i + 1, datatype=XSD.integer)))
        for var, t in b.items():
            bnd = BNode(f"s{i}-{var}")
            g.add((sol, RS.binding, bnd))
            g.add((bnd, RS.variable, Literal(var)))
            if t["type"] == "uri":
                val = URIRef(t["value"])
            elif t["type"] == "bnode":
                val = BNode(t["value"])
            else:
                val = Literal(t["value"], lang=t.get("xml:lang"), datatype=t.get("datatype"))
            g.add((bnd, RS.value, val))
    return g.serialize(format="turtle", encoding="utf-8")

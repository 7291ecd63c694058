"""SPARQL 1.1 Protocol endpoint (query only) and its service description.

Queries run in worker processes (engine.QueryPool) with a hard timeout and a row cap. SERVICE is
refused unless KG_ALLOW_SERVICE is set; updates are refused always.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from . import live, sparqlhelp, sparqltext
from .engine import QueryFailed, cache_key
from ..errors import APIError
from .canned import canned_answer

bp = Blueprint("sparql", __name__)

RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml"}
ALIASES = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt", "rdf": "rdfxml",
           "rdf+xml": "rdfxml", "srj": "json", "srx": "xml"}
NO_CHARSET = {"application/sparql-results+json", "application/ld+json"}     # JSON is UTF-8 by definition
CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
        ("Access-Control-Allow-Headers", "Content-Type, Accept"),
        ("Access-Control-Expose-Headers", "ETag, KG-Result-Rows, KG-Result-Truncated, KG-Query-Hint, Warning")]
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise APIError(400, f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _graphs(iris: list[str]) -> list[str]:
    """default-graph-uri / named-graph-uri values: each must be an absolute IRI (else 400)."""
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise APIError(400, f"default-graph-uri / named-graph-uri must be absolute IRIs; got {iri!r}") from None
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            raise APIError(400, f"default-graph-uri / named-graph-uri must be absolute IRIs; got {iri!r}")
    return iris


def read_request() -> tuple[str | None, list[str], list[str]]:
    """The query text and dataset IRIs of a SPARQL 1.1 Protocol request (GET, POST form, POST direct)."""
    if "update" in request.args or "update" in request.form:
        raise APIError(400, READ_ONLY)
    dgs = request.args.getlist("default-graph-uri")
    ngs = request.args.getlist("named-graph-uri")
    if request.method in ("GET", "HEAD"):
        return _one(request.args.getlist("query"), "query"), _graphs(dgs), _graphs(ngs)
    ctype = (request.mimetype or "").lower()
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise APIError(400, f"the request body must be UTF-8, not {charset}")
    if ctype == "application/x-www-form-urlencoded":
        if request.args.getlist("query"):
            raise APIError(400, "a form POST carries the query in its body, not in the URL")
        return (_one(request.form.getlist("query"), "query"),
                _graphs(dgs + request.form.getlist("default-graph-uri")), _graphs(ngs + request.form.getlist("named-graph-uri")))
    if ctype == "application/sparql-query":
        if request.args.getlist("query"):
            raise APIError(400, "a direct POST carries the query in its body, not also in the URL")
        try:
            return request.get_data(cache=False).decode("utf-8"), _graphs(dgs), _graphs(ngs)
        except UnicodeDecodeError:
            raise APIError(400, "the query body is not valid UTF-8") from None
    if ctype == "application/sparql-update":
        raise APIError(400, READ_ONLY)
    raise APIError(400, f"unsupported Content-Type {ctype or '(none)'!r}: use application/x-www-form-urlencoded "
                        "or application/sparql-query")


def _formats() -> tuple[str, str, bool]:
    """(results format, graph format, wants HTML) from ?format= or the Accept header."""
    values = request.args if request.method == "GET" else request.values     # as request.values reads a GET
    return _negotiate(values.get("format") or request.args.get("output"), request.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _negotiate(fmt: str | None, accept_header: str) -> tuple[str, str, bool]:
    """_formats' answer, a function of the format parameter and the Accept header only (cached:
    clients send the same few headers over and over)."""
    if fmt:
        fmt = ALIASES.get(fmt.lower(), fmt.lower())
        if fmt == "html":
            return "json", "ttl", True
        if fmt in RESULT_TYPES:
            return fmt, "ttl" if fmt != "xml" else "rdfxml", False
        if fmt in GRAPH_TYPES:
            return "json", fmt, False
        raise APIError(400, f"unknown format {fmt!r}; choose one of {', '.join(list(RESULT_TYPES) + list(GRAPH_TYPES))}")
    accept = parse_accept_header(accept_header, MIMEAccept)
    r_offers = list(RESULT_TYPES.values()) + ["application/json", "application/xml", "text/plain", "text/html"]
    g_offers = list(GRAPH_TYPES.values()) + ["application/json", "application/xml", "text/plain", "text/html"]
    r_best = accept.best_match(r_offers, default=r_offers[0])
    g_best = accept.best_match(g_offers, default=g_offers[0])
    html = r_best == "text/html" and accept["text/html"] > accept["application/sparql-results+json"]
    by_r = {v: k for k, v in RESULT_TYPES.items()} | {"application/json": "json", "application/xml": "xml",
                                                      "text/plain": "tsv", "text/html": "json"}
    by_g = {v: k for k, v in GRAPH_TYPES.items()} | {"application/json": "jsonld", "application/xml": "rdfxml",
                                                     "text/plain": "nt", "text/html": "ttl"}
    return by_r[r_best], by_g[g_best], html


SD = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    rdfs:comment "The default graph is the union of all named graphs (one per article, the shared nodes, the links and the ontology), stored as such; GRAPH ?g names where a triple came from." ;
    sd:resultFormat formats:SPARQL_Results_JSON , formats:SPARQL_Results_XML , formats:SPARQL_Results_CSV ,
        formats:SPARQL_Results_TSV , formats:Turtle , formats:N-Triples , formats:JSON-LD , formats:RDF_XML ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples "{triples}"^^xsd:integer ]
    ] ;
    rdfs:seeAlso <{endpoint}#prefixes> .

<{endpoint}#prefixes> rdfs:comment "Prefixes every query may use without declaring them (a query's own PREFIX wins)." ;
{declarations} .
"""


def _service_description() -> Response:
    kg = live.dataset()
    declarations = " ;\n".join(f'    sh:declare [ sh:prefix "{p}" ; sh:namespace "{ns}"^^xsd:anyURI ]'
                               for p, ns in sparqlhelp.PREFIXES.items())
    resp = Response(SD.format(endpoint=request.base_url, triples=kg.manifest.get("endpoint_triples", kg.manifest["triples"]),
                              declarations=declarations),
                    content_type="text/turtle; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


def refusal(query: str, cfg) -> APIError | None:
    """Why the endpoint refuses QUERY before it runs (empty, too long, an update, too deep, SERVICE)
    under the settings CFG, or None: the one list of checks both /sparql paths apply."""
    if not query.strip():
        return APIError(400, "the query is empty")
    if len(query.encode("utf-8")) > int(cfg["KG_MAX_QUERY_BYTES"]):
        return APIError(413, f"the query is longer than {cfg['KG_MAX_QUERY_BYTES']} bytes")
    if sparqltext.looks_like_update(query):
        return APIError(400, READ_ONLY)
    if sparqltext.deeper_than(query, int(cfg["KG_MAX_QUERY_DEPTH"])):
        return APIError(400, f"the query nests deeper than {cfg['KG_MAX_QUERY_DEPTH']} levels (the limit: "
                             "KG_MAX_QUERY_DEPTH; brackets, function calls, unary operators, each operator of a "
                             "chain and path operators all count); write it flatter")
    if not cfg["KG_ALLOW_SERVICE"] and sparqltext.uses_service(query):
        return APIError(400, "SERVICE (federated query) is disabled on this endpoint: it would make the server "
                             "send requests to other hosts. The word is refused in strings and comments too; "
                             "to search for it, write REGEX(?text, \"servic[e]\", \"i\")")
    return None


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, dgs, ngs = read_request()
    if query is None:
        if request.method == "POST":
            raise APIError(400, "no query: send a 'query' parameter or an application/sparql-query body")
        accept = request.accept_mimetypes
        editor = current_app.extensions.get("kg_query_page")      # the site's editor page, when there is a site
        if editor and accept["text/html"] > max(accept["text/turtle"], accept["application/rdf+xml"]):
            return Response(editor(), content_type="text/html; charset=utf-8")
        return _service_description()
    cfg = current_app.config
    refused = refusal(query, cfg)
    if refused is not None:
        raise refused
    rfmt, gfmt, html = _formats()
    kg = live.dataset()
    base = request.base_url
    key = cache_key(kg.version, query, dgs, ngs, rfmt, gfmt, base)
    etag = key[:32]
    if request.if_none_match.contains(etag) and not html:
        resp = Response(status=304)
        resp.set_etag(etag)
        return resp
    prepared = request.environ.get("kg.prepared")       # what server/service/direct.py computed
    if prepared is not None and prepared[0] == key:
        if isinstance(prepared[1], QueryFailed):
            raise APIError(prepared[1].status, prepared[1].message, prepared[1].retry_after)
        if isinstance(prepared[1], Exception):
            raise prepared[1]
        answer = prepared[1]
    else:
        answer = None if dgs or ngs else canned_answer(query, rfmt, int(cfg["KG_MAX_ROWS"]))
    if answer is None:
        with per_client(request.remote_addr or "", int(cfg["KG_CLIENT_QUERIES"])):
            try:
                answer = live.pool().run(query, dgs, ngs, rfmt, gfmt, cache_key=key, base_iri=base)
            except QueryFailed as e:
                raise APIError(e.status, e.message, e.retry_after) from None
    hints = sparqlhelp.hints(query)
    if html:
        resp = _html(answer, hints)
    else:
        mt = GRAPH_TYPES[answer.fmt] if answer.kind == "graph" else RESULT_TYPES[answer.fmt]
        resp = Response(answer.body, content_type=mt if mt in NO_CHARSET else mt + "; charset=utf-8")
        resp.set_etag(etag)
        resp.headers["Last-Modified"] = kg.last_modified
        resp.headers["Cache-Control"] = "no-cache"
    resp.headers["Vary"] = "Accept, Accept-Encoding"
    resp.headers["KG-Result-Rows"] = str(answer.rows)
    for name, value in warnings(answer, hints, int(cfg["KG_MAX_ROWS"])):
        resp.headers.add(name, value)
    return resp


def warnings(answer, hints: list[str], max_rows: int) -> list[tuple[str, str]]:
    """The headers that say an answer was cut at the row cap, and the hints (valid SPARQL that
    matches nothing by a newcomer's mistake: sparqlhelp.hints), each also as a Warning."""
    out, said = [], []
    if answer.truncated:
        out.append(("KG-Result-Truncated", f"true; limit={max_rows}"))
        said.append(f'199 kgserve "result cut at {max_rows} rows"')
    for h in hints:
        h = h.encode("ascii", "backslashreplace").decode("ascii")
        out.append(("KG-Query-Hint", h))
        said.append('199 kgserve "' + h.replace('"', "'") + '"')
    if said:
        out.append(("Warning", ", ".join(said)))
    return out


_running: dict[str, int] = {}
_running_lock = threading.Lock()


@contextmanager
def per_client(client: str, limit: int):
    """At most LIMIT queries running or waiting for a worker per client address (else 429), so
    that one client cannot take every worker and every query thread."""
    with _running_lock:
        if limit > 0 and _running.get(client, 0) >= limit:
            raise APIError(429, f"this client already has {limit} queries running or waiting; "
                                "wait for one to finish", retry_after=2)
        _running[client] = _running.get(client, 0) + 1
    try:
        yield
    finally:
        with _running_lock:
            _running[client] -= 1
            if not _running[client]:
                del _running[client]


def _html(answer, hints: list[str]) -> Response:
    ctx = {"boolean": None, "variables": None, "rows": None, "graph": None, "truncated": answer.truncated,
           "limit": current_app.config["KG_MAX_ROWS"], "hints": hints}
    if answer.kind == "graph":
        ctx["graph"] = answer.body.decode("utf-8")
    else:
        doc = json.loads(answer.body)
        if answer.kind == "boolean":
            ctx["boolean"] = doc["boolean"]
        else:
            ctx["variables"] = doc["head"]["vars"]
            ctx["rows"] = [[b.get(v, {}).get("value", "") for v in ctx["variables"]] for b in doc["results"]["bindings"]]
    return Response(render_template("results.html", **ctx), content_type="text/html; charset=utf-8")


@bp.after_request
def cors(resp: Response) -> Response:
    for name, value in CORS:
        resp.headers[name] = value
    return resp

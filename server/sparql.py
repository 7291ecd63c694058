"""SPARQL 1.1 Protocol endpoint (query only) and its service description."""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from .errors import APIError

bp = Blueprint("sparql", __name__)

RESULT_FORMATS = {   # name → (media type, pyoxigraph format) for SELECT and ASK
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS = {    # for CONSTRUCT and DESCRIBE
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
ALIASES = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt", "rdf": "rdfxml",
           "srj": "json", "srx": "xml", "html": "html"}


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise APIError(400, f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def read_request() -> tuple[str | None, list[str], list[str]]:
    """The query text and dataset IRIs of a SPARQL 1.1 Protocol request (GET, POST form, POST direct)."""
    if "update" in request.args or "update" in request.form:
        raise APIError(400, "this endpoint is read-only: SPARQL Update is not accepted")
    dgs = request.args.getlist("default-graph-uri")
    ngs = request.args.getlist("named-graph-uri")
    if request.method == "GET":
        return _one(request.args.getlist("query"), "query"), dgs, ngs
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        if request.args.getlist("query"):
            raise APIError(400, "a form POST carries the query in its body, not in the URL")
        return (_one(request.form.getlist("query"), "query"),
                dgs + request.form.getlist("default-graph-uri"), ngs + request.form.getlist("named-graph-uri"))
    if ctype == "application/sparql-query":
        if request.args.getlist("query"):
            raise APIError(400, "a direct POST carries the query in its body, not also in the URL")
        try:
            return request.get_data(cache=False).decode("utf-8"), dgs, ngs
        except UnicodeDecodeError:
            raise APIError(400, "the query body is not valid UTF-8") from None
    if ctype == "application/sparql-update":
        raise APIError(400, "this endpoint is read-only: SPARQL Update is not accepted")
    raise APIError(400, f"unsupported Content-Type {ctype or '(none)'!r}: use application/x-www-form-urlencoded "
                        "or application/sparql-query")


def _iri(s: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(s)
    except ValueError:
        raise APIError(400, f"not a valid IRI: {s!r}") from None


UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*"
                    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


def execute(query: str, dgs: list[str], ngs: list[str]):
    kg = current_app.extensions["kg"]
    kwargs = {}
    if dgs:
        kwargs["default_graph"] = [_iri(g) for g in dgs]
    if ngs:
        kwargs["named_graphs"] = [_iri(g) for g in ngs]
    try:
        return kg.store.query(query, **kwargs)
    except SyntaxError as e:
        if UPDATE.match(query):
            raise APIError(400, "this endpoint is read-only: SPARQL Update is not accepted") from None
        raise APIError(400, f"malformed query: {e}") from None
    except OSError as e:
        raise APIError(500, f"the query failed: {e}") from None


def _choose(kind: str) -> str:
    fmt = request.values.get("format") or request.args.get("output")
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if fmt:
        fmt = ALIASES.get(fmt.lower(), fmt.lower())
        if fmt != "html" and fmt not in table:
            raise APIError(400, f"format {fmt!r} does not fit this query; choose one of {', '.join(table)}")
        return fmt
    offers = [mt for mt, _ in table.values()] + ["application/json", "application/xml", "text/plain", "text/html"]
    best = request.accept_mimetypes.best_match(offers, default=offers[0])
    if best == "text/html":
        return "html"
    by_type = {mt: name for name, (mt, _) in table.items()}
    by_type.update({"application/json": "json" if kind == "results" else "jsonld",
                    "application/xml": "xml" if kind == "results" else "rdfxml",
                    "text/plain": "tsv" if kind == "results" else "nt"})
    return by_type[best]


def respond(result) -> Response:
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        fmt = _choose("results")
        if fmt == "html":
            return _html(result)
        mt, oxf = RESULT_FORMATS[fmt]
        body = result.serialize(format=oxf)
    else:
        fmt = _choose("graph")
        if fmt == "html":
            return _html(result)
        mt, oxf = GRAPH_FORMATS[fmt]
        body = result.serialize(format=oxf)
    charset = "" if mt in ("application/sparql-results+json", "application/ld+json") else "; charset=utf-8"
    resp = Response(body, content_type=mt + charset)
    resp.headers["Vary"] = "Accept"
    return resp


def _term(t) -> str:
    return "" if t is None else t.value


def _html(result) -> Response:
    if isinstance(result, ox.QueryBoolean):
        html = render_template("results.html", boolean=bool(result), variables=None, rows=None, graph=None)
    elif isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_term(s[v]) for v in variables] for s in result]
        html = render_template("results.html", boolean=None, variables=variables, rows=rows, graph=None)
    else:
        html = render_template("results.html", boolean=None, variables=None, rows=None,
                               graph=result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8"))
    resp = Response(html, content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


SD = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat formats:SPARQL_Results_JSON , formats:SPARQL_Results_XML , formats:SPARQL_Results_CSV ,
        formats:SPARQL_Results_TSV , formats:Turtle , formats:N-Triples , formats:JSON-LD , formats:RDF_XML ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples "{triples}"^^xsd:integer ]
    ] .
"""


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, dgs, ngs = read_request()
    if query is None:
        if request.method == "GET" and request.accept_mimetypes.best_match(["text/turtle", "text/html"]) == "text/html" \
                and request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/turtle"]:
            return Response(render_template("sparql.html"), content_type="text/html; charset=utf-8")
        if request.method == "POST":
            raise APIError(400, "no query: send a 'query' parameter or an application/sparql-query body")
        kg = current_app.extensions["kg"]
        body = SD.format(endpoint=request.base_url, triples=kg.manifest["triples"])
        resp = Response(body, content_type="text/turtle; charset=utf-8")
        resp.headers["Vary"] = "Accept"
        return resp
    if not query.strip():
        raise APIError(400, "the query is empty")
    return respond(execute(query, dgs, ngs))


@bp.after_request
def cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    return resp

"""The /sparql fast path: an ordinary query (GET, form POST, direct POST) answered without Flask's dispatch.

Most of a unique lookup's time in the serving process was Flask's (the request and app contexts,
routing, the request object's parsing, the Response object and the after-request hooks), not the
query's. A GET /sparql whose parameters are one `query` (and at most one `format` or `output`), a
form POST with those in its body or a direct POST (application/sparql-query) with nothing in its
URL, with no conditional header and no dataset IRIs, is answered here, with the same checks, the same
cache key, the same query pool and the same status, headers and body as server/service/sparql.py
gives (tests/test_sparql_direct.py compares the two byte for byte). Every other request, and every
request that would not be a plain 200 (a refused query, a failed one, HTML wanted, a body to
compress), goes on to Flask; what was computed here travels with it in the WSGI environment
(kg.prepared), so the query is never run twice and its failure is rendered as before.
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import parse_qsl

from werkzeug.http import quote_etag
from werkzeug.wsgi import get_current_url

from . import sparqlhelp
from .canned import canned_answer
from .engine import cache_key
from ..errors import APIError

ALLOWED = {"query", "format", "output"}
# the POST bodies answered here, by their Content-Type (any other, or other parameters: Flask's path)
POSTS = {"application/sparql-query": "query", "application/sparql-query; charset=utf-8": "query",
         "application/x-www-form-urlencoded": "form", "application/x-www-form-urlencoded; charset=utf-8": "form"}
COMPRESS_MIN = 1024                     # flask-compress' COMPRESS_MIN_SIZE as server/__init__.py sets it


class DirectSparql:
    """WSGI middleware in front of the Flask app (inside the response cache and the version binding)."""

    def __init__(self, app, config: dict):
        from . import sparql
        self.app, self.sparql = app, sparql
        self.config = config
        self.max_bytes = int(config["KG_MAX_QUERY_BYTES"])
        self.max_rows = int(config["KG_MAX_ROWS"])
        self.client_queries = int(config["KG_CLIENT_QUERIES"])
        self.bases: dict[tuple, str] = {}
        self.enabled = True             # tests turn it off to compare with Flask's path

    def _base(self, environ) -> str:
        """request.base_url of a request for /sparql (by the parts it is made of; a few hosts)."""
        parts = (environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), environ.get("SERVER_NAME"),
                 environ.get("SERVER_PORT"))
        base = self.bases.get(parts)
        if base is None:
            base = get_current_url(environ, strip_querystring=True)
            if len(self.bases) < 64:
                self.bases[parts] = base
        return base

    def _params(self, environ) -> dict[str, str] | None:
        """The parameters of a GET, a form POST or a direct POST that this path answers (a direct
        POST's body is its `query`); None for the others. A body read here is put back for Flask."""
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != "/sparql" or environ.get("SCRIPT_NAME") or "HTTP_IF_NONE_MATCH" in environ:
            return None
        if method == "GET":
            if environ.get("CONTENT_TYPE"):          # Flask would read a form body too (an 'update' there is refused)
                return None
            text = environ.get("QUERY_STRING", "").encode("latin1").decode()
        elif method == "POST":
            kind = POSTS.get(environ.get("CONTENT_TYPE", "").lower())
            length = environ.get("CONTENT_LENGTH", "")
            if kind is None or environ.get("QUERY_STRING") or not length.isdigit() \
                    or not 0 < int(length) <= self.max_bytes:
                return None
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = BytesIO(body)
            if len(body) != int(length):
                return None
            if kind == "query":
                return {"query": body.decode("utf-8")}
            text = body.decode()
        else:
            return None
        params: dict[str, str] = {}
        for k, v in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
            if k not in ALLOWED or k in params:
                return None
            params[k] = v
        return params

    def _query(self, environ) -> tuple[str, str, str] | None:
        """(the query, the results format, the graph format) of a request this path answers; None
        for the others."""
        params = self._params(environ)
        query = params and params.get("query")
        if query is None or self.sparql.refusal(query, self.config) is not None:
            return None
        rfmt, gfmt, html = self.sparql._negotiate(params.get("format") or params.get("output"),
                                                  environ.get("HTTP_ACCEPT", ""))
        return None if html else (query, rfmt, gfmt)

    def __call__(self, environ, start_response):
        try:
            found = self._query(environ) if self.enabled else None
        except Exception:                   # noqa: BLE001 — anything odd: Flask's path says what it is
            found = None
        if found is None:
            return self.app(environ, start_response)
        query, rfmt, gfmt = found
        served = environ["kg.served"]
        kg = served.dataset
        base = self._base(environ)
        key = cache_key(kg.version, query, [], [], rfmt, gfmt, base)
        try:
            answer = canned_answer(query, rfmt, self.max_rows, served)
            if answer is None:
                with self.sparql.per_client(environ.get("REMOTE_ADDR") or "", self.client_queries):
                    answer = served.pool.run(query, [], [], rfmt, gfmt, cache_key=key, base_iri=base)
        except APIError:                    # the per-client limit (429): Flask's path says it
            return self.app(environ, start_response)
        except Exception as e:              # noqa: BLE001 — a failed query (or a fault): Flask renders (and logs) it
            environ["kg.prepared"] = (key, e)
            return self.app(environ, start_response)
        body = answer.body
        if len(body) >= COMPRESS_MIN and environ.get("HTTP_ACCEPT_ENCODING"):
            environ["kg.prepared"] = (key, answer)          # flask-compress may compress it
            return self.app(environ, start_response)
        sparql = self.sparql
        mt = sparql.GRAPH_TYPES[answer.fmt] if answer.kind == "graph" else sparql.RESULT_TYPES[answer.fmt]
        headers = [("Content-Type", mt if mt in sparql.NO_CHARSET else mt + "; charset=utf-8"),
                   ("Content-Length", str(len(body))), ("ETag", quote_etag(key[:32])),
                   ("Last-Modified", kg.last_modified), ("Cache-Control", "no-cache"),
                   ("Vary", "Accept, Accept-Encoding"), ("KG-Result-Rows", str(answer.rows))]
        headers += sparql.warnings(answer, sparqlhelp.hints(query), self.max_rows)
        headers += sparql.CORS
        start_response("200 OK", headers)
        return [body]

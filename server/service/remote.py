"""Remote-store mode (`kgserve --store URL`): the same query interface as the local QueryPool,
answered by a remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph server, ...).

The safety rules stay ours: the SERVICE and update checks run before a query leaves (in the
blueprints, as for the local store); a query past the timeout is answered 503 and its
connection dropped; at most max_rows results are passed on (KG-Result-Truncated says when
cut); results are re-serialised by the same code as the local store's, so every format and
header behaves the same. Credentials: KG_STORE_USER / KG_STORE_PASSWORD (KG_STORE_AUTH=basic or
digest) or KG_STORE_TOKEN, as for `kgbuild publish`.
"""

from __future__ import annotations

import json
import logging
import os
import threading

import pyoxigraph as ox
import requests

from .engine import Answer, QueryFailed, answer_cache
from .sparqltext import query_form
from .worker import PREFIXES, RDF_FORMATS, serialize_boolean, serialize_solutions

log = logging.getLogger("kgserve.remote")
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def _term(b: dict):
    t = b.get("type")
    if t == "uri":
        return ox.NamedNode(b["value"])
    if t == "bnode":
        return ox.BlankNode(b["value"])
    if t in ("literal", "typed-literal"):
        if "xml:lang" in b:
            return ox.Literal(b["value"], language=b["xml:lang"])
        if "datatype" in b:
            return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
        return ox.Literal(b["value"])
    if t == "triple":
        v = b["value"]
        return ox.Triple(_term(v["subject"]), _term(v["predicate"]), _term(v["object"]))
    raise ValueError(f"unknown term type {t!r}")


class RemoteStore:
    def __init__(self, endpoint: str, timeout: float, max_rows: int, cache_entries: int = 512,
                 cache_bytes: int = 128 * 1024 * 1024):
        self.endpoint, self.timeout, self.max_rows = endpoint, timeout, max_rows
        self.answers = answer_cache(cache_entries, cache_bytes)
        self.local = threading.local()   # one HTTP session (keep-alive) per server thread

    def _session(self) -> requests.Session:
        s = getattr(self.local, "session", None)
        if s is None:
            s = self.local.session = requests.Session()
            user = os.environ.get("KG_STORE_USER")
            if os.environ.get("KG_STORE_TOKEN"):
                s.headers["Authorization"] = "Bearer " + os.environ["KG_STORE_TOKEN"]
            elif user:
                pw = os.environ.get("KG_STORE_PASSWORD", "")
                s.auth = (requests.auth.HTTPDigestAuth(user, pw) if os.environ.get("KG_STORE_AUTH", "").lower() == "digest"
                          else (user, pw))
        return s

    def run(self, query: str, default_graphs: list[str], named_graphs: list[str], results_format: str,
            graph_format: str, cache_key: str | None = None, base_iri: str | None = None) -> Answer:
        hit = self.answers.get(cache_key)
        if hit is not None:
            return hit
        data = [("query", query)] + [("default-graph-uri", g) for g in default_graphs] + \
               [("named-graph-uri", g) for g in named_graphs]
        try:
            graph = query_form(query) in ("CONSTRUCT", "DESCRIBE")
            r = self._session().post(self.endpoint, data=data, timeout=self.timeout,
                                     headers={"Accept": GRAPH_ACCEPT if graph else RESULTS_ACCEPT})
            body = r.content
        except requests.Timeout:
            log.warning("remote query stopped after %.1fs (timeout): %.200s", self.timeout, query)
            raise QueryFailed(503, f"the query was stopped after the {self.timeout:g} s time limit") from None
        except requests.RequestException as e:
            raise QueryFailed(502, f"the remote store cannot be reached ({e.__class__.__name__})") from None
        if r.status_code >= 400:
            said = body[:300].decode("utf-8", "replace").strip()
            if r.status_code == 400:
                raise QueryFailed(400, f"malformed query, or one the remote store does not support: {said}")
            raise QueryFailed(502, f"the remote store answered HTTP {r.status_code}: {said}")
        ctype = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            answer = self._answer(ctype if not graph or "json" not in ctype else "unexpected JSON", body,
                                  results_format, graph_format)
        except (ValueError, SyntaxError, KeyError) as e:
            raise QueryFailed(502, f"the remote store's answer ({ctype}) could not be read: {e}") from None
        self.answers.put(cache_key, answer, len(answer.body))
        return answer

    def _answer(self, ctype: str, body: bytes, results_format: str, graph_format: str) -> Answer:
        cap = self.max_rows
        if ctype in ("application/sparql-results+json", "application/json"):
            doc = json.loads(body)
            if "boolean" in doc:
                return Answer("boolean", results_format, serialize_boolean(bool(doc["boolean"]), results_format), False, 1)
            variables = doc["head"].get("vars", [])
            bindings = doc["results"]["bindings"]
            rows = [[_term(b[v]) if v in b else None for v in variables] for b in bindings[:cap]]
            return Answer("results", results_format, serialize_solutions(variables, rows, results_format),
                          len(bindings) > cap, len(rows))
        fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
               "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}.get(ctype)
        if fmt is None:
            raise ValueError(f"unexpected media type {ctype!r}")
        triples = list(ox.parse(body, format=fmt))
        out_fmt = RDF_FORMATS[graph_format]
        kept = triples[:cap]
        extra = {"prefixes": PREFIXES} if out_fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
        data = ox.serialize(kept, format=out_fmt, **extra) if kept else b""
        return Answer("graph", graph_format, data or b"", len(triples) > cap, len(kept))

    def reload(self, store_path: str, union: bool = False) -> None:
        raise QueryFailed(400, "the test load hook needs the embedded store")

    def close(self) -> None:
        pass

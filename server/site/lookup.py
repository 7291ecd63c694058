"""The pages' queries: server/queries/NAME.rq run through the pages' own query pool, and the
links a page writes for dataset IRIs. The lowest layer of the site: it imports only the service."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import APIError
from ..service import live
from ..service.engine import QueryFailed, cache_key

QUERIES = Path(__file__).parents[1] / "queries"


@lru_cache(maxsize=32)
def _query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def run(name: str, iri: str, kind: str = "results", fmt: str = "json"):
    """Run server/queries/NAME.rq for one IRI through the pages' query pool (timeouts apply)."""
    term = str(ox.NamedNode(iri))               # validated IRI: cannot inject SPARQL
    return run_text(_query(name).replace("{IRI}", term), kind, fmt)


def run_text(q: str, kind: str = "results", fmt: str = "json"):
    """Run the query text q for a page: rows as dicts of values, a boolean, or graph bytes."""
    kg = live.dataset()
    try:
        ans = live.pages_pool().run(q, [], [], "json", fmt, cache_key=cache_key(kg.version, q, fmt))
    except QueryFailed as e:
        raise APIError(e.status, e.message, e.retry_after) from None
    if kind == "graph":
        return ans.body
    doc = json.loads(ans.body)
    if "boolean" in doc:
        return doc["boolean"]
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def iri_for(path: str) -> str:
    base = live.dataset().manifest["base"].rstrip("/") + "/"
    return base + "id/" + path


CONCEPTS = "https://w3id.org/ptkg/indicator/"
RUBRICS = "https://w3id.org/ptkg/rubric/"


def local(iri: str) -> str:
    """A dataset IRI as a link on this server (the base may differ from where it is served);
    an indicator concept of the scheme is served at /indicator/NAME."""
    base = live.dataset().manifest["base"].rstrip("/") + "/"
    if iri.startswith(CONCEPTS) and len(iri) > len(CONCEPTS):
        return "/indicator/" + iri[len(CONCEPTS):]
    if iri.startswith(RUBRICS) and len(iri) > len(RUBRICS):       # the rules statuses name: /rubric/NAME/VERSION
        return "/rubric/" + iri[len(RUBRICS):]
    return "/" + iri[len(base):] if iri.startswith(base) else iri

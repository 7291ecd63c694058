"""The /sparql fast path (server/service/direct.py) answers with the same status, headers and body
as the Flask endpoint it stands in front of, for every kind of request; those it does not answer
itself reach Flask, and a query it ran is not run twice."""

from __future__ import annotations

import pytest

from conftest import local_store_only

pytestmark = local_store_only

LOOKUP = "SELECT ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
YEARS = "SELECT ?t WHERE { ?t ptkg:year 2025 } LIMIT 1"
REQUESTS = [
    ({"query": LOOKUP}, {"Accept": "application/sparql-results+json"}),
    ({"query": LOOKUP + " # unique 1"}, {}),
    ({"query": LOOKUP}, {"Accept": "text/csv"}),
    ({"query": LOOKUP}, {"Accept": "application/sparql-results+xml"}),
    ({"query": LOOKUP}, {"Accept": "text/tab-separated-values, */*;q=0.1"}),
    ({"query": LOOKUP, "format": "tsv"}, {}),
    ({"query": LOOKUP, "output": "xml"}, {}),
    ({"query": LOOKUP}, {"Accept": "application/json", "Host": "example.org:8080"}),
    ({"query": "ASK { ?s ?p ?o }"}, {"Accept": "application/sparql-results+json"}),
    ({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 4"}, {"Accept": "text/turtle"}),
    ({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 4"}, {"Accept": "application/ld+json"}),
    ({"query": "DESCRIBE ?s WHERE { ?s a ptkg:Target } LIMIT 1"}, {}),
    ({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}, {}),                      # cut at the row cap
    ({"query": YEARS}, {}),                                                      # a hint
    ({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 300"}, {"Accept-Encoding": "gzip"}),   # compressed
    ({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"}, {"Accept-Encoding": "gzip"}),     # too small to compress
    ({"query": LOOKUP}, {"Accept": "text/html"}),                                # the results page
    ({"query": LOOKUP}, {"If-None-Match": '"x"'}),
    ({"query": "SELECT * WHERE { ?s ?p }"}, {}),                                 # a syntax error (the worker's 400)
    ({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, {}),
    ({"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}, {}),
    ({"query": "SELECT * { " + "(" * 70 + "1" + ")" * 70 + " }"}, {}),
    ({"query": "   "}, {}),
    ({"query": LOOKUP, "format": "nonsense"}, {}),
    ({"query": LOOKUP, "update": "x"}, {}),
    ({"query": [LOOKUP, LOOKUP]}, {}),
    ({"query": LOOKUP, "default-graph-uri": "https://w3id.org/ptkg/graph/ontology"}, {}),
    ({}, {"Accept": "text/turtle"}),                                            # the service description
]


POSTS = [
    ("query=" + LOOKUP.replace(" ", "+"), "application/x-www-form-urlencoded", {}),
    ("query=" + LOOKUP.replace(" ", "+") + "&format=csv", "application/x-www-form-urlencoded; charset=UTF-8", {}),
    (LOOKUP, "application/sparql-query", {"Accept": "application/sparql-results+xml"}),
    (LOOKUP + " # 中文", "application/sparql-query; charset=utf-8", {}),
    ("SELECT * WHERE { ?s ?p }", "application/sparql-query", {}),                 # the worker's 400
    (b"SELECT \xff", "application/sparql-query", {}),                               # not UTF-8
    (LOOKUP, "application/sparql-query; charset=latin-1", {}),
    ("update=" + LOOKUP.replace(" ", "+"), "application/x-www-form-urlencoded", {}),
    ("query=" + LOOKUP.replace(" ", "+") + "&query=x", "application/x-www-form-urlencoded", {}),
    ("", "application/x-www-form-urlencoded", {}),
    (LOOKUP, "text/plain", {}),
    ("x" * 100_001, "application/sparql-query", {}),                               # past the query limit
]


@pytest.fixture(scope="module")
def app(built):
    from server import create_app
    a = create_app({"DATA": str(built), "MAX_ROWS": 50, "CLIENT_QUERIES": 0})
    yield a
    a.extensions["kg_live"].close()


def answer(app, params: dict, headers: dict, direct: bool):
    app.extensions["kg_fastpath"].clear()              # the response cache would answer a repeat
    app.extensions["kg_direct"].enabled = direct
    try:
        r = app.test_client().get("/sparql", query_string=params, headers=headers)
        return r.status, r.headers.to_wsgi_list(), r.get_data()
    finally:
        app.extensions["kg_direct"].enabled = True


@pytest.mark.parametrize("params,headers", REQUESTS)
def test_same_answer_as_flask(app, params, headers):
    flask = answer(app, params, headers, direct=False)
    assert answer(app, params, headers, direct=True) == flask
    assert answer(app, params, headers, direct=False) == flask      # the same again, from the pool's cache


def posted(app, body, ctype: str, headers: dict, direct: bool, query_string: dict | None = None):
    app.extensions["kg_direct"].enabled = direct
    try:
        r = app.test_client().post("/sparql", data=body, content_type=ctype, headers=headers,
                                   query_string=query_string)
        return r.status, r.headers.to_wsgi_list(), r.get_data()
    finally:
        app.extensions["kg_direct"].enabled = True


@pytest.mark.parametrize("body,ctype,headers", POSTS)
def test_same_answer_as_flask_posted(app, body, ctype, headers):
    flask = posted(app, body, ctype, headers, direct=False)
    assert posted(app, body, ctype, headers, direct=True) == flask


def test_a_direct_post_with_url_parameters_reaches_flask(app):
    for qs in ({"query": LOOKUP}, {"default-graph-uri": "https://w3id.org/ptkg/graph/ontology"}):
        flask = posted(app, LOOKUP, "application/sparql-query", {}, False, qs)
        assert posted(app, LOOKUP, "application/sparql-query", {}, True, qs) == flask


def test_plain_queries_do_not_reach_flask(app):
    direct = app.extensions["kg_direct"]
    inner = direct.app

    def flask(environ, start_response):
        raise AssertionError("reached Flask")
    direct.app = flask
    try:
        for params, headers in REQUESTS[:14]:
            app.extensions["kg_fastpath"].clear()
            r = app.test_client().get("/sparql", query_string=params, headers=headers)
            assert r.status_code == 200, params
        for body, ctype, headers in POSTS[:4]:
            assert app.test_client().post("/sparql", data=body, content_type=ctype, headers=headers).status_code == 200
    finally:
        direct.app = inner


def test_a_failed_query_is_run_once(app):
    """A query that fails in its worker is rendered by Flask from what the fast path saw."""
    pool = app.extensions["kg_live"].current.pool
    runs = []
    run = pool.run

    def counted(*args, **kwargs):
        runs.append(args[0])
        return run(*args, **kwargs)
    pool.run = counted
    try:
        r = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    finally:
        del pool.run
    assert r.status_code == 400 and len(runs) == 1
    assert "Access-Control-Allow-Origin" in r.headers


def test_a_fault_in_the_pool_is_rendered_by_flask(app):
    """An exception the pool did not expect is Flask's to log and render (a JSON 500), as before."""
    pool = app.extensions["kg_live"].current.pool

    def broken(*args, **kwargs):
        raise RuntimeError("a fault")
    answers = []
    for direct in (False, True):
        app.extensions["kg_direct"].enabled = direct
        pool.run = broken
        try:
            r = app.test_client().get("/sparql", query_string={"query": LOOKUP + " # fault"})
        finally:
            del pool.run
            app.extensions["kg_direct"].enabled = True
        answers.append((r.status, r.headers.to_wsgi_list(), r.get_data()))
    assert answers[0][0].startswith("500") and answers[1] == answers[0]

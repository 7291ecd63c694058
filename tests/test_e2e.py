"""End to end: a real kgserve process over HTTP."""

import json

import pytest
import requests
from rdflib import Graph

pytestmark = pytest.mark.e2e

COUNT = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/ptkg/ns#Target> }"


def test_select_json_get_and_post(server):
    for r in (requests.get(server.url + "/sparql", params={"query": COUNT},
                           headers={"Accept": "application/sparql-results+json"}),
              requests.post(server.url + "/sparql", data={"query": COUNT}),
              requests.post(server.url + "/sparql", data=COUNT.encode(),
                            headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/sparql-results+json")
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "34"
        assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_select_csv_and_construct_turtle(server):
    r = requests.get(server.url + "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.text.splitlines() == ["n", "34"]
    q = "CONSTRUCT { ?p ?x ?y } WHERE { ?p a <https://w3id.org/ptkg/ns#City> ; ?x ?y }"
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) > 3


def test_updates_and_bad_requests_are_refused(server):
    r = requests.post(server.url + "/sparql", data={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert r.status_code == 400 and "read-only" in r.json()["error"]["message"]
    r = requests.post(server.url + "/sparql", data="INSERT DATA { <a:a> <a:b> <a:c> }",
                      headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400
    r = requests.get(server.url + "/sparql", params={"query": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert r.status_code == 400 and "read-only" in r.text
    r = requests.get(server.url + "/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and "malformed" in r.json()["error"]["message"]
    r = requests.get(server.url + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400
    r = requests.post(server.url + "/sparql", data="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 400
    r = requests.put(server.url + "/sparql", data="x")
    assert r.status_code == 405
    after = requests.get(server.url + "/sparql", params={"query": COUNT}).json()
    assert after["results"]["bindings"][0]["n"]["value"] == "34"


def test_downloads_match_manifest(server):
    m = requests.get(server.url + "/manifest.json").json()
    r = requests.get(server.url + "/dataset.ttl")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) == m["triples"]
    r = requests.get(server.url + "/dataset.nt")
    assert r.headers["Content-Type"].startswith("application/n-triples")
    r = requests.get(server.url + "/dataset.jsonld")
    assert r.headers["Content-Type"].startswith("application/ld+json") and json.loads(r.content)
    r = requests.get(server.url + "/targets.csv")
    assert r.headers["Content-Type"].startswith("text/csv") and len(r.text.splitlines()) == 35
    etag = requests.get(server.url + "/dataset.ttl").headers["ETag"]
    assert requests.get(server.url + "/dataset.ttl", headers={"If-None-Match": etag}).status_code == 304


def test_landing_page_and_service_description(server):
    r = requests.get(server.url + "/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "text/html" in r.headers["Content-Type"]
    for link in ("/dataset.ttl", "/dataset.nq", "/targets.csv", "/downloads", "/sparql"):
        assert f'href="{link}"' in r.text
    page = requests.get(server.url + "/downloads").text
    for link in ("/dataset.ttl", "/dataset.nt", "/dataset.jsonld", "/dataset.trig", "/dataset.nq", "/targets.csv"):
        assert f'href="{link}"' in page
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    assert any("sparql-service-description#Service" in str(o) for o in g.objects())
    r = requests.get(server.url + "/nope", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<html" in r.text and "Traceback" not in r.text


def test_ontology_by_content_negotiation(server):
    r = requests.get(server.url + "/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "text/html" in r.headers["Content-Type"] and "Target" in r.text
    assert "Accept" in r.headers["Vary"]
    r = requests.get(server.url + "/ontology", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (None, None, None) in g and len(g) > 300
    r = requests.get(server.url + "/ontology", headers={"Accept": "application/ld+json"})
    assert r.headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=r.text, format="json-ld")) == len(g)
    assert requests.get(server.url + "/ontology?format=pdf").status_code == 400


def test_validation_report_page(server):
    r = requests.get(server.url + "/validation", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "Conforms" in r.text and "violation(s)" in r.text
    r = requests.get(server.url + "/validation", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"].startswith("text/turtle")
    Graph().parse(data=r.text, format="turtle")


def test_repeated_queries_are_answered_alike_and_by_their_own_headers(server):
    """The second identical request comes from the response cache: same body and headers, and a
    different Accept, Accept-Encoding or If-None-Match still gets its own answer."""
    q = "SELECT ?t WHERE { ?t a <https://w3id.org/ptkg/ns#Target> } ORDER BY ?t LIMIT 3"
    for accept, ctype in (("application/sparql-results+json", "application/sparql-results+json"),
                          ("text/csv", "text/csv"), ("application/sparql-results+xml", "application/sparql-results+xml"),
                          ("text/tab-separated-values", "text/tab-separated-values")):
        first, second = (requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": accept})
                         for _ in range(2))
        assert first.status_code == second.status_code == 200
        assert first.headers["Content-Type"].startswith(ctype) and first.content == second.content
        for h in ("Content-Type", "ETag", "Vary", "Access-Control-Allow-Origin", "KG-Result-Rows"):
            assert first.headers.get(h) == second.headers.get(h), h
    big = q.replace("LIMIT 3", "LIMIT 30")                  # over the 1 KB below which nothing is compressed
    for _ in range(2):
        zipped = requests.get(server.url + "/sparql", params={"query": big},
                              headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
        plain = requests.get(server.url + "/sparql", params={"query": big},
                             headers={"Accept": "text/csv", "Accept-Encoding": "identity"})
        assert zipped.headers.get("Content-Encoding") == "gzip" and "Content-Encoding" not in plain.headers
        assert plain.text == zipped.text and len(plain.text.splitlines()) == 31
    etag = first.headers["ETag"]
    r = requests.get(server.url + "/sparql", params={"query": q},
                     headers={"Accept": "text/tab-separated-values", "If-None-Match": etag})
    assert r.status_code == 304 and not r.content

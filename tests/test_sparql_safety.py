"""The SPARQL endpoint over real HTTP: timeouts that stop, no outbound requests, no updates,
row caps, concurrency, caching headers, compression, formats."""

import socket
import threading
import time

import pytest
import requests
from rdflib import Graph

from conftest import Server, local_store_only
from server.service import sparqltext

pytestmark = pytest.mark.e2e

# a query whose work grows with the cube of the dataset: minutes on the seed graph
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
FAST = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def slow_server(built):
    s = Server(built, env={"KG_QUERY_TIMEOUT": "2", "KG_QUERY_WORKERS": "2", "KG_MAX_ROWS": "10"})
    yield s
    s.stop()


class Listener:
    """A local TCP listener that records every connection it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = []
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.hits.append(c.recv(100))
                c.close()
            except OSError:
                continue

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@local_store_only
def test_timeout_stops_the_query_and_the_endpoint_keeps_answering(slow_server):
    t = time.monotonic()
    r = requests.get(slow_server.url + "/sparql", params={"query": SLOW}, timeout=30)
    took = time.monotonic() - t
    assert r.status_code == 503 and "time limit" in r.json()["error"]["message"]
    assert took < 6
    for _ in range(3):   # the killed worker was replaced: the pool still answers
        assert requests.get(slow_server.url + "/sparql", params={"query": FAST}, timeout=10).json()["boolean"] is True


@local_store_only
def test_timed_out_work_really_stops(slow_server):
    import subprocess
    def worker_cpu():
        out = subprocess.run(["ps", "-o", "pid=,pcpu=,args=", "--ppid", str(slow_server.proc.pid)],
                             capture_output=True, text=True).stdout
        return out
    requests.get(slow_server.url + "/sparql", params={"query": SLOW}, timeout=30)
    time.sleep(1.5)
    # no process of the server is still busy with the killed query
    busy = [l for l in worker_cpu().splitlines() if l.split() and float(l.split()[1]) > 50.0]
    assert busy == [], busy


@local_store_only
def test_a_slow_query_does_not_stall_others(slow_server):
    slow = threading.Thread(target=lambda: requests.get(slow_server.url + "/sparql", params={"query": SLOW}, timeout=30))
    slow.start()
    time.sleep(0.3)
    t = time.monotonic()
    for _ in range(5):
        r = requests.get(slow_server.url + "/sparql", params={"query": FAST + " # " + str(time.time())}, timeout=10)
        assert r.status_code == 200 and r.json()["boolean"] is True
    assert time.monotonic() - t < 1.5          # answered while the slow query still runs
    slow.join()


def test_row_cap_is_signalled(slow_server):
    r = requests.get(slow_server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 10
    assert r.headers["KG-Result-Truncated"].startswith("true") and "Warning" in r.headers
    r = requests.get(slow_server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "KG-Result-Truncated" not in r.headers and r.headers["KG-Result-Rows"] == "3"
    r = requests.get(slow_server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                     headers={"Accept": "application/n-triples"})
    assert len(r.text.strip().splitlines()) == 10 and r.headers["KG-Result-Truncated"].startswith("true")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { GRAPH <http://127.0.0.1:{port}/g> { ?s ?p ?o } }",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
])
def test_no_query_makes_an_outbound_request(server, query):
    listener = Listener()
    try:
        q = query.replace("{port}", str(listener.port))
        for send in (lambda: requests.get(server.url + "/sparql", params={"query": q}),
                     lambda: requests.post(server.url + "/sparql", data=q.encode(),
                                           headers={"Content-Type": "application/sparql-query"})):
            r = send()
            assert r.status_code in (200, 400)
        time.sleep(0.3)
        assert listener.hits == []
    finally:
        listener.close()


def test_service_check_over_approximates():
    """Only names and IRIs may hold the word; strings and comments, where lexers disagree, may not."""
    assert sparqltext.uses_service("SELECT * { SERVICE <x:y> {} }")
    assert sparqltext.uses_service("select * { \\u0073ervice <x:y> {} }")
    assert sparqltext.uses_service('SELECT * { ?s ?p "SERVICE" }')
    assert sparqltext.uses_service("SELECT * { ?s ?p ?o } # SERVICE")
    assert not sparqltext.uses_service('SELECT * { ?s ?p "servic" } # servic')
    assert not sparqltext.uses_service("SELECT * { ?s <http://x.org/SERVICE> ?o ; ex:SERVICE ?x }")
    assert sparqltext.looks_like_update("PREFIX a: <x:> INSERT DATA { a:a a:b a:c }")
    assert not sparqltext.looks_like_update('SELECT * { ?s ?p "INSERT" }')


def test_updates_are_refused_on_every_method(server):
    upd = "INSERT DATA { <http://x.org/a> <http://x.org/b> <http://x.org/c> }"
    assert requests.get(server.url + "/sparql", params={"update": upd}).status_code == 400
    assert requests.post(server.url + "/sparql", data={"update": upd}).status_code == 400
    assert requests.post(server.url + "/sparql", data=upd.encode(),
                         headers={"Content-Type": "application/sparql-update"}).status_code == 400
    assert requests.post(server.url + "/sparql", data=upd.encode(),
                         headers={"Content-Type": "application/sparql-query"}).status_code == 400
    for method in ("PUT", "DELETE", "PATCH"):
        assert requests.request(method, server.url + "/sparql", data=upd).status_code == 405
    ask = requests.get(server.url + "/sparql", params={"query": "ASK { <http://x.org/a> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_request_size_limit(server):
    big = "ASK {} #" + "x" * 200_000
    assert requests.post(server.url + "/sparql", data=big.encode(),
                         headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert requests.post(server.url + "/sparql", data={"query": big}).status_code == 413


def test_result_formats_by_accept_and_parameter(server):
    q = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p LIMIT 3"
    for accept, ctype in (("application/sparql-results+json", "application/sparql-results+json"),
                          ("application/sparql-results+xml", "application/sparql-results+xml"),
                          ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
                          ("application/json", "application/sparql-results+json")):
        r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype), accept
        assert "Accept" in r.headers["Vary"]
    r = requests.get(server.url + "/sparql", params={"query": q, "format": "csv"})
    assert r.headers["Content-Type"].startswith("text/csv") and r.text.startswith("p,n\r\n")
    c = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        r = requests.get(server.url + "/sparql", params={"query": c}, headers={"Accept": accept})
        assert r.headers["Content-Type"].startswith(accept)
        assert len(Graph().parse(data=r.content, format=fmt)) == 5
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.headers["Content-Type"].startswith("text/html") and "<table>" in r.text
    assert requests.get(server.url + "/sparql", params={"query": q, "format": "yaml"}).status_code == 400


def test_etag_304_cors_and_gzip(server):
    q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    r = requests.get(server.url + "/sparql", params=q)
    etag = r.headers["ETag"]
    assert r.headers["Last-Modified"] and r.headers["Access-Control-Allow-Origin"] == "*"
    assert requests.get(server.url + "/sparql", params=q, headers={"If-None-Match": etag}).status_code == 304
    big = requests.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"},
                       headers={"Accept-Encoding": "gzip"})
    assert big.headers.get("Content-Encoding") == "gzip" and big.json()["results"]["bindings"]
    pre = requests.options(server.url + "/sparql", headers={"Origin": "http://example.org",
                                                           "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200 and pre.headers["Access-Control-Allow-Origin"] == "*"


@local_store_only
def test_worker_network_namespace_blocks_service_on_its_own(built):
    """Layer 2: a worker in its own network namespace cannot reach even 127.0.0.1, whatever the query."""
    import multiprocessing as mp
    from server.service import worker
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=worker.main, args=(child, str(built / "store"), True), daemon=True)
    proc.start()
    listener = Listener()
    try:
        assert parent.poll(30)
        status, isolated, _ = parent.recv()
        if not isolated:
            pytest.skip("this machine allows no network namespace (needs root or user namespaces)")
        parent.send({"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
                     "default_graphs": [], "named_graphs": [], "results_format": "json", "graph_format": "ttl",
                     "max_rows": 10})
        assert parent.poll(30)
        answer = parent.recv()
        time.sleep(0.3)
        assert answer[0] == "error" and listener.hits == []
    finally:
        listener.close()
        proc.kill()

"""Bounded load tests on loopback (each under a minute): slow clients, and heavy queries beside
light ones. They print their figures; they assert only what must hold (service goes on), not speed."""

import socket
import statistics
import threading
import time

import pytest
import requests

from conftest import Server, local_store_only

pytestmark = [pytest.mark.e2e, local_store_only]
LIGHT = "SELECT ?t WHERE { ?t a <https://w3id.org/ptkg/ns#Target> } LIMIT 3"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}


def _timed(fn):
    t = time.monotonic()
    r = fn()
    return time.monotonic() - t, r.status_code


def _pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def test_101_slow_clients_do_not_lock_others_out(built):
    s = Server(built)
    socks = []
    try:
        for _ in range(101):
            c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            c.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            socks.append(c)
        stop = time.monotonic() + 12
        latencies = []
        while time.monotonic() < stop:
            for c in socks:                                   # one more header line every few seconds
                try:
                    c.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            for _ in range(5):
                latencies.append(_timed(lambda: requests.get(s.url + "/manifest.json", timeout=10)))
            time.sleep(2)
        times = [t for t, _ in latencies]
        print(f"\nwith 101 slow clients open: /manifest.json p50 {statistics.median(times) * 1000:.1f} ms, "
              f"p99 {_pct(times, 99) * 1000:.1f} ms over {len(times)} requests")
        assert all(code == 200 for _, code in latencies) and max(times) < 5
    finally:
        for c in socks:
            c.close()
        s.stop()


def test_heavy_queries_do_not_starve_light_ones_or_pages(built):
    s = Server(built, env={"KG_QUERY_TIMEOUT": "4", "KG_QUEUE_WAIT": "1"})
    try:
        def light_round(n=40):
            out = []
            for _ in range(n):
                out.append(_timed(lambda: requests.post(s.url + "/sparql", data={"query": LIGHT + f" # {time.monotonic()}"},
                                                        headers=JSON, timeout=30)))
            return out
        quiet = light_round()
        stop = threading.Event()
        heavy_codes = []

        def heavy():
            while not stop.is_set():
                heavy_codes.append(requests.post(s.url + "/sparql", data={"query": HEAVY + f" # {time.monotonic()}"},
                                                 headers=JSON, timeout=30).status_code)
        clients = [threading.Thread(target=heavy) for _ in range(4)]
        for c in clients:
            c.start()
        time.sleep(1)
        busy = light_round()
        pages = [_timed(lambda: requests.get(s.url + path, timeout=30))
                 for path in ("/manifest.json", "/dataset.ttl", "/", "/tracker", "/catalog") for _ in range(3)]
        stop.set()
        for c in clients:
            c.join(30)
        for name, xs in (("light queries, quiet", quiet), ("light queries, 4 heavy clients", busy),
                         ("pages and downloads, 4 heavy clients", pages)):
            t = [x for x, _ in xs]
            codes = {c: sum(1 for _, k in xs if k == c) for c in sorted({k for _, k in xs})}
            print(f"\n{name}: p50 {statistics.median(t) * 1000:.1f} ms, p99 {_pct(t, 99) * 1000:.1f} ms, statuses {codes}")
        print(f"heavy queries: statuses { {c: heavy_codes.count(c) for c in sorted(set(heavy_codes))} }")
        assert all(code == 200 for _, code in quiet)
        assert all(code in (200, 503) for _, code in busy) and max(t for t, _ in busy) < 4   # a bounded wait, never a hang
        assert all(code == 200 for _, code in pages) and max(t for t, _ in pages) < 3       # pages never wait behind queries
        assert set(heavy_codes) <= {503}
    finally:
        s.stop()

"""SPARQL latency and throughput over HTTP against a real kgserve process.

For every query in queries/*.rq and the fixed mix in bench/queries/*.rq: the cold latency (a
unique comment defeats the response cache; median of --runs) and the cached latency (the same
query again). Then lookup throughput with wrk (Debian package) when it is installed: cached
(identical requests) and uncached (a Lua script makes every request unique).

    .venv/bin/python bench/sparql_bench.py --data dist [--runs 5] [--seconds 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import Server  # noqa: E402


def fill(q: str, values: dict[str, str]) -> str:
    for k, v in values.items():
        q = q.replace("{" + k + "}", v)
    return q


def sample_values(url: str) -> dict[str, str]:
    q = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
    SELECT ?t ?p ?y WHERE { ?t a ptkg:Target ; ptkg:place ?p ; ptkg:year ?y } ORDER BY ?t LIMIT 1"""
    b = requests.get(url + "/sparql", params={"query": q}).json()["results"]["bindings"][0]
    return {"TARGET": b["t"]["value"], "PLACE": b["p"]["value"], "YEAR": b["y"]["value"]}


def timed(url: str, query: str) -> tuple[float, int]:
    t = time.perf_counter()
    r = requests.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    took = time.perf_counter() - t
    r.raise_for_status()
    return took, len(r.json()["results"]["bindings"])


def wrk(url: str, query: str, seconds: int, unique: bool) -> float | None:
    if not shutil.which("wrk"):
        return None
    target = url + "/sparql?" + urllib.parse.urlencode({"query": query})
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", "Accept: application/sparql-results+json"]
    if unique:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        base = "/sparql?" + urllib.parse.urlencode({"query": query + " #"})
        script.write(f'counter = 0\nrequest = function()\n  counter = counter + 1\n'
                     f'  return wrk.format("GET", "{base}" .. counter .. "-" .. math.random(1e9))\nend\n')
        script.close()
        args += ["-s", script.name]
    out = subprocess.run(args + [target], capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise RuntimeError(f"wrk failed: {out[-500:]}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error responses")
    return float(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT / "dist"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    t0 = time.perf_counter()
    server = Server(Path(args.data))
    print(f"server ready after {server.ready_after:.2f} s ({args.data})")
    try:
        values = sample_values(server.url)
        queries = sorted(ROOT.glob("queries/*.rq")) + sorted(ROOT.glob("bench/queries/*.rq"))
        print(f"{'query':38s} {'rows':>6} {'cold median':>12} {'cached':>9}")
        for f in queries:
            q = fill(f.read_text(encoding="utf-8"), values)
            try:
                cold = [timed(server.url, q + f"\n# run {i} {time.time()}")[0] for i in range(args.runs)]
                rows = timed(server.url, q)[1]
                cached = [timed(server.url, q)[0] for _ in range(args.runs)]
            except requests.HTTPError as e:
                print(f"{f.relative_to(ROOT).as_posix():38s} failed: HTTP {e.response.status_code} "
                      f"{e.response.text[:80]}")
                continue
            print(f"{f.relative_to(ROOT).as_posix():38s} {rows:>6} {statistics.median(cold) * 1000:>10.1f}ms "
                  f"{statistics.median(cached) * 1000:>7.1f}ms")
        lookup = fill((ROOT / "bench/queries/lookup.rq").read_text(encoding="utf-8"), values)
        for unique in (False, True):
            rps = wrk(server.url, lookup, args.seconds, unique)
            label = "uncached (unique queries)" if unique else "cached (identical query)"
            print(f"lookup throughput, {label}: " + (f"{rps:.0f} requests/s" if rps else "wrk not installed"))
    finally:
        server.stop()
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()

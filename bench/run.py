"""`make bench`: build, validation, server and SPARQL benchmarks at 100, 1,000 and 10,000
synthetic articles, with OpenLink Virtuoso 7 and pyoxigraph in-process side by side.

For each corpus size:
  build     cold `kgbuild build` (no cache; articles/s, peak RSS of the largest process), then the
            incremental rebuilds: nothing changed, one article changed (its text alone; one of its
            figures wherever stated), 20 new articles added; each
            printed beside its ratio to the cold build
  validate  `kgbuild validate` of the whole union graph with pyshacl (sizes up to --validate-max)
  server    kgserve ready time (first HTTP answer) and resident memory of all its processes
  queries   queries/*.rq and the fixed mix bench/queries/*.rq, median of --runs, over HTTP for
            kgserve and Virtuoso (same N-Quads, bulk-loaded), in-process for pyoxigraph;
            "cold" defeats our response cache with a unique comment, "repeat" sends the same text
  wrk       lookup throughput (wrk -t2 -c16): cached and unique queries for kgserve, unique for Virtuoso

Everything is written under --work (default bench/work/, not committed); the synthetic articles
are tagged `synthetic` and never mixed with real data. Ratios are ours / Virtuoso (< 1 is better).

    .venv/bin/python bench/run.py [--sizes 100,1000,10000] [--runs 5] [--seconds 10] [--no-virtuoso] [--build-only]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from conftest import Server  # noqa: E402
import virtuoso  # noqa: E402
from sparql_bench import fill, wrk  # noqa: E402
from server.service.dataset import stores_union  # noqa: E402

ACCEPT = {"Accept": "application/sparql-results+json"}


def timed_run(cmd: list[str], **kw) -> tuple[float, int, str]:
    """Wall seconds and peak RSS (KB, largest process) of a command, via GNU time when present."""
    t = time.perf_counter()
    if shutil.which("time") or Path("/usr/bin/time").exists():
        r = subprocess.run(["/usr/bin/time", "-f", "RSS %M"] + cmd, capture_output=True, text=True, **kw)
        rss = int(re.findall(r"RSS (\d+)", r.stderr)[-1]) if "RSS" in r.stderr else 0
    else:
        r = subprocess.run(cmd, capture_output=True, text=True, **kw)
        rss = 0
    took = time.perf_counter() - t
    if r.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return took, rss, r.stdout + r.stderr


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (t / "children").read_text().split()]
        except (OSError, AttributeError):
            pass
    return total / 1024


class HTTPEngine:
    """A SPARQL endpoint over one kept-alive HTTP/1.1 connection (http.client: a thin client, so
    the figures are the servers', not the client library's). GET with the query in the URL, and
    gzip accepted, as browsers and most SPARQL clients send it."""

    def __init__(self, name: str, endpoint: str):
        self.name, self.endpoint = name, endpoint
        self.session = requests.Session()          # for sample_values only
        u = urllib.parse.urlsplit(endpoint)
        self.path = u.path
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=900)

    def run(self, query: str) -> tuple[float, int]:
        target = self.path + "?" + urllib.parse.urlencode({"query": query})
        for attempt in (1, 2):
            t = time.perf_counter()
            try:
                self.conn.request("GET", target, headers={**ACCEPT, "Accept-Encoding": "gzip"})
                r = self.conn.getresponse()
                body = r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()           # the server closed an idle kept-alive connection: reconnect, time again
                if attempt == 2:
                    raise
                continue
            break
        took = time.perf_counter() - t
        if r.status != 200:
            raise RuntimeError(f"{self.name}: HTTP {r.status} {body[:200]!r}")
        if r.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.last = canonical(json.loads(body))
        return took, len(self.last)


class InProcess:
    """pyoxigraph in this process: query plus JSON serialisation, no HTTP."""

    def __init__(self, store_dir: Path):
        self.name = "pyoxigraph"
        self.store = ox.Store.read_only(str(store_dir))
        self.union = not stores_union(json.loads((store_dir.parent / "manifest.json").read_text()))

    def run(self, query: str) -> tuple[float, int]:
        t = time.perf_counter()
        res = self.store.query(query, use_default_graph_as_union=self.union)
        body = res.serialize(format=ox.QueryResultsFormat.JSON)
        took = time.perf_counter() - t
        self.last = canonical(json.loads(body))
        return took, len(self.last)


NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
           "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")


def canonical(doc: dict) -> list[str]:
    """The result rows as comparable strings, sorted: numbers by value (Virtuoso types a COUNT as
    xsd:int, Oxigraph as xsd:integer; an AVG may differ in the last digits), blank nodes as _."""
    from decimal import Decimal, InvalidOperation
    rows = []
    for b in doc["results"]["bindings"]:
        cells = []
        for var in sorted(b):
            v = b[var]
            if v["type"] == "bnode":
                value = "_"
            elif v.get("datatype", "").rsplit("#", 1)[-1] in NUMERIC:
                try:
                    value = f"{Decimal(v['value']):.6g}"
                except InvalidOperation:
                    value = v["value"]
            else:
                value = v["value"] + ("@" + v["xml:lang"].lower() if v.get("xml:lang") else "")
            cells.append(f"{var}={value}")
        rows.append("\t".join(cells))
    return sorted(rows)


def sample_values(engine) -> dict[str, str]:
    q = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
    SELECT ?t ?p ?y WHERE { ?t a ptkg:Target ; ptkg:place ?p ; ptkg:year ?y } ORDER BY ?t LIMIT 1"""
    r = engine.session.post(engine.endpoint, data={"query": q}, headers=ACCEPT).json()["results"]["bindings"][0]
    return {"TARGET": r["t"]["value"], "PLACE": r["p"]["value"], "YEAR": r["y"]["value"]}


def latency(engine, query: str, runs: int) -> dict:
    cold = [engine.run(query + f"\n# cold {i} {time.time_ns()}")[0] for i in range(runs)]
    _, rows = engine.run(query)
    answer = engine.last
    repeat = [engine.run(query)[0] for _ in range(runs)]
    return {"cold": statistics.median(cold), "repeat": statistics.median(repeat), "rows": rows,
            "answer": hashlib.sha256("\n".join(answer).encode()).hexdigest()[:16], "sample": answer[:3]}


def geomean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def ms(x: float | None) -> str:
    return "—" if x is None else f"{x * 1000:.1f}"


def bench_size(n: int, args, work: Path, results: dict) -> None:
    corpus, out = work / f"corpus-{n}", work / f"dist-{n}"
    if not corpus.is_dir():
        subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(corpus), "--count", str(n)],
                       check=True, stdout=subprocess.DEVNULL)
    r: dict = results.setdefault(str(n), {"articles": n})
    if args.reuse and (out / "manifest.json").exists() and (args.work / "results.json").exists():
        r.update(json.loads((args.work / "results.json").read_text()).get(str(n), {}))
        r.pop("queries", None), r.pop("wrk", None)
        print(f"[{n}] reusing {out} and its build figures", flush=True)
        return bench_serve(n, args, out, r)
    builds = []
    for _ in range(args.build_runs if n <= 1000 else 1):
        took, rss, _ = timed_run([str(BIN / "kgbuild"), "build", str(corpus), "--out", str(out), "--no-cache"])
        builds.append((took, rss))
    took, rss = sorted(builds)[len(builds) // 2]
    manifest = json.loads((out / "manifest.json").read_text())
    r.update(triples=manifest["triples"], quads=manifest["quads"], build_s=took, build_aps=n / took, build_rss_mb=rss / 1024)
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    kg = [str(BIN / "kgbuild"), "build", str(corpus), "--out", str(out), "--cache", str(cache)]
    timed_run(kg + ["--full"])                                  # the same corpus, with the cache filled
    r["rebuild_cached_s"] = timed_run(kg)[0]                     # nothing changed
    first = sorted(corpus.glob("*.md"))[0]
    original = first.read_bytes()
    try:                                # an edit of its text alone: no statement changes
        first.write_bytes(original.replace("。".encode(), "；".encode(), 1))
        r["rebuild_one_changed_s"] = timed_run(kg)[0]
    finally:
        first.write_bytes(original)
    timed_run(kg)
    bumped = _bump_a_value(original.decode("utf-8"))
    if bumped is not None:              # a figure changed wherever the article states it: its targets change
        try:
            first.write_bytes(bumped.encode("utf-8"))
            r["rebuild_one_value_changed_s"] = timed_run(kg)[0]
        finally:
            first.write_bytes(original)
        timed_run(kg)
    extra = work / "added-20"                                   # 20 new articles, named apart from the corpus
    if not extra.is_dir():
        subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(extra), "--count", "20",
                        "--seed", "2025"], check=True, stdout=subprocess.DEVNULL)
    added = [corpus / f"added-{f.name}" for f in sorted(extra.glob("*.md"))]
    try:
        for f, dst in zip(sorted(extra.glob("*.md")), added):
            shutil.copyfile(f, dst)
        r["rebuild_20_added_s"] = timed_run(kg)[0]
    finally:
        for dst in added:
            dst.unlink(missing_ok=True)
    timed_run(kg)
    print(f"[{n}] build {took:.1f} s = {n / took:.1f} articles/s, peak RSS {rss / 1024:.0f} MB; "
          + ", ".join(f"{label} {r[k]:.1f} s ({r[k] / took:.1%} of cold)" for label, k in REBUILDS), flush=True)
    if args.build_only:
        return
    if n <= args.validate_max:
        r["validate_s"], r["validate_rss_mb"], _ = timed_run([str(BIN / "kgbuild"), "validate", str(out / "dataset.nt")])
        r["validate_rss_mb"] /= 1024
        print(f"[{n}] validate whole graph {r['validate_s']:.1f} s", flush=True)
    bench_serve(n, args, out, r)


def bench_serve(n: int, args, out: Path, r: dict) -> None:
    work = args.work
    manifest = json.loads((out / "manifest.json").read_text())
    # the same complete answers from every engine: no row cap, a generous time limit
    # the server as it starts by default: one serving process per core (KG_PROCESSES=0, unless set
    # outside); no per-client query limit, since wrk's 16 connections come from one address
    server = Server(out, env={"KG_MAX_ROWS": "100000000", "KG_QUERY_TIMEOUT": "600",
                              "KG_PROCESSES": os.environ.get("KG_PROCESSES", "0"),
                              "KG_CLIENT_QUERIES": os.environ.get("KG_CLIENT_QUERIES", "0")})
    try:
        time.sleep(1.0)
        r["server_ready_s"], r["server_rss_mb"] = server.ready_after, tree_rss_mb(server.proc.pid)
        print(f"[{n}] server ready {server.ready_after:.2f} s, {r['server_rss_mb']:.0f} MB", flush=True)
        ours = HTTPEngine("kgserve", server.url + "/sparql")
        engines = [ours, InProcess(out / "store")]
        vdir = work / f"virtuoso-{n}"
        proxy = None
        if not args.no_virtuoso:
            virtuoso.stop(vdir)
            shutil.rmtree(vdir, ignore_errors=True)
            t = time.perf_counter()
            endpoint = virtuoso.start(vdir, args.http_port, args.sql_port, args.memory_gb)
            r["virtuoso_start_s"] = time.perf_counter() - t
            t = time.perf_counter()
            virtuoso.load(vdir, out / "dataset.nq", None)
            virtuoso.load(vdir, out / "ontology.ttl", manifest["graphs"]["ontology"])
            r["virtuoso_load_s"] = time.perf_counter() - t
            engines.append(HTTPEngine("virtuoso", endpoint))
            if args.with_remote:            # our server in remote-store mode, in front of that Virtuoso
                proxy = Server(out, env={"KG_MAX_ROWS": "100000000", "KG_QUERY_TIMEOUT": "600", "KG_STORE": endpoint})
                engines.append(HTTPEngine("kgserve→virtuoso", proxy.url + "/sparql"))
        try:
            values = sample_values(ours)
            qs = sorted(ROOT.glob("queries/*.rq")) + sorted(ROOT.glob("bench/queries/*.rq"))
            r["queries"] = {}
            for f in qs:
                q = fill(f.read_text(encoding="utf-8"), values)
                name = f.relative_to(ROOT).as_posix()
                r["queries"][name] = {e.name: latency(e, q, args.runs) for e in engines}
                row = r["queries"][name]
                print(f"[{n}] {name:36s} " + "  ".join(f"{e}: {ms(v['cold'])}/{ms(v['repeat'])} ms ({v['rows']} rows)"
                                                      for e, v in row.items()), flush=True)
            lookup = fill((ROOT / "bench/queries/lookup.rq").read_text(encoding="utf-8"), values)
            r["wrk"] = {"kgserve cached": wrk(server.url, lookup, args.seconds, False),
                        "kgserve unique": wrk(server.url, lookup, args.seconds, True)}
            if not args.no_virtuoso:
                vbase = endpoint.rsplit("/sparql", 1)[0]
                r["wrk"]["virtuoso unique"] = wrk(vbase, lookup, args.seconds, True)
                r["wrk"]["virtuoso cached"] = wrk(vbase, lookup, args.seconds, False)
            print(f"[{n}] wrk lookup: " + ", ".join(f"{k} {v:.0f} req/s" for k, v in r["wrk"].items() if v), flush=True)
        finally:
            if not args.no_virtuoso:
                if proxy is not None:
                    proxy.stop()
                virtuoso.stop(vdir)
    finally:
        server.stop()


REBUILDS = (("nothing changed", "rebuild_cached_s"), ("one changed (text)", "rebuild_one_changed_s"),
            ("one changed (a value)", "rebuild_one_value_changed_s"), ("20 added", "rebuild_20_added_s"))


def _bump_a_value(text: str) -> str | None:
    """TEXT with its first percentage (5.1%) one point higher wherever it is written (6.1%), or None."""
    m = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)%", text)
    if not m:
        return None
    old = m.group(1)
    new = str(int(old) + 1) if "." not in old else f"{float(old) + 1:.{len(old.split('.')[1])}f}"
    return re.sub(r"(?<![\d.])" + re.escape(old) + "%", new + "%", text)


def _rebuild(r: dict, key: str) -> str:
    """An incremental rebuild's seconds and its share of the cold build."""
    return f"{r[key]:.1f} ({r[key] / r['build_s']:.1%})" if key in r else "—"


def report(results: dict) -> str:
    lines = ["", "## Build, validation, server (medians; rebuilds: seconds and share of the cold build)", "",
             "| articles | triples | cold build s | articles/s | build peak RSS MB | nothing changed s "
             "| one changed (text) s | one changed (a value) s "
             "| 20 added s | validate union s | server ready s | server RSS MB |", "|" + "---|" * 12]
    results = dict(sorted(results.items(), key=lambda kv: int(kv[0])))
    for n, r in results.items():
        lines.append(f"| {n} | {r['triples']:,} | {r['build_s']:.1f} | {r['build_aps']:.1f} | {r['build_rss_mb']:.0f} "
                     + "".join(f"| {_rebuild(r, k)} " for _, k in REBUILDS)
                     + f"| {r.get('validate_s', float('nan')):.1f} | {r.get('server_ready_s', float('nan')):.2f} "
                     f"| {r.get('server_rss_mb', float('nan')):.0f} |")
    for n, r in results.items():
        if "queries" not in r:
            continue
        has_v = any("virtuoso" in v for v in r["queries"].values())
        lines += ["", f"## Queries at {n} articles ({r['triples']:,} triples): median ms, cold / repeated", "",
                  "| query | rows | kgserve | pyoxigraph in-process | Virtuoso | cold ours/Virtuoso | repeat ours/Virtuoso |",
                  "|---|---|---|---|---|---|---|"]
        cold_ratios, rep_ratios = [], []
        by_set: dict[str, list[float]] = {"queries/*.rq": [], "bench/queries (fixed mix)": []}
        for name, row in r["queries"].items():
            k, p, v = row["kgserve"], row["pyoxigraph"], row.get("virtuoso")
            if v and v["rows"] != k["rows"]:
                name += f" (Virtuoso: {v['rows']} rows)"
            if v and v.get("answer") and v["answer"] != k.get("answer"):
                name += " **values differ from Virtuoso's**"
            if p.get("answer") and k.get("answer") and p["answer"] != k["answer"]:
                name += " **values differ in-process**"
            cr = k["cold"] / v["cold"] if v else None
            rr = k["repeat"] / v["repeat"] if v else None
            if cr:
                cold_ratios.append(cr)
                rep_ratios.append(rr)
                by_set["bench/queries (fixed mix)" if name.startswith("bench/") else "queries/*.rq"].append(cr)
            if "kgserve→virtuoso" in row:
                x = row["kgserve→virtuoso"]
                name += f" (kgserve→Virtuoso {ms(x['cold'])} / {ms(x['repeat'])})"
            lines.append(f"| {name} | {k['rows']} | {ms(k['cold'])} / {ms(k['repeat'])} | {ms(p['cold'])} / {ms(p['repeat'])} "
                         f"| {ms(v['cold']) + ' / ' + ms(v['repeat']) if v else '—'} "
                         f"| {f'{cr:.2f}×' if cr else '—'} | {f'{rr:.3f}×' if rr else '—'} |")
        if has_v:
            lines.append(f"| **geometric mean** | | | | | **{geomean(cold_ratios):.2f}×** (worst {max(cold_ratios):.2f}×) "
                         f"| **{geomean(rep_ratios):.3f}×** |")
            for label, xs in by_set.items():
                if xs:
                    lines.append(f"| geometric mean, {label} | | | | | {geomean(xs):.2f}× (worst {max(xs):.2f}×) | |")
            differ = [q for q, row in r["queries"].items() if row.get("virtuoso", {}).get("answer")
                      and row["virtuoso"]["answer"] != row["kgserve"].get("answer")]
            for q in differ:
                lines.append(f"\n{q}: values differ. kgserve {r['queries'][q]['kgserve']['sample']} · "
                             f"Virtuoso {r['queries'][q]['virtuoso']['sample']}")
        w = r.get("wrk") or {}
        if w:
            lines += ["", "| lookup throughput (wrk -t2 -c16) | requests/s |", "|---|---|"]
            lines += [f"| {k} | {v:.0f} |" for k, v in w.items() if v]
            if w.get("virtuoso unique") and w.get("kgserve unique"):
                lines.append(f"| ours/Virtuoso, unique queries | {w['kgserve unique'] / w['virtuoso unique']:.2f}× |")
            if w.get("virtuoso cached") and w.get("kgserve cached"):
                lines.append(f"| ours/Virtuoso, identical queries | {w['kgserve cached'] / w['virtuoso cached']:.2f}× |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build-runs", type=int, default=3, help="builds per size up to 1,000 articles (median)")
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration")
    ap.add_argument("--validate-max", type=int, default=1000, help="largest corpus to validate as one graph")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    ap.add_argument("--no-virtuoso", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="the build and rebuild figures only (no validation, server or queries)")
    ap.add_argument("--with-remote", action="store_true", help="also measure kgserve --store in front of Virtuoso")
    ap.add_argument("--report", action="store_true", help="print the tables of the last run's results.json and stop")
    ap.add_argument("--reuse", action="store_true", help="reuse the corpora and builds of an earlier run; "
                                                        "measure the server and queries again")
    ap.add_argument("--http-port", type=int, default=18890)
    ap.add_argument("--sql-port", type=int, default=11111)
    ap.add_argument("--memory-gb", type=float, default=2.0)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.report:
        print(report(json.loads((args.work / "results.json").read_text())))
        return
    results: dict = {}
    if args.reuse and (args.work / "results.json").exists():
        results = json.loads((args.work / "results.json").read_text())
    print(f"machine: {os.cpu_count()} cores; synthetic corpora in {args.work}", flush=True)
    # timed as an installation runs them, with the project's bytecode written (as `make run` does):
    # where Python may not write it (PYTHONDONTWRITEBYTECODE) every run would compile it again
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "kgbuild"), str(ROOT / "server")], check=True)
    for n in [int(x) for x in args.sizes.split(",")]:
        bench_size(n, args, args.work, results)
        (args.work / "results.json").write_text(json.dumps(results, indent=1))
    (args.work / "results.json").write_text(json.dumps(results, indent=1))
    text = report(results)
    (args.work / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

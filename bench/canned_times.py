"""How long each canned query takes on the in-memory copy of the default graph (store.memory_store),
as the build runs it: evaluation + JSON serialisation, and the row count (write_answer's json.loads).

    PYTHONPATH=$PWD .venv/bin/python bench/canned_times.py DIST [--repeat N] [--queries DIR] [--only NAME ...]

DIST: a built dist/ (its dataset.nt is loaded). Prints CPU seconds (process time) per query, the slowest first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kgbuild import paths
from kgbuild.publish import store


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dist", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--queries", type=Path, default=None)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=None, help="write the answers here")
    a = ap.parse_args(argv)
    t = time.process_time()
    mem = store.memory_store(a.dist / "dataset.nt", sorted(paths.ontology_dir().glob("*.ttl")))
    print(f"load: {time.process_time() - t:.2f} s CPU, {len(mem)} quads", file=sys.stderr)
    qdir = a.queries or paths.queries_dir()
    results = []
    for q in sorted(qdir.glob("*.rq")):
        if a.only and q.stem not in a.only:
            continue
        text = q.read_text(encoding="utf-8")
        if store.needs_the_store(text):
            print(f"{q.stem}: needs the store, skipped", file=sys.stderr)
            continue
        best = [float("inf")] * 3
        for _ in range(a.repeat):
            t0 = time.process_time()
            res = mem.query(text, base_iri="https://example.org/sparql")
            body = res.serialize(format=ox.QueryResultsFormat.JSON)
            t1 = time.process_time()
            n = len(json.loads(body)["results"]["bindings"])
            t2 = time.process_time()
            best = [min(best[0], t1 - t0), min(best[1], t2 - t1), min(best[2], t2 - t0)]
        if a.out:
            a.out.mkdir(parents=True, exist_ok=True)
            (a.out / f"{q.stem}.json").write_bytes(body)
        results.append((best[2], q.stem, best[0], best[1], n, len(body)))
    total = sum(r[0] for r in results)
    for tot, name, run, parse, n, size in sorted(results, reverse=True):
        print(f"{name:24s} {run:7.3f} s query+serialise {parse:6.3f} s json.loads  {n:7d} rows {size/1e6:6.2f} MB")
    print(f"{'total':24s} {total:7.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

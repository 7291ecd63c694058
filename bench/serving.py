"""The serving goals of issue 25 on one built dist/: how soon kgserve answers its first request
(with the default number of serving processes), the resident memory of all its processes at rest
and after load, and unique-lookup throughput beside a Virtuoso that holds the same dataset.

    .venv/bin/python bench/serving.py --data bench/work/dist-5000 [--starts 5] [--seconds 10]
        [--virtuoso http://127.0.0.1:18890/sparql]

Ready: from the exec of kgserve to the first 200 answer to GET /manifest.json (the median of
--starts starts). Unique lookups: wrk -t2 -c16, bench/queries/lookup.rq with a unique comment per
request, so neither server answers from a cache; the per-client query limit is off (wrk's 16
connections come from one address). Virtuoso is started and loaded by bench/run.py or
bench/virtuoso.py (start, load); pass its endpoint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from conftest import Server  # noqa: E402
from run import tree_rss_mb  # noqa: E402
from sparql_bench import fill, sample_values, wrk  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--virtuoso", default="", help="a Virtuoso SPARQL endpoint holding the same dataset")
    args = ap.parse_args()
    # the server's default: one serving process per core (KG_PROCESSES=0), unless set outside
    env = {"KG_PROCESSES": os.environ.get("KG_PROCESSES", "0"), "KG_CLIENT_QUERIES": "0"}
    ready, rest = [], []
    for _ in range(args.starts):
        s = Server(args.data, env=env)
        try:
            ready.append(s.ready_after)
            time.sleep(3)                      # the query workers have started
            rest.append(tree_rss_mb(s.proc.pid))
        finally:
            s.stop()
        time.sleep(1)
    print(f"ready s: median {statistics.median(ready):.2f} (each: {', '.join(f'{r:.2f}' for r in ready)}); "
          f"RSS of all processes at rest: {statistics.median(rest):.0f} MB", flush=True)
    s = Server(args.data, env=env)
    try:
        lookup = fill((ROOT / "bench/queries/lookup.rq").read_text(encoding="utf-8"), sample_values(s.url))
        time.sleep(2)
        ours = wrk(s.url, lookup, args.seconds, True)
        loaded = tree_rss_mb(s.proc.pid)
        cached = wrk(s.url, lookup, args.seconds, False)
        print(f"kgserve unique lookups/s {ours:.0f}; identical {cached:.0f}; RSS of all processes after load "
              f"{loaded:.0f} MB (after the identical ones {tree_rss_mb(s.proc.pid):.0f} MB)", flush=True)
    finally:
        s.stop()
    if args.virtuoso:
        theirs = wrk(args.virtuoso.rsplit("/sparql", 1)[0], lookup, args.seconds, True)
        print(f"Virtuoso unique lookups/s {theirs:.0f}; ours/Virtuoso {ours / theirs:.2f}x", flush=True)


if __name__ == "__main__":
    main()

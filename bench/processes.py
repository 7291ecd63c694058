"""Unique-lookup throughput of kgserve with 1, 2 … serving processes (kgserve --processes), with
the server's ready time and the resident memory of all its processes (workers included).

    .venv/bin/python bench/processes.py --data dist [--processes 1,2] [--seconds 10]
"""

from __future__ import annotations

import argparse
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
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT / "dist"))
    ap.add_argument("--processes", default="1,2")
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    print(f"{'processes':>9} {'ready s':>8} {'RSS MB (all)':>13} {'unique lookups/s':>17} {'cached lookups/s':>17}")
    for n in args.processes.split(","):
        # one wrk client holds 16 connections: the per-client query limit (KG_CLIENT_QUERIES) would 429 it
        server = Server(Path(args.data), env={"KG_PROCESSES": n, "KG_CLIENT_QUERIES": "0"})
        try:
            lookup = fill((ROOT / "bench/queries/lookup.rq").read_text(encoding="utf-8"), sample_values(server.url))
            time.sleep(1)
            unique = wrk(server.url, lookup, args.seconds, True)
            cached = wrk(server.url, lookup, args.seconds, False)
            rss = tree_rss_mb(server.proc.pid)
            print(f"{n:>9} {server.ready_after:>8.2f} {rss:>13.0f} {unique:>17.0f} {cached:>17.0f}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()

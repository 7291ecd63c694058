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
import re
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


def tree_cpu_s(pid: int, workers: bool = True) -> float:
    """CPU seconds (user and system) a process and its living descendants have used (workers=False:
    without kgserve's query workers, which run server.service.worker)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            if not workers and b"server.service.worker" in Path(f"/proc/{p}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (t / "children").read_text().split()]
        except (OSError, IndexError):
            pass
    return total


def virtuoso_pid(endpoint: str) -> int | None:
    """The virtuoso-t process listening at the endpoint's port (by its configuration's HTTP port)."""
    port = endpoint.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    for d in Path("/proc").iterdir():
        try:
            cmd = (d / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"virtuoso-t") and b"+configfile" in cmd:
            ini = Path(cmd[cmd.index(b"+configfile") + 1].decode())
            if not ini.is_absolute():
                ini = Path(os.readlink(d / "cwd")) / ini
            if re.search(rf"ServerPort\s*=\s*(\S+:)?{port}\b", ini.read_text()):
                return int(d.name)
    return None


def measured(url: str, query: str, seconds: int, pid: int | None) -> tuple[float, float | None, float | None]:
    """wrk's unique lookups/s and the server's CPU milliseconds per request over the run: all its
    processes, and those that are not kgserve query workers (its serving processes)."""
    before = (tree_cpu_s(pid), tree_cpu_s(pid, workers=False)) if pid else (0.0, 0.0)
    rate = wrk(url, query, seconds, True)
    n = rate * seconds
    if not pid:
        return rate, None, None
    return rate, (tree_cpu_s(pid) - before[0]) * 1000 / n, (tree_cpu_s(pid, workers=False) - before[1]) * 1000 / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--virtuoso", default="", help="a Virtuoso SPARQL endpoint holding the same dataset")
    ap.add_argument("--rounds", type=int, default=3, help="wrk runs of each server, taken in turns (medians)")
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
        ours, theirs, our_cpu, their_cpu, our_front = [], [], [], [], []
        vpid = virtuoso_pid(args.virtuoso) if args.virtuoso else None
        for _ in range(args.rounds):           # in turns, so that both see the machine's load alike
            rate, cpu, front = measured(s.url, lookup, args.seconds, s.proc.pid)
            ours.append(rate), our_cpu.append(cpu), our_front.append(front)
            if args.virtuoso:
                rate, cpu, _ = measured(args.virtuoso.rsplit("/sparql", 1)[0], lookup, args.seconds, vpid)
                theirs.append(rate), their_cpu.append(cpu)
        loaded = tree_rss_mb(s.proc.pid)
        cached = wrk(s.url, lookup, args.seconds, False)
        print(f"kgserve unique lookups/s {statistics.median(ours):.0f} ({', '.join(f'{x:.0f}' for x in ours)}), "
              f"CPU {statistics.median(our_cpu):.2f} ms a request (all its processes; the serving processes "
              f"{statistics.median(our_front):.2f}, the query workers the rest); "
              f"identical {cached:.0f}; RSS of all processes after the unique ones {loaded:.0f} MB, after the "
              f"identical ones {tree_rss_mb(s.proc.pid):.0f} MB", flush=True)
        if theirs:
            cpu = f", CPU {statistics.median(their_cpu):.2f} ms a request" if vpid else ""
            print(f"Virtuoso unique lookups/s {statistics.median(theirs):.0f} ({', '.join(f'{x:.0f}' for x in theirs)}){cpu}; "
                  f"ours/Virtuoso {statistics.median(ours) / statistics.median(theirs):.2f}x", flush=True)
    finally:
        s.stop()


if __name__ == "__main__":
    main()

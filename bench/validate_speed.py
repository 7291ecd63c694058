"""SHACL validation time against graph size: the seed graph, then graphs of about 25k and 100k
triples made by building many renamed copies of the bundled and dev articles (synthetic: the
copies differ only in their keys, which is enough to measure how validation scales).

    .venv/bin/python bench/validate_speed.py [--gold ../shared/gold]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from kgbuild.pipeline import graph_for
from kgbuild.graph.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sources = [ROOT / "data" / "articles" / "quanzhou-2022.md"] + sorted(Path(args.gold).glob("dev-*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(40):
            for s in sources:
                dst = Path(tmp) / f"copy{i:03d}-{s.name}"
                shutil.copy(s, dst)
                copies.append(dst)
        print(f"{'articles':>9} {'triples':>9} {'validate (median)':>18} {'µs/triple':>10}")
        for n in (1, len(sources) * 10, len(copies)):
            g, _ = graph_for(copies[:n] if n > 1 else sources[:1])
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                v = validate(g)
                times.append(time.perf_counter() - t)
            assert v.conforms
            med = statistics.median(times)
            print(f"{n:>9} {len(g):>9} {med:>17.2f}s {med / len(g) * 1e6:>10.0f}")


if __name__ == "__main__":
    main()

"""Per-article cost of each stage on one core: parse + extract, to RDF, SHACL validation.

By default three sets, each on its own line: the bundled seed, the dev articles (gold/ and
gold/dev2/) and China's national Government Work Reports (~20,000 characters each; the slowest
one's parse + extract is printed too). Or over the files and folders given (e.g. a synthetic
corpus from bench/synth.py). Medians over --rounds, in ms per article.

    .venv/bin/python bench/extract_speed.py [PATH ...] [--rounds 3] [--limit 200] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kgbuild import __version__
from kgbuild.extract import lexicon
from kgbuild.extract import extract
from kgbuild.read.load import load
from kgbuild.read.parse import parse
from kgbuild.graph.mapping import to_rdf
from kgbuild.graph.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def measure(name: str, raws: list, rounds: int) -> None:
    lex = lexicon.load()
    t0 = time.perf_counter()
    xs = [extract(parse(r), lex) for r in raws]           # warm-up: jieba dictionary, gazetteer
    cold = time.perf_counter() - t0
    ex, rdf, val, triples, slowest = [], [], [], 0, 0.0
    for _ in range(rounds):
        t = time.perf_counter()
        xs = []
        for r in raws:
            t1 = time.perf_counter()
            xs.append(extract(parse(r), lex))
            slowest = max(slowest, time.perf_counter() - t1)
        ex.append(time.perf_counter() - t)
        t = time.perf_counter()
        graphs = [to_rdf(x, "http://127.0.0.1:5000/", __version__) for x in xs]
        rdf.append(time.perf_counter() - t)
        t = time.perf_counter()
        for g in graphs:
            validate(g)
        val.append(time.perf_counter() - t)
        triples = sum(len(g) for g in graphs)
    n = len(raws)
    chars = sum(len(parse(r).text) for r in raws) / n
    ms = lambda xs: statistics.median(xs) / n * 1000  # noqa: E731
    total = ms(ex) + ms(rdf) + ms(val)
    print(f"{name}: {n} articles, {chars:,.0f} characters and {triples / n:.0f} triples each; rounds: {rounds}; "
          f"first pass incl. jieba load {cold:.2f} s")
    print(f"  parse + extract   {ms(ex):7.1f} ms/article (slowest article {slowest * 1000:.0f} ms) → "
          f"{1000 / ms(ex):.1f} articles/s per core")
    print(f"  to RDF            {ms(rdf):7.1f} ms/article")
    print(f"  SHACL validation  {ms(val):7.1f} ms/article ({statistics.median(val) / triples * 1e6:.0f} µs/triple)")
    print(f"  total             {total:7.1f} ms/article → {1000 / total:.1f} articles/s per core")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=200, help="articles at most")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    if args.paths:
        measure("given", load(args.paths)[: args.limit], args.rounds)
        return
    shared = Path(args.shared)
    sets = [("seed", [ROOT / "data" / "articles"]),
            ("dev (gold/, gold/dev2/)", sorted((shared / "gold").glob("*.md")) + sorted((shared / "gold" / "dev2").glob("*.md"))),
            ("national reports", sorted((shared / "corpus" / "national").glob("china-*.md")))]
    for name, paths in sets:
        paths = [p for p in paths if p.name != "GUIDELINES.md"]
        if paths:
            measure(name, load(paths)[: args.limit], args.rounds)


if __name__ == "__main__":
    main()

"""Per-article cost of each stage on one core: parse + extract, to RDF, SHACL validation.

Over the bundled article and the gold dev articles by default, or over the files and folders
given (e.g. a synthetic corpus from bench/synth.py). Medians over --rounds, in ms per article.

    .venv/bin/python bench/extract_speed.py [PATH ...] [--rounds 3] [--limit 200] [--gold ../shared/gold]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kgbuild import __version__, lexicon
from kgbuild.extract import extract
from kgbuild.read.load import load
from kgbuild.read.parse import parse
from kgbuild.graph.mapping import to_rdf
from kgbuild.graph.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=200, help="articles at most")
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold"))
    args = ap.parse_args()
    paths = args.paths or [ROOT / "data" / "articles"] + sorted(Path(args.gold).glob("dev-*.md"))
    raws = load(paths)[: args.limit]
    lex = lexicon.load()
    t0 = time.perf_counter()
    xs = [extract(parse(r), lex) for r in raws]           # warm-up: jieba dictionary, gazetteer
    cold = time.perf_counter() - t0
    ex, rdf, val, triples = [], [], [], 0
    for _ in range(args.rounds):
        t = time.perf_counter()
        xs = [extract(parse(r), lex) for r in raws]
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
    ms = lambda xs: statistics.median(xs) / n * 1000  # noqa: E731
    print(f"articles: {n} ({triples / n:.0f} triples each), rounds: {args.rounds}; first pass incl. jieba load {cold:.2f} s")
    print(f"parse + extract   {ms(ex):6.1f} ms/article")
    print(f"to RDF            {ms(rdf):6.1f} ms/article")
    print(f"SHACL validation  {ms(val):6.1f} ms/article ({statistics.median(val) / triples * 1e6:.0f} µs/triple)")
    total = ms(ex) + ms(rdf) + ms(val)
    print(f"total             {total:6.1f} ms/article → {1000 / total:.1f} articles/s per core")


if __name__ == "__main__":
    main()

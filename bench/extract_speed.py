"""Extraction speed: articles per second for parse + extract, and for the whole in-memory build
(parse, extract, to RDF, SHACL validation), over the bundled article and the gold dev articles.

    .venv/bin/python bench/extract_speed.py [--rounds 5] [--gold ../shared/gold]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kgbuild import lexicon
from kgbuild.extract import extract
from kgbuild.load import load
from kgbuild.parse import parse
from kgbuild.rdf import to_rdf
from kgbuild.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold"))
    args = ap.parse_args()
    paths = [ROOT / "data" / "articles"] + sorted(Path(args.gold).glob("dev-*.md"))
    raws = load(paths)
    lex = lexicon.load()
    t0 = time.perf_counter()
    xs = [extract(parse(r), lex) for r in raws]           # warm-up: jieba dictionary, gazetteer
    cold = time.perf_counter() - t0
    ex, full = [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        xs = tuple(extract(parse(r), lex) for r in raws)
        ex.append(time.perf_counter() - t)
        t = time.perf_counter()
        xs = tuple(extract(parse(r), lex) for r in raws)
        for x in xs:
            validate(to_rdf(x, "http://127.0.0.1:5000/", "bench"))
        full.append(time.perf_counter() - t)
    n = len(raws)
    chars = sum(len(x.article.text) for x in xs)
    print(f"articles: {n} ({chars} characters), rounds: {args.rounds}")
    print(f"first pass incl. jieba/gazetteer load: {cold:.2f} s")
    print(f"parse+extract:                 median {statistics.median(ex):.3f} s  → {n / statistics.median(ex):.1f} articles/s")
    print(f"parse+extract+RDF+SHACL:       median {statistics.median(full):.3f} s  → {n / statistics.median(full):.1f} articles/s")


if __name__ == "__main__":
    main()

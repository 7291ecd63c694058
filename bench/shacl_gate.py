"""The SHACL gate: pyshacl-turbo against pyshacl (the oracle) on every article we have.

For each article of each set (the seed, ../shared/gold with dev2/ and dev3/, the national reports,
synthetic articles from bench/synth.py), the article's graph is validated by both engines against
all the shapes, as the build does (stage 5); then each set's union with its links graph against all
the shapes and against shapes/links.ttl (what `kgbuild validate` and stage 6 do). Compared: conforms,
and the result set — focus node, path, source shape, severity, constraint component, value and
messages (kgbuild.graph.validate.result_set) — and the canonical report the build caches. Prints
one line per set with the engines' times, every difference, and exits 1 if there is any.
The shape mutation tests (tests/test_shapes.py) compare the engines on their own.

    .venv/bin/python bench/shacl_gate.py [--synthetic 300] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from kgbuild import __version__
from kgbuild.extract import extract, lexicon
from kgbuild.graph.iris import new_graph
from kgbuild.graph.mapping import links_to_rdf, to_rdf
from kgbuild.graph.validate import PYSHACL, TURBO, _canonical, links_shapes, result_set, run, shapes_graph
from kgbuild.link import link
from kgbuild.publish import ntriples
from kgbuild.read.load import article_files, load_file
from kgbuild.read.parse import parse

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:5000/"


def compare(g: Graph, shapes: Graph, where: str, times: dict, diffs: list) -> int:
    """Both engines on G; differences appended to DIFFS; returns the oracle's number of results."""
    out = {}
    for engine in (PYSHACL, TURBO):
        t = time.perf_counter()
        conforms, report = run(g, shapes, engine)
        times[engine] += time.perf_counter() - t
        out[engine] = (conforms, report, result_set(report, shapes))
    (c1, r1, s1), (c2, r2, s2) = out[PYSHACL], out[TURBO]
    if c1 != c2:
        diffs.append(f"{where}: conforms {c1} (pyshacl) ≠ {c2} (pyshacl-turbo)")
    if s1 != s2:
        for x in sorted(s1 - s2, key=str):
            diffs.append(f"{where}: only pyshacl: {x}")
        for x in sorted(s2 - s1, key=str):
            diffs.append(f"{where}: only pyshacl-turbo: {x}")
    elif sorted(_canonical(r1).serialize(format="nt").splitlines()) != sorted(_canonical(r2).serialize(format="nt").splitlines()):
        diffs.append(f"{where}: same results, but the canonical reports differ")
    return len(s1)


def sets(shared: Path, synthetic: int, tmp: Path) -> dict[str, list[Path]]:
    gold = shared / "gold"
    out = {"seed (data/articles)": article_files([ROOT / "data" / "articles"]),
           "gold/": sorted(gold.glob("*.md")),
           "gold/dev2/": sorted((gold / "dev2").glob("*.md")),
           "gold/dev3/": sorted((gold / "dev3").glob("*.md")),
           "national reports": sorted((shared / "corpus" / "national").glob("*.md"))}
    out = {k: [f for f in v if f.name not in ("GUIDELINES.md", "README.md")] for k, v in out.items()}
    if synthetic:
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(tmp), "--count", str(synthetic)],
                       check=True, stdout=subprocess.DEVNULL)
        out[f"synthetic ({synthetic})"] = sorted(tmp.glob("*.md"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--synthetic", type=int, default=300)
    ap.add_argument("--no-union", action="store_true", help="per-article graphs only")
    args = ap.parse_args()
    lex = lexicon.load()
    diffs: list[str] = []
    total = {PYSHACL: 0.0, TURBO: 0.0}
    print(f"{'set':24s} {'articles':>8s} {'triples':>9s} {'results':>8s} {'pyshacl s':>10s} {'turbo s':>9s} {'ratio':>7s}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in sets(args.shared, args.synthetic, Path(tmp)).items():
            times = {PYSHACL: 0.0, TURBO: 0.0}
            union, n_results, n_triples, n = new_graph(), 0, 0, 0
            for f in files:
                try:
                    g = to_rdf(extract(parse(load_file(f)), lex), BASE, __version__)
                except Exception as e:  # noqa: BLE001 — an unreadable article is the build's business, not the gate's
                    print(f"  {f.name}: not built ({e.__class__.__name__}); left out", file=sys.stderr)
                    continue
                n += 1
                n_triples += len(g)
                n_results += compare(g, shapes_graph(), f"{name} {f.name}", times, diffs)
                union += g
            if not args.no_union and n:
                links = links_to_rdf(link(ntriples(union)), BASE)
                union += links
                n_results += compare(union, shapes_graph(), f"{name} union+links", times, diffs)
                n_results += compare(union, links_shapes(), f"{name} union+links (links.ttl)", times, diffs)
            for e in total:
                total[e] += times[e]
            print(f"{name:24s} {n:8d} {n_triples:9d} {n_results:8d} {times[PYSHACL]:10.2f} {times[TURBO]:9.2f} "
                  f"{times[PYSHACL] / max(times[TURBO], 1e-9):6.1f}×", flush=True)
    print(f"{'all':24s} {'':8s} {'':9s} {'':8s} {total[PYSHACL]:10.2f} {total[TURBO]:9.2f} "
          f"{total[PYSHACL] / max(total[TURBO], 1e-9):6.1f}×")
    if diffs:
        print(f"\n{len(diffs)} difference(s):")
        print("\n".join(diffs))
        return 1
    print("\nno difference: same conforms, same results, same canonical reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())

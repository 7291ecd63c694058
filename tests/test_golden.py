"""The seed graph must stay isomorphic to the reviewed golden file (tests/golden/quanzhou-2022.ttl).

The golden file was generated once and reviewed against ../shared/gold/quanzhou-2022.json (all
34 targets, values, comparators, units, areas). To accept an intended change, regenerate it with
`kgbuild build data/articles --out /tmp/d && cp /tmp/d/dataset.ttl tests/golden/quanzhou-2022.ttl`
and review the diff this test prints.
"""

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from kgbuild.pipeline import graph_for
from conftest import SEED

GOLDEN = Path(__file__).parent / "golden" / "quanzhou-2022.ttl"


def _lines(g: Graph) -> str:
    return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g))


def test_seed_graph_matches_golden():
    built, _ = graph_for([SEED])
    golden = Graph().parse(GOLDEN, format="turtle")
    a, b = to_isomorphic(built), to_isomorphic(golden)
    if a != b:
        _, only_built, only_golden = graph_diff(a, b)
        raise AssertionError(f"graph differs from {GOLDEN.name}\n"
                             f"only in the new build ({len(only_built)}):\n{_lines(only_built)}\n"
                             f"only in the golden file ({len(only_golden)}):\n{_lines(only_golden)}")

"""link.rows reads queries/link-statements.rq's rows without the query engine: the same rows as
Oxigraph gives (or None, and the query runs), on every article we have and on values written in
every form the module reads or refuses."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from conftest import BIN, ROOT, SEED, gold_dir, national_dir
from kgbuild.graph import lines as ntlines
from kgbuild.link import rows as fast
from kgbuild.link.outcomes import COLUMNS
from kgbuild.model import ArticleBuild
from kgbuild.publish import canned
from kgbuild.publish.store import memory_store, read_query, rows as query_rows

QUERY = read_query("link-statements")


def _by_query(nt: str) -> tuple:
    _, found = query_rows(memory_store(nt.encode("utf-8"), []), QUERY)
    return tuple(tuple(r[c] for c in COLUMNS) for r in found)


def test_written_for_this_query():
    """link.rows reads the query it was written for: a changed query needs link/rows.py read again
    against it (and QUERY_SHA256 updated); until then the query runs."""
    assert hashlib.sha256(QUERY.encode("utf-8")).hexdigest() == fast.QUERY_SHA256, \
        "queries/link-statements.rq changed: check kgbuild/link/rows.py against it, then update QUERY_SHA256"
    assert fast.read("", QUERY + "\n# another query") is None


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[ArticleBuild]:
    from kgbuild.pipeline import article
    synth = tmp_path_factory.mktemp("synth")
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(synth), "--count", "40", "--seed", "11"],
                   check=True, capture_output=True)
    files = ([SEED, ROOT / "tests" / "data" / "made-up-report.md"] + sorted(gold_dir().rglob("*.md"))
             + sorted(national_dir().glob("*.md")) + sorted(synth.glob("*.md")))
    return [a for a in (article(f) for f in files if f.name != "GUIDELINES.md") if isinstance(a, ArticleBuild)]


def test_same_rows_as_the_query_on_every_article(articles):
    names = canned.predicates(QUERY)
    read = 0
    for a in articles:
        lines = ntlines.matching(a.ntriples, names)
        got = fast.read(lines, QUERY)
        if got is not None:
            read += 1
            assert got == _by_query(lines), a.file
        assert a.statements == _by_query(lines), a.file        # what the build kept, whichever way
    assert read >= len(articles) * 0.9                          # the query runs for a few at most
    union = "".join(sorted({line + "\n" for a in articles for line in ntlines.matching(a.ntriples, names).splitlines()}))
    assert fast.read(union, QUERY) in (None, _by_query(union))     # None: a value several articles give differently


T = "http://example.org/id/target/a/x"
P = "https://w3id.org/ptkg/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _target(value: str, more: str = "") -> str:
    return (f"<{T}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{P}Target> .\n"
            f"<{T}> <{P}place> <http://example.org/id/place/p> .\n"
            f"<{T}> <{P}indicator> <http://example.org/id/indicator/i> .\n"
            f'<{T}> <{P}year> "2025"^^<{XSD}gYear> .\n'
            f"<{T}> <{P}comparator> <https://w3id.org/ptkg/code/comparator#eq> .\n"
            f"<{T}> <{P}kind> <https://w3id.org/ptkg/code/kind#level> .\n"
            f"<{T}> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.org/id/article/a> .\n"
            f"<{T}> <{P}value> {value} .\n" + more)


@pytest.mark.parametrize("value", [f'"{v}"^^<{XSD}decimal>' for v in
                                   ("30.0", "1.50", "0.0", "-0.5", "0.001", "123.450", "-12.0", "100.000000000000000001")]
                         + ['"x"', '"x"@zh', f'"x"^^<{XSD}string>'])
def test_values_as_oxigraph_gives_them(value):
    nt = _target(value, f'<http://example.org/id/article/a> <http://purl.org/dc/terms/issued> "2024-01-05T09:00:00+08:00"^^<{XSD}dateTime> .\n'
                        f'<{T}> <{P}approximate> "true"^^<{XSD}boolean> .\n')
    got = fast.read(nt, QUERY)
    assert got is not None and got == _by_query(nt)


@pytest.mark.parametrize("more", [
    f'<{T}> <{P}value> "7.0"^^<{XSD}decimal> .\n',                         # two values: two rows
    f"<{T}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{P}Observation> .\n",   # two types
    f'<{T}> <{P}approximate> "1"^^<{XSD}boolean> .\n',                      # read back as "true"
    f'<{T}> <{P}confidence> "-0.0"^^<{XSD}decimal> .\n',
    f'<{T}> <{P}confidence> "0.5"^^<{XSD}double> .\n',
    f'<{T}> <{P}unit> "a\\"b" .\n',                                         # an escape
    f'<http://example.org/id/article/a> <http://purl.org/dc/terms/issued> "2024-01-05T24:00:00"^^<{XSD}dateTime> .\n',
    f'<{T}> <{P}statedIndicator> _:b .\n',
    f'<{T}> <{P}aggregation> <urn:x:y> .\n',
    f'<{T}> <{P}unit>  "x" .\n',                                          # not the lines graph.lines writes
    f'<{T}> <{P}unit> .\n',
    f'<{T}> <{P}unit> <http://example.org/a>b> .\n',
    f'<{T}><{P}unit> "x" .\n',
])
def test_what_it_does_not_read_runs_the_query(more):
    nt = _target(f'"5.0"^^<{XSD}decimal>', more)
    assert fast.read(nt, QUERY) is None

"""The build writes each canned answer once, as SPARQL JSON (store.write_answer); the server derives
the CSV, TSV and XML forms from it (server/service/canned.py derive). Each derived form must be the
bytes the engine gives for the same query: TSV and XML as pyoxigraph writes them from the live
solutions, CSV as /sparql writes it (the worker's spreadsheet-safe writer, fed from the live
solutions rather than from the JSON). The data holds the cells that go wrong: formulas, commas,
quotes, newlines, tabs, language tags, typed literals, blank nodes and unbound values."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from conftest import ROOT, SEED
from kgbuild import paths
from kgbuild.pipeline import graph_for
from kgbuild.publish import store
from kgbuild.publish.serialise import ntriples
from server.service import worker
from server.service.canned import answer_form, derive

X = "http://example.org/"
TRICKY = f"""
<{X}a> <{X}label> "=HYPERLINK(\\"http://evil\\",\\"x\\")" .
<{X}a> <{X}note> "plain, with a comma" .
<{X}b> <{X}label> "+1" .
<{X}b> <{X}note> "say \\"hi\\"\\nsecond line\\tand a tab" .
<{X}c> <{X}label> "@SUM(A1)"@en .
<{X}c> <{X}note> "-3.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<{X}d> <{X}label> "-minus"@zh-Hans .
<{X}d> <{X}note> _:n1 .
<{X}e> <{X}label> "城市，逗号" .
_:n2 <{X}label> "\\r carriage" .
"""
QUERY = f"SELECT ?s ?l ?n WHERE {{ ?s <{X}label> ?l OPTIONAL {{ ?s <{X}note> ?n }} }} ORDER BY STR(?l)"


def _live(st: ox.Store, query: str, fmt: str) -> bytes:
    """What /sparql's worker sends for QUERY in FMT (run on the store itself)."""
    out = worker.execute(st, {"query": query, "default_graphs": [], "named_graphs": [], "max_rows": 10 ** 6,
                              "results_format": fmt, "graph_format": "ttl"})
    assert out[0] == "ok", out
    return out[3]


def _forms_agree(st: ox.Store, query: str, tmp_path, name: str = "q") -> bytes:
    body = st.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    rows = store.write_answer(tmp_path, name, body)
    assert rows == len(list(st.query(query)))
    assert answer_form(tmp_path, name, "json") == body
    for fmt, engine in (("tsv", ox.QueryResultsFormat.TSV), ("xml", ox.QueryResultsFormat.XML)):
        assert derive(body, fmt) == st.query(query).serialize(format=engine), fmt
        assert answer_form(tmp_path, name, fmt, "v1") == derive(body, fmt)
    assert derive(body, "csv") == _live(st, query, "csv")
    assert answer_form(tmp_path, name, "csv", "v1") == derive(body, "csv")
    return derive(body, "csv")


def test_tricky_cells_derive_to_the_engine_s_bytes(tmp_path):
    st = ox.Store()
    st.load(TRICKY.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    got = _forms_agree(st, QUERY, tmp_path)
    rows = list(csv.reader(io.StringIO(got.decode("utf-8"), newline="")))
    assert rows[0] == ["s", "l", "n"]
    cells = {r[1]: r for r in rows[1:]}
    # formulas are neutralised; numbers stay numbers; the rest is kept as written
    assert cells["'=HYPERLINK(\"http://evil\",\"x\")"][2] == "plain, with a comma"
    assert cells["+1"][2] == "say \"hi\"\nsecond line\tand a tab"
    assert cells["'@SUM(A1)"][2] == "-3.5"
    assert cells["'-minus"][2].startswith("_:")
    assert cells["城市，逗号"][2] == ""                       # unbound
    assert cells["'\r carriage"][0].startswith("_:")
    assert got.endswith(b"\r\n") and got.count(b"\r\n") >= len(rows)


def test_unknown_answers_are_none(tmp_path):
    assert answer_form(tmp_path, "missing", "csv") is None


@pytest.fixture(scope="module")
def seeded() -> ox.Store:
    g, _ = graph_for([SEED, ROOT / "tests" / "data" / "made-up-report.md"])
    return store.memory_store(ntriples(g), sorted(paths.ontology_dir().glob("*.ttl")))


@pytest.mark.parametrize("rq", sorted(p.name for p in paths.queries_dir().glob("*.rq")))
def test_every_canned_answer_derives_to_the_engine_s_bytes(seeded, rq, tmp_path):
    """A real answer of each canned query, on the seed article and a made-up report."""
    st = seeded
    query = (paths.queries_dir() / rq).read_text(encoding="utf-8")
    if not isinstance(st.query(query), ox.QuerySolutions):
        pytest.skip("not a SELECT query")
    _forms_agree(st, query, tmp_path, rq[:-3])


LOOKALIKES = f"""
<{X}f> <{X}label> "{{\\"s\\":{{\\"type\\":\\"uri\\",\\"value\\":\\"x\\"}}}}" .
<{X}f> <{X}note> "}}}},{{\\"s\\":{{\\"type\\":\\"" .
<{X}g> <{X}label> "ends with an opening brace {{" .
<{X}g> <{X}note> "[{{" .
<{X}h> <{X}label> "a back\\\\slash\\\\" .
"""


@pytest.mark.parametrize("query", [
    QUERY,
    f"SELECT ?l WHERE {{ ?s <{X}label> ?l }}",
    f"SELECT ?s WHERE {{ ?s <{X}nothing> ?l }}",                              # no solutions
    f"SELECT ?n WHERE {{ ?s <{X}label> ?l OPTIONAL {{ ?s <{X}nothing> ?n }} }}",   # solutions binding nothing
    f"SELECT ?l ?n WHERE {{ ?s <{X}label> ?l OPTIONAL {{ ?s <{X}note> ?n }} }}",
])
def test_rows_are_counted_in_the_bytes_as_json_parses_them(tmp_path, query):
    """store.count_rows (what write_answer returns when the answer is not parsed) gives the number
    of solutions, with literals that look like the results' own structure."""
    import json
    st = ox.Store()
    st.load((TRICKY + LOOKALIKES).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    body = st.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    n = len(list(st.query(query)))
    assert store.count_rows(body) == len(json.loads(body)["results"]["bindings"]) == n
    parsed = {"q": None}
    assert store.write_answer(tmp_path, "q", body, parsed) == store.write_answer(tmp_path, "r", body, parsed) == n
    assert parsed["q"] == json.loads(body) and "r" not in parsed


def test_the_canned_answers_rows_and_the_records_read_from_them_parsed_or_not(tmp_path):
    """Every canned query on the seed and a made-up report: the rows precompute returns (counted in
    the bytes, or parsed for the answers asked for) are the answer files' own, and the target
    records and review queue made from the parsed answers are those made from the files."""
    import json
    from kgbuild.report import review, targets
    g, _ = graph_for([SEED, ROOT / "tests" / "data" / "made-up-report.md"])
    st = ox.Store()
    st.bulk_load(io.BytesIO(ntriples(g)), ox.RdfFormat.N_TRIPLES)
    for f in sorted(paths.ontology_dir().glob("*.ttl")):
        st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    queries = sorted(paths.queries_dir().glob("*.rq"))
    parsed = dict.fromkeys(("targets", "outcomes", "review"))
    rows = store.precompute(st, queries, tmp_path, X, parsed=parsed)
    assert rows == {q.stem: len(json.loads((tmp_path / f"{q.stem}.json").read_bytes())["results"]["bindings"])
                    for q in queries}
    assert rows["targets"] and rows["review"]
    assert all(parsed[n] == json.loads((tmp_path / f"{n}.json").read_bytes()) for n in parsed)
    assert targets.records(st, tmp_path, parsed) == targets.records(st, tmp_path) == targets.records(st)
    base = "http://example.org/kg/"
    assert review.items(st, base, tmp_path, parsed) == review.items(st, base, tmp_path)

"""publish.canned: a rebuild keeps a canned answer only when no changed triple can reach the query.
The claim is checked against the engine itself: every triple the test calls unreachable is removed
from a real union graph (the seed, a made-up report and their links) and each canned query must
still give the same bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, SEED
from kgbuild import paths
from kgbuild.pipeline import graph_for
from kgbuild.publish import canned, order, store
from kgbuild.publish.serialise import ntriples

P = "PREFIX : <http://example.org/> "
X = "http://example.org/"


def t(s: str, p: str, o: str) -> tuple[str, str, str]:
    return f"<{X}{s}>", f"<{X}{p}>", (o if o.startswith('"') else f"<{X}{o}>")


def test_a_change_matters_only_where_a_pattern_can_match_it():
    q = P + "SELECT ?s ?l WHERE { ?s a :Target ; :label ?l OPTIONAL { ?s :unit/:name ?u } }"
    assert canned.affected(q, {t("a", "label", '"x"')})
    assert canned.affected(q, {t("a", "name", '"x"')})                 # a path's step
    assert canned.affected(q, {("<http://a>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{X}Target>")})
    assert not canned.affected(q, {("<http://a>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{X}Other>")})
    assert not canned.affected(q, {t("a", "isString", '"text"'), t("a", "sha256", '"00"')})
    assert not canned.affected(q, set())


def test_patterns_inside_exists_count():
    q = P + "SELECT ?s WHERE { ?s :x ?o FILTER NOT EXISTS { ?o :y :z ; :w ?q } }"
    assert canned.affected(q, {t("a", "y", "z")}) and canned.affected(q, {t("a", "w", "b")})
    assert not canned.affected(q, {t("a", "y", "other")})


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o }",                              # any predicate
    "SELECT * { ?s :x ?o FILTER EXISTS { ?o ?p ?q } }",
    "SELECT * { ?s :x* ?o }",                             # zero-length steps match every node
    "SELECT * { ?s :x? ?o }",
    "SELECT * { ?s !:x ?o }",                             # a negated property set
    "SELECT * { GRAPH ?g { } }",                          # which graphs there are
    "SELECT (NOW() AS ?n) (RAND() AS ?r) { ?s :x ?o }",   # not fixed by the data
    "SELECT * { ?s :x ?o",                                # unreadable: run again
])
def test_what_may_read_anything_is_always_run_again(query):
    assert canned.patterns(P + query) is None
    assert canned.affected(P + query, {t("a", "unrelated", '"x"')})


def test_the_answer_files_are_the_ones_precompute_writes(tmp_path):
    st = ox.Store()
    st.add(ox.Quad(ox.NamedNode(X + "a"), ox.NamedNode(X + "b"), ox.Literal("c")))
    q = tmp_path / "one.rq"
    q.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert store.precompute(st, [q], tmp_path / "out", X) == {"one": 1}
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == [f"one.{ext}" for ext in canned.ANSWER_FILES]


@pytest.fixture(scope="module")
def union() -> list[ox.Triple]:
    g, _ = graph_for([SEED, ROOT / "tests" / "data" / "made-up-report.md"])
    return list(ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES))


def _answer(triples: list[ox.Triple], query: str, on_disk=None) -> bytes:
    """The answer on a store of TRIPLES and the ontology: in memory, or on disk (a folder) for the
    queries store.precompute runs on the store itself."""
    st = ox.Store(str(on_disk)) if on_disk else ox.Store()
    st.bulk_load(io.BytesIO("".join(f"{x} .\n" for x in triples).encode("utf-8")), ox.RdfFormat.N_TRIPLES)
    for f in sorted(paths.ontology_dir().glob("*.ttl")):
        st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    return st.query(query).serialize(format=ox.QueryResultsFormat.JSON)


@pytest.mark.parametrize("rq", sorted(p.name for p in paths.queries_dir().glob("*.rq")))
def test_removing_every_unreachable_triple_leaves_each_canned_answer_as_it_was(union, rq, tmp_path):
    query = (paths.queries_dir() / rq).read_text(encoding="utf-8")
    assert canned.patterns(query) is not None, f"{rq}: read as reading anything; it would never be kept"
    key = store._key
    unread = [x for x in union if not canned.affected(query, {key(x)})]
    read = [x for x in union if canned.affected(query, {key(x)})]
    assert unread and read                               # both sides exist, so the check below can fail
    assert not canned.affected(query, {key(x) for x in unread})
    disk = (lambda name: tmp_path / name) if store.needs_the_store(query) else (lambda name: None)
    full = _answer(union, query, disk("all"))
    assert _answer(read, query, disk("read")) == full, f"{rq}: a triple called unreachable changed the answer"
    if b'"bindings":[]' not in full:                     # and what it reads does matter
        assert _answer(unread, query, disk("unread")) != full


def test_a_query_a_previous_manifest_has_a_plan_for_is_not_parsed_again_to_say_where_it_runs(tmp_path, monkeypatch):
    """A rebuild asks needs_the_store of the canned queries it runs in full: a text whose plan the
    previous manifest lists (shape.remember) was planned only because its aggregates do not depend
    on the order, so rdflib's parser (0.05–0.2 s a query) is not run again; a text listed without
    a plan still is, and a GRAPH query needs the store either way. (A temporary folder of its own:
    what another build kept there of these texts (publish.parsed) would spare the parse.)"""
    import tempfile
    from kgbuild.publish import parsed, shape
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(parsed, "_known", None)
    planned = (paths.queries_dir() / "growth-targets.rq").read_text(encoding="utf-8")
    unordered = 'SELECT ?s (GROUP_CONCAT(?l) AS ?ls) WHERE { ?s <http://x/l> ?l } GROUP BY ?s ORDER BY ?s'
    graph = "SELECT ?s WHERE { GRAPH <http://x/g> { ?s <http://x/l> ?l } } ORDER BY ?s"
    listed = shape.listed(planned)
    assert listed is not None and shape.listed(unordered) is None
    texts = {"planned": planned + "# listed by a previous manifest\n", "unordered": unordered + " # listed\n",
             "graph": graph + " # listed\n"}
    (tmp_path / "queries").mkdir()
    for name, text in texts.items():
        (tmp_path / "queries" / f"{name}.rq").write_text(text, encoding="utf-8")
    shape.remember(tmp_path, {"canned": {"planned": {"plan": listed}, "unordered": {"plan": None},
                                         "graph": {"plan": listed}}})
    parsed = order.algebra.cache_info().misses
    assert not store.needs_the_store(texts["planned"])
    assert order.algebra.cache_info().misses == parsed          # not parsed
    assert store.needs_the_store(texts["graph"])
    assert store.needs_the_store(texts["unordered"])
    assert order.algebra.cache_info().misses == parsed + 1      # parsed: no plan says it is safe


def test_which_canned_queries_run_on_the_store_itself():
    assert store.needs_the_store("SELECT ?g { GRAPH ?g { ?s ?p ?o } }")
    assert store.needs_the_store("SELECT * FROM <http://x/g> { ?s ?p ?o }")
    assert store.needs_the_store('SELECT (group_concat(?l; separator=" ") AS ?ls) { ?s <http://x/l> ?l }')
    assert store.needs_the_store("SELECT (SAMPLE(?l) AS ?one) { ?s <http://x/l> ?l }")
    assert store.needs_the_store("SELECT ?s { ?s <http://x/l> ?l")          # unreadable: not known to be safe
    assert not store.needs_the_store("# the graph of every article\nSELECT ?s { ?s a <http://x/T> }")
    assert not store.needs_the_store(ORDERED)
    assert not any(store.needs_the_store(q.read_text(encoding="utf-8")) for q in paths.queries_dir().glob("*.rq"))


ORDERED = ('SELECT ?s (GROUP_CONCAT(DISTINCT ?l; separator="|") AS ?ls) '
           '{ { SELECT ?s ?l { ?s <http://x/c> ?c OPTIONAL { ?s <http://x/l> ?l } } ORDER BY ?l } } GROUP BY ?s ORDER BY ?s')


@pytest.mark.parametrize("query, safe", [
    (ORDERED, True),
    (ORDERED.replace("ORDER BY ?l", "ORDER BY DESC(?s) ?l"), True),          # ?l among the keys
    (ORDERED.replace("ORDER BY ?l", "ORDER BY ?s"), False),                   # not ordered by what it joins
    (ORDERED.replace("ORDER BY ?l } }", "ORDER BY ?l } ?s <http://x/m> ?m }"), False),   # a join after the order
    (ORDERED.replace("DISTINCT ?l;", "DISTINCT STR(?l);"), False),            # an expression
    ('SELECT (GROUP_CONCAT(?l) AS ?ls) { { SELECT ?l { ?s <http://x/l> ?l } ORDER BY ?l } }', True),
    ("SELECT ?s (SAMPLE(?l) AS ?one) { ?s <http://x/l> ?l } GROUP BY ?s", False),
    ("SELECT ?s (SAMPLE(?s) AS ?one) (COUNT(*) AS ?n) { ?s <http://x/l> ?l } GROUP BY ?s", True),   # a group key
])
def test_which_aggregates_do_not_depend_on_the_order_of_solutions(query, safe):
    assert order.concatenated_in_order(query) is safe


def test_an_ordered_sub_select_is_concatenated_in_order_on_both_stores(tmp_path):
    """What publish.order relies on: pyoxigraph joins a group's values in the order the sub-select
    gives them, on RocksDB and in memory alike, where a plain GROUP_CONCAT follows each store's
    index order (the two disagree here). Values longer than 15 bytes are stored by their hash."""
    import random
    rnd = random.Random(3)
    lines = []
    for i in range(200):
        lines.append(f'<http://x/s{i}> <http://x/c> "{i % 7}" .')
        for _ in range(rnd.randint(1, 10)):
            word = "".join(rnd.choice("abcxyz 置信度单位") for _ in range(rnd.randint(1, 40)))
            lines.append(f'<http://x/s{i}> <http://x/l> "{word}" .')
    nt = "\n".join(lines).encode("utf-8")
    disk, memory = ox.Store(str(tmp_path / "store")), ox.Store()
    for st in (disk, memory):
        st.bulk_load(io.BytesIO(nt), ox.RdfFormat.N_TRIPLES)

    def answer(st, query):
        return [(str(s["s"]), s["ls"].value) for s in st.query(query)]
    plain = ORDERED.replace("{ { SELECT ?s ?l {", "{ {").replace("} ORDER BY ?l } }", "} }")
    assert answer(disk, plain) != answer(memory, plain)           # the orders do differ
    for st in (disk, memory):
        got = answer(st, ORDERED)
        assert len(got) == 200 and all(ls.split("|") == sorted(ls.split("|")) for _, ls in got)
    assert answer(disk, ORDERED) == answer(memory, ORDERED)


@pytest.mark.parametrize("rq", sorted(p.name for p in paths.queries_dir().glob("*.rq")))
def test_the_in_memory_copy_gives_the_stores_solutions(union, rq, tmp_path):
    """store.precompute runs a canned query on an in-memory copy of the default graph unless it
    needs the store: the same solutions, each with the same values, as the on-disk store."""
    import json
    query = (paths.queries_dir() / rq).read_text(encoding="utf-8")
    nt = "".join(f"{x} .\n" for x in union).encode("utf-8")
    onto = sorted(paths.ontology_dir().glob("*.ttl"))
    disk = ox.Store(str(tmp_path / "store"))
    disk.bulk_load(io.BytesIO(nt), ox.RdfFormat.N_TRIPLES)
    for f in onto:
        disk.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    memory = store.memory_store(nt, onto)

    def rows(st):
        doc = json.loads(st.query(query).serialize(format=ox.QueryResultsFormat.JSON))
        return sorted(json.dumps(b, sort_keys=True) for b in doc["results"]["bindings"])
    if not store.needs_the_store(query):
        assert rows(memory) == rows(disk), rq


@pytest.fixture(scope="module")
def synthetic_union(tmp_path_factory) -> list[ox.Triple]:
    """Thirty synthetic articles (bench/synth.py) and their links: targets that tie on what a
    query orders by first (the same value, the same plan and indicator)."""
    import subprocess
    import sys
    d = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(d), "--count", "30", "--seed", "5"],
                   check=True, capture_output=True)
    g, _ = graph_for(sorted(d.glob("*.md")))
    return list(ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("rq", sorted(p.name for p in paths.queries_dir().glob("*.rq")))
def test_each_canned_answer_is_the_same_whatever_order_the_triples_were_loaded_in(synthetic_union, rq):
    """An in-memory store meets triples in the order they were added, and rows that tie under
    ORDER BY come in that order; a rebuild's copy (publish.memory) is filled in another order than
    a full build's, so every canned query orders its rows completely (growth-targets.rq and
    targets-by-area.rq did not, and failed here)."""
    query = (paths.queries_dir() / rq).read_text(encoding="utf-8")
    onto = sorted(paths.ontology_dir().glob("*.ttl"))
    forwards = store.memory_store("".join(f"{x} .\n" for x in synthetic_union).encode("utf-8"), onto)
    backwards = store.memory_store("".join(f"{x} .\n" for x in reversed(synthetic_union)).encode("utf-8"), onto[::-1])
    assert forwards.query(query).serialize(format=ox.QueryResultsFormat.JSON) == \
        backwards.query(query).serialize(format=ox.QueryResultsFormat.JSON), rq


def test_a_graph_made_again_with_the_same_triples_changes_none(tmp_path):
    """store.update_store returns the triples that changed, which decide what keep keeps: the store
    keeps a number's value ("07"^^xsd:positiveInteger comes back "7"^^xsd:integer), so a graph
    given again as N-Triples with the same triples, its numbers in derived types or other lexical
    forms, changes nothing; the one triple that did change is the only one returned, and the
    updated store holds what a store built from the new graph holds."""
    g = f"{X}graph/a"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    same = (f'<{X}s> <{X}order> "07"^^<{xsd}positiveInteger> .\n'
            f'<{X}s> <{X}begin> "12"^^<{xsd}nonNegativeInteger> .\n'
            f'<{X}s> <{X}value> "1.50"^^<{xsd}decimal> .\n'
            f'<{X}s> <{X}label> "甲"@zh .\n')
    before, after = same + f'<{X}s> <{X}text> "一。" .\n', same + f'<{X}s> <{X}text> "一；" .\n'

    def built(folder: Path, text: str) -> Path:
        nq, nt = tmp_path / f"{folder.name}.nq", tmp_path / f"{folder.name}.nt"
        nq.write_text(text.replace(" .\n", f" <{g}> .\n"), encoding="utf-8")
        nt.write_text(text, encoding="utf-8")
        store.build_store(folder, nq, [], f"{X}graph/ontology", nt)
        return folder

    first, fresh = built(tmp_path / "first", before), built(tmp_path / "fresh", after)
    changed = store.update_store(first, tmp_path / "updated", {g: after})
    assert changed == {t("s", "text", '"一。"'), t("s", "text", '"一；"')}
    assert store.quads(tmp_path / "updated") == store.quads(fresh)


def test_the_patterns_a_manifest_lists_are_the_parsed_ones_and_are_taken_for_the_same_text(tmp_path):
    """A version's manifest lists each canned query's patterns (canned.listed, what parsing the
    query gives); a rebuild takes them for a query whose text is the same (canned.remember: no
    rdflib parse), and parses a query whose text changed."""
    queries = sorted(paths.queries_dir().glob("*.rq"))
    manifest = {"canned": {q.stem: {"rows": 1, "patterns": canned.listed(q.read_text(encoding="utf-8"))}
                           for q in queries}}
    for q in queries:
        text = q.read_text(encoding="utf-8")
        assert manifest["canned"][q.stem]["patterns"] == [list(p) for p in canned._patterns(text)], q.name
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "a.rq").write_text(P + "SELECT ?s WHERE { ?s :p ?o }", encoding="utf-8")
    (tmp_path / "queries" / "b.rq").write_text(P + "SELECT ?s WHERE { ?s :q ?o }", encoding="utf-8")
    # what the manifest says is taken as it is (here on purpose not what parsing gives)
    canned.remember(tmp_path, {"canned": {"a": {"rows": 1, "patterns": [[None, f"<{X}r>", None]]},
                                          "b": {"rows": 1, "patterns": "not a list"}}})
    assert canned.predicates(P + "SELECT ?s WHERE { ?s :p ?o }") == {f"<{X}r>"}
    assert canned.predicates(P + "SELECT ?s WHERE { ?s :q ?o }") == {f"<{X}q>"}
    canned._KNOWN.clear()


def test_the_in_memory_copy_filled_in_one_transaction_holds_what_bulk_load_gives(synthetic_union, tmp_path):
    """store.memory_load fills the in-memory copy with Store.load (cheaper there than bulk_load):
    the same quads, from bytes or a file, leniently or strictly as asked (a line with an IRI the
    strict parser refuses is kept leniently and refused strictly by both), and each canned query
    gives the same bytes on either copy."""
    nt = "".join(f"{x} .\n" for x in synthetic_union).encode("utf-8")
    bad = b'<http://example.org/a b> <http://example.org/p> "x" .\n'
    (tmp_path / "u.nt").write_bytes(nt + bad)
    onto = sorted(paths.ontology_dir().glob("*.ttl"))
    bulk = ox.Store()
    bulk.bulk_load(path=str(tmp_path / "u.nt"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    for f in onto:
        bulk.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    from_file = store.memory_store(tmp_path / "u.nt", onto)
    from_bytes = ox.Store()
    store.memory_load(from_bytes, nt + bad, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    for f in onto:
        store.memory_load(from_bytes, path=f, format=ox.RdfFormat.TURTLE)
    assert set(from_file) == set(bulk) == set(from_bytes) and len(bulk) > len(synthetic_union)
    with pytest.raises(SyntaxError):
        store.memory_store(nt + bad, [])
    with pytest.raises(SyntaxError):
        ox.Store().bulk_load(nt + bad, ox.RdfFormat.N_TRIPLES)
    for q in sorted(paths.queries_dir().glob("*.rq")):
        text = q.read_text(encoding="utf-8")
        assert from_file.query(text).serialize(format=ox.QueryResultsFormat.JSON) == \
            bulk.query(text).serialize(format=ox.QueryResultsFormat.JSON), q.name

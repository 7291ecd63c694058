"""Canned answers brought up to date row by row (publish.delta, publish.shape) are byte for byte
what running the query in full on the new graph gives, for random edits of a synthetic corpus:
triples removed, figures changed, articles added and removed."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kgbuild import paths
from kgbuild.pipeline import graph_for
from kgbuild.publish import answer, delta, shape, store
from kgbuild.publish.serialise import ntriples

QUERIES = sorted(paths.queries_dir().glob("*.rq"))
PTKG = "https://w3id.org/ptkg/ns#"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[ox.Triple]:
    d = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(d), "--count", "24", "--seed", "11"],
                   check=True, capture_output=True)
    g, _ = graph_for(sorted(d.glob("*.md")))
    return list(ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES))


def _store(triples) -> ox.Store:
    st = ox.Store()
    st.bulk_load(io.BytesIO("".join(f"{x} .\n" for x in triples).encode("utf-8")), ox.RdfFormat.N_TRIPLES)
    for f in sorted(paths.ontology_dir().glob("*.ttl")):
        st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    return st


def _edit(triples: list[ox.Triple], rng: random.Random) -> list[ox.Triple]:
    """TRIPLES after a random edit: one subject's figures changed, a few triples gone, the triples
    of some article's nodes gone (or, read the other way round, added)."""
    out = list(triples)
    kind = rng.choice(["figure", "drop", "article", "mixed"])
    if kind in ("figure", "mixed"):
        values = [i for i, t in enumerate(out) if t.predicate.value in (PTKG + "value", PTKG + "minValue")]
        for i in rng.sample(values, min(len(values), rng.choice([1, 3]))):
            t = out[i]
            out[i] = ox.Triple(t.subject, t.predicate, ox.Literal(str(float(t.object.value) + 1), datatype=t.object.datatype))
    if kind in ("drop", "mixed"):
        for i in sorted(rng.sample(range(len(out)), 5), reverse=True):
            del out[i]
    if kind in ("article", "mixed"):
        articles = sorted({t.subject.value.split("/")[-2] for t in out if "/id/target/" in t.subject.value})
        gone = rng.choice(articles)
        out = [t for t in out if f"/{gone}/" not in t.subject.value and f"/{gone}/" not in t.object.value
               and not (isinstance(t.object, ox.Literal) and t.object.value == f"{gone}.md")]
    return out


def _keys(st: ox.Store) -> set[tuple[str, str, str]]:
    return {store._key(q.triple) for q in st}


def test_which_queries_are_planned():
    planned = {q.stem for q in QUERIES if shape.plan(q.read_text(encoding="utf-8"))}
    assert "target-provenance" not in planned              # LIMIT 1 in a sub-select: runs in full
    assert {"review", "targets", "link-statements", "observations", "outcomes"} <= planned


@pytest.mark.parametrize("query", [
    "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o",                               # a variable predicate
    "SELECT ?s WHERE { ?s <http://x/p> ?o . ?a <http://x/q> ?b } ORDER BY ?s",      # not connected
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s <http://x/p> ?o } LIMIT 3 } } ORDER BY ?s",
    "SELECT ?s ?o WHERE { ?s <http://x/p> ?o } ORDER BY ?o",                        # rows of two roots may tie
    "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s <http://x/p> ?o } GROUP BY ?o ORDER BY ?o ?n",   # root ?o: fine
])
def test_what_cannot_be_planned(query):
    planned = shape.plan(query)
    if query.startswith("SELECT ?o (COUNT"):
        assert planned is not None and planned.root == "o"
    else:
        assert planned is None


def test_restrict_puts_values_in_each_group_that_reads_the_root():
    text = (paths.queries_dir() / "review.rq").read_text(encoding="utf-8")
    out = delta.restrict(text, "item", "<http://x/a>")
    # the two branches, the outer group and the five OPTIONAL groups naming ?item; not the EXISTS
    assert out.count("VALUES ?item { <http://x/a> }") == 8
    ox.Store().query(out)                                        # and it parses


@pytest.mark.parametrize("seed", range(10))
def test_updated_answers_are_the_full_answers(corpus, seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(answer, "FEW_NEEDLES", 32 if seed % 2 else 0)    # both ways of finding the old rows
    # and both ways of choosing the roots to look for there: those that may have rows in the old
    # store (before=), or every root the change reaches
    old = _edit(corpus, rng)
    new = _edit(corpus, rng)
    before, after = _store(old), _store(new)
    changed = _keys(before) ^ _keys(after)
    assert changed
    terms = delta._terms(changed)
    updated = 0
    for q in QUERIES:
        text = q.read_text(encoding="utf-8")
        full_old = before.query(text).serialize(format=ox.QueryResultsFormat.JSON)
        full_new = after.query(text).serialize(format=ox.QueryResultsFormat.JSON)
        try:
            got, rows = delta.update(text, full_old, terms, after, "http://example.org/sparql",
                                     store.count_rows(full_old), before=before if seed % 3 else None)
        except delta._Full:
            continue
        assert got == full_new, f"seed {seed}: {q.stem}"
        assert rows == len(json.loads(full_new)["results"]["bindings"]), f"seed {seed}: {q.stem}"
        updated += 1
    assert updated >= 8


def test_a_prefixed_name_is_not_read_as_a_keyword():
    """ptkg:order once read as ORDER (BY) and left the outer group of targets-by-area.rq unrestricted."""
    text = (paths.queries_dir() / "targets-by-area.rq").read_text(encoding="utf-8")
    out = delta.restrict(text, "target", "<http://x/a>")
    where = out.index("WHERE {") + len("WHERE {")
    assert out[where:].lstrip().startswith("{ SELECT ?target WHERE { VALUES ?target { <http://x/a> } } }")


def test_a_plan_listed_in_a_manifest_is_the_parsed_one(tmp_path):
    """A rebuild takes each query's plan from the previous manifest (rdflib parses a query in
    0.04–0.2 s): read back, it is the plan parsing gives."""
    (tmp_path / "queries").mkdir()
    manifest = {"canned": {}}
    for q in QUERIES:
        text = q.read_text(encoding="utf-8")
        (tmp_path / "queries" / q.name).write_text(text, encoding="utf-8")
        manifest["canned"][q.stem] = {"rows": 1, "plan": shape.listed(text)}
    manifest = json.loads(json.dumps(manifest))
    saved = dict(shape._KNOWN)
    try:
        shape._KNOWN.clear()
        shape.remember(tmp_path, manifest)
        assert len(shape._KNOWN) == len(QUERIES)
        for q in QUERIES:
            text = q.read_text(encoding="utf-8")
            assert shape._KNOWN[text] == shape._parsed(text), q.stem
    finally:
        shape._KNOWN.clear()
        shape._KNOWN.update(saved)


PLAIN_UNMAPPED = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?phrase (COUNT(DISTINCT ?s) AS ?statements) (COUNT(DISTINCT ?t) AS ?targets)
       (REPLACE(GROUP_CONCAT(DISTINCT ?unit; separator=" "), "^ ", "") AS ?units)
WHERE {
  {
    SELECT ?phrase ?s ?t ?unit
    WHERE {
      ?s a ?type ; ptkg:statedIndicator ?phrase ; ptkg:indicator ?indicator .
      FILTER (?type IN (ptkg:Target, ptkg:Observation))
      FILTER NOT EXISTS { ?indicator skos:inScheme <https://w3id.org/ptkg/indicator/> }
      OPTIONAL { ?s ptkg:unit ?u }
      BIND (COALESCE(?u, "") AS ?unit)
      OPTIONAL { ?s a ptkg:Target . BIND (?s AS ?t) }
    } ORDER BY ?unit
  }
}
GROUP BY ?phrase
ORDER BY DESC(?statements) ?phrase
"""


@pytest.mark.parametrize("seed", range(3))
def test_unmapped_indicators_reads_its_patterns_whole_with_the_same_answer(corpus, seed):
    """unmapped-indicators.rq joins its patterns as sub-selects read whole (MINUS for the FILTER NOT
    EXISTS) so that pyoxigraph does not look each statement up one by one: its answer is the plain
    patterns' (above), byte for byte, on edited graphs too, in full and restricted to some phrases,
    and its plan walks the same predicates from the same root."""
    text = (paths.queries_dir() / "unmapped-indicators.rq").read_text(encoding="utf-8")
    st = _store(_edit(corpus, random.Random(seed)) if seed else corpus)
    mine = st.query(text).serialize(format=ox.QueryResultsFormat.JSON)
    assert mine == st.query(PLAIN_UNMAPPED).serialize(format=ox.QueryResultsFormat.JSON)
    phrases = [b["phrase"] for b in json.loads(mine)["results"]["bindings"]]
    assert len(phrases) >= 3
    some = " ".join(str(answer._term(p)) for p in phrases[::2])
    assert st.query(delta.restrict(text, "phrase", some)).serialize(format=ox.QueryResultsFormat.JSON) == \
        st.query(delta.restrict(PLAIN_UNMAPPED, "phrase", some)).serialize(format=ox.QueryResultsFormat.JSON)
    a, b = shape.plan(text), shape.plan(PLAIN_UNMAPPED)
    assert a.root == b.root == "phrase" and a.order == b.order
    def walked(p):                  # each pattern: its predicates and constant ends (variables renamed apart)
        return sorted((sorted(e.preds), "?" if e.s.startswith("?") else e.s, "?" if e.o.startswith("?") else e.o)
                      for e in p.edges)
    assert walked(a) == walked(b)


def test_unmapped_indicators_lists_the_units_of_a_phrase_some_of_whose_statements_have_none():
    """A phrase stated by a target with a unit, one without and a reported value with another
    unit lists both units, in order (an unbound unit made pyoxigraph's GROUP_CONCAT unbound for
    the whole phrase); a phrase whose statements have no unit lists none."""
    st = ox.Store()
    st.load(b"""@prefix ptkg: <https://w3id.org/ptkg/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix : <http://example.org/> .
    :a a ptkg:Target ; ptkg:statedIndicator "\xe6\x96\xb0\xe5\xbb\xba\xe7\xbb\xbf\xe9\x81\x93" ; ptkg:indicator :x ; ptkg:unit "km" .
    :b a ptkg:Target ; ptkg:statedIndicator "\xe6\x96\xb0\xe5\xbb\xba\xe7\xbb\xbf\xe9\x81\x93" ; ptkg:indicator :x .
    :c a ptkg:Observation ; ptkg:statedIndicator "\xe6\x96\xb0\xe5\xbb\xba\xe7\xbb\xbf\xe9\x81\x93" ; ptkg:indicator :x ; ptkg:unit "ge" .
    :d a ptkg:Target ; ptkg:statedIndicator "other" ; ptkg:indicator :y .
    :e a ptkg:Target ; ptkg:statedIndicator "mapped" ; ptkg:indicator :z ; ptkg:unit "km" .
    :z skos:inScheme <https://w3id.org/ptkg/indicator/> .
    """, format=ox.RdfFormat.TURTLE)
    text = (paths.queries_dir() / "unmapped-indicators.rq").read_text(encoding="utf-8")
    rows = json.loads(st.query(text).serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]
    got = [(r["phrase"]["value"], r["statements"]["value"], r["targets"]["value"], r["units"]["value"]) for r in rows]
    assert got == [("新建绿道", "3", "2", "ge km"), ("other", "1", "1", "")]

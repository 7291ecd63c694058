"""A newcomer's mistakes sent to a real kgserve over HTTP: no PREFIX lines, an untyped year, a
syntax error, an unknown prefix; and the how-to lists the predeclared prefixes and the codes."""

import re

import pytest
import requests
from rdflib import Graph, Namespace, URIRef

from kgbuild.graph.iris import PREFIXES as BUILD_PREFIXES
from server.service import sparqlhelp

pytestmark = pytest.mark.e2e
SH = Namespace("http://www.w3.org/ns/shacl#")
JSON = {"Accept": "application/sparql-results+json"}


def _ask(server, query, headers=JSON, **kw):
    return requests.post(server.url + "/sparql", data={"query": query}, headers=headers, timeout=30, **kw)


def test_the_project_namespaces_are_all_predeclared():
    for p, ns in BUILD_PREFIXES.items():
        assert sparqlhelp.PREFIXES.get(p) == str(ns), p
    for p in ("rdf", "rdfs", "xsd", "skos", "dcterms", "schema", "prov", "ptkg"):
        assert p in sparqlhelp.PREFIXES


def test_a_query_without_prefix_lines_runs(server):
    r = _ask(server, 'SELECT (COUNT(?t) AS ?n) WHERE { ?t a ptkg:Target ; ptkg:year "2022"^^xsd:gYear ; rdfs:label ?l }')
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0
    assert "KG-Query-Hint" not in r.headers


def test_a_query_s_own_prefix_wins_over_the_predeclared_one(server):
    r = _ask(server, "PREFIX ptkg: <http://example.org/other#> ASK { ?t a ptkg:Target }")
    assert r.status_code == 200 and r.json()["boolean"] is False
    assert _ask(server, "ASK { ?t a ptkg:Target }").json()["boolean"] is True


def test_an_untyped_year_gets_a_hint_and_the_typed_year_its_rows(server):
    q = "SELECT ?t WHERE { ?t a ptkg:Target ; ptkg:year 2022 }"
    r = _ask(server, q)
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []       # valid SPARQL: answered
    hint = r.headers["KG-Query-Hint"]
    assert 'ptkg:year "2022"^^xsd:gYear' in hint and "matches nothing" in hint
    assert r.headers["Warning"].startswith("199 kgserve ")
    assert "KG-Query-Hint" in r.headers["Access-Control-Expose-Headers"]
    fixed = _ask(server, q.replace("ptkg:year 2022", 'ptkg:year "2022"^^xsd:gYear'))
    assert fixed.json()["results"]["bindings"] and "KG-Query-Hint" not in fixed.headers
    # the same in the HTML results a browser gets, above the (empty) table
    page = _ask(server, q, headers={"Accept": "text/html"}).text
    assert re.search(r'class="query-hint".*ptkg:year &#34;2022&#34;\^\^xsd:gYear', page)


def test_a_year_variable_compared_with_a_number_gets_a_hint(server):
    r = _ask(server, "SELECT ?t WHERE { ?t ptkg:year ?y FILTER (?y >= 2021) }")
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    assert '"2021"^^xsd:gYear' in r.headers["KG-Query-Hint"] and "?y >= 2021" in r.headers["KG-Query-Hint"]


def test_a_syntax_error_names_line_column_and_the_unclosed_brace(server):
    r = _ask(server, "SELECT ?t\nWHERE {\n  ?t a ptkg:Target .\n", headers={"Accept": "application/json"})
    assert r.status_code == 400
    msg = r.json()["error"]["message"]
    assert re.search(r"line \d+, column \d+", msg)
    assert "1 more '{' than '}'" in msg
    assert "Prefix not found" not in msg and "\\u{" not in msg           # not the grammar's raw dump


def test_an_unknown_prefix_is_named_with_the_fix(server):
    r = _ask(server, "SELECT ?a WHERE { ?a dc:title ?t ;\n   foaf:name ?n }", headers={"Accept": "application/json"})
    assert r.status_code == 400
    msg = r.json()["error"]["message"]
    assert msg.startswith("malformed query at line 1, column 22: the prefix dc: is not declared")
    assert "dcterms:" in msg and "foaf:" in msg and "Predeclared on this endpoint: rdf, rdfs, xsd" in msg
    r = _ask(server, "SELECT ?a WHERE { ?a ptk:year ?y }", headers={"Accept": "application/json"})
    assert "did you mean ptkg:" in r.json()["error"]["message"]
    page = _ask(server, "SELECT ?a WHERE { ?a ptk:year ?y }", headers={"Accept": "text/html"})
    assert page.status_code == 400 and '<pre class="wrap" id="error-message">' in page.text     # the caret lines up


def test_the_service_description_declares_the_prefixes(server):
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    g = Graph().parse(data=r.text, format="turtle")
    declared = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}
    assert declared == sparqlhelp.PREFIXES
    assert (URIRef(server.url + "/sparql"), None, None) in g


def test_the_how_to_lists_prefixes_and_the_kind_and_status_codes(server):
    page = requests.get(server.url + "/", headers={"Accept": "text/html"}, timeout=10).text
    assert re.search(r'<code id="predeclared">rdf: rdfs: xsd: .*ptkg:', page)
    kinds = page[page.index('id="codes-kind"'):]
    kinds = kinds[:kinds.index("</table>")]
    assert "<code>kind:growth_rate</code>" in kinds and "增长率" in kinds
    status = page[page.index('id="codes-status"'):]
    status = status[:status.index("</table>")]
    for code in ("met", "missed", "undetermined", "notReported"):
        assert f"<code>status:{code}</code>" in status
    assert "reaches the target" in status                                # the meaning, from the vocabulary
    assert "<code>cmp:ge</code>" in page


@pytest.mark.parametrize("query, fragment", [
    ("SELEC ?x WHERE { ?x ?p ?o }", "begins with SELECT, CONSTRUCT, ASK or DESCRIBE"),
    ("SELECT ?x WHERE { ?x ?p ?o ))", "2 more ')' than '('"),
])
def test_explain_gives_the_usual_fix(query, fragment):
    import pyoxigraph as ox
    with pytest.raises(SyntaxError) as e:
        ox.Store().query(query, prefixes=sparqlhelp.PREFIXES)
    assert fragment in sparqlhelp.explain(query, str(e.value))

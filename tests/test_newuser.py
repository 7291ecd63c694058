"""What a new user trips over (issue 15), checked over real HTTP against a built seed dataset:
one set of counts, a worked query that runs, queries that open in the editor, labels instead of
codes, the ontology's domains and ranges, published shapes, a downloads page, one targets CSV
that Excel reads, readable Turtle."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT, local_store_only

pytestmark = pytest.mark.e2e
JSON = {"Accept": "application/sparql-results+json"}
SCHEMA = "https://schema.org/"


def select(server, q: str) -> list[dict]:
    r = requests.post(server.url + "/sparql", data={"query": q}, headers=JSON, timeout=30)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def visible(page: str) -> str:
    """The text a reader sees: tags, scripts and styles removed."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@local_store_only
def test_one_set_of_counts_everywhere(server, built):
    m = requests.get(server.url + "/manifest.json", timeout=10).json()
    counted = int(select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    c = m["counts"]
    assert counted == m["endpoint_triples"] == c["endpoint"]
    assert c["article_graphs"] + c["shared"] + c["links"] + c["ontology"] == counted
    assert c["article_graphs"] + c["shared"] + c["links"] == c["dumps"] == m["triples"]
    assert (built / "dataset.nt").read_bytes().count(b"\n") == m["triples"]
    landing = requests.get(server.url + "/", timeout=10).text
    assert re.search(r'id="triples">(\d+)', landing).group(1) == str(counted)
    void = Graph().parse(data=requests.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"},
                                           timeout=10).text, format="turtle")
    vt = URIRef("http://rdfs.org/ns/void#triples")
    ds = next(void.subjects(URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), None))
    assert int(void.value(ds, vt)) == counted
    subsets = [int(void.value(s, vt)) for s in void.objects(ds, URIRef("http://rdfs.org/ns/void#subset"))]
    assert sorted(subsets) == sorted([c["article_graphs"], c["shared"], c["links"], c["ontology"]])
    sd = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=10).text
    assert f'"{counted}"' in sd


def test_the_how_to_query_example_runs_and_returns_every_target(server):
    landing = requests.get(server.url + "/", timeout=10).text
    q = html.unescape(re.search(r'(?s)<pre id="howto-query">(.*?)</pre>', landing).group(1))
    assert '^^xsd:gYear' in q and "ptkg:sentence" in q and "ptkg:minValue" in q
    rows = select(server, q)
    m = requests.get(server.url + "/manifest.json", timeout=10).json()
    assert len(rows) == m["targets"]                    # the seed: one place, one year
    ranges = [r for r in rows if "min" in r]
    assert ranges and all("max" in r and "value" not in r for r in ranges)
    assert all(r["sentence"] and r["indicator"] and r["unit"] for r in rows)
    edit = re.search(r'id="howto-edit" href="/sparql#query=([^"]+)"', landing).group(1)
    assert unquote(html.unescape(edit)) == q


def test_every_example_query_opens_in_the_editor(server):
    landing = requests.get(server.url + "/", timeout=10).text
    opened = {unquote(html.unescape(x)) for x in re.findall(r'href="/sparql#query=([^"]+)"', landing)}
    for rq in sorted((ROOT / "queries").glob("*.rq")):
        text = rq.read_text(encoding="utf-8")
        if text.startswith("# title:"):
            assert text in opened, rq.name
            assert "PREFIX xsd:" in text, f"{rq.name} declares no xsd: prefix (the editor shows full datatype IRIs)"


def test_every_property_has_a_domain_and_a_range_so_the_docs_list_it_by_class(server):
    g = Graph()
    for f in ("ptkg.ttl", "reuse.ttl"):
        g.parse(ROOT / "ontology" / f, format="turtle")
    props = set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    assert len(props) > 40
    dom, rng = (RDFS.domain, URIRef(SCHEMA + "domainIncludes")), (RDFS.range, URIRef(SCHEMA + "rangeIncludes"))
    assert [p for p in props if not any(g.value(p, d) for d in dom)] == []
    assert [p for p in props if not any(g.value(p, r) for r in rng)] == []
    doc = requests.get(server.url + "/ontology", headers={"Accept": "text/html"}, timeout=10).text
    start = doc.index('entity" id="Target"')
    target = doc[start:doc.index('class="property entity"', start + 30)]
    listed = set(re.findall(r'href="#(\w+)"', target))
    assert {"value", "minValue", "maxValue", "year", "indicator", "place", "unit", "comparator"} <= listed


def test_indicators_have_rdfs_label_and_evidence_has_its_sentence(server):
    missing = select(server, """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?i WHERE { ?i a ptkg:Indicator FILTER NOT EXISTS { ?i rdfs:label ?l } }""")
    assert missing == []
    rows = select(server, """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?t ?clause ?sentence WHERE { ?t a ptkg:Target ; ptkg:evidence ?e .
          ?e nif:anchorOf ?clause . OPTIONAL { ?e ptkg:sentence ?sentence } }""")
    assert rows and all(r.get("sentence") and r["clause"] in r["sentence"] for r in rows)
    assert any(len(r["sentence"]) > len(r["clause"]) for r in rows)


def test_shapes_are_published_and_linked_from_the_validation_page(server):
    r = requests.get(server.url + "/shapes", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert len(set(g.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))) > 10
    assert requests.get(server.url + "/shapes.ttl", timeout=10).content == r.content
    page = requests.get(server.url + "/shapes", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "sh:NodeShape" in html.unescape(page.text)
    assert 'href="/shapes"' in requests.get(server.url + "/validation", timeout=10).text


def test_the_downloads_page_lists_every_file_with_its_size_checksum_and_purpose(server):
    m = requests.get(server.url + "/manifest.json", timeout=10).json()
    page = requests.get(server.url + "/downloads", timeout=10).text
    for f in m["files"]:
        assert f'href="/{f["name"]}" download' in page and f["sha256"] in page, f["name"]
    rows = re.findall(r"(?s)<tr><td><a href=\"/([^\"]+)\" download>.*?</td>\s*<td>(.*?)</td>", page)
    assert rows and all(visible(purpose).strip() for _, purpose in rows)
    assert 'href="/downloads"' in requests.get(server.url + "/", timeout=10).text


def test_one_targets_csv_that_excel_reads_as_utf8(server):
    body = requests.get(server.url + "/targets.csv", timeout=10).content
    assert body.startswith("\ufeff".encode("utf-8"))
    assert body.decode("utf-8-sig").splitlines()[0].startswith("article,indicator,")
    r = requests.get(server.url + "/queries/targets.csv", timeout=10, allow_redirects=False)
    assert r.status_code == 308 and r.headers["Location"].endswith("/targets.csv")
    assert requests.get(server.url + "/queries/targets.csv", timeout=10).content == body


def test_the_turtle_dump_writes_no_escaped_local_names(built):
    text = (built / "dataset.ttl").read_text(encoding="utf-8")
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)      # literals out of the way
    assert not re.search(r"\w:[^\s<>\"]*\\[/#=,.]", code)
    assert "id:" not in code and "<http://127.0.0.1:5000/id/target/" in code
    Graph().parse(data=text, format="turtle")


@local_store_only
def test_pages_show_labels_and_names_not_codes_or_iris(server):
    place = visible(requests.get(server.url + "/id/place/quanzhou", timeout=10).text)
    for code in ("containedInPlace", "divisionCode", "altLabel", "count/", "growth_rate"):
        assert code not in place, code
    assert "上级行政区" in place and "行政区划代码" in place and "数量" in place
    article = visible(requests.get(server.url + "/id/article/quanzhou-2022", timeout=10).text)
    assert "/id/person/" not in article and "林书修" in article
    assert "spatialCoverage" not in article and "所述地点" in article
    target = requests.get(server.url + "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye", timeout=10).text
    ind = re.search(r'href="(/id/indicator/[^"]+|/indicator/[^"]+)"', target).group(1)
    indicator = requests.get(server.url + ind, timeout=10).text
    cells = [visible(c).strip() for c in re.findall(r"(?s)<td>(.*?)</td>", indicator)]
    assert not {"ge", "gt", "le", "lt", "eq", "range"} & set(cells), cells
    assert "原文" in indicator and 'class="sentence">' in indicator


@local_store_only
def test_example_queries_are_answered_from_the_build_and_match_the_engine(server, built):
    """Each example query's answer was evaluated at build time; /sparql sends it for the same text
    (comments aside) and it is what the engine answers."""
    import json
    import pyoxigraph as ox
    m = requests.get(server.url + "/manifest.json", timeout=10).json()
    assert m["canned"]
    st = ox.Store.read_only(str(built / "store"))
    for name, info in m["canned"].items():
        text = (built / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        engine = json.loads(st.query(text).serialize(format=ox.QueryResultsFormat.JSON))
        stored = json.loads((built / "queries" / f"{name}.json").read_bytes())
        key = lambda d: sorted(json.dumps(b, sort_keys=True) for b in d["results"]["bindings"])   # noqa: E731
        assert key(stored) == key(engine) and len(engine["results"]["bindings"]) == info["rows"], name
        r = requests.post(server.url + "/sparql", data={"query": text + "\n# asked again, with a comment"},
                          headers=JSON, timeout=30)
        assert r.status_code == 200 and r.content == (built / "queries" / f"{name}.json").read_bytes(), name
        assert r.headers["KG-Result-Rows"] == str(info["rows"])
        assert requests.get(server.url + f"/queries/{name}.tsv", timeout=10).content == \
            ox.parse_query_results((built / "queries" / f"{name}.json").read_bytes(),
                                   format=ox.QueryResultsFormat.JSON).serialize(format=ox.QueryResultsFormat.TSV)

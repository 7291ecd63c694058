"""The linked-data site and portal metadata, over HTTP against a real kgserve process."""


import extruct
import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, RDF

pytestmark = pytest.mark.e2e
VOID = Namespace("http://rdfs.org/ns/void#")
TARGET = "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye"


@pytest.mark.parametrize("accept,ctype,fmt", [
    ("text/turtle", "text/turtle", "turtle"), ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"), ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_uris_dereference_by_content_negotiation(server, accept, ctype, fmt):
    r = requests.get(server.url + TARGET, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
    assert "Accept" in r.headers["Vary"] and r.headers["Content-Location"].startswith(TARGET + ".")
    g = Graph().parse(data=r.content, format=fmt)
    me = URIRef("http://127.0.0.1:5000" + TARGET)
    assert (me, URIRef("https://w3id.org/ptkg/ns#value"), None) in g


def test_suffix_urls_and_html(server):
    for suffix, ctype in ((".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples"),
                          (".rdf", "application/rdf+xml"), (".html", "text/html")):
        r = requests.get(server.url + TARGET + suffix)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype), suffix
    r = requests.get(server.url + TARGET, headers={"Accept": "text/html"})
    assert r.headers["Content-Type"].startswith("text/html")
    # the number, comparator, unit, year, indicator, level, and the evidence highlighted in its sentence
    for needle in ("500", "家", "2022", "新增高新技术企业", "计划", "<mark>新增高企500家</mark>", "/id/article/quanzhou-2022"):
        assert needle in r.text, needle


def test_unknown_uri_is_a_404_page(server):
    r = requests.get(server.url + "/id/target/quanzhou-2022/no-such-thing", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<html" in r.text
    assert requests.get(server.url + "/id/target/x", headers={"Accept": "text/turtle"}).status_code == 404


def test_place_page_has_targets_by_area_and_an_svg_chart(server):
    r = requests.get(server.url + "/id/place/quanzhou", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "泉州市" in r.text and "350500" in r.text
    assert "<svg" in r.text and "<script" not in r.text.split("</head>")[1]
    for area in ("研发投入", "科研平台", "科技惠民"):
        assert f"<h3>{area}</h3>" in r.text


def test_article_page_highlights_every_target(server):
    r = requests.get(server.url + "/id/article/quanzhou-2022", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.text.count('<mark class="target">') >= 34
    assert 'href="/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye"' in r.text


def test_indicator_page(server):
    r = requests.get(server.url + "/id/indicator/xinzeng-gaoxinjishuqiye", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "新增高新技术企业" in r.text and "泉州市" in r.text


def test_pages_escape_text(server):
    r = requests.get(server.url + "/sparql", params={"query": 'SELECT ("<script>alert(1)</script>" AS ?x) {}'},
                     headers={"Accept": "text/html"})
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


def test_dcat_catalog_by_negotiation(server):
    graphs = []
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = requests.get(server.url + "/catalog", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        graphs.append(Graph().parse(data=r.content, format=fmt))
    g = graphs[0]
    assert len(graphs[1]) == len(g) == len(graphs[2])
    ds = next(g.subjects(RDF.type, DCAT.Dataset))
    dists = list(g.objects(ds, DCAT.distribution))
    # five dumps (Turtle, N-Triples, JSON-LD, and TriG and N-Quads with one graph per article), CSV, SPARQL
    assert {str(d).rsplit("#", 1)[-1] for d in dists} == {"dataset.ttl", "dataset.nt", "dataset.jsonld", "dataset.trig",
                                                          "dataset.nq", "targets.csv", "sparql"}
    m = requests.get(server.url + "/manifest.json").json()
    sizes = {f["name"]: f["bytes"] for f in m["files"]}
    for d in dists:
        url = g.value(d, DCAT.downloadURL)
        if url is not None:
            name = str(url).rsplit("/", 1)[-1]
            assert int(g.value(d, DCAT.byteSize)) == sizes[name]
    svc = next(g.subjects(RDF.type, DCAT.DataService))
    assert str(g.value(svc, DCAT.endpointURL)).endswith("/sparql") and (svc, DCAT.servesDataset, ds) in g


def test_void(server):
    g = Graph().parse(data=requests.get(server.url + "/.well-known/void").text, format="turtle")
    ds = next(g.subjects(VOID.sparqlEndpoint, None))
    m = requests.get(server.url + "/manifest.json").json()
    assert int(g.value(ds, VOID.triples)) == m["endpoint_triples"]
    for p in (VOID.sparqlEndpoint, VOID.dataDump, VOID.vocabulary, VOID.exampleResource):
        assert (ds, p, None) in g, p


def test_schema_org_dataset_as_a_crawler_reads_it(server):
    html = requests.get(server.url + "/", headers={"Accept": "text/html"}).text
    data = extruct.extract(html, base_url=server.url, syntaxes=["json-ld"])["json-ld"]
    [ds] = [d for d in data if d.get("@type") == "Dataset"]
    assert 50 <= len(ds["description"]) <= 5000
    assert ds["license"].startswith("https://creativecommons.org/") and ds["creator"]["name"] and ds["keywords"]
    assert ds["temporalCoverage"] == "2022/2022" and ds["spatialCoverage"][0]["name"] == "泉州市"
    assert {d["encodingFormat"] for d in ds["distribution"]} >= {"text/turtle", "text/csv"}
    for d in ds["distribution"]:
        assert requests.head(d["contentUrl"]).status_code == 200


def test_robots_and_sitemap(server):
    assert "Sitemap:" in requests.get(server.url + "/robots.txt").text
    xml = requests.get(server.url + "/sitemap.xml").text
    assert "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye" in xml and "/id/place/quanzhou" in xml


def test_canned_queries_are_stable_resources(server):
    r = requests.get(server.url + "/queries/growth-targets.csv")
    assert r.status_code == 200 and r.text.startswith("place,year,indicator")
    etag = r.headers["ETag"]                        # the CSV is derived from the JSON: a 304 comes first
    again = requests.get(server.url + "/queries/growth-targets.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    since = requests.get(server.url + "/queries/growth-targets.tsv", headers={"If-Modified-Since": r.headers["Last-Modified"]})
    assert since.status_code == 304
    assert requests.get(server.url + "/queries/growth-targets.tsv", headers={"If-None-Match": etag}).status_code == 200
    r = requests.get(server.url + "/queries/growth-targets.json")
    assert len(r.json()["results"]["bindings"]) == 2
    r = requests.get(server.url + "/queries/growth-targets.ttl")
    g = Graph().parse(data=r.text, format="turtle")
    assert len(list(g.subjects(URIRef("http://www.w3.org/2001/sw/DataAccess/tests/result-set#index"), None))) == 2
    assert requests.get(server.url + "/queries/no-such.csv").status_code == 404
    index = requests.get(server.url + "/queries/", headers={"Accept": "text/html"}).text
    for name in ("targets-by-area", "growth-targets", "targets-by-place-year", "promise-vs-reported", "target-provenance"):
        assert f"/queries/{name}.csv" in index

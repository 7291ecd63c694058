"""The catalog: DCAT-AP 3 catalog, dataset, distributions and SPARQL data service, with VoID
statistics, built from the manifest. What a portal (CKAN, data.europa.eu) harvests.

In: the manifest dict and the base URL. Out: an rdflib Graph (catalog.ttl / .rdf / .jsonld).
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..graph.iris import NIF, SCHEMA

DCATAP = Namespace("http://data.europa.eu/r5r/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
EU_FORMAT = {"dataset.ttl": "RDF_TURTLE", "dataset.nt": "RDF_N_TRIPLES", "dataset.jsonld": "JSON_LD",
             "dataset.trig": "RDF_TRIG", "dataset.nq": "RDF_N_QUADS", "targets.csv": "CSV"}
EU_LABELS = {  # prefLabels of the authority-table terms the catalog uses (zh, en)
    "language/ZHO": ("中文", "Chinese"), "language/ENG": ("英语", "English"), "access-right/PUBLIC": ("公开", "public"),
    "frequency/IRREG": ("不定期", "irregular"), "data-theme/GOVE": ("政府与公共部门", "Government and public sector"),
    "data-theme/TECH": ("科学技术", "Science and technology"), "planned-availability/STABLE": ("稳定", "stable"),
    "file-type/RDF_TURTLE": ("Turtle", "Turtle"), "file-type/RDF_N_TRIPLES": ("N-Triples", "N-Triples"),
    "file-type/JSON_LD": ("JSON-LD", "JSON-LD"),
    "file-type/RDF_TRIG": ("TriG", "TriG"), "file-type/RDF_N_QUADS": ("N-Quads", "N-Quads"), "file-type/CSV": ("CSV", "CSV"), "file-type/SPARQLQ": ("SPARQL", "SPARQL"),
}
TITLES = {"dataset.ttl": ("Turtle 全量数据", "Full dump in Turtle"), "dataset.nt": ("N-Triples 全量数据", "Full dump in N-Triples"),
          "dataset.jsonld": ("JSON-LD 全量数据", "Full dump in JSON-LD"),
          "dataset.trig": ("TriG 全量数据（每篇文章一个命名图）", "Full dump in TriG, one named graph per article"),
          "dataset.nq": ("N-Quads 全量数据（每篇文章一个命名图）", "Full dump in N-Quads, one named graph per article"), "targets.csv": ("目标表（CSV）", "Targets as CSV, one row per target")}


def to_catalog(info: dict, base: str) -> Graph:
    """DCAT-AP 3 catalog, dataset, distributions and SPARQL data service, with VoID statistics.

    info: the manifest (files with sizes and checksums, counts, build time) plus "coverage"
    (years, places) and "examples" (resource IRIs)."""
    base = base.rstrip("/") + "/"
    g = Graph(bind_namespaces="none")
    for p, ns in {"dcat": DCAT, "dct": DCTERMS, "dcatap": DCATAP, "foaf": FOAF, "vcard": VCARD, "void": VOID,
                  "spdx": SPDX, "xsd": XSD, "skos": SKOS, "rdfs": RDFS}.items():
        g.bind(p, ns)
    cat, ds, svc = URIRef(base + "catalog"), URIRef(base + "dataset"), URIRef(base + "sparql#service")
    org, contact = URIRef(base + "id/publisher"), URIRef(base + "id/publisher#contact")
    modified = Literal(info["build_time"], datatype=XSD.dateTime)
    issued = Literal(info["build_time"][:10], datatype=XSD.date)
    zh_en = lambda s, zh, en, p: (g.add((s, p, Literal(zh, lang="zh"))), g.add((s, p, Literal(en, lang="en"))))

    range_class = {"language": DCTERMS.LinguisticSystem, "access-right": DCTERMS.RightsStatement,
                   "frequency": DCTERMS.Frequency, "file-type": DCTERMS.MediaTypeOrExtent}

    def concept(iri: str, scheme: str) -> URIRef:
        """A term of an EU authority table, typed as DCAT-AP's range checks expect."""
        u = URIRef(iri)
        g.add((u, SKOS.inScheme, URIRef(EU + scheme)))
        g.add((u, RDF.type, SKOS.Concept))
        zh, en = EU_LABELS[iri[len(EU):]]
        g.add((u, SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((u, SKOS.prefLabel, Literal(en, lang="en")))
        if scheme in range_class:
            g.add((u, RDF.type, range_class[scheme]))
        return u

    def adms(term: str, scheme: str, label: str) -> URIRef:
        """A term of an ADMS vocabulary (licence type, publisher type), typed and labelled."""
        u = URIRef(f"http://purl.org/adms/{term}")
        g.add((u, RDF.type, SKOS.Concept))
        g.add((u, SKOS.inScheme, URIRef(f"http://purl.org/adms/{scheme}")))
        g.add((u, SKOS.prefLabel, Literal(label, lang="en")))
        return u

    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((LICENCE, DCTERMS.type, adms("licencetype/Attribution", "licencetype/1.0", "Attribution")))
    g.add((org, RDF.type, FOAF.Agent))
    g.add((org, RDF.type, FOAF.Organization))
    g.add((org, FOAF.name, Literal("政策目标知识图谱项目", lang="zh")))
    g.add((org, FOAF.name, Literal("Policy Targets KG project", lang="en")))
    g.add((org, DCTERMS.type, adms("publishertype/Academia-ScientificOrganisation", "publishertype/1.0",
                                   "Academia/Scientific organisation")))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal("Policy Targets KG data team")))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    china = URIRef(EU + "country/CHN")
    g.add((china, RDF.type, DCTERMS.Location))
    g.add((china, DCAT.centroid, Literal("POINT(104.195 35.861)", datatype=WKT)))
    g.add((china, DCAT.bbox, Literal("POLYGON((73.5 18.2,135.1 18.2,135.1 53.6,73.5 53.6,73.5 18.2))", datatype=WKT)))
    g.add((china, SKOS.inScheme, URIRef(EU + "country")))

    g.add((cat, RDF.type, DCAT.Catalog))
    zh_en(cat, "政策目标知识图谱目录", "Policy Targets KG catalogue", DCTERMS.title)
    zh_en(cat, "中国地方年度计划中数量目标的关联数据。", "Linked data on the numeric targets of Chinese local plans.",
          DCTERMS.description)
    for p, o in ((DCTERMS.publisher, org), (DCTERMS.issued, issued), (DCTERMS.modified, modified),
                 (DCTERMS.license, LICENCE), (DCTERMS.spatial, china), (FOAF.homepage, URIRef(base)),
                 (DCAT.themeTaxonomy, URIRef(EU + "data-theme")), (DCAT.dataset, ds), (DCAT.service, svc),
                 (DCTERMS.language, concept(EU + "language/ZHO", "language")),
                 (DCTERMS.language, concept(EU + "language/ENG", "language"))):
        g.add((cat, p, o))
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((URIRef(EU + "data-theme"), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef(EU + "data-theme"), DCTERMS.title, Literal("Data theme", lang="en")))
    for std in ("https://w3id.org/ptkg/ns", "https://www.w3.org/TR/sparql11-protocol/"):
        g.add((URIRef(std), RDF.type, DCTERMS.Standard))

    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    zh_en(ds, "中国地方政策数量目标", "Numeric targets in Chinese local plans", DCTERMS.title)
    zh_en(ds, "从地方年度计划新闻中抽取的数量目标：地点、计划、重点领域、指标、目标值、年份与承诺程度，每条事实均可追溯至原文字符位置。",
          "Quantified commitments extracted from news articles about Chinese local plans: place, plan, focus area, "
          "indicator, target value, year and commitment level, each traceable to the exact characters of its source "
          "sentence.", DCTERMS.description)
    for p, o in ((DCTERMS.publisher, org), (DCTERMS.identifier, Literal(str(ds))), (DCTERMS.issued, issued),
                 (DCTERMS.modified, modified), (URIRef(str(DCAT) + "version"), Literal(info["dataset_version"])),
                 (DCTERMS.accessRights, concept(EU + "access-right/PUBLIC", "access-right")),
                 (DCTERMS.accrualPeriodicity, concept(EU + "frequency/IRREG", "frequency")),
                 (DCTERMS.language, URIRef(EU + "language/ZHO")), (DCTERMS.spatial, china),
                 (DCAT.theme, concept(EU + "data-theme/GOVE", "data-theme")),
                 (DCAT.theme, concept(EU + "data-theme/TECH", "data-theme")),
                 (DCAT.contactPoint, contact), (DCTERMS.conformsTo, URIRef("https://w3id.org/ptkg/ns")),
                 (VOID.sparqlEndpoint, URIRef(base + "sparql")), (VOID.triples, Literal(info.get("endpoint_triples", info["triples"]), datatype=XSD.integer)),
                 (VOID.uriSpace, Literal(base + "id/"))):
        g.add((ds, p, o))
    for kw_zh, kw_en in (("政策目标", "policy targets"), ("地方政府", "local government"), ("年度计划", "annual plans"),
                         ("关联数据", "linked data"), ("SPARQL", "SPARQL")):
        g.add((ds, DCAT.keyword, Literal(kw_zh, lang="zh")))
        g.add((ds, DCAT.keyword, Literal(kw_en, lang="en")))
    for ns in ("https://w3id.org/ptkg/ns#", str(PROV), str(SKOS), str(DCTERMS), str(SCHEMA), str(NIF)):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for ex in info.get("examples", []):
        g.add((ds, VOID.exampleResource, URIRef(ex)))
    # the endpoint's triples broken out as VoID subsets: they add up to void:triples above
    counts = info.get("counts") or {}
    for key, zh, en, graph in (("article_graphs", "文章图", "article graphs", info["graphs"]["article"]),
                               ("shared", "共享节点图", "shared nodes graph", info["graphs"]["shared"]["graph"]),
                               ("links", "目标与结果链接图", "target–outcome links graph", info["graphs"]["links"]["graph"]),
                               ("ontology", "本体图", "ontology graph", info["graphs"]["ontology"])):
        if key not in counts:
            continue
        sub = URIRef(f"{base}dataset#{key.replace('_', '-')}")
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        zh_en(sub, zh, en, DCTERMS.title)
        g.add((sub, VOID.triples, Literal(counts[key], datatype=XSD.integer)))
        if not graph.endswith("/"):                 # a named graph (the article graphs share a prefix)
            g.add((sub, RDFS.seeAlso, URIRef(graph)))
    years = info.get("coverage", {}).get("years")
    if years:
        period = URIRef(base + "dataset#period")
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(f"{years[1]}-12-31", datatype=XSD.date)))
        g.add((ds, DCTERMS.temporal, period))
    for place in info.get("coverage", {}).get("places", []):
        u = URIRef(place["uri"])
        g.add((u, RDF.type, DCTERMS.Location))
        g.add((ds, DCTERMS.spatial, u))
        if place.get("lon") is not None:
            g.add((u, DCAT.centroid, Literal(f"POINT({place['lon']} {place['lat']})", datatype=WKT)))

    for f in info["files"]:
        if f["name"] not in EU_FORMAT:
            continue
        url = URIRef(base + f["name"])
        dist = URIRef(f"{base}dataset#{f['name']}")
        g.add((ds, DCAT.distribution, dist))
        if f["name"].startswith("dataset."):
            g.add((ds, VOID.dataDump, url))
        g.add((dist, RDF.type, DCAT.Distribution))
        zh_en(dist, *TITLES[f["name"]], DCTERMS.title)
        zh_en(dist, f"{TITLES[f['name']][0]}，{f['bytes']} 字节。", f"{TITLES[f['name']][1]}, {f['bytes']} bytes.",
              DCTERMS.description)
        media = URIRef(IANA + f["media_type"])
        g.add((media, RDF.type, DCTERMS.MediaType))
        checksum = URIRef(f"{base}dataset#{f['name']}-sha256")
        g.add((checksum, RDF.type, SPDX.Checksum))
        sha256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
        g.add((sha256, RDF.type, SPDX.ChecksumAlgorithm))
        g.add((checksum, SPDX.algorithm, sha256))
        g.add((checksum, SPDX.checksumValue, Literal(f["sha256"], datatype=XSD.hexBinary)))
        for p, o in ((DCAT.accessURL, url), (DCAT.downloadURL, url), (DCAT.mediaType, media),
                     (DCTERMS["format"], concept(EU + "file-type/" + EU_FORMAT[f["name"]], "file-type")),
                     (DCAT.byteSize, Literal(f["bytes"], datatype=XSD.nonNegativeInteger)), (SPDX.checksum, checksum),
                     (DCTERMS.license, LICENCE), (DCTERMS.modified, modified),
                     (DCATAP.availability, concept(EU + "planned-availability/STABLE", "planned-availability"))):
            g.add((dist, p, o))
    _sources(g, info, base, ds, zh_en)
    sparql_dist = URIRef(base + "dataset#sparql")
    g.add((ds, DCAT.distribution, sparql_dist))
    g.add((sparql_dist, RDF.type, DCAT.Distribution))
    zh_en(sparql_dist, "SPARQL 查询端点", "SPARQL endpoint", DCTERMS.title)
    zh_en(sparql_dist, "通过 SPARQL 1.1 协议查询全部数据。", "Query the whole dataset over the SPARQL 1.1 Protocol.",
          DCTERMS.description)
    for p, o in ((DCAT.accessURL, URIRef(base + "sparql")), (DCAT.accessService, svc), (DCTERMS.license, LICENCE),
                 (DCATAP.availability, concept(EU + "planned-availability/STABLE", "planned-availability")),
                 (DCTERMS["format"], concept(EU + "file-type/SPARQLQ", "file-type"))):
        g.add((sparql_dist, p, o))
    g.add((svc, RDF.type, DCAT.DataService))
    zh_en(svc, "SPARQL 查询服务", "SPARQL query service", DCTERMS.title)
    g.add((svc, DCAT.keyword, Literal("SPARQL", lang="en")))
    g.add((svc, DCAT.keyword, Literal("查询", lang="zh")))
    g.add((svc, DCAT.theme, concept(EU + "data-theme/GOVE", "data-theme")))
    for p, o in ((DCAT.endpointURL, URIRef(base + "sparql")), (DCAT.endpointDescription, URIRef(base + "sparql")),
                 (DCAT.servesDataset, ds), (DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")),
                 (DCTERMS.license, LICENCE), (DCTERMS.publisher, org), (DCAT.contactPoint, contact),
                 (DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC"))):
        g.add((svc, p, o))
    return g


def _sources(g: Graph, info: dict, base: str, ds: URIRef, zh_en) -> None:
    """The documents `kgbuild fetch` downloaded, as a dataset of their own that ours has as its
    dcterms:source: one distribution per document, at the URL it came from (after redirects), with its
    media type; when and from which URL it was fetched is said in words here and as PROV-O in the
    article's graph (ptkg:Retrieval), which rdfs:seeAlso points to."""
    fetched = [a for a in info.get("articles", []) if a.get("source")]
    if not fetched:
        return
    src = URIRef(base + "dataset#sources")
    g.add((ds, DCTERMS.source, src))
    g.add((src, RDF.type, DCAT.Dataset))
    zh_en(src, "源文件", "Source documents", DCTERMS.title)
    zh_en(src, f"构建本数据集时读取的 {len(fetched)} 份网页、PDF 与 Word 文件，由 kgbuild fetch 下载。",
          f"The {len(fetched)} web pages, PDF and Word documents this dataset was built from, downloaded by kgbuild fetch.",
          DCTERMS.description)
    for a in fetched:
        s = a["source"]
        dist = URIRef(f"{base}dataset#source-{a['key']}")
        g.add((src, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(a["file"])))
        zh_en(dist, f"{s['retrieved']} 获取自 {s['url']}。", f"Retrieved from {s['url']} at {s['retrieved']}.",
              DCTERMS.description)
        media = URIRef(IANA + s["media_type"])
        g.add((media, RDF.type, DCTERMS.MediaType))
        for p, o in ((DCAT.accessURL, URIRef(s["final_url"])), (DCAT.downloadURL, URIRef(s["final_url"])),
                     (DCAT.mediaType, media), (RDFS.seeAlso, URIRef(f"{base}id/article/{a['key']}"))):
            g.add((dist, p, o))

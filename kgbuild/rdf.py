"""Stage 4 — to RDF: an Extraction → its article's rdflib Graph. The only module that adds triples.

URIs are readable and deterministic (base + /id/…): the same input gives the same URIs.
No blank nodes: every entity, evidence span included, has a URI.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache

from pypinyin import lazy_pinyin
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import lexicon, paths
from .model import Extraction, Named, Span
from .segment import tokens

PTKG = Namespace("https://w3id.org/ptkg/ns#")
CMP = Namespace("https://w3id.org/ptkg/code/comparator#")
KIND = Namespace("https://w3id.org/ptkg/code/kind#")
LEVEL = Namespace("https://w3id.org/ptkg/code/level#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")

UNIT = Namespace("https://w3id.org/ptkg/code/unit#")
PREFIXES = {"ptkg": PTKG, "cmp": CMP, "kind": KIND, "level": LEVEL, "unitc": UNIT, "nif": NIF, "schema": SCHEMA, "prov": PROV,
            "dcterms": DCTERMS, "skos": SKOS, "xsd": XSD, "rdfs": RDFS, "owl": OWL, "dcat": DCAT}
PLACE_CLASS = {"province": PTKG.Province, "city": PTKG.City, "district": PTKG.District}


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 60) -> str:
    """新增高新技术企业 → xinzeng-gaoxinjishu-qiye: pinyin grouped by word, stable and URI-safe."""
    words = [re.sub(r"[^a-z0-9]+", "", "".join(lazy_pinyin(t.word)).lower()) for t in tokens(text, lexicon.load())]
    s = "-".join(w for w in words if w)
    if len(s) > limit:
        s = s[:limit].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:6]
    return s or hashlib.sha1(text.encode()).hexdigest()[:8]


def dec(d: Decimal) -> Literal:
    """xsd:decimal in its canonical lexical form (30 → "30.0", 4.50 → "4.5")."""
    s = format(d.normalize(), "f")
    if "." not in s:
        s += ".0"
    return Literal(s, datatype=XSD.decimal)


class _Ids:
    def __init__(self, base: str):
        self.base = base.rstrip("/") + "/"

    def __call__(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    def evidence(self, key: str, span: Span) -> URIRef:
        return URIRef(f"{self.base}id/article/{key}#char={span.begin},{span.end}")  # RFC 5147 fragment


def graph_iri(base: str, key: str) -> URIRef:
    """The named graph that holds everything one article says (replaced as a whole)."""
    return URIRef(f"{base.rstrip('/')}/graph/article/{key}")


def shared_graph_iri(base: str) -> URIRef:
    """The graph of the nodes that are not scoped to one article (places, indicators, organisations,
    people, the software): their URIs carry no article key, and several articles describe them."""
    return URIRef(f"{base.rstrip('/')}/graph/shared")


SHARED_KINDS = ("place", "indicator", "org", "person", "software")


def is_shared(subject: str, base: str) -> bool:
    """Whether a triple with this subject (an N-Triples term or a bare IRI) belongs in the shared graph."""
    iri = subject.strip("<>")
    prefix = base.rstrip("/") + "/id/"
    if not iri.startswith(prefix):
        return False
    kind = iri[len(prefix):].split("/", 1)[0]
    return kind in SHARED_KINDS


def ontology_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/ontology")


def new_graph() -> Graph:
    """An empty graph with the project's prefixes (and only those) bound."""
    g = Graph(bind_namespaces="none")
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


def to_rdf(x: Extraction, base: str, software_version: str) -> Graph:
    """One article's graph: self-contained (it repeats the descriptions of the places, indicators
    and agents it uses), so it can be validated, published and replaced on its own."""
    g = new_graph()
    ids = _Ids(base)
    g.bind("id", Namespace(ids.base + "id/"))
    run = ids("extraction", x.article.key)
    agent = ids("software", "kgbuild")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"kgbuild {software_version}: {x.article.key}", lang="en")))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal("kgbuild", lang="en")))
    g.add((agent, SCHEMA.softwareVersion, Literal(software_version)))
    g.add((ids("indicator"), RDF.type, SKOS.ConceptScheme))
    g.add((ids("indicator"), SKOS.prefLabel, Literal("政策目标指标", lang="zh")))
    g.add((ids("indicator"), SKOS.prefLabel, Literal("Policy target indicators", lang="en")))
    _article(g, ids, x, run)
    return g


def _ev(g: Graph, ids: _Ids, key: str, article: URIRef, span: Span) -> URIRef:
    e = ids.evidence(key, span)
    g.add((e, RDF.type, PTKG.Evidence))
    g.add((e, NIF.beginIndex, Literal(span.begin, datatype=XSD.nonNegativeInteger)))
    g.add((e, NIF.endIndex, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    g.add((e, NIF.anchorOf, Literal(span.text)))
    g.add((e, NIF.referenceContext, article))
    return e


def _place(g: Graph, ids: _Ids, p) -> URIRef:
    from .places import gazetteer
    u = ids("place", p.slug)
    g.add((u, RDF.type, PTKG.Place))             # the supertype too: the endpoint does no inference
    g.add((u, RDF.type, PLACE_CLASS[p.level]))
    g.add((u, RDFS.label, Literal(p.name, lang="zh")))
    g.add((u, RDFS.label, Literal("".join(lazy_pinyin(p.short)).capitalize(), lang="en")))
    g.add((u, SKOS.altLabel, Literal(p.short, lang="zh")))
    g.add((u, PTKG.divisionCode, Literal(p.code)))
    if p.parent_code and (parent := gazetteer().get(p.parent_code)):
        g.add((u, SCHEMA.containedInPlace, _place(g, ids, parent)))
    return u


def _named(g: Graph, ids: _Ids, key: str, art: URIRef, n: Named, cls: URIRef, uri: URIRef) -> URIRef:
    g.add((uri, RDF.type, cls))
    g.add((uri, RDFS.label, Literal(n.name, lang="zh")))
    for s in n.spans:
        g.add((uri, PTKG.evidence, _ev(g, ids, key, art, s)))
    return uri


def _article(g: Graph, ids: _Ids, x: Extraction, build: URIRef) -> None:
    a = x.article
    key = a.key
    art = ids("article", key)
    g.add((build, PROV.used, art))
    g.add((art, RDF.type, PTKG.Article))
    g.add((art, DCTERMS.title, Literal(a.title, lang="zh")))
    g.add((art, DCTERMS.identifier, Literal(key)))
    g.add((art, NIF.isString, Literal(a.text)))
    g.add((art, PTKG.sha256, Literal(a.sha256)))
    g.add((art, PTKG.sourceFile, Literal(a.path.rsplit("/", 1)[-1])))
    g.add((art, DCTERMS.language, Literal("zh")))
    if a.date:
        g.add((art, DCTERMS.issued, Literal(a.date.isoformat(), datatype=XSD.dateTime)))
    if a.publisher:
        pub = ids("org", slug(a.publisher))
        g.add((pub, RDF.type, PTKG.Organization))
        g.add((pub, RDFS.label, Literal(a.publisher, lang="zh")))
        g.add((art, DCTERMS.publisher, pub))
    for t in a.tags:
        g.add((art, SCHEMA.keywords, Literal(t)))
    for u in a.source_urls:
        g.add((art, DCTERMS.source, URIRef(u)))
    for person in a.people:
        pu = ids("person", slug(person.name))
        g.add((pu, RDF.type, SCHEMA.Person))
        g.add((pu, SCHEMA.name, Literal(person.name, lang="zh")))
        prop = {"reporter": SCHEMA.author, "correspondent": SCHEMA.contributor}.get(person.role or "", SCHEMA.contributor)
        g.add((art, prop, pu))
        g.add((pu, PTKG.evidence, _ev(g, ids, key, art, person.span)))

    plan = ids("plan", key)
    g.add((plan, RDF.type, PTKG.Plan))
    g.add((plan, PTKG.announcedIn, art))
    g.add((plan, PROV.wasDerivedFrom, art))
    place = _place(g, ids, x.place) if x.place else None
    years = sorted({t.year for t in x.targets if t.year})
    plan_year = years[0] if years else a.year
    label = f"{x.place.name if x.place else ''}{plan_year or ''}年计划：{a.title}"
    g.add((plan, RDFS.label, Literal(label, lang="zh")))
    if place is not None:
        g.add((plan, PTKG.place, place))
        g.add((art, SCHEMA.spatialCoverage, place))
    for p in x.places[1:]:
        g.add((art, SCHEMA.mentions, _place(g, ids, p)))
    if plan_year:
        g.add((plan, PTKG.year, Literal(str(plan_year), datatype=XSD.gYear)))

    area_uri = {}
    for ar in x.areas:
        u = ids("area", key, str(ar.index))
        area_uri[ar.index] = u
        g.add((u, RDF.type, PTKG.FocusArea))
        g.add((u, RDFS.label, Literal(ar.label, lang="zh")))
        g.add((u, PTKG.order, Literal(ar.index, datatype=XSD.positiveInteger)))
        g.add((u, PTKG.evidence, _ev(g, ids, key, art, ar.span)))
        g.add((plan, PTKG.hasFocusArea, u))
    for n in x.programs:
        g.add((plan, PTKG.program, _named(g, ids, key, art, n, PTKG.Program, ids("program", key, slug(n.name)))))
    for n in x.organizations:
        g.add((art, SCHEMA.mentions, _named(g, ids, key, art, n, PTKG.Organization, ids("org", slug(n.name)))))
    for i, n in enumerate(x.events, 1):
        ev = _named(g, ids, key, art, n, PTKG.Event, ids("event", key, str(i)))
        if n.date:
            g.add((ev, SCHEMA.startDate, Literal(n.date, datatype=XSD.date)))
        g.add((plan, PTKG.announcedAt, ev))

    used: set[str] = set()
    target_uris = []
    for t in x.targets:
        s = slug(t.indicator_key)
        uid, n = s, 2
        while uid in used:
            uid, n = f"{s}-{n}", n + 1
        used.add(uid)
        target_uris.append(ids("target", key, uid))
    for t, u in zip(x.targets, target_uris):
        ind = _indicator(g, ids, t.indicator_key, t.indicator)
        _statement(g, u, PTKG.Target, _target_label(t), ind, t, place, art, build)
        g.add((u, PTKG.commitmentLevel, LEVEL[t.level]))
        g.add((u, PTKG.plan, plan))
        g.add((plan, PTKG.hasTarget, u))
        if t.area is not None:
            g.add((u, PTKG.focusArea, area_uri[t.area]))
        if t.relative_to:
            g.add((u, PTKG.relativeTo, Literal(t.relative_to, lang="zh")))
        if t.parent is not None:
            g.add((u, PTKG.subTargetOf, target_uris[t.parent]))
        for m in t.mentions:
            g.add((u, PTKG.evidence, _ev(g, ids, key, art, m)))
    seen_obs: set[str] = set()
    for o in x.observations:
        s = f"{slug(o.indicator_key)}-{o.mention.begin}"
        if s in seen_obs:
            continue
        seen_obs.add(s)
        u = ids("observation", key, s)
        _statement(g, u, PTKG.Observation, f"{o.indicator} {o.mention.text}",
                   _indicator(g, ids, o.indicator_key, o.indicator), o, place, art, build)
        g.add((u, PTKG.evidence, _ev(g, ids, key, art, o.mention)))


def _statement(g: Graph, u: URIRef, cls: URIRef, label: str, indicator: URIRef, t, place, art: URIRef,
               build: URIRef) -> None:
    """What a Target and an Observation share: indicator, comparator, kind, numbers, year,
    place and provenance."""
    g.add((u, RDF.type, cls))
    g.add((u, RDFS.label, Literal(label, lang="zh")))
    g.add((u, PTKG.indicator, indicator))
    g.add((u, PTKG.statedIndicator, Literal(t.indicator, lang="zh")))
    g.add((u, PTKG.comparator, CMP[t.comparator]))
    g.add((u, PTKG.kind, KIND[t.kind]))
    _values(g, u, t)
    if t.year:
        g.add((u, PTKG.year, Literal(str(t.year), datatype=XSD.gYear)))
    if place is not None:
        g.add((u, PTKG.place, place))
    g.add((u, PROV.wasDerivedFrom, art))
    g.add((u, PROV.wasGeneratedBy, build))


@lru_cache(maxsize=1)
def _unit_concepts() -> dict[str, URIRef]:
    """Unit as written → its concept in the unit scheme (ontology/units.ttl)."""
    g = Graph().parse(paths.ontology_dir() / "units.ttl", format="turtle")
    return {str(n): s for s, n in g.subject_objects(SKOS.notation)}


def _values(g: Graph, u: URIRef, t) -> None:
    if t.value is not None:
        g.add((u, PTKG.value, dec(t.value)))
    if t.min is not None:
        g.add((u, PTKG.minValue, dec(t.min)))
    if t.max is not None:
        g.add((u, PTKG.maxValue, dec(t.max)))
    if t.unit:
        g.add((u, PTKG.unit, Literal(t.unit)))
        if t.unit in _unit_concepts():
            g.add((u, PTKG.unitOfMeasure, _unit_concepts()[t.unit]))


def _indicator(g: Graph, ids: _Ids, key: str, stated: str) -> URIRef:
    u = ids("indicator", slug(key))
    g.add((u, RDF.type, PTKG.Indicator))
    g.add((u, SKOS.inScheme, ids("indicator")))
    if (u, SKOS.prefLabel, None) not in g:
        g.add((u, SKOS.prefLabel, Literal(key, lang="zh")))
    if stated != key:
        g.add((u, SKOS.altLabel, Literal(stated, lang="zh")))
    return u


SYMBOL = {"eq": "", "ge": "≥", "gt": ">", "le": "≤", "lt": "<", "range": ""}


def _target_label(t) -> str:
    num = f"{t.min:f}–{t.max:f}" if t.comparator == "range" else f"{SYMBOL[t.comparator]}{t.value:f}"
    return f"{t.indicator} {num}{t.unit or ''}" + (f"（{t.year}年）" if t.year else "")


# ---------------------------------------------------------------- DCAT-AP 3 catalog and VoID

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
                 (VOID.sparqlEndpoint, URIRef(base + "sparql")), (VOID.triples, Literal(info["triples"], datatype=XSD.integer)),
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

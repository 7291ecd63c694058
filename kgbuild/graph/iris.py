"""Names: the project's namespaces and prefixes, and how IRIs are made (entities, named graphs).

In: a base URL and the parts of a name. Out: URIRefs, deterministic (the same input gives the same
IRI) and readable (pinyin slugs). No triples are added here; graph.mapping adds them.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDFS, SKOS, XSD

from ..extract import lexicon, pinyin
from ..extract.segment import tokens
from ..model import Span
from .lazystore import Built, LazyIndexes

PTKG = Namespace("https://w3id.org/ptkg/ns#")
CMP = Namespace("https://w3id.org/ptkg/code/comparator#")
KIND = Namespace("https://w3id.org/ptkg/code/kind#")
LEVEL = Namespace("https://w3id.org/ptkg/code/level#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")

UNIT = Namespace("https://w3id.org/ptkg/code/unit#")
STATUS = Namespace("https://w3id.org/ptkg/code/status#")
AGG = Namespace("https://w3id.org/ptkg/code/aggregation#")
GENRE = Namespace("https://w3id.org/ptkg/code/genre#")
ACTION = Namespace("https://w3id.org/ptkg/code/action#")
PREFIXES = {"ind": Namespace("https://w3id.org/ptkg/indicator/"), "ptkg": PTKG, "cmp": CMP, "kind": KIND, "agg": AGG, "genre": GENRE, "level": LEVEL, "unitc": UNIT, "status": STATUS, "action": ACTION, "nif": NIF, "schema": SCHEMA, "prov": PROV,
            "dcterms": DCTERMS, "skos": SKOS, "xsd": XSD, "rdfs": RDFS, "owl": OWL, "dcat": DCAT}
PLACE_CLASS = {"country": PTKG.Country, "province": PTKG.Province, "city": PTKG.City, "district": PTKG.District}
COUNTRY_SAME_AS = {"CN": ("http://publications.europa.eu/resource/authority/country/CHN", "http://www.wikidata.org/entity/Q148")}
PLACE_EN = {"CN": "China"}     # English names where pinyin is not the name in use


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 60) -> str:
    """新增高新技术企业 → xinzeng-gaoxinjishu-qiye: pinyin grouped by word, stable and URI-safe."""
    words = [re.sub(r"[^a-z0-9]+", "", pinyin.joined(t.word).lower()) for t in tokens(text, lexicon.load())]
    s = "-".join(w for w in words if w)
    if len(s) > limit:
        s = s[:limit].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:6]
    return s or hashlib.sha1(text.encode()).hexdigest()[:8]


def dec(d: Decimal) -> Literal:
    """xsd:decimal in its canonical lexical form (30 → "30.0", 4.50 → "4.5")."""
    s = format(d.normalize(), "f")
    if "." not in s:
        s += ".0"
    return _decimal(s)


@lru_cache(maxsize=16384)
def _decimal(lexical: str) -> Literal:
    """The literal of a decimal's lexical form, made once (making one parses it back into a Decimal)."""
    return Literal(lexical, datatype=XSD.decimal)


@lru_cache(maxsize=100_000)
def iri(text: str) -> URIRef:
    """URIRef(TEXT), one object for one text while it is kept: most IRIs an article names recur
    (places, indicators, the software), and one object is found at once where the triples and
    their written texts are looked up (graph.lines), where an equal one is compared in Python."""
    return URIRef(text)


class Ids:
    def __init__(self, base: str):
        self.base = base.rstrip("/") + "/"

    def __call__(self, *parts: str) -> URIRef:
        return iri(self.base + "id/" + "/".join(parts))

    def evidence(self, key: str, span: Span) -> URIRef:
        return URIRef(f"{self.base}id/article/{key}#char={span.begin},{span.end}")  # RFC 5147 fragment


def graph_iri(base: str, key: str) -> URIRef:
    """The named graph that holds everything one article says (replaced as a whole)."""
    return URIRef(f"{base.rstrip('/')}/graph/article/{key}")


def shared_graph_iri(base: str) -> URIRef:
    """The graph of the nodes that are not scoped to one article (places, indicators, organisations,
    people, the software): their URIs carry no article key, and several articles describe them."""
    return URIRef(f"{base.rstrip('/')}/graph/shared")


SHARED_KINDS = ("place", "indicator", "org", "person", "software", "reviewer")


CONCEPTS = "https://w3id.org/ptkg/indicator/"    # the indicator concept scheme (data/lexicon/indicators.ttl)


def is_shared(subject: str, base: str) -> bool:
    """Whether a triple with this subject (an N-Triples term or a bare IRI) belongs in the shared graph."""
    iri = subject.strip("<>")
    if iri.startswith(CONCEPTS):
        return True
    prefix = base.rstrip("/") + "/id/"
    if not iri.startswith(prefix):
        return False
    kind = iri[len(prefix):].split("/", 1)[0]
    return kind in SHARED_KINDS


def links_graph_iri(base: str) -> URIRef:
    """The graph of the links between targets and the values later reported for them."""
    return URIRef(f"{base.rstrip('/')}/graph/links")


def ontology_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/ontology")


def new_graph() -> Graph:
    """An empty graph with the project's prefixes (and only those) bound. rdflib's SimpleMemory
    store: no named-graph indexes to keep, which made adding an article's triples, validating
    and serialising them about 40 % slower (bench: to RDF 6.8 → 3.9 ms an article); its
    predicate and object indexes made only when asked (graph.lazystore: to RDF 3.5 → 1.7 ms)."""
    g = Built(store=LazyIndexes(), bind_namespaces="none")
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g

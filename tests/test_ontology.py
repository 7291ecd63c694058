"""The ontology is the public contract: every term the data, the shapes and the code use is
declared, documented in zh and en, and the unit scheme matches the lexicon."""

import re

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgbuild.pipeline import graph_for
from conftest import ROOT, SEED

PTKG = "https://w3id.org/ptkg/ns#"
SH = Namespace("http://www.w3.org/ns/shacl#")
DECLARING = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.Concept,
             SKOS.ConceptScheme}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ROOT / "shapes" / "ptkg-shapes.ttl", format="turtle")


def declared(onto: Graph) -> set:
    return {s for s, o in onto.subject_objects(RDF.type) if o in DECLARING}


def test_every_term_in_the_data_is_declared(ontology):
    g, _ = graph_for([SEED, ROOT / "tests" / "data" / "made-up-report.md"])
    decl = declared(ontology)
    used = {p for p in g.predicates() if p != RDF.type} | set(g.objects(None, RDF.type))
    used |= {o for p in ("comparator", "kind", "commitmentLevel", "unitOfMeasure") for o in g.objects(None, URIRef(PTKG + p))}
    assert sorted(used - decl) == []


def test_every_shape_targets_a_declared_class_and_paths_are_declared(ontology, shapes):
    decl = declared(ontology)
    classes = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    assert classes and sorted(c for c in classes if c not in decl) == []
    paths = set(shapes.objects(None, SH.path))
    assert sorted(p for p in paths if p not in decl) == []
    for lst in shapes.objects(None, SH["in"]):
        for v in Collection(shapes, lst):
            assert v in decl, v


def test_every_ptkg_term_in_the_code_is_declared(ontology):
    decl = {str(s) for s in declared(ontology)}
    names = set()
    for f in (ROOT / "kgbuild").rglob("*.py"):
        names |= set(re.findall(r"\bPTKG\.([A-Za-z_][A-Za-z0-9_]*)", f.read_text(encoding="utf-8")))
    assert names
    assert sorted(n for n in names if PTKG + n not in decl) == []
    for q in (ROOT / "queries").glob("*.rq"):
        for n in re.findall(r"\bptkg:([A-Za-z_][A-Za-z0-9_]*)", q.read_text(encoding="utf-8")):
            assert PTKG + n in decl, (q.name, n)


def test_ptkg_terms_are_documented_in_both_languages(ontology):
    for s in declared(ontology):
        if not str(s).startswith(PTKG) and not (s, RDFS.isDefinedBy, None) in ontology:
            continue
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(s, prop)}
            assert {"zh", "en"} <= langs, (s, prop, langs)
    onto = URIRef("https://w3id.org/ptkg/ns")
    assert (onto, OWL.versionInfo, None) in ontology


def test_controlled_values_are_skos_schemes(ontology):
    for scheme in ("comparator", "kind", "level", "unit"):
        iri = URIRef(f"https://w3id.org/ptkg/code/{scheme}")
        assert (iri, RDF.type, SKOS.ConceptScheme) in ontology
        members = set(ontology.subjects(SKOS.inScheme, iri))
        assert members and all((m, SKOS.notation, None) in ontology for m in members)


def test_unit_scheme_matches_the_lexicon(ontology):
    lexicon = {line.split("\t")[0] for line in (ROOT / "data" / "lexicon" / "units.tsv").read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#") and line.split("\t")[1] != "none"} - {"％"}
    scheme = URIRef("https://w3id.org/ptkg/code/unit")
    notations = {str(ontology.value(m, SKOS.notation)) for m in ontology.subjects(SKOS.inScheme, scheme)}
    assert lexicon == notations


def test_the_unit_concepts_are_those_rdflib_reads_in_the_unit_scheme():
    """graph.mapping reads the unit scheme's notations with pyoxigraph's parser: the same pairs, in
    the same order (of two concepts with one notation the later wins), as rdflib's graph of it."""
    from kgbuild.graph import mapping
    g = Graph().parse(ROOT / "ontology" / "units.ttl", format="turtle")
    by_rdflib = {str(n): s for s, n in g.subject_objects(SKOS.notation)}
    assert list(mapping._unit_concepts.__wrapped__().items()) == list(by_rdflib.items()) and len(by_rdflib) > 100

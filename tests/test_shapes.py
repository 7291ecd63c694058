"""Each shape proven with broken graphs: mutations of real graphs that must fail with the expected
focus node, path, severity and message; and real graphs that must conform. Every test runs with
both SHACL engines; with pyshacl-turbo, its results must also be exactly pyshacl's (the oracle):
same conforms, focus nodes, paths, source shapes, severities, components, values and messages."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kgbuild.pipeline import graph_for
from kgbuild.graph import lines, validate as shacl
from conftest import SEED, gold_dir

PTKG = Namespace("https://w3id.org/ptkg/ns#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")
CMP = Namespace("https://w3id.org/ptkg/code/comparator#")
KIND = Namespace("https://w3id.org/ptkg/code/kind#")
SH = Namespace("http://www.w3.org/ns/shacl#")
REPORT = Path(__file__).parent / "data" / "made-up-report.md"


ENGINE = [shacl.PYSHACL]


@pytest.fixture(autouse=True, params=[shacl.PYSHACL, pytest.param(shacl.TURBO, marks=pytest.mark.skipif(
    shacl.pyshacl_turbo is None, reason="pyshacl-turbo is not installed"))])
def engine(request):
    ENGINE[0] = request.param
    yield request.param
    ENGINE[0] = shacl.PYSHACL


def validate(g: Graph):
    """The engine under test's summary; with pyshacl-turbo, checked against pyshacl's results."""
    if ENGINE[0] != shacl.PYSHACL:
        oracle, turbo = shacl.run(g, engine=shacl.PYSHACL), shacl.run(g, engine=ENGINE[0])
        assert turbo[0] == oracle[0], "conforms differs from pyshacl's"
        assert shacl.result_set(turbo[1]) == shacl.result_set(oracle[1])
        # as stage 5 validates an article: its lines, with the part of the ontology its IRIs reach
        v = shacl.validate(g, engine=ENGINE[0])
        iris = {t for triple in g for t in triple if isinstance(t, URIRef)}
        assert shacl.validate(lines.canonical(g), names=g, iris=iris) == v
        return v
    return shacl.validate(g, engine=ENGINE[0])


@pytest.fixture(scope="module")
def base() -> Graph:
    g, _ = graph_for([SEED, REPORT])
    return g


def results(g: Graph) -> list[tuple[str, URIRef, URIRef, str]]:
    v = validate(g)
    rep = Graph().parse(data=v.report_ttl, format="turtle")
    out = []
    for r in rep.subjects(RDF.type, SH.ValidationResult):
        msgs = " | ".join(sorted(str(m) for m in rep.objects(r, SH.resultMessage)))
        out.append((str(rep.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], rep.value(r, SH.focusNode),
                    rep.value(r, SH.resultPath), msgs))
    return out


def one_of(g: Graph, cls, **where) -> URIRef:
    for s in sorted(g.subjects(RDF.type, cls)):
        if all((s, p, o) in g for p, o in where.values()):
            return s
    raise LookupError(cls)


def expect(g: Graph, focus, path, message: str, severity: str = "Violation") -> None:
    found = results(g)
    hits = [r for r in found if r[1] == focus and r[2] == path and message in r[3] and r[0] == severity]
    assert hits, f"expected {severity} on {focus} {path} «{message}», got:\n" + "\n".join(map(str, found))


def test_real_graphs_conform(base):
    assert results(base) == []


def test_dev_graphs_conform():
    g, _ = graph_for(sorted(gold_dir().glob("dev-*.md")))
    assert [r for r in results(g) if r[0] == "Violation"] == []


def range_target(g):
    return one_of(g, PTKG.Target, c=(PTKG.comparator, CMP.range))


def plain_target(g):
    return one_of(g, PTKG.Target, c=(PTKG.comparator, CMP.eq))


def mutate(base: Graph, fn) -> Graph:
    g = Graph()
    for t in base:
        g.add(t)
    fn(g)
    return g


# ---------------------------------------------------------------- Target

def test_target_without_indicator(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.remove((t, PTKG.indicator, None))), t, PTKG.indicator, "exactly one indicator")


def test_target_with_dangling_indicator(base):
    t = plain_target(base)
    def f(g):
        g.set((t, PTKG.indicator, URIRef("http://127.0.0.1:5000/id/indicator/not-declared")))
    expect(mutate(base, f), t, PTKG.indicator, "declared ptkg:Indicator")


def test_range_with_min_and_max_swapped(base):
    t = range_target(base)
    lo, hi = base.value(t, PTKG.minValue), base.value(t, PTKG.maxValue)
    def f(g):
        g.set((t, PTKG.minValue, hi))
        g.set((t, PTKG.maxValue, lo))
    expect(mutate(base, f), t, PTKG.minValue, "minimum below its maximum")


def test_value_with_wrong_datatype(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.set((t, PTKG.value, Literal("500")))), t, PTKG.value, "xsd:decimal")


def test_non_range_with_a_minimum(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.add((t, PTKG.minValue, Literal("1.0", datatype=XSD.decimal)))), t,
           PTKG.minValue, "no minimum or maximum")


def test_stated_indicator_without_language_tag(base):
    t = plain_target(base)
    text = str(base.value(t, PTKG.statedIndicator))
    expect(mutate(base, lambda g: g.set((t, PTKG.statedIndicator, Literal(text)))), t, PTKG.statedIndicator, "@zh")


def test_target_with_no_source(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.remove((t, PROV.wasDerivedFrom, None))), t, PROV.wasDerivedFrom, "exactly one article")


def test_target_with_no_evidence(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.remove((t, PTKG.evidence, None))), t, PTKG.evidence, "at least one evidence")


def test_comparator_outside_scheme(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.set((t, PTKG.comparator, CMP.about))), t, PTKG.comparator, "comparator scheme")


def test_growth_rate_not_in_percent(base):
    t = one_of(base, PTKG.Target, k=(PTKG.kind, KIND.growth_rate))
    expect(mutate(base, lambda g: g.set((t, PTKG.unit, Literal("家")))), t, PTKG.unit, "% or 个百分点")


def test_unit_concept_outside_scheme(base):
    t = plain_target(base)
    expect(mutate(base, lambda g: g.set((t, PTKG.unitOfMeasure, URIRef("http://qudt.org/vocab/unit/PERCENT")))),
           t, PTKG.unitOfMeasure, "unit scheme")


def test_warnings_do_not_block(base):
    t = one_of(base, PTKG.Target, c=(PTKG.comparator, CMP.eq), k=(PTKG.kind, KIND["count"]))
    def f(g):
        g.remove((t, PTKG.year, None))
        g.set((t, PTKG.kind, KIND.ratio))
    g = mutate(base, f)
    expect(g, t, PTKG.year, "No year", severity="Warning")
    expect(g, t, PTKG.unit, "usually in %", severity="Warning")
    assert validate(g).conforms


# ---------------------------------------------------------------- Evidence, Article

def test_evidence_offsets_off_by_one(base):
    e = one_of(base, PTKG.Evidence)
    b = int(base.value(e, NIF.beginIndex))
    expect(mutate(base, lambda g: g.set((e, NIF.beginIndex, Literal(b + 1, datatype=XSD.nonNegativeInteger)))),
           e, NIF.beginIndex, "between its offsets")


def test_evidence_text_changed(base):
    e = one_of(base, PTKG.Evidence)
    expect(mutate(base, lambda g: g.set((e, NIF.anchorOf, Literal("X" * len(str(base.value(e, NIF.anchorOf))))))),
           e, NIF.beginIndex, "between its offsets")


def test_article_issued_without_time_zone(base):
    a = one_of(base, PTKG.Article)
    expect(mutate(base, lambda g: g.set((a, DCTERMS.issued, Literal("2022-01-29T08:55:14", datatype=XSD.dateTime)))),
           a, DCTERMS.issued, "time zone")


def test_article_title_language(base):
    a = one_of(base, PTKG.Article)
    title = str(base.value(a, DCTERMS.title))
    expect(mutate(base, lambda g: g.set((a, DCTERMS.title, Literal(title, lang="en")))), a, DCTERMS.title, "@zh")


# ---------------------------------------------------------------- the other classes

def test_observation_without_indicator(base):
    o = one_of(base, PTKG.Observation)
    expect(mutate(base, lambda g: g.remove((o, PTKG.indicator, None))), o, PTKG.indicator, "exactly one indicator")


def test_indicator_label_language(base):
    i = one_of(base, PTKG.Indicator)
    label = str(base.value(i, SKOS.prefLabel))
    expect(mutate(base, lambda g: g.set((i, SKOS.prefLabel, Literal(label, lang="en")))), i, SKOS.prefLabel, "@zh")


def test_place_code_pattern(base):
    p = one_of(base, PTKG.City)
    expect(mutate(base, lambda g: g.set((p, PTKG.divisionCode, Literal("35050")))), p, PTKG.divisionCode, "six-digit")


def test_place_without_chinese_label(base):
    p = one_of(base, PTKG.City)
    expect(mutate(base, lambda g: g.remove((p, RDFS.label, None))), p, RDFS.label, "tagged @zh")


def test_plan_without_article(base):
    p = one_of(base, PTKG.Plan)
    expect(mutate(base, lambda g: g.remove((p, PTKG.announcedIn, None))), p, PTKG.announcedIn, "exactly one article")


def test_focus_area_order(base):
    a = one_of(base, PTKG.FocusArea)
    expect(mutate(base, lambda g: g.set((a, PTKG.order, Literal("first")))), a, PTKG.order, "positive integer")


def test_program_label_language(base):
    p = one_of(base, PTKG.Program)
    expect(mutate(base, lambda g: g.set((p, RDFS.label, Literal("x")))), p, RDFS.label, "@zh")


def test_event_date_datatype(base):
    e = one_of(base, PTKG.Event)
    expect(mutate(base, lambda g: g.set((e, SCHEMA.startDate, Literal("27日")))), e, SCHEMA.startDate, "xsd:date")


def test_person_without_name(base):
    p = one_of(base, SCHEMA.Person)
    expect(mutate(base, lambda g: g.remove((p, SCHEMA.name, None))), p, SCHEMA.name, "one name")


def test_build_without_articles(base):
    b = one_of(base, PROV.Activity)
    expect(mutate(base, lambda g: g.remove((b, PROV.used, None))), b, PROV.used, "articles it read")


def test_build_used_what_is_no_entity(base):
    b = one_of(base, PROV.Activity)
    expect(mutate(base, lambda g: g.add((b, PROV.used, Literal("x")))), b, PROV.used, "articles it read")


def test_a_build_is_run_by_software_only(base):
    """Only a ptkg:Correction is a person's activity; a build associated with a person is not one."""
    b = one_of(base, PROV.Activity)
    who = URIRef("http://127.0.0.1:5000/id/reviewer/made-up")
    expect(mutate(base, lambda g: (g.add((who, RDF.type, PROV.Person)), g.add((b, PROV.wasAssociatedWith, who)))),
           b, PROV.wasAssociatedWith, "software that ran it")


def test_software_without_version(base):
    s = one_of(base, PROV.SoftwareAgent)
    expect(mutate(base, lambda g: g.remove((s, SCHEMA.softwareVersion, None))), s, SCHEMA.softwareVersion, "one version")


# ---------------------------------------------------------------- confidence and corrections (issue 24)

def test_confidence_outside_zero_to_one(base):
    t = one_of(base, PTKG.Target)
    expect(mutate(base, lambda g: g.set((t, PTKG.confidence, Literal("1.5", datatype=XSD.decimal)))), t, PTKG.confidence,
           "from 0 to 1")


def test_observation_without_confidence(base):
    o = one_of(base, PTKG.Observation)
    expect(mutate(base, lambda g: g.remove((o, PTKG.confidence, None))), o, PTKG.confidence, "one confidence")


def _corrected(g: Graph, drop=None) -> tuple[URIRef, URIRef]:
    t = one_of(g, PTKG.Target)
    c = URIRef("http://127.0.0.1:5000/id/correction/made-up")
    who = URIRef("http://127.0.0.1:5000/id/reviewer/made-up")
    for triple in ((who, RDF.type, PROV.Person), (who, RDFS.label, Literal("某审核")), (c, RDF.type, PTKG.Correction),
                   (c, PTKG.correctionAction, URIRef("https://w3id.org/ptkg/code/action#confirm")), (c, PTKG.corrects, t),
                   (c, PROV.wasAssociatedWith, who), (c, RDFS.comment, Literal("核对")), (t, PTKG.correction, c),
                   (c, PROV.endedAtTime, Literal("2024-03-01T00:00:00+00:00", datatype=XSD.dateTime))):
        if triple[1] != drop:
            g.add(triple)
    return t, c


def test_a_well_formed_correction_conforms(base):
    g = mutate(base, lambda g: _corrected(g))
    assert [r for r in results(g) if r[0] == "Violation"] == []


def test_correction_without_a_reason_or_a_time(base):
    c = URIRef("http://127.0.0.1:5000/id/correction/made-up")
    expect(mutate(base, lambda g: _corrected(g, RDFS.comment)), c, RDFS.comment, "says why")
    expect(mutate(base, lambda g: _corrected(g, PROV.endedAtTime)), c, PROV.endedAtTime, "one time it was made")


def test_reading_without_its_correction(base):
    t = one_of(base, PTKG.Target)
    r = URIRef(str(t) + "/reading")

    def add(g):
        g.add((r, RDF.type, PTKG.Reading))
        g.add((r, PTKG.indicator, g.value(t, PTKG.indicator)))
        g.add((r, PTKG.confidence, Literal("0.5", datatype=XSD.decimal)))
    expect(mutate(base, add), r, PROV.wasInvalidatedBy, "names the correction")

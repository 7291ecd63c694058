"""Stage 4 — to RDF: an Extraction → its article's rdflib Graph. The only module that adds an
article's triples (publish.catalog adds the catalog's, from the manifest).

In: an Extraction, the base URL, the software version. Out: one rdflib Graph per article.
URIs are readable and deterministic (base + /id/…, made in graph.iris): the same input gives the
same URIs. No blank nodes: every entity, evidence span included, has a URI.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .. import paths
from ..extract import concepts, pinyin
from ..extract.extractor import sentence_around
from ..model import Extraction, Named, Span
from . import confidence
from .lines import Lines
from .iris import ACTION, AGG, CMP, GENRE, COUNTRY_SAME_AS, STATUS, KIND, LEVEL, NIF, PLACE_CLASS, PLACE_EN, PTKG, SCHEMA, Ids, dec, iri, new_graph, slug


class _Terms:
    """A namespace whose terms are made once: rdflib makes (and checks) a new URIRef at every
    attribute access (PTKG's terms, RDF.type), a tenth of an article's to RDF. The same IRIs."""

    def __init__(self, ns):
        self._ns, self._items = ns, {}

    @property
    def namespace(self):
        """The rdflib namespace itself (to bind its prefix)."""
        return self._ns

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._ns, name)
        setattr(self, name, term)                   # from now on found in the instance's dict
        return term

    def __getitem__(self, key: str) -> URIRef:
        term = self._items.get(key)
        if term is None:
            term = self._items[key] = self._ns[key]
        return term


ACTION, AGG, CMP, GENRE, STATUS, KIND, LEVEL, NIF, PTKG, SCHEMA, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD = map(
    _Terms, (ACTION, AGG, CMP, GENRE, STATUS, KIND, LEVEL, NIF, PTKG, SCHEMA, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD))
_LITERALS: dict[tuple, Literal] = {}


def _lit(value, lang: str | None = None, datatype=None) -> Literal:
    """Literal(value, lang=, datatype=), the short ones kept: making one parses its lexical form into
    a Python value, a third of an article's to RDF, and labels, years, units, offsets and cues
    recur. The same literals (a literal is immutable); the type is part of the key (True is not 1)."""
    if isinstance(value, str) and len(value) > 80:
        return Literal(value, lang=lang, datatype=datatype)
    key = (value.__class__, value, lang, datatype)
    hit = _LITERALS.get(key)
    if hit is None:
        if len(_LITERALS) > 100_000:
            _LITERALS.clear()
        hit = _LITERALS[key] = Literal(value, lang=lang, datatype=datatype)
    return hit


def to_rdf(x: Extraction, base: str, software_version: str) -> Graph:
    """One article's graph: self-contained (it repeats the descriptions of the places, indicators
    and agents it uses), so it can be validated, published and replaced on its own."""
    return _fill(new_graph(), x, base, software_version)


def to_lines(x: Extraction, base: str, software_version: str) -> Lines:
    """to_rdf's triples, in the order it adds them, without an rdflib store (graph.lines.Lines:
    its canonical() is canonical(to_rdf(…)), its graph() the graph to_rdf makes)."""
    return _fill(Lines(), x, base, software_version)


def _fill(g, x: Extraction, base: str, software_version: str):
    ids = Ids(base)
    g.bind("id", Namespace(ids.base + "id/"))
    run = ids("extraction", x.article.key)
    agent = ids("software", "kgbuild")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, _lit(f"kgbuild {software_version}: {x.article.key}", lang="en")))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, _lit("kgbuild", lang="en")))
    g.add((agent, SCHEMA.softwareVersion, _lit(software_version)))
    g.add((ids("indicator"), RDF.type, SKOS.ConceptScheme))
    g.add((ids("indicator"), SKOS.prefLabel, _lit("政策目标指标", lang="zh")))
    g.add((ids("indicator"), SKOS.prefLabel, _lit("Policy target indicators", lang="en")))
    _article(g, ids, x, run)
    return g


def _ev(g: Graph, ids: Ids, key: str, article: URIRef, span: Span) -> URIRef:
    e = ids.evidence(key, span)
    g.add((e, RDF.type, PTKG.Evidence))
    g.add((e, NIF.beginIndex, _lit(span.begin, datatype=XSD.nonNegativeInteger)))
    g.add((e, NIF.endIndex, _lit(span.end, datatype=XSD.nonNegativeInteger)))
    g.add((e, NIF.anchorOf, _lit(span.text)))
    g.add((e, NIF.referenceContext, article))
    return e


def _stated(g: Graph, ids: Ids, key: str, article: URIRef, span: Span, text: str) -> URIRef:
    """The evidence of a target or observation, with the whole sentence it stands in (ptkg:sentence)."""
    e = _ev(g, ids, key, article, span)
    b, s = sentence_around(text, span.begin, span.end)
    g.add((e, PTKG.sentence, _lit(text[b:s])))
    return e


def _place(g: Graph, ids: Ids, p) -> URIRef:
    from ..extract.places import gazetteer
    u = ids("place", p.slug)
    g.add((u, RDF.type, PTKG.Place))             # the supertype too: the endpoint does no inference
    g.add((u, RDF.type, PLACE_CLASS[p.level]))
    g.add((u, RDFS.label, _lit(p.name, lang="zh")))
    g.add((u, RDFS.label, _lit(PLACE_EN.get(p.code) or pinyin.joined(p.short).capitalize(), lang="en")))
    g.add((u, SKOS.altLabel, _lit(p.short, lang="zh")))
    if p.level == "country":
        g.add((u, PTKG.countryCode, _lit(p.code)))
        for same in COUNTRY_SAME_AS.get(p.code, ()):
            g.add((u, OWL.sameAs, URIRef(same)))
    else:
        g.add((u, PTKG.divisionCode, _lit(p.code)))
    if p.parent_code and (parent := gazetteer().get(p.parent_code)):
        g.add((u, SCHEMA.containedInPlace, _place(g, ids, parent)))
    return u


def _named(g: Graph, ids: Ids, key: str, art: URIRef, n: Named, cls: URIRef, uri: URIRef) -> URIRef:
    g.add((uri, RDF.type, cls))
    g.add((uri, RDFS.label, _lit(n.name, lang="zh")))
    for s in n.spans:
        g.add((uri, PTKG.evidence, _ev(g, ids, key, art, s)))
    return uri


def _article(g: Graph, ids: Ids, x: Extraction, build: URIRef) -> None:
    a = x.article
    key = a.key
    art = ids("article", key)
    g.add((build, PROV.used, art))
    g.add((art, RDF.type, PTKG.Article))
    g.add((art, PTKG.genre, GENRE[x.genre]))
    g.add((art, DCTERMS.title, _lit(a.title, lang="zh")))
    g.add((art, DCTERMS.identifier, _lit(key)))
    g.add((art, NIF.isString, _lit(a.text)))
    g.add((art, PTKG.sha256, _lit(a.sha256)))
    g.add((art, PTKG.sourceFile, _lit(a.path.rsplit("/", 1)[-1])))
    g.add((art, DCTERMS.language, _lit("zh")))
    if a.date:
        g.add((art, DCTERMS.issued, _lit(a.date.isoformat(), datatype=XSD.dateTime)))
    if a.publisher:
        pub = ids("org", slug(a.publisher))
        g.add((pub, RDF.type, PTKG.Organization))
        g.add((pub, RDFS.label, _lit(a.publisher, lang="zh")))
        g.add((art, DCTERMS.publisher, pub))
    for t in a.tags:
        g.add((art, SCHEMA.keywords, _lit(t)))
    for u in a.source_urls:
        g.add((art, DCTERMS.source, URIRef(u)))
    if a.retrieval is not None:
        _retrieval(g, ids, key, art, a.retrieval)
    for person in a.people:
        pu = ids("person", slug(person.name))
        g.add((pu, RDF.type, SCHEMA.Person))
        g.add((pu, SCHEMA.name, _lit(person.name, lang="zh")))
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
    g.add((plan, RDFS.label, _lit(label, lang="zh")))
    if place is not None:
        g.add((plan, PTKG.place, place))
        g.add((art, SCHEMA.spatialCoverage, place))
    for p in x.places[1:]:
        g.add((art, SCHEMA.mentions, _place(g, ids, p)))
    if plan_year:
        g.add((plan, PTKG.year, _lit(str(plan_year), datatype=XSD.gYear)))

    area_uri = {}
    for ar in x.areas:
        u = ids("area", key, str(ar.index))
        area_uri[ar.index] = u
        g.add((u, RDF.type, PTKG.FocusArea))
        g.add((u, RDFS.label, _lit(ar.label, lang="zh")))
        g.add((u, PTKG.order, _lit(ar.index, datatype=XSD.positiveInteger)))
        g.add((u, PTKG.evidence, _ev(g, ids, key, art, ar.span)))
        g.add((plan, PTKG.hasFocusArea, u))
    for n in x.programs:
        g.add((plan, PTKG.program, _named(g, ids, key, art, n, PTKG.Program, ids("program", key, slug(n.name)))))
    for n in x.organizations:
        g.add((art, SCHEMA.mentions, _named(g, ids, key, art, n, PTKG.Organization, ids("org", slug(n.name)))))
    for i, n in enumerate(x.events, 1):
        ev = _named(g, ids, key, art, n, PTKG.Event, ids("event", key, str(i)))
        if n.date:
            g.add((ev, SCHEMA.startDate, _lit(n.date, datatype=XSD.date)))
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
        ind = _indicator(g, ids, t.indicator_key, t.indicator, t.concept)
        _statement(g, u, PTKG.Target, _target_label(t), ind, t, place, art, build)
        _confidence(g, u, t, t.mentions[0] if t.mentions else None, x.article.text)
        g.add((u, PTKG.commitmentLevel, LEVEL[t.level]))
        if t.approximate:
            g.add((u, PTKG.approximate, _lit(True)))
        g.add((u, PTKG.plan, plan))
        g.add((plan, PTKG.hasTarget, u))
        if t.area is not None:
            g.add((u, PTKG.focusArea, area_uri[t.area]))
        if t.relative_to:
            g.add((u, PTKG.relativeTo, _lit(t.relative_to, lang="zh")))
        if t.parent is not None:
            g.add((u, PTKG.subTargetOf, target_uris[t.parent]))
        for m in t.mentions:
            g.add((u, PTKG.evidence, _stated(g, ids, key, art, m, x.article.text)))
    seen_obs: set[str] = set()
    for o in x.observations:
        s = f"{slug(o.indicator_key)}-{o.mention.begin}"
        if s in seen_obs:
            continue
        seen_obs.add(s)
        u = ids("observation", key, s)
        _statement(g, u, PTKG.Observation, f"{o.indicator} {o.mention.text}",
                   _indicator(g, ids, o.indicator_key, o.indicator, o.concept), o, place, art, build)
        _confidence(g, u, o, o.mention, x.article.text)
        g.add((u, PTKG.evidence, _stated(g, ids, key, art, o.mention, x.article.text)))


def _retrieval(g: Graph, ids: Ids, key: str, art: URIRef, r) -> None:
    """The download `kgbuild fetch` made of the article's file: a PROV-O activity with its times,
    the URL it used and where the answer came from after redirects."""
    act = ids("retrieval", key)
    g.add((act, RDF.type, PTKG.Retrieval))
    g.add((act, RDF.type, PROV.Activity))               # the supertype too: the endpoint does no inference
    g.add((act, RDFS.label, _lit(f"获取 {r.url}", lang="zh")))
    g.add((act, RDFS.label, _lit(f"retrieval of {r.url}", lang="en")))
    g.add((act, PROV.startedAtTime, _lit(r.started.isoformat(), datatype=XSD.dateTime)))
    g.add((act, PROV.endedAtTime, _lit(r.ended.isoformat(), datatype=XSD.dateTime)))
    g.add((act, PROV.used, URIRef(r.url)))
    g.add((URIRef(r.url), RDF.type, PROV.Entity))       # the web resource the URL names
    g.add((act, PTKG.finalUrl, URIRef(r.final_url)))
    g.add((act, PTKG.mediaType, _lit(r.content_type)))
    g.add((act, PROV.wasAssociatedWith, ids("software", "kgbuild")))
    g.add((art, PROV.wasGeneratedBy, act))


def _statement(g: Graph, u: URIRef, cls: URIRef, label: str, indicator: URIRef, t, place, art: URIRef,
               build: URIRef) -> None:
    """What a Target and an Observation share: indicator, comparator, kind, numbers, year,
    place and provenance."""
    g.add((u, RDF.type, cls))
    g.add((u, RDFS.label, _lit(label, lang="zh")))
    g.add((u, PTKG.indicator, indicator))
    g.add((u, PTKG.statedIndicator, _lit(t.indicator, lang="zh")))
    g.add((u, PTKG.comparator, CMP[t.comparator]))
    g.add((u, PTKG.kind, KIND[t.kind]))
    g.add((u, PTKG.tenseCue, _lit(t.cue or "article")))
    _values(g, u, t)
    if t.year:
        g.add((u, PTKG.year, _lit(str(t.year), datatype=XSD.gYear)))
    if t.aggregation:
        g.add((u, PTKG.aggregation, AGG[t.aggregation]))
    if getattr(t, "baseline", None) is not None:           # a Target's 从47.5%提高到51.5%
        g.add((u, PTKG.statedBaseline, dec(t.baseline)))
    if t.period_start is not None and t.year and t.period_start < t.year:
        g.add((u, PTKG.periodStart, _lit(str(t.period_start), datatype=XSD.gYear)))
    if place is not None:
        g.add((u, PTKG.place, place))
    g.add((u, PROV.wasDerivedFrom, art))
    g.add((u, PROV.wasGeneratedBy, build))


def _confidence(g: Graph, u: URIRef, t, span: Span | None, text: str) -> None:
    """ptkg:confidence (0–1) and the reasons it is below 1 (graph.confidence)."""
    sentence = ""
    if span is not None:
        b, e = sentence_around(text, span.begin, span.end)
        sentence = text[b:e]
    c = confidence.of_statement(t, sentence)
    g.add((u, PTKG.confidence, dec(c.score)))
    for n in c.notes:
        g.add((u, PTKG.confidenceNote, _lit(n, lang="en")))


def set_confidence(g: Graph, u: URIRef, score, note: str | None = None) -> None:
    """Replace a node's ptkg:confidence (a SHACL warning lowers it; a person's check sets it to 1)."""
    from decimal import Decimal
    g.remove((u, PTKG.confidence, None))
    g.add((u, PTKG.confidence, dec(Decimal(str(score)))))
    if note:
        g.add((u, PTKG.confidenceNote, _lit(note, lang="en")))


@lru_cache(maxsize=1)
def _unit_concepts() -> dict[str, URIRef]:
    """Unit as written (its skos:notation) → its concept in the unit scheme (ontology/units.ttl);
    of two concepts with one notation, the later in the file. Read with pyoxigraph's parser: what
    rdflib's Graph gave (the same pairs, in the file's order: tests/test_small_things.py) in 1/20
    of the time (0.07 s of CPU that every rebuild extracting an article paid)."""
    import pyoxigraph as ox
    notation = str(SKOS.notation)
    return {t.object.value: URIRef(t.subject.value)
            for t in ox.parse(path=str(paths.ontology_dir() / "units.ttl"), format=ox.RdfFormat.TURTLE)
            if t.predicate.value == notation and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal)}


def warm() -> None:
    """Read what to_rdf reads once (the unit scheme) now (pipeline._warm)."""
    _unit_concepts()


def _values(g: Graph, u: URIRef, t) -> None:
    if t.value is not None:
        g.add((u, PTKG.value, dec(t.value)))
    if t.min is not None:
        g.add((u, PTKG.minValue, dec(t.min)))
    if t.max is not None:
        g.add((u, PTKG.maxValue, dec(t.max)))
    if t.unit:
        g.add((u, PTKG.unit, _lit(t.unit)))
        if t.unit in _unit_concepts():
            g.add((u, PTKG.unitOfMeasure, _unit_concepts()[t.unit]))


def _indicator(g: Graph, ids: Ids, key: str, stated: str, concept: str | None = None) -> URIRef:
    if concept is not None:
        return _concept(g, iri(concept))
    u = ids("indicator", slug(key))
    g.add((u, RDF.type, PTKG.Indicator))
    g.add((u, SKOS.inScheme, ids("indicator")))
    if (u, SKOS.prefLabel, None) not in g:
        g.add((u, SKOS.prefLabel, _lit(key, lang="zh")))
        g.add((u, RDFS.label, _lit(key, lang="zh")))     # what generic tools and queries look for
    if stated != key:
        g.add((u, SKOS.altLabel, _lit(stated, lang="zh")))
    return u


def _concept(g: Graph, u: URIRef) -> URIRef:
    """A concept of the indicator scheme (data/lexicon/indicators.ttl), described as the scheme
    describes it, the same in every article graph (so it sits once in the shared graph)."""
    if (u, RDF.type, PTKG.Indicator) in g:
        return u
    described, hidden = _described(u)
    for p, o in described:
        g.add((u, p, o))
        if p == SKOS.prefLabel:
            g.add((u, RDFS.label, o))                     # what generic tools and queries look for
        if p == SKOS.inScheme and (o, RDF.type, SKOS.ConceptScheme) not in g:
            for p2, o2 in _scheme(o):
                g.add((o, p2, o2))
    for w in hidden:
        g.add((u, SKOS.hiddenLabel, w))                   # the normalised wordings that map to it
    return u


@lru_cache(maxsize=4096)
def _described(u: URIRef) -> tuple[tuple, tuple]:
    """What the scheme says of a concept, in the order _concept adds it, and its wordings (read
    once per concept: looking them up in the scheme's graph was a tenth of an article's to RDF)."""
    scheme = concepts.graph()
    described = tuple((p, o) for p in (RDF.type, SKOS.inScheme, SKOS.prefLabel, RDFS.label, SKOS.broader,
                                       SKOS.closeMatch, PTKG.desiredDirection, PTKG.unitKind)
                      for o in scheme.objects(u, p))
    return described, tuple(_lit(w, lang="zh") for w in concepts.wordings(str(u)))


@lru_cache(maxsize=64)
def _scheme(o) -> tuple:
    return tuple(concepts.graph().predicate_objects(o))


SYMBOL = {"eq": "", "ge": "≥", "gt": ">", "le": "≤", "lt": "<", "range": ""}


def _target_label(t) -> str:
    num = f"{t.min:f}–{t.max:f}" if t.comparator == "range" else f"{SYMBOL[t.comparator]}{t.value:f}"
    return f"{t.indicator} {num}{t.unit or ''}" + (f"（{t.year}年）" if t.year else "")


METHOD = _Terms(Namespace("https://w3id.org/ptkg/code/progress-method#"))


def links_to_rdf(links, base: str, progress=()) -> Graph:
    """The links graph: each Target's outcomes and status (link.outcomes), the rubric that decided
    it, and a multi-year target's progress year by year (link.progress). Rebuilt on every build."""
    from ..link.rubric import rubric_iri
    g = new_graph()
    g.bind("status", STATUS.namespace)
    verdict_rubric = URIRef(rubric_iri("verdict"))
    latest: dict[str, object] = {}
    for p in progress:
        t, u = URIRef(p.target), URIRef(f"{p.target}#progress-{p.year}")
        latest[p.target] = p
        g.add((t, PTKG.progress, u))
        g.add((u, RDF.type, PTKG.ProgressAssessment))
        g.add((u, PTKG.year, _lit(str(p.year), datatype=XSD.gYear)))
        g.add((u, PTKG.progressStatus, STATUS[p.status]))
        g.add((u, PTKG.progressMethod, METHOD[p.mode]))
        for o in p.basis:
            g.add((u, PTKG.progressBasis, URIRef(o)))
        g.add((u, PTKG.baselineYear, _lit(str(p.baseline_year), datatype=XSD.gYear)))
        if p.baseline:
            g.add((u, PTKG.baseline, URIRef(p.baseline)))
        if p.baseline_value is not None:
            g.add((u, PTKG.baselineValue, dec(p.baseline_value)))
        if p.value is not None:
            g.add((u, PTKG.progressValue, dec(p.value)))
        if p.ratio is not None:
            g.add((u, PTKG.progressRatio, dec(p.ratio)))
        g.add((u, PTKG.progressRule, _lit(p.rule_zh, lang="zh")))
        g.add((u, PTKG.progressRule, _lit(p.rule_en, lang="en")))
        g.add((u, PTKG.rubric, URIRef(p.rubric)))
    for iri, p in latest.items():                   # the target's latest progress, for lists and scorecards
        g.add((URIRef(iri), PTKG.progressStatus, STATUS[p.status]))
    for lk in links:
        t = URIRef(lk.target)
        g.add((t, PTKG.rubric, verdict_rubric))
        for o in lk.outcomes:
            g.add((t, PTKG.outcome, URIRef(o)))
        if lk.basis:
            g.add((t, PTKG.statusBasis, URIRef(lk.basis)))
        g.add((t, PTKG.status, STATUS[lk.status]))
        g.add((t, PTKG.statusRule, _lit(lk.rule)))
        if getattr(lk, "confidence", None) is not None:
            g.add((t, PTKG.statusConfidence, dec(lk.confidence)))
    return g


# ------------------------------------------------------------------ corrections (kgbuild/correct)
# A person's decision about a fact, applied to its article's graph (reject, set, confirm) or to the
# links graph (link, unlink). Both readings stay: what the extractor read (a ptkg:Reading, or the
# node itself retyped ptkg:RejectedReading) and what the reviewer decided, as PROV-O.

READING = (RDFS.label, PTKG.indicator, PTKG.statedIndicator, PTKG.comparator, PTKG.kind, PTKG.value, PTKG.minValue,
           PTKG.maxValue, PTKG.unit, PTKG.unitOfMeasure, PTKG.year, PTKG.periodStart, PTKG.place, PTKG.tenseCue,
           PTKG.confidence, PTKG.confidenceNote, PTKG.approximate, PROV.wasDerivedFrom, PROV.wasGeneratedBy, PTKG.evidence)


def correction_activity(g: Graph, base: str, c) -> URIRef:
    """The correction as a prov:Activity: its action, what it corrects, who, when, why and where it is written."""
    import hashlib
    ids = Ids(base)
    key = hashlib.sha1("\0".join((c.iri, c.action, c.by, c.date, c.reason, repr(c.values), c.outcome or "")).encode()).hexdigest()[:16]
    u = ids("correction", key)
    who = ids("reviewer", slug(c.by))
    g.add((who, RDF.type, PROV.Person))
    g.add((who, RDFS.label, _lit(c.by)))
    g.add((u, RDF.type, PTKG.Correction))
    g.add((u, PTKG.correctionAction, ACTION[c.action]))
    g.add((u, PTKG.corrects, URIRef(c.iri)))
    g.add((u, PROV.wasAssociatedWith, who))
    g.add((u, PROV.endedAtTime, _lit(c.date, datatype=XSD.dateTime)))
    g.add((u, RDFS.comment, _lit(c.reason)))
    g.add((u, PTKG.correctionSource, _lit(f"{c.file.rsplit('/', 1)[-1]}:{c.line}")))
    g.add((u, RDFS.label, _lit(f"{c.action}: {c.by}, {c.date[:10]}", lang="en")))
    if c.outcome:
        g.add((u, PROV.used, URIRef(c.outcome)))
    return u


def correct_statement(g: Graph, base: str, c) -> None:
    """reject, set or confirm one Target or Observation of this article graph. A value the graph
    cannot take (an unknown concept or place) raises ValueError with the problem."""
    u = URIRef(c.iri)
    act = correction_activity(g, base, c)
    g.add((u, PTKG.correction, act))
    if c.action == "confirm":
        before = g.value(u, PTKG.confidence)
        g.remove((u, PTKG.confidenceNote, None))
        set_confidence(g, u, 1, f"confirmed by {c.by} on {c.date[:10]}"
                                + (f" (the extractor's confidence was {before})" if before is not None else ""))
        return
    if c.action == "reject":
        for cls in (PTKG.Target, PTKG.Observation):
            g.remove((u, RDF.type, cls))
        g.add((u, RDF.type, PTKG.RejectedReading))
        g.add((u, RDF.type, PTKG.Reading))
        g.add((u, PROV.wasInvalidatedBy, act))
        for plan in list(g.objects(u, PTKG.plan)):
            g.remove((plan, PTKG.hasTarget, u))
        g.remove((u, PTKG.plan, None))
        g.remove((None, PTKG.subTargetOf, u))
        g.remove((u, PTKG.subTargetOf, None))
        return
    reading = URIRef(str(u) + "/reading")
    if (reading, RDF.type, PTKG.Reading) not in g:           # the extractor's reading, kept once
        g.add((reading, RDF.type, PTKG.Reading))
        for p in READING:
            for o in g.objects(u, p):
                g.add((reading, p, o))
        g.add((u, PROV.wasRevisionOf, reading))
    g.add((reading, PROV.wasInvalidatedBy, act))
    _set(g, base, u, dict(c.values))
    g.remove((u, PTKG.confidenceNote, None))
    set_confidence(g, u, 1, f"set by {c.by} on {c.date[:10]}")


def _set(g: Graph, base: str, u: URIRef, v: dict) -> None:
    ids = Ids(base)
    if "min" in v or "max" in v:
        g.remove((u, PTKG.value, None))
        v.setdefault("comparator", "range")
    if "value" in v:
        g.remove((u, PTKG.minValue, None))
        g.remove((u, PTKG.maxValue, None))
        if v.get("comparator") is None and g.value(u, PTKG.comparator) == CMP.range:
            v["comparator"] = "eq"
    for key, prop in (("value", PTKG.value), ("min", PTKG.minValue), ("max", PTKG.maxValue)):
        if key in v:
            g.remove((u, prop, None))
            g.add((u, prop, dec(v[key])))
    if "comparator" in v:
        g.set((u, PTKG.comparator, CMP[v["comparator"]]))
    if "unit" in v:
        g.remove((u, PTKG.unit, None))
        g.remove((u, PTKG.unitOfMeasure, None))
        g.add((u, PTKG.unit, _lit(v["unit"])))
        if v["unit"] in _unit_concepts():
            g.add((u, PTKG.unitOfMeasure, _unit_concepts()[v["unit"]]))
    if "year" in v:
        g.set((u, PTKG.year, _lit(str(v["year"]), datatype=XSD.gYear)))
        g.remove((u, PTKG.periodStart, None))
    if "indicator" in v:
        iri = v["indicator"] if v["indicator"].startswith("http") else "https://w3id.org/ptkg/indicator/" + v["indicator"]
        if iri not in concepts.scheme()[0]:
            raise ValueError(f"indicator: no concept {v['indicator']!r} in the indicator scheme (data/lexicon/indicators.ttl)")
        g.set((u, PTKG.indicator, _concept(g, URIRef(iri))))
    if "place" in v:
        from ..extract.places import gazetteer
        gz = gazetteer()
        p = gz.get(v["place"]) or next((x for x in gz.by_code.values() if x.slug == v["place"]), None)
        if p is None:
            raise ValueError(f"place: no place {v['place']!r} (a slug such as quanzhou, or a six-digit code)")
        g.set((u, PTKG.place, _place(g, ids, p)))
    # the label says what the statement now says
    cmp_ = str(g.value(u, PTKG.comparator)).rsplit("#", 1)[-1]
    num = lambda p: format(g.value(u, p).toPython().normalize(), "f")  # noqa: E731
    shown = f"{num(PTKG.minValue)}–{num(PTKG.maxValue)}" if cmp_ == "range" and g.value(u, PTKG.minValue) is not None \
        else f"{SYMBOL.get(cmp_, '')}{num(PTKG.value)}" if g.value(u, PTKG.value) is not None else ""
    year = g.value(u, PTKG.year)
    label = f"{g.value(u, PTKG.statedIndicator)} {shown}{g.value(u, PTKG.unit) or ''}" + (f"（{year}年）" if year else "")
    g.set((u, RDFS.label, _lit(label, lang="zh")))


def cited_outcome(g: Graph, base: str, target_facts: dict, c, act: URIRef) -> URIRef:
    """A value a reviewer linked to a target with its source URL and sentence (a `link` correction
    without an observation): a ptkg:CitedOutcome with the target's place, indicator and year."""
    import hashlib
    ids = Ids(base)
    u = ids("outcome", hashlib.sha1((c.iri + "\0" + str(c.values)).encode()).hexdigest()[:16])
    g.add((u, RDF.type, PTKG.CitedOutcome))
    v = dict(c.values)
    for key, prop in (("value", PTKG.value), ("min", PTKG.minValue), ("max", PTKG.maxValue)):
        if key in v:
            g.add((u, prop, dec(v[key])))
    g.add((u, PTKG.comparator, CMP["range" if "min" in v and "value" not in v else "eq"]))
    if "unit" in v:
        g.add((u, PTKG.unit, _lit(v["unit"])))
    year = v.get("year") or target_facts.get("year")
    if year:
        g.add((u, PTKG.year, _lit(str(year), datatype=XSD.gYear)))
    for key, prop in (("place", PTKG.place), ("indicator", PTKG.indicator)):
        if target_facts.get(key):
            g.add((u, prop, URIRef(target_facts[key])))
    g.add((u, DCTERMS.source, URIRef(v["source"])))
    g.add((u, PTKG.sentence, _lit(v["sentence"])))
    shown = f"{v['min']:f}–{v['max']:f}" if "min" in v and "max" in v and "value" not in v else f"{v.get('value', '')}"
    g.add((u, RDFS.label, _lit(f"{shown}{v.get('unit', '')}（{year}年）", lang="zh")))
    g.add((u, PROV.wasGeneratedBy, act))
    return u


def link_corrections(g: Graph, base: str, corrections, target_facts: dict[str, dict]) -> dict[str, URIRef]:
    """The link / unlink corrections in the links graph: each an activity on its target; a link
    with a value becomes a CitedOutcome (returned by correction, keyed by its file:line)."""
    cited: dict[str, URIRef] = {}
    for c in corrections:
        act = correction_activity(g, base, c)
        t = URIRef(c.iri)
        g.add((t, PTKG.correction, act))
        if c.action == "unlink":
            g.add((t, PTKG.unlinkedOutcome, URIRef(c.outcome)))
        elif c.outcome is None:
            cited[c.where] = cited_outcome(g, base, target_facts.get(c.iri, {}), c, act)
    return cited

"""Stage 5 — validate: the one module that uses a SHACL engine (pyshacl and pyshacl-turbo).

Shapes come from shapes/*.ttl, the ontology (for class hierarchy) from ontology/*.ttl.
Two engines give the same report (tests/test_shacl_engines.py and bench/shacl_gate.py compare
them on every article we have and on the shape mutation tests, pyshacl being the oracle):
pyshacl, in Python, and pyshacl-turbo, a Rust engine with pyshacl's API. ENGINE is the
build's; `validate(..., engine=...)` picks one for a comparison.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

try:
    import pyshacl_turbo
    from pyshacl_turbo.rdf import Input, decode
except ImportError:                     # pragma: no cover — a dependency; tests skip without it
    pyshacl_turbo = None
from rdflib import BNode, Graph, Literal, Namespace, URIRef, plugin
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.query import Processor

from .. import paths
from ..model import Validation

SH = Namespace("http://www.w3.org/ns/shacl#")


def load_dir(directory: Path, names: tuple[str, ...] | None = None) -> Graph:
    """The Turtle files of a folder (all, or those named) as one graph."""
    g = Graph()
    for f in sorted(directory.glob("*.ttl")):
        if names is None or f.name in names:
            g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=1)
def links_shapes() -> Graph:
    """The shapes of the links graph alone (shapes/links.ttl)."""
    return load_dir(paths.shapes_dir(), ("links.ttl",))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return load_dir(paths.shapes_dir())


# what shapes look at in the ontology: the class hierarchy (sh:class, sh:targetClass) and the
# schemes of concepts (a unit of measure is in the unit scheme); labels and comments are left out
_STRUCTURAL = {RDFS.subClassOf, RDFS.subPropertyOf, SKOS.inScheme}


@lru_cache(maxsize=1)
def ontology_graph() -> tuple:
    """The structural triples of ontology/*.ttl (rdflib terms, each once, in the files' order):
    read with pyoxigraph's parser, which takes 3 ms where rdflib's Turtle parser took 60 ms, and
    only the few kept triples are made rdflib terms (tests/test_shacl_engines.py compares with rdflib's)."""
    import pyoxigraph as ox
    keep = {str(p) for p in _STRUCTURAL}
    out: dict[tuple, None] = {}
    for f in sorted(paths.ontology_dir().glob("*.ttl")):
        with open(f, "rb") as src:
            for t in ox.parse(src, format=ox.RdfFormat.TURTLE, base_iri=f.resolve().as_uri()):
                if t.predicate.value in keep:
                    out[(_rdflib(t.subject), URIRef(t.predicate.value), _rdflib(t.object))] = None
    return tuple(out)


def _rdflib(term):
    import pyoxigraph as ox
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)           # as rdflib reads a plain literal
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"not a term of a triple: {term!r}")


@lru_cache(maxsize=1)
def _ontology_nt() -> str:
    """ontology_graph() as N-Triples, to append to a data graph given as N-Triples text (the
    engine reads a set of triples: one already in the data counts once)."""
    return "".join(_nt_row(t) for t in ontology_graph())


@lru_cache(maxsize=1)
def _reach() -> tuple[dict, tuple[str, ...]]:
    """Each subject of ontology_graph() → the positions of the triples it reaches there: its own,
    then those of their objects, and so on (a class's superclasses, a concept's scheme); and each
    triple's N-Triples line."""
    triples = ontology_graph()
    by_subject: dict = defaultdict(list)
    for i, (s, _, o) in enumerate(triples):
        by_subject[s].append((i, o))
    out = {}
    for start in by_subject:
        seen, todo, found = {start}, [start], set()
        while todo:
            for i, o in by_subject.get(todo.pop(), ()):
                found.add(i)
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
        out[start] = frozenset(found)
    return out, tuple(_nt_row(t) for t in triples)


def ontology_for(iris) -> str:
    """The part of _ontology_nt() that a graph whose IRIs (subjects, predicates, IRI objects) are
    IRIS can reach: the triples of the ontology's subjects among IRIS, and of their objects, on to
    the top, in the same order. What validating an article reads of the ontology, a sixth of it
    (28 of 178 triples), which pyshacl-turbo parses in much less time than the whole (an
    article's validation: ≈1 ms of CPU less of 7). The shapes of shapes/ reach the ontology only
    forwards from a node of the graph (sh:class and rdf:type/rdfs:subClassOf*, the path
    skos:inScheme); the ontology's nodes have no rdf:type (only _STRUCTURAL is kept) and no shape
    targets a subject or object of _STRUCTURAL, so none is a focus node (tests/test_shacl_engines.py
    checks that of shapes/, and compares the reports)."""
    reach, rows = _reach()
    found = set().union(*(reach[s] for s in reach.keys() & iris))
    return "".join(rows[i] for i in sorted(found))


@lru_cache(maxsize=1)
def _caching_processor() -> type:
    """pyshacl runs each SHACL-SPARQL constraint once per focus node with the same text and a
    different $this binding; rdflib would parse the text every time (≈40 ms). Parse it once.
    Registered below as rdflib's "sparql" query processor (the plugin registry is rdflib's way
    to swap it); the parsed algebra depends only on the text, the base and the prefixes. Made
    when rdflib first asks for it (the module's __getattr__): rdflib's SPARQL engine is loaded
    only by the pyshacl engine, not by pyshacl-turbo (0.2 s of CPU a rebuild does without)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.evaluate import evalQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    class _CachingProcessor(SPARQLProcessor):
        _cache: dict[tuple, object] = {}

        def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
            if isinstance(strOrQuery, str):
                key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
                parsed = self._cache.get(key)
                if parsed is None:
                    if len(self._cache) > 512:
                        self._cache.clear()
                    parsed = self._cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
                strOrQuery = parsed
            return evalQuery(self.graph, strOrQuery, initBindings, base)
    return _CachingProcessor


def __getattr__(name: str):
    if name == "_CachingProcessor":
        return _caching_processor()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


plugin.register("sparql", Processor, __name__, "_CachingProcessor")


_EMPTY = Graph()
_PREPARED: dict[object, tuple[Graph, object]] = {}


def _prepared(shapes: Graph):
    """pyshacl's compiled form of a shapes graph, kept across runs: compiling it took a third of
    the time of validating one article."""
    from pyshacl.shapes_graph import ShapesGraph
    hit = _PREPARED.get(id(shapes))
    if hit is None or hit[0] is not shapes:
        if len(_PREPARED) > 8:
            _PREPARED.clear()
        hit = _PREPARED[id(shapes)] = (shapes, ShapesGraph(shapes))
    return hit[1]


PYSHACL, TURBO = "pyshacl", "pyshacl-turbo"
ENGINE = TURBO if pyshacl_turbo is not None else PYSHACL


def _compiled(shapes: Graph):
    """pyshacl-turbo's compiled form of a shapes graph, kept across runs."""
    key = ("turbo", id(shapes))
    hit = _PREPARED.get(key)
    if hit is None or hit[0] is not shapes:
        if len(_PREPARED) > 8:
            _PREPARED.clear()
        hit = _PREPARED[key] = (shapes, pyshacl_turbo.compile_shapes(shapes))
    return hit[1]


def warm() -> None:
    """Load the shapes, compile them for the build's engine and read the ontology's hierarchy (and
    what each of its subjects reaches) now (pipeline._warm: before the article workers fork)."""
    shapes = shapes_graph()
    if ENGINE == TURBO:
        _compiled(shapes)
    _ontology_nt()
    _reach()


def run(data: Graph | str, shapes: Graph | None = None, engine: str | None = None,
        names: Graph | None = None, ontology: str | None = None) -> tuple[bool, Graph]:
    """The raw (conforms, report graph) of one engine on DATA. The structural part of the ontology
    (class hierarchy, unit scheme) is added to DATA for the run and taken out again, which is much
    cheaper than copying DATA; DATA is left as it was.
    DATA may also be N-Triples text (an article's, already serialised for publishing), with NAMES
    the graph whose prefixes it was written with: pyshacl-turbo then reads the text as it is, which
    spares converting the graph term by term and adding and removing the ontology (a third of its
    time on an article); the report is the same (tests/test_shacl_engines.py). ONTOLOGY: the part
    of the ontology's N-Triples pyshacl-turbo is given with that text (ontology_for), instead of all
    of it; pyshacl reads the graph with all of it."""
    engine = engine or ENGINE
    shapes = shapes if shapes is not None else shapes_graph()
    if isinstance(data, str):
        if engine == TURBO and pyshacl_turbo is not None:
            source = Input(data + (_ontology_nt() if ontology is None else ontology), "nt", None, {},
                           dict((names or _EMPTY).namespaces()))
            conforms, report, _ = _compiled(shapes).validate(source, allow_warnings=True)
            return conforms, report
        g = Graph()
        g.parse(data=data, format="nt")
        return run(g, shapes, engine)
    added = [t for t in ontology_graph() if t not in data]
    data.addN((s, p, o, data) for s, p, o in added)
    try:
        if engine == TURBO:
            if pyshacl_turbo is None:
                raise RuntimeError("pyshacl-turbo is not installed")
            conforms, report, _ = _compiled(shapes).validate(data, allow_warnings=True)
        elif engine == PYSHACL:
            import pyshacl
            from pyshacl.graph_abstraction import DataGraph
            source = data
            if not data.store.context_aware:      # pyshacl reads a context-aware store (graph.iris.new_graph's is not)
                source = Graph()
                source += data
            validator = pyshacl.Validator(DataGraph.from_rdflib(source), shacl_graph=_EMPTY, options=dict(
                inference="none", inplace=True, abort_on_first=False, allow_warnings=True, advanced=False, use_js=False))
            validator.shacl_graph = _prepared(shapes)
            conforms, report, _ = validator.run()
        else:
            raise ValueError(f"unknown SHACL engine {engine!r}")
    finally:
        for t in added:
            data.remove(t)
    return conforms, report


def validate(data: Graph | str, shapes: Graph | None = None, engine: str | None = None,
             names: Graph | None = None, iris=None) -> Validation:
    """Validate DATA against the shapes (all of shapes/ by default) with ENGINE or the one named.
    DATA: a graph, or its N-Triples with NAMES, the graph (run() says why), and with IRIS, the set
    of its IRIs (subjects, predicates, IRI objects), pyshacl-turbo is given only the part of the
    ontology they reach (ontology_for; the shapes of shapes/ alone: their reach is what it says)."""
    if names is None:
        if isinstance(data, str):
            raise TypeError("validate: N-Triples data needs the graph it was written from (names=)")
        names = data
    ontology = None
    if isinstance(data, str) and (engine or ENGINE) == TURBO and pyshacl_turbo is not None:
        if iris is not None and shapes is None:
            ontology = ontology_for(iris)
        hit = _without_results(data, shapes if shapes is not None else shapes_graph(), names, ontology)
        if hit is not None:
            return hit
    return _summary(run(data, shapes, engine, names, ontology)[1], names)


_QUIET: dict[tuple, Validation] = {}       # (shapes, a report without results, its node named "_:r") → its summary
_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def _without_results(data: str, shapes: Graph, names: Graph, ontology: str | None = None) -> Validation | None:
    """Validate DATA (N-Triples) by asking pyshacl-turbo's engine directly for its report as text,
    validating once. Most articles' reports have no results: their summary is always the same
    one, so a report with the text of one already summarised — its node's label aside — gives that
    summary, sparing decoding the report into a graph, binding the shapes' 40 prefixes to it and
    summarising it (a third of the time of validating an article). Any other report (results, or
    the first one without) is decoded as CompiledShapes.validate (what run() calls) decodes it:
    the same report graph, without validating the data a second time. None (validate() goes the
    usual way) for another engine version or a failure; tests/test_article_lines.py and
    test_shacl_engines.py compare the two ways."""
    compiled = _compiled(shapes)
    native = getattr(compiled, "_native", None)
    if native is None or pyshacl_turbo.__version__ != "0.6.5":   # the engine's call as that version makes it
        return None
    try:
        conforms, report, _, _, recursion = native.validate(
            data + (_ontology_nt() if ontology is None else ontology), "nt", None, False, 100, 15, False, False, True, False, [], [],
            [(p, str(ns)) for p, ns in names.namespaces()])
    except Exception:  # noqa: BLE001 — the usual way reports it as pyshacl-turbo does
        return None
    if recursion or not isinstance(report, str):
        return None
    quiet = "ValidationResult" not in report
    key = (id(shapes), _BLANK.sub("_:r", report))
    if quiet and key in _QUIET:
        return _QUIET[key]
    graph = decode(report, dict(compiled._blank_nodes), preserve_ids=True, report=True, normalize=None)
    for prefix, namespace in compiled.graph.namespaces():
        graph.bind(prefix, namespace)
    v = _summary(graph, names)
    if quiet and not (v.report_nt or v.violations or v.warnings or not v.conforms):
        if len(_QUIET) > 64:
            _QUIET.clear()
        _QUIET[key] = v
    return v


def result_set(report: Graph, shapes: Graph | None = None) -> frozenset[tuple]:
    """A report's results as comparable tuples: (focus node, path, source shape, severity,
    constraint component, value, messages). A blank-node shape (a property shape) is named by the
    shape that holds it and its path, so reports of two engines compare whatever their labels."""
    shapes = shapes if shapes is not None else shapes_graph()

    def term(node, graph: Graph):
        if isinstance(node, BNode):
            parent = next(iter(sorted(shapes.subjects(SH.property, node))), None) if graph is shapes else None
            path = graph.value(node, SH.path)
            return ("_", str(parent), str(path)) if path is not None else ("_", tuple(sorted(
                (str(p), str(o)) for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))))
        return None if node is None else node.n3()

    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        v = report.value
        out.add((term(v(r, SH.focusNode), report), term(v(r, SH.resultPath), report),
                 term(v(r, SH.sourceShape), shapes), term(v(r, SH.resultSeverity), report),
                 term(v(r, SH.sourceConstraintComponent), report), term(v(r, SH.value), report),
                 tuple(sorted(m.n3() for m in report.objects(r, SH.resultMessage)))))
    return frozenset(out)


_NO_RESULTS: dict[frozenset, Validation] = {}


def _summary(report: Graph, names: Graph) -> Validation:
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    if not results:                     # most articles: one report node, nothing to name; its summary is the
        shape = frozenset((p, o) for _, p, o in report)     # same every time, so it is made once
        if not any(isinstance(o, BNode) for _, o in shape) and len(set(report.subjects())) == 1:
            hit = _NO_RESULTS.get(shape)
            if hit is None:
                hit = _NO_RESULTS[shape] = _summary_of(report, names, results)
            return hit
    return _summary_of(report, names, results)


def _summary_of(report: Graph, names: Graph, results: list) -> Validation:
    severities = [report.value(r, SH.resultSeverity) for r in results]
    violations = sum(1 for s in severities if s == SH.Violation)
    warnings = sum(1 for s in severities if s == SH.Warning)
    canon = _canonical(report)
    return Validation(conforms=violations == 0, violations=violations, warnings=warnings,
                      report_text=render(report, names), report_ttl=canon.serialize(format="turtle"),
                      report_nt="\n".join(sorted(canon.serialize(format="nt").splitlines())) + "\n" if results else "")


def _canonical(report: Graph) -> Graph:
    """The report with its blank nodes labelled by content, so it is deterministic."""
    from rdflib.compare import to_canonical_graph
    canon = Graph()
    canon.bind("sh", SH)
    canon.addN((s, p, o, canon) for s, p, o in to_canonical_graph(report))
    return canon


def merge(reports: list[str], names: Graph) -> Validation:
    """Per-article reports (canonical N-Triples) → one report for the whole build."""
    g = Graph()
    for nt in reports:
        if nt:
            g.parse(data=nt, format="nt")
    for r in list(g.subjects(RDF.type, SH.ValidationReport)):
        g.remove((r, None, None))
    results = sorted(set(g.subjects(RDF.type, SH.ValidationResult)))
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not any(g.value(r, SH.resultSeverity) == SH.Violation for r in results))))
    for r in results:
        g.add((rep, SH.result, r))
    return _summary(g, names)


def shapes_for(classes: set) -> Graph:
    """The shapes, with only the targets on the given classes kept: to check, on the union of
    all article graphs, just the nodes several articles describe (places, indicators, agents)."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in shapes_graph()
           if not (p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                   and not (p == SH.targetClass and o in classes)))
    return g


def render(report: Graph, data: Graph) -> str:
    """Human report: one block per shape, one line per focus node, with path, value and message."""
    groups: dict[str, list[str]] = defaultdict(list)
    n = 0
    for r in report.subjects(RDF.type, SH.ValidationResult):
        n += 1
        sev = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        source = report.value(r, SH.sourceShape)
        shape_name = _shape_name(source, report)
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        msgs = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        line = f"  [{sev}] {focus}"
        if path is not None:
            line += f"\n      path:  {_short(path, data)}"
        if value is not None:
            line += f"\n      value: {value}"
        for msg in msgs or [""]:
            line += f"\n      {msg}"
        groups[shape_name].append(line)
    if not n:
        return "Conforms: the graph satisfies every shape.\n"
    out = [f"{n} result(s):"]
    for shape in sorted(groups):
        out.append(f"\n{shape} ({len(groups[shape])})")
        out.extend(sorted(groups[shape]))
    return "\n".join(out) + "\n"


def warning_lines(report_ttl: str) -> list[str]:
    """One line per sh:Warning result of a report: focus node, path, the English message (or the
    first one), sorted; what `kgbuild build` shows when it counts warnings."""
    if not report_ttl.strip():
        return []
    report = Graph().parse(data=report_ttl, format="turtle")
    report.bind("ptkg", "https://w3id.org/ptkg/ns#")
    out = []
    for r in report.subjects(SH.resultSeverity, SH.Warning):
        focus, path = report.value(r, SH.focusNode), report.value(r, SH.resultPath)
        msgs = sorted(report.objects(r, SH.resultMessage), key=lambda m: (getattr(m, "language", None) != "en", str(m)))
        where = f"{focus}" + (f" {path.n3(report.namespace_manager)}" if path is not None and not isinstance(path, BNode) else "")
        out.append(f"{where}: {msgs[0] if msgs else _shape_name(report.value(r, SH.sourceShape), report)}")
    return sorted(out)


def _shape_name(source, report: Graph) -> str:
    if source is None:
        return "(unknown shape)"
    s = str(source)
    if "#" in s:
        return s.rsplit("#", 1)[-1]
    return "property shape of " + next((str(x).rsplit("#", 1)[-1] for x in shapes_graph().subjects(SH.property, source)), s)


def _short(node, g: Graph) -> str:
    try:
        return g.namespace_manager.normalizeUri(node)
    except Exception:
        return str(node)

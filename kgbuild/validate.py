"""Stage 5 — validate: the one module that uses pyshacl.

Shapes come from shapes/*.ttl, the ontology (for class hierarchy) from ontology/*.ttl.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery

from . import paths
from .model import Validation

SH = Namespace("http://www.w3.org/ns/shacl#")


def load_dir(directory: Path, names: tuple[str, ...] | None = None) -> Graph:
    """The Turtle files of a folder (all, or those named) as one graph."""
    g = Graph()
    for f in sorted(directory.glob("*.ttl")):
        if names is None or f.name in names:
            g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return load_dir(paths.shapes_dir())


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return load_dir(paths.ontology_dir())


class _PreparedQueryGraph(Graph):
    """pyshacl runs each SHACL-SPARQL constraint once per focus node with the same text and a
    different $this binding; rdflib would parse the text every time (≈40 ms). Parse it once."""

    _cache: dict[str, object] = {}

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            prepared = self._cache.get(query_object)
            if prepared is None:
                prepared = self._cache[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def validate(data: Graph) -> Validation:
    # the ontology is mixed in here (class hierarchy for sh:class and targets), not by pyshacl,
    # so that pyshacl works on this graph in place and its queries hit the cache above
    work = _PreparedQueryGraph()
    for t in data:
        work.add(t)
    for t in ontology_graph():
        work.add(t)
    conforms, report, _ = pyshacl.validate(
        work, shacl_graph=shapes_graph(), inference="none", inplace=True,
        abort_on_first=False, allow_warnings=True, meta_shacl=False, advanced=False, js=False)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    severities = [report.value(r, SH.resultSeverity) for r in results]
    violations = sum(1 for s in severities if s == SH.Violation)
    warnings = sum(1 for s in severities if s == SH.Warning)
    return Validation(conforms=violations == 0, violations=violations, warnings=warnings,
                      report_text=render(report, data), report_ttl=_sorted_turtle(report))


def _sorted_turtle(report: Graph) -> str:
    """The report as Turtle with its blank nodes skolemised by content, so it is deterministic."""
    from rdflib.compare import to_canonical_graph
    canon = Graph()
    canon.bind("sh", SH)
    for t in to_canonical_graph(report):
        canon.add(t)
    return canon.serialize(format="turtle")


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

"""Stage 6 — publish: the validated graph → dist/, written atomically.

Everything is written into a temporary sibling folder first; only a complete, validated build
replaces the previous dist/ (two renames), so a failed or interrupted build never leaves a
half-written dist/. Dump files are deterministic: the same input gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from . import docs, paths, store, targets
from .model import ArticleBuild, ArticleFailure, Published, Validation
from .places import gazetteer
from .rdf import PREFIXES, ontology_graph_iri, to_catalog
from .validate import load_dir

MEDIA = {"dataset.ttl": "text/turtle", "dataset.nt": "application/n-triples", "dataset.trig": "application/trig",
         "dataset.nq": "application/n-quads", "dataset.jsonld": "application/ld+json",
         "targets.csv": "text/csv", "validation.ttl": "text/turtle", "validation.txt": "text/plain",
         "ontology.ttl": "text/turtle", "ontology.jsonld": "application/ld+json", "ontology.html": "text/html",
         "catalog.ttl": "text/turtle", "catalog.jsonld": "application/ld+json", "catalog.rdf": "application/rdf+xml"}


def ntriples(g: Graph) -> bytes:
    """N-Triples with lines sorted: canonical order, independent of hashing."""
    lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _oxigraph(data: bytes, fmt: str, prefixes: dict) -> bytes:
    """The big dumps, written by pyoxigraph from sorted N-Triples or N-Quads: fast (rdflib's
    Turtle writer takes minutes on a million triples) and in a stable order by construction."""
    import pyoxigraph as ox
    prefixes = {p: str(ns) for p, ns in prefixes.items()}
    if fmt == "trig":
        return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "ttl":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return ox.serialize(triples, format=ox.RdfFormat.JSON_LD) + b"\n"


def rdfxml(g: Graph) -> bytes:
    """RDF/XML in a stable order (rdflib's RDF/XML writer follows hash order): pyoxigraph writes
    the sorted N-Triples in the order given."""
    import pyoxigraph as ox
    triples = ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes={p: str(ns) for p, ns in g.namespaces()})


def _sorted_json(node):
    if isinstance(node, dict):
        return {k: _sorted_json(v) for k, v in sorted(node.items())}
    if isinstance(node, list):
        items = [_sorted_json(x) for x in node]
        return sorted(items, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
    return node


def jsonld(g: Graph) -> bytes:
    context = {p: str(ns) for p, ns in PREFIXES.items()}
    doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sorted_json(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def ontology(names: tuple[str, ...] | None = None) -> Graph:
    """The ontology files (all of ontology/*.ttl by default) as one graph."""
    return load_dir(paths.ontology_dir(), names)


def build_time() -> str:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else now, as UTC ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc).replace(microsecond=0)
    return t.isoformat().replace("+00:00", "Z")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(articles: list[ArticleBuild], validation: Validation, skipped: list[ArticleFailure], out: Path,
            base: str, version: str, started: float) -> Published:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        articles = sorted(articles, key=lambda a: a.graph)
        nq = nquads(articles)
        nt = union(articles)
        prefixes = dict(PREFIXES) | {"id": base.rstrip("/") + "/id/"}
        onto = ontology()
        files: dict[str, bytes] = {
            "dataset.nt": nt,
            "dataset.nq": nq,
            "dataset.trig": _oxigraph(nq, "trig", prefixes),
            "dataset.ttl": _oxigraph(nt, "ttl", prefixes),
            "dataset.jsonld": _oxigraph(nt, "jsonld", prefixes),
            "validation.ttl": validation.report_ttl.encode("utf-8"),
            "validation.txt": validation.report_text.encode("utf-8"),
            "ontology.ttl": onto.serialize(format="turtle", encoding="utf-8"),
            "ontology.jsonld": jsonld(onto),
            "ontology.html": docs.ontology_html(ontology(("ptkg.ttl", "reuse.ttl"))).encode("utf-8"),
        }
        onto_files = sorted(paths.ontology_dir().glob("*.ttl"))
        store.build_store(tmp / "store", nq, onto_files, str(ontology_graph_iri(base)))
        recs = targets.records(store.open_store(tmp))
        files["targets.csv"] = targets.to_csv(recs).encode("utf-8")
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / "queries").mkdir()
        for q in sorted(paths.queries_dir().glob("*.rq")):          # the example queries, served as resources
            shutil.copyfile(q, tmp / "queries" / q.name)
        years = sorted({r["year"] for r in recs if r["year"]})
        places = {}
        for a in articles:
            for code, name, slug in a.places:
                lon, lat = gazetteer().centroids.get(code, (None, None))
                places[code] = {"uri": f"{base.rstrip('/')}/id/place/{slug}", "name": name, "code": code,
                                "lon": lon, "lat": lat}
        triples = nt.count(b"\n")
        manifest = {
            "dataset_version": _sha(nq)[:16],
            "software_version": version,
            "build_time": build_time(),
            "base": base,
            "triples": triples,
            "quads": nq.count(b"\n"),
            "targets": len(recs),
            "observations": sum(a.observations for a in articles),
            "graphs": {"article": f"{base.rstrip('/')}/graph/article/", "ontology": str(ontology_graph_iri(base)),
                       "default": "union of all graphs"},
            "articles": [{"key": a.key, "file": a.file, "sha256": a.sha256, "graph": a.graph,
                          "graph_sha256": _sha(a.ntriples.encode("utf-8")), "triples": a.ntriples.count("\n"),
                          "targets": a.targets} for a in articles],
            "skipped": [{"file": f.file, "error": f.error} for f in sorted(skipped, key=lambda f: f.file)],
            "validation": {"conforms": validation.conforms, "violations": validation.violations,
                           "warnings": validation.warnings},
            "coverage": {"years": [years[0], years[-1]] if years else None,
                         "places": [places[c] for c in sorted(places)]},
            "examples": [r["uri"] for r in recs[:1]] + [p["uri"] for p in list(places.values())[:1]],
            "files": [{"name": n, "bytes": len(d), "sha256": _sha(d), "media_type": MEDIA[n]}
                      for n, d in sorted(files.items())],
        }
        catalog = to_catalog(manifest, base)
        for name, fmt in (("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld"), ("catalog.rdf", "xml")):
            data = {"turtle": lambda: catalog.serialize(format="turtle", encoding="utf-8"),
                    "json-ld": lambda: jsonld(catalog), "xml": lambda: rdfxml(catalog)}[fmt]()
            (tmp / name).write_bytes(data)
            manifest["files"].append({"name": name, "bytes": len(data), "sha256": _sha(data), "media_type": MEDIA[name]})
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Published(out=str(out), triples=triples, targets=len(recs), articles=len(articles),
                     files=tuple(sorted(files)) + ("manifest.json", "store/"), seconds=time.monotonic() - started)


def nquads(articles: list[ArticleBuild]) -> bytes:
    """Every article's graph as N-Quads: graph by graph (sorted by name), lines sorted within."""
    out = []
    for a in articles:
        g = f" <{a.graph}> .\n"
        out.extend(line[:-2] + g for line in a.ntriples.splitlines() if line)
    return "".join(out).encode("utf-8")


def union(articles: list[ArticleBuild]) -> bytes:
    """The union of the article graphs as sorted, distinct N-Triples (the default graph)."""
    lines: set[str] = set()
    for a in articles:
        lines.update(a.ntriples.splitlines())
    lines.discard("")
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")


def _swap(new: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)

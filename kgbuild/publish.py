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
from .model import Extraction, Published, Validation
from .places import gazetteer
from .rdf import PREFIXES, to_catalog
from .validate import load_dir

MEDIA = {"dataset.ttl": "text/turtle", "dataset.nt": "application/n-triples", "dataset.jsonld": "application/ld+json",
         "targets.csv": "text/csv", "validation.ttl": "text/turtle", "validation.txt": "text/plain",
         "ontology.ttl": "text/turtle", "ontology.jsonld": "application/ld+json", "ontology.html": "text/html",
         "catalog.ttl": "text/turtle", "catalog.jsonld": "application/ld+json", "catalog.rdf": "application/rdf+xml"}


def ntriples(g: Graph) -> bytes:
    """N-Triples with lines sorted: canonical order, independent of hashing."""
    lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _oxigraph(nt: bytes, fmt: str, g: Graph) -> bytes:
    """The big dumps, written by pyoxigraph from the sorted N-Triples: fast (rdflib's Turtle
    writer takes minutes on a million triples) and in a stable order by construction."""
    import pyoxigraph as ox
    triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "ttl":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={p: str(ns) for p, ns in g.namespaces()})
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


def publish(graph: Graph, validation: Validation, extractions: tuple[Extraction, ...], out: Path, base: str,
            version: str, started: float) -> Published:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        nt = ntriples(graph)
        onto = ontology()
        files: dict[str, bytes] = {
            "dataset.nt": nt,
            "dataset.ttl": _oxigraph(nt, "ttl", graph),
            "dataset.jsonld": _oxigraph(nt, "jsonld", graph),
            "validation.ttl": validation.report_ttl.encode("utf-8"),
            "validation.txt": validation.report_text.encode("utf-8"),
            "ontology.ttl": onto.serialize(format="turtle", encoding="utf-8"),
            "ontology.jsonld": jsonld(onto),
            "ontology.html": docs.ontology_html(ontology(("ptkg.ttl", "reuse.ttl"))).encode("utf-8"),
        }
        onto_files = sorted(paths.ontology_dir().glob("*.ttl"))
        store.build_store(tmp / "store", nt, onto_files)
        recs = targets.records(store.open_store(tmp))
        files["targets.csv"] = targets.to_csv(recs).encode("utf-8")
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / "queries").mkdir()
        for q in sorted(paths.queries_dir().glob("*.rq")):          # the example queries, served as resources
            shutil.copyfile(q, tmp / "queries" / q.name)
        years = sorted({r["year"] for r in recs if r["year"]})
        places = {}
        for x in extractions:
            for p in x.places[:1]:
                lon, lat = gazetteer().centroids.get(p.code, (None, None))
                places[p.code] = {"uri": f"{base.rstrip('/')}/id/place/{p.slug}", "name": p.name, "code": p.code,
                                  "lon": lon, "lat": lat}
        manifest = {
            "dataset_version": _sha(nt)[:16],
            "software_version": version,
            "build_time": build_time(),
            "base": base,
            "triples": len(graph),
            "targets": len(recs),
            "observations": sum(len(x.observations) for x in extractions),
            "articles": [{"key": x.article.key, "file": Path(x.article.path).name, "sha256": x.article.sha256,
                          "targets": len(x.targets)} for x in extractions],
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
    return Published(out=str(out), triples=len(graph), targets=len(recs), articles=len(extractions),
                     files=tuple(sorted(files)) + ("manifest.json", "store/"), seconds=time.monotonic() - started)


def _swap(new: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)

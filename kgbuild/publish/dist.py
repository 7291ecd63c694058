"""Stage 6 — publish: the validated article graphs → dist/ (dumps, store, manifest, catalog),
written atomically.

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

from .. import paths
from ..extract.places import gazetteer
from ..graph.iris import PREFIXES, links_graph_iri, ontology_graph_iri, shared_graph_iri
from ..graph.validate import load_dir
from ..model import ArticleBuild, ArticleFailure, Published, Validation
from ..report import targets
from . import docs, store
from .catalog import to_catalog
from .serialise import dump, jsonld, nquads, rdfxml, split, union

MEDIA = {"dataset.ttl": "text/turtle", "dataset.nt": "application/n-triples", "dataset.trig": "application/trig",
         "dataset.nq": "application/n-quads", "dataset.jsonld": "application/ld+json",
         "targets.csv": "text/csv", "validation.ttl": "text/turtle", "validation.txt": "text/plain",
         "ontology.ttl": "text/turtle", "ontology.jsonld": "application/ld+json", "ontology.html": "text/html",
         "catalog.ttl": "text/turtle", "catalog.jsonld": "application/ld+json", "catalog.rdf": "application/rdf+xml"}


def ontology(names: tuple[str, ...] | None = None) -> Graph:
    """The ontology files (all of ontology/*.ttl by default) as one graph."""
    return load_dir(paths.ontology_dir(), names)


def build_time() -> str:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else now, as UTC ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc).replace(microsecond=0)
    return t.isoformat().replace("+00:00", "Z")


def _statuses(recs: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in recs:
        if r.get("status"):
            out[r["status"]] = out.get(r["status"], 0) + 1
    return dict(sorted(out.items()))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(articles: list[ArticleBuild], validation: Validation, skipped: list[ArticleFailure], out: Path,
            base: str, version: str, started: float, links: str = "") -> Published:
    """links: the links graph's N-Triples (stage 6), published as its own named graph."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        articles = sorted(articles, key=lambda a: a.graph)
        written: dict[str, tuple[int, str]] = {}       # name → (bytes, sha256); written at once, not kept

        def write(name: str, data: bytes) -> None:
            (tmp / name).write_bytes(data)
            written[name] = (len(data), _sha(data))

        own, shared = split(articles, base)
        shared_iri = str(shared_graph_iri(base))
        links_iri = str(links_graph_iri(base))
        graphs = dict(own) | ({links_iri: links} if links else {})
        nq = nquads(graphs, shared_iri, shared)
        prefixes = dict(PREFIXES) | {"id": base.rstrip("/") + "/id/"}
        write("dataset.nq", nq)
        write("dataset.trig", dump(nq, "trig", prefixes))
        onto_files = sorted(paths.ontology_dir().glob("*.ttl"))
        store.build_store(tmp / "store", nq, onto_files, str(ontology_graph_iri(base)))
        dataset_version = _sha(nq)[:16]
        del nq
        nt = union(graphs, shared)
        triples = nt.count(b"\n")
        write("dataset.nt", nt)
        write("dataset.ttl", dump(nt, "ttl", prefixes))
        write("dataset.jsonld", dump(nt, "jsonld", prefixes))
        del nt
        onto = ontology()
        write("validation.ttl", validation.report_ttl.encode("utf-8"))
        write("validation.txt", validation.report_text.encode("utf-8"))
        write("ontology.ttl", onto.serialize(format="turtle", encoding="utf-8"))
        write("ontology.jsonld", jsonld(onto))
        write("ontology.html", docs.ontology_html(ontology(("ptkg.ttl", "reuse.ttl"))).encode("utf-8"))
        recs = targets.records(store.open_store(tmp))
        write("targets.csv", targets.to_csv(recs).encode("utf-8"))
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
        manifest = {
            "dataset_version": dataset_version,
            "software_version": version,
            "build_time": build_time(),
            "base": base,
            "triples": triples,
            "quads": sum(t.count("\n") for t in graphs.values()) + shared.count("\n"),
            "targets": len(recs),
            "observations": sum(a.observations for a in articles),
            "graphs": {"article": f"{base.rstrip('/')}/graph/article/", "ontology": str(ontology_graph_iri(base)),
                       "shared": {"graph": shared_iri, "graph_sha256": _sha(shared.encode("utf-8")),
                                  "triples": shared.count("\n")},
                       "links": {"graph": links_iri, "graph_sha256": _sha(links.encode("utf-8")),
                                 "triples": links.count("\n"), "statuses": _statuses(recs)},
                       "default": "union of all graphs"},
            "articles": [{"key": a.key, "file": a.file, "sha256": a.sha256, "graph": a.graph,
                          "graph_sha256": _sha(own[a.graph].encode("utf-8")), "triples": own[a.graph].count("\n"),
                          "targets": a.targets} for a in articles],
            "skipped": [{"file": f.file, "error": f.error} for f in sorted(skipped, key=lambda f: f.file)],
            "validation": {"conforms": validation.conforms, "violations": validation.violations,
                           "warnings": validation.warnings},
            "coverage": {"years": [years[0], years[-1]] if years else None,
                         "places": [places[c] for c in sorted(places)]},
            "examples": [r["uri"] for r in recs[:1]] + [p["uri"] for p in list(places.values())[:1]],
            "files": [{"name": n, "bytes": size, "sha256": sha, "media_type": MEDIA[n]}
                      for n, (size, sha) in sorted(written.items())],
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
                     files=tuple(sorted(written)) + ("manifest.json", "store/"), seconds=time.monotonic() - started)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """What a killed build left beside OUT: its temporary folders are removed, and when it was
    killed between the two renames (OUT moved aside, the new one not yet in place), the previous
    OUT is put back."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)) or not kind.endswith((".tmp", ".old")):
            continue
        if kind.endswith(".old") and not out.exists():
            os.replace(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)

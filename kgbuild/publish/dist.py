"""Stage 6 — publish: the validated article graphs → dist/ (dumps, store, manifest, catalog),
written atomically.

Everything is written into a temporary sibling folder first. A complete, validated build is
renamed to a versioned sibling (.dist.v<time>) and dist becomes a symbolic link to it, swapped in
one rename, so a reader (kgserve) sees the old version or the new one, never a mix, and a failed
or interrupted build never leaves a half-written dist/. The previous version is kept for a server
that has not switched yet; older ones are removed. One build at a time publishes to a folder
(`locked`). Dump files are deterministic: the same input gives byte-identical files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from datetime import datetime, timezone
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from rdflib import Graph

from .. import paths
from ..errors import BuildBusy, OutputError
from ..extract.places import gazetteer
from ..graph.iris import PREFIXES, links_graph_iri, ontology_graph_iri, shared_graph_iri
from ..graph.validate import load_dir
from ..model import ArticleBuild, ArticleFailure, Published, Validation
from ..report import review, targets
from . import docs, store
from .catalog import to_catalog
from .serialise import dump, jsonld, nquads, rdfxml, split, union

MEDIA = {"dataset.ttl": "text/turtle", "dataset.nt": "application/n-triples", "dataset.trig": "application/trig",
         "dataset.nq": "application/n-quads", "dataset.jsonld": "application/ld+json",
         "targets.csv": "text/csv", "validation.ttl": "text/turtle", "validation.txt": "text/plain",
         "ontology.ttl": "text/turtle", "shapes.ttl": "text/turtle", "ontology.jsonld": "application/ld+json", "ontology.html": "text/html",
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
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
    except OSError as e:
        raise OutputError(str(out), e) from None
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
        # prefixes only for the entity kinds whose local names need no escapes in Turtle (a slug);
        # targets, evidence and the rest are written as full IRIs, readable and easy to grep
        root = base.rstrip("/") + "/id/"
        prefixes = dict(PREFIXES) | {k: f"{root}{k}/" for k in ("place", "indicator", "plan", "person")}
        write("dataset.nq", nq)
        write("dataset.trig", dump(nq, "trig", prefixes))
        onto_files = sorted(paths.ontology_dir().glob("*.ttl"))
        nt = union(graphs, shared)
        triples = nt.count(b"\n")
        store.build_store(tmp / "store", nq, onto_files, str(ontology_graph_iri(base)), nt)
        dataset_version = _sha(nq)[:16]
        del nq
        write("dataset.nt", nt)
        write("dataset.ttl", dump(nt, "ttl", prefixes))
        write("dataset.jsonld", dump(nt, "jsonld", prefixes))
        del nt
        onto = ontology()
        write("validation.ttl", validation.report_ttl.encode("utf-8"))
        write("validation.txt", validation.report_text.encode("utf-8"))
        write("ontology.ttl", onto.serialize(format="turtle", encoding="utf-8"))
        write("shapes.ttl", b"".join(f"# shapes/{f.name}\n".encode() + f.read_bytes() + b"\n"
                                     for f in sorted(paths.shapes_dir().glob("*.ttl"))))
        write("ontology.jsonld", jsonld(onto))
        write("ontology.html", docs.ontology_html(ontology(("ptkg.ttl", "reuse.ttl"))).encode("utf-8"))
        (tmp / "queries").mkdir()
        canned_queries = sorted(paths.queries_dir().glob("*.rq"))
        for q in canned_queries:                                    # the example queries, served as resources
            shutil.copyfile(q, tmp / "queries" / q.name)
        built = store.open_store(tmp)                               # opened once for what is read back
        recs = targets.records(built)
        endpoint_triples, onto_triples = store.counts(built, str(ontology_graph_iri(base)))
        canned = store.precompute(built, canned_queries, tmp / "queries", base.rstrip("/") + "/sparql")
        (tmp / "review.json").write_text(review.to_json(review.items(built, base)), encoding="utf-8")   # for /review
        del built
        write("targets.csv", ("\ufeff" + targets.to_csv(recs)).encode("utf-8"))   # BOM: Excel reads it as UTF-8
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
            "endpoint_triples": endpoint_triples,
            "counts": {"article_graphs": sum(t.count("\n") for t in own.values()), "shared": shared.count("\n"),
                       "links": links.count("\n"), "dumps": triples, "ontology": onto_triples,
                       "endpoint": endpoint_triples},
            "quads": sum(t.count("\n") for t in graphs.values()) + shared.count("\n"),
            "targets": len(recs),
            "observations": sum(a.observations for a in articles),
            "graphs": {"article": f"{base.rstrip('/')}/graph/article/", "ontology": str(ontology_graph_iri(base)),
                       "shared": {"graph": shared_iri, "graph_sha256": _sha(shared.encode("utf-8")),
                                  "triples": shared.count("\n")},
                       "links": {"graph": links_iri, "graph_sha256": _sha(links.encode("utf-8")),
                                 "triples": links.count("\n"), "statuses": _statuses(recs)},
                       "default": "union of all graphs, materialised"},
            "articles": [{"key": a.key, "file": a.file, "sha256": a.sha256, "graph": a.graph,
                          "graph_sha256": _sha(own[a.graph].encode("utf-8")), "triples": own[a.graph].count("\n"),
                          "targets": a.targets} for a in articles],
            "skipped": [{"file": f.file, "error": f.error} for f in sorted(skipped, key=lambda f: f.file)],
            "validation": {"conforms": validation.conforms, "violations": validation.violations,
                           "warnings": validation.warnings},
            "coverage": {"years": [years[0], years[-1]] if years else None,
                         "places": [places[c] for c in sorted(places)]},
            "canned": {name: {"rows": n} for name, n in sorted(canned.items())},
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
    except OSError as e:                 # a full or read-only disk, an immutable file
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(str(out), e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Published(out=str(out), triples=triples, targets=len(recs), articles=len(articles),
                     files=tuple(sorted(written)) + ("manifest.json", "store/"), seconds=time.monotonic() - started)


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT's build lock (.OUT.lock beside it, released when the process ends however it
    ends); a second build to the same folder fails at once with BuildBusy."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        f = open(out.parent / f".{out.name}.lock", "a+", encoding="utf-8")
    except OSError as e:
        raise OutputError(str(out), e) from None
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise BuildBusy(str(out), f.read().strip()) from None
        try:                             # who holds it, for the other build's message
            f.seek(0)
            f.truncate()
            f.write(f"{os.getpid()}\n")
            f.flush()
        except OSError:
            pass
        yield


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """What a killed build left beside OUT: its temporary folders and links are removed, and when
    it was killed while replacing a dist/ folder of the older layout (OUT moved aside, the link
    not yet in place), the previous OUT is put back."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or alive(int(pid)) or not kind.endswith((".tmp", ".old", ".link")):
            continue
        if kind.endswith(".old") and not os.path.lexists(out):
            os.replace(leftover, out)
        elif kind.endswith(".link"):
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, out: Path) -> None:
    """NEW becomes .OUT.v<time>, and OUT a link to it, replaced in one rename."""
    version = out.parent / f".{out.name}.v{time.time_ns()}"
    os.replace(new, version)
    previous = os.readlink(out) if out.is_symlink() else None
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(version.name, link)
    if out.is_dir() and not out.is_symlink():         # a dist/ folder of the older layout
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(link, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(link, out)
    for v in out.parent.glob(f".{out.name}.v*"):      # keep this version and the one a server may still read
        if v.name not in (version.name, previous) and v.name[len(out.name) + 3:].isdigit():
            shutil.rmtree(v, ignore_errors=True)

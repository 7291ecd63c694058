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

import gc
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
from datetime import datetime, timezone
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from rdflib import Graph

from .. import paths
from ..errors import OutputError
from ..extract.places import centroids
from ..graph.iris import links_graph_iri, ontology_graph_iri, shared_graph_iri
from ..graph.validate import load_dir
from ..model import ArticleBuild, ArticleFailure, Published, Validation
from ..report import review, targets
from . import canned as canned_answers, delta, docs, memory, pieces, records, store
from .catalog import to_catalog
from .early import EarlyStore
from .earlydumps import EarlyDumps
from .serialise import Pending, Texts, blank, dump_prefixes, jsonld, newlines, rdfxml, split, text_of, turtle
from .version import _swap, alive, current, locked, recover, unchanged  # noqa: F401 — alive, locked and unchanged are imported from here

log = logging.getLogger("kgbuild")
MEDIA = {"dataset.ttl": "text/turtle", "dataset.nt": "application/n-triples", "dataset.trig": "application/trig",
         "dataset.nq": "application/n-quads", "dataset.jsonld": "application/ld+json",
         "targets.csv": "text/csv", "validation.ttl": "text/turtle", "validation.txt": "text/plain",
         "ontology.ttl": "text/turtle", "shapes.ttl": "text/turtle", "ontology.jsonld": "application/ld+json", "ontology.html": "text/html",
         "catalog.ttl": "text/turtle", "catalog.jsonld": "application/ld+json", "catalog.rdf": "application/rdf+xml"}


# files made from the ontology and the shapes alone: the same software, the same files
SOFTWARE_FILES = ("ontology.ttl", "shapes.ttl", "ontology.jsonld", "ontology.html")


def ontology(names: tuple[str, ...] | None = None) -> Graph:
    """The ontology files (all of ontology/*.ttl by default) as one graph."""
    return load_dir(paths.ontology_dir(), names)


def software() -> dict[str, bytes]:
    """The SOFTWARE_FILES, made from the ontology and the shapes."""
    onto = ontology()
    return {"ontology.ttl": onto.serialize(format="turtle", encoding="utf-8"),
            "shapes.ttl": b"".join(f"# shapes/{f.name}\n".encode() + f.read_bytes() + b"\n"
                                   for f in sorted(paths.shapes_dir().glob("*.ttl"))),
            "ontology.jsonld": jsonld(onto),
            "ontology.html": docs.ontology_html(ontology(("ptkg.ttl", "reuse.ttl"))).encode("utf-8")}


def build_time() -> str:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else now, as UTC ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc).replace(microsecond=0)
    return t.isoformat().replace("+00:00", "Z")


def _progress(links: str) -> dict[str, int]:
    """How many progress assessments of each status the links graph holds."""
    out: dict[str, int] = {}
    pred = "<https://w3id.org/ptkg/ns#progressStatus>"
    for line in links.splitlines():
        s, p, o = line.split(" ", 2)
        if p == pred and "#progress-" in s:
            name = o.rsplit(" .", 1)[0].strip("<>").rsplit("#", 1)[-1]
            out[name] = out.get(name, 0) + 1
    return dict(sorted(out.items()))


def _rubrics() -> list[dict]:
    """The rules the statuses name (kgbuild.link.rubric), each with its version and the digest of its words."""
    from ..link.rubric import VERSIONS, rubric_iri
    words = (paths.ontology_dir() / "rubrics.ttl").read_text(encoding="utf-8")
    out = []
    for name in sorted(VERSIONS):
        iri = rubric_iri(name)
        at = words.find(f"<{iri}>")
        digest = re.search(r'ptkg:ruleSha256 "([0-9a-f]{64})"', words[at:]) if at >= 0 else None
        out.append({"name": name, "version": VERSIONS[name], "iri": iri, "rule_sha256": digest.group(1) if digest else None})
    return out


class Laps:
    """How long each step of publish took, logged at DEBUG (KGBUILD_TIMES=1 prints them, with the
    CPU seconds, user+sys, of this process and of its ended children, the article workers, and of
    the thread that calls: the process's figure counts what runs meanwhile in other threads, the
    store loading and the canned queries)."""

    def __init__(self) -> None:
        self.t, self.cpu, self.mine = time.monotonic(), _cpu(), time.thread_time()

    def __call__(self, step: str) -> None:
        now, cpu, mine = time.monotonic(), _cpu(), time.thread_time()
        if os.environ.get("KGBUILD_TIMES"):
            print(f"time {step}: {now - self.t:.2f} s, CPU {cpu - self.cpu:.2f} s (this thread {mine - self.mine:.2f} s)",
                  file=sys.stderr)
        log.debug("publish: %s took %.2f s", step, now - self.t)
        self.t, self.cpu, self.mine = now, cpu, mine


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _facts(text: "str | Pending") -> tuple[str, int, bool]:
    """TEXT's SHA-256, lines and blankness (a Pending, an unchanged article's, is not read)."""
    return (text.sha256 if isinstance(text, Pending) else _sha(text.encode("utf-8")), newlines(text), blank(text))


def reusable(out: Path, base: str, fingerprint: str) -> tuple[Path, dict] | None:
    """The published version, when the same software built it for the same base: its store and
    software files can be updated instead of made again."""
    found = current(out) if fingerprint else None
    if found and found[1].get("fingerprint") == fingerprint and found[1].get("base") == base:
        return found
    return None


def _reuse(src: Path, dst: Path) -> None:
    """A file of the previous version in the new one: a hard link (versions are never edited)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _review_updated(previous: tuple[Path, dict], base: str, tmp: Path, change: tuple[list, list] | None) -> bytes | None:
    """review.json from the previous version's and the rows publish.delta changed in review.rq's
    answer (review.updated); None when it must be made in full."""
    try:
        head = (tmp / "queries" / "review.json").open("rb").read(4096)
        names = json.loads(head[:head.index(b'"bindings":[') + 12] + b"]}}")["head"]["vars"]
        old = (previous[0] / "review.json").read_bytes()
    except (OSError, ValueError, KeyError):
        return None
    return None if change is None else review.updated(old, base, names, *change)


RETRIEVAL_FIELDS = {"<http://www.w3.org/ns/prov#used>": "url", "<https://w3id.org/ptkg/ns#finalUrl>": "final_url",
                    "<http://www.w3.org/ns/prov#startedAtTime>": "retrieved", "<https://w3id.org/ptkg/ns#mediaType>": "media_type"}


def _source(nt: str, base: str, key: str) -> dict:
    """Where a fetched article's file came from, as its graph says (ptkg:Retrieval): for the catalog."""
    subject = f"<{base.rstrip('/')}/id/retrieval/{key}> "
    found = {}
    start = nt.find(subject)
    while start != -1:
        end = nt.find("\n", start)
        line = nt[start:end if end != -1 else len(nt)]
        p, _, o = line[len(subject):].rstrip().removesuffix(" .").partition(" ")
        if p in RETRIEVAL_FIELDS:
            found[RETRIEVAL_FIELDS[p]] = o[1:o.index(">")] if o.startswith("<") else o[1:o.index('"', 1)]
        start = nt.find(subject, end) if end != -1 else -1
    return {"source": found} if len(found) == len(RETRIEVAL_FIELDS) else {}


def publish(articles: list[ArticleBuild], validation: Validation, skipped: list[ArticleFailure], out: Path,
            base: str, version: str, started: float, links: str = "", inputs: str = "", fingerprint: str = "",
            full: bool = True, copy: tuple[Path, Future] | None = None, early_store: EarlyStore | None = None,
            early_dumps: EarlyDumps | None = None) -> Published:
    """links: the links graph's N-Triples (stage 6), published as its own named graph. INPUTS and
    FINGERPRINT (the software's hash) are recorded in the manifest; unless FULL, what the previous
    version has for the same software and base is reused: its query store, updated graph by graph,
    and the files made from the ontology and shapes alone. COPY: the previous version's folder and
    its default graph loading in memory (publish.memory.preload), for the canned queries. EARLY_STORE: the
    store made afresh, loading the article graphs since they were checked (publish.early), and the
    split of the articles it made. EARLY_DUMPS: a rebuild's dumps, the article graphs' pieces
    written since the articles were read (publish.earlydumps), and the split it made."""
    out = Path(out)
    previous = None if full else reusable(out, base, fingerprint)
    if previous is None:
        early_dumps = None                      # the pipeline starts them only for a version to update
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
    except OSError as e:
        raise OutputError(str(out), e) from None
    # what the build holds so far (the articles, their graphs, the links) stays: the collector need
    # not walk it again each time publish's many short-lived rows and records fill a generation (a
    # third of review.json's CPU, more of the target records'). Frozen objects without cycles (the
    # parsed answers below) are still freed when let go
    gc.freeze()
    try:
        articles = sorted(articles, key=lambda a: a.graph)
        written: dict[str, tuple[int, str]] = {}       # name → (bytes, sha256); written at once, not kept

        def write(name: str, data: bytes) -> None:
            (tmp / name).write_bytes(data)
            written[name] = (len(data), _sha(data))

        lap = Laps()
        own, shared = (early_store.own, early_store.shared) if early_store is not None else \
            (early_dumps.own, early_dumps.shared) if early_dumps is not None else split(articles, base)
        shared_iri = str(shared_graph_iri(base))
        links_iri = str(links_graph_iri(base))
        graphs = dict(own) | ({links_iri: links} if links else {})
        prefixes = dump_prefixes(base)
        onto_files = sorted(paths.ontology_dir().glob("*.ttl"))
        everything = graphs | {shared_iri: shared}
        # each graph's SHA-256, lines and blankness: an article graph's as its summary gives them
        # (graph.digest: made from the same lines as split cuts), made here (_facts) only for a graph
        # without one (corrected) and the links and shared graphs
        summed = {a.graph: a.digest["own"] for a in articles if a.digest is not None and a.graph in own}
        facts = {name: summed.get(name) or _facts(text) for name, text in everything.items()}
        sha = {name: f[0] for name, f in facts.items()}
        count = {name: f[1] for name, f in facts.items()}
        triples = sum(f[1] for f in facts.values() if not f[2])
        if early_dumps is not None:             # the rest of the dumps, written meanwhile
            early_dumps.finish({name: everything[name] for name in (links_iri, shared_iri) if name in everything})
        lap("split")
        changed: set[tuple[str, str, str]] | None = None     # the triples that changed, when the store was updated
        counted: tuple[int, int] | None = None                 # the endpoint's and the ontology's triples, when known
        if previous:
            before = {a["graph"]: a["graph_sha256"] for a in previous[1].get("articles", [])}
            before |= {g["graph"]: g["graph_sha256"] for g in (previous[1]["graphs"]["shared"], previous[1]["graphs"]["links"])}
            diff = {name: text_of(everything.get(name, "")) for name in set(before) | set(sha) if before.get(name) != sha.get(name)}
            try:
                before_counts = previous[1].get("counts", {})
                size = [before_counts.get("endpoint")] if isinstance(before_counts.get("endpoint"), int) else None
                changed = store.update_store(previous[0] / "store", tmp / "store", diff, size)
                if size is not None and isinstance(before_counts.get("ontology"), int):
                    counted = (size[0], before_counts["ontology"])   # the ontology graph is the previous one's
            except (OSError, ValueError, RuntimeError) as e:     # a damaged previous store: build it afresh
                log.warning("%s: cannot update the previous version's store (%s); building it afresh", out, e)
                shutil.rmtree(tmp / "store", ignore_errors=True)
                previous, changed, counted = None, None, None
        lap("store update")
        (tmp / "queries").mkdir()
        canned_queries = sorted(paths.queries_dir().glob("*.rq"))
        texts = {q.stem: q.read_text(encoding="utf-8") for q in canned_queries}
        for q in canned_queries:                                    # the example queries, served as resources
            shutil.copyfile(q, tmp / "queries" / q.name)
        kept = canned_answers.keep(previous[0], previous[1], canned_queries, changed, tmp / "queries") \
            if previous and changed is not None else {}
        sparql_iri = base.rstrip("/") + "/sparql"
        rows_changed: dict[str, tuple[list, list]] = {}     # name → the rows the update took out, set in
        updated = delta.refresh(previous[0], previous[1], [q for q in canned_queries if q.stem not in kept], changed,
                                tmp / "store", tmp / "queries", sparql_iri, rows_changed) \
            if previous and changed is not None else {}
        lap("canned answers updated")
        to_run = [q for q in canned_queries if q.stem not in kept and q.stem not in updated]
        if early_store is not None:
            early_store.classify()
        if previous and changed is not None and delta.on_the_store(previous[0], previous[1], to_run):
            on_store = to_run                   # a few the delta cannot cover: no copy loaded for them (nor
        else:                                   # rdflib's SPARQL parser, which needs_the_store may load)
            on_store = [q for q in to_run if store.needs_the_store(q.read_text(encoding="utf-8"))]
        # the default graph in memory for the canned queries still to run (store.precompute); when
        # none needs the store itself, they run as soon as the copy is loaded, while the store is
        # built and the other dumps and files are written, and so do what is read from their answers
        in_memory, early = len(to_run) > len(on_store), bool(to_run) and not on_store
        # the early dumps are taken when the manifest needs them, unless a step reads dataset.nt
        # or the store must be made afresh from dataset.nq (the previous one could not be updated)
        dumps_later = early_dumps is not None and previous is not None and not in_memory and not early
        hint = {n: v.get("rows") for n, v in previous[1].get("canned", {}).items()} if previous else None
        parsed: dict[str, dict | None] = dict.fromkeys(("targets", "outcomes", "review"))   # read next: not read back

        # a rebuild's copy, loaded from the previous version's union dump while the articles were
        # read, is brought up to date and queried at once, while the dumps are written
        on_copy = early and previous is not None and changed is not None and copy is not None and copy[0] == previous[0]
        dumped = threading.Event()                              # dataset.nt is written (or never will be)
        rest = {shared_iri: shared} | ({links_iri: links} if links else {})     # the graphs publish.early has not
        from_lines = early and early_store is not None and not on_copy

        sizes: list[tuple[int, int]] = []                     # the endpoint's and the ontology's triples (from_lines)

        def answers_in_memory() -> tuple[dict[str, int], object]:
            union = None
            if on_copy and copy[1].result() is not None:
                try:
                    union = memory.catch_up(copy[1].result(), changed, tmp / "store")
                except (OSError, ValueError, SyntaxError, RuntimeError) as e:     # the new dump, then
                    log.warning("%s: cannot bring the previous default graph up to date (%s)", out, e)
            if union is None and from_lines:                  # the same triples, not waiting for dataset.nt
                union = early_store.memory(rest, onto_files)
                # what store.counts would count on the store once built (its default graph holds
                # the same triples), counted here, in Rust, while it is still being built
                sizes.append((len(union), store.triples_in(onto_files)))
            elif union is None:
                dumped.wait()
                union = store.memory_store(tmp / "dataset.nt", onto_files)
            return store.precompute(union, canned_queries, tmp / "queries", sparql_iri, kept | updated, union, hint,
                                    parsed), union

        same = records.same(previous, kept)

        def from_answers(st) -> tuple[dict, bytes] | None:
            """The target records' summary and targets.csv, and review.json, read from the canned
            answers written (ST: a store holding the default graph, for an answer that is not
            there); None when the records are the previous version's (same). The records are
            the previous version's brought up to date when the answers were (records.updated)."""
            gc.freeze()                         # the answers parsed (freed as soon as they are let go)
            recs = None if same else (records.updated(previous, tmp / "queries", kept, updated, rows_changed)
                                      or records.made(targets.records(st, tmp / "queries", parsed)))
            lap("target records")
            queue = _review_updated(previous, base, tmp, rows_changed.get("review")) if "review" in updated else None
            if "review" in kept and (previous[0] / "review.json").is_file():     # made from review.rq's answer alone
                _reuse(previous[0] / "review.json", tmp / "review.json")
            elif queue is not None:
                (tmp / "review.json").write_bytes(queue)
            else:
                if "review" in updated:
                    log.debug("%s: review.json made in full (the rows changed do not place among the previous)", out)
                (tmp / "review.json").write_text(review.to_json(review.items(st, base, tmp / "queries", parsed)),
                                                 encoding="utf-8")     # for /review
            parsed.clear()
            lap("review.json")
            return recs

        with ThreadPoolExecutor(max_workers=2) as loads:       # pyoxigraph lets go of the GIL while it loads
            loading = {}

            if early_store is not None and not previous:       # the links and shared graphs, then optimised
                loading["store"] = loads.submit(early_store.finish, rest, tmp / "store")

            def ready() -> None:                                # dataset.nq and dataset.nt are written
                if not previous and "store" not in loading:
                    loading["store"] = loads.submit(store.build_store, tmp / "store", tmp / "dataset.nq", onto_files,
                                                    str(ontology_graph_iri(base)), tmp / "dataset.nt")
                dumped.set()
                if early:
                    if "answers" not in loading:                # else submitted already
                        loading["answers"] = loads.submit(answers_in_memory)
                elif in_memory:
                    loading["memory"] = loads.submit(store.memory_store, tmp / "dataset.nt", onto_files)

            if on_copy or from_lines:
                loading["answers"] = loads.submit(answers_in_memory)
            try:
                if early_dumps is not None and not dumps_later:
                    written.update(early_dumps.take(tmp))
                    ready()
                elif early_dumps is None:
                    written.update(pieces.write(tmp, Texts(everything), sha, prefixes, previous[0] if previous else None,
                                                ready))
            finally:
                dumped.set()
            lap("dumps")
            write("validation.ttl", validation.report_ttl.encode("utf-8"))
            write("validation.txt", validation.report_text.encode("utf-8"))
            software_files = {f["name"]: f for f in previous[1]["files"]} if previous else {}
            if all(n in software_files for n in SOFTWARE_FILES):     # the same software made them: as they were
                for n in SOFTWARE_FILES:
                    _reuse(previous[0] / n, tmp / n)
                    written[n] = (software_files[n]["bytes"], software_files[n]["sha256"])
            else:                                               # made meanwhile in a process (publish.early)
                made = early_store.software() if early_store is not None else software()
                for n in SOFTWARE_FILES:
                    write(n, made[n])
            lap("software files")
            if early:
                canned, union_store = loading.pop("answers").result()
                lap("canned answers (in memory)")
                recs = from_answers(union_store)
                del union_store
            if "store" in loading:
                loading["store"].result()
            lap("store build")
            union_store = loading["memory"].result() if "memory" in loading else None
            lap("in-memory copy")
        counted = counted or (sizes[0] if sizes else None)
        built = store.open_store(tmp) if not early or counted is None else None   # opened once for what is read back
        if not early:
            canned = store.precompute(built, canned_queries, tmp / "queries", sparql_iri, kept | updated, union_store, hint,
                                      parsed)
            del union_store
            lap("canned answers")
            recs = from_answers(built)
        endpoint_triples, onto_triples = counted or store.counts(built, str(ontology_graph_iri(base)))
        del built
        lap("counts")
        if dumps_later:
            written.update(early_dumps.take(tmp))
            lap("dumps (written meanwhile)")
        dataset_version = written["dataset.nq"][1][:16]
        if recs is None:                                           # the previous version's (records.same)
            summary = same[0]
            _reuse(previous[0] / "targets.csv", tmp / "targets.csv")
            written["targets.csv"] = (same[1]["bytes"], same[1]["sha256"])
        else:
            summary = recs[0]
            write("targets.csv", recs[1])
            del recs
        places, where = {}, centroids() if any(a.places for a in articles) else {}
        for a in articles:
            for code, name, slug in a.places:
                lon, lat = where.get(code, (None, None))
                places[code] = {"uri": f"{base.rstrip('/')}/id/place/{slug}", "name": name, "code": code,
                                "lon": lon, "lat": lat}
        manifest = {
            "dataset_version": dataset_version,
            "software_version": version,
            "fingerprint": fingerprint,
            "inputs": inputs,
            "build_time": build_time(),
            "base": base,
            "triples": triples,
            "endpoint_triples": endpoint_triples,
            "counts": {"article_graphs": sum(count[n] for n in own), "shared": count[shared_iri],
                       "links": links.count("\n"), "dumps": triples, "ontology": onto_triples,
                       "endpoint": endpoint_triples},
            "quads": sum(count[n] for n in graphs) + count[shared_iri],
            "targets": summary["count"],
            "observations": sum(a.observations for a in articles),
            "graphs": {"article": f"{base.rstrip('/')}/graph/article/", "ontology": str(ontology_graph_iri(base)),
                       "shared": {"graph": shared_iri, "graph_sha256": sha[shared_iri],
                                  "triples": count[shared_iri]},
                       "links": {"graph": links_iri, "graph_sha256": sha[links_iri] if links else _sha(b""),
                                 "triples": links.count("\n"), "statuses": summary["statuses"],
                                 "progress": _progress(links)},
                       "default": "union of all graphs, materialised"},
            "rubrics": _rubrics(),
            "articles": [{"key": a.key, "file": a.file, "sha256": a.sha256, "graph": a.graph,
                          "graph_sha256": sha[a.graph], "triples": count[a.graph],
                          "targets": a.targets, **_source(a.ntriples if a.ntriples is not None else a.digest["retrieval"], base, a.key)} for a in articles],
            "skipped": [{"file": f.file, "error": f.error} for f in sorted(skipped, key=lambda f: f.file)],
            "validation": {"conforms": validation.conforms, "violations": validation.violations,
                           "warnings": validation.warnings},
            "coverage": {"years": summary["years"],
                         "places": [places[c] for c in sorted(places)]},
            "canned": {name: {"rows": n, "patterns": canned_answers.listed(texts[name]),    # what it reads
                              "plan": delta.shape.listed(texts[name])}                          # publish.shape
                       for name, n in sorted(canned.items())},
            "examples": summary["first"] + [p["uri"] for p in list(places.values())[:1]],
            "files": [{"name": n, "bytes": size, "sha256": sha, "media_type": MEDIA[n]}
                      for n, (size, sha) in sorted(written.items())],
        }
        catalog = to_catalog(manifest, base)
        for name, fmt in (("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld"), ("catalog.rdf", "xml")):
            data = {"turtle": lambda: turtle(catalog),
                    "json-ld": lambda: jsonld(catalog), "xml": lambda: rdfxml(catalog)}[fmt]()
            (tmp / name).write_bytes(data)
            manifest["files"].append({"name": name, "bytes": len(data), "sha256": _sha(data), "media_type": MEDIA[name]})
        lap("targets.csv, manifest, catalog")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        version_name = _swap(tmp, out)
    except OSError as e:                 # a full or read-only disk, an immutable file
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(str(out), e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        gc.unfreeze()
    return Published(out=str(out), triples=triples, targets=summary["count"], articles=len(articles),
                     files=tuple(sorted(written)) + ("manifest.json", "store/"), seconds=time.monotonic() - started,
                     version=version_name)

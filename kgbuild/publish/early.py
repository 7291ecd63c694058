"""The query store of a build that makes it afresh, loaded while the links are made.

A build with no published version to update (a cold or --full build) bulk-loads its RocksDB store
from scratch (store.build_store), which is the longest single step after the articles (at 5,000
articles about 25 s of CPU, pyoxigraph's, without the GIL). The article graphs' own triples are
known once the articles are checked (publish.serialise.split); only the links graph and the shared
graph come later. So the store is started then, in a thread: the article graphs as named graphs
and again into the default graph (the materialised union), with the ontology, while the main
thread links the targets (stage 6) and writes the dumps; `finish` adds the links and shared graphs
(to their named graphs and the default graph) and optimises. The store holds the same quads as
store.build_store loads from the dumps (the same lines, loaded leniently for the reason given
there: every line still goes through the strict parser when publish.pieces serialises its graph,
and a line that fails there fails the build); tests/test_early.py compares them.

The store is made in a temporary sibling of OUT (`.OUT.store.tmp-<pid>`, which version.recover
removes after a killed build) and moved into the new version's folder when finished.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from ..graph.iris import ontology_graph_iri
from ..model import ArticleBuild
from . import canned, shape, store
from .serialise import Pending, split, text_of

log = logging.getLogger("kgbuild")
CHUNK = 32 << 20        # bytes of N-Quads per bulk load: the store reads the graphs a chunk at a time


class EarlyStore:
    """The store of OUT's next version, loading: OWN and SHARED are split(ARTICLES, BASE), which
    publish takes from here instead of splitting again."""

    def __init__(self, articles: list[ArticleBuild], out: Path, base: str):
        self.base = base
        self.folder = Path(out).parent / f".{Path(out).name}.store.tmp-{os.getpid()}"
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._store: ox.Store | None = None
        self._stop = False
        # the ontology's files, made in a process of their own (rdflib and pyLODE: Python, 1–2 s
        # of CPU) on the core the checks and the links leave free; forked before any thread starts
        fork = "fork" in multiprocessing.get_all_start_methods()
        self._process = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork" if fork else "spawn"))
        self._classified = self._process.submit(_classify)     # which canned queries need the store
        self._software = self._process.submit(_software)
        self._process.shutdown(wait=False)                      # the process ends once both are made
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early-store")
        self._start(articles)

    def _start(self, articles: list[ArticleBuild]) -> None:
        self.graphs = [a.graph for a in articles]
        self.own, self.shared = split(sorted(articles, key=lambda a: a.graph), base=self.base)
        shutil.rmtree(self.folder, ignore_errors=True)
        self._stop = False
        self._loading = self._pool.submit(self._articles)

    def restart(self, articles: list[ArticleBuild]) -> None:
        """Load ARTICLES instead (some were left out since: check_shared); the loading stops at its
        next chunk."""
        self._stop = True
        self._wait()
        self._start(articles)

    def _articles(self) -> None:
        st = self._store = ox.Store(str(self.folder))
        if not _load(st, {n: self.own[n] for n in sorted(self.own)}, lambda: self._stop):
            return
        onto = sorted(paths.ontology_dir().glob("*.ttl"))
        graph = ox.NamedNode(str(ontology_graph_iri(self.base)))
        for f in onto:
            st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=graph)
        for f in onto:
            st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)

    def finish(self, rest: dict[str, str], directory: Path) -> None:
        """Add REST (graph IRI → N-Triples: the links and shared graphs), optimise, close the store
        and move it to DIRECTORY."""
        self._loading.result()
        st = self._store
        _load(st, {n: rest[n] for n in sorted(rest)})
        st.optimize()
        st.flush()
        del st
        self._store = None
        os.replace(self.folder, directory)

    def software(self) -> dict[str, bytes]:
        """publish.dist.software(), made in the process started with the store (or here, when it failed)."""
        try:
            return self._software.result()
        except Exception as e:  # noqa: BLE001 — a broken process pool, an error it met: made here, as before
            log.debug("the software files' process failed (%s); made in this one", e)
            return _software()

    def memory(self, rest: dict[str, str], extra_turtle: list[Path]) -> ox.Store:
        """The default graph in memory for the canned queries (what store.memory_store loads from the
        union dump): the article graphs, REST (as in finish) and EXTRA_TURTLE, loaded from the lines."""
        mem = ox.Store()
        graphs = {n: self.own[n] for n in sorted(self.own)} | {n: rest[n] for n in sorted(rest)}
        for chunk in _chunks(graphs):
            store.memory_load(mem, b"".join(chunk), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        for f in extra_turtle:
            store.memory_load(mem, path=f, format=ox.RdfFormat.TURTLE)
        return mem

    def classify(self) -> None:
        """store.needs_the_store's answers for the canned queries, made in that process, known here,
        and what the manifest lists for each (the triple patterns it reads, publish.canned, and
        its plan, publish.shape), taken as a rebuild takes them from the previous manifest (about
        0.1 s of rdflib's parsing a query, in that process once for all three)."""
        try:
            needs, listed = self._classified.result()
            store.known(needs)
            canned.remember(paths.root(), listed)
            shape.remember(paths.root(), listed)
        except Exception as e:  # noqa: BLE001 — asked here then
            log.debug("the canned queries' process failed (%s)", e)

    def _wait(self) -> None:
        try:
            self._loading.result()
        except Exception:  # noqa: BLE001 — the build already failed or finish raises it
            pass
        self._store = None

    def close(self) -> None:
        """Stop and wait for the loading thread; remove the store when it was not moved (a failed build)."""
        self._stop = True
        self._wait()
        self._pool.shutdown(wait=True)
        self._process.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _classify() -> tuple[dict[str, bool], dict]:
    """needs_the_store of each canned query's text, and the manifest's `canned` entries' patterns
    and plans (as canned.remember and shape.remember read them: those files under paths.root())."""
    texts = {q.stem: q.read_text(encoding="utf-8") for q in sorted(paths.queries_dir().glob("*.rq"))}
    listed = {n: {"patterns": canned.listed(t), "plan": shape.listed(t)} for n, t in texts.items()}
    return {t: store.needs_the_store(t) for t in texts.values()}, {"canned": listed}


def _software() -> dict[str, bytes]:
    from .dist import software
    return software()


def _chunks(graphs: dict[str, "str | Pending"]):
    """The graphs' N-Triples (bytes, the blank ones left out), about CHUNK bytes at a time."""
    chunk: list[bytes] = []
    size = 0
    for text in graphs.values():
        data = text_of(text).encode("utf-8")
        if not data.strip():
            continue
        chunk.append(data)
        size += len(data)
        if size >= CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _load(st: ox.Store, graphs: dict[str, "str | Pending"], stop=lambda: False) -> bool:
    """Each graph's N-Triples into its named graph and into the default graph, CHUNK bytes at a
    time; whether all were loaded (not when STOP() turned true between two chunks)."""
    quads: list[bytes] = []
    triples: list[bytes] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if quads:
            st.bulk_load(b"".join(quads), ox.RdfFormat.N_QUADS, lenient=True)
            st.bulk_load(b"".join(triples), ox.RdfFormat.N_TRIPLES, lenient=True)
        quads.clear()
        triples.clear()
        size = 0

    for name, text in graphs.items():
        data = text_of(text).encode("utf-8")
        if not data.strip():
            continue
        quads.append(data.replace(b" .\n", f" <{name}> .\n".encode("utf-8")))   # as publish.pieces.Writer.lines
        triples.append(data)
        size += len(quads[-1])
        if size >= CHUNK:
            if stop():
                return False
            flush()
    flush()
    return True

"""The in-memory copy of the default graph a rebuild runs its canned queries on, made early.

A full build loads it from the new union dump once that is written (store.memory_store). A
rebuild knows from the start which version it updates, so once the articles are read it can load
the PREVIOUS version's union dump and the ontology (the previous default graph: the same software
made it) in a thread while they are linked and the dumps written (pyoxigraph lets go of the GIL
while it loads), when some canned query may have to run again (worth_loading), then bring
it up to date with the triples the store update changed: each changed triple is in the copy
exactly when the updated store's default graph holds it. The copy then holds the same triples as
one loaded from the new dump (tests/test_incremental.py compares them), and the canned queries
start as soon as the store is updated, while the dumps are written. The order in which an
in-memory store was filled may order rows that tie under ORDER BY; every canned query orders its
rows completely, so its answer does not depend on it (tests/test_canned.py loads in two orders).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from . import canned, delta, pieces, store

log = logging.getLogger("kgbuild")


def _load(folder: Path) -> ox.Store | None:
    try:
        return store.memory_store(folder / "dataset.nt", sorted(paths.ontology_dir().glob("*.ttl")))
    except (OSError, ValueError, SyntaxError, RuntimeError) as e:     # publish loads the new dump instead
        log.warning("%s: cannot load the previous union dump (%s)", folder, e)
        return None


def preload(folder: Path) -> tuple[Path, Future]:
    """The previous version's default graph (version folder FOLDER), loading in a thread: FOLDER
    and the future of the store (None when it could not be read)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preload")
    future = pool.submit(_load, Path(folder))
    pool.shutdown(wait=False)
    return Path(folder), future


def _changed_lines(folder: Path, manifest: dict, articles, base: str) -> set[str] | None:
    """The N-Triples lines the article graphs and the shared graph of ARTICLES (ArticleBuild, before
    publish.serialise.split cuts them) add to or remove from those of the previous version (folder
    FOLDER, its MANIFEST); None when it cannot tell: an article added or removed, or one whose own
    graph changed not read. An article's own graph is read back only when its SHA-256 changed."""
    from .serialise import shared_prefixes
    before = {a["graph"]: a["graph_sha256"] for a in manifest.get("articles", [])}
    if set(before) != {a.graph for a in articles} or len(before) != len(articles):
        return None
    starts = shared_prefixes(base)
    shared: set[str] = set()
    changed = []
    for a in articles:                                   # the shared lines as split gathers them
        lines = a.digest["lines"] if a.ntriples is None else a.ntriples.splitlines()
        shared.update(line for line in lines if line.startswith(starts))
        if a.digest["own"][0] != before[a.graph]:
            if a.ntriples is None:
                return None
            changed.append(a)
    shared_iri = manifest["graphs"]["shared"]["graph"]
    old = pieces.graphs_lines(folder, [a.graph for a in changed] + [shared_iri])
    if old is None:
        return None
    out = shared ^ {line for line in old[shared_iri] if line}
    for a in changed:
        mine = {line for line in a.ntriples.splitlines() if line and not line.startswith(starts)}
        out |= mine ^ {line for line in old[a.graph] if line}
    return out


def worth_loading(folder: Path, manifest: dict, articles, base: str, fixes=()) -> bool:
    """Whether a rebuild's canned queries may have to run, so that preloading the previous default
    graph pays: judged from the article graphs before they are linked. No when every triple that
    changed in an article graph or in the shared graph is one no canned query can read (publish.
    canned.affected) nor the linking stage (its statements, hence the links graph, are as they
    were), and every query is the previous version's with its answer there; yes when it cannot
    tell (an article added or removed, corrections applied). A wrong yes loads for nothing; a wrong
    no only makes publish load the new union dump instead (store.memory_store): never another answer."""
    queries = sorted(paths.queries_dir().glob("*.rq"))
    if delta.on_the_store(folder, manifest, delta.unplanned(folder, manifest, queries)):
        return False                    # publish.delta updates the others; the few left run on the store
    if fixes:
        return True
    try:
        lines = _changed_lines(folder, manifest, articles, base)
    except (OSError, ValueError, KeyError, TypeError):
        return True
    if lines is None:
        return True
    changed = {tuple(line.removesuffix(" .").split(" ", 2)) for line in lines}
    if canned.affected(store.read_query("link-statements"), changed):
        return True
    return len(canned.keepable(folder, manifest, queries, changed)) < len(queries)


def catch_up(copy: ox.Store, changed: set[tuple[str, str, str]], updated: Path) -> ox.Store:
    """COPY (the previous default graph) brought up to date: each triple of CHANGED (N-Triples
    terms, as store.update_store returns them) added when the updated store (folder UPDATED) has
    it in its default graph, removed when it has not."""
    if not changed:
        return copy
    st = ox.Store.read_only(str(updated))
    doc = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(changed)).encode("utf-8")
    add, remove = [], []
    for t in ox.parse(doc, format=ox.RdfFormat.N_TRIPLES):
        q = ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        (add if q in st else remove).append(q)
    del st
    for q in remove:
        copy.remove(q)
    copy.extend(add)
    return copy

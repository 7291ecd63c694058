"""The in-memory copy of the default graph a rebuild runs its canned queries on, made early.

A full build loads it from the new union dump once that is written (store.memory_store). A
rebuild knows from the start which version it updates, so it can load the PREVIOUS version's
union dump and the ontology (the previous default graph: the same software made it) in a thread
while the articles are read and linked (pyoxigraph lets go of the GIL while it loads), then bring
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
from . import store

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

"""Running the per-article stages over a corpus: in parallel across cores, and incrementally.

An article's result depends only on its bytes, its file name, the base URI and the software
(code, lexicons, ontology, shapes). Their hash keys a cache entry (one JSON file per article),
so an unchanged article is not extracted or validated again. Entries this build did not use
are removed at the end, so the cache holds exactly the corpus last built into its folder.
A cache that cannot be written (read-only, full) is a warning, not a failure: the build goes on
without it and leaves no partial entries.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache import Cache
from .uptodate import fingerprint, inputs, key, keys  # noqa: F401 — the keys run() is given, one rule for both
from .model import ArticleBuild, ArticleFailure

Outcome = ArticleBuild | ArticleFailure
Work = Callable[[Path, str], Outcome]
Init = Callable[[int], None]     # told how many articles are to be extracted (pipeline._warm)
log = logging.getLogger("kgbuild")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def in_process(count: int, jobs: int | None) -> bool:
    """Whether run() extracts COUNT articles in this process rather than in forked workers: one
    job, or a handful of articles (a pool costs more than it saves)."""
    return (jobs or default_jobs()) <= 1 or count < 4


def run(files: list[Path], base: str, work: Work, init: Init, jobs: int | None = None,
        cache_dir: Path | None = None, progress: Callable[[Outcome], None] | None = None,
        read: bool = True, known: list[str | None] | None = None) -> list[Outcome]:
    """work(file, base) for every file, in file order; results from the cache where possible
    (read=False: every article again, the cache written), without their graphs (cache.whole).
    KNOWN: the files' keys (keys()), when already made. INIT(n) loads what the work needs, before
    the workers fork, told the number n of articles to extract (not read from the cache)."""
    cache = Cache(cache_dir)
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Path, str | None]] = []
    for i, (f, key) in enumerate(zip(files, known if known is not None else keys(files, base))):
        # key None: unreadable, let the load stage report it properly
        hit = cache.get(key, partial(_again, work, init, f, base, cache, key)) if key and read else None
        if hit is not None:
            outcomes[i] = hit
            if progress:
                progress(hit)
        else:
            todo.append((i, f, key))
    for (i, _, key), result in zip(todo, _map(work, [f for _, f, _ in todo], base, init, jobs or default_jobs())):
        outcomes[i] = result
        if key and isinstance(result, ArticleBuild):
            cache.put(key, result)
        if progress:
            progress(result)
    cache.prune()
    cache.save()                        # the fronts of this build's entries, for the next to read at once
    return [outcomes[i] for i in range(len(files))]


def _again(work: Work, init: Init, f: Path, base: str, cache: Cache, key: str) -> Outcome:
    """An article whose cache entry was found damaged when its graph was read (cache.whole): made
    again, and its entry written again."""
    init(1)
    result = work(f, base)
    if isinstance(result, ArticleBuild):
        cache.put(key, result)
    return result


def _map(work: Work, files: list[Path], base: str, init: Init, jobs: int) -> Iterator[Outcome]:
    if not files:
        return
    if in_process(len(files), jobs):
        init(len(files))
        yield from (work(f, base) for f in files)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    if fork:
        init(len(files))                # once, here: the workers inherit it (jieba's dictionary) instead of each loading it
    chunk = max(1, min(16, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_child, initargs=(init, len(files))) as pool:
        yield from pool.map(work, files, _repeat(base, len(files)), chunksize=chunk)


def _child(init: Init, count: int) -> None:
    """A pool worker ends with its parent (Linux: PR_SET_PDEATHSIG), so a killed build leaves no
    orphans holding memory; then the stage's own initialiser."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)     # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                                                                    # not Linux: nothing to do
    init(count)


def _repeat(x, n: int) -> Iterable:
    return (x for _ in range(n))

"""Running the per-article stages over a corpus: in parallel across cores, and incrementally.

An article's result depends only on its bytes, its file name, the base URI and the software
(code, lexicons, ontology, shapes). Their hash keys a cache entry (one JSON file per article),
so an unchanged article is not extracted or validated again. Entries this build did not use
are removed at the end, so the cache holds exactly the corpus last built into its folder.
A cache that cannot be written (read-only, full) is a warning, not a failure: the build goes on
without it and leaves no partial entries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__, paths
from .link.outcomes import COLUMNS
from .model import ArticleBuild, ArticleFailure
from .publish.dist import alive
from .read.load import record_path

Outcome = ArticleBuild | ArticleFailure
Work = Callable[[Path, str], Outcome]
log = logging.getLogger("kgbuild")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of everything besides the article that shapes a result: code and resource files."""
    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).parent, paths.lexicon_dir(), paths.ontology_dir(), paths.shapes_dir()]
    for root in roots:
        for f in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _digest(key: str, text: bytes) -> str:
    """The checksum of an entry: over its cache key (the article's identity and content, the base
    and the software) and its result's JSON as written (bytes), so an entry copied under another
    article's key is a miss, and reading an entry checks its bytes without writing them again."""
    return hashlib.sha256(key.encode("ascii") + b"\0" + text).hexdigest()


_TYPES = {"key": str, "file": str, "sha256": str, "graph": str, "ntriples": str, "report": str, "violations": int,
          "warnings": int, "report_text": str, "targets": int, "observations": int, "places": list, "statements": list}


def _well_typed(d: dict) -> bool:
    if set(d) != set(_TYPES) or any(not isinstance(d[k], t) or isinstance(d[k], bool) for k, t in _TYPES.items()):
        return False
    return (all(isinstance(p, list) and len(p) == 3 and all(isinstance(x, str) for x in p) for p in d["places"])
            and all(isinstance(r, list) and len(r) == len(COLUMNS) and all(x is None or isinstance(x, str) for x in r)
                    for r in d["statements"]))


_BUILD = b'", "build": '


def _head(key: str) -> bytes:
    """How an entry opens: {"key": K, "sha256": H, "build": JSON} is written in this order (put)."""
    return b'{"key": "' + key.encode("ascii") + b'", "sha256": "'


class Cache:
    def __init__(self, directory: Path | None):
        self.dir = Path(directory) if directory else None
        self.used: set[str] = set()

    def key(self, path: Path, base: str) -> str:
        data = path.read_bytes()
        record = record_path(path)           # a fetched file's retrieval record is part of its input
        data += b"\0" + (record.read_bytes() if record.is_file() else b"")
        return hashlib.sha256(f"{fingerprint()}\0{base}\0{path.name}\0".encode() + data).hexdigest()

    def get(self, key: str) -> ArticleBuild | None:
        """The cached result, if the entry is intact and this key's: it must name KEY, its key and
        content must hash to the checksum it carries, and every field must have its type. Anything else is a miss (the entry is
        removed and the article extracted again), never a crash or a published edit."""
        if self.dir is None:
            return None
        f = self.dir / f"{key}.json"
        try:
            raw = f.read_bytes()        # exactly as put() writes it: {"key": K, "sha256": H, "build": JSON}
            head = _head(key)
            start = len(head) + 64 + len(_BUILD)
            if not raw.startswith(head) or raw[start - len(_BUILD):start] != _BUILD or not raw.endswith(b"}") \
                    or raw[len(head):len(head) + 64].decode("ascii") != _digest(key, raw[start:-1]):
                raise ValueError("damaged cache entry")
            d = json.loads(raw[start:-1])
            if not isinstance(d, dict) or not _well_typed(d):
                raise ValueError("damaged cache entry")
            d["places"] = tuple(tuple(p) for p in d["places"])
            d["statements"] = tuple(tuple(r) for r in d["statements"])
            hit = replace(ArticleBuild(**d), cached=True)
        except FileNotFoundError:
            return None                 # not built before: extract
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            try:
                f.unlink(missing_ok=True)   # unreadable, edited or of the wrong shape: extract again
            except OSError as e:
                self._off(e)
            return None
        self.used.add(key)
        return hit

    def put(self, key: str, result: ArticleBuild) -> None:
        if self.dir is None:
            return
        # the fields as they are (dataclasses.asdict deep-copies every statement row, a third of the
        # parent's time per article); tuples are written as JSON arrays all the same
        d = {f.name: getattr(result, f.name) for f in fields(result) if f.name != "cached"}
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            text = json.dumps(d, ensure_ascii=False, sort_keys=True).encode("utf-8")   # once: checksummed and written
            tmp.write_bytes(_head(key) + _digest(key, text).encode("ascii") + _BUILD + text + b"}")
            tmp.replace(self.dir / f"{key}.json")
        except OSError as e:
            self._off(e)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self.used.add(key)

    def _off(self, e: OSError) -> None:
        log.warning("%s: cannot write the cache (%s); building without it", e.filename or self.dir, e.strerror or e)
        self.dir = None

    def prune(self) -> None:
        if self.dir is None or not self.dir.is_dir():
            return
        try:
            for f in self.dir.glob("*.json"):
                if f.stem not in self.used:
                    f.unlink(missing_ok=True)
            for f in self.dir.glob(".*.tmp"):           # a killed build's partial entries
                pid = f.name.split(".")[-2]
                if pid.isdigit() and not alive(int(pid)):
                    f.unlink(missing_ok=True)
        except OSError as e:
            self._off(e)


def inputs(files: list[Path], base: str, corrections: list[Path] | tuple[Path, ...] = ()) -> str:
    """One hash of everything a build's output depends on: the software, the base and each
    article's cache key (its bytes and name), in order, and the corrections files (their names and
    bytes: a changed corrections file rebuilds). "" when a file cannot be read (the build must run
    to report it)."""
    h = hashlib.sha256(f"{fingerprint()}\0{base}\0".encode())
    cache = Cache(None)
    for f in files:
        try:
            h.update(cache.key(f, base).encode() + b"\n")
        except OSError:
            return ""
    for f in corrections:
        try:
            h.update(b"corrections\0" + Path(f).name.encode() + b"\0" + hashlib.sha256(Path(f).read_bytes()).digest())
        except OSError:
            return ""
    return h.hexdigest()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run(files: list[Path], base: str, work: Work, init: Callable[[], None], jobs: int | None = None,
        cache_dir: Path | None = None, progress: Callable[[Outcome], None] | None = None,
        read: bool = True) -> list[Outcome]:
    """work(file, base) for every file, in file order; results from the cache where possible
    (read=False: every article again, the cache written)."""
    cache = Cache(cache_dir)
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Path, str | None]] = []
    for i, f in enumerate(files):
        try:
            key = cache.key(f, base)
        except OSError:
            key = None                  # unreadable: let the load stage report it properly
        hit = cache.get(key) if key and read else None
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
    return [outcomes[i] for i in range(len(files))]


def _map(work: Work, files: list[Path], base: str, init: Callable[[], None], jobs: int) -> Iterator[Outcome]:
    if not files:
        return
    if jobs <= 1 or len(files) < 4:     # a pool costs more than it saves on a handful of articles
        init()
        yield from (work(f, base) for f in files)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    if fork:
        init()                          # once, here: the workers inherit it (jieba's dictionary) instead of each loading it
    chunk = max(1, min(16, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_child, initargs=(init,)) as pool:
        yield from pool.map(work, files, _repeat(base, len(files)), chunksize=chunk)


def _child(init: Callable[[], None]) -> None:
    """A pool worker ends with its parent (Linux: PR_SET_PDEATHSIG), so a killed build leaves no
    orphans holding memory; then the stage's own initialiser."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)     # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                                                                    # not Linux: nothing to do
    init()


def _repeat(x, n: int) -> Iterable:
    return (x for _ in range(n))

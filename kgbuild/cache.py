"""The per-article cache: one file per article, keyed by the hash of everything its result depends
on (kgbuild.corpus.Cache.key), in two parts.

    KGCACHE2 KEY FRONT-SHA256 GRAPH-SHA256\\n
    FRONT (JSON: the result's fields but its graph, and the graph's summary, graph.digest)\\n
    GRAPH (its N-Triples, as they are)

A hit reads the first two lines only: what every later stage reads of every article (its report,
link rows, places, counts, summary); an entry unchanged since the last build, from that build's
index of the fronts (kgbuild.fronts: one file read in one go instead of one per article). The graph is read by whole(), for the articles whose graph is
needed (one in a union check, a link to validate, a dump to write anew). Each part is checked
against its checksum, taken over the key and its bytes, so an entry copied under another key, of
an older format or edited is a miss (the entry is removed and the article extracted again), never
a crash or a published edit; a graph found damaged by whole() is made again from the article.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable

from . import fronts
from .graph import digest
from .link.outcomes import COLUMNS
from .model import ArticleBuild, ArticleFailure
from .publish.dist import alive

log = logging.getLogger("kgbuild")
MAGIC = b"KGCACHE2"
IN_STEP = 500                   # Cache.save: the index is written again when more than 1 record in IN_STEP differs

_TYPES = {"key": str, "file": str, "sha256": str, "graph": str, "report": str, "violations": int,
          "warnings": int, "report_text": str, "targets": int, "observations": int, "places": list, "statements": list,
          "digest": dict}


def _sum(key: str, text: bytes) -> str:
    return hashlib.sha256(key.encode("ascii") + b"\0" + text).hexdigest()


def _well_typed(d: dict) -> bool:
    if set(d) != set(_TYPES) or any(not isinstance(d[k], t) or isinstance(d[k], bool) for k, t in _TYPES.items()):
        return False
    return (all(isinstance(p, list) and len(p) == 3 and all(isinstance(x, str) for x in p) for p in d["places"])
            and all(isinstance(r, list) and len(r) == len(COLUMNS) and all(x is None or isinstance(x, str) for x in r)
                    for r in d["statements"]) and digest.well_formed(d["digest"]))


@dataclass(frozen=True)
class Deferred:
    """Where a cached article's graph is: its entry (a path as text: a Path of each of 5,000 entries
    took a quarter of the hits' time), and how to make it again if the entry is damaged."""
    entry: str
    key: str
    graph_sha: str
    remake: Callable[[], ArticleBuild | ArticleFailure]


def whole(a: ArticleBuild) -> ArticleBuild:
    """A with its graph (read from its cache entry when A came from the cache without it)."""
    if a.ntriples is not None or a.deferred is None:
        return a
    d: Deferred = a.deferred
    try:
        with open(d.entry, "rb") as f:
            f.readline()
            f.readline()
            body = f.read()
        if _sum(d.key, body) != d.graph_sha:
            raise ValueError("damaged cache entry")
        return replace(a, ntriples=body.decode("utf-8"), deferred=None)
    except (OSError, ValueError, UnicodeDecodeError):
        # two threads of one build may read the same entry (the early store's, publish's): the
        # article is extracted again once, by the first, under a lock (the extractor is not made
        # to run in two threads at once), and the second takes what it made
        with _REMAKING:
            again = _remade.get(d.entry)
            if again is None:
                log.warning("%s: its cache entry was damaged while the build read it; extracting it again", a.file)
                try:
                    os.unlink(d.entry)
                except OSError:
                    pass                # gone already, or not ours to remove: extracted again all the same
                again = d.remake()
                if not isinstance(again, ArticleBuild):
                    raise RuntimeError(f"{a.file}: cannot be extracted again ({getattr(again, 'error', again)})")
                _remade[d.entry] = again
        return replace(again, cached=True)


_REMAKING = threading.Lock()
_remade: dict[str, ArticleBuild] = {}      # entry → the article extracted again in its place (whole)


class Cache:
    def __init__(self, directory: Path | None):
        self.dir = Path(directory) if directory else None
        self._root = os.fspath(self.dir) if self.dir else ""
        self.used: set[str] = set()
        self.fronts: dict[str, tuple] = {}      # key → its index record (fronts.py), for each entry used
        self._index: dict[str, tuple] | None = None

    def entry(self, key: str) -> Path:
        """KEY's entry file (the cache has a folder)."""
        return self.dir / f"{key}.json"

    def get(self, key: str, remake: Callable[[], ArticleBuild | ArticleFailure]) -> ArticleBuild | None:
        """The cached result without its graph (whole() reads it), if the entry's first two lines
        are intact and this key's. Anything else is a miss (the entry removed)."""
        if self.dir is None:
            return None
        f = f"{self._root}/{key}.json"      # self.entry(key) as text: os.stat of a Path makes its text first
        if self._index is None:
            self._index = fronts.read(self.dir)
        known = self._index.get(key)
        if known is not None:
            try:
                if fronts.signature(os.stat(f)) == known[0]:
                    self.used.add(key)
                    self.fronts[key] = known
                    return ArticleBuild(ntriples=None, cached=True, deferred=Deferred(f, key, known[1], remake), **known[2])
            except (OSError, TypeError):
                pass                        # gone, or a record of another shape: read the entry
        try:
            with open(f, "rb") as fh:
                head = fh.readline()
                front = fh.readline()
                signed = fronts.signature(os.fstat(fh.fileno()))
            parts = head.split(b" ")
            if len(parts) != 4 or parts[0] != MAGIC or parts[1].decode("ascii") != key or not front.endswith(b"\n") \
                    or parts[2].decode("ascii") != _sum(key, front[:-1]) or len(parts[3]) != 65:
                raise ValueError("damaged cache entry")
            d = json.loads(front[:-1])
            if not isinstance(d, dict) or not _well_typed(d):
                raise ValueError("damaged cache entry")
            d["places"] = tuple(tuple(p) for p in d["places"])
            d["statements"] = tuple(tuple(r) for r in d["statements"])
            graph_sha = parts[3][:-1].decode("ascii")
            hit = ArticleBuild(ntriples=None, cached=True, deferred=Deferred(f, key, graph_sha, remake), **d)
        except FileNotFoundError:
            return None                 # not built before: extract
        except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
            try:
                os.unlink(f)                # unreadable, edited, of an older format: extract again
            except FileNotFoundError:
                pass
            except OSError as e:
                self._off(e)
            return None
        self.used.add(key)
        self.fronts[key] = (signed, graph_sha, d)
        return hit

    def put(self, key: str, result: ArticleBuild) -> None:
        if self.dir is None:
            return
        # the fields as they are (dataclasses.asdict deep-copies every statement row, a third of the
        # parent's time per article); tuples are written as JSON arrays all the same
        d = {f.name: getattr(result, f.name) for f in fields(result) if f.name not in ("cached", "ntriples", "deferred")}
        d["digest"] = digest.of(result)
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            front = json.dumps(d, ensure_ascii=False, sort_keys=True).encode("utf-8")   # once: checksummed and written
            body = result.ntriples.encode("utf-8")
            graph_sha = _sum(key, body)
            head = b" ".join((MAGIC, key.encode("ascii"), _sum(key, front).encode("ascii"), graph_sha.encode("ascii")))
            tmp.write_bytes(head + b"\n" + front + b"\n" + body)
            signed = fronts.signature(tmp.stat())
            tmp.replace(self.entry(key))
        except OSError as e:
            self._off(e)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self.used.add(key)
        self.fronts[key] = (signed, graph_sha, d)

    def save(self) -> None:
        """The fronts of the entries this build used, as the cache's index (fronts.py), for the next
        build to read in one go; the fronts new to it with their strings interned. Not written again
        when it differs in at most one record in 500 (IN_STEP) from what it holds: an entry it
        lacks is read from its own file (one small read), one it holds that was not used is never
        asked for, and rewriting it (12.5 MB at 5,000 articles) took longer than those reads."""
        if self.dir is None or not self.used:
            return
        old = self._index or {}
        records = {k: r if old.get(k) is r else (r[0], r[1], fronts.interned(r[2]))
                   for k, r in self.fronts.items() if k in self.used}
        differ = sum(old.get(k) is not r for k, r in records.items()) + len(old.keys() - records.keys())
        if differ <= len(records) // IN_STEP:
            return                          # every front came from the index as it is, or nearly
        try:
            fronts.write(self.dir, records)
        except OSError as e:
            self._off(e)

    def _off(self, e: OSError) -> None:
        log.warning("%s: cannot write the cache (%s); building without it", e.filename or self.dir, e.strerror or e)
        self.dir = None

    def prune(self) -> None:
        """The entries this build did not use removed, and a killed build's partial entries. The
        folder's names listed once (os.scandir), without a Path of each of its 5,000 entries."""
        if self.dir is None or not self.dir.is_dir():
            return
        try:
            with os.scandir(self._root) as found:
                names = [e.name for e in found]
            for name in names:
                if name.endswith(".json") and name[:-5] not in self.used:
                    _unlink(os.path.join(self._root, name))
                elif name.startswith(".") and name.endswith(".tmp"):      # a killed build's partial entries
                    pid = name.split(".")[-2]
                    if pid.isdigit() and not alive(int(pid)):
                        _unlink(os.path.join(self._root, name))
        except OSError as e:
            self._off(e)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


"""The one dataset version the server serves, switched atomically when dist/ changes.

kgbuild publishes dist as a link to a versioned folder (.dist.v<time>) and swaps the link in one
rename. Each request is bound, when it starts, to the version current then: its manifest, files,
store and query workers, so a response never mixes two builds. At most once a second
(KG_RELOAD_INTERVAL) the link target (and the manifest's identity) is compared with the one being
served; a new version is opened with workers of its own, and requests that start once it is in
place see only it. The old version's workers end when its last request has finished, so its
deleted files are not held open. A new version that cannot be opened is logged and the current
one kept.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from flask import request
from werkzeug.wsgi import ClosingIterator

from .dataset import Dataset, DatasetError

log = logging.getLogger("kgserve")


@dataclass(eq=False)
class Served:
    """One dataset version and the query pools that read its store."""
    dataset: Dataset
    pool: Any
    pages: Any
    active: int = 0
    retired: bool = False
    closers: list[Callable[[], None]] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)    # what pages derive once per version

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """make(), computed once for this version (two threads may both compute it; same value)."""
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]

    def start(self) -> None:
        """Start the query workers of pools opened with start=False."""
        for pool in (self.pool, self.pages):
            getattr(pool, "start", lambda: None)()

    def close(self) -> None:
        for close in self.closers:
            close()


def _identity(data: Path) -> tuple | None:
    """Where DATA points and which manifest it holds; None while it is missing."""
    real = os.path.realpath(data)
    try:
        st = os.stat(os.path.join(real, "manifest.json"))
    except OSError:
        return None
    return real, st.st_ino, st.st_mtime_ns, st.st_size


class Live:
    """WSGI middleware that binds every request to the current Served (environ["kg.served"])."""

    def __init__(self, app, data: Path, opener: Callable[[Path], Served], interval: float = 1.0):
        self.app, self.data, self.opener, self.interval = app, Path(data), opener, interval
        self.lock = threading.Lock()
        self.switching = threading.Lock()
        self.key = _identity(self.data)
        if self.key is None:
            raise DatasetError(f"{self.data}: no manifest.json — build the dataset first (kgbuild build --out {self.data})")
        self.current = opener(Path(self.key[0]))
        self.next_check = time.monotonic() + interval

    def _check(self) -> None:
        key = _identity(self.data)
        if key is None or key == self.key or not self.switching.acquire(blocking=False):
            return                     # missing for a moment, unchanged, or another thread is opening it
        try:
            try:
                new = self.opener(Path(key[0]))
            except DatasetError as e:
                log.warning("a new dataset appeared in %s but cannot be served (%s); still serving %s",
                            self.data, e, self.current.dataset.version)
                self.key = key
                return
            with self.lock:
                old, self.current, self.key = self.current, new, key
                old.retired = True
                idle = old.active == 0
            log.info("now serving dataset version %s from %s (was %s)", new.dataset.version, key[0], old.dataset.version)
            if idle:
                old.close()
        finally:
            self.switching.release()

    def acquire(self) -> Served:
        now = time.monotonic()
        if now >= self.next_check:
            self.next_check = now + self.interval
            self._check()
        with self.lock:
            s = self.current
            s.active += 1
        return s

    def release(self, s: Served) -> None:
        with self.lock:
            s.active -= 1
            done = s.retired and s.active == 0
        if done:
            s.close()

    def close(self) -> None:
        self.current.close()

    def __call__(self, environ, start_response):
        s = self.acquire()
        environ["kg.served"] = s
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.release(s)
            raise
        return ClosingIterator(result, lambda: self.release(s))


def served() -> Served:
    """The version this request is bound to."""
    return request.environ["kg.served"]


def dataset() -> Dataset:
    return served().dataset


def pool():
    """The query workers for user queries."""
    return served().pool


def pages_pool():
    """The query workers for the site's own pages (they never wait behind user queries)."""
    return served().pages

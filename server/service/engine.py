"""A pool of query worker processes with a hard timeout and a response cache.

Each query runs in a separate process (server/service/worker.py). A query that is still running when its
timeout expires is stopped by killing its process; a fresh worker takes its place. The web
threads never run SPARQL themselves, so one slow query cannot stall the others: it holds one
worker while the rest keep answering.

A worker is a new interpreter (fork+exec, never a fork of the multi-threaded server) that imports
only what it runs — pyoxigraph and server/service/worker.py, not Flask — and talks over a socket
pair; it needs no multiprocessing resource tracker.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger("kgserve.engine")
_ROOT = str(Path(__file__).resolve().parents[2])        # the folder that holds the server package
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from server.service.worker import boot; boot(sys.argv[2:])"


# a worker that dies of SIGABRT (an allocation past RLIMIT_AS aborts) or SIGKILL (the OOM killer)
# ran out of memory; any other signal (SIGSEGV: the parser's stack overflowed) is a crash
MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL}
_killers: OrderedDict[str, None] = OrderedDict()      # digests of queries that crashed a worker (this server)
_killers_lock = threading.Lock()


def _signal_name(n: int) -> str:
    try:
        return f"signal {n}, {signal.Signals(n).name}"
    except ValueError:
        return f"signal {n}"


def _digest(query: str) -> str:
    from .sparqltext import canonical
    return hashlib.sha256(canonical(query).encode("utf-8", "surrogatepass")).hexdigest()


def remember_killer(query: str, keep: int = 4096) -> None:
    with _killers_lock:
        _killers[_digest(query)] = None
        while len(_killers) > keep:
            _killers.popitem(last=False)


def killed_before(query: str) -> bool:
    if not _killers:
        return False
    with _killers_lock:
        return _digest(query) in _killers


class QueryFailed(Exception):
    """A query that could not be answered, with its HTTP status (and, for 503, when to retry)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answer:
    kind: str            # results | boolean | graph
    fmt: str             # json xml csv tsv | ttl nt jsonld rdfxml
    body: bytes
    truncated: bool
    rows: int


class _Worker:
    def __init__(self, store_path: str, isolate: bool, memory: int = 0):
        mine, theirs = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT, _ROOT, str(theirs.fileno()), store_path, "1" if isolate else "0",
                 str(memory)], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self.conn = Connection(mine.detach())
        self.answered = select.poll()       # one poll object for the worker's life (Connection.poll
        self.answered.register(self.conn.fileno(), select.POLLIN)      # builds a selector each call)
        self.ready = False
        self.isolated = False

    def has_answer(self, timeout: float) -> bool:
        """Whether the worker has answered (or hung up) within TIMEOUT seconds."""
        return bool(self.answered.poll(max(0, int(timeout * 1000))))

    def exitcode(self, wait: float) -> int | None:
        """The worker's exit status (negative: the signal that ended it); None while it runs."""
        try:
            return self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            return None

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryFailed(503, "the query engine did not start in time")
        msg = self.conn.recv()
        if msg[0] != "ready":
            raise QueryFailed(500, msg[1])
        self.ready, self.isolated = True, msg[1]

    def kill(self) -> None:
        self.proc.kill()
        self.exitcode(5)
        self.conn.close()


class LRUCache:
    """Values by key, least recently used out first, bounded in entries and in bytes; a single
    value may take at most 1/share of the bytes. Thread-safe. Serves both the answer cache of the
    query engines and the response cache of server/service/fastpath.py."""

    def __init__(self, entries: int, max_bytes: int, share: int):
        self.lock = threading.Lock()
        self.items: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self.entries, self.max_bytes, self.max_item, self.bytes = entries, max_bytes, max_bytes // share, 0

    def get(self, key):
        if not key:
            return None
        with self.lock:
            hit = self.items.get(key)
            if hit is None:
                return None
            self.items.move_to_end(key)
            return hit[0]

    def put(self, key, value, size: int) -> None:
        if not key or size > self.max_item:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self.items[key] = (value, size)
            self.bytes += size
            while len(self.items) > self.entries or self.bytes > self.max_bytes:
                _, (_, dropped) = self.items.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


def answer_cache(entries: int = 512, max_bytes: int = 128 * 1024 * 1024) -> LRUCache:
    """Query answers by cache key (the dataset version and the request); one may take a quarter."""
    return LRUCache(entries, max_bytes, 4)


class QueryPool:
    def __init__(self, store_path: str, workers: int, timeout: float, max_rows: int, isolate: bool = True,
                 cache_entries: int = 512, cache_bytes: int = 128 * 1024 * 1024, union: bool = True,
                 memory: int = 0, queue_wait: float = 2.0, start: bool = True):
        self.timeout, self.max_rows, self.isolate = timeout, max_rows, isolate
        self.memory = memory            # bytes a worker may grow by for one query (0: unbounded)
        self.queue_wait = min(queue_wait, timeout)   # how long a query waits for a free worker
        self.union = union              # the default graph is the union of all graphs (one per article)
        self.store_path = store_path
        self.size = max(1, workers)
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.answers = answer_cache(cache_entries, cache_bytes)
        self.started = False
        self.starting = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Start the workers (once; start=False leaves it to the first query or to the server,
        which starts them once it listens, so that their start does not delay its first answer)."""
        with self.starting:
            if not self.started:
                for _ in range(self.size):
                    self.idle.put(_Worker(self.store_path, self.isolate, self.memory))
                self.started = True

    def isolated(self, timeout: float = 30.0) -> bool:
        """Whether the workers run in an empty network namespace (waits for one to start)."""
        self.start()
        w = self.idle.get()
        try:
            w.wait_ready(timeout)
            return w.isolated
        finally:
            self.idle.put(w)

    def run(self, query: str, default_graphs: list[str], named_graphs: list[str], results_format: str,
            graph_format: str, cache_key: str | None = None, base_iri: str | None = None) -> Answer:
        hit = self.answers.get(cache_key)
        if hit is not None:
            return hit
        if killed_before(query):
            raise QueryFailed(400, "this query crashed a query worker before and is refused; write it differently "
                                   "(flatter expressions, fewer nested operators)")
        started = time.monotonic()
        if not self.started:
            self.start()
        try:
            w = self.idle.get(timeout=self.queue_wait)     # a bounded wait: no request holds a thread for long
        except queue.Empty:
            raise QueryFailed(503, f"all {self.size} query workers are busy; try again in a few seconds",
                              retry_after=max(1, round(self.timeout / 2))) from None
        try:
            w.wait_ready(max(1.0, self.timeout))
            # plain pickle (what Connection.recv reads), not Connection.send's ForkingPickler, which
            # copies the copyreg table for every message
            w.conn.send_bytes(pickle.dumps({
                "query": query, "default_graphs": default_graphs, "named_graphs": named_graphs,
                "results_format": results_format, "graph_format": graph_format, "max_rows": self.max_rows,
                "base_iri": base_iri, "union": self.union}, pickle.HIGHEST_PROTOCOL))
            left = self.timeout - (time.monotonic() - started)
            if not w.has_answer(left):
                log.warning("query stopped after %.1fs (timeout): %.200s", self.timeout, query)
                w.kill()
                w = _Worker(self.store_path, self.isolate, self.memory)
                raise QueryFailed(503, f"the query was stopped after the {self.timeout:g} s time limit")
            msg = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = w.exitcode(1)
            w.kill()
            w = _Worker(self.store_path, self.isolate, self.memory)
            if code is not None and code < 0 and -code not in MEMORY_SIGNALS:
                name = _signal_name(-code)
                remember_killer(query)
                log.warning("query worker died of %s; replaced, and the query is refused from now on: %.200s", name, query)
                raise QueryFailed(500, f"the query crashed its query worker ({name}); a new worker took its place, and "
                                       "this query text is refused from now on") from None
            if self.memory and code is not None and code != 0:
                log.warning("query worker ended (exit %s), probably past its %d MB memory bound: %.200s",
                            code, self.memory >> 20, query)
                raise QueryFailed(503, f"the query needed more than the {self.memory >> 20} MB of memory a query may "
                                       "use, and was stopped; narrow it (LIMIT, fewer unbound patterns)") from None
            raise QueryFailed(500, "the query worker failed; the query was not completed") from None
        finally:
            self.idle.put(w)
        if msg[0] == "error":
            raise QueryFailed(msg[1], msg[2])
        answer = Answer(*msg[1:])
        self.answers.put(cache_key, answer, len(answer.body))
        return answer

    def reload(self, store_path: str, union: bool = False) -> None:
        """Point every worker at another store (the test-only load hook, whose datasets keep
        the default graph and the named graphs apart, as the W3C tests expect)."""
        self.union = union
        self.answers.clear()
        self.start()
        old = [self.idle.get() for _ in range(self.size)]
        self.store_path = store_path
        for w in old:
            w.kill()
            self.idle.put(_Worker(store_path, self.isolate, self.memory))

    def close(self) -> None:
        if not self.started:
            return
        for _ in range(self.size):
            try:
                self.idle.get(timeout=1).kill()
            except queue.Empty:
                break


def cache_key(version: str, *parts: object) -> str:
    h = hashlib.sha256(version.encode())
    for p in parts:
        h.update(b"\x00" + repr(p).encode())
    return h.hexdigest()

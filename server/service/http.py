"""The HTTP server: waitress, with request framing held to RFC 9112 and limits against slow and
greedy clients.

* Framing: waitress reads a request that carries both Content-Length and Transfer-Encoding by its
  chunked body (as RFC 9112 §6.1 allows) but keeps the connection open, so bytes a front proxy
  counted by Content-Length can run here as a second, smuggled request. Such a request, and an
  HTTP/1.0 request with Transfer-Encoding (whose framing §6.1 calls faulty), are answered 400 and
  the connection closed.
* Descriptors: the event loop uses poll(), never select() (whose FD_SETSIZE of 1024 made the
  server exit with "filedescriptor out of range" under a thousand connections); the open-files
  limit is raised to its hard limit and the connection limit kept below it.
* Slow clients: one address may hold at most `per_client` connections (a new one beyond that
  closes the address' oldest connection that has no request being answered, else itself);
  a request whose headers are not complete `header_timeout` seconds after its first byte, or whose
  body is not complete `body_timeout` seconds after that, has its connection closed — however
  often the client trickles a byte.
* Bodies: anything longer than the query limit is refused (413) from its Content-Length, before
  a byte of it is buffered (waitress' max_request_body_size; inbuf_overflow at the same size,
  so no request body ever goes to a temporary file).
* Two thread pools: requests for /sparql run on threads of their own; pages, downloads and
  metadata run on the others, so they never wait behind user queries however many there are.
"""

from __future__ import annotations

import logging
import socket
import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

log = logging.getLogger("kgserve")


class StrictParser(HTTPRequestParser):
    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.monotonic()          # the first byte of this request

    def parse_header(self, header_plus: bytes) -> None:
        te = any(line.split(b":", 1)[0].strip().lower() == b"transfer-encoding"
                 for line in header_plus.split(b"\r\n")[1:])
        super().parse_header(header_plus)
        if te and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("Content-Length together with Transfer-Encoding (RFC 9112 section 6.1)")
        if te and self.version == "1.0":
            raise ParsingError("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 section 6.1)")


class StrictChannel(HTTPChannel):
    parser_class = StrictParser

    def writable(self) -> bool:
        """Whether handle_write can send now. waitress says a channel is writable whenever its
        output buffer holds bytes; while a request's task is writing to that buffer (holding its
        lock) handle_write can send nothing, and the event loop spun — polled, found the socket
        writable, failed to take the lock — until the task let go: 33 turns of the loop for one
        unique lookup, half the serving process' CPU. A task that holds the buffer sends what it
        wrote itself, and pulls the loop's trigger when it could not send it all or when it ends,
        so the loop looks again then."""
        if self.will_close or self.close_when_flushed:
            return True
        if not self.total_outbufs_len:
            return False
        if not self.requests:
            return True
        if self.total_outbufs_len < self.adj.send_bytes or not self.outbuf_lock.acquire(False):
            return False
        self.outbuf_lock.release()
        return True

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        limits = getattr(server, "kg_limits", None)
        if limits is None or not isinstance(addr, tuple) or not addr:
            return
        same = [c for c in list(server.active_channels.values())
                if c is not self and not c.will_close and isinstance(c.addr, tuple) and c.addr[:1] == addr[:1]]
        if len(same) < limits["per_client"]:
            return
        # the address is at its cap: shed its oldest connection that has no request being answered
        # (a slow client's), so a well-behaved client at a shared address still gets in
        idle = [c for c in same if not c.requests]
        victim = min(idle, key=lambda c: c.creation_time) if idle else self
        victim.will_close = True
        if addr[0] not in limits.setdefault("warned", set()):
            limits["warned"].add(addr[0])
            log.warning("%s holds %d connections, the most one address may: shedding its idle ones", addr[0], len(same))


class Router:
    """waitress' task dispatcher, as two pools: user queries (/sparql) on one, everything else
    (pages, downloads, metadata) on the other."""

    def __init__(self, query_threads: int, file_threads: int):
        self.queries, self.files = ThreadedTaskDispatcher(), ThreadedTaskDispatcher()
        self.queries.set_thread_count(query_threads)
        self.files.set_thread_count(file_threads)

    @staticmethod
    def is_query(channel) -> bool:
        req = channel.requests[0] if getattr(channel, "requests", None) else None
        path = getattr(req, "path", "") or ""
        return path == "/sparql" and getattr(req, "error", None) is None

    def add_task(self, task) -> None:
        (self.queries if self.is_query(task) else self.files).add_task(task)

    def set_thread_count(self, count: int) -> None:
        self.queries.set_thread_count(count)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        a = self.queries.shutdown(cancel_pending, timeout)
        b = self.files.shutdown(cancel_pending, timeout)
        return a and b


def raise_open_files_limit() -> int:
    """The soft limit on open files raised to the hard limit; returns the limit now in force."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY:
            hard = max(soft, 65536)
        if soft != resource.RLIM_INFINITY and soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        return soft
    except (ImportError, ValueError, OSError):
        return 1024


def _timeouts(server, header_timeout: float, body_timeout: float) -> None:
    """Extend waitress' idle-connection sweep: close connections whose request's headers (or
    body) take longer than allowed, even when the client keeps sending a byte now and then."""
    idle_sweep = server.maintenance

    def maintenance(now: float) -> None:
        idle_sweep(now)
        mono = time.monotonic()
        for channel in list(server.active_channels.values()):
            req = channel.request                           # the request still being received
            if req is None or req.completed:
                continue
            age = mono - getattr(req, "started", mono)
            if (not req.headers_finished and age > header_timeout) or age > header_timeout + body_timeout:
                channel.will_close = True
    server.maintenance = maintenance


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket on HOST:PORT that other serving processes bind too (SO_REUSEPORT): the
    kernel spreads new connections over them. Raises OSError (as waitress would) when it cannot."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(info[4])
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def server(app, host: str, port: int, threads: int, connection_limit: int, channel_timeout: int,
           max_body: int = 100_000, file_threads: int = 4, per_client: int = 64,
           header_timeout: float = 10.0, body_timeout: float = 20.0, reuse_port: bool = False):
    """A waitress server for APP with strict framing and the limits above; raises OSError when it
    cannot listen."""
    files = raise_open_files_limit()
    # every connection is a descriptor; keep room for the store, the workers' pipes and the dumps
    limit = max(16, min(connection_limit, files - 128))
    if limit < connection_limit:
        log.warning("the open-files limit is %d: accepting at most %d connections (KG_CONNECTION_LIMIT is %d)",
                    files, limit, connection_limit)
    where = {"sockets": [_reuse_port_socket(host, port)]} if reuse_port else {"host": host, "port": port}
    s = create_server(app, **where, threads=threads, ident="kgserve",
                      connection_limit=limit, channel_timeout=channel_timeout,
                      asyncore_use_poll=True, cleanup_interval=1,
                      max_request_body_size=max_body + 1, inbuf_overflow=max_body + 1,
                      _dispatcher=Router(threads, file_threads))
    s.channel_class = StrictChannel
    s.kg_limits = {"per_client": per_client}
    _timeouts(s, header_timeout, body_timeout)
    return s

"""A WSGI-level cache of complete responses to repeated SPARQL GET requests.

A repeated identical query is answered before Flask sees it: the stored status, headers and body
of the first answer, keyed by the dataset version, the query string and every request header the
answer depends on (Host, Accept, Accept-Encoding, the conditional headers). Only complete 200 answers
of the /sparql endpoint are kept; the key's dataset version is the one the request is bound to
(server.service.live), so a new build is never answered from an old one's entries (a test that loads a
dataset clears the cache).
"""

from __future__ import annotations

from typing import Callable

from .engine import LRUCache

VARY = ("HTTP_HOST", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Host is in the key: the service description and relative IRIs in an answer are built from it


class ResponseCache:
    def __init__(self, app, version: Callable[[dict], str], path: str = "/sparql", entries: int = 2048,
                 max_bytes: int = 64 * 1024 * 1024):
        self.app, self.version, self.path = app, version, path
        self.store = LRUCache(entries, max_bytes, 8)

    def clear(self) -> None:
        self.store.clear()

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != self.path \
                or not environ.get("QUERY_STRING"):
            return self.app(environ, start_response)
        key = (self.version(environ), environ["QUERY_STRING"], *(environ.get(h, "") for h in VARY))
        hit = self.store.get(key)
        if hit is not None:
            status, headers, body = hit
            start_response(status, list(headers))
            return [body]
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, list(headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if seen.get("status", "").startswith("200 ") \
                and not any(k.lower() == "set-cookie" for k, _ in seen["headers"]):
            self.store.put(key, (seen["status"], seen["headers"], body), len(body))
        return [body]

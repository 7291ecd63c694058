"""Configuration: defaults in code, each overridable by a KG_* environment variable."""

from __future__ import annotations

import os

DEFAULTS: dict[str, object] = {
    "DATA": "dist",               # the built dist/ folder the server reads (and only reads)
    "HOST": "127.0.0.1",
    "PORT": 5000,
    "PROCESSES": 0,               # serving processes sharing the port (SO_REUSEPORT), each with its own query workers; 0: one per core
    "THREADS": 8,                 # waitress worker threads
    "CONNECTION_LIMIT": 4096,     # open connections at most (kept below the open-files limit; waitress polls, so no FD_SETSIZE)
    "CHANNEL_TIMEOUT": 30,        # seconds of silence before a connection is closed
    "FILE_THREADS": 4,            # threads for pages, downloads and metadata (user queries never take them)
    "CLIENT_CONNECTIONS": 64,     # open connections one client address may hold; more are closed at once
    "CLIENT_QUERIES": 4,          # queries one client address may have running or waiting; more get a 429
    "HEADER_TIMEOUT": 10.0,       # seconds a request may take to send its headers (slowloris)
    "BODY_TIMEOUT": 20.0,         # seconds more it may take to send its body
    "QUERY_TIMEOUT": 10.0,        # seconds before a SPARQL query is stopped
    "MAX_ROWS": 10000,            # result rows returned at most (a header says when cut)
    "MAX_QUERY_BYTES": 100_000,   # request body / query string size limit
    "MAX_QUERY_DEPTH": 64,        # brackets nested deeper are refused before the engine sees them (deep nesting crashes it)
    "QUERY_MEMORY_MB": 1024,      # memory one query may take in its worker; past it: 503, the worker replaced (0: no bound)
    "QUERY_WORKERS": 3,           # processes that run SPARQL queries (one slow query holds only one)
    "QUEUE_WAIT": 2.0,            # seconds a query waits for a free worker before a 503 with Retry-After
    "ALLOW_SERVICE": False,       # SERVICE (federated queries) makes outbound requests: off by default
    "ISOLATE_NETWORK": True,      # query workers enter an empty network namespace where the OS allows it
    "TEST_LOAD": False,           # enables POST /_test/load (replaces the dataset); tests only
    "STORE": "",                  # a remote SPARQL endpoint to query instead of dist/store (remote-store mode)
    "PUBLIC_URL": "",             # the base URL links are made from (default: the request's)
    "RELOAD_INTERVAL": 1.0,       # seconds between checks whether dist/ points at a new build (served atomically)
}


def from_env(overrides: dict[str, object] | None = None) -> dict[str, object]:
    cfg = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"KG_{key}")
        if raw is None:
            continue
        try:
            if isinstance(default, bool):
                if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                    raise ValueError
                cfg[key] = raw.lower() in ("1", "true", "yes", "on")
            else:
                cfg[key] = type(default)(raw) if not isinstance(default, str) else raw
        except ValueError:
            raise ValueError(f"KG_{key}={raw!r}: expected a {type(default).__name__}") from None
    cfg.update(overrides or {})
    return cfg

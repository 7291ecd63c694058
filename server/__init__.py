"""kgserve: serves a built dist/ folder — SPARQL endpoint, downloads, pages.

Flask application factory; configuration from server.config (KG_* environment variables).
Importing the package costs nothing: the factory imports Flask and the rest, so that the kgserve
master and the query worker processes (which import server.service.worker) never load them.
"""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

from . import config as config_mod

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: dict | None = None, start_workers: bool = True) -> Flask:
    """The app, serving the dataset. start_workers=False: the first version's query workers start
    on its first query, or when the server calls app.extensions["kg_live"].current.start() once
    it listens."""
    return serve_dataset(build_app(overrides), start_workers)


def build_app(overrides: dict | None = None) -> Flask:
    """The app without its dataset: configuration, error handlers, templates' globals, routes.
    It opens nothing and starts no thread, so kgserve's master builds it once before it forks the
    serving processes (the imports and the routes' compilation are then made once, not in each)."""
    from flask import Flask
    from flask_compress import Compress

    from . import errors
    from .service.live import dataset
    app = Flask(__name__)
    cfg = config_mod.from_env(overrides)
    app.config.update({f"KG_{k}": v for k, v in cfg.items()})
    app.config["MAX_CONTENT_LENGTH"] = int(cfg["MAX_QUERY_BYTES"])
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "text/plain", "text/csv", "text/tab-separated-values", "text/turtle",
        "application/json", "application/ld+json", "application/n-triples", "application/rdf+xml",
        "application/sparql-results+json", "application/sparql-results+xml", "image/svg+xml", "application/javascript",
        "text/javascript"]
    app.config["COMPRESS_ALGORITHM"] = ["gzip"]
    app.config["COMPRESS_MIN_SIZE"] = 1024
    errors.register(app)
    Compress(app)

    @app.context_processor
    def dataset_version() -> dict:
        return {"g_version": dataset().version}
    from .site import figures, labels, rules
    from .service.sparqlhelp import PREFIXES
    app.jinja_env.globals.update(term=labels.term, code=labels.code, codes=labels.codes, predeclared=PREFIXES,
                                 figure=figures.figure, target_html=figures.target_html,
                                 comparator_words=figures.comparator_words, status_label=rules.status_label,
                                 explain=rules.explain_html)
    from .site import docs, downloads, entities, indicators, pages, portal, review, scorecard, search, tracker
    from .service import http, sparql  # noqa: F401  (http: the server's, imported once with the rest)
    app.register_blueprint(pages.bp)
    app.extensions["kg_query_page"] = pages.query_page     # GET /sparql from a browser
    app.register_blueprint(downloads.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(tracker.bp)
    app.register_blueprint(scorecard.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(indicators.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(sparql.bp)
    if cfg["TEST_LOAD"]:
        from .service import testhooks
        app.register_blueprint(testhooks.bp)
    return app


def serve_dataset(app: Flask, start_workers: bool = True) -> Flask:
    """APP bound to its dataset (KG_DATA, or KG_STORE for queries): the current version, its query
    pools, the switch to a new build, the response cache. Raises DatasetError when there is none."""
    from .service.dataset import open_dataset
    from .service.direct import DirectSparql
    from .service.engine import QueryPool
    from .service.fastpath import ResponseCache
    from .service.live import Live, Served
    cfg = {k[3:]: v for k, v in app.config.items() if k.startswith("KG_")}
    start = {"now": start_workers}        # versions opened later (a new build) start theirs at once

    def open_version(path: Path) -> Served:
        """A dataset version and its query pools (the site's pages query through a worker of their
        own, so they never wait behind user queries)."""
        kg = open_dataset(path, local_store=not cfg["STORE"])
        if cfg["STORE"]:
            from .service.remote import RemoteStore
            pool = RemoteStore(str(cfg["STORE"]), float(cfg["QUERY_TIMEOUT"]), int(cfg["MAX_ROWS"]))
            return Served(kg, pool, pool)
        isolate = bool(cfg["ISOLATE_NETWORK"]) and not cfg["ALLOW_SERVICE"]
        memory = int(cfg["QUERY_MEMORY_MB"]) << 20
        union = not kg.stores_union          # else the default graph is the union of the named graphs
        pool = QueryPool(str(kg.path / "store"), int(cfg["QUERY_WORKERS"]), float(cfg["QUERY_TIMEOUT"]),
                         int(cfg["MAX_ROWS"]), isolate=isolate, memory=memory, queue_wait=float(cfg["QUEUE_WAIT"]),
                         union=union, start=start["now"])
        pages = QueryPool(str(kg.path / "store"), 1, float(cfg["QUERY_TIMEOUT"]), int(cfg["MAX_ROWS"]),
                          isolate=isolate, memory=memory, queue_wait=float(cfg["QUERY_TIMEOUT"]), union=union,
                          start=start["now"])
        return Served(kg, pool, pages, closers=[pool.close, pages.close])

    app.wsgi_app = app.extensions["kg_direct"] = DirectSparql(app.wsgi_app, app.config)
    app.wsgi_app = app.extensions["kg_fastpath"] = ResponseCache(
        app.wsgi_app, lambda environ: environ["kg.served"].dataset.version)
    app.wsgi_app = live = app.extensions["kg_live"] = Live(app.wsgi_app, Path(str(cfg["DATA"])), open_version,
                                                           float(cfg["RELOAD_INTERVAL"]))
    start["now"] = True
    atexit.register(live.close)
    return app

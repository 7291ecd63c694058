"""kgserve: serves a built dist/ folder — SPARQL endpoint, downloads, pages.

Flask application factory; configuration from server.config (KG_* environment variables).
"""

from __future__ import annotations

from flask import Flask

from . import config as config_mod
from . import errors
from .dataset import open_dataset


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__)
    cfg = config_mod.from_env(overrides)
    app.config.update({f"KG_{k}": v for k, v in cfg.items()})
    app.config["MAX_CONTENT_LENGTH"] = int(cfg["MAX_QUERY_BYTES"])
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.extensions["kg"] = open_dataset(cfg["DATA"])
    errors.register(app)
    from . import docs, downloads, pages, sparql
    app.register_blueprint(pages.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(sparql.bp)
    return app

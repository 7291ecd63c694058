"""Test-only routes, registered only when KG_TEST_LOAD is set (the W3C query-evaluation suite
needs to load each test's dataset). Never enabled by default."""

from __future__ import annotations

import io
import shutil
import tempfile

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from . import live
from ..errors import APIError

bp = Blueprint("testhooks", __name__)


@bp.route("/_test/load", methods=["POST"])
def load() -> Response:
    if (request.mimetype or "") != "application/n-quads":
        raise APIError(400, "send the dataset as application/n-quads")
    directory = tempfile.mkdtemp(prefix="kg-test-store-")
    try:
        store = ox.Store(directory)
        data = request.get_data()
        if data.strip():
            store.bulk_load(io.BytesIO(data), ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    except (SyntaxError, ValueError) as e:
        shutil.rmtree(directory, ignore_errors=True)
        raise APIError(400, f"cannot parse the N-Quads: {e}") from None
    live.pool().reload(directory)
    if live.pages_pool() is not live.pool():
        live.pages_pool().reload(directory)
    current_app.extensions["kg_fastpath"].clear()
    previous = current_app.extensions.get("kg_test_store")
    current_app.extensions["kg_test_store"] = directory
    if previous:
        shutil.rmtree(previous, ignore_errors=True)
    return Response("loaded\n", content_type="text/plain")

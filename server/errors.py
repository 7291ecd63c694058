"""Errors carry their HTTP status; one handler renders them as HTML or JSON. No tracebacks."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("kgserve")


class APIError(HTTPException):
    """An error with a status and a message meant for the client."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(description=message)
        self.code = status
        self.retry_after = retry_after


def wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html", "text/plain"])
    return best == "text/html"


def render_error(e: HTTPException):
    status = e.code or 500
    message = e.description or e.name
    if wants_html():
        resp = render_template("error.html", status=status, name=e.name, message=message), status
    elif request.accept_mimetypes.best_match(["application/json", "text/plain"]) == "text/plain" and \
            request.path.startswith("/sparql"):
        resp = (f"{status} {e.name}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"})
    else:
        resp = jsonify(error={"status": status, "name": e.name, "message": message}), status
    r = make_response(resp)
    if status == 405 and hasattr(e, "valid_methods") and e.valid_methods:
        r.headers["Allow"] = ", ".join(e.valid_methods)
    r.headers["Access-Control-Allow-Origin"] = "*"
    if status == 503:
        r.headers["Retry-After"] = str(getattr(e, "retry_after", None) or 5)
    return r


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        return render_error(e)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError("the server could not complete the request; it has been logged"))

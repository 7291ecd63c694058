"""`kgserve`: serve a built dist/ folder with the waitress WSGI server."""

from __future__ import annotations

import logging
import sys

import click

from . import config


@click.command()
@click.option("--data", default=None, help="The built dist/ folder (KG_DATA; default dist).")
@click.option("--host", default=None, help="Interface to bind (KG_HOST; default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (KG_PORT; default 5000).")
@click.option("--store", default=None, help="Query this remote SPARQL endpoint instead of DATA/store (KG_STORE); "
                                           "publish to it first with 'kgbuild publish --to'.")
def main(data: str | None, host: str | None, port: int | None, store: str | None) -> None:
    """Serve the dataset: SPARQL endpoint, downloads and pages."""
    from . import create_app
    from .service.dataset import DatasetError
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # waitress warns "Task queue depth is N" whenever requests wait for a thread: under load that
    # is thousands of lines (26,614 in one benchmark run) saying what the 503 and Retry-After say
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    overrides = {k: v for k, v in (("DATA", data), ("HOST", host), ("PORT", port), ("STORE", store)) if v is not None}
    try:
        app = create_app(overrides)
    except (DatasetError, ValueError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    cfg = config.from_env(overrides)
    if not 1 <= int(cfg["PORT"]) <= 65535:
        click.echo(f"error: port {cfg['PORT']} is not in 1–65535", err=True)
        sys.exit(2)
    here = f"http://{cfg['HOST']}:{cfg['PORT']}/"
    base = app.extensions["kg_live"].current.dataset.manifest.get("base", "")
    public = str(cfg.get("PUBLIC_URL") or here)
    if base.rstrip("/") != public.rstrip("/"):
        click.echo(f"warning: the dataset was built for {base}, but this server is reached at {public}: its IRIs and "
                   f"links will point at {base}. Build with --base {public} (make run PORT=… does), or set "
                   "KG_PUBLIC_URL when a proxy serves it at the base.", err=True)
    try:
        from .service.http import server as http_server
        server = http_server(app, str(cfg["HOST"]), int(cfg["PORT"]), int(cfg["THREADS"]),
                             int(cfg["CONNECTION_LIMIT"]), int(cfg["CHANNEL_TIMEOUT"]),
                             max_body=int(cfg["MAX_QUERY_BYTES"]), file_threads=int(cfg["FILE_THREADS"]),
                             per_client=int(cfg["CLIENT_CONNECTIONS"]), header_timeout=float(cfg["HEADER_TIMEOUT"]),
                             body_timeout=float(cfg["BODY_TIMEOUT"]))
    except OSError as e:
        click.echo(f"error: cannot listen on {cfg['HOST']}:{cfg['PORT']}: {e.strerror or e}", err=True)
        sys.exit(2)
    served = app.extensions["kg_live"].current
    if not cfg["STORE"]:
        if cfg["ALLOW_SERVICE"]:
            click.echo("warning: KG_ALLOW_SERVICE is on: queries may make the server send requests to any host", err=True)
        elif served.pool.isolated():
            click.echo("query workers: in an empty network namespace (SERVICE is refused, and could reach no host)",
                       err=True)
        else:
            click.echo("warning: query workers could not enter an empty network namespace" +
                       (" (KG_ISOLATE_NETWORK is off)" if not cfg["ISOLATE_NETWORK"] else "") +
                       ": refusing SERVICE in the query text is the only wall against outbound requests", err=True)
    click.echo(f"serving {cfg['DATA']}" + (f" with queries answered by {cfg['STORE']}" if cfg["STORE"] else "")
               + f" on {here}", err=True)
    server.run()

"""`kgserve`: serve a built dist/ folder with the waitress WSGI server."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time

import click

from . import config


@click.command()
@click.option("--data", default=None, help="The built dist/ folder (KG_DATA; default dist).")
@click.option("--host", default=None, help="Interface to bind (KG_HOST; default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (KG_PORT; default 5000).")
@click.option("--store", default=None, help="Query this remote SPARQL endpoint instead of DATA/store (KG_STORE); "
                                           "publish to it first with 'kgbuild publish --to'.")
@click.option("--processes", default=None, type=click.IntRange(0, 256),
              help="Serving processes sharing the port, each with its own query workers (KG_PROCESSES; "
                   "default 0: one per core).")
def main(data: str | None, host: str | None, port: int | None, store: str | None, processes: int | None) -> None:
    """Serve the dataset: SPARQL endpoint, downloads and pages."""
    overrides = {k: v for k, v in (("DATA", data), ("HOST", host), ("PORT", port), ("STORE", store),
                                   ("PROCESSES", processes)) if v is not None}
    try:
        cfg = config.from_env(overrides)
    except ValueError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    n = int(cfg["PROCESSES"]) or (os.cpu_count() or 1)
    if cfg["TEST_LOAD"]:
        n = 1                           # /_test/load replaces the dataset of one process only
    if n <= 1:
        _serve(overrides)
    else:
        _master(overrides, n)


def _master(overrides: dict, n: int) -> None:
    """A pre-fork master: N children, each a whole server (app, query workers, waitress) on its own
    socket bound to the same port with SO_REUSEPORT, so the kernel spreads connections over them.
    A child that dies is replaced; one that cannot start (exit 2) stops them all; SIGTERM/SIGINT are
    passed on. Before the fork the master builds the app without its dataset (imports, routes: once
    for all); nothing is opened: no threads, no store, no pools."""
    children: dict[int, int] = {}
    cfg = config.from_env(overrides)
    try:                                # a port another program holds: one line, before any child starts
        with socket.socket(socket.AF_INET6 if ":" in str(cfg["HOST"]) else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # as the children's: a port left in
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)     # TIME_WAIT by a stopped server is free
            probe.bind((cfg["HOST"], int(cfg["PORT"])))
    except OSError as e:
        click.echo(f"error: cannot listen on {cfg['HOST']}:{cfg['PORT']}: {e.strerror or e}", err=True)
        sys.exit(2)

    from . import build_app
    app = build_app(overrides)          # imports and routes made once here, not in each serving process

    def spawn(i: int) -> None:
        pid = os.fork()
        if pid == 0:
            _die_with_parent()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                _serve(overrides, reuse_port=True, announce=i == 0, index=i, app=app)
            except SystemExit as e:
                os._exit(e.code if isinstance(e.code, int) else 1)
            except BaseException:       # noqa: BLE001 — a child must never return into the master's code
                logging.getLogger("kgserve").exception("serving process %d failed", i)
                os._exit(1)
            os._exit(0)
        children[pid] = i

    stopping = {"sig": None}

    def stop(signum, _frame) -> None:
        stopping["sig"] = signum
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    for i in range(n):
        spawn(i)
    status = 0
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        i = children.pop(pid, None)
        if i is None:
            continue
        code = os.waitstatus_to_exitcode(code)
        if stopping["sig"] is not None:
            continue
        if code == 2 and time.monotonic() - started < 60:      # cannot start (no dataset, port taken): all stop
            status = 2
            stop(signal.SIGTERM, None)
            continue
        click.echo(f"warning: serving process {i} ended (status {code}); starting another", err=True)
        spawn(i)
    sys.exit(status)


def _die_with_parent() -> None:
    """Linux: this child gets SIGTERM when the master dies, so no server outlives it."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)              # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(overrides: dict, reuse_port: bool = False, announce: bool = True, index: int = 0, app=None) -> None:
    """One serving process: the app (APP: built by the master, without its dataset), its query
    workers and waitress."""
    from . import build_app, serve_dataset
    from .service.dataset import DatasetError
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # waitress warns "Task queue depth is N" whenever requests wait for a thread: under load that
    # is thousands of lines (26,614 in one benchmark run) saying what the 503 and Retry-After say
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        app = serve_dataset(app or build_app(overrides), start_workers=False)     # started once it listens
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
    if announce and base.rstrip("/") != public.rstrip("/"):
        click.echo(f"warning: the dataset was built for {base}, but this server is reached at {public}: its IRIs and "
                   f"links will point at {base}. Build with --base {public} (make run PORT=… does), or set "
                   "KG_PUBLIC_URL when a proxy serves it at the base.", err=True)
    try:
        from .service.http import server as http_server
        server = http_server(app, str(cfg["HOST"]), int(cfg["PORT"]), int(cfg["THREADS"]),
                             int(cfg["CONNECTION_LIMIT"]), int(cfg["CHANNEL_TIMEOUT"]),
                             max_body=int(cfg["MAX_QUERY_BYTES"]), file_threads=int(cfg["FILE_THREADS"]),
                             per_client=int(cfg["CLIENT_CONNECTIONS"]), header_timeout=float(cfg["HEADER_TIMEOUT"]),
                             body_timeout=float(cfg["BODY_TIMEOUT"]), reuse_port=reuse_port)
    except OSError as e:
        click.echo(f"error: cannot listen on {cfg['HOST']}:{cfg['PORT']}: {e.strerror or e}", err=True)
        sys.exit(2)
    served = app.extensions["kg_live"].current
    # the query workers start beside the event loop, not before it: each is a fork and an exec
    # (four per serving process), which delayed the first answer; a query that comes meanwhile
    # waits for them (QueryPool.start holds its lock until they are started)
    threading.Thread(target=served.start, name="kg-start-workers", daemon=True).start()
    if announce:
        if not cfg["STORE"] and cfg["ALLOW_SERVICE"]:
            click.echo("warning: KG_ALLOW_SERVICE is on: queries may make the server send requests to any host", err=True)
        elif not cfg["STORE"]:          # said once a worker has started: the server answers meanwhile
            threading.Thread(target=_say_isolation, args=(served.pool, cfg), daemon=True).start()
        procs = int(cfg["PROCESSES"]) or (os.cpu_count() or 1)
        click.echo(f"serving {cfg['DATA']}" + (f" with queries answered by {cfg['STORE']}" if cfg["STORE"] else "")
                   + f" on {here}" + (f" ({procs} processes)" if reuse_port else ""), err=True)
    server.run()


def _say_isolation(pool, cfg: dict) -> None:
    """Whether the query workers are cut off from the network (known when the first has started)."""
    try:
        isolated = pool.isolated()
    except Exception as e:              # noqa: BLE001 — the queries will say it too; the server goes on
        click.echo(f"warning: the query workers did not start: {e}", err=True)
        return
    if isolated:
        click.echo("query workers: in an empty network namespace (SERVICE is refused, and could reach no host)",
                   err=True)
    else:
        click.echo("warning: query workers could not enter an empty network namespace" +
                   (" (KG_ISOLATE_NETWORK is off)" if not cfg["ISOLATE_NETWORK"] else "") +
                   ": refusing SERVICE in the query text is the only wall against outbound requests", err=True)

"""A private OpenLink Virtuoso 7 for the side-by-side benchmark and the integration tests.

    python bench/virtuoso.py start DIR [--http-port 18890] [--sql-port 11111] [--memory-gb 2]
    python bench/virtuoso.py load DIR FILE.nq|FILE.nt [--graph IRI]
    python bench/virtuoso.py stop DIR

`start` installs Debian's virtuoso-opensource package when it is missing (as root), writes
DIR/virtuoso.ini from bench/virtuoso.ini (loopback only, result cap and anytime-query timeout
switched off) and starts the server on a fresh database in DIR. `load` bulk-loads a dump with
ld_dir/rdf_loader_run, OpenLink's documented bulk loader, then checkpoints. The endpoint is
http://127.0.0.1:HTTP_PORT/sparql; the Graph Store Protocol (digest auth, user dba) is at
/sparql-graph-crud-auth.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "dba"                        # a fresh database's default; the server listens on loopback only


def ensure_installed() -> None:
    if shutil.which("virtuoso-t") and shutil.which("isql-vt"):
        return
    if os.geteuid() != 0:
        sys.exit("Virtuoso is not installed: sudo apt-get install virtuoso-opensource")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "virtuoso-opensource"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    # the package starts its own system instance where it can; ours is separate and private
    subprocess.run(["service", "virtuoso-opensource-7", "stop"], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def start(directory: Path, http_port: int, sql_port: int, memory_gb: float) -> str:
    ensure_installed()
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "load").mkdir(exist_ok=True)
    buffers = int(85000 * memory_gb)
    ini = (HERE / "virtuoso.ini").read_text(encoding="utf-8").format(
        dir=directory, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4,
        allowed=directory / "load")
    (directory / "virtuoso.ini").write_text(ini, encoding="utf-8")
    (directory / "ports").write_text(f"{http_port} {sql_port}\n")
    if _port_open(http_port) or _port_open(sql_port):
        sys.exit(f"port {http_port} or {sql_port} is in use; pass --http-port/--sql-port")
    subprocess.run(["virtuoso-t", "+configfile", str(directory / "virtuoso.ini"), "+wait"], cwd=directory, check=True,
                   stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _port_open(http_port):
        if time.monotonic() > deadline:
            sys.exit(f"Virtuoso did not open port {http_port}; see {directory / 'virtuoso.log'}")
        time.sleep(0.2)
    return f"http://127.0.0.1:{http_port}/sparql"


def isql(directory: Path, sql: str) -> str:
    _, sql_port = (directory / "ports").read_text().split()
    r = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", PASSWORD], input=sql, text=True,
                       capture_output=True, check=False)
    if r.returncode != 0 or "*** Error" in r.stdout:
        sys.exit(f"isql failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def load(directory: Path, dump: Path, graph: str | None) -> None:
    directory = directory.resolve()
    target = directory / "load" / dump.name
    if target.exists():
        target.unlink()
    try:
        os.link(dump, target)
    except OSError:
        shutil.copyfile(dump, target)
    g = graph or "urn:default"
    isql(directory, f"ld_dir('{directory / 'load'}', '{dump.name}', '{g}');\n"
                    "rdf_loader_run();\ncheckpoint;\n"
                    "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n")
    out = isql(directory, "SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n")
    if not any(line.strip() == "0" for line in out.splitlines()):
        sys.exit(f"the bulk load reported errors:\n{out}")


def grant_update(directory: Path) -> None:
    """Let the digest-authenticated dba write through the Graph Store Protocol endpoint."""
    isql(directory.resolve(), "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1);\n")


def stop(directory: Path) -> None:
    directory = directory.resolve()
    if not (directory / "ports").exists():
        return
    _, sql_port = (directory / "ports").read_text().split()
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", PASSWORD], input="shutdown;\n", text=True,
                   capture_output=True, check=False, timeout=60)
    deadline = time.monotonic() + 60
    while _port_open(int(sql_port)) and time.monotonic() < deadline:
        time.sleep(0.2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("start")
    a.add_argument("dir", type=Path)
    a.add_argument("--http-port", type=int, default=18890)
    a.add_argument("--sql-port", type=int, default=11111)
    a.add_argument("--memory-gb", type=float, default=2.0)
    b = sub.add_parser("load")
    b.add_argument("dir", type=Path)
    b.add_argument("dump", type=Path)
    b.add_argument("--graph")
    c = sub.add_parser("stop")
    c.add_argument("dir", type=Path)
    args = ap.parse_args()
    if args.cmd == "start":
        print(start(args.dir, args.http_port, args.sql_port, args.memory_gb))
    elif args.cmd == "load":
        load(args.dir, args.dump.resolve(), args.graph)
    else:
        stop(args.dir)


if __name__ == "__main__":
    main()

"""`kgbuild publish --to URL`: push a built dataset to any SPARQL 1.1 Graph Store Protocol
endpoint, one named graph per article (plus the shared graph, the links graph and the ontology), with replace
semantics (HTTP PUT).

An index graph (<base>/graph/index) on the remote store records each graph's SHA-256, so a later
publish only PUTs the graphs that changed and DELETEs those whose article is gone. The index is
written last: an interrupted publish leaves it stale and the next one repairs the rest.

Authentication comes from the environment: KG_STORE_USER and KG_STORE_PASSWORD (HTTP Basic, or
Digest with KG_STORE_AUTH=digest), or KG_STORE_TOKEN (a bearer token).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests

from ..errors import KGError

SPDX = "http://spdx.org/rdf/terms#"
VOID = "http://rdfs.org/ns/void#"
SHA256 = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"


class RemoteError(KGError):
    """The remote store refused a request or could not be reached."""

    exit_code = 4


@dataclass(frozen=True)
class Pushed:
    url: str
    put: int
    unchanged: int
    deleted: int


def session() -> requests.Session:
    s = requests.Session()
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD", "")
    if os.environ.get("KG_STORE_TOKEN"):
        s.headers["Authorization"] = "Bearer " + os.environ["KG_STORE_TOKEN"]
    elif user:
        scheme = os.environ.get("KG_STORE_AUTH", "basic").lower()
        if scheme not in ("basic", "digest"):
            raise RemoteError(f"KG_STORE_AUTH={scheme!r}: expected basic or digest")
        s.auth = requests.auth.HTTPDigestAuth(user, password) if scheme == "digest" else (user, password)
    return s


RETRIES = 5


def _request(s: requests.Session, method: str, url: str, graph: str, **kw) -> requests.Response:
    """One Graph Store request. A 5xx answer (Virtuoso reports concurrent writers as a deadlock,
    SQLSTATE 40001) is retried with backoff; GET, PUT and DELETE are idempotent."""
    for attempt in range(RETRIES):
        try:
            r = s.request(method, url, params={"graph": graph}, timeout=300, **kw)
        except requests.RequestException as e:
            raise RemoteError(f"{url}: cannot reach the store ({e.__class__.__name__}: {e})") from None
        if r.status_code < 500 or attempt == RETRIES - 1:
            break
        time.sleep(0.2 * 2 ** attempt)
    if r.status_code in (401, 403):
        raise RemoteError(f"{url}: {method} <{graph}> was refused (HTTP {r.status_code}); "
                          "set KG_STORE_USER/KG_STORE_PASSWORD (and KG_STORE_AUTH=digest if the store asks) or KG_STORE_TOKEN")
    if r.status_code >= 400 and not (method in ("GET", "DELETE") and r.status_code == 404):
        raise RemoteError(f"{url}: {method} <{graph}> failed with HTTP {r.status_code}: {r.text[:300].strip()}")
    return r


def _index_iri(base: str) -> str:
    return f"{base.rstrip('/')}/graph/index"


def remote_index(s: requests.Session, url: str, base: str) -> dict[str, str]:
    """Graph IRI → SHA-256 as recorded by the last publish ({} when there was none)."""
    r = _request(s, "GET", url, _index_iri(base), headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    if r.status_code == 404 or not r.content.strip():
        return {}
    fmt = ox.RdfFormat.N_TRIPLES if "n-triples" in r.headers.get("Content-Type", "") else ox.RdfFormat.TURTLE
    try:
        triples = list(ox.parse(r.content, format=fmt))
    except SyntaxError:
        return {}                       # unreadable index: publish everything again
    checksums = {t.subject: t.object for t in triples if t.predicate.value == SPDX + "checksum"}
    values = {t.subject: t.object.value for t in triples if t.predicate.value == SPDX + "checksumValue"}
    return {g.value: values[c] for g, c in checksums.items() if c in values}


def _index(base: str, graphs: dict[str, str]) -> bytes:
    lines = []
    ds = f"<{base.rstrip('/')}/dataset>"
    for g, sha in sorted(graphs.items()):
        c = f"<{g}#sha256>"
        lines += [f"{ds} <{VOID}subset> <{g}> .", f"<{g}> <{SPDX}checksum> {c} .",
                  f"{c} <{SPDX}algorithm> <{SHA256}> .", f'{c} <{SPDX}checksumValue> "{sha}" .']
    return ("\n".join(lines) + "\n").encode("utf-8")


def _article_graphs(dist: Path) -> dict[str, bytes]:
    """Each article graph's N-Triples, cut from dist/dataset.nq (written graph by graph)."""
    out: dict[str, list[bytes]] = {}
    with open(dist / "dataset.nq", "rb") as f:
        for line in f:
            head, _, graph = line.rstrip(b" .\n").rpartition(b" <")
            out.setdefault(graph[:-1].decode("utf-8"), []).append(head + b" .\n")
    return {g: b"".join(lines) for g, lines in out.items()}


def publish(dist: Path, url: str, force: bool = False, threads: int = 4) -> Pushed:
    dist = Path(dist)
    try:
        manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise KGError(f"{dist}: not a built dataset ({e}); run 'kgbuild build' first") from None
    base = manifest["base"]
    s = session()
    before = {} if force else remote_index(s, url, base)
    graphs = _article_graphs(dist)
    onto = (dist / "ontology.ttl").read_bytes()
    wanted = {a["graph"]: a["graph_sha256"] for a in manifest["articles"]}
    wanted[manifest["graphs"]["shared"]["graph"]] = manifest["graphs"]["shared"]["graph_sha256"]
    if "links" in manifest["graphs"] and manifest["graphs"]["links"]["triples"]:
        wanted[manifest["graphs"]["links"]["graph"]] = manifest["graphs"]["links"]["graph_sha256"]
    wanted[manifest["graphs"]["ontology"]] = hashlib.sha256(onto).hexdigest()
    todo = [g for g, sha in sorted(wanted.items()) if before.get(g) != sha]
    gone = sorted(set(before) - set(wanted))

    def put(g: str) -> None:
        body = onto if g == manifest["graphs"]["ontology"] else graphs[g]   # N-Triples is Turtle too
        _request(s, "PUT", url, g, data=body, headers={"Content-Type": "text/turtle; charset=utf-8"})

    def delete(g: str) -> None:
        _request(s, "DELETE", url, g)        # already gone (404) is fine

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(put, todo))
        list(pool.map(delete, gone))
    _request(s, "PUT", url, _index_iri(base), data=_index(base, wanted),
             headers={"Content-Type": "text/turtle; charset=utf-8"})
    return Pushed(url=url, put=len(todo), unchanged=len(wanted) - len(todo), deleted=len(gone))

"""`make conformance`: third-party conformance suites against a real `kgserve` process.

1. The W3C SPARQL 1.1 protocol tests that apply to a read-only endpoint (all query-side tests,
   and the update-side tests that must be refused), plus the three service-description checks.
2. The W3C SPARQL 1.1 query-evaluation suite through ../shared/external/sparql11/run_query_tests.py,
   over HTTP, each test's dataset loaded through the test-only hook (KG_TEST_LOAD=1), gated on
   the known failures of pyoxigraph in-process (known-failures/pyoxigraph-0.5.13_term.txt).
3. The DCAT-AP 3 catalog through ../shared/external/dcat-ap/validate_dcat.py (when the server has one).

The shared material is found at ../shared (KG_SHARED_DIR overrides). Exit 0 only if all pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import requests
from rdflib import Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KG_SHARED_DIR", ROOT.parent / "shared"))
SPARQL11 = SHARED / "external" / "sparql11"
BIN = Path(sys.executable).parent
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
sys.path.insert(0, str(ROOT / "tests"))
from conftest import Server  # noqa: E402  (the same real-process harness the end-to-end tests use)

FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml", "text/html"),
}


def _boolean(resp: requests.Response) -> bool | None:
    ctype = resp.headers.get("Content-Type", "")
    if "json" in ctype:
        return resp.json().get("boolean")
    if "xml" in ctype:
        return "<boolean>true</boolean>" in resp.text
    return None


def _status_ok(status: int, expected: list[str]) -> bool:
    return any(str(status)[0] == e[0] for e in expected)


def protocol(server: Server) -> list[tuple[str, str, str]]:
    out = subprocess.run([sys.executable, str(SPARQL11 / "summarize_protocol_tests.py"), "--json"],
                         capture_output=True, text=True, check=True, cwd=SPARQL11)
    tests = json.loads(out.stdout)
    nq = []
    for i in (1, 2, 3):
        for line in (SPARQL11 / "protocol" / f"data{i}.nt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                nq.append(line.rstrip().rstrip(".").rstrip() + f" <http://kasei.us/2009/09/sparql/data/data{i}.rdf> .")
    r = requests.post(server.url + "/_test/load", data="\n".join(nq).encode(), headers={"Content-Type": "application/n-quads"})
    r.raise_for_status()
    results = []
    for t in tests:
        positive_update = t["kind"] == "update" and not t["id"].startswith("bad_")
        if positive_update:
            results.append((t["id"], "n/a", "update operations are not offered by a read-only endpoint"))
            continue
        verdict, why = "PASS", ""
        for req in t["requests"]:
            if req["headers"].get("content-type") == "application/sparql-update" and not t["id"].startswith("bad_"):
                continue
            url = server.url + "/sparql"
            if req["params"]:
                url += "?" + urllib.parse.urlencode([tuple(p) for p in req["params"]])
            body = req["body"]
            if body is not None:
                body = body.encode(req["body_encoding"] or "utf-8")
            headers = {k: v for k, v in req["headers"].items()}
            resp = requests.request(req["method"], url, data=body, headers=headers)
            if not _status_ok(resp.status_code, req["expected_status"]):
                verdict, why = "FAIL", f"{req['method']} → HTTP {resp.status_code}, expected {req['expected_status']}"
                break
            fmt = req.get("expected_format")
            if fmt and resp.status_code < 300:
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
                if ctype not in FORMATS[fmt]:
                    verdict, why = "FAIL", f"content type {ctype} is not a {fmt} format"
                    break
                if req.get("expected_boolean") is not None and _boolean(resp) != req["expected_boolean"]:
                    verdict, why = "FAIL", f"boolean {_boolean(resp)}, expected {req['expected_boolean']}"
                    break
        results.append((t["id"], verdict, why))
    # service description (service-description/manifest.ttl: no machine-readable actions)
    resp = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    try:
        g = Graph().parse(data=resp.text, format="turtle")
        ok = resp.status_code == 200 and len(g) > 0
    except Exception as e:  # a parse failure is the finding
        g, ok = Graph(), False
        results.append(("sd:returns-rdf", "FAIL", str(e)))
    if ok:
        results.append(("sd:returns-rdf", "PASS", ""))
    endpoint = URIRef(server.url + "/sparql")
    results.append(("sd:has-endpoint-triple", "PASS" if (None, SD.endpoint, endpoint) in g else "FAIL", ""))
    service = g.value(predicate=SD.endpoint, object=endpoint)
    schema_ok = service is not None and (service, SD.supportedLanguage, SD.SPARQL11Query) in g and \
        all(isinstance(f, URIRef) for f in g.objects(service, SD.resultFormat)) and \
        (service, None, SD.Service) in g
    results.append(("sd:conforms-to-schema", "PASS" if schema_ok else "FAIL", ""))
    return results


def query_suite(server: Server) -> int:
    cmd = [sys.executable, str(SPARQL11 / "run_query_tests.py"), "--endpoint", server.url + "/sparql",
           "--load-url", server.url + "/_test/load", "--compare", "term",
           "--known-failures", str(SPARQL11 / "known-failures" / "pyoxigraph-0.5.13_term.txt")]
    return subprocess.run(cmd, cwd=SPARQL11).returncode


def dcat(server: Server) -> int | None:
    script = SHARED / "external" / "dcat-ap" / "validate_dcat.py"
    r = requests.get(server.url + "/catalog", headers={"Accept": "text/turtle"})
    if r.status_code == 404:
        print("DCAT-AP: the server publishes no /catalog yet")
        return None
    with tempfile.NamedTemporaryFile("wb", suffix=".ttl", delete=False) as f:
        f.write(r.content)
    return subprocess.run([sys.executable, str(script), f.name], cwd=script.parent).returncode


def main() -> int:
    if not SPARQL11.is_dir():
        print(f"no W3C test material at {SPARQL11} (set KG_SHARED_DIR)", file=sys.stderr)
        return 2
    out = Path(tempfile.mkdtemp()) / "dist"
    subprocess.run([str(BIN / "kgbuild"), "build", str(ROOT / "data" / "articles"), "--out", str(out)], check=True)
    server = Server(out, env={"KG_TEST_LOAD": "1", "KG_QUERY_TIMEOUT": "30"})
    try:
        results = protocol(server)
        print("\nW3C SPARQL 1.1 protocol tests (read-only endpoint) and service description")
        for tid, verdict, why in results:
            print(f"  {verdict:5s} {tid}  {why}")
        passed = sum(1 for _, v, _ in results if v == "PASS")
        failed = sum(1 for _, v, _ in results if v == "FAIL")
        na = sum(1 for _, v, _ in results if v == "n/a")
        print(f"protocol: {passed} passed, {failed} failed, {na} not applicable (updates)\n")
        dcat_rc = dcat(server)
        print("\nW3C SPARQL 1.1 query-evaluation suite over HTTP")
        suite_rc = query_suite(server)
    finally:
        server.stop()
    ok = failed == 0 and suite_rc == 0 and dcat_rc in (None, 0)
    print(f"\nconformance: protocol {'ok' if failed == 0 else 'FAILED'}, query suite "
          f"{'ok' if suite_rc == 0 else 'FAILED'}, DCAT-AP {'n/a' if dcat_rc is None else 'ok' if dcat_rc == 0 else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

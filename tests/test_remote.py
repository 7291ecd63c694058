"""Remote-store mode against a real triple store (make integration starts Virtuoso): `kgbuild
publish --to` writes one named graph per article with replace semantics and only what changed;
`kgserve --store` answers from it. Skipped unless KG_TEST_STORE_GSP/KG_TEST_STORE_SPARQL are set."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import requests

from conftest import BIN, REMOTE_GSP, REMOTE_SPARQL, ROOT, SEED, Server, run_cli

pytestmark = pytest.mark.skipif(not (REMOTE_GSP and REMOTE_SPARQL), reason="needs a remote store (make integration)")
BASE = "http://remote-test.example/"


def remote_graphs() -> dict[str, int]:
    q = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
         f"FILTER(STRSTARTS(STR(?g), '{BASE}graph/article/')) }} GROUP BY ?g")
    r = requests.post(REMOTE_SPARQL, data={"query": q}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def test_publish_replaces_only_what_changed(tmp_path):
    src = tmp_path / "src"
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(src), "--count", "3", "--seed", "5"],
                   check=True, capture_output=True)
    shutil.copy(SEED, src)
    out = tmp_path / "dist"
    assert run_cli("kgbuild", "build", str(src), "--out", str(out), "--base", BASE).returncode == 0
    r = run_cli("kgbuild", "publish", str(out), "--to", REMOTE_GSP, "--force")
    assert r.returncode == 0 and "7 graph(s) written" in r.stdout, r.stdout + r.stderr   # 4 articles, shared, links, ontology
    m = json.loads((out / "manifest.json").read_text())
    seed = next(a for a in m["articles"] if a["key"] == "quanzhou-2022")
    first = remote_graphs()
    assert first == {a["graph"]: a["triples"] for a in m["articles"]}
    r = run_cli("kgbuild", "publish", str(out), "--to", REMOTE_GSP)
    assert "0 graph(s) written, 7 unchanged, 0 deleted" in r.stdout, r.stdout
    # change one article, remove another: one PUT, one DELETE, the rest untouched
    changed = src / "synthetic-00001.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("今年，我市将", "今年，我市将新增停车位900个，", 1),
                       encoding="utf-8")
    (src / "synthetic-00002.md").unlink()
    assert run_cli("kgbuild", "build", str(src), "--out", str(out), "--base", BASE).returncode == 0
    r = run_cli("kgbuild", "publish", str(out), "--to", REMOTE_GSP)
    # the changed article's graph, the links graph (its new target is not yet reported), and the
    # shared graph when its places or indicators changed
    written, unchanged, deleted = map(int, re.findall(r"(\d+) graph\(s\) written, (\d+) unchanged, (\d+) deleted",
                                                      r.stdout)[0])
    assert written in (2, 3) and written + unchanged == 6 and deleted == 1, r.stdout + r.stderr
    after = remote_graphs()
    assert set(after) == set(first) - {f"{BASE}graph/article/synthetic-00002"}
    assert after[f"{BASE}graph/article/synthetic-00001"] > first[f"{BASE}graph/article/synthetic-00001"]
    assert after[seed["graph"]] == first[seed["graph"]]


def test_publish_without_credentials_is_refused_with_a_clear_error(built):
    env = {k: "" for k in ("KG_STORE_USER", "KG_STORE_PASSWORD", "KG_STORE_TOKEN")}
    r = run_cli("kgbuild", "publish", str(built), "--to", REMOTE_GSP, env=env)
    assert r.returncode == 4 and REMOTE_GSP in r.stderr and "401" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("kgbuild", "publish", str(built), "--to", "http://127.0.0.1:9/nothing-here")
    assert r.returncode == 4 and "cannot reach" in r.stderr


def test_kgserve_store_answers_from_the_remote_store(built):
    assert os.environ.get("KG_TEST_STORE_SPARQL")
    s = Server(built)                     # conftest passes --store in remote mode
    try:
        q = ("SELECT ?g WHERE { GRAPH ?g { <http://127.0.0.1:5000/id/article/quanzhou-2022> a "
             "<https://w3id.org/ptkg/ns#Article> } }")
        r = requests.get(s.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200
        assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == \
            ["http://127.0.0.1:5000/graph/article/quanzhou-2022"]
        log = open(s.log.name, encoding="utf-8").read()
        assert "answered by " + REMOTE_SPARQL in log
    finally:
        s.stop()

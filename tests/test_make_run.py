"""`make run PORT=N` in a scratch copy of the project builds the dataset for the URL it serves:
every IRI in /catalog, VoID and SPARQL results is on port N (issue 15, point 1)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time

import pytest
import requests

from conftest import ROOT, free_port

pytestmark = pytest.mark.e2e


def scratch_copy(dest) -> None:
    """The working tree as a fresh clone would have it (tracked and new files, nothing ignored);
    the virtualenv and the YASGUI files, which `make` would install, are shared with this one."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    stamp = ROOT / ".venv" / ".stamp-install"
    t = stamp.stat().st_mtime - 60
    os.utime(dest / "pyproject.toml", (t, t))     # installed already: make must not reinstall from here
    yasgui = ROOT / "server" / "static" / "yasgui"
    if yasgui.is_dir():
        shutil.copytree(yasgui, dest / "server" / "static" / "yasgui")


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / ".stamp-install").exists(),
                    reason="needs make and the project's .venv (make test makes it)")
def test_make_run_on_another_port_publishes_iris_of_that_port(tmp_path):
    clone = tmp_path / "clone"
    scratch_copy(clone)
    port = free_port()
    log = open(tmp_path / "make.log", "w+")
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "make.log").read_text()
            try:
                requests.get(url + "/manifest.json", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail("make run did not serve within 240 s:\n" + (tmp_path / "make.log").read_text())
        assert requests.get(url + "/manifest.json", timeout=10).json()["base"] == url + "/"
        bodies = {
            "catalog": requests.get(url + "/catalog", headers={"Accept": "text/turtle"}, timeout=10).text,
            "void": requests.get(url + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=10).text,
            "sparql": requests.get(url + "/sparql", params={"query": "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 300"},
                                   headers={"Accept": "application/sparql-results+json"}, timeout=10).text,
        }
        for name, body in bodies.items():
            local = set(re.findall(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?/", body))
            assert local == {url + "/"}, f"{name}: {sorted(local)}"
        log.seek(0)
        assert "warning: the dataset was built for" not in log.read()
        walk_the_readme(url)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def walk_the_readme(url: str) -> None:
    """The newcomer's path as the README gives it, on what `make run` serves: every page path it
    names in backticks (placeholders such as PLACE or … left out), and the "Try it" query, which
    must return rows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = sorted({p for p in re.findall(r"`(/[a-z][^`\s]*)`", readme)
                    if not re.search(r"[…*<>]|[A-Z]{2,}", p) and "sparql-graph-crud" not in p})
    assert {"/tracker", "/indicator/gdp-growth", "/scorecard", "/indicators", "/downloads"} <= set(paths), paths
    broken = [(p, r.status_code) for p in paths
              if (r := requests.get(url + p.replace("?q=", "?q=泉州"), timeout=20)).status_code >= 400]
    assert broken == [], broken
    try_it = readme[readme.index("## Try it"):]
    query = try_it[try_it.index("```sparql") + len("```sparql"):]
    query = query[:query.index("```")]
    rows = requests.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                        timeout=20).json()["results"]["bindings"]
    assert rows and all(r.get("sentence") for r in rows)

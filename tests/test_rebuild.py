"""A rebuild under a running server, and the build's faults (issue 14, rows 6 and 10).

The server serves exactly one dataset version at a time and switches when dist/ points at a new
build: every response during and after a rebuild belongs to one version, the old version's
files are not held open, and the build itself turns a full disk, a read-only folder or a second
build into a one-line error with its own exit code, leaving what was published unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import BIN, Server, local_store_only, run_cli

pytestmark = pytest.mark.e2e

ARTICLE = """---
title: "某县{year}年工作安排"
date: {year}-02-10 09:00:00 +0800
---
<p>今年全县新增高新技术企业{n}家，研发经费投入增长{p}%以上。</p>
"""


def write_corpus(folder: Path, articles: int) -> Path:
    """ARTICLES made-up articles, each with its own figures."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(articles):
        (folder / f"county-{2020 + i}.md").write_text(ARTICLE.format(year=2020 + i, n=30 + i, p=10 + i), encoding="utf-8")
    return folder


def build(src: Path, out: Path, **kw) -> subprocess.CompletedProcess:
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--no-cache", **kw)
    return r


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def open_files(pid: int) -> list[str]:
    """The files the process PID and its children hold open."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                    text=True).stdout.split()]
    found = []
    for p in pids:
        fd = Path(f"/proc/{p}/fd")
        for f in fd.iterdir() if fd.is_dir() else ():
            try:
                found.append(os.readlink(f))
            except OSError:
                pass
    return found


@local_store_only
def test_a_rebuild_switches_the_running_server_atomically(tmp_path):
    src, out = tmp_path / "src", tmp_path / "dist"
    assert build(write_corpus(src, 1), out).returncode == 0
    first = manifest(out)
    server = Server(out, {"KG_RELOAD_INTERVAL": "0.2"})
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        def triples() -> int:
            r = requests.get(server.url + "/sparql", params={"query": count},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10)
            return int(r.json()["results"]["bindings"][0]["n"]["value"])
        before = triples()
        page = requests.get(server.url + "/", timeout=10).text
        assert first["dataset_version"] in page
        seen: list[tuple[str, str]] = []            # (ETag of dataset.ttl, sha256 of its body) during the rebuild
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                r = requests.get(server.url + "/dataset.ttl", timeout=10)
                seen.append((r.headers["ETag"].strip('"').split(':')[0], hashlib.sha256(r.content).hexdigest()))
        t = threading.Thread(target=hammer)
        t.start()
        try:
            assert build(write_corpus(src, 3), out).returncode == 0
            second = manifest(out)
            deadline = time.monotonic() + 10
            while requests.get(server.url + "/manifest.json", timeout=10).json()["dataset_version"] \
                    != second["dataset_version"] and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
        finally:
            stop.set()
            t.join()
        shas = {m["dataset_version"]: next(f["sha256"] for f in m["files"] if f["name"] == "dataset.ttl")
                for m in (first, second)}
        # every response is one version's file with that version's ETag, never a mix
        assert seen and all(sha.startswith(etag) and sha in shas.values() for etag, sha in seen), seen[:5]
        assert {sha for _, sha in seen} == set(shas.values())          # the old one before, the new one after
        after = [triples() for _ in range(12)]                          # every worker answers from the new store
        assert len(set(after)) == 1 and after[0] > before, (before, after)
        page = requests.get(server.url + "/", timeout=10).text
        assert second["dataset_version"] in page and first["dataset_version"] not in page
        r = requests.get(server.url + "/dataset.ttl", timeout=10)
        assert r.content == (out / "dataset.ttl").read_bytes()
        assert r.headers["ETag"].strip('"').split(':')[0] == shas[second["dataset_version"]][:32]
        csv = requests.get(server.url + "/targets.csv", timeout=10).text
        assert "2022" in csv                                            # the third article's year

        # a third build removes the first version's folder: the server holds none of its files open
        first_dir = os.path.realpath(out)
        assert build(write_corpus(src, 2), out).returncode == 0
        deadline = time.monotonic() + 10
        while requests.get(server.url + "/manifest.json", timeout=10).json()["dataset_version"] \
                == second["dataset_version"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert build(write_corpus(src, 1), out).returncode == 0         # second's folder goes too
        deadline = time.monotonic() + 10
        while (held := [f for f in open_files(server.proc.pid) if f.startswith(first_dir)]) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not held, held
        assert not [f for f in open_files(server.proc.pid) if f.endswith("(deleted)") and "/store/" in f]
    finally:
        server.stop()


def test_a_second_build_to_the_same_folder_fails_at_once(tmp_path):
    src, out = write_corpus(tmp_path / "src", 1), tmp_path / "dist"
    holder = subprocess.Popen([str(BIN / "python"), "-c", (
        "import sys, time; from pathlib import Path; from kgbuild.publish import locked\n"
        f"with locked(Path({str(out)!r})):\n    print('locked', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = build(src, out)
        assert r.returncode == 6, r.stderr
        assert r.stderr.strip().count("\n") == 0 and f"pid {holder.pid}" in r.stderr and "Traceback" not in r.stderr
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    assert build(src, out).returncode == 0                              # the lock ends with its holder


@pytest.mark.skipif(os.geteuid() != 0 and shutil.which("chattr") is None, reason="needs chmod as a user or chattr as root")
def test_a_read_only_output_folder_is_a_one_line_error(tmp_path):
    src, parent = write_corpus(tmp_path / "src", 1), tmp_path / "pub"
    out = parent / "dist"
    assert build(src, out).returncode == 0
    before = manifest(out)
    lock = ["chattr", "+i", str(parent)] if os.geteuid() == 0 else ["chmod", "a-w", str(parent)]
    subprocess.run(lock, check=True)
    try:
        r = build(write_corpus(src, 2), out)
    finally:
        subprocess.run(["chattr", "-i", str(parent)] if os.geteuid() == 0 else ["chmod", "u+w", str(parent)], check=True)
    assert r.returncode == 5, r.stdout + r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert "unchanged" in r.stderr
    assert manifest(out) == before


def test_a_read_only_cache_is_a_warning_and_the_build_goes_on(tmp_path):
    src, out, cache = write_corpus(tmp_path / "src", 2), tmp_path / "dist", tmp_path / "cache"
    cache.mkdir()
    (cache / "blocked").write_text("x")
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--cache", str(cache / "blocked" / "c"))
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "cannot write the cache" in r.stderr and "Traceback" not in r.stderr
    assert manifest(out)["targets"] >= 2


@pytest.mark.skipif(subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0,
                    reason="needs user namespaces (unshare -rm) to mount a small tmpfs")
def test_a_full_disk_is_a_one_line_error_and_leaves_the_published_dataset(tmp_path):
    src = write_corpus(tmp_path / "src", 1)
    disk = tmp_path / "disk"
    disk.mkdir()
    big = write_corpus(tmp_path / "big", 6)
    script = f"""
set -e
mount -t tmpfs -o size=24m tmpfs {disk}
{BIN}/kgbuild build {src} --out {disk}/dist --no-cache >/dev/null 2>&1
sha256sum {disk}/dist/manifest.json > {tmp_path}/before
dd if=/dev/zero of={disk}/fill bs=64k 2>/dev/null || true
rm -f {disk}/fill.small; dd if=/dev/zero of={disk}/fill.small bs=64k count=1 2>/dev/null || true
rm -f {disk}/fill.small
set +e
{BIN}/kgbuild build {big} --out {disk}/dist --no-cache > {tmp_path}/stdout 2> {tmp_path}/stderr
echo $? > {tmp_path}/rc
sha256sum {disk}/dist/manifest.json > {tmp_path}/after
ls -a {disk} > {tmp_path}/left
"""
    subprocess.run(["unshare", "-rm", "sh", "-c", script], check=True, timeout=300,
                   env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    err = (tmp_path / "stderr").read_text()
    assert (tmp_path / "rc").read_text().strip() == "5", err
    assert err.startswith("error: ") and err.strip().count("\n") == 0 and "No space left" in err, err
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert not [n for n in (tmp_path / "left").read_text().split() if ".tmp-" in n]

"""kgserve --processes N: N serving processes sharing the port (SO_REUSEPORT), each with its own
query workers; the version switch reaches every one, a dead one is replaced, SIGTERM ends them all."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import SEED, Server, local_store_only, run_cli

pytestmark = [pytest.mark.e2e, local_store_only]
COUNT = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/ptkg/ns#Target> }"
MADE_UP = ("---\ntitle: 某市今年工作安排\ndate: 2023-01-05 10:00:00 +0800\n---\n\n"
           "全年新增高新技术企业500家，研发经费投入增长20%以上。\n")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _count(url: str) -> int:
    with requests.Session() as s:              # a new connection each time: the kernel picks a process
        r = s.post(url + "/sparql", data={"query": COUNT + f" # {time.monotonic()}"},
                   headers={"Accept": "application/sparql-results+json", "Connection": "close"}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture()
def corpus(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src)
    out = tmp_path / "dist"
    assert run_cli("kgbuild", "build", str(src), "--out", str(out)).returncode == 0
    return src, out


def test_two_processes_each_with_its_workers_answer_and_switch_versions_together(corpus):
    src, out = corpus
    s = Server(out, env={"KG_PROCESSES": "2", "KG_QUERY_WORKERS": "2"})
    try:
        kids = _children(s.proc.pid)
        assert len(kids) == 2
        # its own query workers (user queries and the pages'), started once it listens: the port may
        # answer from one process while the other is still starting
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not all(len(_children(k)) >= 3 for k in kids):
            time.sleep(0.1)
        for k in kids:
            assert len(_children(k)) >= 3
        with ThreadPoolExecutor(4) as ex:                # KG_CLIENT_QUERIES (4) per process at most
            counts = list(ex.map(lambda _: _count(s.url), range(24)))
        assert set(counts) == {34}
        # a new build: every process answers from it within a few reload intervals
        (src / "madeup.md").write_text(MADE_UP, encoding="utf-8")
        assert run_cli("kgbuild", "build", str(src), "--out", str(out)).returncode == 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and {_count(s.url) for _ in range(12)} != {36}:
            time.sleep(0.5)
        assert {_count(s.url) for _ in range(24)} == {36}
        # a serving process that dies is replaced, and the port keeps answering meanwhile
        subprocess.run(["kill", "-9", str(kids[0])], check=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (len(_children(s.proc.pid)) != 2 or kids[0] in _children(s.proc.pid)):
            time.sleep(0.2)
        assert len(_children(s.proc.pid)) == 2 and kids[0] not in _children(s.proc.pid)
        assert {_count(s.url) for _ in range(8)} == {36}
        everyone = _children(s.proc.pid)
        everyone += [w for k in everyone for w in _children(k)]
    finally:
        s.stop()
    # SIGTERM to the master ends every serving process and its workers
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in everyone):
        time.sleep(0.2)
    assert not [p for p in everyone if _alive(p)]
    assert s.proc.returncode == 0


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_that_cannot_start_exits_2_with_every_process(tmp_path):
    r = run_cli("kgserve", "--data", str(tmp_path / "missing"), "--processes", "2")
    assert r.returncode == 2 and "no manifest.json" in r.stderr

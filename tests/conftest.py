"""Shared fixtures: paths (overridable by environment), a built dataset, a real kgserve process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "quanzhou-2022.md"
SHARED = Path(os.environ.get("KG_SHARED_DIR", ROOT.parent / "shared"))
GOLD_DIR = Path(os.environ.get("KG_GOLD_DIR", SHARED / "gold"))
BIN = Path(sys.executable).parent
# remote-store mode (make integration): publish the built dataset to this Graph Store Protocol
# endpoint and start every server with --store pointing at this SPARQL endpoint
REMOTE_GSP = os.environ.get("KG_TEST_STORE_GSP")
REMOTE_SPARQL = os.environ.get("KG_TEST_STORE_SPARQL")
local_store_only = pytest.mark.skipif(bool(REMOTE_SPARQL), reason="needs the embedded store (not remote-store mode)")


def gold_dir() -> Path:
    if not GOLD_DIR.is_dir():
        if "KG_GOLD_DIR" in os.environ:
            pytest.fail(f"KG_GOLD_DIR={GOLD_DIR} is not a folder")
        pytest.skip(f"no gold annotations at {GOLD_DIR} (set KG_GOLD_DIR)")
    return GOLD_DIR


def national_dir() -> Path:
    d = Path(os.environ.get("KG_NATIONAL_DIR", SHARED / "corpus" / "national"))
    if not (d / "promises.json").is_file():
        if "KG_NATIONAL_DIR" in os.environ:
            pytest.fail(f"KG_NATIONAL_DIR={d} has no promises.json")
        pytest.skip(f"no national reports at {d} (set KG_NATIONAL_DIR or KG_SHARED_DIR)")
    return d


def extract_text(tmp_path: Path, *paragraphs: str, title: str = "某市今年工作安排",
                 date: str = "2023-02-10 09:00:00 +0800"):
    """A made-up article of these paragraphs, through load → parse → extract."""
    from kgbuild.extract import extract
    from kgbuild.extract.lexicon import load as load_lexicon
    from kgbuild.read.load import load_file
    from kgbuild.read.parse import parse
    p = tmp_path / "t.md"
    body = "\n".join(f"<p>{x}</p>" for x in paragraphs)
    p.write_text(f"---\ntitle: \"{title}\"\ndate: {date}\n---\n{body}\n", encoding="utf-8")
    return extract(parse(load_file(p)), load_lexicon())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          cwd=cwd or ROOT, timeout=300)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "dist"
    r = run_cli("kgbuild", "build", str(SEED), "--out", str(out))
    assert r.returncode == 0, r.stderr
    if REMOTE_GSP:
        r = run_cli("kgbuild", "publish", str(out), "--to", REMOTE_GSP, "--force")
        assert r.returncode == 0, r.stderr
    return out


class Server:
    def __init__(self, data: Path, env: dict | None = None, local: bool = False):
        """local: serve data's own store even in remote-store mode (a corpus the remote store does not hold)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # the server's log goes to a file: an unread pipe would fill up and block the server
        self.log = tempfile.NamedTemporaryFile("w+", prefix="kgserve-", suffix=".log", delete=False)
        store = ["--store", REMOTE_SPARQL] if REMOTE_SPARQL and not local else []
        self.proc = subprocess.Popen([str(BIN / "kgserve"), "--data", str(data), "--port", str(self.port), *store],
                                     stdout=self.log, stderr=subprocess.STDOUT, text=True,
                                     env={"KG_PROCESSES": "1", **os.environ, **(env or {})})   # one process unless asked
        self.started = time.monotonic()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kgserve exited: {Path(self.log.name).read_text()}")
            try:
                requests.get(self.url + "/manifest.json", timeout=1)
                self.ready_after = time.monotonic() - self.started
                return
            except (requests.ConnectionError, requests.Timeout):      # not listening yet, or a busy machine
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("kgserve did not start within 60 s")

    def log_tail(self, lines: int = 60) -> str:
        """The last lines the server wrote (its log file outlives the process)."""
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test that talked to a server gets the end of that server's log in its report
    (the server's side of a timeout or a 500 is otherwise lost with the CI machine)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, Server):
                report.sections.append((f"kgserve log ({name}, {value.url})", value.log_tail()))


@pytest.fixture(scope="session")
def server(built):
    s = Server(built)
    yield s
    s.stop()

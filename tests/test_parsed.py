"""What the build reads off the canned queries' rdflib algebra (whether their aggregates depend on
the order of solutions, their triple patterns) is kept in the temporary folder by the build that
made it (publish.parsed), so that a rebuild does not import rdflib's SPARQL parser (0.85 s of CPU
for one changed article, issue 25), and is what rdflib's algebra gives."""

from __future__ import annotations

import os
import subprocess
import tempfile

import pytest

from conftest import BIN
from test_pinyin import _build
from test_rebuild import write_corpus

from kgbuild import paths, sealed
from kgbuild.publish import canned, order, parsed

TEXTS = {q.stem: q.read_text(encoding="utf-8") for q in sorted(paths.queries_dir().glob("*.rq"))}


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(parsed, "_known", None)
    return tmp_path


def _kept(tmp) -> dict:
    files = list(tmp.glob("kgbuild-parsed-*.state"))
    assert len(files) == 1, files
    value = sealed.read(files[0], parsed.MAGIC)
    assert isinstance(value, dict)
    return value


def test_the_kept_answers_are_those_of_the_algebra(own_temp, monkeypatch):
    made = {n: (order.concatenated_in_order.__wrapped__(t), canned._patterns.__wrapped__(t)) for n, t in TEXTS.items()}
    assert made == {n: (order._concatenated_in_order(t), canned._read_patterns(t)) for n, t in TEXTS.items()}
    assert not made["review"][0] or made["targets"][1]                  # real answers, not all alike
    kept = _kept(own_temp)
    assert kept == {f"{kind}\0{t}": made[n][i] for n, t in TEXTS.items() for i, kind in enumerate(("order", "patterns"))}
    monkeypatch.setattr(parsed, "_known", None)                          # another process: read from the file
    assert {n: (order.concatenated_in_order.__wrapped__(t), canned._patterns.__wrapped__(t))
            for n, t in TEXTS.items()} == made


def test_a_damaged_or_ill_typed_file_is_made_again(own_temp, monkeypatch):
    text = TEXTS["targets"]
    answer = canned._patterns.__wrapped__(text)
    path = parsed.path()
    path.write_bytes(path.read_bytes()[:-5])                             # damaged: its checksum fails
    monkeypatch.setattr(parsed, "_known", None)
    assert canned._patterns.__wrapped__(text) == answer
    assert _kept(own_temp) == {f"patterns\0{text}": answer}              # written whole again
    sealed.write(path, parsed.MAGIC, {f"patterns\0{text}": "everything", f"order\0{text}": 1})
    monkeypatch.setattr(parsed, "_known", None)
    assert canned._patterns.__wrapped__(text) == answer                  # not a tuple: made again
    assert order.concatenated_in_order.__wrapped__(text) is order._concatenated_in_order(text)


def test_a_rebuild_does_not_parse_a_query(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    src, out = write_corpus(tmp_path / "articles", 4), tmp_path / "dist"
    assert "rdflib" in _build(src, out, tmp)
    first = sorted(src.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    cmd = [str(BIN / "python"), "-X", "importtime", str(BIN / "kgbuild"), "build", str(src), "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)}, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "built" in r.stdout + r.stderr
    assert "rdflib.plugins.sparql.parser" not in r.stderr               # no query parsed: all read from the kept file
    assert list(tmp.glob("kgbuild-parsed-*.state"))

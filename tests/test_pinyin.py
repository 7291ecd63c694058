"""The names' pinyin (the IRIs' slugs, the places' English labels) is kept in the temporary folder
by the build that made it, its pool workers included, so that a rebuild whose changed article
names nothing new does not import pypinyin (0.3 s of CPU, issue 25), and is what pypinyin gives."""

from __future__ import annotations

import os
import subprocess

from pypinyin import lazy_pinyin

from conftest import BIN
from test_rebuild import write_corpus

from kgbuild import sealed
from kgbuild.extract import pinyin


def _kept(tmp) -> dict[str, str]:
    files = list(tmp.glob("kgbuild-words-pinyin-*.state"))
    assert len(files) == 1, files
    value = sealed.read(files[0], pinyin.MAGIC)
    assert isinstance(value, dict)
    return value


def _build(src, out, tmp, *extra):
    cmd = [str(BIN / "python"), "-X", "importtime", str(BIN / "kgbuild"), "build", str(src), "--out", str(out), *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)}, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in r.stderr.splitlines() if line.startswith("import time:")}


def test_a_rebuild_reads_the_pinyin_its_first_build_kept(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    src, out = write_corpus(tmp_path / "articles", 6), tmp_path / "dist"
    assert "pypinyin" in _build(src, out, tmp, "--jobs", "2")          # made by the pool's workers
    kept = _kept(tmp)
    assert kept and kept == {text: "".join(lazy_pinyin(text)) for text in kept}

    first = sorted(src.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    before = (out / "dataset.nt").read_bytes()
    assert "pypinyin" not in _build(src, out, tmp)                      # the one changed article: all read
    assert (out / "dataset.nt").read_bytes() != before                  # it was built again

    (tmp / next(tmp.glob("kgbuild-words-pinyin-*.state")).name).write_bytes(b"damaged")
    first.write_text(first.read_text(encoding="utf-8").replace("；", "！", 1), encoding="utf-8")
    assert "pypinyin" in _build(src, out, tmp)                          # a damaged file: made again
    remade = _kept(tmp)
    assert remade and remade.items() <= kept.items()                  # the changed article's names, made again
    assert not any(text.isascii() for text in kept)                    # ASCII is its own pinyin: not kept

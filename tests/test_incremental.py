"""Incremental publishing: a rebuild with nothing changed keeps the published version and says so;
a rebuild after articles were changed, added and removed updates a copy of the previous version's
query store and gives exactly what a full build of the final corpus gives: every dump and file
byte-identical, the same manifest, the same quads in the store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import BIN, ROOT, SEED, national_dir, run_cli
from kgbuild import paths
from kgbuild.pipeline import DEFAULT_BASE, article
from kgbuild.publish import memory

ENV = {"SOURCE_DATE_EPOCH": "1700000000"}
REPORT = ROOT / "tests" / "data" / "made-up-report.md"


@pytest.fixture(scope="module")
def pool(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("pool")
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(d), "--count", "10", "--seed", "5"],
                   check=True, capture_output=True)
    return d


def build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "-j", "1", *extra, env=ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def files(out: Path) -> dict[str, bytes]:
    """Every file of a published version but the query store (a RocksDB folder, not a dump)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "store" not in p.relative_to(out).parts}


def quads(out: Path) -> set:
    return set(ox.Store.read_only(str(out / "store")))


def inodes(folder: Path) -> set[int]:
    return {p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_incremental_builds_equal_a_full_build(pool, tmp_path):
    src, out, cache = tmp_path / "src", tmp_path / "dist", tmp_path / "cache"
    src.mkdir()
    for f in sorted(pool.glob("*.md"))[:8]:
        shutil.copy(f, src)
    shutil.copy(SEED, src)
    shutil.copy(REPORT, src)
    r = build(src, out, "--cache", str(cache))
    assert "built" in r.stdout
    first = os.readlink(out)

    # nothing changed: the published version stays, and the command says so
    r = build(src, out, "--cache", str(cache))
    assert "nothing changed" in r.stdout and first in r.stdout, r.stdout
    assert os.readlink(out) == first

    # one changed, two added, one removed
    changed = src / "synthetic-00002.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("今年，我市将", "今年，我市将新增停车位900个，", 1),
                       encoding="utf-8")
    for f in sorted(pool.glob("*.md"))[8:]:
        shutil.copy(f, src)
    (src / "synthetic-00004.md").unlink()
    build(src, out, "--cache", str(cache))
    second = os.readlink(out)
    assert second != first
    # the store is the previous version's, updated: its files are hard links to the previous ones
    assert inodes(out.parent / second / "store") & inodes(out.parent / first / "store")

    # the seed's report removed, the removed article back, the new one changed again
    (src / REPORT.name).unlink()
    shutil.copy(pool / "synthetic-00004.md", src)
    changed.write_text(changed.read_text(encoding="utf-8").replace("新增停车位900个，", "新增停车位950个，", 1),
                       encoding="utf-8")
    build(src, out, "--cache", str(cache))

    full = tmp_path / "full"
    r = build(src, full, "--full", "--cache", str(tmp_path / "full-cache"))
    assert "built" in r.stdout and "(0 unchanged" in r.stdout
    incremental, clean = files(out), files(full)
    assert sorted(incremental) == sorted(clean)
    assert [n for n in clean if incremental[n] != clean[n]] == []
    assert b"950" in clean["dataset.nt"] and b"made-up-report" not in clean["dataset.nq"]
    assert quads(out) == quads(full)
    assert not inodes(full.resolve() / "store") & inodes(out.resolve() / "store")


def test_a_failed_build_after_an_unchanged_one_leaves_the_version(pool, tmp_path):
    """Bad input never touches what is published: an article that breaks the build under --strict
    leaves the version as it was, and the next good build is still checked against it."""
    src, out = tmp_path / "src", tmp_path / "dist"
    src.mkdir()
    shutil.copy(SEED, src)
    build(src, out)
    first = os.readlink(out)
    (src / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    r = run_cli("kgbuild", "build", str(src), "--out", str(out), "--strict", env=ENV)
    assert r.returncode == 2 and os.readlink(out) == first
    (src / "broken.md").unlink()
    r = build(src, out)
    assert "nothing changed" in r.stdout and os.readlink(out) == first


def test_target_records_from_the_canned_answers_are_the_stores(tmp_path):
    """targets.csv is made from the answers of queries/targets.rq and outcomes.rq evaluated at
    build time, not from the store a second time: the same records."""
    from kgbuild.publish.store import open_store
    from kgbuild.report.targets import records
    src, out = tmp_path / "src", tmp_path / "dist"
    src.mkdir()
    for year in (2017, 2018, 2019):                 # each reports on the year before's targets
        shutil.copy(national_dir() / f"china-{year}.md", src)
    build(src, out)
    st = open_store(out)
    from_store = records(st)
    assert len(from_store) > 10 and any(r["outcomes"] for r in from_store)
    assert records(st, out / "queries") == from_store


def test_a_damaged_published_store_is_built_afresh(pool, tmp_path):
    """The previous version's store cannot be read (its RocksDB CURRENT file emptied): the next
    build warns and builds the store from scratch instead of failing, with the same quads."""
    src, out = tmp_path / "src", tmp_path / "dist"
    src.mkdir()
    shutil.copy(SEED, src)
    shutil.copy(pool / "synthetic-00001.md", src)
    build(src, out)
    (out.resolve() / "store" / "CURRENT").write_bytes(b"")
    shutil.copy(pool / "synthetic-00002.md", src)
    r = build(src, out)
    assert "building it afresh" in r.stderr, r.stderr
    full = tmp_path / "full"
    build(src, full, "--full")
    assert quads(out) == quads(full) and len(quads(out)) > 1000


def test_canned_answers_no_change_reaches_are_kept_and_equal_a_full_build(pool, tmp_path):
    """An edit that changes an article's text but none of its statements (a full stop made a
    semicolon) changes two triples (the text and its checksum), which no canned query reads: every
    answer is the previous version's file (a hard link). An edit of a target's number then changes
    what the queries reading values read, and only those run again. Each version equals a full
    build's, byte for byte."""
    src, out, cache = tmp_path / "src", tmp_path / "dist", tmp_path / "cache"
    src.mkdir()
    for f in sorted(pool.glob("*.md"))[:4]:
        shutil.copy(f, src)
    shutil.copy(REPORT, src)
    build(src, out, "--cache", str(cache))
    edited = src / "synthetic-00001.md"
    every = sorted(p.stem + ".json" for p in paths.queries_dir().glob("*.rq"))

    def rebuilt(edit) -> list[str]:
        """The answers the rebuild after EDIT (article text → text) kept, checked against a full
        build; and whether the rebuild preloads the previous default graph (publish.memory.
        worth_loading): never now: publish.delta updates the answers a change reaches row by
        row on the updated store, and the one query no plan covers (target-provenance.rq) runs
        on the store."""
        first = out.resolve()
        edited.write_text(edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
        loads = memory.worth_loading(first, json.loads((first / "manifest.json").read_text(encoding="utf-8")),
                                     [article(f) for f in sorted(src.glob("*.md"))], DEFAULT_BASE)
        build(src, out, "--cache", str(cache))
        second = out.resolve()
        assert second != first
        full = tmp_path / f"full-{second.name}"
        build(src, full, "--full", "--cache", str(tmp_path / "full-cache"))
        incremental, clean = files(out), files(full)
        assert sorted(incremental) == sorted(clean)
        assert [n for n in clean if incremental[n] != clean[n]] == []
        assert quads(out) == quads(full)
        kept = [a.name for a in sorted((second / "queries").glob("*.json"))
                if a.stat().st_ino == (first / "queries" / a.name).stat().st_ino]
        assert not loads, kept
        # the target records, targets.csv and review.json come from those answers alone: the
        # previous version's files exactly when their answers were kept (publish.records.same)
        linked = {n for n in ("targets.csv", "review.json")
                  if (second / n).stat().st_ino == (first / n).stat().st_ino}
        assert ("targets.csv" in linked) == ({"targets.json", "outcomes.json"} <= set(kept)), (linked, kept)
        assert ("review.json" in linked) == ("review.json" in kept), (linked, kept)
        return kept

    assert rebuilt(lambda text: text.replace("。", "；", 1)) == every

    def bump(text: str) -> str:          # the first number the plan sentence states, one more everywhere
        n = re.search(r"今年，我市将\D*(\d+)", text)[1]
        return re.sub(rf"(?<!\d){n}(?!\d)", str(int(n) + 1), text)
    kept = rebuilt(bump)
    assert kept and len(kept) < len(every) and "targets.json" not in kept, kept


def test_the_previous_default_graph_brought_up_to_date_in_memory_is_the_new_one(pool, tmp_path):
    """publish.memory: the previous version's union dump and the ontology, loaded in memory and
    given the changed triples as the updated store holds them, hold what loading the new union
    dump gives: the canned queries of a rebuild run on it."""
    from kgbuild import paths
    from kgbuild.publish import memory, store
    src, out, cache = tmp_path / "src", tmp_path / "dist", tmp_path / "cache"
    src.mkdir()
    for f in sorted(pool.glob("*.md"))[:4]:
        shutil.copy(f, src)
    build(src, out, "--cache", str(cache))
    first = out.resolve()
    edited = src / "synthetic-00001.md"
    edited.write_bytes(edited.read_bytes().replace("。".encode(), "；".encode(), 1))
    (src / "synthetic-00002.md").unlink()
    shutil.copy(sorted(pool.glob("*.md"))[5], src)
    build(src, out, "--cache", str(cache))
    second = out.resolve()

    def lines(folder: Path) -> set[str]:
        return set((folder / "dataset.nt").read_text(encoding="utf-8").splitlines())
    changed = {tuple(line.removesuffix(" .").split(" ", 2)) for line in lines(first) ^ lines(second)}
    folder, loading = memory.preload(first)
    copy = loading.result()
    assert folder == first and copy is not None
    before = {str(q) for q in copy}
    fresh = {str(q) for q in store.memory_store(second / "dataset.nt", sorted(paths.ontology_dir().glob("*.ttl")))}
    assert before != fresh and changed
    assert {str(q) for q in memory.catch_up(copy, changed, second / "store")} == fresh

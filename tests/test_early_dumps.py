"""A rebuild's dumps, written from the article graphs while the links are made (publish.earlydumps):
the bytes, hashes and index that one pass of publish.pieces writes, after articles were left out
too, and a build that gives up leaves no folder."""

from __future__ import annotations

import hashlib

import pytest

from kgbuild.model import ArticleBuild
from kgbuild.publish import pieces
from kgbuild.publish.earlydumps import EarlyDumps
from kgbuild.publish.serialise import dump_prefixes, split
from kgbuild.publish.version import recover

BASE = "http://data.example.org/"
P = "<https://w3id.org/ptkg/ns#p>"
LINKS, SHARED = f"{BASE}graph/links", f"{BASE}graph/shared"


def article(key: str, *lines: str) -> ArticleBuild:
    return ArticleBuild(key=key, file=f"{key}.md", sha256="0" * 64, graph=f"{BASE}graph/article/{key}",
                        ntriples="".join(sorted(f"{line} .\n" for line in lines)), report="", violations=0, warnings=0,
                        report_text="", targets=0, observations=0, places=())


def articles(value: str) -> list[ArticleBuild]:
    return [article(k, f"<{BASE}id/article/{k}> {P} \"{k}{value if k == 'c' else ''}\"@zh",
                    f"<{BASE}id/article/{k}> {P} <{BASE}id/place/beijing>",
                    f"<{BASE}id/place/beijing> {P} \"北京\"@zh") for k in "dcbae"]


def graphs_of(arts: list[ArticleBuild], links: str) -> dict[str, str]:
    own, shared = split(sorted(arts, key=lambda a: a.graph), BASE)
    return dict(own) | {LINKS: links, SHARED: shared}


def one_pass(folder, graphs, previous=None):
    folder.mkdir()
    sha = {n: hashlib.sha256(t.encode("utf-8")).hexdigest() for n, t in graphs.items()}
    written = pieces.write(folder, graphs, sha, dump_prefixes(BASE), previous)
    return written, {f: (folder / f).read_bytes() for f in [f"dataset.{x}" for x in pieces.DUMPS] + [pieces.INDEX]}


def early(tmp_path, arts, links, previous, leave_out=None):
    folder = tmp_path / "taken"
    folder.mkdir()
    dumps = EarlyDumps(arts, tmp_path / "dist", BASE, previous)
    try:
        if leave_out:                                   # check_shared left one out
            arts = [a for a in arts if a.key != leave_out]
            dumps.restart(arts)
        dumps.finish({LINKS: links, SHARED: dumps.shared})
        written = dumps.take(folder)
        with pytest.raises(RuntimeError):
            dumps.take(folder)
    finally:
        dumps.close()
    assert not dumps.folder.exists()
    return written, {f: (folder / f).read_bytes() for f in [f"dataset.{x}" for x in pieces.DUMPS] + [pieces.INDEX]}


def test_the_early_dumps_are_the_bytes_of_one_pass(tmp_path):
    links = f"<{BASE}id/target/t1> {P} <{BASE}id/article/a> .\n"
    one_pass(tmp_path / "v1", graphs_of(articles("1"), links))
    changed = articles("2")                              # one article's figure changed, the links too
    links2 = links + f"<{BASE}id/target/t2> {P} <{BASE}id/article/c> .\n"
    expected = one_pass(tmp_path / "fresh", graphs_of(changed, links2))
    got = early(tmp_path, changed, links2, tmp_path / "v1")
    assert got == expected
    assert got[0]["dataset.nt"][1] == hashlib.sha256(got[1]["dataset.nt"]).hexdigest()


def test_articles_left_out_after_the_dumps_started_are_not_in_them(tmp_path):
    links = f"<{BASE}id/target/t1> {P} <{BASE}id/article/a> .\n"
    one_pass(tmp_path / "v1", graphs_of(articles("1"), links))
    expected = one_pass(tmp_path / "fresh", graphs_of([a for a in articles("2") if a.key != "b"], links))
    got = early(tmp_path, articles("2"), links, tmp_path / "v1", leave_out="b")
    assert got == expected
    assert f"{BASE}graph/article/b".encode() not in got[1]["dataset.nq"]


def test_a_build_that_gives_up_leaves_no_folder(tmp_path):
    one_pass(tmp_path / "v1", graphs_of(articles("1"), ""))
    dumps = EarlyDumps(articles("2"), tmp_path / "dist", BASE, tmp_path / "v1")
    assert dumps.folder.parent == tmp_path and dumps.folder.name.startswith(".dist.dumps.tmp-")
    dumps.close()                           # publish never took them
    assert not dumps.folder.exists()
    dumps.folder.mkdir()                    # as a killed build leaves it: recover removes it once its process is gone
    gone = dumps.folder.with_name(dumps.folder.name.rsplit("-", 1)[0] + "-999999999")
    dumps.folder.rename(gone)
    recover(tmp_path / "dist")
    assert not gone.exists()

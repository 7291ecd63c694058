"""The per-article summaries (kgbuild/graph/digest.py) and the union check made from them
(kgbuild/shared.py): on real articles (the bundled seed and made-up ones, extracted here), the
summary-based check_shared reaches the verdict of the check from the whole graphs (check_union),
also for a pair of articles that describe one place differently, and also when the articles come
from the cache without their graphs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEED
from kgbuild.cache import Cache, whole
from kgbuild.graph import digest
from kgbuild.pipeline import article
from kgbuild.shared import check_shared, check_union

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
BODY = "---\ntitle: {title}\ndate: 2023-02-01\n---\n<p>{text}</p>\n"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    src = tmp_path_factory.mktemp("digest")
    shutil.copy(SEED, src / SEED.name)
    (src / "a.md").write_text(BODY.format(title="泉州市今年工作安排", text="今年泉州市将新增高新技术企业300家，培育科技型中小企业60家。"),
                              encoding="utf-8")
    (src / "b.md").write_text(BODY.format(title="泉州市科技工作会议", text="今年泉州市力争新建5G基站2000个，引进高层次人才团队20个。"),
                              encoding="utf-8")
    return [article(f) for f in sorted(src.iterdir())]


def _place_label(a) -> str:
    return next(line for line in a.ntriples.splitlines() if "/id/place/" in line.split(" ", 1)[0] and f" {LABEL} " in line)


def _relabel(a, label: str):
    line = _place_label(a)
    subject = line.split(" ", 1)[0]
    nt = "\n".join(sorted((set(a.ntriples.splitlines()) - {line}) | {f'{subject} {LABEL} "{label}"@zh .'})) + "\n"
    return replace(a, ntriples=nt, digest=None)


def _verdict(result):
    kept, failed = result
    return [a.file for a in kept], [(f.file, f.error, f.exit_code, f.report_text) for f in failed]


def test_the_summary_holds_what_other_articles_may_share(builds):
    for a in builds:
        d = digest.summary(a.ntriples, a.graph, a.key)
        assert d == a.digest and digest.well_formed(d)
        # every node another article may describe is summarised, with all its lines; the article's own are not
        subjects = {line.split(" ", 1)[0] for line in a.ntriples.splitlines()}
        assert any("/id/place/" in s for s in d["nodes"]) and not any(f"/article/{a.key}" in s for s in d["nodes"])
        assert set(d["nodes"]) <= subjects
        assert {line for line in a.ntriples.splitlines() if line.split(" ", 1)[0] in d["nodes"]} == set(d["lines"])


def test_summary_check_agrees_with_the_union_check(builds):
    assert all(a.places for a in builds[:2])
    assert _verdict(check_shared(list(builds), [])) == _verdict(check_union(list(builds), []))
    # a made-up pair: two articles give their (same) place two different names
    a, b = builds[0], builds[1]
    assert _place_label(a).split(" ", 1)[0] == _place_label(b).split(" ", 1)[0]
    pair = [_relabel(a, "甲市"), _relabel(b, "乙市")] + list(builds[2:])
    by_summary, by_union = _verdict(check_shared(list(pair), [])), _verdict(check_union(list(pair), []))
    assert by_summary == by_union
    kept, failed = by_summary
    place = _place_label(a).split(" ", 1)[0]
    describing = sorted(x.file for x in pair if place in digest.of(x)["nodes"])     # the seed is about 泉州 too
    assert sorted(f[0] for f in failed) == describing and {a.file, b.file} <= set(describing)
    assert kept == [x.file for x in pair if x.file not in describing]
    assert all("/id/place/" in f[1] and f[2] == 1 for f in failed)


def test_from_the_cache_without_the_graphs(builds, tmp_path):
    """The cache's hits carry no graph; the check reads none and reaches the same verdict, and a
    verdict already reached is remembered in the cache folder."""
    pair = [_relabel(builds[0], "甲市"), _relabel(builds[1], "乙市")] + list(builds[2:])
    for group in (list(builds), pair):
        cache = Cache(tmp_path / "cache")
        for i, a in enumerate(group):
            cache.put(f"{i:064x}", replace(a, digest=digest.of(a)))
        hits = [cache.get(f"{i:064x}", lambda: None) for i in range(len(group))]
        assert all(h is not None and h.ntriples is None for h in hits)
        assert [whole(h).ntriples for h in hits] == [a.ntriples for a in group]
        assert _verdict(check_shared(hits, [], tmp_path / "cache", "fp")) == _verdict(check_union(list(group), []))
        assert all(h.ntriples is None for h in hits)


def test_an_older_or_damaged_entry_is_a_miss(builds, tmp_path):
    cache = Cache(tmp_path)
    key = "ab" * 32
    cache.put(key, builds[0])
    entry = tmp_path / f"{key}.json"
    good = entry.read_bytes()
    for bad in (b'{"key": "' + key.encode() + b'", "sha256": "00", "build": {}}',       # the older format
                good.replace(b'"violations": 0', b'"violations": 1', 1), good[:200]):
        entry.write_bytes(bad)
        assert Cache(tmp_path).get(key, lambda: None) is None and not entry.exists()
    # a graph damaged after the front was read is made again (here: by the given function)
    entry.write_bytes(good)
    hit = Cache(tmp_path).get(key, lambda: builds[0])
    entry.write_bytes(good.replace(b'"1', b'"9'))
    assert whole(hit).ntriples == builds[0].ntriples

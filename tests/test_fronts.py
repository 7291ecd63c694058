"""The index of the cache entries' fronts (kgbuild/fronts.py): a rebuild reads the fronts of the
unchanged entries from one file; what it reads there is what the entries give, an entry written or
edited since is read from its own file (and checked there), and a damaged index is no index."""

from __future__ import annotations

import os
from dataclasses import fields

import pytest

from kgbuild import fronts
from kgbuild.cache import Cache, whole
from test_digest import builds  # noqa: F401  (the three articles built once: the seed and two made up)

KEYS = [f"{i:064x}" for i in range(3)]


def _same(a, b) -> bool:
    """Every field of two cache hits but where the graph is (the entry file named by each)."""
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(a) if f.name != "deferred") \
        and a.digest == b.digest


def _filled(builds, folder) -> list:
    """The builds put in a cache at FOLDER and the index saved; the hits read from the entries."""
    cache = Cache(folder)
    for k, a in zip(KEYS, builds):
        cache.put(k, a)
    cache.save()
    assert (folder / fronts.NAME).is_file()
    return [Cache(folder).get(k, lambda: None) for k in KEYS]   # a new Cache reads the index


def test_the_index_gives_what_the_entries_give(builds, tmp_path):
    from_index = _filled(builds, tmp_path)
    (tmp_path / fronts.NAME).unlink()
    from_entries = [Cache(tmp_path).get(k, lambda: None) for k in KEYS]
    assert all(h is not None and h.ntriples is None for h in from_index + from_entries)
    assert all(_same(a, b) for a, b in zip(from_index, from_entries))
    assert [whole(h).ntriples for h in from_index] == [a.ntriples for a in builds]
    # the index holds the fronts of the entries the last build used: a build reading them writes it again
    cache = Cache(tmp_path)
    assert all(cache.get(k, lambda: None) is not None for k in KEYS[:2])
    cache.prune()
    cache.save()
    assert sorted(fronts.read(tmp_path)) == KEYS[:2] and sorted(p.stem for p in tmp_path.glob("*.json")) == KEYS[:2]


def test_the_index_is_read_while_the_entry_is_the_one_it_recorded(builds, tmp_path):
    _filled(builds, tmp_path)
    entry = tmp_path / f"{KEYS[0]}.json"
    good, st = entry.read_bytes(), entry.stat()
    assert b'"violations": 0' in good
    # the same size, time and inode: the index is what is read (the entry file is not opened)
    entry.write_bytes(good.replace(b'"violations": 0', b'"violations": 7', 1))
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert Cache(tmp_path).get(KEYS[0], lambda: None).violations == 0
    # edited since (another time): read from the entry, whose checksum no longer matches: a miss
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert Cache(tmp_path).get(KEYS[0], lambda: None) is None and not entry.exists()
    # written again since the index: read from the entry
    cache = Cache(tmp_path)
    cache.put(KEYS[0], builds[1])
    assert Cache(tmp_path).get(KEYS[0], lambda: None).file == builds[1].file


@pytest.mark.parametrize("damage", ["truncated", "flipped", "another python", "empty"])
def test_a_damaged_index_is_no_index(builds, tmp_path, damage):
    hits = _filled(builds, tmp_path)
    index = tmp_path / fronts.NAME
    data = index.read_bytes()
    head, _, body = data.partition(b"\n")
    index.write_bytes({"truncated": data[: len(data) // 2],
                       "flipped": head + b"\n" + body[:-1] + bytes([body[-1] ^ 1]),
                       "another python": head.replace(head.split(b" ")[1], b"9.9.9") + b"\n" + body,
                       "empty": b""}[damage])
    assert fronts.read(tmp_path) == {}
    again = [Cache(tmp_path).get(k, lambda: None) for k in KEYS]
    assert all(_same(a, b) for a, b in zip(hits, again))

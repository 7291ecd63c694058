"""The files builds keep in the temporary folder (kgbuild.kept): one of a kind is written for
each software version or lexicon, so the old ones are swept when a new one is written, the last
used kept, and a read marks a file as used."""

from __future__ import annotations

import os
import tempfile

import pytest

from kgbuild import kept, sealed
from kgbuild.publish import canned, parsed


def _file(folder, kind: str, n: int, age_s: int, body: bytes = b"x") -> object:
    p = folder / f"{kind}-{n:032x}.state"
    p.write_bytes(body)
    t = 1_700_000_000 - age_s
    os.utime(p, (t, t))
    return p


def test_a_written_file_sweeps_the_old_of_its_kind_keeping_the_last_used(tmp_path):
    old = [_file(tmp_path, "kgbuild-jieba", n, age_s=100 * n) for n in range(1, 6)]     # 1 the newest
    (tmp_path / (old[4].name + ".lock")).write_bytes(b"")
    others = [_file(tmp_path, "kgbuild-words-pinyin", 9, 10_000), _file(tmp_path, "kgbuild-pinyin", 9, 10_000),
              tmp_path / "kgbuild-jieba-notahash.state", tmp_path / ("." + old[0].name + ".123.tmp")]
    for p in others[2:]:
        p.write_bytes(b"y")
    new = _file(tmp_path, "kgbuild-jieba", 0, 0)
    removed = kept.sweep(new)
    assert sorted(removed) == sorted(old[2:])                  # KEEP = 3: the new one and the two used last
    assert all(p.exists() for p in [new, *old[:2], *others])   # other kinds, other names: not touched
    assert not (tmp_path / (old[4].name + ".lock")).exists()   # a swept file's lock goes with it
    assert kept.sweep(new) == []


def test_a_read_file_counts_as_used_last(tmp_path):
    files = [_file(tmp_path, "kgbuild-parsed", n, age_s=100 * n) for n in range(1, 5)]
    kept.touch(files[3])                                       # the oldest, read now
    kept.sweep(_file(tmp_path, "kgbuild-parsed", 0, 0), keep=2)
    assert [p.exists() for p in files] == [False, False, False, True]
    kept.touch(tmp_path / "kgbuild-parsed-missing.state")      # nothing to touch: no error


def test_a_name_not_of_a_kept_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="KIND-HASH.state"):
        kept.sweep(tmp_path / "dataset.nt")


def test_the_parsed_answers_of_other_software_are_swept_when_this_one_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(parsed, "_known", None)
    stale = [_file(tmp_path, "kgbuild-parsed", n, age_s=1000 + n) for n in range(1, 5)]
    text = "SELECT ?s WHERE { ?s a <urn:x:Thing> }"
    canned._patterns.__wrapped__(text)                         # made, and kept in this software's file
    mine = parsed.path()
    assert sealed.read(mine, parsed.MAGIC)
    assert mine.exists() and [p.exists() for p in stale] == [True, True, False, False]     # KEEP = 3
    before = os.stat(stale[0]).st_mtime_ns
    monkeypatch.setattr(parsed, "_known", None)                 # another process reads it: touched
    os.utime(mine, (1, 1))
    canned._patterns.__wrapped__(text)
    assert os.stat(mine).st_mtime_ns > os.stat(stale[0]).st_mtime_ns == before

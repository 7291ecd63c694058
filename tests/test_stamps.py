"""The keys of the article files kept under their stamps in the cache folder (kgbuild/stamps.py):
a scan with a cache folder gives the keys a scan without one gives; a file whose stamp is the one
recorded is not read again, any write to it (even one that keeps its size and modification time)
is seen, a file changed just before its scan is not recorded, and another software or base, a
--full build or a damaged record means every file is hashed."""

from __future__ import annotations

import os
import time

from kgbuild import sealed, stamps
from kgbuild.read.load import record_path
from kgbuild.uptodate import fingerprint, key, keys, scan

BASE = "http://example.org/"


def corpus(root):
    src = root / "src"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.md").write_text(f"# a{i}\n\n今年新增企业{i}家。\n", encoding="utf-8")
    (src / "a1.md.retrieval.json").write_text('{"url": "https://example.org/a1"}', encoding="utf-8")
    return src, root / "cache"


def test_the_keys_are_those_of_a_scan_without_the_cache(tmp_path, monkeypatch):
    src, cache = corpus(tmp_path)
    plain = scan([src], BASE)
    assert scan([src], BASE, cache=cache) == plain                 # the files just written: hashed, not recorded
    assert stamps.read(cache, fingerprint(), BASE) == {}
    monkeypatch.setattr(stamps, "RACY", 0)                          # as if written long before the scan
    assert scan([src], BASE, cache=cache) == plain
    kept = stamps.read(cache, fingerprint(), BASE)
    assert sorted(kept) == [os.path.abspath(f) for f in plain.files]
    assert [kept[os.path.abspath(f)][1] for f in plain.files] == plain.keys == keys(plain.files, BASE)
    assert scan([src], BASE, cache=cache) == plain                  # now from the record


def test_a_recorded_key_is_taken_while_the_file_keeps_its_stamp(tmp_path, monkeypatch):
    src, cache = corpus(tmp_path)
    monkeypatch.setattr(stamps, "RACY", 0)
    s = scan([src], BASE, cache=cache)
    first = os.path.abspath(s.files[0])
    # the record says another key for the same stamp: it is what the scan gives (the file is not read)
    software, base, kept = sealed.read(cache / stamps.NAME, stamps.MAGIC)
    kept[first] = (kept[first][0], "f" * 64)
    sealed.write(cache / stamps.NAME, stamps.MAGIC, (software, base, kept))
    assert scan([src], BASE, cache=cache).keys[0] == "f" * 64
    # --full trusts no record; the next scan records the true key again
    assert scan([src], BASE, cache=cache, trust=False).keys == s.keys
    assert scan([src], BASE, cache=cache).keys == s.keys
    # another base, or a damaged record: every file hashed
    assert scan([src], "http://example.net/", cache=cache).keys == keys(s.files, "http://example.net/")
    (cache / stamps.NAME).write_bytes(b"KGSTAMPS1 garbage\n")
    assert scan([src], BASE, cache=cache) == s


def test_a_write_is_seen_even_with_the_same_size_and_time(tmp_path, monkeypatch):
    src, cache = corpus(tmp_path)
    monkeypatch.setattr(stamps, "RACY", 0)
    s = scan([src], BASE, cache=cache)
    f = s.files[0]
    st = f.stat()
    f.write_bytes(f.read_bytes().replace("企业".encode(), "公司".encode()))  # the same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))                     # and modification time
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    again = scan([src], BASE, cache=cache)
    assert again.keys[0] == key(f, BASE) != s.keys[0] and again.keys[1:] == s.keys[1:]
    # a retrieval record changed is a changed input too
    record = record_path(s.files[1])
    record.write_text('{"url": "https://example.org/b1"}', encoding="utf-8")
    assert scan([src], BASE, cache=cache).keys[1] == key(s.files[1], BASE) != s.keys[1]
    record.unlink()
    assert scan([src], BASE, cache=cache).keys[1] == key(s.files[1], BASE)


def test_a_file_changed_just_before_its_scan_is_hashed_again_next_time(tmp_path, monkeypatch):
    src, cache = corpus(tmp_path)
    monkeypatch.setattr(stamps, "RACY", 0)
    scan([src], BASE, cache=cache)
    monkeypatch.setattr(stamps, "RACY", 3600 * 10**9)                 # every file "just changed"
    f = src / "a0.md"
    f.write_text("# a0\n\n今年新增企业7家。\n", encoding="utf-8")
    scan([src], BASE, cache=cache)
    kept = stamps.read(cache, fingerprint(), BASE)
    assert os.path.abspath(f) not in kept and len(kept) == 2        # the others stay as recorded
    assert time.time_ns() - f.stat().st_ctime_ns < 3600 * 10**9

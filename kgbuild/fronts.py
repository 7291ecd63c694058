"""The fronts of a cache's entries in one file, read in one go: what a rebuild reads of every
unchanged article without opening and decoding one file per article (kgbuild.cache).

    KGFRONTS1 (kgbuild.sealed): {key: ((size, mtime_ns, inode) of the entry file, the graph's checksum, the front)}

Written at the end of corpus.run, atomically, with the fronts of the entries that build used (each
front as Cache.get decodes it from its entry, or as Cache.put wrote it; its strings interned, so
the lines and IRIs many articles share are written once and read back as one object). A front is
taken from here only while its entry file is the one it was read from or written to (the same
size, modification time and inode): an entry written or edited since is read from its own file,
and checked there. A missing, damaged or foreign index (another Python's marshal, a checksum that
does not match) is no index: every entry is read from its file, as without one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import sealed

MAGIC = b"KGFRONTS1"
NAME = "fronts.idx"                 # not *.json: Cache.prune and tests count entries by that suffix

Signature = tuple[int, int, int]


def signature(st: os.stat_result) -> Signature:
    return st.st_size, st.st_mtime_ns, st.st_ino


def read(folder: Path) -> dict[str, tuple]:
    """key → (signature, graph checksum, front) from FOLDER's index; {} when there is none or it
    cannot be trusted."""
    index = sealed.read(folder / NAME, MAGIC)
    return index if isinstance(index, dict) else {}


def write(folder: Path, fronts: dict[str, tuple]) -> None:
    """FRONTS (key → (signature, graph checksum, front)) as FOLDER's index, replacing the old one
    at once. Raises OSError (the caller decides what a cache that cannot be written means)."""
    sealed.write(folder / NAME, MAGIC, {k: fronts[k] for k in sorted(fronts)})


def interned(x):
    """X with its strings interned (sys.intern), in lists, tuples and dicts: marshal writes an
    interned string once per file and reads it back interned, so a front made this build shares
    the strings of those read from the index."""
    if isinstance(x, str):
        return sys.intern(x)
    if isinstance(x, tuple):
        return tuple(interned(y) for y in x)
    if isinstance(x, list):
        return [interned(y) for y in x]
    if isinstance(x, dict):
        return {interned(k): interned(v) for k, v in x.items()}
    return x

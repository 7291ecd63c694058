"""The cache keys of the article files a build scanned, kept in the cache folder under each file's
stamp (kgbuild.uptodate.scan): a rebuild reads and hashes only the files changed since, not the
whole corpus (at 5,000 articles, 0.2–0.4 s of CPU opening and reading 5,000 files).

    KGSTAMPS1 (kgbuild.sealed): (software fingerprint, base, {absolute path: (stamp, key)})

A stamp is the device, inode, size, modification and change times (ns) of the article file and
of its retrieval record (None: it has none), taken before the file is read. A key is taken from
here only when the file and its record have the stamps recorded: any write to a file, a rename
over it or a change of its times moves its change time (st_ctime, which no program can set), so
a file with the recorded stamp holds the bytes its key was made from. A file is recorded only
when both its times are older than the scan that read it by RACY: a file written again within
the same tick of the file system's clock after it was read could otherwise keep its stamp (git's
"racy" entries); such a file is read and hashed again by the next scan. Another software or base
(every key is made again), a missing, damaged or foreign file is no record: every file is hashed.
The file times are compared with this machine's clock, and the change time is trusted to move on
every write: a corpus on a file system without a change time of its own (FAT, exFAT, some shared
folders of virtual machines) or whose times come from a clock off by more than RACY (a network
share) is built with --full, which hashes every file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from . import sealed

MAGIC = b"KGSTAMPS1"
NAME = "stamps.idx"                 # not *.json: Cache.prune and tests count entries by that suffix
RACY = 2 * 10**9                    # ns: a file changed this close to its scan is hashed again next time

Stamp = tuple[int, int, int, int, int]


def _stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def keys(files: list[Path], folder: Path | None, fingerprint: str, base: str, key: Callable[[Path], str],
         record: Callable[[Path], Path], trust: bool = True) -> list[str | None]:
    """Each file's key (None: unreadable): from FOLDER's record when the file and its retrieval
    record (RECORD(file)) have the stamps recorded there and TRUST, else KEY(file); the record
    written again when it changed (FOLDER None: every file hashed, nothing written)."""
    if folder is None:
        return [_key(key, f) for f in files]
    kept = read(folder, fingerprint, base) if trust else {}
    started = time.time_ns()
    here = os.getcwd()
    out: list[str | None] = []
    now: dict[str, tuple] = {}
    for f in files:
        name = os.path.join(here, f)
        try:
            stamp = (_stamp(name), _stamp(os.path.join(here, record(f))))
        except OSError:
            out.append(None)            # the scan reports it (an unreadable file is never recorded)
            continue
        known = kept.get(name)
        if isinstance(known, tuple) and len(known) == 2 and known[0] == stamp and stamp[0] is not None:
            out.append(known[1])
            now[name] = known
            continue
        k = _key(key, f)
        out.append(k)
        if k is not None and stamp[0] is not None and all(
                s is None or (s[3] < started - RACY and s[4] < started - RACY) for s in stamp):
            now[name] = (stamp, k)
    if now != kept:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sealed.write(folder / NAME, MAGIC, (fingerprint, base, now))
        except OSError:
            pass                        # a cache that cannot be written: the build says so (kgbuild.cache)
    return out


def _key(key: Callable[[Path], str], f: Path) -> str | None:
    try:
        return key(f)
    except OSError:
        return None


def read(folder: Path, fingerprint: str, base: str) -> dict[str, tuple]:
    """absolute path → (stamp, key) from FOLDER's record, when the same software and base wrote
    it; {} otherwise."""
    found = sealed.read(Path(folder) / NAME, MAGIC)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == fingerprint and found[1] == base
            and isinstance(found[2], dict)):
        return {}
    return found[2]

"""What builds keep in the temporary folder, one file per kind and inputs (jieba's state,
extract.segment; the divisions' and the words' pinyin, extract.places and extract.pinyin; the
queries' parsed answers, publish.parsed), named KIND-HASH.state after a hash of what the value is
made from. A change of those inputs (a lexicon edit, a new version) names a new file and leaves
the old one, which nothing would read again: jieba's is 13-18 MB. So a file is touched when it is
read, and when one is written the others of its kind beyond the KEEP last used are removed, with
their locks. Only this user's files are touched (another user's are theirs), and a file in use by a
concurrent build of other software is at worst made again by it.

read, write and merge keep a value in such a file as kgbuild.sealed does (jieba's state, in a
format of its own, calls touch and sweep itself).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

KEEP = 3                    # files of a kind kept: this software's and two others (a second checkout, a bisect)
_NAMED = re.compile(r"(.+)-[0-9a-f]{32}\.state")


def read(path: Path, magic: bytes):
    """The value PATH holds under MAGIC (sealed.read), when this user wrote it (a shared temporary
    folder: only our own), the file then touched; else None."""
    from . import sealed
    try:
        if os.stat(path).st_uid != os.getuid():
            return None
    except OSError:
        return None
    value = sealed.read(path, magic)
    if value is not None:
        touch(path)
    return value


def write(path: Path, magic: bytes, value) -> None:
    """VALUE as PATH's content under MAGIC (sealed.write), and the others of its kind swept. Raises
    OSError (a file that cannot be written: the caller makes the value again next time)."""
    from . import sealed
    sealed.write(path, magic, value)
    sweep(path)


def merge(path: Path, magic: bytes, add: dict, valid: Callable[[object], bool]) -> dict:
    """What PATH holds (a dict VALID accepts, else nothing) with ADD over it, written, under PATH's
    lock, so that what concurrent builds add meanwhile is kept. Returns the merged dict; raises
    OSError as write does."""
    with open(Path(path).with_name(Path(path).name + ".lock"), "a") as lock:
        try:
            import fcntl
            fcntl.flock(lock, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass                                # no lock: what a concurrent writer adds may be made again
        before = read(path, magic)
        merged = {**(before if valid(before) else {}), **add}
        write(path, magic, merged)
    return merged


def touch(path: Path) -> None:
    """PATH was read: it is the latest used of its kind (its time is what sweep() orders by)."""
    try:
        os.utime(path)
    except OSError:
        pass                                    # another user's, or a read-only folder: nothing to keep in order


def sweep(path: Path, keep: int = KEEP) -> list[Path]:
    """PATH was written: remove the files of its kind (same KIND, another hash) but the KEEP used
    last, PATH among them, and their locks. Returns what was removed."""
    path = Path(path)
    named = _NAMED.fullmatch(path.name)
    if named is None:
        raise ValueError(f"{path}: not a kept file's name (KIND-HASH.state)")
    uid, kind = os.getuid(), named.group(1)
    found = []
    try:
        with os.scandir(path.parent) as entries:
            for e in entries:
                other = _NAMED.fullmatch(e.name)
                if other is None or other.group(1) != kind or e.name == path.name:
                    continue
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                if st.st_uid == uid:
                    found.append((st.st_mtime_ns, e.name))
    except OSError:
        return []
    removed = []
    for _, name in sorted(found, reverse=True)[max(0, keep - 1):]:
        old = path.parent / name
        try:
            old.unlink()
            removed.append(old)
            old.with_name(name + ".lock").unlink(missing_ok=True)
        except OSError:
            pass                                # gone already (a concurrent sweep), or not ours to remove
    return removed

"""A value kept in one file between builds (the cache's fronts index, kgbuild.fronts; the links
memo, kgbuild.link.memo): marshal, under a header that names what it holds and checksums it.

    MAGIC PYTHON SHA256\\n
    BODY (marshal)

PYTHON is marshal's format version and the Python that wrote it (marshal's format is Python's
own). A file that is missing, damaged, of another kind or another Python is no file: read()
gives None, and the caller makes the value again. write() replaces the file at once (a temporary
file renamed over it), so a reader sees the old value or the new one.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
from pathlib import Path

PYTHON = f"{marshal.version}.{sys.version_info[0]}.{sys.version_info[1]}".encode("ascii")


def read(path: Path, magic: bytes):
    """The value PATH holds under MAGIC, or None when there is none to trust."""
    try:
        head, _, body = Path(path).read_bytes().partition(b"\n")
        parts = head.split(b" ")
        if len(parts) != 3 or parts[0] != magic or parts[1] != PYTHON \
                or parts[2].decode("ascii") != hashlib.sha256(body).hexdigest():
            return None
        paused = gc.isenabled()
        gc.disable()                    # marshal makes only new objects, no cycle to find: the collector,
        try:                            # woken every 700 of them, walked them all again and again (a third
            return marshal.loads(body)  # of the time at 5,000 fronts)
        finally:
            if paused:
                gc.enable()
    except (OSError, ValueError, EOFError, TypeError, UnicodeDecodeError):
        return None


def write(path: Path, magic: bytes, value) -> None:
    """VALUE (what marshal writes) as PATH's content under MAGIC, replacing it at once. Raises
    OSError (the caller decides what a file that cannot be written means)."""
    path = Path(path)
    body = marshal.dumps(value)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(b" ".join((magic, PYTHON, hashlib.sha256(body).hexdigest().encode("ascii"))) + b"\n" + body)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise

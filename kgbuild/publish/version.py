"""The published versions beside OUT: one build at a time (`locked`), what a killed build left
(`recover`), and the switch to a new version (`_swap`: a versioned folder behind a link replaced in
one rename, the previous version kept for a server that has not switched yet).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import BuildBusy, OutputError


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT's build lock (.OUT.lock beside it, released when the process ends however it
    ends); a second build to the same folder fails at once with BuildBusy."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        f = open(out.parent / f".{out.name}.lock", "a+", encoding="utf-8")
    except OSError as e:
        raise OutputError(str(out), e) from None
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise BuildBusy(str(out), f.read().strip()) from None
        try:                             # who holds it, for the other build's message
            f.seek(0)
            f.truncate()
            f.write(f"{os.getpid()}\n")
            f.flush()
        except OSError:
            pass
        yield


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """What a killed build left beside OUT: its temporary folders and links are removed, and when
    it was killed while replacing a dist/ folder of the older layout (OUT moved aside, the link
    not yet in place), the previous OUT is put back."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or alive(int(pid)) or not kind.endswith((".tmp", ".old", ".link")):
            continue
        if kind.endswith(".old") and not os.path.lexists(out):
            os.replace(leftover, out)
        elif kind.endswith(".link"):
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _versions(out: Path) -> list[Path]:
    return [v for v in out.parent.glob(f".{out.name}.v*") if v.name[len(out.name) + 3:].isdigit()]


_PRUNING: dict[Path, threading.Thread] = {}       # OUT → the thread removing its old versions (prune)


def prune(out: Path) -> None:
    """Start removing, in a thread, the versions of OUT that the next switch (_swap) removes: all
    but the one OUT points at now, which becomes the previous version. A build calls it once it
    holds OUT's lock, so the files are freed while it works (a version's dumps are new files,
    about 800 MB at 5,000 articles) rather than after it has published; _swap waits for it."""
    out = Path(out)
    try:
        keep = os.readlink(out) if out.is_symlink() else None
        doomed = [v for v in _versions(out) if v.name != keep]
    except OSError:
        return
    if doomed and out not in _PRUNING:
        _PRUNING[out] = t = threading.Thread(target=lambda: [shutil.rmtree(v, ignore_errors=True) for v in doomed],
                                             name="prune", daemon=True)
        t.start()


def pruned(out: Path) -> None:
    """Wait for prune(OUT) to be done, if it was started."""
    t = _PRUNING.pop(Path(out), None)
    if t is not None:
        t.join()


def _swap(new: Path, out: Path) -> str:
    """NEW becomes .OUT.v<time>, and OUT a link to it, replaced in one rename."""
    pruned(out)
    version = out.parent / f".{out.name}.v{time.time_ns()}"
    os.replace(new, version)
    previous = os.readlink(out) if out.is_symlink() else None
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(version.name, link)
    if out.is_dir() and not out.is_symlink():         # a dist/ folder of the older layout
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(link, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(link, out)
    for v in _versions(out):                          # keep this version and the one a server may still read
        if v.name not in (version.name, previous):     # (prune removed the others already, as a rule)
            shutil.rmtree(v, ignore_errors=True)
    return version.name


_READ: dict[Path, tuple[tuple[int, int, int], dict]] = {}     # version folder → (its manifest file's stat, manifest)


def manifest_of(folder: Path) -> dict:
    """The manifest of the version in FOLDER, parsed once per process while the file is the same
    (size, modification time, inode: a version is never edited): a build asks for it four times
    (nothing changed?, the version to update, publish), 2 MB of JSON at 5,000 articles. The
    same dict each time: callers read it, never change it. Raises OSError, ValueError."""
    path = Path(folder) / "manifest.json"
    st = os.stat(path)
    signature = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _READ.get(Path(folder))
    if hit is not None and hit[0] == signature:
        return hit[1]
    manifest = json.loads(path.read_text(encoding="utf-8"))
    _READ.clear()
    _READ[Path(folder)] = (signature, manifest)
    return manifest


def current(out: Path) -> tuple[Path, dict] | None:
    """The published version OUT points at and its manifest, if it is whole."""
    try:
        folder = Path(out).resolve(strict=True)
        manifest = manifest_of(folder)
        if not isinstance(manifest, dict) or not (folder / "store").is_dir():
            return None
        if any(not (folder / f["name"]).is_file() for f in manifest.get("files", [])):
            return None
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return folder, manifest


def unchanged(out: Path, inputs: str) -> tuple[Path, dict] | None:
    """The published version, when it was built from exactly these inputs (the articles' cache
    keys: their bytes and names, the base, the software) and none of them was left out."""
    found = current(out)
    if found is None or not inputs or found[1].get("inputs") != inputs or found[1].get("skipped"):
        return None
    return found

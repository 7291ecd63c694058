"""Whether a build has anything to do: one hash of everything its output depends on (the
software, the base, each article's name and bytes, the corrections files), compared with the one
the published version was built from. Light on purpose (no rdflib, pyoxigraph, jieba or pyshacl):
a build that finds nothing changed answers before loading the stages (kgbuild.pipeline.build
asks here first, the CLI before importing the pipeline)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__, paths, stamps
from .model import Published, Validation
from .correct.load import files as correction_files
from .publish.version import locked, unchanged
from .read.load import article_files, record_path


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of everything besides the article that shapes a result: code and resource files."""
    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).parent, paths.lexicon_dir(), paths.ontology_dir(), paths.shapes_dir()]
    for root in roots:
        for f in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def key(path: Path, base: str) -> str:
    """The cache key of an article file: the software, the base, its name and bytes (and a fetched
    file's retrieval record, part of its input)."""
    data = path.read_bytes()
    record = record_path(path)
    data += b"\0" + (record.read_bytes() if record.is_file() else b"")
    return hashlib.sha256(f"{fingerprint()}\0{base}\0{path.name}\0".encode() + data).hexdigest()


def keys(files: list[Path], base: str) -> list[str | None]:
    """Each file's key (None: unreadable), each file read once for inputs() and run()."""
    out: list[str | None] = []
    for f in files:
        try:
            out.append(key(f, base))
        except OSError:
            out.append(None)
    return out


def inputs(files: list[Path], base: str, corrections: list[Path] | tuple[Path, ...] = (),
           known: list[str | None] | None = None) -> str:
    """One hash of everything a build's output depends on: the software, the base and each
    article's cache key (its bytes and name), in order, and the corrections files (their names and
    bytes: a changed corrections file rebuilds). "" when a file cannot be read (the build must run
    to report it). KNOWN: the files' keys (keys()), when already made."""
    h = hashlib.sha256(f"{fingerprint()}\0{base}\0".encode())
    for k in known if known is not None else keys(files, base):
        if k is None:
            return ""
        h.update(k.encode() + b"\n")
    for f in corrections:
        try:
            h.update(b"corrections\0" + Path(f).name.encode() + b"\0" + hashlib.sha256(Path(f).read_bytes()).digest())
        except OSError:
            return ""
    return h.hexdigest()


def kept(out: Path, inputs_hash: str, started: float) -> tuple[Published, Validation] | None:
    """The published version of OUT and its validation, when it was built from INPUTS_HASH
    (inputs()) and none of them was left out; else None."""
    found = unchanged(out, inputs_hash)
    if found is None:
        return None
    folder, manifest = found
    v = manifest["validation"]
    text = (folder / "validation.txt").read_text(encoding="utf-8")
    return (Published(out=str(out), triples=manifest["triples"], targets=manifest["targets"],
                      articles=len(manifest["articles"]), files=tuple(f["name"] for f in manifest["files"]),
                      seconds=time.monotonic() - started, unchanged=True, version=folder.name),
            Validation(v["conforms"], v["violations"], v["warnings"], text, ""))


@dataclass(frozen=True)
class Scan:
    """What a build reads of its inputs before anything else: the article files, each one's key
    (keys(), None: unreadable) and the hash of them all (inputs()). Made once per build: the CLI's
    check for nothing changed and the build itself use the same (each file is read and hashed
    once; with a cache folder, only those changed since the last scan: kgbuild.stamps). Taken
    before the build's lock, as the keys always were before an article is extracted: a file
    changed after it can only make this build publish the bytes it read then, and the next build
    sees the new ones (its key changed)."""
    files: list[Path]
    keys: list[str | None]
    inputs: str


def scan(paths: list[str | Path], base: str, corrections: str | Path | None = None,
         cache: Path | None = None, trust: bool = True) -> Scan:
    """The article files of PATHS and their keys. CACHE: the cache folder, where the keys are kept
    under the files' stamps (kgbuild.stamps), taken from there when TRUST (not a --full build)."""
    files = article_files(paths)
    found = stamps.keys(files, Path(cache), fingerprint(), base, lambda f: key(f, base), record_path, trust) \
        if cache is not None else keys(files, base)
    fixes = correction_files(corrections) if corrections is not None else ()
    return Scan(files, found, inputs(files, base, fixes, found) if files else "")


def published(paths: list[str | Path], out: Path, base: str, corrections: str | Path | None = None,
              scanned: Scan | None = None) -> tuple[Published, Validation] | None:
    """What `kgbuild build PATHS --out OUT` would keep as it is: the published version and its
    validation when it was built from exactly these inputs, else None (the build has work to do,
    or an error to report: no article files, a file that cannot be read). Holds OUT's build lock
    while it looks (BuildBusy if another build runs). SCANNED: scan() of the same arguments, when
    already made."""
    started = time.monotonic()
    found = scanned or scan(paths, base, corrections)
    if not found.files:
        return None
    with locked(out):
        return kept(out, found.inputs, started)

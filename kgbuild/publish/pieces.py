"""The dumps (dataset.nq, .nt, .trig, .ttl, .jsonld), assembled graph by graph, so that a rebuild
writes anew only the pieces of the graphs that changed and copies the others from the previous
version's files.

Every dump is the named graphs in the order of their names (the article graphs, the links graph,
the shared graph), each graph's piece written on its own from its sorted N-Triples: N-Quads and
N-Triples line by line, TriG one `<graph> { … }` block each, Turtle the graph's subjects, JSON-LD
the graph's node objects (one array for the whole file). No triple is in two graphs (publish.
serialise.split; the links graph holds only the links' own statements), so the N-Triples, Turtle
and JSON-LD dumps are the union default graph with each triple once. Where each piece lies in each
file, and the SHA-256 of the graph it was made from, is kept in `pieces.json` beside the dumps: a
rebuild copies the bytes of a graph whose SHA-256 is the same (os.copy_file_range, in the kernel)
and writes the others, so full and incremental builds give the same bytes by construction.

In: graph IRI → N-Triples text (sorted lines) and its SHA-256. Out: the files, their sizes and
SHA-256, and the index.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

DUMPS = ("nq", "nt", "trig", "ttl", "jsonld")
INDEX = "pieces.json"
DUMMY = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))


def _header(fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """The @prefix lines pyoxigraph starts a Turtle or TriG document with."""
    item = DUMMY if fmt == ox.RdfFormat.TURTLE else ox.Quad(DUMMY.subject, DUMMY.predicate, DUMMY.object,
                                                              ox.NamedNode("urn:x:g"))
    out = ox.serialize([item], format=fmt, prefixes=prefixes)
    end = 0
    while out.startswith(b"@prefix ", end):
        end = out.index(b"\n", end) + 1
    return out[:end]


class Writer:
    """Writes one graph's pieces of every dump. TTL_HEAD / TRIG_HEAD: the headers each
    serialisation of a piece starts with, cut off (the file has them once)."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = {p: str(ns) for p, ns in prefixes.items()}
        self.heads = {"ttl": _header(ox.RdfFormat.TURTLE, self.prefixes),
                      "trig": _header(ox.RdfFormat.TRIG, self.prefixes)}

    @staticmethod
    def lines(name: str, nt: str) -> dict[str, bytes]:
        """The N-Quads and N-Triples pieces: the lines as they are (no parsing)."""
        data = nt.encode("utf-8")
        if not data.strip():
            return {"nq": b"", "nt": b""}
        g = f" <{name}> .\n".encode("utf-8")
        return {"nq": data.replace(b" .\n", g), "nt": data}   # a literal holds no raw newline: " .\n" ends a line only

    def serialised(self, name: str, data: bytes) -> dict[str, bytes]:
        """The Turtle, TriG and JSON-LD pieces from DATA, the graph's N-Triples piece (lines): the
        Turtle and JSON-LD as pyoxigraph serialises the triples. The TriG block is the Turtle piece
        with each line indented by a tab inside `<graph> { … }`, byte for byte what pyoxigraph's
        TriG writer gives for the same triples (tests/test_pieces.py) without making a Quad of
        each triple in Python (that took longer than serialising all three)."""
        if not data:
            return {"trig": b"", "ttl": b"", "jsonld": b""}
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes)
        if not text.startswith(self.heads["ttl"]):
            raise ValueError(f"{name}: unexpected ttl header")
        ttl = text[len(self.heads["ttl"]):]
        # a literal or IRI holds no raw newline in pyoxigraph's Turtle (escaped): lines are whole
        trig = b"".join((f"<{name}> {{\n\t".encode("utf-8"), ttl[:-1].replace(b"\n", b"\n\t"), b"\n}\n"))
        js = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
        return {"ttl": ttl, "trig": trig, "jsonld": js[1:-1]}   # JSON-LD: the node objects, without the array's brackets


_READ: dict[Path, tuple[tuple[int, int, int], dict]] = {}     # version folder → (its index file's stat, index)


def _previous(folder: Path | None) -> dict:
    """The index of the version in FOLDER ({} when there is none, or a dump is not the size it
    says). Parsed once per process while the file is the same (size, modification time, inode;
    a version is never edited): a rebuild reads it for the published links, the changed lines
    (publish.memory), the store update (publish.graphdiff) and the dumps, 2.4 MB of JSON at
    5,000 articles. The same dict each time: callers read it, never change it."""
    if folder is None:
        return {}
    try:
        st = os.stat(folder / INDEX)
        signature = (st.st_size, st.st_mtime_ns, st.st_ino)
        hit = _READ.get(Path(folder))
        if hit is not None and hit[0] == signature:
            index = hit[1]
        else:
            index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
            _READ.clear()
            _READ[Path(folder)] = (signature, index)
        for fmt in DUMPS:
            if (folder / f"dataset.{fmt}").stat().st_size != index["bytes"][fmt]:
                return {}
        return index
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _copy(src: int, dst: int, start: int, length: int) -> None:
    while length > 0:
        n = os.copy_file_range(src, dst, length, start)
        if n <= 0:                              # not supported here: read and write
            os.lseek(src, start, os.SEEK_SET)
            os.write(dst, os.read(src, length))
            return
        start += n
        length -= n


def _drain(f, src: int, run: list[int] | None) -> None:
    """Copy a pending run of old pieces ([start, length] in SRC) into F, after what F buffers."""
    if run:
        f.flush()
        _copy(src, f.fileno(), *run)


def write(folder: Path, graphs: dict[str, str], sha: dict[str, str], prefixes: dict[str, str],
          previous: Path | None = None, ready: Callable[[], None] | None = None) -> dict[str, tuple[int, str]]:
    """Write FOLDER/dataset.{nq,nt,trig,ttl,jsonld} and FOLDER/pieces.json from GRAPHS (IRI →
    sorted N-Triples; SHA: IRI → its SHA-256), copying the pieces of the graphs whose SHA-256 the
    PREVIOUS version's index has. READY is called once dataset.nq and dataset.nt are whole (the
    store can be loaded from them while the other dumps are written): they are written first, from
    the lines as they are, before any piece is serialised. Returns dataset.FMT → (bytes, SHA-256).
    Each file's SHA-256 is taken in a thread while the next one is written (hashlib lets go of the
    GIL; at 5,000 articles the five files' hashes are about half a second)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hashing:
        dumps = Dumps(folder, prefixes, previous, hashing)
        try:
            dumps.add(graphs, sha, last=True, ready=ready)
        except BaseException:
            dumps.abandon()             # its files closed; the caller removes the folder
            raise
        return dumps.close()


class Dumps:
    """The five dumps of a version being written, in one pass or two: `add` the graphs that come
    first in the order of names (publish.earlydumps: the article graphs, as soon as the articles
    are known), then, `last`, the others. Both give the same bytes: each file is the graphs'
    pieces in the order of their names, whenever they were added. The SHA-256 of each file is
    taken, in HASHING (one thread: a file's parts in the order written), from the bytes written
    by each `add`, so the second pass hashes only what it appends."""

    def __init__(self, folder: Path, prefixes: dict[str, str], previous: Path | None, hashing: ThreadPoolExecutor):
        self.folder, self.previous, self.hashing = Path(folder), previous, hashing
        self.writer = Writer(prefixes)
        self.old = _previous(previous)
        self.index: dict = {"graphs": {}, "bytes": {}, "at": {fmt: {} for fmt in DUMPS}}
        self.files: dict = {}                   # fmt → the open file
        self.sha = {fmt: hashlib.sha256() for fmt in DUMPS}
        self.hashed = dict.fromkeys(DUMPS, 0)   # fmt → bytes of the file given to its hash
        self.at_end: dict[str, int] = {}        # fmt → bytes written so far
        self.pending: list[Future] = []
        self.last = ""                          # the greatest name added
        self.stopping = False                   # stop(): what is being written is given up

    def stop(self) -> None:
        """Give up what `add` is writing, in another thread: it raises Stopped at its next piece
        (a failed build does not wait for the rest of the dumps it will not publish)."""
        self.stopping = True

    def add(self, graphs: dict[str, str], sha: dict[str, str], last: bool = False,
            ready: Callable[[], None] | None = None) -> None:
        """Write GRAPHS' pieces, all of whose names follow those added before; LAST: the files are
        then whole (READY is called once dataset.nq and dataset.nt are)."""
        names = sorted(graphs)
        if names and names[0] <= self.last:
            raise ValueError(f"{names[0]}: graphs must be added in the order of their names")
        self.last = names[-1] if names else self.last
        old = self.old
        fresh = {n: self.writer.lines(n, graphs[n]) for n in names if old.get("graphs", {}).get(n) != sha[n]}
        self.index["graphs"] |= {n: sha[n] for n in names}
        for fmt in DUMPS:
            if fmt not in ("nq", "nt") and fresh and fmt not in next(iter(fresh.values())):
                for n in fresh:
                    fresh[n] |= self.writer.serialised(n, fresh[n]["nt"])
                    fresh[n]["nt"] = b""            # its file is written: not kept (memory)
            self._pieces(fmt, names, fresh, last)
            if fmt != "nt":                     # written: not kept (the N-Triples are serialised from, above)
                for n in fresh:
                    fresh[n][fmt] = b""
            if last and fmt == "nt" and ready is not None:
                ready()

    def _pieces(self, fmt: str, names: list[str], fresh: dict[str, dict[str, bytes]], last: bool) -> None:
        old = self.old
        sep = b"," if fmt == "jsonld" else b""
        at = self.index["at"][fmt]
        path = self.folder / f"dataset.{fmt}"
        f = self.files.get(fmt)
        if f is None:
            f = self.files[fmt] = open(path, "wb")
            head = {"ttl": self.writer.heads["ttl"], "trig": self.writer.heads["trig"], "jsonld": b"["}.get(fmt, b"")
            f.write(head)
            self.at_end[fmt] = len(head)
        pos = self.at_end[fmt]                  # counted: the copies move the file's offset behind f's back
        src = os.open(self.previous / f"dataset.{fmt}", os.O_RDONLY) if old else -1
        try:
            run: list[int] | None = None        # [start in the old file, length]: adjacent copies in one call
            for n in names:
                if self.stopping:
                    raise Stopped(f"{path}: given up")
                if n in fresh:
                    piece = fresh[n][fmt]
                    length = len(piece)
                else:
                    start, length = old["at"][fmt].get(n, (0, 0))
                if not length:
                    continue
                gap = len(sep) if at else 0     # the separator before every piece but the first
                if n not in fresh and run and run[0] + run[1] + gap == start:
                    # the old file has this piece right after the run, with the separator
                    # between them (this writer put it there, and nothing else): one copy (the
                    # JSON-LD's 5,000 pieces in one call instead of 5,000)
                    run[1] += gap + length
                else:
                    _drain(f, src, run)
                    run = None
                    f.write(sep if gap else b"")
                    if n in fresh:
                        f.write(piece)
                    else:
                        run = [start, length]
                at[n] = [pos + gap, length]
                pos += gap + length
            _drain(f, src, run)
            if last and fmt == "jsonld":
                f.write(b"]\n")
                pos += 2
            f.flush()
            if last:
                f.close()
                self.index["bytes"][fmt] = path.stat().st_size
        finally:
            if src >= 0:
                os.close(src)
        end = self.at_end[fmt] = pos
        self.pending.append(self.hashing.submit(_hash, self.sha[fmt], path, self.hashed[fmt], end))
        self.hashed[fmt] = end

    def close(self) -> dict[str, tuple[int, str]]:
        """The files' sizes and SHA-256 once whole (the last `add`), and the index written."""
        for done in self.pending:
            done.result()
        for fmt in DUMPS:
            if self.index["bytes"].get(fmt) != self.hashed[fmt]:
                raise OSError(f"{self.folder / f'dataset.{fmt}'}: {self.index['bytes'].get(fmt)} bytes, "
                              f"{self.hashed[fmt]} written")
        (self.folder / INDEX).write_text(json.dumps(self.index, sort_keys=True, separators=(",", ":")) + "\n",
                                         encoding="utf-8")
        return {f"dataset.{fmt}": (self.index["bytes"][fmt], self.sha[fmt].hexdigest()) for fmt in DUMPS}

    def abandon(self) -> None:
        """Close the files (a write given up: the caller removes them)."""
        for done in self.pending:
            done.exception()
        for f in self.files.values():
            f.close()


class Stopped(Exception):
    """Dumps.add given up (Dumps.stop)."""


BLOCK = 1 << 20                     # _hash's reads: one buffer, filled again and again


def _hash(h, path: Path, start: int, end: int) -> None:
    """Feed bytes START:END of PATH to the hash H (hashlib lets go of the GIL on large buffers).
    Read into one buffer of BLOCK bytes (unbuffered readinto): a new 16 MB block a read made the
    kernel hand over and clear fresh pages for every block (a rebuild at 5,000 articles hashes
    840 MB: 45,000 page faults, 0.2 s of system CPU), and a buffered read copied the bytes twice."""
    buf = memoryview(bytearray(BLOCK))
    with open(path, "rb", buffering=0) as f:
        f.seek(start)
        left = end - start
        while left > 0:
            n = f.readinto(buf[:min(left, BLOCK)])
            if not n:
                raise OSError(f"{path}: shorter than written")
            h.update(buf[:n])
            left -= n


def graph_lines(folder: Path, graph: str) -> set[str] | None:
    """The N-Triples lines of one graph of a published version, read from its piece of
    dataset.nt; None when the version has no index (an older layout)."""
    found = graphs_lines(folder, [graph])
    return None if found is None else found[graph]


def graphs_lines(folder: Path, graphs: list[str], known_only: bool = False) -> dict[str, set[str]] | None:
    """graph_lines of each of GRAPHS, the index read once; None when one is not there (KNOWN_ONLY:
    those of GRAPHS there, the others left out)."""
    index = _previous(folder)
    if known_only:
        graphs = [g for g in graphs if g in index.get("graphs", {})]
    if not index or any(g not in index.get("graphs", {}) for g in graphs):
        return None
    out = {}
    with open(folder / "dataset.nt", "rb") as f:
        for graph in graphs:
            start, length = index["at"]["nt"].get(graph, (0, 0))
            f.seek(start)
            out[graph] = set(f.read(length).decode("utf-8").splitlines())
    return out

"""A rebuild's dumps, written while the links are made.

A rebuild (a published version to update) writes its five dumps graph by graph (publish.pieces),
copying the pieces of the graphs that did not change from the previous version's files: at 5,000
synthetic articles about 840 MB copied and hashed, a second of a one-article rebuild. The article
graphs come first in the order of names (`…/graph/article/…` before `…/graph/links` and
`…/graph/shared`), and they are known once the articles are read and corrected. So their pieces
are written then, in a thread, while the main thread checks the shared nodes, links the targets
and updates the store; publish hands over the links and shared graphs (`finish`, written in the
same thread) and takes the files (`take`). The bytes are those of one pass (tests/test_pieces.py;
tests/test_incremental.py compares rebuilds with --full builds).

The files are made in a temporary sibling of OUT (`.OUT.dumps.tmp-<pid>`, which version.recover
removes after a killed build) and moved into the new version's folder when taken.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..graph.iris import links_graph_iri, shared_graph_iri
from ..model import ArticleBuild
from .pieces import DUMPS, INDEX, Dumps
from .serialise import Pending, Texts, dump_prefixes, split


def sha_of(text: "str | Pending") -> str:
    """A graph's SHA-256: a Pending's from its summary, else of its text."""
    return text.sha256 if isinstance(text, Pending) else hashlib.sha256(text.encode("utf-8")).hexdigest()


class EarlyDumps:
    """The dumps of OUT's next version, PREVIOUS's updated, being written from ARTICLES' graphs.
    OWN and SHARED are split(ARTICLES, BASE), which publish takes from here instead of splitting
    again."""

    def __init__(self, articles: list[ArticleBuild], out: Path, base: str, previous: Path):
        self.base, self.previous = base, previous
        self.folder = Path(out).parent / f".{Path(out).name}.dumps.tmp-{os.getpid()}"
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early-dumps")
        self._hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
        self._last: Future | None = None
        self._start(articles)

    def _start(self, articles: list[ArticleBuild]) -> None:
        self.own, self.shared = split(sorted(articles, key=lambda a: a.graph), self.base)
        boundary = min(str(links_graph_iri(self.base)), str(shared_graph_iri(self.base)))
        first = {n: t for n, t in self.own.items() if n < boundary}
        self._rest = {n: t for n, t in self.own.items() if n >= boundary}    # none, with the graph IRIs made here
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._dumps = Dumps(self.folder, dump_prefixes(self.base), self.previous, self._hashing)
        self._first = self._last = self._pool.submit(self._dumps.add, Texts(first),
                                                     {n: sha_of(t) for n, t in first.items()})

    def restart(self, articles: list[ArticleBuild]) -> None:
        """Write ARTICLES' instead (some were left out since: check_shared)."""
        self._drop()
        self._start(articles)

    def finish(self, late: dict[str, str]) -> None:
        """Add LATE (graph IRI → N-Triples: the links and shared graphs), in the writing thread."""
        graphs = self._rest | late
        self._last = self._pool.submit(self._finish, Texts(graphs), {n: sha_of(t) for n, t in graphs.items()})

    def _finish(self, graphs: Texts, sha: dict[str, str]) -> dict[str, tuple[int, str]]:
        self._first.result()                    # done (the same thread, before): raises what it raised
        self._dumps.add(graphs, sha, last=True)
        return self._dumps.close()

    def take(self, directory: Path) -> dict[str, tuple[int, str]]:
        """The files (dataset.*, the pieces index), once finished, moved into DIRECTORY:
        dataset.FMT → (bytes, SHA-256)."""
        if self._last is None:
            raise RuntimeError("the dumps were taken already")
        written = self._last.result()
        self._last = None
        for name in [f"dataset.{fmt}" for fmt in DUMPS] + [INDEX]:
            os.replace(self.folder / name, Path(directory) / name)
        return written

    def _drop(self) -> None:
        if self._last is not None:
            self._dumps.stop()                  # at its next piece: not the rest of the copies
            self._last.exception()              # wait: the thread writes no more
            self._last = None
        self._dumps.abandon()
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop and remove what was not taken."""
        try:
            self._drop()
        finally:
            self._pool.shutdown()
            self._hashing.shutdown()

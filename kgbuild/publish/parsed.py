"""What the build reads off a canned query's rdflib algebra, kept between builds: whether its
aggregates depend on the order of solutions (publish.order) and the triple patterns it reads
(publish.canned). rdflib's SPARQL parser takes 0.05–0.08 s of CPU a query, and its grammar
about 0.15 s more the first time it is used: 0.85 s of CPU in a rebuild that extracts one
article (the linking query's patterns before the article, then needs_the_store of every canned
query in publish), though the queries and the software are the same as the last build's.

Each answer is kept in the temporary folder (as extract.segment keeps jieba's state), in one file
named after the software (uptodate.fingerprint: the code, so a changed rule is never read from an
older build) and the versions of rdflib and pyparsing, keyed by the kind of answer and the query's
text; read only when this user wrote it (kgbuild.sealed: checked). A process adds what it made to
the file at once (merged under a lock with what others added meanwhile). The same text gives the
same answer, read or made (tests/test_parsed.py).
"""

from __future__ import annotations

import hashlib
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from .. import kept as temp_files

MAGIC = b"KGPARSED1"
T = TypeVar("T")

_known: dict[str, object] | None = None     # read from the kept file on first use


@lru_cache(maxsize=1)
def _software() -> str:
    from importlib.metadata import version
    from ..uptodate import fingerprint
    return f"{fingerprint()}\0{version('rdflib')}\0{version('pyparsing')}"


def path() -> Path:
    """The kept file of this software."""
    h = hashlib.sha256(_software().encode("utf-8")).hexdigest()[:32]
    return Path(tempfile.gettempdir()) / f"kgbuild-parsed-{h}.state"


def _valid(kept: object) -> bool:
    return isinstance(kept, dict) and all(isinstance(k, str) for k in kept)


def _read() -> dict[str, object]:
    global _known
    kept = temp_files.read(path(), MAGIC)
    _known = kept if _valid(kept) else {}
    return _known


def recall(kind: str, text: str, make: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """make()'s answer of KIND for the query TEXT: the kept one when there is one VALID says is
    well formed, else made now and kept. MAKE's answer must be what marshal writes."""
    known = _known if _known is not None else _read()
    k = f"{kind}\0{text}"
    if k in known and valid(known[k]):
        return known[k]                     # type: ignore[return-value]
    found = make()
    _keep(k, found)
    return found


def _keep(k: str, value: object) -> None:
    """Add K → VALUE to the kept file, merged with what others added meanwhile (under a lock); a
    file that cannot be written leaves the answer to be made again next time."""
    global _known
    try:
        _known = temp_files.merge(path(), MAGIC, {k: value}, _valid)     # the answers of other software swept
    except OSError:
        if _known is not None:
            _known[k] = value

"""Which canned answers a rebuild may keep: a query's answer can change only when a triple that
changed (added to or removed from any graph) matches one of its triple patterns.

A SPARQL query reads the store through its triple patterns (its basic graph patterns, those inside
OPTIONAL, UNION, subqueries, GRAPH and FILTER (NOT) EXISTS alike, and the steps of its property
paths). A triple no pattern can match is never read, so adding or removing it leaves every
solution, and the order the engine yields them in, as it was. The test is conservative: a
variable, a literal or a path's inner step matches anything; a variable predicate, a negated
property set, a path step that may be of length zero (`*`, `?`: it matches every node of the
graph), GRAPH ?g (it reads which graphs there are) or SERVICE makes every change matter; so do the functions whose value is not fixed by the data
(NOW, RAND, UUID, STRUUID, BNODE) and a query rdflib cannot parse. Nothing else about the
query's algebra is needed: aggregates, ordering and filters only work on what the patterns read.

In: the query's text and the changed triples (N-Triples terms). Out: keep or run again.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from .order import algebra

ANSWER_FILES = ("json",)             # what store.precompute writes for each query (store.write_answer)
Pattern = tuple[str | None, str | None, str | None]       # None: any term
VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


class _Everything(Exception):
    """The query may read any triple."""


def _term(t) -> str | None:
    from rdflib import URIRef
    return t.n3() if isinstance(t, URIRef) else None


def _path_steps(p, out: list[Pattern]) -> None:
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    if isinstance(p, URIRef):
        out.append((None, p.n3(), None))
    elif isinstance(p, (SequencePath, AlternativePath)):
        for a in p.args:
            _path_steps(a, out)
    elif isinstance(p, InvPath):
        _path_steps(p.arg, out)
    elif isinstance(p, MulPath) and p.mod == "+":
        _path_steps(p.path, out)
    else:                                   # a negated set, a zero-length step, anything unknown
        raise _Everything()


def _threes(row) -> list:
    row = list(row)
    if len(row) % 3:
        raise _Everything()
    return [row[i:i + 3] for i in range(0, len(row), 3)]


def _walk(node, out: list[Pattern], seen: set[int]) -> None:
    # rdflib's SPARQL parser is loaded only for a query the previous manifest does not list (remember)
    from rdflib import URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql.parserutils import CompValue
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern" or (node.name in ("Graph", "GraphGraphPattern")
                                                  and isinstance(node.get("term"), Variable)):
            raise _Everything()             # another store's triples; GRAPH ?g also reads which graphs exist
        if node.name in ("BGP", "TriplesBlock"):     # TriplesBlock: a pattern inside EXISTS, as parsed
            triples = [t for row in node.triples for t in _threes(row)]
            for s, p, o in triples:
                if isinstance(p, URIRef):
                    out.append((_term(s), p.n3(), _term(o)))
                elif isinstance(p, (SequencePath, AlternativePath, InvPath, MulPath, NegatedPath)):
                    _path_steps(p, out)
                else:                       # a variable predicate
                    raise _Everything()
        for v in node.values():
            _walk(v, out, seen)
    elif isinstance(node, dict):
        for v in node.values():
            _walk(v, out, seen)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for v in node:
            _walk(v, out, seen)
    elif isinstance(node, (SequencePath, AlternativePath, InvPath, MulPath, NegatedPath)):
        _path_steps(node, out)


_KNOWN: dict[str, tuple[Pattern, ...] | None] = {}     # query text → patterns, from a previous manifest


def patterns(text: str) -> tuple[Pattern, ...] | None:
    """The triple patterns QUERY can read; None when it may read anything. Those the previous
    version's manifest lists for the same text are taken from it (remember): the same software
    made it (dist.reusable), and rdflib takes about 0.04 s of CPU to parse a query."""
    if text in _KNOWN:
        return _KNOWN[text]
    return _patterns(text)


def listed(text: str) -> list[list[str | None]] | None:
    """patterns(TEXT) as the manifest lists them (its `canned` entries)."""
    found = patterns(text)
    return None if found is None else [list(p) for p in found]


def remember(previous: Path, manifest: dict) -> None:
    """Take the patterns the MANIFEST of the previous version (folder PREVIOUS) lists for each of
    its canned queries, keyed by the query's text as that version has it."""
    for name, entry in manifest.get("canned", {}).items():
        found = entry.get("patterns", False) if isinstance(entry, dict) else False
        if not (found is None or (isinstance(found, list) and all(
                isinstance(p, list) and len(p) == 3 and isinstance(p[1], str)
                and all(x is None or isinstance(x, str) for x in p) for p in found))):
            continue
        try:
            text = (previous / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        except OSError:
            continue
        _KNOWN[text] = None if found is None else tuple(tuple(p) for p in found)


@lru_cache(maxsize=256)
def _patterns(text: str) -> tuple[Pattern, ...] | None:
    """The patterns of TEXT read from its algebra, kept between builds (publish.parsed)."""
    from .parsed import recall
    return recall("patterns", text, lambda: _read_patterns(text), _well_formed)


def _well_formed(found: object) -> bool:
    return found is None or (isinstance(found, tuple) and all(
        isinstance(p, tuple) and len(p) == 3 and isinstance(p[1], str) and all(x is None or isinstance(x, str) for x in p)
        for p in found))


def _read_patterns(text: str) -> tuple[Pattern, ...] | None:
    if VOLATILE.search(text):
        return None
    try:
        out: list[Pattern] = []
        _walk(algebra(text), out, set())
    except _Everything:
        return None
    except Exception:  # noqa: BLE001 — a query rdflib cannot read is run again, never kept
        return None
    return tuple(sorted(set(out), key=lambda t: tuple(x or "" for x in t)))


def predicates(text: str) -> frozenset[str] | None:
    """The predicates (N-Triples terms) QUERY's triple patterns can match; None when it may read
    any triple (a variable predicate, GRAPH ?g…)."""
    found = patterns(text)
    return None if found is None else frozenset(p for _, p, _ in found)


def affected(text: str, changed: set[tuple[str, str, str]]) -> bool:
    """Whether a triple of CHANGED ((subject, predicate, object) in N-Triples) may change the
    answer of the query TEXT."""
    if not changed:
        return False
    pats = patterns(text)
    if pats is None:
        return True
    by_predicate: dict[str, list[Pattern]] = {}
    for p in pats:
        by_predicate.setdefault(p[1], []).append(p)
    for s, p, o in changed:
        for ps, _, po in by_predicate.get(p, ()):
            if (ps is None or ps == s) and (po is None or po == o):
                return True
    return False


def previous_text(previous: Path, manifest: dict, q: Path) -> str | None:
    """QUERY Q's text when the previous version (folder PREVIOUS, its MANIFEST) answered the same
    text: its row count listed, all its answer files there; None otherwise (publish.delta asks too)."""
    rows = manifest.get("canned", {}).get(q.stem)
    old = previous / "queries"
    if not (isinstance(rows, dict) and isinstance(rows.get("rows"), int)) \
            or not all((old / f"{q.stem}.{ext}").is_file() for ext in ANSWER_FILES):
        return None
    try:
        text = q.read_text(encoding="utf-8")
        return text if (old / q.name).read_text(encoding="utf-8") == text else None
    except OSError:
        return None


def keepable(previous: Path, manifest: dict, queries: list[Path], changed: set[tuple[str, str, str]]
             ) -> list[Path]:
    """The QUERIES whose answers in the previous version (folder PREVIOUS, its MANIFEST) stay true:
    the same query text, all its answer files there (previous_text), and no triple of CHANGED can
    reach it."""
    remember(previous, manifest)
    out = []
    for q in queries:
        text = previous_text(previous, manifest, q)
        if text is not None and not affected(text, changed):
            out.append(q)
    return out


def keep(previous: Path, manifest: dict, queries: list[Path], changed: set[tuple[str, str, str]], out: Path
         ) -> dict[str, int]:
    """The canned answers of the previous version (folder PREVIOUS, its MANIFEST) that stay true
    (keepable), linked into OUT (versions are never edited); returns NAME → rows for them."""
    rows = {name: v.get("rows") for name, v in manifest.get("canned", {}).items()}
    kept: dict[str, int] = {}
    for q in keepable(previous, manifest, queries, changed):
        files = [previous / "queries" / f"{q.stem}.{ext}" for ext in ANSWER_FILES]
        try:
            for f in files:
                try:
                    os.link(f, out / f.name)
                except OSError:
                    shutil.copyfile(f, out / f.name)
        except OSError:
            for f in files:
                (out / f.name).unlink(missing_ok=True)
            continue
        kept[q.stem] = rows[q.stem]
    return kept

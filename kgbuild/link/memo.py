"""The links graph's lines, joined again only where the statements changed.

A target's links (its outcomes, status, rule, confidence and progress: outcomes.join, progress.assess,
graph.mapping.links_to_rdf) depend only on the statements of its place and indicator: the join
takes the observations of its place, indicator and year, the progress those of its place and
indicator in other years. So the statements fall into groups, one per place and indicator (groups
that share a statement's subject merged), and a group's lines are a function of the group's rows
in corpus order, the base and the software. Those lines are kept in the cache folder (LINKS),
under the hash of those three; a rebuild joins and writes anew only the groups whose hash it has
not kept, and the graph is the kept lines and the new, distinct and sorted: byte for byte what
one join of every statement gives (rdflib's N-Triples lines of the union of the groups' graphs,
publish.ntriples; tests/test_link_memo.py compares them).

    KGLINKS1 (kgbuild.sealed): {group hash: its lines}

A missing or damaged file is no memo (every group joined); one that cannot be written is left as
it was.

Most rebuilds change no statement (an article's text, not its figures): then the lines are the
published links graph's, and `of_articles` says so without grouping, hashing and joining the
34,700 rows of 5,000 articles again (0.3 s of CPU). It keeps beside the memo (LAST) the hash of
every article's rows in corpus order, the SHA-256 of the lines they gave, and each cache entry's
rows' hash (an entry's key fixes its rows: only the articles extracted anew are hashed); when the
rows' hash is the one kept and the published lines have that SHA-256, they are the lines.

    KGLINKSLAST1 (kgbuild.sealed): {"rows": hash, "links": SHA-256, "entries": {cache key: hash}}
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from .. import sealed
from ..graph.lines import canonical
from ..graph.mapping import links_to_rdf
from .outcomes import from_rows, join
from .progress import assess

MAGIC = b"KGLINKS1"
NAME = "links.memo"
LAST_MAGIC = b"KGLINKSLAST1"
LAST = "links.last"


def groups(statements: list[tuple]) -> list[list[tuple]]:
    """The rows of STATEMENTS (each article's, in corpus order) grouped by place and indicator (the
    row's third and fourth columns), groups holding rows of one subject merged; each group's rows in
    the order given."""
    out: dict = defaultdict(list)
    first: dict[str, tuple] = {}
    apart = []                          # pairs of groups one subject's rows fall in
    for r in statements:
        g = (r[2], r[3])
        out[g].append(r)
        other = first.setdefault(r[0], g)
        if other != g:
            apart.append((g, other))
    if not apart:
        return list(out.values())
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = x = parent[parent[x]]
        return x

    for a, b in apart:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b, key=repr)] = min(a, b, key=repr)
    merged: dict = defaultdict(list)
    for r in statements:
        merged[find((r[2], r[3]))].append(r)
    return list(merged.values())


def _hash(rows: list[tuple], salt: bytes) -> str:
    return hashlib.sha256(salt + repr(rows).encode("utf-8")).hexdigest()


def lines(statements: list[tuple], base: str, fingerprint: str, folder: Path | None, read: bool = True) -> list[str]:
    """The lines of the links graph of STATEMENTS (the rows of every article, in corpus order),
    without corrections: sorted, distinct. The groups kept in FOLDER (when READ) are not joined
    again; FOLDER then keeps this build's groups."""
    salt = f"{fingerprint}\0{base}\0".encode("utf-8")
    parts = groups(statements)
    hashes = [_hash(rows, salt) for rows in parts]
    kept = _read(folder) if folder is not None and read else {}
    todo = [i for i, h in enumerate(hashes) if h not in kept]
    made = _join([parts[i] for i in todo], base)
    if made is None:                    # a line no group owns: the whole graph joined at once
        return _whole(statements, base)
    new = dict(zip((hashes[i] for i in todo), made))
    if folder is not None and (todo or kept.keys() != set(hashes)):
        _write(folder, {h: kept[h] if h in kept else new[h] for h in hashes})
    out = {line for h in hashes for line in (kept[h] if h in kept else new[h])}
    return sorted(out)


def _join(parts: list[list[tuple]], base: str) -> list[tuple[str, ...]] | None:
    """Each group's lines, the groups joined together (one join, one graph); None when a line's
    subject is not a target of one group (or the progress of one)."""
    if not parts:
        return []
    owner = {r[0]: i for i, rows in enumerate(parts) for r in rows}
    stmts = from_rows(r for rows in parts for r in rows)
    steps, found = assess(stmts, join(stmts))
    out: list[list[str]] = [[] for _ in parts]
    for line in canonical(links_to_rdf(found, base, steps)).splitlines():
        if not line:
            continue
        s = line.split(" ", 1)[0]
        i = owner.get(s[1:-1].split("#progress-", 1)[0] if "#progress-" in s else s[1:-1])
        if i is None:
            return None
        out[i].append(line)
    return [tuple(ls) for ls in out]


def _whole(statements: list[tuple], base: str) -> list[str]:
    stmts = from_rows(statements)
    steps, found = assess(stmts, join(stmts))
    return [line for line in canonical(links_to_rdf(found, base, steps)).splitlines() if line]


def _read(folder: Path) -> dict[str, tuple[str, ...]]:
    kept = sealed.read(folder / NAME, MAGIC)
    if not isinstance(kept, dict) or not all(isinstance(v, tuple) for v in kept.values()):
        return {}
    return kept


def _write(folder: Path, kept: dict[str, tuple[str, ...]]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sealed.write(folder / NAME, MAGIC, {h: kept[h] for h in sorted(kept)})
    except OSError:
        pass


def of_articles(kept: list, base: str, fingerprint: str, folder: Path | None, read: bool = True,
                published: set[str] | None = None) -> list[str]:
    """lines() of the rows of KEPT (ArticleBuild, in corpus order); the PUBLISHED lines (those of
    the published links graph) as they are when the rows are those that gave them (LAST)."""
    salt = f"{fingerprint}\0{base}\0".encode("utf-8")
    last = sealed.read(folder / LAST, LAST_MAGIC) if folder is not None and read else None
    if not (isinstance(last, dict) and isinstance(last.get("entries"), dict)):
        last = {"entries": {}}
    known, entries, each = last["entries"], {}, []
    for a in kept:
        entry = a.deferred.key if getattr(a, "deferred", None) is not None else None
        h = known.get(entry) if entry is not None else None
        if not isinstance(h, str):
            h = _hash([tuple(r) for r in a.statements], salt)
        if entry is not None:
            entries[entry] = h
        each.append(h)
    rows = hashlib.sha256(salt + "\n".join(each).encode("ascii")).hexdigest()
    if published is not None and last.get("rows") == rows:
        out = sorted(published)
        if _sha(out) == last.get("links"):
            if entries != known:                # the entries made since, not to hash again
                _keep_last(folder, {"rows": rows, "links": last["links"], "entries": entries})
            return out
    out = lines([r for a in kept for r in a.statements], base, fingerprint, folder, read)
    _keep_last(folder, {"rows": rows, "links": _sha(out), "entries": entries})
    return out


def _sha(lines: list[str]) -> str:
    return hashlib.sha256("".join(line + "\n" for line in lines).encode("utf-8")).hexdigest()


def _keep_last(folder: Path | None, last: dict) -> None:
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sealed.write(folder / LAST, LAST_MAGIC, last)
        except OSError:
            pass

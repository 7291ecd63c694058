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

The file also keeps the whole graph's lines under the hash of every row (in corpus order), the
base and the software: a rebuild whose rows are all as they were (an article whose text changed
but not its targets and values, or none) takes those lines as they are, without grouping,
hashing each group or sorting the union again. The rows are hashed as marshal writes them in its
version 2 (no references between objects, so the same rows give the same bytes however they were
made), a few times cheaper than their repr.

    KGLINKS2 (kgbuild.sealed): (hash of all the rows, the graph's lines, {group hash: its lines})

A missing or damaged file is no memo (every group joined); one that cannot be written is left as
it was.
"""

from __future__ import annotations

import bisect
import hashlib
import marshal
from collections import defaultdict
from pathlib import Path

from .. import sealed
from ..graph.lines import canonical
from ..graph.mapping import links_to_rdf
from .outcomes import from_rows, join
from .progress import assess

MAGIC = b"KGLINKS2"
NAME = "links.memo"


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
    try:
        data = marshal.dumps(rows, 2)       # version 2: no references, the same rows the same bytes
    except ValueError:                      # a value marshal does not write: its repr
        data = repr(rows).encode("utf-8")
    return hashlib.sha256(salt + data).hexdigest()


def lines(statements: list[tuple], base: str, fingerprint: str, folder: Path | None, read: bool = True) -> list[str]:
    """The lines of the links graph of STATEMENTS (the rows of every article, in corpus order),
    without corrections: sorted, distinct. When FOLDER (read when READ) kept the lines of the same
    rows, they are the answer; otherwise the groups it kept are not joined again. FOLDER then keeps
    this build's groups and lines. Without FOLDER, every statement is joined at once, neither
    grouped nor hashed (the same lines: tests/test_link_memo.py)."""
    if folder is None:                  # no memo to read or write (a build without a cache): one join
        return _whole(statements, base)
    salt = f"{fingerprint}\0{base}\0".encode("utf-8")
    whole = _hash(statements if isinstance(statements, list) else list(statements), salt)
    memo = _read(folder) if folder is not None and read else None
    if memo is not None and memo[0] == whole:
        return list(memo[1])
    kept = memo[2] if memo is not None else {}
    parts = groups(statements)
    hashes = [_hash(rows, salt) for rows in parts]
    todo = [i for i, h in enumerate(hashes) if h not in kept]
    made = _join([parts[i] for i in todo], base)
    if made is None:                    # a line no group owns: the whole graph joined at once
        return _whole(statements, base)
    new = dict(zip((hashes[i] for i in todo), made))
    out = _merged(memo, hashes, new) if memo is not None else None
    if out is None:
        out = sorted({line for h in hashes for line in (kept[h] if h in kept else new[h])})
    if folder is not None:
        _write(folder, (whole, tuple(out), {h: kept[h] if h in kept else new[h] for h in hashes}))
    return out


def _merged(memo: tuple, hashes: list[str], new: dict[str, tuple[str, ...]]) -> list[str] | None:
    """The lines of the groups HASHES from the lines the memo kept: those of its groups that are gone
    taken out, the NEW groups' put in (work in proportion to the change, not a sort of every line).
    Two groups hold no line in common (a line's subject is a target of its group, or its progress), so
    this is the sorted union; None when the lines say otherwise (the caller sorts the union)."""
    _, whole, kept = memo
    current = set(hashes)
    gone = {line for h, ls in kept.items() if h not in current for line in ls}
    added = sorted({line for ls in new.values() for line in ls})
    rest = [line for line in whole if line not in gone] if gone else list(whole)
    if len(rest) + sum(len(kept[h]) for h in kept.keys() - current) != len(whole):
        return None                     # a gone group's line is another's too
    for line in added:                  # a new line that was there already, in a group that stays
        i = bisect.bisect_left(whole, line)
        if i < len(whole) and whole[i] == line and line not in gone:
            return None
    return sorted(rest + added)         # two sorted runs: merged, not sorted anew


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


def _read(folder: Path) -> tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]] | None:
    kept = sealed.read(folder / NAME, MAGIC)
    if not (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], str) and isinstance(kept[1], tuple)
            and isinstance(kept[2], dict) and all(isinstance(v, tuple) for v in kept[2].values())):
        return None
    return kept


def _write(folder: Path, kept: tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        whole, lines_, parts = kept
        sealed.write(folder / NAME, MAGIC, (whole, lines_, {h: parts[h] for h in sorted(parts)}))
    except OSError:
        pass


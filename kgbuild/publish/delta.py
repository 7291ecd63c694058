"""Canned answers brought up to date row by row, in proportion to what changed.

A rebuild keeps a canned answer when no changed triple can reach the query (publish.canned) and
otherwise ran the query again in full, over an in-memory copy of the whole default graph. For a
query publish.shape can plan (every row binds a projected ROOT variable from which its patterns
hang), only the rows of some roots can change: those reaching a changed triple (added or removed)
that matches a pattern, walking the patterns back up from its root-side end over the updated
store plus the changed triples (the old graph lies within the new one and the removed triples).
Of those roots, the ones that may have rows in the updated store (every pattern of the query's
outer scope at the root matches there: `may_have_rows`) are asked for on it (a VALUES block on the
root, `restrict`), and the previous answer's rows of the ones that may have rows in the previous
store are cut out of its bytes (a root a change reaches is mostly new, or gone, or no root of
the query at all: an article's evidence node matches `?s a ?type`); the new rows are set in where
the query's ORDER BY puts them. The order is the engine's own: the rows to place and the rows
compared with them are sorted by one VALUES query per round of a binary search, with the
query's ORDER BY. Rows are pyoxigraph's own bytes, from the old answer or the new one, so the
file is what running the query in full writes (tests/test_delta.py compares them on random
edits). Whatever cannot be done so (no plan, a blank node to compare or look for, too many
roots, an unexpected answer) is left to the full run.
"""

from __future__ import annotations

import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from . import canned, shape
from .answer import Answer, _Full, _term, merge  # noqa: F401 — _Full and _term are used by the tests too

log = logging.getLogger("kgbuild")
MAX_ROOTS = 2000


# the restriction: VALUES ?root { K } at the start of every group that reads the root directly
_TOKEN = re.compile(r'''(?P<comment>\#[^\n]*)|(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)|(?P<pname>(?:[A-Za-z][A-Za-z0-9_.-]*)?:[A-Za-z0-9_:%.\-\u00b7\u00c0-\uffff]*)|(?P<word>[A-Za-z_][A-Za-z0-9_-]*)|(?P<punct>[{}()])|(?P<other>\S)''', re.S)


def restrict(text: str, root: str, values: str) -> str:
    """TEXT with `VALUES ?ROOT { VALUES }` opening each group graph pattern that names ?ROOT in a
    triple pattern of its own (not in a nested group, a sub-select's clauses or an expression):
    such a group binds the root in each of its solutions, so the VALUES keeps those of K."""
    frames: list[dict] = []
    inserts: list[int] = []
    pending = None                             # what the next "{" opens
    words: list[str] = []
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "comment":
            continue
        top = frames[-1] if frames else None
        if kind == "word":
            w = tok.upper()
            if w == "VALUES":
                pending = "data"
            elif w in ("EXISTS", "MINUS"):
                pending = "exists"
            elif top is not None and top["parens"] == 0:
                if w == "SELECT":
                    top["clause"] = True
                elif w == "WHERE":
                    top["clause"] = False
                elif w in ("GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"):
                    top["clause"] = True
            words.append(w)
        elif tok == "{":
            frames.append({"kind": pending or "group", "at": m.end(), "parens": 0, "clause": False, "root": False})
            pending = None
        elif tok == "}":
            if not frames:
                raise _Full()
            f = frames.pop()
            if f["kind"] == "group" and f["root"]:
                inserts.append(f["at"])
        elif top is None:
            continue
        elif tok == "(":
            top["parens"] += 1
        elif tok == ")":
            top["parens"] -= 1
        elif kind == "var" and tok[1:] == root and top["parens"] == 0 and not top["clause"] \
                and top["kind"] == "group":
            top["root"] = True
    if frames or not inserts:
        raise _Full()
    # as a sub-select: pyoxigraph's optimiser then starts from it (a bare VALUES block of more than
    # about ten rows was joined after the other patterns: 1.3 s instead of 0.04 s for
    # link-statements.rq at 5,000 articles)
    block = f" {{ SELECT ?{root} WHERE {{ VALUES ?{root} {{ {values} }} }} }} "
    for at in sorted(inserts, reverse=True):
        text = text[:at] + block + text[at:]
    return text


# ---------------------------------------------------------------------------------------------
# which roots
class Changed:
    """The changed triples (added or removed), parsed once and indexed for every query's walk:
    by predicate, by (subject, predicate) and by (predicate, object), N-Triples strings as keys."""

    def __init__(self, changed: set[tuple[str, str, str]]) -> None:
        keys = sorted(changed)
        doc = "".join(f"{s} {p} {o} .\n" for s, p, o in keys).encode("utf-8")
        # one triple a line, in order: each keyed by its own line's terms, as a store writes them
        # (store.update_store's keys), not written out again from the parsed terms
        self.terms = list(zip(ox.parse(doc, format=ox.RdfFormat.N_TRIPLES), keys, strict=True))
        self.by_predicate: dict[str, list] = {}
        self.by_subject: dict[tuple[str, str], list] = {}
        self.by_object: dict[tuple[str, str], list] = {}
        self.memo: dict = {}                    # delta.may_have_rows's look-ups, for every query
        for t, (s, p, o) in self.terms:
            self.by_predicate.setdefault(p, []).append((t, s, o))
            self.by_subject.setdefault((s, p), []).append(t.object)
            self.by_object.setdefault((p, o), []).append(t.subject)

    def __len__(self) -> int:
        return len(self.terms)


def _terms(changed: set[tuple[str, str, str]]) -> Changed:
    return Changed(changed)


def roots(plan: shape.Plan, changed: Changed, st: ox.Store) -> dict[str, ox.NamedNode | ox.Literal] | None:
    """The root values (N-Triples → term) whose rows a triple of CHANGED may change, walking up
    PLAN's patterns over ST's default graph plus CHANGED (the old graph lies within the new one
    and the removed triples); None when any row may change."""
    default = ox.DefaultGraph()
    seen: set[tuple[str, str]] = set()
    found: dict[str, ox.NamedNode | ox.Literal] = {}
    todo: list[tuple[str, object]] = []
    for e in plan.edges:
        side = plan.side(e)
        for p in e.preds:
            for t, s, o in changed.by_predicate.get(p, ()):
                if (not e.s.startswith("?") and e.s != s) or (not e.o.startswith("?") and e.o != o):
                    continue
                if side is None:
                    return None
                todo.append((e.s, t.subject) if side == "s" else (e.o, t.object))
    while todo:
        var, term = todo.pop()
        key = (var, str(term))
        if key in seen:
            continue
        seen.add(key)
        if plan.parent[var] is None:
            found[str(term)] = term
            if len(found) > 4 * MAX_ROOTS:     # most may have no row (below), but too many to look at
                return None
            continue
        step = plan.up[var][0]
        for p in step.preds:
            pred = ox.NamedNode(p[1:-1])
            if step.child_is_object:
                ups = [q.subject for q in st.quads_for_pattern(None, pred, term, default)]
                ups += changed.by_object.get((p, str(term)), [])
            elif isinstance(term, (ox.NamedNode, ox.BlankNode)):
                ups = [q.object for q in st.quads_for_pattern(term, pred, None, default)]
                ups += changed.by_subject.get((str(term), p), [])
            else:
                ups = []
            todo.extend((plan.parent[var], u) for u in ups)
    if any(isinstance(t, ox.BlankNode) for t in found.values()):
        return None
    return found


def may_have_rows(plan: shape.Plan, term, st: ox.Store, memo: dict | None = None) -> bool:
    """Whether the root TERM may have rows in ST's default graph: every pattern each solution
    matches at the root (in the query's outer scope, outside OPTIONAL, UNION, MINUS and EXISTS,
    the root at one end) matches a triple there. Most roots a change reaches have rows before
    it or after it, not both (a statement added: the article's evidence and article nodes are
    reached by `?s a ?type` too, and have none). MEMO keeps what each look-up found, for the
    other queries (they share roots and patterns: `?s a ?type ; ptkg:place ?place`)."""
    key = str(term)
    memo = {} if memo is None else memo
    required = memo.get(("required", id(plan)))
    if required is None:
        required = memo[("required", id(plan))] = _required(plan)
    for e, outgoing, fixed in required:
        if outgoing:                            # the root's own triples, read once for every query
            if not isinstance(term, (ox.NamedNode, ox.BlankNode)):
                return False                    # a literal is no subject
            out = memo.get((id(st), key))
            if out is None:                     # filled, then shared (the queries run in threads)
                out = {}
                for q in st.quads_for_pattern(term, None, None, ox.DefaultGraph()):
                    out.setdefault(str(q.predicate), set()).add(str(q.object))
                memo[(id(st), key)] = out
            hit = any(p in out and (fixed is None or fixed in out[p]) for p in e.preds)
        else:                                   # the root as an object: often of many triples
            asked = (id(st), key, e.preds, fixed)
            hit = memo.get(asked)
            if hit is None:
                hit = memo[asked] = any(_points_to(st, term, p, fixed) for p in e.preds)
        if not hit:
            return False
    return True


def _required(plan: shape.Plan) -> list[tuple[shape.Edge, bool, str | None]]:
    """PLAN's patterns in the outer scope with the root at one end: (pattern, whether the root is
    its subject, the other end when it is a constant)."""
    root = "?" + plan.root
    out = []
    for e in plan.edges:
        if e.scope == () and root in (e.s, e.o):
            other = e.o if e.s == root else e.s
            out.append((e, e.s == root, None if other.startswith("?") else other))
    return out


def _points_to(st: ox.Store, term, p: str, fixed: str | None) -> bool:
    """Whether ST's default graph has a triple (FIXED P TERM), FIXED None for any subject."""
    quads = st.quads_for_pattern(None, ox.NamedNode(p[1:-1]), term, ox.DefaultGraph())
    return any(str(q.subject) == fixed for q in quads) if fixed else next(quads, None) is not None


def update(text: str, old_body: bytes, changed: Changed, st: ox.Store, base_iri: str, rows: int | None = None,
           record: list | None = None, before: ox.Store | None = None) -> tuple[bytes, int | None]:
    """The new answer of the query TEXT, from its previous answer OLD_BODY (of ROWS rows, when
    known), the changed triples (_terms) and the updated store ST, and its rows (None when ROWS is);
    raises _Full when it cannot. BEFORE, when given, is the store OLD_BODY was the answer of: only
    the roots that may have rows there are looked for in it. RECORD, when given, gets the rows
    taken out and those set in."""
    plan = shape.plan(text)
    if plan is None or not plan.order:
        raise _Full()
    found = roots(plan, changed, st)
    if found is None:
        raise _Full()
    now = {k for k, t in found.items() if may_have_rows(plan, t, st, changed.memo)}
    was = {k for k, t in found.items() if before is None or may_have_rows(plan, t, before, changed.memo)}
    if len(now) > MAX_ROOTS or len(was) > MAX_ROOTS:
        raise _Full()
    if not now and not was:
        return old_body, rows
    old = Answer(old_body)
    new = None
    if now:
        res = st.query(restrict(text, plan.root, " ".join(sorted(now))), base_iri=base_iri)
        new = Answer(res.serialize(format=ox.QueryResultsFormat.JSON))
        for s, e in new.spans():
            b = new.row(s).get(plan.root)
            if b is None or str(_term(b)) not in now:
                raise _Full()                  # the restriction missed a part of the query
    drop = old.rooted(plan.root, was) if was else []
    body, added = merge(plan, old, new, drop)
    if record is not None:
        record[:] = [old.row(s) for s, _ in drop], [new.row(s) for s, _ in new.spans()] if new else []
    return body, None if rows is None else rows - len(drop) + added


ON_STORE = 2          # at most this many queries no plan covers run on the store itself, not on a copy


def unplanned(previous: Path, manifest: dict, queries: list[Path]) -> list[Path]:
    """The QUERIES refresh cannot consider: no plan (publish.shape), another text than the previous
    version's (folder PREVIOUS, its MANIFEST), or no answer there."""
    shape.remember(previous, manifest)
    out = []
    for q in queries:
        text = canned.previous_text(previous, manifest, q)
        if text is None or shape.plan(text) is None:
            out.append(q)
    return out


def on_the_store(previous: Path, manifest: dict, queries: list[Path]) -> bool:
    """Whether the canned QUERIES a rebuild must run in full are few enough, and no plan covers
    them (they will not be run because too much changed), to run them on the updated store rather
    than load the default graph in memory for them (3.2 s of CPU at 5,000 articles, where
    target-provenance.rq takes 1.2 s on the store)."""
    return len(queries) <= ON_STORE and len(unplanned(previous, manifest, queries)) == len(queries)


def refresh(previous: Path, manifest: dict, queries: list[Path], changed: set[tuple[str, str, str]],
            store_dir: Path, out: Path, base_iri: str, changes: dict | None = None) -> dict[str, int]:
    """The answers of QUERIES (not kept as they were) that can be brought up to date from the
    previous version's (folder PREVIOUS, its MANIFEST), written into OUT; NAME → rows. CHANGES,
    when given, gets NAME → (the rows taken out, the rows set in: SPARQL JSON bindings)."""
    from .store import write_answer
    left = unplanned(previous, manifest, queries)
    candidates = [(q, q.read_text(encoding="utf-8")) for q in queries if q not in left]
    if not candidates:
        return {}
    try:
        terms = _terms(changed)
        st = ox.Store.read_only(str(store_dir))
    except (OSError, ValueError, SyntaxError, RuntimeError) as e:
        log.debug("cannot update the canned answers (%s); they run in full", e)
        return {}
    try:                                # the store the previous answers were answers of
        before = ox.Store.read_only(str(previous / "store"))
    except (OSError, ValueError, RuntimeError) as e:
        log.debug("cannot read the previous store (%s); every root is looked for in the previous answers", e)
        before = None

    def one(item: tuple[Path, str]) -> tuple[int, tuple] | None:
        q, text = item
        try:
            record: list = [[], []]
            body, n = update(text, (previous / "queries" / f"{q.stem}.json").read_bytes(), terms, st, base_iri,
                             manifest["canned"][q.stem]["rows"], record, before)
        except _Full:
            return None
        except (OSError, ValueError, SyntaxError, RuntimeError) as e:
            log.debug("%s: updating the answer failed (%s); it runs in full", q.stem, e)
            return None
        return write_answer(out, q.stem, body, rows=n), tuple(record)

    # one thread a core: pyoxigraph lets go of the GIL while it evaluates and serialises (two
    # restricted queries at once take half the wall time of one after the other); each query
    # writes its own file, and the results are taken in the queries' order; the plans were made
    # (unplanned, above) before the threads start, so no thread parses a query with rdflib
    with ThreadPoolExecutor(max_workers=max(1, min(len(candidates), os.cpu_count() or 1)),
                            thread_name_prefix="delta") as pool:
        results = list(pool.map(one, candidates))
    done: dict[str, int] = {}
    for (q, _), result in zip(candidates, results):
        if result is None:
            continue
        done[q.stem] = result[0]
        if changes is not None:
            changes[q.stem] = result[1]
    return done

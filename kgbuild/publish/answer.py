"""A canned answer's rows as pyoxigraph wrote them (SPARQL 1.1 JSON results), and setting new rows
in among them in the query's order (publish.delta). Rows are never rewritten: the bytes of an
updated answer are the previous answer's and the new rows' own, so the file is what the engine
writes for the whole query. The order is the engine's: the rows to compare are given to an
in-memory pyoxigraph store as a VALUES block and sorted by the query's ORDER BY."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

WIDE = 64             # old rows the first round of merge compares every new row with
FEW_NEEDLES = 8       # up to this many roots are looked for one by one in an answer (a search of the
                      # bytes: 3.6 ms over 40 MB), more in one pass (36 ms)
_ROW = re.compile(rb'\{"[^"\\,:{}\[\]]+":\{"type":"')        # where a solution opens (store._SOLUTION)
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'                       # a JSON string, unrolled: 3 times faster


class _Full(Exception):
    """Run the query in full."""


def _term(b: dict) -> ox.NamedNode | ox.Literal:
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "literal":
        if "xml:lang" in b:
            return ox.Literal(b["value"], language=b["xml:lang"])
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"])) if "datatype" in b \
            else ox.Literal(b["value"])
    raise _Full()                              # a blank node or a triple term


class Answer:
    """A SPARQL JSON results document as pyoxigraph writes it: its rows as byte spans."""

    def __init__(self, body: bytes) -> None:
        if not body.endswith(b"]}}") or b'"type":"triple"' in body:
            raise _Full()
        self.body = body
        self.start = body.index(b'"bindings":[') + len(b'"bindings":[')
        self.end = len(body) - 3
        self.head = body[:self.start]
        self._rows: dict[int, dict] = {}

    def row_start(self, at: int) -> int:
        """The start of the first row that starts at or after AT (self.end if none)."""
        if at <= self.start:
            return self.start if self.start < self.end else self.end
        while True:
            i = self.body.find(b",{", at - 1, self.end)
            if i < 0:
                return self.end
            if self.body[i - 1:i] == b"}" and _ROW.match(self.body, i + 1):
                return i + 1
            at = i + 2

    def row_end(self, start: int) -> int:
        nxt = self.row_start(start + 1)
        return self.end if nxt >= self.end else nxt - 1

    def row(self, start: int) -> dict:
        if start not in self._rows:
            self._rows[start] = json.loads(self.body[start:self.row_end(start)])
        return self._rows[start]

    def spans(self) -> list[tuple[int, int]]:
        out, at = [], self.row_start(self.start)
        while at < self.end:
            end = self.row_end(at)
            out.append((at, end))
            at = end + 1
        return out

    def rooted(self, root: str, keys: set[str]) -> list[tuple[int, int]]:
        """The spans of the rows whose ROOT binding is one of KEYS (N-Triples terms): found by the
        bytes pyoxigraph writes for each (`"root":{"type":…}`, unescaped quotes: never inside a
        string), one search each for a few, one pass over the rows for many."""
        prefix = b'{"' + root.encode() + b'":'
        key = Answer(ox.Store().query(f"SELECT ?{root} WHERE {{ VALUES ?{root} {{ {' '.join(sorted(keys))} }} }}")
                     .serialize(format=ox.QueryResultsFormat.JSON))
        needles = {key.body[s + 1:e - 1] for s, e in key.spans() if key.body.startswith(prefix, s)}
        if len(needles) != len(keys):
            raise _Full()
        found = []
        if len(needles) <= FEW_NEEDLES:
            for n in needles:
                at = self.body.find(n, self.start, self.end)
                while at >= 0:
                    found.append(at)
                    at = self.body.find(n, at + len(n), self.end)
        else:
            pat = re.compile(rb'"' + re.escape(root.encode()) + rb'":\{"type":"(?:uri|literal|bnode)","value":'
                             + _STRING + rb'(?:,"(?:xml:lang|datatype)":' + _STRING + rb')?\}')
            found = [m.start() for m in pat.finditer(self.body, self.start, self.end) if m.group() in needles]
        out = []
        for at in found:
            start = self._back(at)
            out.append((start, self.row_end(start)))
        return sorted(set(out))

    def _back(self, at: int) -> int:
        i = at
        while True:
            i = self.body.rfind(b"{", self.start, i)
            if i < 0:
                raise _Full()
            if self.body[i - 1:i] in (b",", b"[") and _ROW.match(self.body, i) and (
                    i == self.start or self.body[i - 2:i - 1] == b"}"):
                return i


def _sparql(b: dict | None) -> str:
    return "UNDEF" if b is None else str(_term(b))


def _values(order, row: dict) -> str:
    """ROW's (JSON bindings) terms that ORDER sorts by, as SPARQL (a VALUES row without brackets)."""
    return " ".join(_sparql(row.get(v)) for v, _ in order)


def _ranks(order, rows: list[str]) -> list[int]:
    """Where the engine's ORDER BY (ORDER: (variable, descending)…, then the row's index) puts
    each of ROWS (_values)."""
    data = " ".join(f"({r} {i})" for i, r in enumerate(rows))
    conds = " ".join(f"DESC(?{v})" if d else f"?{v}" for v, d in order)
    q = (f"SELECT ?k WHERE {{ VALUES ({' '.join('?' + v for v, _ in order)} ?k) {{ {data} }} }} "
         f"ORDER BY {conds} ?k")
    rank = [0] * len(rows)
    for n, sol in enumerate(ox.Store().query(q)):
        rank[int(sol["k"].value)] = n
    return rank


def merge(plan, old: Answer, new: Answer | None, drop: list[tuple[int, int]]) -> tuple[bytes, int]:
    """OLD's rows without the spans DROP, and NEW's rows (None: none), in the query's order; and
    the rows set in."""
    if new is not None and old.head != new.head:
        raise _Full()
    fresh = new.spans() if new is not None else []
    rows = [_values(plan.order, new.row(s)) for s, _ in fresh]
    probed: dict[int, str] = {}
    lo = [old.row_start(old.start)] * len(fresh)
    hi = [old.end] * len(fresh)
    # the first round probes WIDE rows spread over the answer for every new row at once, the
    # others one row in the middle of what is left for each
    spread = sorted({old.row_start(old.start + k * (old.end - old.start) // WIDE) for k in range(WIDE)} - {old.end})
    first = True
    while True:
        active = [i for i in range(len(fresh)) if lo[i] < hi[i]]
        if not active:
            break
        probes: dict[int, list[int]] = {}
        for i in active:
            if first:
                probes[i] = spread
            else:
                r = old.row_start((lo[i] + hi[i]) // 2)
                probes[i] = [r if r < hi[i] else lo[i]]
        first = False
        offsets = sorted({o for ps in probes.values() for o in ps})
        for o in offsets:
            if o not in probed:
                probed[o] = _values(plan.order, old.row(o))
        rank = _ranks(plan.order, [probed[o] for o in offsets] + [rows[i] for i in active])
        where = {o: rank[j] for j, o in enumerate(offsets)}
        for n, i in enumerate(active):
            mine = rank[len(offsets) + n]
            before = [o for o in probes[i] if where[o] < mine]        # the old rows sorted before it
            after = [o for o in probes[i] if where[o] > mine]
            if before:
                lo[i] = max(lo[i], old.row_start(old.row_end(before[-1]) + 1))
            if after:
                hi[i] = min(hi[i], after[0])
    cuts = sorted({old.start, old.end} | {a for a, _ in drop} | {b for _, b in drop} | set(lo))
    dropped = set(drop)
    at_cut: dict[int, list] = {}
    for i, (s, e) in enumerate(fresh):
        at_cut.setdefault(lo[i], []).append(memoryview(new.body)[s:e])
    # the old rows kept are views of the old bytes, without the commas at their ends: the answer
    # (tens of MB at 5,000 articles) is copied once, by the join
    view, comma = memoryview(old.body), ord(",")
    parts: list = [old.head]
    for a, b in zip(cuts, cuts[1:] + [None]):
        for piece in at_cut.get(a, []):
            parts += (piece, b",")
        if b is None or (a, b) in dropped:
            continue
        while a < b and old.body[a] == comma:
            a += 1
        while b > a and old.body[b - 1] == comma:
            b -= 1
        if a < b:
            parts += (view[a:b], b",")
    if len(parts) > 1:
        parts.pop()                            # the last comma
    parts.append(view[old.end:])
    return b"".join(parts), len(fresh)

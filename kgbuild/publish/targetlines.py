"""targets.csv brought up to date from the previous version's, with the rows publish.delta took
out of and set in the answers of queries/targets.rq and outcomes.rq (publish.records.updated),
and the manifest's summary of the records with it.

targets.csv has one line per target, in the order the target first appears in targets.rq's answer
(ORDER BY ?article ?begin ?target …): the lines of one article (the record's, its first row's) are
together, ordered by article. An update finds the lines of each article a changed target was or is
in by a binary search over the lines, and orders them again by the rows of that article in the new
answer (found by a binary search over its bytes: publish.answer.Answer); a target whose outcomes
changed (outcomes.rq's answer, ordered by ?target) gets its outcomes from its rows there. Only those
lines are parsed or made; the others are the previous file's bytes. The summary follows from the
records taken out and set in, but for a year at an end of the span whose records all went: then
the years are read from every line. A cell the CSV escapes or quotes where a value is looked for,
or a line break in a cell, makes them in full (None). tests/test_records_update.py compares the
result with a full build's on random edits.
"""

from __future__ import annotations

import csv
import io
import json

from ..report import targets
from .answer import Answer, _Full

BOM = "\ufeff"                                    # Excel reads the file as UTF-8
HEAD = targets.to_csv([])                         # the header line
HEADER = (BOM + HEAD).encode("utf-8")
ARTICLE, YEAR, URI, OUTCOMES = (targets.FIELDS.index(f) for f in ("article", "year", "uri", "outcomes"))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _value(b: dict, name: str, iri: bool) -> str:
    """The value NAME binds in the solution B: an IRI, or a simple literal (which Python's order of
    strings sorts as SPARQL does); _Full for anything else."""
    t = b.get(name)
    if t is None or t["type"] != ("uri" if iri else "literal") \
            or "xml:lang" in t or t.get("datatype", XSD_STRING) != XSD_STRING:
        raise _Full()
    return t["value"]


def _cells(line: bytes) -> list[str]:
    return next(csv.reader([line.decode("utf-8")]))


def _line(cells: list) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    out = buf.getvalue().encode("utf-8")[:-1]
    if b"\n" in out:                         # a line break in a cell: lines are no longer records
        raise _Full()
    return out


class _Lines:
    """The previous targets.csv's records, one line each (COUNT of them, none with a line break)."""

    def __init__(self, data: bytes, count: int) -> None:
        if not data.startswith(HEADER):
            raise _Full()
        body = data[len(HEADER):]
        self.lines = body[:-1].split(b"\n") if body else []
        if (body and not body.endswith(b"\n")) or len(self.lines) != count:
            raise _Full()
        self.body = body
        self._cells: dict[int, list[str]] = {}

    def cell(self, i: int, at: int) -> str:
        if i not in self._cells:
            self._cells[i] = _cells(self.lines[i])
        v = self._cells[i][at]
        if v[:1] == "'":                      # perhaps safe_cell's: not the value
            raise _Full()
        return v

    def block(self, article: str) -> tuple[int, int]:
        """The lines of the records of ARTICLE (where they would go, when none)."""
        def first(after: bool) -> int:
            lo, hi = 0, len(self.lines)
            while lo < hi:
                mid = (lo + hi) // 2
                a = self.cell(mid, ARTICLE)
                if a < article or (after and a == article):
                    lo = mid + 1
                else:
                    hi = mid
            return lo
        return first(False), first(True)

    def find(self, uri: str) -> int | None:
        """The line of the record of URI, found by its cell's bytes; None when there is none."""
        if any(c in uri for c in ',"\r\n') or uri[:1] in ("=", "+", "-", "@", "\t", "'"):
            raise _Full()
        needle = f",{uri},".encode("utf-8")
        at = self.body.find(needle)
        while at >= 0:
            i = self.body.count(b"\n", 0, at)
            if self.cell(i, URI) == uri:
                return i
            at = self.body.find(needle, at + 1)
        return None


class _Sorted:
    """A canned answer as pyoxigraph wrote it, its rows ordered first by the variable FIRST (bound
    to an IRI, when IRI, or a simple literal in every row): the rows of one value found by a binary
    search over its bytes, a few rows parsed."""

    def __init__(self, body: bytes, first: str, iri: bool) -> None:
        self.a = Answer(body)
        self.names = json.loads(self.a.head + b"]}}")["head"]["vars"]
        self.first, self.iri = first, iri

    def _next(self, s: int) -> int:
        return min(self.a.row_end(s) + 1, self.a.end)

    def rows(self, value: str) -> list[dict]:
        """The rows (values, report.targets.values) whose FIRST is VALUE, in the answer's order."""
        a = self.a
        lo, hi = a.row_start(a.start), a.end
        while lo < hi:
            mid = a.row_start((lo + hi) // 2)
            mid = mid if mid < hi else lo
            if _value(a.row(mid), self.first, self.iri) < value:
                lo = self._next(mid)
            else:
                hi = mid
        out = []
        while lo < a.end and _value(a.row(lo), self.first, self.iri) == value:
            out.append(targets.values(self.names, a.row(lo)))
            lo = self._next(lo)
        return out


def patched(old_csv: bytes, old: dict, targets_answer: bytes, outcomes_answer: bytes,
            target_change: tuple[list, list], outcome_change: tuple[list, list]) -> tuple[dict, bytes] | None:
    """The summary and targets.csv of the new answers TARGETS_ANSWER and OUTCOMES_ANSWER, from
    the previous targets.csv OLD_CSV and summary OLD, and the rows taken out of and set in each
    answer since (SPARQL JSON bindings, in the answer's order; publish.delta: targets.rq's
    rows are all of the targets they name, outcomes.rq's all of the outcomes); None when they
    cannot be placed (make them in full, then)."""
    try:
        return _patched(old_csv, old, targets_answer, outcomes_answer, target_change, outcome_change)
    except (_Full, ValueError, KeyError, TypeError, IndexError, csv.Error):
        return None


def _patched(old_csv, old, targets_answer, outcomes_answer, target_change, outcome_change):
    lines = _Lines(old_csv, old["count"])
    tnew, onew = _Sorted(targets_answer, "article", False), _Sorted(outcomes_answer, "target", True)
    before: dict[str, list[dict]] = {}             # a changed target → its rows taken out, set in
    after: dict[str, list[dict]] = {}
    for rows, into in ((target_change[0], before), (target_change[1], after)):
        for b in rows:
            _value(b, "article", False)
            into.setdefault(_value(b, "target", True), []).append(targets.values(tnew.names, b))
    changed = set(before) | set(after)
    linked = {_value(b, "target", True) for b in outcome_change[0] + outcome_change[1]}   # outcomes changed
    made: dict[str, dict] = {}

    def outcomes(uri: str) -> list[dict]:
        stub = {"outcomes": []}
        targets.attach({uri: stub}, onew.rows(uri))
        return stub["outcomes"]

    def new_line(uri: str) -> bytes:
        rec = made[uri] = targets.grouped(after[uri], "target")[0]
        rec["outcomes"] = outcomes(uri)
        line = targets.to_csv([rec])[len(HEAD):].encode("utf-8")
        if line.count(b"\n") != 1:
            raise _Full()
        return line[:-1]

    def relined(i: int, uri: str) -> bytes:           # a line with its target's outcomes again
        cells = _cells(lines.lines[i])
        cells[OUTCOMES] = targets.safe_cell(targets.outcomes_cell(outcomes(uri)))
        return _line(cells)

    home = {uri: rows[0]["article"] for uri, rows in after.items()}     # the article of its record now
    splices, placed = [], set()
    for article in sorted({rows[0]["article"] for rows in before.values()} | set(home.values())):
        lo, hi = lines.block(article)
        there = {lines.cell(i, URI): i for i in range(lo, hi)}
        block, seen = [], set()
        for r in tnew.rows(article):               # the lines, in the order their targets first appear
            uri = r["target"]
            if uri in seen:
                continue
            seen.add(uri)
            if uri in changed:
                if home.get(uri) == article:
                    block.append(new_line(uri))
            elif uri in there:
                block.append(relined(there[uri], uri) if uri in linked else lines.lines[there[uri]])
        if any(u not in seen for u in there if u not in changed) \
                or any(u not in seen for u, a in home.items() if a == article):
            raise _Full()
        splices.append((lo, hi, block))
        placed |= set(there)
    lines_now = list(lines.lines)
    for uri in sorted(linked - changed - placed):  # in place, elsewhere: only the outcomes changed
        i = lines.find(uri)
        if i is not None:
            if any(lo <= i < hi for lo, hi, _ in splices):
                raise _Full()
            lines_now[i] = relined(i, uri)
    final, at = [], 0
    for lo, hi, block in splices:
        final += lines_now[at:lo]
        final += block
        at = hi
    final += lines_now[at:]
    body = b"\n".join(final) + b"\n" if final else b""
    gone = [targets.grouped(rows, "target")[0] for rows in before.values()]
    return _summary(old, final, body, gone, list(made.values())), HEADER + body


def _summary(old: dict, final: list[bytes], body: bytes, gone: list[dict], new: list[dict]) -> dict:
    """OLD (summary) with the records GONE taken out and NEW set in: FINAL, the lines now (BODY)."""
    counts = dict(old["statuses"])
    for recs, step in ((gone, -1), (new, 1)):
        for r in recs:
            if r["status"]:
                counts[r["status"]] = counts.get(r["status"], 0) + step
    if any(n < 0 for n in counts.values()):
        raise _Full()
    years = set() if old["years"] is None else set(old["years"])
    lost = {y for y in years if y in {r["year"] for r in gone} and not _has_year(body, y)}
    if lost:                                        # an end of the span may have moved inward: read them all
        years = {int(c[YEAR]) for c in csv.reader(line.decode("utf-8") for line in final) if c[YEAR] not in ("", "0")}
    else:
        years |= {r["year"] for r in new if r["year"]}
    first = [_cells(final[0])[URI]] if final else []
    if first and first[0][:1] == "'":
        raise _Full()
    return {"count": len(final), "years": [min(years), max(years)] if years else None,
            "statuses": dict(sorted((k, n) for k, n in counts.items() if n)), "first": first}


def _has_year(body: bytes, year: int) -> bool:
    """Whether a line of BODY has YEAR in its year cell (found by its bytes, the line then read)."""
    needle = f",{year},".encode()
    at = body.find(needle)
    while at >= 0:
        start = body.rfind(b"\n", 0, at) + 1
        if _cells(body[start:body.index(b"\n", at)])[YEAR] == str(year):
            return True
        at = body.find(needle, at + 1)
    return False

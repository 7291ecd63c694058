"""The review queue: what no person has checked yet, least confident first (queries/review.rq).

One item per unconfirmed Target, Observation and outcome link (a target's verdict and the outcome
it rests on), with its sentence, the reading, why the build is unsure, and the YAML entries that
would confirm or reject it, ready to paste into a corrections file (kgbuild.correct). The build
writes the queue to dist/review.json for the server's /review page; `kgbuild review` prints it.
"""

from __future__ import annotations

from pathlib import Path

import bisect
import csv
import io
import json
from decimal import Decimal

from ..publish import store
from .targets import _rows, safe_cell

FIELDS = ("kind", "confidence", "place", "year", "article", "reading", "sentence", "why", "iri", "path",
          "confirm", "reject")
KINDS = ("target", "observation", "outcome")
TODAY = "{today}"          # filled with the day the queue is shown (the build's output stays the same every day)


def _path(iri: str, base: str) -> str:
    root = base.rstrip("/") + "/"
    return iri[len(root):] if iri.startswith(root) else iri


REASONS = {"confirm": "核对原文无误 checked against the sentence", "reject": "不是目标 not a target",
           "link": "核对实际结果无误 outcome checked", "unlink": "不是该目标的实际结果 not this target's outcome"}


def _entry(path: str, action: str, extra: str = "", reject_what: str = "") -> str:
    reason = REASONS[action] if action != "reject" or not reject_what else "不是已报告值 not a reported value"
    return (f"# {action}: {path.rsplit('/', 1)[-1]}\n- iri: {path}\n  action: {action}\n{extra}  reason: {reason}\n"
            f"  by: \"\"   # your name: an entry without one is refused\n  date: {TODAY}\n")


def _key(i: dict) -> tuple:
    return i["confidence"], KINDS.index(i["kind"]), i["iri"]


def _item(r: dict, base: str) -> dict:
    """The item of one row of review.rq's answer."""
    kind = r["kind"]
    path = _path(r["item"], base)
    conf = float(Decimal(r["confidence"]))
    if kind == "outcome":
        o = _path(r["outcome"], base)
        n = int(r["outcomes"] or 0)
        reading = f"{r['label']} → {r['status']}: {r['rule']} (outcome {r.get('outcomeLabel') or o})"
        why = ["the verdict rests on a single reported value" if n == 1 else f"{n} reported values, judged on the latest"]
        confirm = _entry(path, "link", f"  outcome: {o}\n")
        reject = _entry(path, "unlink", f"  outcome: {o}\n")
    else:
        reading = r["label"]
        why = sorted(w for w in (r.get("notes") or "").split(" · ") if w)
        confirm, reject = _entry(path, "confirm"), _entry(path, "reject", "", kind == "observation" and kind)
    return {"kind": kind, "confidence": conf, "place": r.get("placeLabel"), "place_iri": r.get("place"),
            "year": int(r["year"]) if r.get("year") else None, "article": r.get("article"),
            "reading": reading, "sentence": r.get("sentence") or "", "why": why or ["(no weak evidence recorded)"],
            "iri": r["item"], "path": path, "confirm": confirm, "reject": reject}


def items(st, base: str, answers: Path | None = None, parsed: dict[str, dict | None] | None = None) -> list[dict]:
    """The review queue. ANSWERS: the folder of the canned answers of the same store (review.json,
    written by store.precompute), read instead of running the query again; PARSED: those of them
    already parsed, by query name (PARSED["review"])."""
    out = [_item(r, base) for r in _rows(st, "review", answers, parsed)]
    out.sort(key=_key)
    return out


def select(queue: list[dict], place: str | None = None, year: str | int | None = None, article: str | None = None,
           kind: str | None = None) -> list[dict]:
    """The items of one place (label, IRI or slug), year, article (file name) and kind."""
    def ok(i: dict) -> bool:
        if place and place not in (i["place"], i["place_iri"]) and not (i["place_iri"] or "").endswith("/" + place):
            return False
        if year and str(i["year"]) != str(year):
            return False
        if article and i["article"] != article:
            return False
        return not kind or i["kind"] == kind
    return [i for i in queue if ok(i)]


def shown(i: dict, today: str) -> dict:
    return dict(i, confirm=i["confirm"].replace(TODAY, today), reject=i["reject"].replace(TODAY, today))


def to_json(queue: list[dict]) -> str:
    return json.dumps(queue, ensure_ascii=False, indent=0, sort_keys=True)


SEP = b"\n},\n{\n"             # between two items of review.json (to_json)


def updated(previous: bytes, base: str, names: list[str], out: list[dict], into: list[dict]) -> bytes | None:
    """review.json (to_json, UTF-8) from the PREVIOUS one, made from an answer of review.rq
    (variables NAMES) that has since lost the rows OUT and gained the rows INTO (SPARQL JSON
    bindings, from publish.delta): its items' bytes kept as they are, those of OUT taken out, those
    of INTO set in where the sort puts them, a few of them parsed to find where. An item sorts
    among equals (_key) by the row's place in the answer: None when a new one has an equal, or an
    item of OUT is not there (make the queue in full, then). The items are where they lie in
    PREVIOUS (_bounds), read only when one may be an item of OUT (of the same length) or is parsed,
    and the runs of them that stay side by side are copied once, into the result (at 5,000
    articles PREVIOUS is 40 MB and 36,000 items: cut into items and joined again, 0.25 s)."""
    def inner(b: dict) -> bytes:            # an item's text between its braces
        return to_json([_item({n: b[n]["value"] if n in b else None for n in names}, base)])[4:-4].encode("utf-8")
    gone: dict[bytes, int] = {}
    for b in out:
        t = inner(b)
        gone[t] = gone.get(t, 0) + 1
    if previous == b"[]":
        chunks: list[tuple[int, int] | bytes] = []
    elif previous.startswith(b"[\n{\n") and previous.endswith(b"\n}\n]"):
        # a line break is never inside a string (json writes \n): these are the items' bounds
        chunks = _bounds(previous, 4, len(previous) - 4)
    else:
        return None
    if gone:
        sizes = {len(t) for t in gone}
        kept = []
        for c in chunks:
            if c[1] - c[0] in sizes:
                text = previous[c[0]:c[1]]
                if gone.get(text):
                    gone[text] -= 1
                    continue
            kept.append(c)
        if any(gone.values()):
            return None
        chunks = kept
    keys: dict = {}

    def key(c: tuple[int, int] | bytes) -> tuple:
        if c not in keys:
            text = previous[c[0]:c[1]] if isinstance(c, tuple) else c
            keys[c] = _key(json.loads(b"{\n" + text + b"\n}"))
        return keys[c]
    for b in into:
        t = inner(b)
        lo, hi = bisect.bisect_left(chunks, key(t), key=key), bisect.bisect_right(chunks, key(t), key=key)
        if lo != hi:
            return None
        chunks.insert(lo, t)
    if not chunks:
        return b"[]"
    view = memoryview(previous)
    parts: list = [b"[\n{\n"]             # joined once: the items, SEP between them
    run: tuple[int, int] | None = None      # items of PREVIOUS side by side (with SEP between them)
    for c in chunks:
        if isinstance(c, tuple) and run is not None and run[1] + len(SEP) == c[0]:
            run = (run[0], c[1])
            continue
        if run is not None:
            parts += (view[run[0]:run[1]], SEP)
        run = c if isinstance(c, tuple) else None
        if run is None:
            parts += (c, SEP)
    if run is not None:
        parts += (view[run[0]:run[1]], SEP)
    parts[-1] = b"\n}\n]"
    return b"".join(parts)


def _bounds(data: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """Where each part of DATA[START:END].split(SEP) lies in DATA: (start, end)."""
    out = []
    find = data.find
    while True:
        i = find(SEP, start, end)
        if i == -1:
            out.append((start, end))
            return out
        out.append((start, i))
        start = i + len(SEP)


def to_jsonl(queue: list[dict], today: str) -> str:
    return "".join(json.dumps({k: shown(i, today)[k] for k in FIELDS}, ensure_ascii=False) + "\n" for i in queue)


def to_csv(queue: list[dict], today: str) -> str:
    """UTF-8 CSV with a BOM (a spreadsheet reads it as UTF-8), every text cell formula-safe."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(FIELDS)
    for i in queue:
        i = shown(i, today)
        row = [i[k] if k != "why" else "; ".join(i["why"]) for k in FIELDS]
        w.writerow(["" if v is None else safe_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()

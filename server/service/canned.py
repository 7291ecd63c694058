"""The example queries published with the dataset (dist/queries/*.rq) and their build-time
answers: /sparql answers an example's exact text (comments and spacing aside) from the file the
build wrote, and the site lists the examples (editor menu, /queries/).

The build writes each answer once, as SPARQL JSON (dist/queries/NAME.json); the CSV, TSV and XML
forms are derived from it here when asked (derive): CSV by the spreadsheet-safe writer /sparql
uses, TSV and XML by pyoxigraph, the bytes the build used to write. The last few derived bodies
are kept (per version, name and form)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import pyoxigraph as ox

from . import live, sparqltext
from .engine import Answer

FORMS = ("json", "csv", "tsv", "xml")
_PYOXIGRAPH = {"tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}
_KEEP_BODIES, _KEEP_BYTES = 8, 64 << 20          # the derived bodies kept: how many, how many bytes in all
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def derive(body: bytes, fmt: str) -> bytes:
    """The answer BODY (SPARQL 1.1 JSON results) in the form FMT (json, csv, tsv, xml)."""
    if fmt == "json":
        return body
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if fmt == "csv":                      # the cells /sparql writes: none a spreadsheet runs as a formula
        from .worker import serialize_solutions
        names = results.variables
        return serialize_solutions([v.value for v in names], [[s[v] for v in names] for s in results], "csv")
    return results.serialize(format=_PYOXIGRAPH[fmt])


def answer_form(folder: Path, name: str, fmt: str, version: str = "") -> bytes | None:
    """The build-time answer NAME (FOLDER/NAME.json) in the form FMT; None when the build wrote
    none. VERSION names the dataset version (with FOLDER) for the few derived bodies kept."""
    key = (str(folder), version, name, fmt)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    try:
        body = derive((Path(folder) / f"{name}.json").read_bytes(), fmt)
    except FileNotFoundError:
        return None
    if fmt != "json" and len(body) <= _KEEP_BYTES // 4:
        with _lock:
            _kept[key] = body
            while len(_kept) > _KEEP_BODIES or sum(map(len, _kept.values())) > _KEEP_BYTES:
                _kept.popitem(last=False)
    return body


def examples(kg=None) -> list[dict]:
    """The example queries published with the dataset (dist/queries/*.rq), with their titles
    (KG: the dataset version; by default the request's)."""
    kg = kg or live.dataset()
    out = []
    for f in sorted((kg.path / "queries").glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        m = re.search(r"^#\s*title:\s*(.+)$", text, re.MULTILINE)
        out.append({"name": f.stem, "title": m.group(1).strip() if m else f.stem, "query": text})
    return out


def canned_answer(query: str, fmt: str, max_rows: int, served=None) -> Answer | None:
    """The build-time answer of an example query sent to /sparql, when the text is the example's
    (comments and spacing aside), the format one the build wrote and the rows within the cap
    (SERVED: the version the request is bound to, by default Flask's request's)."""
    served = served or live.served()
    kg = served.dataset

    def index() -> dict[str, tuple[str, int]]:
        rows = {k: v["rows"] for k, v in (kg.manifest.get("canned") or {}).items()}
        return {sparqltext.canonical(e["query"]): (e["name"], rows[e["name"]]) for e in examples(kg) if e["name"] in rows}
    hit = served.derived("canned", index).get(sparqltext.canonical(query))
    if hit is None or hit[1] > max_rows or fmt not in FORMS:
        return None
    body = answer_form(kg.path / "queries", hit[0], fmt, kg.version)
    return Answer("results", fmt, body, False, hit[1]) if body is not None else None

"""The example queries published with the dataset (dist/queries/*.rq) and their build-time
answers: /sparql answers an example's exact text (comments and spacing aside) from the file the
build wrote, and the site lists the examples (editor menu, /queries/)."""

from __future__ import annotations

import re

from . import live, sparqltext
from .engine import Answer


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
    if hit is None or hit[1] > max_rows or fmt not in ("json", "csv", "tsv", "xml"):
        return None
    path = kg.path / "queries" / f"{hit[0]}.{fmt}"
    return Answer("results", fmt, path.read_bytes(), False, hit[1]) if path.is_file() else None

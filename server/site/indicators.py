"""/indicators: the index of indicators (every indicator of the dataset with its zh and en names,
its targets and reported values), and the indicator scheme's concepts the dataset has no data for.

In: the dataset (server/queries/indicators.rq) and the indicator scheme the build maps phrases to
(data/lexicon/indicators.ttl beside the code, read once when present). Out: the index page and,
for /indicator/NAME of a scheme concept without data, what the concept is and that nothing is
reported for it yet (200, not a 404).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, render_template

from .lookup import CONCEPTS, _query, local, run_text

bp = Blueprint("indicators", __name__)
SCHEME = Path(__file__).resolve().parents[2] / "data" / "lexicon" / "indicators.ttl"


@lru_cache(maxsize=1)
def scheme() -> dict[str, dict]:
    """The scheme's concepts: IRI → {"zh", "en", "direction"}; empty when the file is not there."""
    if not SCHEME.is_file():
        return {}
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS
    g = Graph().parse(SCHEME, format="turtle")
    out: dict[str, dict] = {}
    direction = URIRef("https://w3id.org/ptkg/ns#desiredDirection")
    for c in set(g.subjects(SKOS.inScheme, URIRef(CONCEPTS))):
        labels = {lit.language: str(lit) for lit in g.objects(c, SKOS.prefLabel)}
        d = g.value(c, direction)
        out[str(c)] = {"zh": labels.get("zh", ""), "en": labels.get("en", ""),
                       "direction": str(d).rsplit("#", 1)[-1] if d else None}
    return out


def empty_concept_page(iri: str) -> str | None:
    """The page of a scheme concept the dataset holds nothing for, or None if iri is not one."""
    c = scheme().get(iri)
    if c is None:
        return None
    return render_template("indicator.html", iri=iri, label=c["zh"], label_en=c["en"], direction=c["direction"],
                           rows=[], charts=[], place=None, local=local, empty=True, PTKG="https://w3id.org/ptkg/ns#")


@bp.route("/indicators")
def index():
    rows = run_text(_query("indicators"))
    have = {r["i"] for r in rows}
    known = scheme()
    used = [dict(r, scheme=r["i"] in known, en=r.get("en") or known.get(r["i"], {}).get("en", "")) for r in rows]
    unused = sorted(({"i": i, **c} for i, c in known.items() if i not in have), key=lambda c: c["zh"])
    return render_template("indicators.html", rows=used, unused=unused, local=local)

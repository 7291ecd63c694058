"""An article graph as N-Triples lines, made once per article and read by the stages after it.

In: an rdflib Graph (or its N-Triples). Out: text. Byte for byte what publish.ntriples gives (its
canonical form: distinct lines, sorted), without going through rdflib's serializer plugin and a
bytes round trip; and the lines a SPARQL query can match, for a query that names its predicates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nt import _quoteLiteral


def canonical(g: Graph) -> str:
    """publish.ntriples(g).decode("utf-8"): rdflib's own N-Triples rows (its literal writer; IRIs
    written by their own n3(), once each: most recur in every article), the lines split, made
    distinct and sorted the same way (splitlines, as there)."""
    rows = []
    add = rows.append
    for s, p, o in g:
        add(f"{_n3(s)} {_n3(p)} {_quoteLiteral(o) if isinstance(o, Literal) else _n3(o)} .\n")
    lines = sorted(set("".join(rows).splitlines()) - {""})
    return "\n".join(lines) + "\n"


_WRITTEN: dict = {}


def _n3(term) -> str:
    """term.n3() (an IRI's checks it and raises for a bad one), kept for the next graph."""
    text = _WRITTEN.get(term)
    if text is None:
        text = term.n3()
        if len(_WRITTEN) > 200_000:
            _WRITTEN.clear()
        _WRITTEN[term] = text
    return text


@lru_cache(maxsize=8)
def predicates(query: str) -> frozenset[str]:
    """The IRIs (as N-Triples terms) a SPARQL query names, with its prefixes or in full, and
    rdf:type (`a`): a superset of the predicates its patterns can match when none of them is a
    variable, as in queries/link-statements.rq (tests/test_corpus.py checks its rows are the same)."""
    prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", query, re.IGNORECASE))
    body = re.sub(r"(^|\s)#[^\n]*", " ", query.split("{", 1)[1]) if "{" in query else ""
    names = {f"<{prefixes[p]}{local}>" for p, local in re.findall(r"\b(\w*):(\w+)", body) if p in prefixes}
    names.update(re.findall(r"<[^>\s]+>", body))
    return frozenset(names | {f"<{RDF.type}>"})


def matching(nt: str, names: frozenset[str]) -> str:
    """The lines of NT whose predicate is one of NAMES (order kept)."""
    out = [line for line in nt.splitlines() if line and line.split(" ", 2)[1] in names]
    return "\n".join(out) + "\n" if out else ""

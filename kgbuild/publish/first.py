"""A canned query's "first of" sub-select, `{ SELECT ?v WHERE { … } ORDER BY ?v LIMIT 1 }`, answered
before the query and set in as its value (store.precompute).

pyoxigraph sorts every solution of such a sub-select to keep one (0.15 s of CPU for the 4,453
targets of 1,000 articles in target-provenance.rq, nearly all of that query's time), and a MIN
sub-select is joined after the rest of the query (twice as slow). Its body's solutions are read
instead, without ORDER BY, and when every ?v is an IRI the first in SPARQL's order is the least
by code point, as Python compares strings (otherwise the sub-select runs as written). The
sub-select becomes `{ SELECT ?v WHERE { VALUES ?v { FIRST } } }`, or no solution when it has
none: the same solutions of the query, so the same answer (tests/test_first.py). A blank node as
the first value, or a query the pattern does not fit, leaves the text as it is.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

# a sub-select of one variable, its body one group without nested groups, strings or comments
_FIRST = re.compile(r"\{\s*SELECT\s+\?(?P<v>\w+)\s+WHERE\s*\{(?P<body>[^{}#\"']*)\}\s*ORDER\s+BY\s+"
                    r"(?:ASC\s*\(\s*\?(?P=v)\s*\)|\?(?P=v))\s+LIMIT\s+1\s*\}", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+[^\s:]*:\s*<[^<>\s]*>|BASE\s+<[^<>\s]*>)\s*$", re.IGNORECASE | re.MULTILINE)


def inlined(text: str, engine: ox.Store, base_iri: str | None = None) -> str:
    """TEXT with each "first of" sub-select replaced by its answer on ENGINE (see above)."""
    prologue = "\n".join(m.group().strip() for m in _PROLOGUE.finditer(text))
    out, at = [], 0
    for m in _FIRST.finditer(text):
        v = m.group("v")
        try:
            values = [s[0] for s in engine.query(f"{prologue}\nSELECT ?{v} WHERE {{{m.group('body')}}}",
                                                  base_iri=base_iri)]
            if not all(isinstance(x, ox.NamedNode) for x in values):
                values = [s[0] for s in engine.query(f"{prologue}\n{m.group()[1:-1]}", base_iri=base_iri)]
        except (SyntaxError, ValueError, OSError, RuntimeError):
            return text
        if values and (values[0] is None or isinstance(values[0], ox.BlankNode)):
            return text
        first = min(values, key=lambda x: x.value) if values and all(isinstance(x, ox.NamedNode) for x in values) \
            else (values[0] if values else None)
        if first is None:
            block = f"{{ SELECT ?{v} WHERE {{ VALUES ?{v} {{ }} }} }}"
        else:
            block = f"{{ SELECT ?{v} WHERE {{ VALUES ?{v} {{ {first} }} }} }}"
        out += [text[at:m.start()], block]
        at = m.end()
    return "".join(out) + text[at:]

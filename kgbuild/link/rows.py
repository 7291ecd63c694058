"""queries/link-statements.rq's rows read from N-Triples lines without a query engine, when the
lines are simple enough for that to give exactly what the query gives; None otherwise.

Why: an article's rows are computed with it (link.outcomes.rows), and Oxigraph parses and plans
the query, with its eleven OPTIONALs, for every article — about 1 ms, two thirds of the time of
the rows. The query stays the definition: this is used only while the query's text is the one it
was written for (QUERY_SHA256; tests/test_link_rows.py fails when the query changes, and compares
the two ways on every article we have), and it answers None — the caller then runs the query —
whenever a value or a line is one it does not read exactly as Oxigraph does:

* a line that is not <subject> <predicate> object . with IRIs as subject and predicate, or an
  object other than an IRI or a literal without escapes;
* a statement with two types of the query (Target and Observation), or two values of a predicate
  the query reads (it would give several rows, in an order this does not reproduce);
* a typed literal other than those written here in the form Oxigraph gives back (xsd:decimal,
  written canonically the way Oxigraph writes it; four-digit xsd:gYear; xsd:boolean true and
  false; xsd:dateTime to the second, with a non-zero offset or none).

One row per Target or Observation with every required value, in the order of their IRIs (ORDER
BY ?s, the first key; the subjects are distinct).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

QUERY_SHA256 = "cf0151acb3aa1d91ddb0da8ed24a1a1c3f2b093993a6844dbfff4ba7ef64d8c3"   # queries/link-statements.rq's text

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PTKG = "https://w3id.org/ptkg/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = (PTKG + "Target", PTKG + "Observation")
REQUIRED = (("place", PTKG + "place"), ("indicator", PTKG + "indicator"), ("year", PTKG + "year"),
            ("comparator", PTKG + "comparator"), ("kind", PTKG + "kind"),
            ("article", "http://www.w3.org/ns/prov#wasDerivedFrom"))
OPTIONAL = (("value", PTKG + "value"), ("min", PTKG + "minValue"), ("max", PTKG + "maxValue"), ("unit", PTKG + "unit"),
            ("approximate", PTKG + "approximate"), ("start", PTKG + "periodStart"), ("confidence", PTKG + "confidence"),
            ("aggregation", PTKG + "aggregation"), ("baseline", PTKG + "statedBaseline"),
            ("stated", PTKG + "statedIndicator"))
DIRECTION = PTKG + "desiredDirection"
ISSUED = "http://purl.org/dc/terms/issued"

# an absolute IRI with a host name (and a port), of characters Oxigraph's IRI parser takes anywhere
# in a path, a query or a fragment: it would take every IRI this takes
_CHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]|%[0-9A-Fa-f]{2})"
_IRI = ("[A-Za-z][A-Za-z0-9+.\\-]*://[A-Za-z0-9.\\-]+(?::[0-9]*)?"
        f"(?:/{_CHAR}*)?(?:\\?(?:{_CHAR}|\\?)*)?(?:#(?:{_CHAR}|\\?)*)?")
_IRI_TEXT = re.compile(_IRI)
_LITERAL = re.compile(r'"[^"\\\n\r]*"(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*|\^\^<([^<>]*)>)?')
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,14})\.([0-9]{1,18})")
_GYEAR = re.compile(r"[1-9][0-9]{3}")
_DATETIME = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                       r"(Z|[+-](0[1-9]|1[0-3]):[0-5][0-9]|[+-]00:(0[1-9]|[1-5][0-9]))?")


_CHECKED: dict[str, bool] = {}


def _iri(text: str) -> bool:
    """Whether TEXT is an IRI of the form _IRI (most recur from line to line and article to article:
    each is checked once)."""
    ok = _CHECKED.get(text)
    if ok is None:
        if len(_CHECKED) > 100_000:
            _CHECKED.clear()
        ok = _CHECKED[text] = _IRI_TEXT.fullmatch(text) is not None
    return ok


@lru_cache(maxsize=100_000)
def _literal(term: str) -> bool:
    """Whether TERM is a literal of the form _LITERAL, with an IRI of the form _IRI as its datatype
    (most recur: each is checked once, as _iri's IRIs)."""
    m = _LITERAL.fullmatch(term)
    return m is not None and (m.group(1) is None or _iri(m.group(1)))


class _Unread(Exception):
    """A value or a shape this module does not read exactly as the query does."""


def _value(term: str) -> str:
    """The value of an N-Triples term as Oxigraph gives it back (pyoxigraph's .value): an IRI's
    taken out of its brackets, a literal's kept (_literal_value)."""
    return term[1:-1] if term[0] == "<" else _literal_value(term)


@lru_cache(maxsize=100_000)
def _literal_value(term: str) -> str:
    """A literal's value (most recur: years, units, figures; one the module does not read raises
    _Unread, and is not kept)."""
    end = term.rindex('"')
    lexical, tail = term[1:end], term[end + 1:]
    if not tail or tail[0] == "@" or tail == f"^^<{XSD}string>":
        return lexical
    datatype = tail[3:-1]
    if datatype == XSD + "decimal":
        m = _DECIMAL.fullmatch(lexical)
        if m is None:
            raise _Unread(term)
        whole, fraction = lexical.split(".")
        fraction = fraction.rstrip("0")
        if whole == "-0" and not fraction:
            raise _Unread(term)
        return f"{whole}.{fraction}" if fraction else whole
    if (datatype == XSD + "gYear" and _GYEAR.fullmatch(lexical)) or \
            (datatype == XSD + "boolean" and lexical in ("true", "false")) or \
            (datatype == XSD + "dateTime" and _DATETIME.fullmatch(lexical)):
        return lexical
    raise _Unread(term)


def _one(values: list[str] | None) -> str | None:
    if not values:
        return None
    if len(values) > 1:
        raise _Unread("two values")
    return values[0]


@lru_cache(maxsize=4)
def _known(query: str) -> bool:
    """Whether QUERY is the text this module was written for."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest() == QUERY_SHA256


def read(nt: str, query: str) -> tuple[tuple[str | None, ...], ...] | None:
    """The rows QUERY (queries/link-statements.rq) gives on the N-Triples NT, in link.outcomes.COLUMNS
    order; None when the query is another one or NT is not simple enough (see the module)."""
    if not _known(query):
        return None
    graph: dict[str, dict[str, list[str]]] = {}
    checked = _CHECKED.get                    # _iri's answers, looked up here first (most IRIs recur)
    for line in nt.splitlines():
        if not line:
            continue
        i = line.find("> <")                  # an IRI holds no ">" (_iri checks): the first ends the subject
        j = line.find("> ", i + 3)
        if line[0] != "<" or i < 0 or j < 0 or not line.endswith(" ."):
            return None
        s, p, o = line[1:i], line[i + 3:j], line[j + 2:-2]
        if not ((checked(s) or _iri(s)) and (checked(p) or _iri(p))):
            return None
        if o[:1] == "<":
            if o[-1] != ">" or not (checked(o[1:-1]) or _iri(o[1:-1])):
                return None
        elif not _literal(o):
            return None
        graph.setdefault(s, {}).setdefault(p, []).append(o)
    out = []
    try:
        for s in sorted(graph):
            po = graph[s]
            types = [t for t in po.get(RDF_TYPE, ()) if t[1:-1] in TYPES]
            if not types:
                continue
            if len(types) > 1:
                raise _Unread("two types")
            required = [_one(po.get(p)) for _, p in REQUIRED]
            if None in required:
                continue
            optional = [_one(po.get(p)) for _, p in OPTIONAL]
            place, indicator, year, comparator, kind, article = required
            value, low, high, unit, approximate, start, confidence, aggregation, baseline, stated = optional
            direction = _one(graph.get(indicator[1:-1], {}).get(DIRECTION)) if indicator[0] == "<" else None
            issued = _one(graph.get(article[1:-1], {}).get(ISSUED)) if article[0] == "<" else None
            row = (f"<{s}>", types[0], place, indicator, year, comparator, value, low, high, unit, approximate, kind,
                   direction, article, issued, start, confidence, aggregation, baseline, stated)
            out.append(tuple([None if t is None else _value(t) for t in row]))
    except _Unread:
        return None
    return tuple(out)

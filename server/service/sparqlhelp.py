"""What a newcomer to this endpoint needs: predeclared prefixes, syntax errors explained (line,
column, the usual fix) and hints for queries that are valid but match nothing by mistake.

Pure functions of the query text (and the engine's message); the endpoint and the workers call
them. Nothing here rewrites what a user's query means: the prefixes are only the defaults the
SPARQL parser falls back on when the query does not declare a prefix itself.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from .sparqltext import token_tuple

PTKG = "https://w3id.org/ptkg/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Declared for every query (a query's own PREFIX wins); the same list is in the service description
# (sh:declare) and on the landing page's how-to. The project's own namespaces are those of
# kgbuild/graph/iris.py (tests/test_sparql_newcomer.py checks they agree).
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "ptkg": PTKG,
    "ind": "https://w3id.org/ptkg/indicator/",
    "cmp": "https://w3id.org/ptkg/code/comparator#",
    "kind": "https://w3id.org/ptkg/code/kind#",
    "level": "https://w3id.org/ptkg/code/level#",
    "unitc": "https://w3id.org/ptkg/code/unit#",
    "status": "https://w3id.org/ptkg/code/status#",
    "agg": "https://w3id.org/ptkg/code/aggregation#",
    "genre": "https://w3id.org/ptkg/code/genre#",
    "action": "https://w3id.org/ptkg/code/action#",
}
# prefixes people type from habit, and what this dataset uses instead
HABITS = {"dc": "dcterms", "dct": "dcterms", "sdo": "schema", "schemaorg": "schema", "xs": "xsd"}
YEAR_PROPERTIES = {"year", "periodStart"}          # the properties whose range is xsd:gYear
COMPARISONS = {"=", "!=", "<", ">", "<=", ">="}
FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


@lru_cache(maxsize=64)
def _code(query: str) -> tuple[tuple[str, str], ...]:
    """The query's tokens without its comments; cached: a request's hints read them more than once."""
    return tuple(t for t in token_tuple(query) if t[0] != "comment")


def declared(query: str) -> dict[str, str]:
    """The prefixes the query declares itself (PREFIX p: <ns>)."""
    toks = _code(query)
    out = {}
    for i, (kind, lex) in enumerate(toks[:-2]):
        if kind == "word" and lex.upper() == "PREFIX" and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            out[toks[i + 1][1][:-1]] = toks[i + 2][1][1:-1]
    return out


def undeclared(query: str) -> list[str]:
    """Prefixes the query uses but neither declares nor finds predeclared, in order of use."""
    known = declared(query) | PREFIXES
    seen: dict[str, None] = {}
    for kind, lex in _code(query):
        if kind == "pname":
            p = lex.split(":", 1)[0]
            if p not in known:
                seen[p] = None
    return list(seen)


def prologue(query: str) -> str:
    """PREFIX lines for the predeclared prefixes the query uses without declaring (for a remote
    store, whose parser does not know ours)."""
    own = declared(query)
    used = dict.fromkeys(lex.split(":", 1)[0] for kind, lex in _code(query) if kind == "pname")
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used if p in PREFIXES and p not in own)


def _expected(detail: str) -> list[str]:
    """The grammar's expected tokens from the engine's message: keywords and quoted punctuation,
    without the character classes."""
    m = re.match(r"expected (?:one of )?(.*)", detail, re.S)
    if not m:
        return []
    items = re.findall(r'"[^"]+"|\b[A-Za-z][A-Za-z_]*\b(?![^\[]*\])', m.group(1))
    return [i for i in dict.fromkeys(items) if i not in ("Prefix", "not", "found")]


def _suggest(prefix: str) -> str:
    if prefix in HABITS:
        p = HABITS[prefix]
        return f"this dataset uses {p}: (<{PREFIXES[p]}>), which is predeclared: write {p}:… instead"
    close = difflib.get_close_matches(prefix, PREFIXES, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}: (<{PREFIXES[close[0]]}>)? It is predeclared"
    return f"declare it at the top: PREFIX {prefix}: <namespace IRI>"


def explain(query: str, message: str) -> str:
    """A syntax error as a newcomer can act on it: where (line, column, the line itself with a
    caret), what the grammar expected, and the usual fix (an undeclared prefix named, an
    unclosed bracket counted)."""
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not m:
        return f"malformed query: {message}"
    line, col, detail = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    where = f"line {line}, column {col}"
    shown = text.strip()
    caret = ""
    if shown:
        lead = len(text) - len(text.lstrip())
        caret = f"\n  {shown}\n  {' ' * max(0, min(col - 1 - lead, len(shown)))}^"
    missing = undeclared(query)
    if missing:
        p = missing[0]
        at = text.rfind(p + ":", 0, max(col - 1, 0))          # point at the name, not after it
        if at >= 0:
            col, where = at + 1, f"line {line}, column {at + 1}"
            lead = len(text) - len(text.lstrip())
            caret = f"\n  {shown}\n  {' ' * (at - lead)}^"
        more = f" (also undeclared: {', '.join(q + ':' for q in missing[1:])})" if len(missing) > 1 else ""
        return (f"malformed query at {where}: the prefix {p}: is not declared{more}; {_suggest(p)}. "
                f"Predeclared on this endpoint: {', '.join(PREFIXES)}.{caret}")
    hints = []
    toks = _code(query)
    first = next((i for i, (kind, lex) in enumerate(toks) if kind == "word" and lex.upper() not in ("PREFIX", "BASE")), None)
    if first is not None and toks[first][1].upper() not in FORMS:
        hints.append(f"a query begins with SELECT, CONSTRUCT, ASK or DESCRIBE after its PREFIX lines, not {toks[first][1]}")
    for o, c, name in (("{", "}", "braces"), ("(", ")", "parentheses"), ("[", "]", "brackets")):
        diff = sum(lex == o for _, lex in toks) - sum(lex == c for _, lex in toks)
        if diff > 0:
            hints.append(f"{diff} more '{o}' than '{c}': close the {name}")
        elif diff < 0:
            hints.append(f"{-diff} more '{c}' than '{o}'")
    expected = [] if hints and hints[0].startswith("a query begins") else _expected(detail)
    said = f"; expected {', '.join(expected[:12])}{' …' if len(expected) > 12 else ''}" if expected else ""
    tip = f" ({'; '.join(hints)})" if hints else ""
    return f"malformed query at {where}{said}{tip}.{caret}"


def _year_property(kind: str, lex: str, prefixes: dict[str, str]) -> bool:
    if kind == "iri":
        return lex[1:-1] in {PTKG + p for p in YEAR_PROPERTIES}
    if kind == "pname":
        p, local = lex.split(":", 1)
        return prefixes.get(p) == PTKG and local in YEAR_PROPERTIES
    return False


def hints(query: str) -> list[str]:
    """Valid SPARQL that matches nothing in this dataset by a newcomer's mistake: a year written
    as a number or a plain string (years are xsd:gYear literals), or a year variable compared
    with a number. One ASCII sentence each (they travel in HTTP headers)."""
    if not any(p in query for p in YEAR_PROPERTIES):
        return []                   # a year property is named (as an IRI or a local name) by its letters
    toks = _code(query)
    prefixes = PREFIXES | declared(query)
    out: list[str] = []
    year_vars: set[str] = set()
    for i, (kind, lex) in enumerate(toks[:-1]):
        if not _year_property(kind, lex, prefixes):
            continue
        nk, nl = toks[i + 1]
        typed = i + 2 < len(toks) and toks[i + 2][1] == "^^"
        name = lex if kind == "pname" else "ptkg:" + lex[1:-1].rsplit("#", 1)[1]
        if nk == "number" and re.fullmatch(r"\d{4}", nl):
            out.append(f"{name} {nl} matches nothing: years are xsd:gYear literals, "
                       f"write {name} \"{nl}\"^^xsd:gYear")
        elif nk == "string" and not typed and re.fullmatch(r"[\"']\d{4}[\"']", nl):
            out.append(f"{name} {nl} matches nothing: years are xsd:gYear literals, "
                       f"write {name} \"{nl[1:-1]}\"^^xsd:gYear")
        elif nk == "var":
            year_vars.add(nl[1:])
    for i in range(1, len(toks) - 1):
        op = toks[i][1]
        if op not in COMPARISONS:
            continue
        for var, num in ((toks[i - 1], toks[i + 1]), (toks[i + 1], toks[i - 1])):
            if var[0] == "var" and var[1][1:] in year_vars and num[0] == "number" and re.fullmatch(r"\d{4}", num[1]):
                said = f"{toks[i - 1][1]} {op} {toks[i + 1][1]}"
                out.append(f"{said} is never true: {var[1]} is an xsd:gYear, compare it with \"{num[1]}\"^^xsd:gYear "
                           f"(or convert: xsd:integer(str({var[1]})))")
    return list(dict.fromkeys(out))

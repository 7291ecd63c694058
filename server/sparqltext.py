"""Lexical checks on SPARQL text before it reaches the engine.

SPARQL 1.1 applies \\uXXXX / \\UXXXXXXXX escapes to the whole query before parsing; some engines
(Oxigraph among them) apply them only inside strings and IRIs. Every check is therefore made on
both readings, and a query is refused when either reading shows the keyword (stricter than any
one engine). Strings, IRIs and comments are blanked out so that a keyword is only found where a
parser would see one; a comment ends at a line feed or a carriage return.

SERVICE is refused by over-approximation, not by guessing what a parser would do: no Python
binding exposes Oxigraph's parser, and rdflib's grammar differs from it, so no parse made here
is the engine's. A query passes only when, on both readings, every occurrence of the letters
s-e-r-v-i-c-e (in any case) is part of a name (?service, ex:serviceLevel) or inside an IRI: in a
string or a comment, where lexers disagree most (escapes, the end of a comment), the word is
refused too. The worker's empty network namespace is the second wall.
"""

from __future__ import annotations

import re
from functools import lru_cache

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*", re.DOTALL)
# not after a letter, _, :, ?, $ (names, prefixed names, variables); after a digit it is a keyword (1SERVICE)
SERVICE = re.compile(r"(?<![A-Za-z_\u00B7\u00C0-\uFFFF:?$.-])SERVICE(?![A-Za-z0-9_\u00B7\u00C0-\uFFFF-])", re.IGNORECASE)
UPDATE = re.compile(r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def unescape(query: str) -> str:
    def sub(m: re.Match[str]) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        return chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else m.group(0)
    return ESCAPE.sub(sub, query)


@lru_cache(maxsize=64)
def code_only(query: str, escapes: bool = True) -> str:
    """The query with strings, IRIs and comments replaced by spaces (offsets kept); escapes:
    whether \\u escapes are applied to the whole text first. Cached: every check of one request
    reads the same text."""
    return LEXEMES.sub(lambda m: " " * len(m.group(0)), unescape(query) if escapes else query)


def uses_service(query: str) -> bool:
    """SERVICE as a keyword on either reading, or the word anywhere in a string or a comment."""
    if "service" not in query.lower() and "service" not in unescape(query).lower():
        return False
    for e in (True, False):
        text = unescape(query) if e else query
        if SERVICE.search(code_only(query, e)):
            return True
        if any(m.group(0)[0] in "\"'#" and "service" in m.group(0).lower() for m in LEXEMES.finditer(text)):
            return True
    return False


def nesting(query: str) -> int:
    """How deep brackets ({, (, [) nest outside strings, IRIs and comments, on either reading."""
    deepest = 0
    for e in (True, False):
        depth = 0
        for c in code_only(query, e):
            if c in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif c in "})]":
                depth -= 1
    return deepest


def looks_like_update(query: str) -> bool:
    """An update operation where a query form was expected (first keyword after the prologue)."""
    code = code_only(query)
    u, f = UPDATE.search(code), FORM.search(code)
    return bool(u) and (f is None or u.start() < f.start())


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword outside strings, IRIs
    and comments (a subquery's SELECT comes after the outer form's keyword)."""
    m = FORM.search(code_only(query))
    return m.group(1).upper() if m else None


def canonical(query: str) -> str:
    """The query with its comments left out and the space between tokens collapsed to one
    (strings and IRIs kept as written): two texts with the same canonical form are one query."""
    parts: list[str] = []
    pos = 0
    for m in LEXEMES.finditer(query):
        parts.extend(query[pos:m.start()].split())
        if not m.group(0).startswith("#"):
            parts.append(m.group(0))
        pos = m.end()
    parts.extend(query[pos:].split())
    return " ".join(parts)

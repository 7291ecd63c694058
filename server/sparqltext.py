"""Lexical checks on SPARQL text before it reaches the engine.

SPARQL applies \\uXXXX / \\UXXXXXXXX escapes to the whole query before parsing, so they are
applied here first; strings, IRIs and comments are then blanked out so that a keyword is only
found where the parser would see a keyword.
"""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*", re.DOTALL)
SERVICE = re.compile(r"(?<![\w:?$])SERVICE\b", re.IGNORECASE)
UPDATE = re.compile(r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def unescape(query: str) -> str:
    def sub(m: re.Match[str]) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        return chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else m.group(0)
    return ESCAPE.sub(sub, query)


def code_only(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (offsets kept)."""
    return LEXEMES.sub(lambda m: " " * len(m.group(0)), unescape(query))


def uses_service(query: str) -> bool:
    return bool(SERVICE.search(code_only(query)))


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

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


# The terminal productions of SPARQL 1.1 (§19.8), as regular expressions.
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         "\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")      # PN_CHARS_BASE
_U = _BASE + "_"                                                                       # PN_CHARS_U
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"                                  # PN_CHARS
_VARNAME = f"[{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"                       # VARNAME
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"                                     # PERCENT | PN_LOCAL_ESC
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"                                       # PN_PREFIX
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"     # PN_LOCAL
# ECHAR, and the \u escapes Oxigraph reads inside strings (SPARQL applies them to the whole text first)
_ECHAR = r"""\\(?:[tbnrf"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"""
_STRINGS = (
    r'"""(?:(?:"|"")?(?:[^"\\]|' + _ECHAR + r'))*"""'              # STRING_LITERAL_LONG2
    r"|'''(?:(?:'|'')?(?:[^'\\]|" + _ECHAR + r"))*'''"             # STRING_LITERAL_LONG1
    r'|"(?:[^"\\\n\r]|' + _ECHAR + r')*"'                          # STRING_LITERAL2
    r"|'(?:[^'\\\n\r]|" + _ECHAR + r")*'")                         # STRING_LITERAL1
TERMINAL_RULES = (
    ("ws", r"[ \t\r\n]+"),                                                              # WS
    ("comment", r"#[^\r\n]*"),                                                          # ends at CR or LF
    ("iri", r'<[^<>"{}|^`\\\x00-\x20]*>'),                                              # IRIREF
    ("string", _STRINGS),
    ("var", f"[?$]{_VARNAME}"),                                                         # VAR1 | VAR2
    ("bnode", f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),                               # BLANK_NODE_LABEL
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),                                       # LANGTAG
    ("number", r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"   # DOUBLE
               r"|[0-9]*\.[0-9]+|[0-9]+"),                                               # DECIMAL | INTEGER
    ("pname", f"(?:{_PREFIX})?:(?:{_LOCAL})?"),                                         # PNAME_LN | PNAME_NS
    ("word", f"[{_U}][{_CHARS}]*"),                                                     # keywords (a, true, SELECT…)
    ("punct", r"<<|>>|\{\||\|\}|\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/|^!=<>?~]"),     # punctuation, operators
)


@lru_cache(maxsize=1)
def terminals() -> re.Pattern[str]:
    """The terminals as one pattern, compiled on first use: its large Unicode classes take a tenth
    of a second to compile, which a server answering its first request, or a query worker that
    meets no syntax error, need not spend."""
    return re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in TERMINAL_RULES))
OPEN, CLOSE = {"{", "(", "["}, {"}", ")", "]"}
# binary operators by precedence level (1 binds loosest): each one met nests the tree one level deeper
LEVELS = {"||": 1, "|": 1, "&&": 2, "=": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3, "+": 4, "-": 4, "*": 5, "/": 5}
UNARY = {"!", "^", "?"}
PREFIX_AFTER = LEVELS.keys() | UNARY | OPEN | {",", ";", "."}      # a + or - after these is a sign, not an addition


def tokens(text: str) -> list[tuple[str, str]]:
    """TEXT as (kind, lexeme) pairs by the SPARQL 1.1 terminals, white space left out; a
    character no terminal starts with is an ("error", char) token and lexing goes on after it."""
    out: list[tuple[str, str]] = []
    match = terminals().match
    pos, n = 0, len(text)
    while pos < n:
        m = match(text, pos)
        if m is None or m.end() == pos:
            out.append(("error", text[pos]))
            pos += 1
            continue
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group(0)))
        pos = m.end()
    return out


@lru_cache(maxsize=64)
def readings(query: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The query's readings (\\u escapes applied to the whole text first, and not), each with its
    tokens. Cached: every check of one request reads the same text."""
    return tuple((t, token_tuple(t)) for t in dict.fromkeys((unescape(query), query)))


@lru_cache(maxsize=64)
def token_tuple(text: str) -> tuple[tuple[str, str], ...]:
    """tokens(text), cached: the checks and the hints of one request read the same text."""
    return tuple(tokens(text))


def _service_token(kind: str, lexeme: str) -> bool:
    low = lexeme.lower()
    if "service" not in low or kind in ("var", "bnode", "iri"):
        return False                    # a name or an IRI: no lexer reads a keyword inside one
    if kind == "pname":
        # ex:Service is a name; but a parser that matches keywords without a word boundary could
        # read SERVICE:x as SERVICE and the empty-prefix name :x
        return low.split(":", 1)[0].endswith("service")
    return True                         # a keyword, a word with it glued on (trueSERVICE), a string, a comment, a language tag


def uses_service(query: str) -> bool:
    """SERVICE from the token stream, on either reading: as a keyword token (any case, glued to
    another word or not), and the word anywhere in a string, a comment or a language tag, where
    lexers disagree. A reading that does not lex (a character no terminal starts with) is refused
    when the word occurs anywhere in it: the engine's lexer might resynchronise elsewhere."""
    if "service" not in query.lower() and "service" not in unescape(query).lower():
        return False
    for text, toks in readings(query):
        if any(_service_token(k, x) for k, x in toks):
            return True
        if any(k == "error" for k, _ in toks) and "service" in text.lower():
            return True
    return False


# every token that deepens the tree (an opening bracket, a unary or binary operator) holds one of
# these characters, so their count in a reading bounds its depth from above
DEEPENING = "{([!^?+-=<>|&*/"


def deeper_than(query: str, limit: int) -> bool:
    """nesting(query) > limit; the tokens are read only when the characters that can deepen the tree
    are more than LIMIT on some reading (an ordinary query has a few dozen at most)."""
    texts = (query, unescape(query)) if "\\" in query else (query,)
    if all(sum(map(t.count, DEEPENING)) <= limit for t in texts):
        return False
    return nesting(query) > limit


def nesting(query: str) -> int:
    """How deep the engine's parser would recurse for the query, on either reading: every
    bracket ({, (, [ — groups, function calls, sub-expressions, paths), every unary operator
    (!, unary - and +, ^ and ? in paths) and, in a chain of binary operators, one level per
    operator of the same precedence (10,000 terms of `1 + 1 + …` are 10,000 levels of tree)."""
    deepest = 0
    for _, toks in readings(query):
        stack: list[tuple[int, list[int], int]] = []
        base, chain, unary = 0, [0] * 6, 0
        prev: str | None = "("
        for kind, x in toks:
            if kind == "comment":
                continue
            op = x if kind == "punct" else None
            if op in OPEN:
                stack.append((base, chain, unary))
                base, chain, unary = base + sum(chain) + unary + 1, [0] * 6, 0
            elif op in CLOSE:
                if stack:
                    base, chain, unary = stack.pop()
            elif op in UNARY or (op in ("+", "-") and prev in PREFIX_AFTER):
                unary += 1                          # prefix: ! - + (after an operator or an opening), ^ and ? in paths
            elif op in LEVELS:
                level = LEVELS[op]
                chain[level] += 1
                chain[level + 1:] = [0] * (5 - level)
                unary = 0
            elif op in (".", ",", ";"):
                chain, unary = [0] * 6, 0           # a new triple, argument or list item
            deepest = max(deepest, base + sum(chain) + unary)
            prev = op
    return deepest


def looks_like_update(query: str) -> bool:
    """An update operation where a query form was expected (first keyword after the prologue)."""
    if not UPDATE.search(unescape(query) if "\\" in query else query):
        return False            # blanking strings, IRIs and comments out (code_only) never makes a keyword
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

"""Labels instead of codes on the pages: the zh/en label of a property, class or code concept.

The ontology graph of the store holds a zh and an en label for every term the data uses
(ontology/ptkg.ttl, reuse.ttl, vocab.ttl); they are read once per dataset version. `term(iri)`
gives "名称 name" for an IRI, `code(notation)` the same for a code word (ge, count, growth_rate),
and a local name when nothing is known.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..service import live
from .lookup import run


def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    return live.served().derived("labels", _read)


def _read() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    terms: dict[str, tuple[str, str]] = {}
    codes: dict[str, tuple[str, str]] = {}
    for r in run("labels", live.dataset().manifest["graphs"]["ontology"]):
        pair = (r["zh"], r.get("en", ""))
        terms[r["term"]] = pair
        if r.get("notation"):
            codes.setdefault(r["notation"], pair)
    return terms, codes


def _show(pair: tuple[str, str] | None, fallback: str) -> Markup:
    if pair is None:
        return Markup(escape(fallback))
    zh, en = pair
    return Markup(f'{escape(zh)} <span class="en">{escape(en)}</span>') if en and en != zh else Markup(escape(zh))


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def term(iri: str) -> Markup:
    """A property's or class's label, zh and en."""
    return _show(_tables()[0].get(iri), local_name(iri))


def code(notation: str) -> Markup:
    """A code word's label (ge → 不低于 at least; growth_rate → 增长率 growth rate)."""
    return _show(_tables()[1].get(notation), notation)


def code_text(notation: str) -> str:
    """The same as plain text (for charts and CSV)."""
    pair = _tables()[1].get(notation)
    return f"{pair[0]} {pair[1]}" if pair and pair[1] else (pair[0] if pair else notation)

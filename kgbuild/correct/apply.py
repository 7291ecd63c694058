"""Corrections → the article graphs (reject, set, confirm) and the links stage's inputs (link, unlink).

In: the articles that passed (their graphs as N-Triples), the corrections, the base. Out: the
articles with their corrected graphs, validated again (a correction that makes a graph violate a
shape is a CorrectionError naming its file and line), and warnings for entries whose IRI is not
in this build (with the nearest IRIs). graph.mapping adds the triples.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import replace
from decimal import Decimal

from rdflib import Graph

from ..errors import CorrectionError
from ..graph.iris import PTKG
from ..graph.mapping import correct_statement
from ..graph.validate import validate
from ..link.outcomes import Statement, rows
from ..link.verdict import Figure
from ..model import ArticleBuild
from ..publish import ntriples
from .load import Correction

log = logging.getLogger("kgbuild")
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
KINDS = {f"<{PTKG}Target>": "Target", f"<{PTKG}Observation>": "Observation"}


def _typed(kept: list[ArticleBuild]) -> dict[str, tuple[int, str]]:
    """Every Target and Observation of the build: IRI → (article index, kind)."""
    out: dict[str, tuple[int, str]] = {}
    for i, a in enumerate(kept):
        for line in a.ntriples.splitlines():
            parts = line.split(" ", 3)
            if len(parts) > 2 and parts[1] == TYPE and parts[2] in KINDS:
                out[parts[0][1:-1]] = (i, KINDS[parts[2]])
    return out


def nearest(iri: str, known, base: str, n: int = 3) -> str:
    root = base.rstrip("/") + "/"
    short = {k[len(root):] if k.startswith(root) else k: k for k in known}
    want = iri[len(root):] if iri.startswith(root) else iri
    close = difflib.get_close_matches(want, sorted(short), n=n, cutoff=0.5)
    return ", ".join(close) if close else "none close"


def _warn(c: Correction, what: str, known, base: str) -> None:
    root = base.rstrip("/") + "/"
    path = c.iri[len(root):] if c.iri.startswith(root) else c.iri
    log.warning("%s: %s %s is not in this build; the correction is not applied (nearest: %s)",
                c.where, what, path, nearest(c.iri, known, base))


def apply(kept: list[ArticleBuild], corrections: tuple[Correction, ...], base: str
          ) -> tuple[list[ArticleBuild], tuple[Correction, ...]]:
    """reject / set / confirm applied to the article graphs they name. Returns the articles and
    the link / unlink corrections for the links stage."""
    if not corrections:
        return kept, ()
    typed = _typed(kept)
    per_article: dict[int, list[Correction]] = {}
    links: list[Correction] = []
    targets = {k for k, (_, kind) in typed.items() if kind == "Target"}
    rejected = {c.iri for c in corrections if c.action == "reject"}
    for c in corrections:
        if c.action in ("link", "unlink"):
            if c.iri not in targets or c.iri in rejected:
                _warn(c, "target", targets - rejected, base)
            elif c.outcome and c.outcome not in typed:
                _warn(replace(c, iri=c.outcome), "observation", [k for k, (_, t) in typed.items() if t == "Observation"], base)
            else:
                links.append(c)
        elif c.iri not in typed:
            _warn(c, "target or observation", typed, base)
        else:
            per_article.setdefault(typed[c.iri][0], []).append(c)
    out = list(kept)
    for i, entries in sorted(per_article.items()):
        out[i] = _correct(kept[i], entries, base)
    return out, tuple(links)


def _correct(a: ArticleBuild, entries: list[Correction], base: str) -> ArticleBuild:
    g = Graph()
    g.parse(data=a.ntriples, format="nt")
    for c in entries:
        try:
            correct_statement(g, base, c)
        except ValueError as e:
            raise CorrectionError(c.file, dict(c.lines).get(str(e).split(":", 1)[0], c.line), str(e)) from None
    v = validate(g)
    if v.violations:
        c = entries[0]
        err = CorrectionError(c.file, c.line, f"after the corrections of {a.file} ({', '.join(e.where for e in entries)}), "
                                              f"its graph violates the shapes ({v.violations} violation(s), report above)")
        err.report_text = v.report_text
        raise err
    raw = ntriples(g)
    nt = raw.decode("utf-8")
    count = lambda cls: nt.count(f" {TYPE} <{PTKG}{cls}> .")  # noqa: E731
    targets, observations = count("Target"), count("Observation")
    return replace(a, ntriples=nt, digest=None, report=v.report_nt, warnings=v.warnings, report_text=v.report_text,
                   targets=targets, observations=observations,
                   statements=rows(raw) if targets or observations else ())   # what linking joins, read again


def link_inputs(links: tuple[Correction, ...], cited: dict[str, str], facts: dict[str, dict]
                ) -> tuple[dict[str, list], dict[str, set[str]]]:
    """The links stage's manual outcomes (observation IRIs, or Statements of cited values) and
    unlinked outcomes per target, from the link / unlink corrections in file order."""
    manual: dict[str, list] = {}
    unlinked: dict[str, set[str]] = {}
    for c in links:
        if c.action == "unlink":
            unlinked.setdefault(c.iri, set()).add(c.outcome)
            manual[c.iri] = [m for m in manual.get(c.iri, []) if (m if isinstance(m, str) else m.uri) != c.outcome]
        elif c.outcome:
            manual.setdefault(c.iri, []).append(c.outcome)
            unlinked.get(c.iri, set()).discard(c.outcome)
        else:
            v = dict(c.values)
            f = facts.get(c.iri, {})
            fig = Figure("range" if "min" in v and "value" not in v else "eq", v.get("value"), v.get("min"), v.get("max"),
                         v.get("unit"), False, f.get("kind") or "count")
            manual.setdefault(c.iri, []).append(Statement(cited[c.where], "Observation", (), fig, None, "", "", Decimal(1)))
    return manual, unlinked

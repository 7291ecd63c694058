"""Stage 6, across articles: every target beside the values the other articles report for its
place, indicator and year, judged (link.outcomes, link.progress), with the link / unlink
corrections on top; the links graph's lines, and their validation with the nodes they touch.
The pipeline (kgbuild.pipeline) calls link_articles; links_graph also serves the in-memory union."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable

from rdflib import Graph

from .. import correct, corpus
from ..cache import whole
from ..graph.iris import PTKG, new_graph
from ..graph.mapping import link_corrections, links_to_rdf
from ..graph.validate import links_shapes, validate
from ..model import ArticleBuild, Linked
from ..publish import ntriples
from . import memo as link_memo
from .outcomes import from_rows, join
from .progress import assess


def links_graph(kept: list[ArticleBuild], base: str, fixes=()) -> tuple[Graph, tuple]:
    """The links graph and the links: each article's statements (its rows, cached with it) joined,
    with the link / unlink corrections applied on top (a person's outcome decides the verdict, an
    unlinked one is left out) and their activities and cited outcomes added to the graph."""
    stmts = from_rows(r for a in kept for r in a.statements)
    if not fixes:
        steps, found = assess(stmts, join(stmts))
        return links_to_rdf(found, base, steps), found
    facts = _facts(kept, {c.iri for c in fixes})
    g_fix = new_graph()
    cited = link_corrections(g_fix, base, fixes, facts)
    manual, unlinked = correct.link_inputs(fixes, {k: str(v) for k, v in cited.items()}, facts)
    steps, found = assess(stmts, join(stmts, manual, unlinked))
    g = links_to_rdf(found, base, steps)
    reviewers = base.rstrip("/") + "/id/reviewer/"
    described = {line for a in kept for line in a.ntriples.splitlines() if line.startswith("<" + reviewers)}
    for t in g_fix:
        if not (str(t[0]).startswith(reviewers) and
                " ".join(x.n3() for x in t) + " ." in described):  # a reviewer the article graphs describe already
            g.add(t)
    return g, found


def _facts(kept: list[ArticleBuild], iris: set[str]) -> dict[str, dict]:
    """place, indicator, year and kind of the targets some link corrections name, from their articles' graphs."""
    out: dict[str, dict] = {}
    if not iris:
        return out
    want = {f"<{i}>": i for i in iris}
    names = {f"<{PTKG}{p}>": p for p in ("place", "indicator", "year", "kind")}
    for a in kept:
        for line in a.ntriples.splitlines():
            s, p, o = line.split(" ", 2)
            if s in want and p in names:
                o = o.rsplit(" .", 1)[0]
                value = o[1:-1] if o.startswith("<") else o.split('"')[1]
                out.setdefault(want[s], {})[names[p]] = value.rsplit("#", 1)[-1] if names[p] == "kind" else value
    return out


def link_articles(kept: list[ArticleBuild], base: str, published: set[str] | Callable[[], set[str] | None] | None = None,
                  fixes=(), cache_dir: Path | None = None, read: bool = True, published_sha: str | None = None) -> Linked:
    """Stage 6: every target beside the values the other articles report for its place,
    indicator and year, judged (with the link / unlink corrections FIXES); validated with those
    nodes' place, indicator and year.
    Without corrections, only the places and indicators whose statements changed are joined again:
    the others' lines are kept in CACHE_DIR (link.memo; read unless READ is false).
    PUBLISHED: the lines of the links graph of the published version, when it was built by the same
    software for the same base; its links passed these shapes then (shapes/links.ttl has only
    violations, and a violation publishes nothing), so only the targets whose lines changed (or whose
    outcomes' or corrections' lines did) are validated again, with the corrections and cited outcomes
    whose lines changed: the work follows the change, the report is the same. PUBLISHED may be a
    function that reads them, called only when the lines' SHA-256 is not PUBLISHED_SHA (the published
    links graph's, from its manifest): lines the same as the published ones have none to validate again."""
    if fixes:
        g, found = links_graph(kept, base, fixes)
        lines = [line for line in ntriples(g).decode("utf-8").splitlines() if line]
    else:
        lines = link_memo.lines([r for a in kept for r in a.statements], base, corpus.fingerprint(), cache_dir, read)
    text = "".join(line + "\n" for line in lines)
    if published is not None and published_sha is not None and \
            hashlib.sha256(text.encode("utf-8")).hexdigest() == published_sha:
        published = lines               # the published links, line for line: none changed
    elif callable(published):
        published = published()
    if published is lines:
        changed: set[str] = set()
    else:
        changed = {_owner(line.split(" ", 1)[0]) for line in lines if published is None or line not in published}
    corrections_of: dict[str, set[str]] = defaultdict(set)     # a target's link / unlink corrections
    progressing: set[str] = set()                              # the targets with a progress assessment
    outcomes_of: dict[str, set[str]] = defaultdict(set)        # a target's outcomes
    if not changed:                     # no line changed: no target to validate again
        targets: set[str] = set()
    elif fixes:
        has_correction = f"<{PTKG}correction>"
        for line in lines:
            s, p, o = line.split(" ", 2)
            if p == has_correction:
                corrections_of[s].add(o.rsplit(" .", 1)[0])
        for lk in found:
            outcomes_of[f"<{lk.target}>"].update(f"<{o}>" for o in lk.outcomes)
        targets = {f"<{lk.target}>" for lk in found}
    else:                               # from the lines: every subject is a target or its progress (link.memo)
        has_outcome, has_progress = f"<{PTKG}outcome>", f"<{PTKG}progress>"
        for line in lines:
            if has_outcome in line or has_progress in line:
                s, p, o = line.split(" ", 2)
                if p == has_outcome:
                    outcomes_of[s].add(o.rsplit(" .", 1)[0])
                elif p == has_progress:
                    progressing.add(s)
        targets = changed | outcomes_of.keys()

    def touched(t: str) -> set[str]:
        return {t} | outcomes_of.get(t, set()) | corrections_of.get(t, set())

    recheck = [t for t in targets if touched(t) & changed]
    involved = {n for t in recheck for n in touched(t)}
    if fixes:                           # corrections, cited outcomes and reviewers whose lines changed
        involved |= changed - targets
    # the nodes whose place, indicator and year are given with the lines: with corrections, every
    # node involved; without, those the shapes read them of (_located): a target with outcomes or
    # progress, and its outcomes
    located = involved if fixes else _located(recheck, outcomes_of, progressing)
    iris = {i[1:-1] for i in located}
    owners = [whole(a) for a in kept if any(r[0] in iris for r in a.statements)] if iris else []
    context = sorted({line for a in owners for line in _context(a.ntriples, located)})
    # given as N-Triples text: the engine reads it as it is (no rdflib graph to build, a second at
    # 1,000 articles); the names are rdflib's default prefixes, those of a graph parsed from it
    check = "".join(line + "\n" for line in _owned(lines, involved) + context)
    v = validate(check, links_shapes(), names=Graph())
    return Linked(ntriples=text, report=v.report_nt, violations=v.violations,
                  report_text=v.report_text)


def _located(recheck: list[str], outcomes_of: dict[str, set[str]], progressing: set[str]) -> set[str]:
    """The nodes of the targets RECHECK whose place, indicator and year shapes/links.ttl reads: it
    reads them only in two SPARQL constraints, of a target with an outcome and of that outcome (an
    outcome has the target's place, indicator and year), and of a target with a progress assessment
    (the assessed year is before its deadline); no property shape's path and no target declaration
    names them (tests/test_links_validation.py checks the shapes say so, and that the report is the
    one the lines give with every involved node's). Those of the other targets, most of them (not
    reported yet), were a third of the data the engine read and changed nothing in its report."""
    out: set[str] = set()
    for t in recheck:
        outs = outcomes_of.get(t)
        if outs or t in progressing:
            out.add(t)
            if outs:
                out |= outs
    return out


# an article's lines that give a node's place, indicator or year: the lines `S <ptkg:place> …` (S
# without whitespace), found where the predicate's text occurs (a fast search for a literal) rather
# than by matching a pattern at every line's start (that scan was most of link_articles' own time)
_CONTEXT = re.compile(" <" + re.escape(str(PTKG)) + "(?:place|indicator|year)> ")


def _context(nt: str, nodes: set[str]) -> list[str]:
    """NT's lines whose subject is one of NODES and whose predicate ptkg:place, ptkg:indicator or
    ptkg:year (the lines of `^(\\S+) <ptkg:(place|indicator|year)> [^\\n]*$` whose subject is in NODES)."""
    out = []
    for m in _CONTEXT.finditer(nt):
        at = m.start()
        start = nt.rfind("\n", 0, at) + 1
        subject = nt[start:at]
        if subject in nodes and subject.split() == [subject]:
            end = nt.find("\n", at)
            out.append(nt[start:end if end != -1 else len(nt)])
    return out


def _owned(lines: list[str], nodes: set[str]) -> list[str]:
    """The LINES (sorted) whose subject is one of NODES or the progress of one, found by bisection:
    a node's lines begin with it, its progress's with <NODE#progress-."""
    if len(nodes) * 8 > len(lines):     # most of the nodes (a build made afresh): one pass over the lines
        return [line for line in lines if _owner(line.split(" ", 1)[0]) in nodes]
    found: set[int] = set()
    for n in nodes:
        for start in (n + " ", n[:-1] + "#progress-"):
            i = bisect.bisect_left(lines, start)
            while i < len(lines) and lines[i].startswith(start):
                found.add(i)
                i += 1
    return [lines[i] for i in sorted(found) if _owner(lines[i].split(" ", 1)[0]) in nodes]


def _owner(subject: str) -> str:
    """A progress assessment's lines (<target#progress-YEAR>) go with its target's."""
    return subject.split("#progress-", 1)[0] + ">" if "#progress-" in subject else subject

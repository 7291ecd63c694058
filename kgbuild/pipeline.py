"""The pipeline, top to bottom: load → parse → extract → to RDF → validate → correct → link → publish.

Stages 1–5 run per article (`article`), in parallel and cached (`corpus.run`); each article
becomes one named graph, validated on its own. People's corrections (kgbuild.correct, YAML) are
applied next, after the cache, to the graphs they name (validated again). The nodes several
articles describe (places, indicators, agents) are then checked once more on the union
(`check_shared`), stage 6 links targets to outcomes (with the link / unlink corrections), and
stage 7 publishes the articles that passed. An article that fails is reported by name and left out.
"""

from __future__ import annotations

import bisect
import gc
import logging
import re
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import Graph, URIRef

from . import __version__, correct, corpus
from .cache import whole
from .errors import ArticlesFailed, InputError, KGError, ValidationFailed
from .extract import extract, lexicon, segment
from .graph.iris import PTKG, graph_iri, links_graph_iri, new_graph
from .graph import confidence, digest, lines as ntlines
from .graph.mapping import link_corrections, links_to_rdf, set_confidence, to_rdf
from .graph.validate import links_shapes, merge, validate
from .link import memo as link_memo
from .link.outcomes import from_rows, join, rows, statements
from .link.progress import assess
from .model import ArticleBuild, ArticleFailure, Extraction, Linked, Published, Validation
from .publish import canned, locked, memory, ntriples, pieces, publish
from .publish.dist import Laps, reusable, unchanged
from .publish.store import graph_lines, read_query
from .read.load import article_files, load, load_file
from .read.parse import parse
from .shared import check_shared, check_union

DEFAULT_BASE = "http://127.0.0.1:5000/"
log = logging.getLogger("kgbuild")


def article(path: Path, base: str = DEFAULT_BASE) -> ArticleBuild | ArticleFailure:
    """Stages 1–5 for one article file."""
    try:
        raw = load_file(path)                                           # 1 load
        x = extract(parse(raw), lexicon.load())                         # 2 parse, 3 extract
    except InputError as e:
        return ArticleFailure(file=str(path), error=str(e), exit_code=e.exit_code)
    except Exception as e:  # noqa: BLE001 — one article must not stop a corpus: name it, go on
        return ArticleFailure(file=str(path), exit_code=2, error=f"{path}: the extractor failed on this article "
                              f"({e.__class__.__name__}: {e}); please report it with the file")
    g = to_rdf(x, base, __version__)                                    # 4 to RDF
    nt = ntlines.canonical(g)                                           # written once, validated as it is
    v = validate(nt, names=g)                                           # 5 validate
    if warn_confidence(g, v.report_nt):
        nt = ntlines.canonical(g)
    places = tuple((p.code, p.name, p.slug) for p in x.places[:1])
    # linking reads a few predicates: its query runs on those lines alone (not the text, the sentences)
    stmts = rows(ntlines.matching(nt, _link_predicates()).encode("utf-8")) if x.targets or x.observations else ()
    graph = str(graph_iri(base, raw.key))
    return ArticleBuild(key=x.article.key, file=Path(path).name, sha256=raw.sha256, graph=graph,
                        ntriples=nt, digest=digest.summary(nt, graph, x.article.key), report=v.report_nt, violations=v.violations, warnings=v.warnings,
                        report_text=v.report_text, targets=len(x.targets), observations=len(x.observations),
                        places=places, statements=stmts)


@lru_cache(maxsize=1)
def _link_predicates() -> frozenset[str]:
    return canned.predicates(read_query("link-statements"))


def _warm() -> None:
    """What every article needs loaded: the lexicon and jieba's dictionaries."""
    segment.warm(lexicon.load())


def warn_confidence(g: Graph, report_nt: str) -> bool:
    """A SHACL warning on a target or observation lowers its confidence (graph.confidence).
    Whether it changed G."""
    changed = False
    for node in sorted(confidence.warned(report_nt)):
        u = URIRef(node)
        score = g.value(u, PTKG.confidence)
        if score is not None:
            set_confidence(g, u, confidence.with_warning(score.toPython()), "the shapes warn about it (see /validation)")
            changed = True
    return changed


def build(paths: list[str | Path], out: Path, base: str = DEFAULT_BASE, jobs: int | None = None,
          cache_dir: Path | None = None, strict: bool = False,
          progress: Callable[[ArticleBuild | ArticleFailure], None] | None = None, full: bool = False,
          corrections: str | Path | None = None
          ) -> tuple[Published, Validation, tuple[ArticleFailure, ...]]:
    """Build PATHS into OUT. Failing articles are left out and returned; with strict=True, or
    when no article passes, nothing is published and the first failure is raised.
    Incremental unless FULL: when the published version was built from the same inputs it is kept
    as it is (Published.unchanged); otherwise its query store and software files are reused and
    updated (publish.dist). FULL also extracts every article again (the cache is written, not read).
    corrections: a folder (or file) of YAML corrections (kgbuild.correct), applied before anything
    is written; a malformed one raises CorrectionError before any article is read. Their content is
    part of the inputs: a changed corrections file rebuilds."""
    started = time.monotonic()
    fixes = correct.load(corrections, base)                             # errors before anything is built
    files = article_files(paths)
    if not files:
        raise InputError(", ".join(map(str, paths)) or "(no paths)", "no article files found (.md, .txt, .html, .pdf, .docx)")
    with locked(out):                                                   # one build at a time per OUT
        keys = corpus.keys(files, base)                                # each file read and hashed once
        inputs = corpus.inputs(files, base, correct.files(corrections) if corrections is not None else (), keys)
        kept = None if full else unchanged(out, inputs)
        if kept is not None:
            return _kept(out, *kept, started)
        try:
            return _build(files, out, base, jobs, cache_dir, strict, progress, started, inputs, full, fixes, keys)
        finally:
            gc.unfreeze()                                               # _build froze the articles


def _kept(out: Path, folder: Path, manifest: dict, started: float
          ) -> tuple[Published, Validation, tuple[ArticleFailure, ...]]:
    """Nothing changed: the published version stays, and says what it holds."""
    v = manifest["validation"]
    text = (folder / "validation.txt").read_text(encoding="utf-8")
    return (Published(out=str(out), triples=manifest["triples"], targets=manifest["targets"],
                      articles=len(manifest["articles"]), files=tuple(f["name"] for f in manifest["files"]),
                      seconds=time.monotonic() - started, unchanged=True, version=folder.name),
            Validation(v["conforms"], v["violations"], v["warnings"], text, ""), ())


def _build(files, out, base, jobs, cache_dir, strict, progress, started, inputs="", full=False, fixes=(), keys=None):
    lap = Laps()
    previous = None if full else reusable(out, base, corpus.fingerprint())
    outcomes = corpus.run(files, base, article, _warm, jobs, cache_dir, progress, read=not full, known=keys)
    lap("articles (corpus.run)")
    gc.freeze()         # the articles stay to the end: the collector need not walk them again (publish.dist)
    kept, failed = _split(outcomes)
    # a rebuild's canned queries run on the previous default graph, loaded in memory meanwhile and
    # brought up to date (publish.memory), unless the article graphs changed in nothing they read
    copy = memory.preload(previous[0]) \
        if previous and memory.worth_loading(previous[0], previous[1], kept, base, fixes) else None
    lap("preload")
    if fixes:                           # corrections read the graphs they name (and which IRIs each has)
        kept = [whole(a) for a in kept]
    kept, link_fixes = correct.apply(kept, fixes, base)                # 5½ correct (after the cache)
    lap("corrections")
    if full:
        kept, failed = check_union(kept, failed)                        # from the whole graphs
    else:
        kept, failed = check_shared(kept, failed, cache_dir, corpus.fingerprint())   # from their summaries
    lap("check_shared")
    if failed and (strict or not kept):
        if len(failed) > 1:
            raise ArticlesFailed(failed, "--strict" if strict and kept else "no article passed")
        f = failed[0]
        if f.exit_code == 1:
            raise ValidationFailed(f.report_text, f.error)
        raise InputError(f.file, f.error.removeprefix(f.file).lstrip(": "))
    for a in kept:
        if not a.targets and not a.observations:
            log.warning("%s: no numeric targets or reported values found; published with its text only", a.file)
    try:
        published_links = None
        if previous:                    # the links graph's piece of dataset.nt, else the store's graph
            published_links = pieces.graph_lines(previous[0], str(links_graph_iri(base)))
            if published_links is None:
                published_links = graph_lines(previous[0] / "store", str(links_graph_iri(base)))
    except (OSError, ValueError, RuntimeError):
        published_links = None          # an unreadable store: validate every link (publish rebuilds the store)
    lap("published links")
    links = link_articles(kept, base, published_links, link_fixes, cache_dir, not full)    # 6 link, across articles
    lap("link_articles")
    validation = merge([a.report for a in kept] + [links.report], new_graph())
    if links.violations:
        raise ValidationFailed(links.report_text, "the links between targets and outcomes do not conform")
    published = publish(kept, validation, failed, out, base, __version__, started, links.ntriples,   # 7 publish
                        inputs, corpus.fingerprint(), full, copy)
    return published, validation, tuple(failed)


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


def link_articles(kept: list[ArticleBuild], base: str, published: set[str] | None = None, fixes=(),
                  cache_dir: Path | None = None, read: bool = True) -> Linked:
    """Stage 6: every target beside the values the other articles report for its place,
    indicator and year, judged (with the link / unlink corrections FIXES); validated with those
    nodes' place, indicator and year.
    Without corrections, only the places and indicators whose statements changed are joined again:
    the others' lines are kept in CACHE_DIR (link.memo; read unless READ is false).
    PUBLISHED: the lines of the links graph of the published version, when it was built by the same
    software for the same base; its links passed these shapes then (shapes/links.ttl has only
    violations, and a violation publishes nothing), so only the targets whose lines changed (or whose
    outcomes' or corrections' lines did) are validated again, with the corrections and cited outcomes
    whose lines changed: the work follows the change, the report is the same."""
    if fixes:
        g, found = links_graph(kept, base, fixes)
        lines = [line for line in ntriples(g).decode("utf-8").splitlines() if line]
    else:
        lines = link_memo.lines([r for a in kept for r in a.statements], base, corpus.fingerprint(), cache_dir, read)
    changed = {_owner(line.split(" ", 1)[0]) for line in lines if published is None or line not in published}
    corrections_of: dict[str, set[str]] = defaultdict(set)     # a target's link / unlink corrections
    outcomes_of: dict[str, set[str]] = defaultdict(set)        # a target's outcomes
    if fixes:
        has_correction = f"<{PTKG}correction>"
        for line in lines:
            s, p, o = line.split(" ", 2)
            if p == has_correction:
                corrections_of[s].add(o.rsplit(" .", 1)[0])
        for lk in found:
            outcomes_of[f"<{lk.target}>"].update(f"<{o}>" for o in lk.outcomes)
        targets = {f"<{lk.target}>" for lk in found}
    else:                               # from the lines: every subject is a target or its progress (link.memo)
        has_outcome = f"<{PTKG}outcome>"
        for line in lines:
            if has_outcome in line:
                s, p, o = line.split(" ", 2)
                if p == has_outcome:
                    outcomes_of[s].add(o.rsplit(" .", 1)[0])
        targets = changed | outcomes_of.keys()

    def touched(t: str) -> set[str]:
        return {t} | outcomes_of.get(t, set()) | corrections_of.get(t, set())

    recheck = [t for t in targets if touched(t) & changed]
    involved = {n for t in recheck for n in touched(t)}
    if fixes:                           # corrections, cited outcomes and reviewers whose lines changed
        involved |= changed - targets
    iris = {i[1:-1] for i in involved}
    owners = [whole(a) for a in kept if any(r[0] in iris for r in a.statements)]
    context = sorted({m.group(0) for a in owners for m in _CONTEXT.finditer(a.ntriples) if m.group(1) in involved})
    # given as N-Triples text: the engine reads it as it is (no rdflib graph to build, a second at
    # 1,000 articles); the names are rdflib's default prefixes, those of a graph parsed from it
    check = "".join(line + "\n" for line in _owned(lines, involved) + context)
    v = validate(check, links_shapes(), names=Graph())
    return Linked(ntriples="".join(line + "\n" for line in lines), report=v.report_nt, violations=v.violations,
                  report_text=v.report_text)


# an article's lines that give a node's place, indicator or year (the subject in group 1): found by
# one scan of its text rather than by splitting every line
_CONTEXT = re.compile(r"^(\S+) <" + re.escape(str(PTKG)) + r"(?:place|indicator|year)> [^\n]*$", re.MULTILINE)


def _owned(lines: list[str], nodes: set[str]) -> list[str]:
    """The LINES (sorted) whose subject is one of NODES or the progress of one, found by bisection:
    a node's lines begin with it, its progress's with <NODE#progress-."""
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


def _split(outcomes) -> tuple[list[ArticleBuild], list[ArticleFailure]]:
    kept: list[ArticleBuild] = []
    failed: list[ArticleFailure] = []
    keys: dict[str, str] = {}
    for o in outcomes:
        if isinstance(o, ArticleFailure):
            failed.append(o)
        elif o.violations:
            failed.append(ArticleFailure(o.file, f"{o.file}: its graph does not conform to the shapes "
                                                 f"({o.violations} violation(s))", 1, o.report_text))
        elif o.key in keys:
            failed.append(ArticleFailure(o.file, f"{o.file}: article key {o.key!r} is also used by {keys[o.key]}; "
                                                 "rename one of the files", 2))
        else:
            keys[o.key] = o.file
            kept.append(o)
    return kept, failed


# ------------------------------------------------------- in memory, for tests, `targets` and eval

def graph_for(paths: list[str | Path], base: str = DEFAULT_BASE) -> tuple[Graph, tuple[Extraction, ...]]:
    """The union graph of the articles in PATHS and their links (stages 1–4 and 6, no validation,
    nothing written)."""
    raws = load(paths)                                                  # 1 load
    lex = lexicon.load()
    extractions = tuple(extract(parse(r), lex) for r in raws)           # 2 parse, 3 extract
    return _union(extractions, base), extractions                       # 4 to RDF


def graph_for_each(paths: list[str | Path], base: str = DEFAULT_BASE, corrections: str | Path | None = None
                   ) -> tuple[Graph, tuple[Extraction, ...], tuple[KGError, ...]]:
    """Like graph_for, but an article that cannot be read is reported and left out; with
    corrections (a folder or file of YAML), they are applied as the build applies them."""
    fixes = correct.load(corrections, base)
    lex = lexicon.load()
    extractions, errors = [], []
    for f in article_files(paths):
        try:
            extractions.append(extract(parse(load_file(f)), lex))
        except InputError as e:
            errors.append(e)
    return _union(tuple(extractions), base, fixes), tuple(extractions), tuple(errors)


def _union(extractions: tuple[Extraction, ...], base: str, fixes=()) -> Graph:
    """The article graphs and the links between them (stage 6)."""
    if fixes:
        builds = []
        for x in extractions:
            nt = ntriples(to_rdf(x, base, __version__))
            builds.append(ArticleBuild(key=x.article.key, file=Path(x.article.path).name, sha256=x.article.sha256,
                                       graph=str(graph_iri(base, x.article.key)), ntriples=nt.decode("utf-8"), report="",
                                       violations=0, warnings=0, report_text="", targets=len(x.targets),
                                       observations=len(x.observations), places=(),
                                       statements=rows(nt) if x.targets or x.observations else ()))
        builds, link_fixes = correct.apply(builds, fixes, base)
        links, _ = links_graph(builds, base, link_fixes)
        g = new_graph()
        g.parse(data="".join(b.ntriples for b in builds) + ntriples(links).decode("utf-8"), format="nt")
        return g
    g = new_graph()
    for x in extractions:
        part = to_rdf(x, base, __version__)
        g.addN((s, p, o, g) for s, p, o in part)
        for prefix, ns in part.namespaces():
            g.bind(prefix, ns)
    stmts = statements(ntriples(g))
    steps, found = assess(stmts, join(stmts))
    links = links_to_rdf(found, base, steps)
    g.addN((s, p, o, g) for s, p, o in links)
    return g

"""The pipeline, top to bottom: load → parse → extract → to RDF → validate → correct → link → publish.

Stages 1–5 run per article (`article`), in parallel and cached (`corpus.run`); each article
becomes one named graph, validated on its own. People's corrections (kgbuild.correct, YAML) are
applied next, after the cache, to the graphs they name (validated again). The nodes several
articles describe (places, indicators, agents) are then checked once more on the union
(`check_shared`), stage 6 links targets to outcomes (with the link / unlink corrections), and
stage 7 publishes the articles that passed. An article that fails is reported by name and left out.
"""

from __future__ import annotations

import gc
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import Graph, URIRef

from . import __version__, correct, corpus, uptodate
from .cache import whole
from .errors import ArticlesFailed, InputError, KGError, ValidationFailed
from .extract import extract, lexicon, pinyin, segment
from .extract.concepts import graph as indicator_scheme
from .extract.places import gazetteer
from .graph.iris import PTKG, graph_iri, links_graph_iri, new_graph
from .graph import confidence, digest, lines as ntlines
from .graph.mapping import links_to_rdf, set_confidence, to_lines, to_rdf, warm as mapping_warm
from .graph.validate import merge, validate, warm as validate_warm
from .link.outcomes import join, rows, statements
from .link.progress import assess
from .link.stage import link_articles, links_graph
from .model import ArticleBuild, ArticleFailure, Extraction, Published, Validation
from .publish import canned, locked, memory, ntriples, pieces, publish
from .publish.dist import Laps, reusable
from .publish.early import EarlyStore
from .publish.earlydumps import EarlyDumps
from .publish.store import graph_lines, read_query
from .publish.version import prune, pruned
from .read.load import article_files, load, load_file
from .read.parse import parse
from .shared import check_shared

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
    made = to_lines(x, base, __version__)                               # 4 to RDF (its triples, no store)
    lines = made.lines()                                                # its lines, read by the steps below
    nt = ntlines.text(lines)                                            # written once, validated as it is
    v = validate(nt, names=made.names(), iris=made.iris())              # 5 validate (the ontology it reaches)
    if v.warnings:                                  # only a warning can lower a confidence: the graph then
        g = made.graph()
        if warn_confidence(g, v.report_nt):
            nt = ntlines.canonical(g)
            lines = nt.splitlines()
    places = tuple((p.code, p.name, p.slug) for p in x.places[:1])
    # linking reads a few predicates: its query runs on those lines alone (not the text, the sentences)
    stmts = rows(ntlines.matching(nt, _link_predicates(), lines).encode("utf-8")) if x.targets or x.observations else ()
    graph = str(graph_iri(base, raw.key))
    return ArticleBuild(key=x.article.key, file=Path(path).name, sha256=raw.sha256, graph=graph,
                        ntriples=nt, digest=digest.summary(nt, graph, x.article.key, lines), report=v.report_nt, violations=v.violations, warnings=v.warnings,
                        report_text=v.report_text, targets=len(x.targets), observations=len(x.observations),
                        places=places, statements=stmts)


@lru_cache(maxsize=1)
def _link_predicates() -> frozenset[str]:
    return canned.predicates(read_query("link-statements"))


MANY = 200          # articles a build extracts from which jieba's dictionaries are made before the fork
SEVERAL = 3         # articles from which its sorted keys are split before the fork (segment.Sorted.split)


def _warm(count: int = 1) -> None:
    """What every article needs loaded: the lexicon and jieba's dictionaries, the gazetteer, the
    indicator and unit schemes, the shapes (compiled) and the ontology's hierarchy, the linking
    query's predicates. corpus.run calls it before its workers fork: they share what it loaded
    instead of each loading it (0.4 s of CPU a worker), told the COUNT of articles to extract: at
    least MANY, jieba's dictionaries are made now too (segment.warm); at least SEVERAL, its keys
    are split into lists now."""
    segment.warm(lexicon.load(), count >= MANY, count >= SEVERAL)
    gazetteer()
    indicator_scheme()
    mapping_warm()
    validate_warm()
    _link_predicates()


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
          corrections: str | Path | None = None, scanned: uptodate.Scan | None = None
          ) -> tuple[Published, Validation, tuple[ArticleFailure, ...]]:
    """Build PATHS into OUT. Failing articles are left out and returned; with strict=True, or
    when no article passes, nothing is published and the first failure is raised.
    Incremental unless FULL: when the published version was built from the same inputs it is kept
    as it is (Published.unchanged); otherwise its query store and software files are reused and
    updated (publish.dist). FULL also extracts every article again (the cache is written, not read).
    corrections: a folder (or file) of YAML corrections (kgbuild.correct), applied before anything
    is written; a malformed one raises CorrectionError before any article is read. Their content is
    part of the inputs: a changed corrections file rebuilds. SCANNED: uptodate.scan() of PATHS,
    BASE and CORRECTIONS, when the caller made it already (the CLI, to look for nothing changed)."""
    started = time.monotonic()
    fixes = correct.load(corrections, base)                             # errors before anything is built
    found = scanned or uptodate.scan(paths, base, corrections, cache_dir, not full)
    files, keys, inputs = found.files, found.keys, found.inputs
    if not files:
        raise InputError(", ".join(map(str, paths)) or "(no paths)", "no article files found (.md, .txt, .html, .pdf, .docx)")
    with locked(out):                                                   # one build at a time per OUT
        kept = None if full else uptodate.kept(out, inputs, started)
        if kept is not None:
            return (*kept, ())
        prune(out)                      # the versions the switch removes, removed meanwhile (in a thread)
        try:
            return _build(files, out, base, jobs, cache_dir, strict, progress, started, inputs, full, fixes, keys)
        finally:
            pruned(out)
            gc.unfreeze()                                               # _build froze the articles


def _build(files, out, base, jobs, cache_dir, strict, progress, started, inputs="", full=False, fixes=(), keys=None):
    lap = Laps()
    previous = None if full else reusable(out, base, corpus.fingerprint())
    if previous:                        # the queries' patterns as it lists them: rdflib's SPARQL parser not loaded
        canned.remember(*previous)
    outcomes = corpus.run(files, base, article, _warm, jobs, cache_dir, progress, read=not full, known=keys)
    pinyin.keep()                       # the pinyin of the names the articles made here: the next build reads it
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
    # a store made afresh starts loading the article graphs now, while they are checked together
    # and linked, and the dumps written (publish.early); a rebuild's dumps start being written
    # (publish.earlydumps)
    early = _early(kept, out, base, previous)
    lap("split")
    try:
        return _check_link_publish(kept, failed, out, base, cache_dir, strict, started, inputs, full, previous,
                                   link_fixes, copy, early, lap)
    finally:
        if early is not None:
            early.close()


def _early(kept, out, base, previous) -> EarlyStore | EarlyDumps | None:
    try:
        return EarlyStore(kept, out, base) if previous is None else EarlyDumps(kept, out, base, previous[0])
    except OSError as e:                # an unwritable output folder: publish says so
        log.debug("cannot start the store or the dumps early: %s", e)
        return None


def _check_link_publish(kept, failed, out, base, cache_dir, strict, started, inputs, full, previous, link_fixes, copy,
                        early, lap):
    checked = len(kept)
    # from the articles' summaries (graph.digest); a full build's were all made now, from the graphs
    # it extracted (none read from the cache), and no verdict of an earlier build is read: the same
    # verdict check_union reaches from the whole graphs (tests/test_digest.py) for a sixth of its
    # CPU (5,000 synthetic articles: 0.8 s instead of 5.5 s, on the thread the dumps wait for)
    kept, failed = check_shared(kept, failed, None if full else cache_dir, corpus.fingerprint())
    lap("check_shared")
    if early is not None and len(kept) != checked:              # some left out: the store loads (the dumps hold) the others
        early.restart(kept)
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

    def published_links() -> set[str] | None:
        """The links graph's piece of dataset.nt, else the store's graph; read only when the links
        differ from the published ones (their SHA-256 in the manifest)."""
        try:
            found = pieces.graph_lines(previous[0], str(links_graph_iri(base)))
            return found if found is not None else graph_lines(previous[0] / "store", str(links_graph_iri(base)))
        except (OSError, ValueError, RuntimeError):
            return None                 # an unreadable store: validate every link (publish rebuilds the store)

    links_sha = ((previous[1].get("graphs") or {}).get("links") or {}).get("graph_sha256") if previous else None
    links = link_articles(kept, base, published_links if previous else None, link_fixes, cache_dir, not full,
                          links_sha)                                   # 6 link, across articles
    lap("link_articles")
    validation = merge([a.report for a in kept] + [links.report], new_graph())
    if links.violations:
        raise ValidationFailed(links.report_text, "the links between targets and outcomes do not conform")
    published = publish(kept, validation, failed, out, base, __version__, started, links.ntriples,   # 7 publish
                        inputs, corpus.fingerprint(), full, copy, early if isinstance(early, EarlyStore) else None,
                        early if isinstance(early, EarlyDumps) else None)
    return published, validation, tuple(failed)


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

"""The `kgbuild` command line: one thin command per library function.

Exit codes: 0 success; 1 the graph does not conform to the shapes; 2 bad input or usage;
3 published (or fetched), but some articles (or URLs) were reported and left out; 4 the remote
store failed, or `fetch` got none of its URLs;
5 the output cannot be written (read-only or full disk; what was published is unchanged);
6 another build is publishing to the same folder; 7 a corrections file cannot be used (nothing
published).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KGError


def _base(value: str) -> str:
    """--base: an absolute http(s) URL with a host, no query or fragment; ends with /."""
    from urllib.parse import urlsplit
    try:
        u = urlsplit(value.strip())
        u.port                                            # raises on a bad port
    except ValueError as e:
        raise click.BadParameter(f"{value!r} is not a URL ({e})") from None
    if u.scheme not in ("http", "https") or not u.hostname or u.query or u.fragment or any(c in value for c in ' <>"{}|\\^`'):
        raise click.BadParameter(f"{value!r}: expected an absolute http(s) URL such as https://data.example.org/")
    return value.strip() if value.strip().endswith("/") else value.strip() + "/"


def _fail(e: Exception) -> None:
    click.echo(f"error: {e}", err=True)
    sys.exit(getattr(e, "exit_code", 2))


@click.group()
@click.version_option(__version__, prog_name="kgbuild")
def main() -> None:
    """Build, validate and query the policy-targets knowledge graph."""
    import logging
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", default="dist", show_default=True, type=click.Path(), help="Output folder.")
@click.option("--base", default="http://127.0.0.1:5000/", show_default=True, callback=lambda c, p, v: _base(v),
              help="Base URI of the published entities: the public URL the dataset is served at (http or https).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@click.option("--cache", "cache_dir", type=click.Path(), default=None,
              help="Cache of per-article results, keyed by content hash (default: .OUT-cache beside OUT).")
@click.option("--no-cache", is_flag=True, help="Extract every article again, use no cache (implies --full).")
@click.option("--strict", is_flag=True, help="Publish nothing if any article fails.")
@click.option("--full", is_flag=True, help="Rebuild everything: extract every article again, build the store afresh "
                                           "(the dumps are byte-identical to an incremental build's).")
@click.option("--corrections", type=click.Path(), default=None,
              help="A folder (or file) of YAML corrections applied before publishing (reject, set, confirm, link, unlink).")
def build(paths: tuple[str, ...], out: str, base: str, jobs: int | None, cache_dir: str | None, no_cache: bool,
          strict: bool, full: bool, corrections: str | None) -> None:
    """Extract, validate and publish PATHS (files or folders; default data/articles).

    Each article becomes one named graph. An article that cannot be read or whose graph does not
    conform is reported and left out; the others are published and the exit status is 3. When no
    article passes, or with --strict, nothing is published (exit 2, or 1 for shape violations)."""
    from . import paths as p
    out_path = Path(out)
    cache = None if no_cache else Path(cache_dir) if cache_dir else out_path.parent / f".{out_path.name}-cache"
    counts = {"cached": 0}
    # a progress bar on a terminal; nothing in a log
    with click.progressbar(length=0, label="articles", file=sys.stderr if sys.stderr.isatty() else io.StringIO(),
                           show_pos=True, show_eta=True, item_show_func=lambda x: x) as bar:
        def progress(o) -> None:
            counts["cached"] += getattr(o, "cached", False)
            bar.update(1, getattr(o, "file", ""))
        try:
            from .uptodate import published as up_to_date, scan
            sources = list(paths) or [str(p.articles_dir())]
            # the files read and hashed once, for both; those unchanged since the last scan not at all
            scanned = scan(sources, base, corrections, cache, not (full or no_cache))
            # nothing changed: answered before the stages (rdflib, jieba, pyshacl) are even loaded
            kept = None if full or no_cache else up_to_date(sources, out_path, base, corrections, scanned)
            if kept is not None:
                published, validation, failed = (*kept, ())
            else:
                from .pipeline import build as run
                bar.length = len(scanned.files)
                published, validation, failed = run(sources, out_path, base, jobs, cache, strict, progress,
                                                    full or no_cache, corrections, scanned)
        except KGError as e:
            bar.render_finish()
            if getattr(e, "report_text", ""):
                click.echo(e.report_text, err=True)
            _fail(e)
        except OSError as e:             # a fault no stage turned into a domain error
            bar.render_finish()
            from .errors import OutputError
            _fail(OutputError(out, e))
    for f in failed:
        click.echo(f"skipped {f.error}", err=True)
    _show_warnings(validation, published.out)
    if published.unchanged:
        click.echo(f"nothing changed: {published.out}/ stays as published ({published.version}: {published.articles} "
                   f"article(s), {published.targets} targets, {published.triples} triples, {validation.warnings} "
                   f"warning(s)); checked in {published.seconds:.2f}s")
        return
    click.echo(f"built {published.out}/: {published.articles} article(s) ({counts['cached']} unchanged, from the cache), "
               f"{published.targets} targets, {published.triples} triples, {validation.warnings} warning(s) "
               f"in {published.seconds:.2f}s" + (f"; {len(failed)} article(s) skipped" if failed else ""))
    _leave(3 if failed else 0)


def _leave(code: int) -> None:
    """End the kgbuild program now that the build is published and reported: its output is
    flushed, and the process exits without freeing, one by one, what the build holds (the
    articles, jieba's dictionary, the stores' handles, all closed or read-only by now): that
    took 0.4 s of CPU and most of a second of wall time at 1,000 articles. Another caller of
    the command (click's CliRunner in a test) gets sys.exit, as before."""
    if Path(sys.argv[0]).name != "kgbuild":
        if code:
            sys.exit(code)
        return
    import logging
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


SHOWN_WARNINGS = 20


def _show_warnings(validation, out) -> None:
    """The SHACL warnings the summary line counts, one a line on stderr (the first 20; all of them
    are in OUT/validation.txt)."""
    if not validation.warnings:
        return
    from .graph.validate import warning_lines
    report = validation.report_ttl
    if not report and (Path(out) / "validation.ttl").is_file():      # nothing changed: the published report
        report = (Path(out) / "validation.ttl").read_text(encoding="utf-8")
    lines = warning_lines(report)
    for line in lines[:SHOWN_WARNINGS]:
        click.echo(f"warning: {line}", err=True)
    if len(lines) > SHOWN_WARNINGS:
        click.echo(f"warning: … and {len(lines) - SHOWN_WARNINGS} more; all of them are in {out}/validation.txt", err=True)


@main.command()
@click.argument("urls", nargs=-1)
@click.option("--list", "url_list", type=click.Path(), help="A file of URLs, one a line (# comments).")
@click.option("--feed", "feeds", multiple=True, help="An RSS or Atom feed: fetch the documents its entries link to.")
@click.option("--sitemap", "sitemaps", multiple=True, help="A sitemap or sitemap index: fetch the pages it lists.")
@click.option("--out", required=True, type=click.Path(), help="Folder for the article files (kgbuild build reads it).")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to one host (a larger Crawl-delay in robots.txt wins); "
                   "the first retry waits as long, each next one twice as long, unless Retry-After says.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True, help="Retries on 429, 5xx and lost connections.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50 * 1024 * 1024, show_default=True,
              help="Largest document accepted.")
def fetch(urls: tuple[str, ...], url_list: str | None, feeds: tuple[str, ...], sitemaps: tuple[str, ...], out: str,
          delay: float, retries: int, max_bytes: int) -> None:
    """Download web pages, PDF and Word documents into article files with their provenance.

    Each URL (given, from --list, from a --feed's entries or a --sitemap) becomes OUT/NAME.EXT and
    its retrieval record; a second run asks conditionally and downloads nothing unchanged. A URL that fails
    (or a feed or sitemap that cannot be read) is named with the reason and the others go on.
    Exit 0: every URL arrived; 3: some did; 4: none did; 2: no URLs, or an unreadable list file."""
    from .errors import InputError
    from .fetch.client import Client
    from .fetch.download import FetchReport, Outcome
    from .fetch.download import fetch as run
    from .fetch.sources import Wanted, from_feed, from_list, from_sitemap
    unread: list[Outcome] = []                  # a feed or sitemap that cannot be read: named, the rest go on
    try:
        with Client(delay=delay, retries=retries, max_bytes=max_bytes) as client:
            wanted = [Wanted(u) for u in urls] + (from_list(url_list) if url_list else [])
            for read, sources in ((from_feed, feeds), (from_sitemap, sitemaps)):
                for u in sources:
                    try:
                        wanted += read(client, u)
                    except InputError as e:
                        unread.append(Outcome(u, "failed", reason=e.problem))
            if not wanted and not unread:
                raise KGError("no URLs: give URLs, --list FILE, --feed URL or --sitemap URL")
            with click.progressbar(length=len(wanted), label="documents", show_pos=True, item_show_func=lambda x: x,
                                   file=sys.stderr if sys.stderr.isatty() else io.StringIO()) as bar:
                report = run(wanted, Path(out), client, lambda o: bar.update(1, o.url))
    except KGError as e:
        _fail(e)
    report = FetchReport(tuple(unread) + report.outcomes)
    for o in report.failed:
        click.echo(f"failed {o.url}: {o.reason}", err=True)
    n = {s: sum(o.status == s for o in report.outcomes) for s in ("fetched", "unchanged", "failed")}
    click.echo(f"fetched into {out}/: {n['fetched']} new or changed, {n['unchanged']} unchanged, {n['failed']} failed")
    sys.exit(report.exit_code)


@main.command()
@click.argument("dist", required=False, default="dist", type=click.Path())
@click.option("--to", "url", required=True, help="Graph Store Protocol endpoint, e.g. http://host:8890/sparql-graph-crud-auth")
@click.option("--force", is_flag=True, help="PUT every graph, even those the store already has unchanged.")
def publish(dist: str, url: str, force: bool) -> None:
    """Push a built dataset (default dist/) to a remote triple store, one named graph per article.

    Credentials come from KG_STORE_USER / KG_STORE_PASSWORD (KG_STORE_AUTH=basic|digest) or
    KG_STORE_TOKEN. Exit 4 when the store refuses or cannot be reached."""
    from .publish.remote import publish as push
    try:
        r = push(Path(dist), url, force)
    except KGError as e:
        _fail(e)
    click.echo(f"published {dist}/ to {r.url}: {r.put} graph(s) written, {r.unchanged} unchanged, {r.deleted} deleted")


@main.command()
@click.argument("file", required=False, type=click.Path())
def validate(file: str | None) -> None:
    """Validate FILE (Turtle, N-Triples or JSON-LD; default dist/dataset.ttl) against the shapes."""
    from rdflib import Graph

    from .graph.validate import validate as run
    path = Path(file or "dist/dataset.ttl")
    fmt = {".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}.get(path.suffix, "turtle")
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except FileNotFoundError:
        _fail(KGError(f"{path}: no such file"))
    except Exception as e:  # rdflib raises many parser-specific exceptions
        _fail(KGError(f"{path}: cannot parse as {fmt}: {e}"))
    result = run(g)
    click.echo(result.report_text)
    click.echo(f"{path}: {'conforms' if result.conforms else 'does not conform'} "
               f"({result.violations} violation(s), {result.warnings} warning(s))")
    sys.exit(0 if result.conforms else 1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--corrections", type=click.Path(), default=None, help="A folder (or file) of YAML corrections to apply first.")
def targets(paths: tuple[str, ...], fmt: str, corrections: str | None) -> None:
    """Print one record per target found in PATHS (from queries/targets.rq over the built graph).

    An article that cannot be read is reported on stderr and left out; the others are printed,
    and the exit status is then 2."""
    _statements(paths, fmt, "targets", corrections)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--corrections", type=click.Path(), default=None, help="A folder (or file) of YAML corrections to apply first.")
def observations(paths: tuple[str, ...], fmt: str, corrections: str | None) -> None:
    """Print one record per reported value found in PATHS (from queries/observations.rq over the
    built graph): what a text says has happened, the year it is for and the cue that decided it.

    An article that cannot be read is reported on stderr and left out; the others are printed,
    and the exit status is then 2."""
    _statements(paths, fmt, "observations", corrections)


def _statements(paths: tuple[str, ...], fmt: str, which: str, corrections: str | None = None) -> None:
    from .pipeline import graph_for_each
    from .publish import ntriples, ontology, store
    from .report import targets as t
    fields = t.FIELDS if which == "targets" else t.OBSERVATION_FIELDS
    try:
        g, _, errors = graph_for_each(list(paths), corrections=corrections)
        st = store.memory_store(ntriples(g) + ontology().serialize(format="nt", encoding="utf-8"), [])
        recs = t.records(st) if which == "targets" else t.observations(st)
    except KGError as e:
        _fail(e)
    click.echo(t.to_jsonl(recs, fields) if fmt == "jsonl" else t.to_csv(recs, fields), nl=False)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        sys.exit(2)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--corrections", type=click.Path(), default=None, help="A folder (or file) of YAML corrections to apply first.")
@click.option("--base", default="http://127.0.0.1:5000/", show_default=True, callback=lambda c, p, v: _base(v),
              help="Base URI the IRIs are made from (as for build).")
@click.option("--place", help="Only this place (its name, IRI or slug).")
@click.option("--year", help="Only this year.")
@click.option("--article", help="Only this article (its file name).")
@click.option("--kind", type=click.Choice(["target", "observation", "outcome"]), help="Only this kind of item.")
def review(paths: tuple[str, ...], fmt: str, corrections: str | None, base: str, place: str | None, year: str | None,
           article: str | None, kind: str | None) -> None:
    """The review queue of PATHS: unconfirmed targets, observations and outcome links, least
    confident first, each with its sentence, the reading, why it is uncertain and the YAML
    entries that would confirm or reject it (paste one into a corrections file).

    An article that cannot be read is reported on stderr and left out (exit 2); a corrections
    file that cannot be used is exit 7."""
    import datetime as dt

    from .pipeline import graph_for_each
    from .publish import ntriples, ontology, store
    from .report import review as rv
    try:
        g, _, errors = graph_for_each(list(paths), base, corrections)
        st = store.memory_store(ntriples(g) + ontology().serialize(format="nt", encoding="utf-8"), [])
        items = rv.select(rv.items(st, base), place, year, article, kind)
    except KGError as e:
        _fail(e)
    today = dt.date.today().isoformat()
    click.echo(rv.to_jsonl(items, today) if fmt == "jsonl" else rv.to_csv(items, today).lstrip("\ufeff"), nl=False)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        sys.exit(2)


@main.command()
@click.argument("file", required=False, type=click.Path())
@click.option("--query", "text", help="The query text instead of a FILE.rq.")
@click.option("--data", default="dist", show_default=True, type=click.Path(), help="A built dist/ folder.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]), default=None,
              help="json/csv/tsv/xml for SELECT and ASK; ttl/nt/jsonld/xml for CONSTRUCT and DESCRIBE.")
def query(file: str | None, text: str | None, data: str, fmt: str | None) -> None:
    """Run a SPARQL query (FILE.rq, a name in queries/, or --query) against a built dataset."""
    from .publish import store
    if bool(file) == bool(text):
        _fail(KGError("give exactly one of FILE or --query"))
    try:
        q = text or store.read_query(file)
        st = store.open_store(Path(data))
        low = q.upper()
        default = "ttl" if ("CONSTRUCT" in low or "DESCRIBE" in low) and "SELECT" not in low else "json"
        sys.stdout.buffer.write(store.serialize(st, q, fmt or default))
    except KGError as e:
        _fail(e)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--limit", type=int, default=None, help="Print only the N most frequent phrases.")
def unmapped(paths: tuple[str, ...], limit: int | None) -> None:
    """List the indicator phrases that map to no concept of the indicator scheme, most frequent
    first (statements, targets, units, phrase; tab-separated), with their count on stderr.

    PATHS: a built dist/ folder (read from its store), or article files and folders (built in
    memory). An article that cannot be read is reported on stderr and left out (exit 2)."""
    from .publish import ntriples, ontology, store
    from .report import unmapped as u
    errors: list = []
    try:
        if len(paths) == 1 and (Path(paths[0]) / "store").is_dir():
            st = store.open_store(Path(paths[0]))
        else:
            from .pipeline import graph_for_each
            g, _, errors = graph_for_each(list(paths))
            st = store.memory_store(ntriples(g) + ontology().serialize(format="nt", encoding="utf-8"), [])
        ps = u.phrases(st)
    except KGError as e:
        _fail(e)
    click.echo(u.table(ps, limit), nl=False)
    click.echo(u.summary(ps), err=True, nl=False)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        sys.exit(2)


@main.command(name="eval")
@click.argument("gold_dir", required=False, type=click.Path())
@click.option("--national", "national_dir", type=click.Path(),
              help="China's Government Work Reports with promises.json (default ../shared/corpus/national or "
                   "$KG_NATIONAL_DIR, when present).")
@click.option("--held-back", "held", is_flag=True,
              help="Also print the precision if the least confident 10 % and 20 % of the predicted targets were held back for review.")
def eval_(gold_dir: str | None, national_dir: str | None, held: bool) -> None:
    """Score extraction against gold files (default ../shared/gold or $KG_GOLD_DIR, subfolders
    included), and against the national reports' promises when they are there."""
    from .report import national
    from .report.evaluate import DEFAULT_GOLD, evaluate, held_back_report, report
    try:
        scores = evaluate(gold_dir or DEFAULT_GOLD)
        click.echo(report(scores), nl=False)
        if held:
            click.echo(held_back_report(scores), nl=False)
        corpus = Path(national_dir or national.DEFAULT_NATIONAL)
        if national_dir or (corpus / "promises.json").exists():
            click.echo(national.report(national.check(corpus)), nl=False)
            click.echo(national.pair_table(national.pairs(corpus)), nl=False)
    except (KGError, FileNotFoundError) as e:
        _fail(e)

"""The query engine (pyoxigraph): building the on-disk store, opening it, running .rq files."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from . import first, graphdiff
from ..errors import QueryError


def build_store(directory: Path, nquads: Path, extra_turtle: list[Path], extra_graph: str, union: Path) -> None:
    """Bulk-load the named graphs (the articles', and the ontology into its own graph, so labels
    and notations are queryable) and their union, UNION (N-Triples), once more into the default
    graph, with the ontology: queries read the default graph as it is stored instead of merging
    every named graph at query time (10–20 % faster on 5,000 articles, for a third more disk),
    and GRAPH ?g still names the article a triple came from. NQUADS and UNION: the dump files,
    loaded leniently (IRIs not checked again, a sixth less CPU, the same quads): every line of them
    went through pyoxigraph's strict N-Triples parser when publish.pieces serialised its graph's
    pieces (in this build, or in the one that wrote a piece copied since), and a line that fails
    there fails the build (tests/test_pieces.py), so nothing it holds is published."""
    store = ox.Store(str(directory))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=True)
    for f in extra_turtle:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(extra_graph))
    store.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    for f in extra_turtle:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    store.optimize()
    store.flush()
    del store


def update_store(previous: Path, directory: Path, graphs: dict[str, str], default_size: list[int] | None = None
                 ) -> set[tuple[str, str, str]]:
    """The store of the previous version, brought up to date: copied (a RocksDB checkpoint: hard
    links to its immutable files, nearly free) and, for each named graph in GRAPHS (IRI → its new
    N-Triples, "" for a graph that is gone), only the triples that changed are removed or added, in
    the graph and in the default graph (the union). A triple leaves the default graph only when no
    named graph holds it any more (the ontology's included). The result holds the same quads as
    build_store would write from scratch (tests/test_incremental.py). Returns the triples added to or
    removed from some graph, as (subject, predicate, object) in N-Triples (publish.canned reads them).
    Triples are compared by their N-Triples terms: pyoxigraph's Triple objects do not compare equal
    across a parse and a store read. DEFAULT_SIZE: a list whose one item, the number of triples of
    the previous store's default graph, is brought up to date (what `counts` would count)."""
    ox.Store.read_only(str(previous)).backup(str(directory))
    store = ox.Store(str(directory))
    default = ox.DefaultGraph()
    gone_triples: dict = {}
    new_triples: dict = {}
    lines = graphdiff.previous_lines(Path(previous).parent, [n for n in graphs if graphs[n]])
    for name in sorted(graphs):
        g = ox.NamedNode(name)
        if name in lines:                       # the lines that changed only (publish.graphdiff)
            gone, come = graphdiff.changes(lines[name], graphs[name], _as_stored)
        else:
            old = {_key(q.triple): q.triple for q in store.quads_for_pattern(None, None, None, g)}
            new = _as_stored(ox.parse(graphs[name].encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)) \
                if graphs[name] else {}
            gone = {k: old[k] for k in old.keys() - new.keys()}
            come = {k: new[k] for k in new.keys() - old.keys()}
        for k, t in gone.items():
            store.remove(ox.Quad(t.subject, t.predicate, t.object, g))
            gone_triples[k] = t
        store.extend(ox.Quad(come[k].subject, come[k].predicate, come[k].object, g) for k in sorted(come))
        new_triples |= come
        if not graphs[name] and store.contains_named_graph(g):
            store.remove_graph(g)
    delta = 0
    for k in gone_triples.keys() - new_triples.keys():
        t = gone_triples[k]
        if not any(q.graph_name != default for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
            delta -= 1
    added = [ox.Quad(new_triples[k].subject, new_triples[k].predicate, new_triples[k].object, default)
             for k in sorted(new_triples)]
    delta += sum(1 for q in added if q not in store)
    store.extend(added)
    if default_size is not None:
        default_size[0] += delta
    store.flush()
    del store
    return set(gone_triples) | set(new_triples)


def _key(t: ox.Triple) -> tuple[str, str, str]:
    return str(t.subject), str(t.predicate), str(t.object)


def _as_stored(triples) -> dict[tuple[str, str, str], ox.Triple]:
    """TRIPLES (parsed) keyed as a store gives them back: a store keeps a literal's value, not its
    lexical form or derived integer type ("1"^^xsd:positiveInteger comes back "1"^^xsd:integer), so
    a parsed triple's key may differ from the key of the same triple read from the store; an article
    graph made again with the same triples would otherwise count all its numbers as changed."""
    mem = ox.Store()
    mem.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {_key(q.triple): q.triple for q in mem}


def graph_lines(directory: Path, graph: str) -> set[str]:
    """The N-Triples lines of one named graph of a built store."""
    st = ox.Store.read_only(str(directory))
    return {f"{q.triple} ." for q in st.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def quads(directory: Path) -> set:
    """Every quad of a store (for tests)."""
    return set(ox.Store.read_only(str(directory)))


def open_store(data_dir: Path) -> ox.Store:
    store_dir = Path(data_dir) / "store"
    if not store_dir.is_dir():
        raise QueryError(f"{data_dir}: no store/ folder; run 'kgbuild build' first")
    return ox.Store.read_only(str(store_dir))


def memory_store(ntriples: bytes | Path, extra_turtle: list[Path]) -> ox.Store:
    """NTRIPLES (bytes, or the union dump's path, loaded leniently as build_store does) and
    EXTRA_TURTLE in an in-memory store (memory_load)."""
    store = ox.Store()
    if isinstance(ntriples, Path):
        memory_load(store, path=ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    else:
        memory_load(store, ntriples, format=ox.RdfFormat.N_TRIPLES)
    for f in extra_turtle:
        memory_load(store, path=f, format=ox.RdfFormat.TURTLE)
    return store


def memory_load(mem: ox.Store, data: bytes | None = None, *, path: Path | None = None, format: ox.RdfFormat,
                lenient: bool = False) -> None:
    """DATA (or the file PATH) into the in-memory store MEM, in one transaction (Store.load), not
    Store.bulk_load: the same quads (the same parser, as lenient or strict; tests/test_canned.py),
    and for an in-memory store the transaction costs less. The union's lines at 5,000 articles in
    32 MB pieces, as publish.early loads them: 4.6 → 3.6 s of CPU and of wall time, alternated
    four times (6.5 → 5.6 s with other builds running); pyoxigraph lets go of the GIL for both.
    Loading from the dump's path costs about the same either way, with a sixth less peak memory."""
    if path is not None:
        mem.load(path=str(path), format=format, lenient=lenient)
    else:
        mem.load(io.BytesIO(data), format, lenient=lenient)


def triples_in(turtle: list[Path]) -> int:
    """The distinct triples of the TURTLE files together (what `counts` finds in the ontology graph
    build_store loads them into)."""
    mem = ox.Store()
    for f in turtle:
        memory_load(mem, path=f, format=ox.RdfFormat.TURTLE)
    return len(mem)


def counts(store: ox.Store, ontology_graph: str) -> tuple[int, int]:
    """What `SELECT (COUNT(*) AS ?n) { ?s ?p ?o }` answers on the endpoint (the default graph: the
    union of all graphs, ontology included), and the ontology graph's size."""
    def n(q: str) -> int:
        return int(next(iter(store.query(q)))[0].value)
    return (n("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            n(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology_graph}> {{ ?s ?p ?o }} }}"))


# a query naming graphs needs the store that holds them (the in-memory copy has the default graph)
ON_THE_STORE = re.compile(r"\b(GRAPH|FROM)\b", re.IGNORECASE)


# needs_the_store's answers, by query text: publish asks three times for each canned query, and
# the algebra (rdflib's parser) costs about 80 ms a query; a cold build has them made in another
# process while the articles are checked (publish.early)
_NEEDS: dict[str, bool] = {}


def known(answers: dict[str, bool]) -> None:
    """needs_the_store's ANSWERS (query text → answer), made elsewhere."""
    _NEEDS.update(answers)


def needs_the_store(query: str) -> bool:
    """Whether a canned query must run on the store itself rather than on its in-memory copy of
    the default graph: it may name graphs (GRAPH, FROM, FROM NAMED: the word anywhere outside the
    comment lines counts), or it aggregates with GROUP_CONCAT or SAMPLE in a way whose value
    depends on the order the engine meets the solutions in (the copy may concatenate in another
    order, or pick another sample, than a live query on the store gives; publish.order says which
    ways do not: GROUP_CONCAT fed by a sub-select ordered by what it joins)."""
    found = _NEEDS.get(query)
    if found is None:
        found = _NEEDS[query] = _needs_the_store(query)
    return found


def _needs_the_store(query: str) -> bool:
    from .order import concatenated_in_order
    from .shape import known_plan
    text = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    if ON_THE_STORE.search(text):
        return True
    # a plan the previous manifest lists for this text was made only for a query whose aggregates
    # do not depend on the order (shape._plan): rdflib's parser is not loaded to ask again
    return known_plan(query) is None and not concatenated_in_order(query)


def precompute(store: ox.Store, queries: list[Path], out: Path, base_iri: str,
               kept: dict[str, int] | None = None, union: ox.Store | None = None,
               rows: dict[str, int] | None = None, parsed: dict[str, dict | None] | None = None) -> dict[str, int]:
    """The answers of the canned SELECT queries, evaluated once at build time and written as
    OUT/NAME.json (write_answer): the server sends it as it is, and derives the CSV, TSV and XML
    forms from it when asked (server/service/canned.py), so the first request for an example
    query is as fast as the hundredth. Returns NAME → rows. The queries run on
    every core at once (pyoxigraph lets go of the GIL while it evaluates); each writes its own
    files, so the output is the same. KEPT: NAME → rows of the queries whose answers are already
    in OUT (a previous version's, publish.canned: no changed triple can reach them); not run.
    UNION: an in-memory store holding the default graph as STORE holds it (the union and the
    ontology, memory_store), loaded from the same union dump by full and incremental builds alike;
    the queries needs_the_store does not claim run on it, four to five times faster than on
    RocksDB: the same solutions, and the same values in each (rows that tie under ORDER BY may
    come in another order than a live query on the store gives them, which SPARQL leaves open).
    PARSED: NAME → None for the answers the caller reads next (publish.dist: targets.csv and
    review.json); each one run gets its answer, parsed (write_answer), so it is not read back."""
    from concurrent.futures import ThreadPoolExecutor

    kept = kept or {}
    # the longest first, so that the last to finish does not run alone: those on the store (several
    # times slower), then the larger answers (ROWS: NAME → rows, the previous version's). The files
    # are the same in any order
    hint = {k: v for k, v in (rows or {}).items() if isinstance(v, int)}
    # (without UNION every query runs on the store: which would need it is not asked)
    queries = sorted((q for q in queries if q.stem not in kept),
                     key=lambda q: (union is not None and not needs_the_store(q.read_text(encoding="utf-8")),
                                    -(hint.get(q.stem) or 0), q.name))

    def one(q: Path) -> int | None:
        text = q.read_text(encoding="utf-8")
        engine = union if union is not None and not needs_the_store(text) else store
        res = engine.query(first.inlined(text, engine, base_iri), base_iri=base_iri)
        if not isinstance(res, ox.QuerySolutions):
            return None
        return write_answer(out, q.stem, res.serialize(format=ox.QueryResultsFormat.JSON), parsed)

    with ThreadPoolExecutor(max_workers=max(1, min(len(os.sched_getaffinity(0)), len(queries)))) as pool:
        counts = list(pool.map(one, queries))
    return dict(sorted(({q.stem: n for q, n in zip(queries, counts) if n is not None} | kept).items()))


def write_answer(out: Path, name: str, body: bytes, parsed: dict[str, dict | None] | None = None,
                 rows: int | None = None) -> int:
    """Write one canned answer, BODY (SPARQL 1.1 JSON results), as OUT/NAME.json, the one form the
    build writes (every answer file goes through here); returns its rows. PARSED: when NAME is one
    of its keys, its value becomes the answer parsed; otherwise the rows are counted in the bytes
    (count_rows), not parsed, unless ROWS tells them (publish.delta knows them)."""
    (out / f"{name}.json").write_bytes(body)
    if rows is not None:
        return rows
    if parsed is not None and name in parsed:
        doc = parsed[name] = json.loads(body)
        return len(doc["results"]["bindings"])
    return count_rows(body)


# where a solution of pyoxigraph's SPARQL JSON results opens: `{"var":{"type":"` (its first bound
# variable, its term's first key). Nowhere else: in a string every `"` is escaped, and a string's
# closing `"` is followed by `,` `:` `}` or `]`, none of them in a variable's name
_SOLUTION = re.compile(rb'\{"[^"\\,:{}\[\]]+":\{"type":"')


def count_rows(body: bytes) -> int:
    """The solutions of a SPARQL JSON results document as pyoxigraph writes it (compact, each term's
    "type" first), counted without building it in Python (a seventh of json.loads's CPU). A
    solution binding nothing (`{}`) or a triple term (whose subject is an object of its own) is
    counted by parsing the document."""
    if b"{}" in body or b'"type":"triple"' in body:
        return len(json.loads(body)["results"]["bindings"])
    return len(_SOLUTION.findall(body))


def read_query(name_or_path: str) -> str:
    p = Path(name_or_path)
    if not p.exists():
        p = paths.queries_dir() / (name_or_path if name_or_path.endswith(".rq") else name_or_path + ".rq")
    try:
        return p.read_text(encoding="utf-8")
    except OSError as e:
        raise QueryError(f"{name_or_path}: cannot read the query ({e.strerror or e})") from None


def run(store: ox.Store, query: str):
    try:
        return store.query(query)          # the default graph holds the union
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"query failed: {e}") from None


def rows(store: ox.Store, query: str) -> tuple[list[str], list[dict[str, object]]]:
    """SELECT results as plain Python values (literals → str/int/Decimal-like str, IRIs → str)."""
    res = run(store, query)
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in res.variables]
    out = []
    for sol in res:
        out.append({n: (sol[n].value if sol[n] is not None else None) for n in names})
    return names, out


def serialize(store: ox.Store, query: str, fmt: str) -> bytes:
    res = run(store, query)
    if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
        f = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
             "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}.get(fmt)
        if f is None:
            raise QueryError(f"format {fmt!r} does not fit a SELECT or ASK query (json, csv, tsv, xml)")
        return res.serialize(format=f)
    f = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
         "jsonld": ox.RdfFormat.JSON_LD}.get(fmt)
    if f is None:
        raise QueryError(f"format {fmt!r} does not fit a CONSTRUCT/DESCRIBE query (ttl, nt, xml, jsonld)")
    return res.serialize(format=f)

"""The query engine (pyoxigraph): building the on-disk store, opening it, running .rq files."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from ..errors import QueryError


def build_store(directory: Path, nquads: bytes, extra_turtle: list[Path], extra_graph: str) -> None:
    """Bulk-load the article graphs (and the ontology into its own graph, so labels and
    notations are queryable). Queries see the union of all graphs as their default graph."""
    store = ox.Store(str(directory))
    store.bulk_load(io.BytesIO(nquads), ox.RdfFormat.N_QUADS)
    for f in extra_turtle:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(extra_graph))
    store.optimize()
    store.flush()
    del store


def open_store(data_dir: Path) -> ox.Store:
    store_dir = Path(data_dir) / "store"
    if not store_dir.is_dir():
        raise QueryError(f"{data_dir}: no store/ folder; run 'kgbuild build' first")
    return ox.Store.read_only(str(store_dir))


def memory_store(ntriples: bytes, extra_turtle: list[Path]) -> ox.Store:
    store = ox.Store()
    store.bulk_load(io.BytesIO(ntriples), ox.RdfFormat.N_TRIPLES)
    for f in extra_turtle:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    return store


def counts(store: ox.Store, ontology_graph: str) -> tuple[int, int]:
    """What `SELECT (COUNT(*) AS ?n) { ?s ?p ?o }` answers on the endpoint (the union of all graphs,
    ontology included), and the ontology graph's share of it."""
    def n(q: str) -> int:
        return int(next(iter(store.query(q, use_default_graph_as_union=True)))[0].value)
    return (n("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            n(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology_graph}> {{ ?s ?p ?o }} }}"))


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
        return store.query(query, use_default_graph_as_union=True)
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

"""Stage 6 — publish: validated article graphs → dist/ (or a remote Graph Store).

dist.py       writes dist/ atomically: dumps, query store, manifest, catalog, targets.csv
serialise.py  canonical N-Triples, the split into article graphs and the shared graph, small JSON-LD/RDF-XML
pieces.py     the dumps (N-Quads, N-Triples, TriG, Turtle, JSON-LD) assembled graph by graph, unchanged pieces copied
version.py    the published versions: one build at a time (lock), the switch to a new version, leftovers
store.py      the pyoxigraph store in dist/store/ (build it, update it, open it, query it)
graphdiff.py  a rebuild's graph changes for the store, from the N-Triples lines that differ from the previous version's pieces
first.py      a canned query's `ORDER BY ?v LIMIT 1` sub-select answered ahead and set in as VALUES
early.py      a store made afresh, loaded from the article graphs while they are checked and linked
earlydumps.py a rebuild's dumps, the article graphs' pieces written while they are checked and linked
canned.py     which canned answers a rebuild keeps: no changed triple matches the query's patterns
shape.py      whether a canned query can be updated row by row: its root variable and the pattern tree hanging off it
delta.py      a rebuild's canned answers updated row by row: the roots a change reaches, asked for again
answer.py     an answer's rows as pyoxigraph wrote them, and the merge of new rows in ORDER BY order
records.py    the manifest's summary of the target records; when a rebuild takes them and targets.csv from the previous version
targetlines.py  a rebuild's targets.csv and summary from the previous ones and the rows the delta changed
memory.py     a rebuild's in-memory copy of the default graph: the previous one, loaded when a canned query may run, brought up to date
order.py      whether a query's GROUP_CONCAT or SAMPLE depends on the order of solutions (else: in memory)
parsed.py     what the build reads off a canned query's rdflib algebra (order, patterns), kept between builds in the temporary folder
catalog.py    DCAT-AP 3 catalog, VoID statistics (catalog.ttl/.jsonld/.rdf)
docs.py       the ontology's HTML documentation (the only module that imports pyLODE)
remote.py     `kgbuild publish --to`: a SPARQL 1.1 Graph Store Protocol client
"""

from .. import lazy

__getattr__ = lazy.attributes(__name__, {"locked": ".dist", "ontology": ".dist", "publish": ".dist",
                                         "ntriples": ".serialise"})

__all__ = ["locked", "ntriples", "ontology", "publish"]

"""The SPARQL service: what answers /sparql, and the machinery every page's query goes through.

In: a built dist/ folder (its manifest and dist/store/, or a remote store with --store) and
SPARQL Protocol requests. Out: SPARQL results, the service description, dataset versions and
query pools for the site to use (live.dataset(), live.pages_pool()).

  sparql.py      the /sparql blueprint: SPARQL 1.1 Protocol, formats, limits, the service description
  sparqlhelp.py  for newcomers: predeclared prefixes, syntax errors explained, hints (an untyped year)
  sparqltext.py  checks on the query text before the engine sees it (update, SERVICE, depth, canonical form)
  engine.py      the local worker pool: one process per query, hard timeout, row cap, answer cache
  worker.py      a query worker process (pyoxigraph, rlimits, serialisation of results)
  remote.py      the same interface over a remote SPARQL endpoint (kgserve --store)
  direct.py      an ordinary /sparql query answered before Flask's dispatch (same checks, pool, bytes)
  fastpath.py    a WSGI cache of complete answers to repeated /sparql GETs, keyed by dataset version
  live.py        one dataset version per request; switches when dist/ points at a new build
  dataset.py     a built dist/ opened read-only (manifest, store, last-modified)
  http.py        waitress with RFC 9112 request framing and a thread pool of its own for queries
  canned.py      the example queries (dist/queries/*.rq) and their build-time answers
  testhooks.py   /_test/load for the conformance suites (KG_TEST_LOAD only)

It never imports server.site (tests/test_layout.py holds it): a browser's GET /sparql gets the
site's editor page through app.extensions["kg_query_page"], which the app factory sets.
"""

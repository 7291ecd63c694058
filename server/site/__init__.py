"""The site: the human- and crawler-facing pages built on the SPARQL service.

In: the current dataset version and the pages' query pool from server.service.live (queries in
server/queries/*.rq, templates in server/templates/). Out: HTML pages, dereferenceable URIs
(HTML or RDF by content negotiation), downloads and what portals and crawlers read.

  pages.py      the landing page (schema.org Dataset) and the query editor page
  entities.py   /id/… and /indicator/…: each resource's page or RDF; place, target, article pages
  tracker.py    the promise tracker (/tracker, /tracker.csv) and the indicator charts' rows
  charts.py     SVG charts (no JavaScript)
  figures.py    numbers as the source writes them (万, 亿), comparators as words, round chart ticks
  rules.py      verdicts and their rules in plain words, zh and en
  search.py     /search over the labels of places, indicators, targets and article titles (HTML, JSON)
  scorecard.py  scorecards per place: targets per status, by year and by plan (/scorecard, CSV twins)
  indicators.py /indicators, the index; the scheme's concepts without data (a page, not a 404)
  lookup.py     the pages' .rq queries through the pages' pool, and local links for dataset IRIs
  labels.py     terms and code words shown by their zh/en labels from the ontology graph
  downloads.py  the dumps and /downloads, with sizes and checksums
  docs.py       the ontology's and shapes' documentation, the validation report
  portal.py     DCAT catalog, VoID, robots.txt, sitemap.xml, the example queries as resources
  review.py     the review queue (/review, /review.csv) from dist/review.json

It may import server.service; the service never imports it.
"""

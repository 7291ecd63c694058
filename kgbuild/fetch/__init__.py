"""Stage 0 — fetch: URLs, feeds and sitemaps → article files with their retrieval records.

client.py    the polite HTTP client (the only httpx and protego user): robots.txt, per-host delay,
             retries with backoff (Retry-After), conditional requests, size cap, User-Agent
sources.py   where URLs come from: a list file, an RSS/Atom feed (feedparser), a sitemap or index
download.py  `kgbuild fetch`: each URL → OUT/NAME.EXT + NAME.EXT.retrieval.json; state for the next run
"""

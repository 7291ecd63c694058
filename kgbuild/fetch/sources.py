"""Where the URLs come from: a list file, an RSS/Atom feed (the only module that imports feedparser),
a sitemap or sitemap index (read with lxml's XML parser, entities and network access off)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import feedparser
from lxml import etree

from ..errors import InputError
from .client import Client, FetchFailed

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_SITEMAPS = 1000                      # sitemap files read from one index, nested ones included


@dataclass(frozen=True)
class Wanted:
    url: str
    title: str | None = None             # what the feed says the entry is called
    date: datetime | None = None         # when the feed says it was published


def from_list(path: str | Path) -> list[Wanted]:
    """One URL a line; blank lines and lines starting with # are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(path), f"cannot read the list of URLs: {e}") from None
    return [Wanted(x.strip()) for x in text.splitlines() if x.strip() and not x.strip().startswith("#")]


def from_feed(client: Client, url: str) -> list[Wanted]:
    try:
        a = client.get(url, accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
    except FetchFailed as e:
        raise InputError(url, f"the feed cannot be fetched: {e}") from None
    feed = feedparser.parse(a.data, response_headers={"content-location": a.final_url})
    if feed.bozo and not feed.entries:
        raise InputError(url, f"not a readable RSS or Atom feed ({feed.get('bozo_exception')})")
    out = []
    for e in feed.entries:
        link = e.get("link")
        if not link:
            continue
        t = e.get("published_parsed") or e.get("updated_parsed")
        out.append(Wanted(urljoin(a.final_url, link), (e.get("title") or "").strip() or None,
                          datetime(*t[:6], tzinfo=timezone.utc) if t else None))
    return out


def _xml(data: bytes, url: str) -> etree._Element:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise InputError(url, f"not a readable sitemap (XML: {e})") from None


def from_sitemap(client: Client, url: str) -> list[Wanted]:
    """The pages a sitemap lists; a sitemap index is followed into the sitemaps it lists."""
    out: list[Wanted] = []
    todo, seen = [url], set()
    while todo and len(seen) < MAX_SITEMAPS:
        u = todo.pop(0)
        if u in seen:
            continue
        seen.add(u)
        try:
            a = client.get(u, accept="application/xml, text/xml;q=0.9, */*;q=0.5")
        except FetchFailed as e:
            raise InputError(u, f"the sitemap cannot be fetched: {e}") from None
        root = _xml(a.data, u)
        locs = [(x.findtext(f"{SITEMAP_NS}loc") or "").strip() for x in root]
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            todo.extend(urljoin(a.final_url, x) for x in locs if x)
        elif root.tag == f"{SITEMAP_NS}urlset":
            out.extend(Wanted(urljoin(a.final_url, x)) for x in locs if x)
        else:
            raise InputError(u, f"not a sitemap: the root element is {root.tag}, not urlset or sitemapindex")
    return out

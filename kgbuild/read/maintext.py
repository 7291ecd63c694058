"""The main text of a web page: the only module that imports trafilatura.

Government and news pages wrap an article in navigation, breadcrumbs, share bars, related-article
lists and footers full of numbers (site codes, ICP numbers, phones, visit counters). trafilatura
finds the article; parse.py reads the page into lines as it reads any HTML and keeps the lines
trafilatura's text holds (`keeps`), so line breaks, headings and offsets follow the page. Tables
inside the article stay; a page laid out with tables (a cell holding paragraphs) is read without
tables, or the layout would come back with the article. When trafilatura finds nothing, every
line is kept.

Measured against the reader without it (bench/readers.py, made-up government, news and
table-layout pages): see README, "From a list of URLs to a served dataset in three commands".
"""

from __future__ import annotations

import re

LAYOUT_TABLE = re.compile(r"<td[^>]*>\s*<(?:p|div|table)\b", re.I)


def main_text(html: str) -> str | None:
    """The text of the article part of HTML (headings, paragraphs, lists, data tables), or None.
    trafilatura is imported here, on the first web page (0.1–0.2 s of CPU a build of Markdown
    articles does without)."""
    import trafilatura
    opts = dict(output_format="html", include_formatting=True, include_comments=False, include_images=False,
                include_links=False, deduplicate=False, with_metadata=False, fast=True)
    out = trafilatura.extract(html, include_tables=True, **opts)
    if out and LAYOUT_TABLE.search(out):
        out = trafilatura.extract(html, include_tables=False, **opts) or out
    return re.sub(r"<[^>]+>", "\n", out) if out else None


def _squash(s: str) -> str:
    return re.sub(r"[\s|]+", "", s.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"))


def keeps(main: str):
    """A test for lines: is this line part of the article text MAIN? A short line must be one of
    its lines, a longer one a part of it."""
    whole = _squash(main)
    lines = {_squash(x) for x in main.split("\n")}

    def keep(line: str) -> bool:
        s = _squash(line)
        return s in lines or (len(s) >= 8 and s in whole)
    return keep

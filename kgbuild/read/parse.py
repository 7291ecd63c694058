"""Stage 2 — parse: RawArticle → Article (metadata and the plain text that offsets refer to).

Front matter is read with python-frontmatter (YAML), Markdown with markdown-it-py, HTML with
selectolax (a web page's furniture left out by maintext.py), PDF by pdf.py, Word by word.py. The
article text is the title, then one line per text block, joined by "\n"; every evidence offset
in the graph points into exactly this string. A fetched file's retrieval record supplies the
source URL, and the title, date and publisher where the document has none.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone

import frontmatter
import pyoxigraph as ox
import yaml
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import InputError
from ..model import Article, Block, Person, RawArticle, Span
from .maintext import keeps, main_text

log = logging.getLogger("kgbuild")
CST = timezone(timedelta(hours=8))   # China Standard Time: the default for dates without an offset
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd",
              "figcaption", "div", "section", "article", "header", "footer", "tr", "table", "ul", "ol", "main"}
DROP_TAGS = "script, style, noscript, nav, form, aside, template, iframe, svg"
BR = "\ue000"
SENTENCE_END = re.compile(r"[。；！？;!?]")
LIST_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}是|\d{1,2}[、.．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])")
SOURCE_LINE = re.compile(r"[（(]?\s*(?:文章)?[来來]源[:：]\s*([^）)\s]+)\s*[）)]?")     # 来源 or, traditional, 來源
ROLE_WORDS = {"记者": "reporter", "见习记者": "reporter", "全媒体记者": "reporter", "通讯员": "correspondent",
              "摄影": "photographer"}
ROLE_WORDS |= {"記者": "reporter", "見習記者": "reporter", "全媒體記者": "reporter", "通訊員": "correspondent",
               "攝影": "photographer"}           # the same words in traditional characters
_ROLE = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
PERSON = re.compile(rf"({_ROLE})[\s:：]*(?!供[图圖])([\u4e00-\u9fff]{{2,3}})(?=$|[\s)）,，。、]|{_ROLE})")
# a photo's credit or marker, in either script (…通讯员供图, 【资料图】, 图片来源：新华社): no heading of the plan
CAPTION = re.compile(r"(?:供[图圖]|[图圖]片?[来來]源[:：].{0,20}|^[【\[（(]?[资資]料[图圖]片?[】\]）)]?)$")
TRAILING_NAMES = re.compile(r"[（(]((?:[\u4e00-\u9fff]{2,3}[\s、]+)*[\u4e00-\u9fff]{2,3})[)）]\s*$")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")
TEXT_DATE = re.compile(r"(20\d{2}|19\d{2})[-/年](\d{1,2})[-/月](\d{1,2})日?")


def parse_date(value: object, path: str, where: str) -> datetime | None:
    """A date from front matter or a meta tag → aware datetime (+08:00 when no offset is given)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        s = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                dt = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
        else:
            raise InputError(path, f"cannot read the date {s!r} (expected e.g. 2022-01-29 08:55:14 +0800)", where)
    return dt if dt.tzinfo else dt.replace(tzinfo=CST)


INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# soft hyphen, zero-width characters, and the C0 controls XML cannot carry (RDF/XML, SPARQL XML results)
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _iri(url: str, where: str) -> str | None:
    """A source URL as a valid IRI: the characters RFC 3987 does not allow percent-encoded, a % that
    starts no escape written %25; then parsed by a real IRI parser (Oxigraph's, the one the store
    and the link stage use). One that still does not parse (http://[::1, two @) is left out with a
    warning naming the article, which is published without it."""
    iri = IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), url.strip())
    iri = BAD_PERCENT.sub("%25", iri)
    try:
        ox.NamedNode(iri)
    except ValueError as e:
        log.warning("%s: the source URL %r is not a valid IRI (%s); the article is published without it", where, url, e)
        return None
    return iri


def _clean(s: str) -> str:
    """One line of plain text: invisible characters dropped (they split numbers: 120\u200b0人),
    runs of white space as one space."""
    return re.sub(r"[ \t\r\n\f\v\u00a0\u3000]+", " ", INVISIBLE.sub("", s)).strip(" \u3000")


def _html_blocks(root: LexborNode) -> list[tuple[str, list[tuple[str, str]]]]:
    """Leaf text blocks in document order, each with the (text, href) of its links."""
    for br in root.css("br"):
        br.replace_with(BR)
    out = []
    for node in root.traverse(include_text=False):
        if node.tag not in BLOCK_TAGS or any(d.tag in BLOCK_TAGS for d in list(node.traverse(include_text=False))[1:]):
            continue
        links = [(_clean(a.text(deep=True)), a.attributes.get("href") or "") for a in node.css("a")]
        for line in node.text(deep=True).split(BR):
            line = _clean(line)
            if line:
                out.append((line, links))
    return out


def _is_link_block(text: str, links: list[tuple[str, str]]) -> bool:
    rest = text
    for t, _ in links:
        rest = rest.replace(t, "")
    return bool(links) and not re.search(r"[0-9A-Za-z\u4e00-\u9fff]", rest)


class _Builder:
    """Accumulates blocks into the article text, recording offsets."""

    def __init__(self, title: str):
        self.text = title
        self.blocks = [Block(0, len(title), "title")]

    def add(self, line: str, kind: str) -> None:
        self.text += "\n"
        b = len(self.text)
        self.text += line
        self.blocks.append(Block(b, len(self.text), kind))


def _kind(line: str) -> str:
    if SOURCE_LINE.fullmatch(line.strip("（）() ")) or SOURCE_LINE.fullmatch(line):
        return "source"
    if len(line) <= 40 and not SENTENCE_END.search(line):       # a short line, no sentence: a credit?
        if CAPTION.search(line):
            return "caption"
        if PERSON.search(line):
            return "byline"
    if LIST_ITEM.match(line):
        return "item"
    if len(line) <= 50 and not SENTENCE_END.search(line) and not re.search(r"[，,：:]", line):
        return "heading"
    return "paragraph"


def _people(text: str, blocks: tuple[Block, ...]) -> tuple[Person, ...]:
    people: list[Person] = []
    for m in PERSON.finditer(text):
        people.append(Person(m.group(2), ROLE_WORDS.get(m.group(1)), Span(m.start(2), m.end(2), m.group(2))))
    for b in blocks:
        if b.kind in ("title", "source"):
            continue
        m = TRAILING_NAMES.search(text, b.begin, b.end)
        if m and m.end() == b.end and not PERSON.search(m.group(0)):
            for n in re.finditer(r"[\u4e00-\u9fff]{2,3}", m.group(1)):
                people.append(Person(n.group(0), None, Span(m.start(1) + n.start(), m.start(1) + n.end(), n.group(0))))
    return tuple(sorted(set(people), key=lambda p: p.span.begin))


def _finish(raw: RawArticle, title: str, lines: list[tuple], when: datetime | None,
            meta_publisher: str | None, tags: tuple[str, ...], urls: list[str]) -> Article:
    """LINES: (text, links) or (text, links, True) for a line the document marks as a heading."""
    rec = raw.retrieval
    title = _clean(title) or _clean(rec.title or "") if rec else _clean(title)
    if not title:
        raise InputError(raw.path, "the article has no title (front matter 'title', <title>/<h1>, or a first line)")
    if rec is not None:
        urls.insert(0, rec.final_url)
        when = when or rec.date
        meta_publisher = meta_publisher or rec.publisher
    b = _Builder(title)
    publisher = None
    for line, links, *marked in lines:
        if _is_link_block(line, links):
            urls.extend(h for t, h in links if re.match(r"https?://", h) and t.rstrip("/") == h.rstrip("/"))
            continue
        kind = _kind(line)
        if marked and marked[0] and kind == "paragraph":     # a styled heading the text rules would not see
            kind = "heading"
        if kind == "source":
            m = SOURCE_LINE.search(line)
            publisher = publisher or (m.group(1) if m else None)
        b.add(line, kind)
    if len(b.blocks) == 1:
        raise InputError(raw.path, "the article has a title but no body text")
    blocks = tuple(b.blocks)
    return Article(key=raw.key, path=raw.path, sha256=raw.sha256, fmt=raw.fmt, title=title, date=when,
                    publisher=publisher or meta_publisher, tags=tags, source_urls=tuple(dict.fromkeys(i for i in (_iri(u, raw.path) for u in urls) if i)),
                    text=b.text, blocks=blocks, people=_people(b.text, blocks), retrieval=rec)


FLAT_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*$")


def _flat_front_matter(content: str) -> tuple[dict, str] | None:
    """Jekyll headers with an unquoted colon in a value (title: 数字福州: 三年行动) are not YAML;
    when every line is a plain `key: value`, read them as such."""
    m = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n?", content, re.DOTALL)
    if not m:
        return None
    meta = {}
    for line in m.group(1).split("\n"):
        if not line.strip():
            continue
        f = FLAT_LINE.match(line)
        if not f:
            return None
        meta[f.group(1)] = f.group(2).strip().strip('"').strip("'")
    return meta, content[m.end():]


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """The Markdown renderer, made once (making it was a sixth of parsing an article); render()
    keeps its state per call."""
    return MarkdownIt("commonmark", {"html": True, "linkify": False})


def _parse_post(raw: RawArticle) -> Article:
    try:
        post = frontmatter.loads(raw.content)
    except yaml.YAMLError as e:
        flat = _flat_front_matter(raw.content) if "mapping values are not allowed" in str(e) else None
        if flat is None:
            # where the trouble starts (an unclosed quote: where it opens), not where YAML gave up
            mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else None  # 0-based, counted from the opening --- line
            context = getattr(e, "context", None)
            problem = getattr(e, "problem", None) or str(e)
            if context and getattr(e, "context_mark", None):
                problem = f"{context} (column {e.context_mark.column + 1}), {problem}"
            raise InputError(raw.path, f"invalid YAML front matter: {problem}", where) from None
        post = frontmatter.Post(flat[1], **flat[0])
    except Exception as e:  # python-frontmatter raises bare errors for some malformed headers
        raise InputError(raw.path, f"cannot read the front matter: {e}") from None
    meta = post.metadata if isinstance(post.metadata, dict) else {}
    html = _markdown().render(post.content)
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    for n in tree.css(DROP_TAGS):
        n.decompose()
    tags = tuple(str(t) for k in ("categories", "tags") for t in _as_list(meta.get(k)))
    urls = [str(u) for k in ("source", "url", "source_url", "link") for u in _as_list(meta.get(k)) if re.match(r"https?://", str(u))]
    when = parse_date(meta.get("date"), raw.path, "front matter 'date'")
    publisher = meta.get("publisher") or meta.get("source_name") or (_as_list(meta.get("tags")) or [None])[0]
    return _finish(raw, str(meta.get("title") or ""), _html_blocks(tree.body), when,
                   str(publisher) if publisher else None, tags, urls)


def _as_list(v: object) -> list:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [x for x in v if x is not None]
    return [x for x in str(v).split()] if isinstance(v, str) else [v]


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for n in names:
        node = tree.css_first(f'meta[property="{n}"], meta[name="{n}"], meta[itemprop="{n}"]')
        if node and node.attributes.get("content"):
            return node.attributes["content"].strip()
    return None


def _parse_html(raw: RawArticle) -> Article:
    tree = LexborHTMLParser(raw.content)
    # the meta tags of Chinese government sites (ArticleTitle, PubDate, ContentSource, SiteName),
    # OpenGraph and Dublin Core
    title = _meta(tree, "ArticleTitle", "og:title", "DC.title", "dc.title", "title") or ""
    if not title:
        node = tree.css_first("h1") or tree.css_first("title")
        title = node.text(deep=True) if node else ""
    when = _meta(tree, "PubDate", "article:published_time", "pubdate", "publishdate", "date", "DC.date", "dc.date",
                 "DCTERMS.issued", "dcterms.issued", "datePublished")
    if not when and (t := tree.css_first("time[datetime]")):
        when = t.attributes.get("datetime")
    canonical = tree.css_first('link[rel="canonical"]')
    urls = [u for u in (canonical.attributes.get("href") if canonical else None, _meta(tree, "og:url")) if u and re.match(r"https?://", u)]
    for n in tree.css(DROP_TAGS):
        n.decompose()
    body = tree.css_first("article") or tree.css_first("main") or tree.body
    if body is None:
        raise InputError(raw.path, "the HTML page has no <body>")
    for h1 in body.css("h1"):
        if _clean(h1.text(deep=True)) == _clean(title):
            h1.decompose()
    lines = _html_blocks(body)
    if main := main_text(raw.content):              # the article without the page's furniture
        keep = keeps(main)
        lines = [x for x in lines if keep(x[0])] or lines
    if lines and lines[0][0] == _clean(title):      # the headline, repeated as the first block
        lines = lines[1:]
    publisher = _meta(tree, "ContentSource", "og:site_name", "SiteName", "DC.publisher", "dc.publisher", "author")
    return _finish(raw, title, lines, parse_date(when, raw.path, "meta date"), publisher, (), urls)


def _parse_txt(raw: RawArticle) -> Article:
    lines = [_clean(x) for x in raw.content.split("\n")]
    lines = [x for x in lines if x]
    if not lines:
        raise InputError(raw.path, "the file is empty")
    when = None
    for n, line in enumerate(lines[1:6], 2):
        m = TEXT_DATE.search(line)
        if m:
            try:
                when = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=CST)
            except ValueError:
                raise InputError(raw.path, f"invalid date {m.group(0)!r}", f"line {n}") from None
            break
    urls = [u for line in lines for u in re.findall(r"https?://[^\s<>\"）)]+", line) if line.strip() == u]
    body = [(x, []) for x in lines[1:] if x not in urls]
    return _finish(raw, lines[0], body, when, None, (), urls)


LINE_BREAKS = re.compile("\r\n|[\r\u0085\u2028\u2029]")
# what XML 1.0 cannot carry (C0 controls but tab and line ends, surrogates, U+FFFE/U+FFFF) and the
# other noncharacters (U+FDD0–U+FDEF, the last two code points of every plane)
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(1, 17)) + "]")


def normalise(text: str) -> str:
    """The file's text as every later stage sees it, normalised once, before anything is parsed
    (so every offset points into the normalised text): CR LF, CR, NEL, LINE SEPARATOR and PARAGRAPH
    SEPARATOR as line feeds; noncharacters and characters XML 1.0 cannot carry dropped."""
    return NOT_TEXT.sub("", LINE_BREAKS.sub("\n", text))


def _text_date(lines: list[str], path: str) -> datetime | None:
    """A document's date from a dated line near its start or its end (a 公文 ends with its date)."""
    for line in lines[1:6] + lines[-3:][::-1]:
        m = TEXT_DATE.search(line)
        if m and len(line) <= 40:
            try:
                return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=CST)
            except ValueError:
                raise InputError(path, f"invalid date {m.group(0)!r}") from None
    return None


def _parse_document(raw: RawArticle) -> Article:
    """PDF and Word: the reader's lines, the first dropped when it is the title."""
    if raw.fmt == "pdf":
        from .pdf import read_pdf
        doc = read_pdf(raw.data, raw.path)
        lines = [(_clean(normalise(x)), [], False) for x in doc.lines]
    else:
        from .word import read_word
        doc = read_word(raw.data, raw.path, raw.fmt)
        lines = [(_clean(normalise(x)), [], h) for x, h in doc.lines]
    lines = [x for x in lines if x[0]]
    title = _clean(doc.title or "") or (_clean(raw.retrieval.title or "") if raw.retrieval else "") or \
        (lines[0][0] if lines else "")
    if lines and lines[0][0] == title:
        lines = lines[1:]
    when = doc.date or (raw.retrieval.date if raw.retrieval else None) or _text_date([title] + [x[0] for x in lines], raw.path)
    return _finish(raw, title, lines, when, None, (), [])


def parse(raw: RawArticle) -> Article:
    raw = replace(raw, content=normalise(raw.content)) if raw.content else raw
    return {"post": _parse_post, "html": _parse_html, "txt": _parse_txt, "pdf": _parse_document,
            "docx": _parse_document, "doc": _parse_document}[raw.fmt](raw)

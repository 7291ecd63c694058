"""Plan structure: focus areas (headings, 着力 lines, numbered sections) and the plan year."""

from __future__ import annotations

import re

from ..model import Article, FocusArea, Span
from .lexicon import Lexicon
from .numbers import find_quantities
from .places import mentioned
from .segment import tokens

ZHUOLI = re.compile(r"^(?:着力|聚焦|突出|围绕|坚持)(?:[“\"]([^”\"]{1,12})[”\"])?([^。；，,：:]{2,20})[。；，,：:]")
ITEM_LEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}是|\d{1,2}[、.．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*([^。；，,：:]{2,24})(?:[。；，,：:]|$)")
TARGET_YEAR = re.compile(r"(?:到|至|力争|计划|预计|在)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年")


def _label(phrase: str, lex: Lexicon) -> str:
    """做大研发投入 → 研发投入: drop the leading verbs and modifiers."""
    toks = tokens(phrase, lex)
    i = 0
    while i < len(toks) - 1 and (toks[i].is_verb or toks[i].pos in ("a", "ad", "d")):
        i += 1
    return "".join(t.word for t in toks[i:]).strip() or phrase


def _body_name(line: str, lex: Lexicon) -> bool:
    """The line is only a public body's name: it opens with a division's name (or 市, 省, 区, 县, 国家)
    and ends with the last word of a body's name (温州市发展和改革委员会, 市统计局)."""
    line = line.strip()
    if len(line) > 24 or not line.endswith(lex.bodies):
        return False
    lead = next((e for b, e, _ in mentioned(line) if b == 0), 0) or \
        next((len(w) for w in ("国家", "市", "省", "区", "县") if line.startswith(w)), 0)
    return 0 < lead < len(line) and not find_quantities(line, lex)


def focus_areas(article: Article, lex: Lexicon) -> tuple[FocusArea, ...]:
    text = article.text
    starts: list[tuple[int, str, Span]] = []
    blocks = [b for b in article.blocks if not b.credit and b.kind != "title"]
    pending: int | None = None      # index in starts of a heading still waiting for its 着力 line
    provisional: set[int] = set()   # headings that only count once a 着力 line labels them
    for b in blocks:
        line = text[b.begin:b.end]
        m = ZHUOLI.match(line)
        if m:
            label = _label(m.group(2), lex)
            span = Span(b.begin, b.begin + m.end(2), text[b.begin:b.begin + m.end(2)])
            if pending is not None:
                hb, _, _ = starts[pending]
                starts[pending] = (hb, label, span)
                provisional.discard(pending)
                pending = None
            else:
                starts.append((b.begin, label, span))
            continue
        pending = None
        if b.kind == "heading" and _body_name(line, lex):
            continue                # who speaks or publishes (温州市发展和改革委员会), no area of the plan
        if b.kind == "heading":
            # a heading that restates a target names an area only through the 着力 line after it
            starts.append((b.begin, line, Span(b.begin, b.end, line)))
            pending = len(starts) - 1
            if find_quantities(line, lex):
                provisional.add(pending)
        elif b.kind == "item":
            m = ITEM_LEAD.match(line)
            lead = m.group(1) if m else ""
            rest = line[m.end():] if m else ""
            section = re.match(r"\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])", line)
            if m and (rest.strip() or section) and not find_quantities(lead, lex):
                off = b.begin + m.start(1)
                starts.append((b.begin, lead, Span(off, off + len(lead), lead)))
    starts = [s for i, s in enumerate(starts) if i not in provisional]
    end_of_body = max((b.end for b in article.blocks if b.kind != "source"), default=len(text))
    areas = []
    for i, (begin, label, span) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else end_of_body
        areas.append(FocusArea(index=i + 1, label=label, span=span, begin=begin, end=end))
    return tuple(areas)


def area_at(areas: tuple[FocusArea, ...], offset: int) -> int | None:
    for a in areas:
        if a.begin <= offset < a.end:
            return a.index
    return None


def stated_year(article: Article) -> int | None:
    """For an article without a date: the first year its title or lead names (2024年工作安排)."""
    for b in [b for b in article.blocks if not b.credit][:2]:
        m = re.search(r"((?:19|20)\d{2})\s*年", article.text[b.begin:b.end])
        if m:
            return int(m.group(1))
    return None


def default_year(article: Article, pub: int | None, lex: Lexicon) -> int | None:
    """The plan year: a target year stated in the title or the lead (到2020年, 2018—2020年),
    else a named period (十四五末), else the year the article was published."""
    lead = [b for b in article.blocks if not b.credit][:2]
    for b in lead:
        chunk = article.text[b.begin:b.end]
        for m in TARGET_YEAR.finditer(chunk):
            y = int(m.group(1) or m.group(3))
            if pub is None or y >= pub:
                return y
        for phrase, y in lex.period_years.items():
            if phrase in chunk and (pub is None or y >= pub):
                return y
    return pub

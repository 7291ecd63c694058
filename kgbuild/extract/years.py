"""The year a figure is for, and the span of years a figure covers.

In: the text of a block, the article's year, the number, its tense and its section. Out: a year
(到2025年, 十四五末, 用3年时间 → the third year; for a report, the year it names, its review
section's, or the year before for 过去一年 in a spring report) and, for a figure over several
years (过去五年, 十三五期间, 2016—2020年), its first and last year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import tense
from .lexicon import Lexicon
from .numbers import Quantity

YEAR = re.compile(r"(?:(到|至|在|于|截至|截止)\s*)?((?:19|20)\d{2})\s*年(?:底|末|前|内)?(?![\d月])")
PRICE_BASE = re.compile(r"\s*(?:的)?(?:不变价|可比价|价格计算|价格水平计算)")
YEAR_END = re.compile(r"(?:到|至|在|于|截至|截止)?\s*(?:19|20)\d{2}\s*年(?:底|末)")
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年")


@lru_cache(maxsize=4)
def _year_patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(map(re.escape, sorted(lex.relative_years, key=len, reverse=True)))
    periods = "|".join(map(re.escape, sorted(lex.period_years, key=len, reverse=True)))
    return re.compile(rf"(?<![比较与])(?<!同比)({words})(?!均)"), re.compile(periods)   # not 基础上年均增长


def years_in(text: str, begin: int, end: int, pub: int | None, lex: Lexicon,
           second_half: bool = False) -> list[tuple[int, int, bool]]:
    """(offset, year, is_target_year) for every year expression: 2022年, 到2025年, 今年, 过去一年
    (the year before in a spring report, this year in a winter review), 十四五末."""
    out = []
    for m in YEAR_RANGE.finditer(text, begin, end):
        out.append((m.start(), int(m.group(2)), True))
    ranges = [m.span() for m in YEAR_RANGE.finditer(text, begin, end)]
    for m in YEAR.finditer(text, begin, end):
        if any(a <= m.start() < b for a, b in ranges):
            continue                                  # the second year of 2016—2020年 is in the range
        if re.search(r"(?:比|较|与|同|由|从)\s*$", text[max(begin, m.start() - 2):m.start()]):
            continue                                  # 比2007年增加, 由2007年的1.4%: a base, not the year it is for
        if PRICE_BASE.match(text, m.end()):
            continue                                  # 按2010年不变价, 2010年价格计算: the prices' year, not the figure's
        out.append((m.start(), int(m.group(2)), True))
    if pub:
        relative, periods = _year_patterns(lex)
        for m in relative.finditer(text, begin, end):
            early, late = lex.relative_years[m.group(1)]
            delta = late if second_half else early
            out.append((m.start(1), pub + delta, delta >= 0))           # not 比上年: a base, not a year
    for m in _year_patterns(lex)[1].finditer(text, begin, end):
        out.append((m.start(), lex.period_years[m.group(0)], True))
    if pub:
        for m in re.finditer(r"用\s*([1-9一二三四五六七八九十])\s*年(?:时间|左右)?", text[begin:end]):
            n = int(m.group(1)) if m.group(1).isdigit() else "一二三四五六七八九十".index(m.group(1)) + 1
            out.append((begin + m.start(), pub + n - 1, True))     # 用3年时间: the third year is the target year
    return sorted(out)


PERIOD_WORDS = re.compile(r"(过去|近|最近|未来|今后)\s*([1-9一二三四五六七八九十])\s*年(?:来|间|内|里)?|([1-9一二三四五六七八九十])\s*年(?:来|间)")


def periods_in(text: str, begin: int, end: int, pub: int | None, lex: Lexicon,
             second_half: bool = False) -> list[tuple[int, int, int]]:
    """(offset, first year, last year) of every span of several years: 过去五年, 五年来, 今后五年,
    2016—2020年, 十三五期间. A figure under one covers the span, not its last year."""
    out = []
    for m in YEAR_RANGE.finditer(text, begin, end):
        out.append((m.start(), int(m.group(1)), int(m.group(2))))
    if pub:
        digits = "一二三四五六七八九十"
        for m in PERIOD_WORDS.finditer(text, begin, end):
            w = m.group(2) or m.group(3)
            n = int(w) if w.isdigit() else digits.index(w) + 1
            if n < 2:
                continue
            if m.group(1) in ("未来", "今后"):
                out.append((m.start(), pub + (1 if second_half else 0), pub + n - (0 if second_half else 1)))
            else:
                last = pub if second_half else pub - 1
                out.append((m.start(), last - n + 1, last))
    firsts = {m.start(): tense.first_years(m, lex) for m in tense.PERIOD_FIRST.finditer(text, begin, end)}
    out += [(p, *span) for p, span in firsts.items() if span]
    for m in _year_patterns(lex)[1].finditer(text, begin, end):
        phrase = m.group(0)
        if any(p <= m.start() < p + 8 for p in firsts):
            continue                                 # 十一五前四年: the first years, not the whole period
        if re.search(r"期间|时期", phrase) or phrase.strip("“”") in ("十一五", "十二五", "十三五", "十四五", "十五五"):
            y = lex.period_years[phrase]
            out.append((m.start(), y - 4, y))               # 十三五期间: 2016–2020
    return sorted(out)


def period_for(q: Quantity, years: list[tuple[int, int, bool]], periods: list[tuple[int, int, int]],
                section: tense.Decision | None, pub: int | None, lex: Lexicon,
                average: bool = False, s_begin: int | None = None, text: str = "") -> tuple[int, int] | None:
    """The span a figure covers: the nearest span expression before it in its block, unless a
    single year is named after it (a yearly average, 年均, covers the span all the same:
    “十三五”及2016年的目标：农业增加值年均增长5%); else the span its section heading names (一、过去五年的工作,
    二、“十四五”时期的发展目标)."""
    pos = q.prefix_begin
    spans = {p for p, _, _ in periods}
    singles = [yp for yp, _, _ in years if yp <= pos and not any(sp <= yp <= sp + 2 for sp in spans)
               and (s_begin is None or yp >= s_begin or not YEAR_END.match(text, yp))]
    # a year-end date in another sentence of the block stamps that sentence's stock only (2012年底，住房
    # 面积…。能耗下降17.2%: the fall is the review's five years)
    before = [(p, a, b) for p, a, b in periods if p <= pos]
    if before:
        p, a, b = before[-1]
        return (a, b) if average or not any(p < yp for yp in singles) else None
    if singles:
        return None                                  # 2012年，…增长7.8%: one year, inside a five-year review
    if section is not None and pub:
        named = [(m.group(0), lex.period_years[m.group(0)]) for m in _year_patterns(lex)[1].finditer(section.cue)]
        if named and not re.search(r"(?:19|20)\d{2}\s*年", section.cue) and \
                (named[0][1] < pub if section.tense == "past" else named[0][1] > pub):
            return named[0][1] - 4, named[0][1]      # 一、“十一五”时期…的回顾: 2006–2010; 二、“十四五”时期的发展目标: 2011–2015
        m = PERIOD_WORDS.search(section.cue)
        if section.tense == "past" and m and (m.group(1) or "") not in ("未来", "今后") and not re.search(r"(?:19|20)\d{2}\s*年", section.cue):
            w = m.group(2) or m.group(3)
            n = int(w) if w.isdigit() else "一二三四五六七八九十".index(w) + 1
            return (pub - n, pub - 1) if n > 1 else None
    return None


def year_for(q: Quantity, s_begin: int, years: list[tuple[int, int, bool]], tense_: str, default: int | None,
              pub: int | None, section: tense.Decision | None, carried: list[int] | tuple = (),
              titled: int | None = None) -> int | None:
    """The nearest year expression before the number in its sentence, then in its block, then the
    year its section heading names; a report with none of these, in a review section or in a
    text published early in the year (before its statistics for the year can exist), is about the
    year before. CARRIED: the years of the paragraph a report's tense was carried from (2022年是极不平凡的
    一年。一年来，我们…： then a paragraph of figures without a year: they are 2022's). TITLED: the year
    before publication a title names (赣州市2022年国民经济和社会发展统计公报, published in 2023): a
    report's figure with no other year is that year's."""
    pos = q.prefix_begin
    in_sentence = [y for p, y, _ in years if s_begin <= p <= pos]
    in_block = [y for p, y, _ in years if p <= pos]
    for ys in (in_sentence, in_block):
        past = [y for y in ys if pub is None or y <= pub]
        if tense_ == "past" and past:
            return past[-1]
        fut = [y for y in ys if pub is None or y >= pub]
        if tense_ == "future" and fut:
            return fut[-1]
    if tense_ == "past" and (past := [y for y in carried if pub is None or y <= pub]):
        return past[-1]
    if tense_ == "past" and pub:
        if section is not None and section.tense == "past":
            named = [int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年", section.cue)]
            return named[-1] if named else pub - 1
        return titled or pub
    return default

"""Numerals and quantity expressions: "1.5万人次以上", "4—5个", "6%-6.5%", "三分之一", "超过6000万元".

Pure functions over a string and character offsets; the measure words, comparators and
name nouns are data (data/lexicon/*). What a quantity *means* (target, past result, name)
is decided by the extractor; this module only finds and normalises numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .lexicon import Lexicon

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
ZH_BIG = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000),
               "万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10) ** 12}


def zh_to_int(s: str) -> int:
    """Chinese numeral → int: 十二 → 12, 两千 → 2000, 三千五百 → 3500, 一万二千 → 12000."""
    if not s or any(c not in ZH_DIGITS and c not in ZH_SMALL and c not in ZH_BIG for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if all(c in ZH_DIGITS for c in s) and len(s) > 1:  # digit by digit: 二〇二二
        return int("".join(str(ZH_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in ZH_DIGITS:
            digit = ZH_DIGITS[c]
        elif c in ZH_SMALL:
            section += (1 if digit is None else digit) * ZH_SMALL[c]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * ZH_BIG[c] if c == "亿" else total + section * ZH_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


SEPARATORS = re.compile(r"[,\s\u2009\u202f]")
MULTIPLIED = re.compile(r"[\d.]+[万亿]")


def parse_number(s: str) -> Decimal:
    """"1,500" / "1.5" / "十二" / "1.5万" (a trailing multiplier is applied) → Decimal."""
    s = SEPARATORS.sub("", s.strip())
    mult = Decimal(1)
    if len(s) > 1 and s[-1] in ("万", "亿") and MULTIPLIED.fullmatch(s):
        mult, s = MULTIPLIERS[s[-1]], s[:-1]
    try:
        return Decimal(s) * mult
    except InvalidOperation:
        return Decimal(zh_to_int(s)) * mult


def parse_fraction(s: str) -> Decimal:
    """"1/5" → 0.2, "三分之一" → 0.333…, "百分之二十" → 0.2."""
    if "/" in s:
        num, den = s.split("/", 1)
        return (Decimal(num) / Decimal(den)).normalize()
    den, num = s.split("分之", 1)
    return (parse_number(num) / parse_number(den)).quantize(Decimal("0.0001")).normalize()


def plain(d: Decimal) -> Decimal:
    """Normalise without scientific notation: 1.5E+4 → 15000."""
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


@dataclass(frozen=True)
class Quantity:
    """A number or range with its measure word, as found in the text."""

    begin: int                   # offset of the first character (comparator prefix excluded)
    end: int                     # offset after the last character (suffix such as 以上 included)
    value: Decimal | None        # None for a range
    min: Decimal | None
    max: Decimal | None
    unit: str | None             # as written, multiplier folded out: 人次, 家, %, 亿元 …
    unit_class: str              # count | measure | money | percent | points | fraction
    prefix: str                  # comparator word right before the number ("" if none)
    prefix_begin: int            # offset where the prefix starts (== begin if none)
    suffix: str                  # comparator word right after the unit ("" if none)
    written: str                 # the exact text from begin to end

    @property
    def is_range(self) -> bool:
        return self.value is None


FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")   # not ，: a clause break
AR = r"[0-9]+(?:(?:,|[ \u2009\u202f](?=[0-9]{3}(?![0-9])))[0-9]{3})*(?:\.[0-9]+)?"   # 1,500 and 1 200
ZH = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
DASH = r"[—–\-－~～至到]|——"


@lru_cache(maxsize=4)
def _pattern(lex: Lexicon) -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(lex.units, key=len, reverse=True))
    suffixes = "|".join(re.escape(w) for w in sorted(lex.comparator_suffixes, key=len, reverse=True))
    num = rf"(?:{AR}|{ZH})"
    return re.compile(
        rf"(?P<frac>\d+/\d+(?![\d万])|百分之{ZH}(?:\.\d+)?|{ZH}分之{ZH})"
        rf"|(?P<n1>{num})(?:[ \u00a0\u2009](?=[万亿千%％]|(?:{units})))?(?P<m1>万亿(?![元美欧])|[万亿千](?![元美欧]))?(?P<p1>[%％])?"
        rf"(?:\s*(?:{DASH})\s*(?P<n2>{num})(?P<m2>万亿(?![元美欧])|[万亿千](?![元美欧]))?)?"
        rf"(?P<approx>多|余)?(?P<unit>{units})?"
        rf"(?P<suffix>{suffixes})?"
    )


def _money_split(n: str, unit: str | None, lex: Lexicon) -> tuple[str, str | None]:
    """三万元 / 5亿美元: a multiplier that belongs to a money unit stays with the unit."""
    if unit and n and n[-1] in "万亿千" and (n[-1] + unit) in lex.units and lex.units[n[-1] + unit] == "money":
        return n[:-1], n[-1] + unit
    return n, unit


@lru_cache(maxsize=8)
def _halfwidth(text: str) -> str:
    """The text with full-width digits and signs folded, once per text (the extractor asks
    sentence by sentence: translating the whole text each time was quadratic)."""
    folded = text.translate(FULLWIDTH)
    return text if folded == text else folded        # the same object when nothing was folded: no copies of the quantities


GLUED_BEFORE = re.compile(r"[A-Za-z0-9.\-/_#]")
LATIN = re.compile(r"[A-Za-z]")
LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def find_quantities(text: str, lex: Lexicon, begin: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number with a measure word, percent sign or fraction in text[begin:end].

    Numbers without a measure word ("1、", "2022", phone numbers), numbers glued to Latin
    letters or digits (ids, model numbers) and measure words marked as non-units in the
    lexicon ("两位数", "三级") are not quantities.
    """
    end = len(text) if end is None else end
    original, text = text, _halfwidth(text)              # １．２万 → 1.2万, offsets unchanged
    out: list[Quantity] = []
    for m in _pattern(lex).finditer(text, begin, end):
        if not m.group(0) or (m.group("n1") is None and m.group("frac") is None):
            continue
        s = m.start()
        before = text[s - 1] if s > 0 else ""
        signed = before in "-−" and s > 1 and bool(SIGNED_AFTER.search(text, max(0, s - 4), s - 1))
        if GLUED_BEFORE.match(before) and not signed:
            continue
        q = _quantity(m, text, lex)
        if q is None:
            continue
        if signed:
            if q.value is None or q.unit_class != "percent":
                continue
            q = replace(q, begin=s - 1, value=-q.value, prefix_begin=s - 1 if q.prefix_begin == s else q.prefix_begin,
                        written=text[s - 1:q.end])     # 增长-2.1%: a growth below zero
        if LATIN.match(text[q.end - 1]) and LATIN_OR_DIGIT.match(text[q.end:q.end + 1]):
            continue  # a Latin unit glued to more Latin text: an id, not a quantity
        out.append(replace(q, written=original[q.begin:q.end]) if original is not text else q)
    for m in BARE_MILESTONE.finditer(text, begin, end):     # 迈上万亿元台阶, 突破千亿元: one of that order
        if not any(q.begin <= m.start() < q.end for q in out):
            q = _with_prefix(text, lex, m.start(), m.end(), BARE_ORDER[m.group(1)], None, None, "亿元", "money", "")
            out.append(replace(q, written=original[q.begin:q.end]))
    return sorted(out, key=lambda q: q.begin)


LEVEL = r"[\u4e00-\u9fff]{0,3}?(?:水平|区间|范围|幅度)"   # 控制在4.5%左右的合理区间: the number states the level
LEVEL_OF = re.compile("的" + LEVEL)                     # what follows such a number (filters, clauses)
MILESTONE_NOUNS = "大关|新台阶|台阶|关口"   # 突破500亿元大关, 迈上万亿元台阶: a level reached, not a class of things
BARE_MILESTONE = re.compile(rf"(?<=跃上|迈上|跨上|站上|突破|跨越|迈入|跨入)(万亿|千亿|百亿)元(?={MILESTONE_NOUNS}|级|[，,。；;]|$)")
BARE_ORDER = {"万亿": Decimal(10000), "千亿": Decimal(1000), "百亿": Decimal(100)}   # in 亿元
SIGNED_AFTER = re.compile(r"(?:增长|增速|增幅|涨幅|为|是|达|达到)$")   # 增长-2.1%, 增速为-3%: a minus sign, not a dash
INDEX_BEFORE = re.compile(r"(?:指数|系数|得分|分值|评分|指数值)(?:要|将|力争|确保)?(?:达到|达|为|提高到|提升到|保持在|稳定在|不低于|超过|突破|高于)$")


def _quantity(m: re.Match[str], text: str, lex: Lexicon) -> Quantity | None:
    s, e = m.start(), m.end()
    suffix = m.group("suffix") or (m.group("approx") if m.group("unit") else "") or ""
    if m.group("frac"):
        frac = m.group("frac")
        try:
            v = parse_fraction(frac.replace("百分之", "100分之")) if frac.startswith("百分之") else parse_fraction(frac)
        except (InvalidOperation, ValueError, ZeroDivisionError):
            return None
        if frac.startswith("百分之"):
            return _with_prefix(text, lex, s, e, plain(v * 100), None, None, "%", "percent", suffix)
        return _with_prefix(text, lex, s, e, plain(v), None, None, None, "fraction", suffix)
    n1, m1, p1, n2, m2 = (m.group(k) for k in ("n1", "m1", "p1", "n2", "m2"))
    unit = m.group("unit")
    if p1 and not unit:
        unit = p1
    # a Chinese numeral swallowed the money multiplier: 三万元
    last = n2 if n2 else n1
    if not (m2 if n2 else m1):
        last2, unit = _money_split(last, unit, lex)
        if n2:
            n2 = last2
        else:
            n1 = last2
    mult = m2 if n2 else m1
    if mult and unit and (mult + unit) in lex.units and lex.units[mult + unit] == "money":
        unit, mult = mult + unit, None
        if n2:
            m2 = None
        else:
            m1 = None
    if not unit and mult in ("万", "亿") and not n2 and _beside_people(text, s, e, lex):
        unit = "人"                                    # 农村低收入人口减少80万以上, 200万中小学生
    if not unit and not n2 and not mult and INDEX_BEFORE.search(text, max(0, s - 16), s):
        return _with_prefix(text, lex, s, e, plain(parse_number(n1)), None, None, None, "index", suffix) \
            if re.fullmatch(r"\d+(?:\.\d+)?", n1) else None       # 区域创新指数达到160以上: an index has no unit
    if not unit:
        return None
    uclass = lex.units.get(unit, "count")
    if unit in ("%", "％"):
        unit, uclass = "%", "percent"
    if uclass == "none":
        return None
    if re.fullmatch(ZH, n1) and n1 in ("一", "两", "二") and uclass == "count" and not n2 and text[e:e + 1] in ("些", "批", "系"):
        return None
    try:
        a = parse_number(n1) * (MULTIPLIERS[m1] if m1 else 1)
        if n2:
            b = parse_number(n2) * (MULTIPLIERS[m2] if m2 else 1)
            if m2 and not m1 and a < b / MULTIPLIERS[m2]:  # 1-2万 → 10000-20000
                a = a * MULTIPLIERS[m2]
    except (InvalidOperation, ValueError):
        return None
    if n2:
        if not a < b:
            return None
        return _with_prefix(text, lex, s, e, None, plain(a), plain(b), unit, uclass, suffix)
    return _with_prefix(text, lex, s, e, plain(a), None, None, unit, uclass, suffix)


def _beside_people(text: str, s: int, e: int, lex: Lexicon) -> bool:
    after = text[e:e + 6]
    if any(after.startswith(w) for w in lex.people_nouns):
        return True
    if not re.match(r"[，,。；;、）)]|以上|左右|以内|$", after):
        return False
    before = re.sub(r"(?:减少|增加|新增|达到|达|超过|超|突破|约|近|为|共|累计|实现|转移|脱贫|帮助|惠及|带动)+$", "",
                    text[max(0, s - 12):s])
    return any(before.endswith(w) for w in lex.people_nouns)


@lru_cache(maxsize=4)
def _prefix_lengths(lex: Lexicon) -> tuple[int, ...]:
    """The lengths of the comparator words (lex.comparator_prefixes), longest first."""
    return tuple(sorted({len(w) for w in lex.comparator_prefixes if w}, reverse=True))


def _with_prefix(text: str, lex: Lexicon, s: int, e: int, value, lo, hi, unit, uclass, suffix) -> Quantity:
    prefix = ""
    window = text[max(0, s - 6):s]
    for n in _prefix_lengths(lex):           # the longest comparator word the window ends with
        if window[-n:] in lex.comparator_prefixes:
            prefix = window[-n:]
            break
    return Quantity(begin=s, end=e, value=value, min=lo, max=hi, unit=unit, unit_class=uclass,
                    prefix=prefix, prefix_begin=s - len(prefix), suffix=suffix, written=text[s:e])

"""Numbers as the source writes them: 1232万人 rather than 12320000人, comparators as words
(≥ 以上), and chart ticks at round steps (1, 2, 2.5, 5 × 10ⁿ), never 10.95 %.

In: the plain decimal values the graph holds (folded into base units by the build) and their unit.
Out: text and HTML for the pages; the exact value stays in a title (hover) and a data-value attribute.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from markupsafe import Markup, escape

# comparator code → (symbol, zh word placed after the number, en words)
COMPARATORS = {
    "ge": ("≥", "以上", "at least"), "gt": (">", "超过", "more than"), "le": ("≤", "以内", "at most"),
    "lt": ("<", "低于", "less than"), "eq": ("", "", ""), "range": ("", "", "between"),
}
# units the source already writes with a magnitude prefix: keep as they are
_PREFIXED = ("万", "亿", "千", "百")


def _dec(v) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def plain(v) -> str:
    """A decimal without a trailing .0 or exponent: 6.90 → 6.9, 1E+3 → 1000."""
    d = _dec(v)
    if d is None:
        return "" if v is None else str(v)
    s = format(d.normalize(), "f")
    return s


def short(v, unit: str = "") -> str:
    """12320000 (人) → 1232万; 350000000000 → 3500亿; a value that would need more than two
    decimals in 万 or 亿 is written out in full. Percentages and prefixed units stay as they are."""
    d = _dec(v)
    if d is None:
        return plain(v)
    if unit in ("%", "‰", "‱") or (unit or "").startswith(_PREFIXED) or abs(d) < 10000:
        return plain(d)
    for factor, word in ((Decimal(100000000), "亿"), (Decimal(10000), "万")):
        if abs(d) >= factor:
            q = d / factor
            if q == q.quantize(Decimal("0.01")):
                return plain(q) + word
    return plain(d)


def figure(v, unit: str | None = "", cls: str = "fig") -> Markup:
    """The value with its unit as HTML: short form shown, the exact value on hover and in data-value."""
    unit = unit or ""
    exact = plain(v)
    shown = short(v, unit)
    title = f' title="{escape(exact + unit)}"' if shown != exact else ""
    return Markup(f'<span class="{cls}" data-value="{escape(exact)}"{title}>{escape(shown)}{escape(unit)}</span>')


def target_text(r: dict, prefix: str = "") -> str:
    """A target as words, for charts and captions: ≥ 7%, 2—3个, 1232万人以上 → "≥ 1232万人"."""
    unit = r.get(prefix + "unit") or ""
    cmp_ = r.get(prefix + "comparator") or "eq"
    if r.get(prefix + "min") is not None and r.get(prefix + "max") is not None and cmp_ in ("range", "eq"):
        body = f"{short(r[prefix + 'min'], unit)}–{short(r[prefix + 'max'], unit)}{unit}"
    elif r.get(prefix + "value") is not None:
        body = short(r[prefix + "value"], unit) + unit
    else:
        return ""
    sym = COMPARATORS.get(cmp_, ("", "", ""))[0]
    approx = " 左右" if (r.get(prefix + "approximate") in ("true", "1", True)) else ""
    return (sym + " " if sym else "") + body + approx


def target_html(r: dict) -> Markup:
    """A target as HTML: the comparator as a symbol with its zh/en words on hover, the figure short."""
    unit = r.get("unit") or ""
    cmp_ = r.get("comparator") or "eq"
    if r.get("min") is not None and r.get("max") is not None:
        body = Markup("–").join([figure(r["min"], ""), figure(r["max"], unit)])
    elif r.get("value") is not None:
        body = figure(r["value"], unit)
    else:
        return Markup("")
    sym, zh, en = COMPARATORS.get(cmp_, ("", "", ""))
    pre = Markup(f'<abbr class="cmp" title="{escape(zh)} {escape(en)}">{escape(sym)}</abbr> ') if sym else Markup("")
    approx = Markup(' 左右 <span class="en">about</span>') if r.get("approximate") in ("true", "1", True) else Markup("")
    return Markup('<span class="fig">') + pre + body + approx + Markup("</span>")


def comparator_words(code: str | None) -> Markup:
    """ge → ≥ 以上 at least (a reader's words, never the code)."""
    sym, zh, en = COMPARATORS.get(code or "eq", ("", code or "", ""))
    if not sym and not zh:
        return Markup('= <span class="en">exactly</span>') if code == "eq" else Markup(escape(en))
    return Markup(f'{escape(sym)} {escape(zh)} <span class="en">{escape(en)}</span>')


# ---------------------------------------------------------------- chart ticks


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, count - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def tick_label(v: float, step: float, unit: str = "") -> str:
    """A tick's text with as many decimals as the step needs (2.5 → 1, 0.25 → 2, 5 → 0)."""
    exp = Decimal(repr(round(step, 10))).normalize().as_tuple().exponent
    decimals = max(0, -int(exp))
    text = f"{v:.{decimals}f}"
    if decimals == 0 and abs(v) >= 10000:
        return short(text, unit)
    return text

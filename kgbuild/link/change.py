"""Change over a plan's span (rubric progress/2): 单位国内生产总值能耗降低16%, 二氧化碳排放下降17%,
主要污染物排放总量减少8%至10% — a target for the change of a rate over the plan's years, not a level.

Its baseline is the plan's start (the value of the year before its first year), so the change so far is
read from the reports in one of two ways: a cumulative figure stated for the span so far (前四年累计下降
13%: the same first year, an earlier last year), else the yearly changes each year's report gives
(单位国内生产总值能耗下降3.7%) compounded — a fall of f₁ then f₂ is 1 − (1 − f₁)(1 − f₂), a rise
(1 + r₁)(1 + r₂) − 1. Progress is the Open SDG ratio on the yearly pace: the constant yearly change
that compounds to the change so far over the years it covers (the years reported, when some are
missing), ÷ the constant yearly change that compounds to the target over the span. At the deadline, with
no figure stated for the whole span, the verdict is judged on the compounded yearly changes of every year
of the span.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from ..extract.concepts import core, measure

ONE, HUNDRED = Decimal(1), Decimal(100)


def is_fall(stated: str | None) -> bool:
    """The target words a fall (降低, 下降, 减少 …: the measure head of indicator_grammar.tsv)."""
    return bool(stated) and measure(core(stated))[1] == "-"


def compound(rates: list[Decimal], fall: bool) -> Decimal | None:
    """The change over several years from the yearly changes (in %), or None when a fall reaches 100 %."""
    with localcontext() as ctx:
        ctx.prec = 28
        prod = ONE
        for r in rates:
            prod *= (ONE - r / HUNDRED) if fall else (ONE + r / HUNDRED)
        if prod <= 0:
            return None
        return ((ONE - prod) if fall else (prod - ONE)) * HUNDRED


def pace(total: Decimal, years: int, fall: bool) -> Decimal | None:
    """The constant yearly change (in %) that compounds to total over years."""
    with localcontext() as ctx:
        ctx.prec = 28
        left = (ONE - total / HUNDRED) if fall else (ONE + total / HUNDRED)
        if left <= 0 or years <= 0:
            return None
        per = left ** (ONE / years)
        return ((ONE - per) if fall else (per - ONE)) * HUNDRED

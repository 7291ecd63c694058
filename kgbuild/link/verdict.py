"""Was a promise kept? One target, one reported value, the indicator's desired direction → a status.

The rule, in order:
1. The units must agree. Money is compared in 亿元 (万元, 万亿元, 元 folded); any other unit must be
   the same word (% against 个百分点 is undetermined). A target or outcome without a number is
   undetermined.
2. The comparator as written decides the side: 以上/不低于 (ge), 超过 (gt) is a floor; 以内/不超过
   (le), 低于 (lt) a ceiling; a range's floor is its minimum and its ceiling its maximum.
3. A plain figure (eq) or a range takes the side from the indicator concept's desired direction
   (data/lexicon/indicators.ttl): floor (growth, jobs: more is better), ceiling (prices,
   unemployment: less is better), band (deficits, money growth: the figure itself). An indicator
   outside the scheme is a floor when it counts, sums or grows, and undetermined when it is a ratio.
4. Tolerance, for a target worded as "about" (左右, 约) and for every band: 0.2 percentage points
   for a rate in %, half the smallest step (0.5 pp) in which such targets are set, so 6.9% meets
   "7%左右" and 6.7% does not; 2 % of the target for counts and amounts. A target with 以上, 不低于
   or a plain figure has no tolerance: 6.4% misses "6.5%以上".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

RATE_TOLERANCE = Decimal("0.2")        # percentage points
RELATIVE_TOLERANCE = Decimal("0.02")   # of the target
MONEY = {"元": Decimal("0.00000001"), "万元": Decimal("0.0001"), "亿元": Decimal(1), "万亿元": Decimal(10000),
         "美元": Decimal("0.00000001"), "万美元": Decimal("0.0001"), "亿美元": Decimal(1)}


@dataclass(frozen=True)
class Figure:
    comparator: str            # eq | ge | gt | le | lt | range
    value: Decimal | None
    min: Decimal | None
    max: Decimal | None
    unit: str | None
    approximate: bool = False
    kind: str = "count"


@dataclass(frozen=True)
class Verdict:
    status: str                # met | missed | undetermined
    rule: str                  # why, in words: "6.9 % ≥ 7 % − 0.2 pp (about)"


def _in(unit: str | None, value: Decimal | None, common: str | None) -> Decimal | None:
    if value is None:
        return None
    if unit in MONEY and common in MONEY and unit.endswith("美元") == common.endswith("美元"):
        return value * MONEY[unit]
    return value


def _common(a: str | None, b: str | None) -> str | None:
    """The unit both are compared in, or None when they cannot be compared."""
    if a == b:
        return a or ""
    if a in MONEY and b in MONEY and a.endswith("美元") == b.endswith("美元"):
        return "亿美元" if a.endswith("美元") else "亿元"
    return None


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def judge(target: Figure, outcome: Figure, direction: str | None) -> Verdict:
    unit = _common(target.unit, outcome.unit)
    if unit is None:
        return Verdict("undetermined", f"units differ: {target.unit} against {outcome.unit}")
    got = _in(outcome.unit, outcome.value, unit)
    if got is None:
        return Verdict("undetermined", "the outcome has no single value")
    lo = _in(target.unit, target.min if target.comparator == "range" else target.value, unit)
    hi = _in(target.unit, target.max if target.comparator == "range" else target.value, unit)
    if lo is None or hi is None:
        return Verdict("undetermined", "the target has no value")
    side = {"ge": "floor", "gt": "floor", "le": "ceiling", "lt": "ceiling"}.get(target.comparator)
    if side is None:
        side = direction
    if side is None:
        if target.kind == "ratio":
            return Verdict("undetermined", "a ratio with no known direction")
        side = "floor"
    tol = Decimal(0)
    if target.approximate or side == "band":
        tol = RATE_TOLERANCE if unit == "%" else (abs(hi) * RELATIVE_TOLERANCE)
    u = unit if unit != "%" else " %"
    shown = f"{_fmt(got)}{u}"
    tol_txt = (f" − {_fmt(tol)}" if tol else "") + (" pp" if tol and unit == "%" else "")
    if side == "floor":
        ok = got > lo if target.comparator == "gt" and not tol else got >= lo - tol
        op = ">" if target.comparator == "gt" and not tol else "≥"
        return Verdict("met" if ok else "missed", f"{shown} {op if ok else 'below'} {_fmt(lo)}{u}{tol_txt} (floor)")
    if side == "ceiling":
        ok = got < hi if target.comparator == "lt" and not tol else got <= hi + tol
        plus = tol_txt.replace("−", "+")
        return Verdict("met" if ok else "missed", f"{shown} {'≤' if ok else 'above'} {_fmt(hi)}{u}{plus} (ceiling)")
    ok = lo - tol <= got <= hi + tol
    band = f"{_fmt(lo)}{u}" if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}{u}"
    return Verdict("met" if ok else "missed",
                   f"{shown} {'within' if ok else 'outside'} {band} ± {_fmt(tol)}{' pp' if unit == '%' else u} (band)")

"""Progress on targets that run for years (rubric progress/2), after the Open SDG / Statistics Canada method.

A target is multi-year when its year (the deadline) lies after the year of the report that set it. Its
plan starts in its span's first year (年均/五年… targets carry one), else in the report's year; the
baseline year B is the year before. For each year y between B and the deadline that later reports give
a value for, the progress ratio is the actual annual change ÷ the annual change needed to reach the
target on time:
- a level (城镇化率达到51.5%, 国内生产总值超过55万亿元): (value_y − baseline) / (y − B) ÷
  (target − baseline) / (deadline − B); the baseline is the rate the target's sentence states
  (从47.5%提高到51.5%), else the value reported for year B (the plan's own report first, else the
  earliest report), else for one of the three years before B, else the series' first value after B (then
  its year is B; never for a target in 个百分点, which counts from the plan's start); a target in 个百分点 (提高4个百分点) is that far from the
  baseline, up for a floor and down for a ceiling. Direction-aware: a ceiling's progress is a fall; a
  baseline already on the target's side stays on track while the value does; percentages are held
  within their natural limits 0–100.
- a yearly average (年均增长7%): the average growth so far (the geometric mean of the yearly rates
  reported for the plan's years up to y) ÷ the target rate; for a ceiling, the target rate ÷ the average.
- a sum over the span (五年城镇新增就业4500万人, 累计…): the sum of the yearly values reported so far ÷
  the share of the target due by y (target × years elapsed / years of the span).
- a change over the span (单位国内生产总值能耗降低16%, a % change with the plan's span): change.py — the
  cumulative figure stated so far, else the yearly changes compounded; its yearly pace ÷ the pace needed.
Ratio ≥ 0.95 on track, 0.6–0.95 moderate progress (acceleration needed), 0–0.6 limited progress,
< 0 deterioration; a level or sum already at or past the target before the deadline: target achieved.
At the deadline the met / missed verdict is verdict.judge's (rubric verdict/2), on the level reported
for the deadline year, the sum of the span's yearly values, their average or their compounded change, when the join found
no value stated for the whole span.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from . import change
from .outcomes import Link, Statement
from .rubric import rubric_iri
from .verdict import Figure, _common, _fmt, _in, judge

THRESHOLDS = ((Decimal("0.95"), "onTrack"), (Decimal("0.6"), "moderateProgress"), (Decimal(0), "limitedProgress"))
WORDS = {"onTrack": ("进展顺利", "on track"), "moderateProgress": ("有进展，需加快", "moderate progress, acceleration needed"),
         "limitedProgress": ("进展有限", "limited progress"), "deterioration": ("倒退", "deterioration"),
         "targetAchieved": ("已提前实现", "target achieved"), "undetermined": ("无法判定", "undetermined")}


@dataclass(frozen=True)
class Progress:
    target: str
    year: int                      # the year of the reported value(s)
    basis: tuple[str, ...]         # the observations it was judged on
    baseline: str | None           # the observation that gave the baseline
    baseline_year: int
    baseline_value: Decimal | None
    value: Decimal | None          # the level, the average or the sum so far
    ratio: Decimal | None          # actual ÷ needed
    status: str                    # onTrack | moderateProgress | limitedProgress | deterioration | targetAchieved | undetermined
    rule_zh: str
    rule_en: str
    mode: str                      # level | average | sum
    rubric: str = rubric_iri("progress")


def _year(issued: str) -> int | None:
    return int(issued[:4]) if issued[:4].isdigit() else None


def mode_of(t: Statement) -> str | None:
    f = t.figure
    if t.aggregation == "annualAverage":
        return "average" if f.unit == "%" else None
    if f.unit == "%" and f.kind == "growth_rate" and (t.aggregation == "cumulative" or t.key[3] is not None):
        return "change"                     # 五年单位GDP能耗降低16%: the change of a rate over the span
    if t.aggregation == "cumulative" or (t.key[3] is not None and f.kind in ("count", "amount")):
        return "sum"
    if f.kind in ("ratio", "amount", "count") or f.unit == "个百分点":
        return "level"
    return None


def _side(t: Statement) -> str:
    side = {"ge": "floor", "gt": "floor", "le": "ceiling", "lt": "ceiling"}.get(t.figure.comparator)
    return side or (t.direction if t.direction in ("floor", "ceiling") else "floor")


def _goal(t: Statement, side: str) -> Decimal | None:
    f = t.figure
    if f.comparator == "range":
        return f.max if side == "ceiling" else f.min
    return f.value


def _status(ratio: Decimal) -> str:
    for limit, name in THRESHOLDS:
        if ratio >= limit:
            return name
    return "deterioration"


def _q(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def _one(obs: list[Statement], article: str) -> Statement | None:
    """The value a year's latest report gives (none when it gives several different ones)."""
    obs = [o for o in obs if o.article != article and o.figure.value is not None]
    if not obs:
        return None
    last = max(obs, key=lambda o: (o.issued, o.article))
    same = [o for o in obs if o.article == last.article]
    return last if len({(o.figure.value, o.figure.unit) for o in same}) == 1 else None


def _baseline(obs: list[Statement], plan: Statement) -> Statement | None:
    """The value reported for the base year: the plan's own report's, else the earliest report's."""
    obs = [o for o in obs if o.figure.value is not None and o.figure.comparator in ("eq", "ge", "gt", "le", "lt")]
    if not obs:
        return None
    own = [o for o in obs if o.article == plan.article]
    return (own or sorted(obs, key=lambda o: (o.issued, o.article)))[0]


def _value(o: Statement, unit: str | None) -> Decimal | None:
    return _in(o.figure.unit, o.figure.value, unit) if _common(o.figure.unit, unit) is not None else None


def _cap(v: Decimal, unit: str | None, kind: str) -> Decimal:
    return min(max(v, Decimal(0)), Decimal(100)) if unit == "%" and kind == "ratio" else v


def _words(status: str, ratio: Decimal | None) -> tuple[str, str]:
    zh, en = WORDS[status]
    if ratio is None:
        return zh, en
    pct = _fmt(_q(ratio * 100).quantize(Decimal("0.1")))
    return f"{pct}%，{zh}", f"{pct} % of the pace needed: {en}"


def assess(stmts: list[Statement], links: tuple[Link, ...]) -> tuple[tuple[Progress, ...], tuple[Link, ...]]:
    """Progress for every multi-year target, and the links with the deadline's verdict where the join
    found no value for the whole span (a level, the span's sum or its average from the yearly values)."""
    annual: dict[tuple, list[Statement]] = defaultdict(list)    # (place, indicator, year) → yearly values
    levels: dict[tuple, list[Statement]] = defaultdict(list)    # … and levels (a span says nothing of a level)
    spans: dict[tuple, list[Statement]] = defaultdict(list)     # (place, indicator, year, first year) → over a span
    for s in stmts:
        if s.kind == "Observation" and s.key[3] is None:
            annual[s.key[:3]].append(s)
        if s.kind == "Observation" and s.aggregation is None:
            levels[s.key[:3]].append(s)
        if s.kind == "Observation" and s.key[3] is not None and s.aggregation != "annualAverage":
            spans[s.key].append(s)
    out: list[Progress] = []
    by_target = {lk.target: lk for lk in links}
    final: dict[str, Link] = {}
    for t in sorted((s for s in stmts if s.kind == "Target"), key=lambda s: s.uri):
        issued, deadline = _year(t.issued), t.key[2]
        mode = mode_of(t)
        if issued is None or deadline <= issued or mode is None:
            continue
        start = t.key[3] if t.key[3] is not None and t.key[3] <= issued + 1 else issued
        base_year = start - 1
        place, ind = t.key[:2]
        side = _side(t)
        goal = _goal(t, side)
        if goal is None:
            continue
        unit = "%" if t.figure.unit == "个百分点" else t.figure.unit
        values = levels if mode == "level" else annual
        found = [(y, _one(values.get((place, ind, y), []), t.article)) for y in range(start, deadline + 1)]
        found = [(y, o) for y, o in found if o is not None and _value(o, unit) is not None]
        base = None
        if mode == "level":                 # the base year's value, else the latest of the three years before it
            for b in range(base_year, base_year - (4 if t.figure.unit != "个百分点" else 1), -1):
                base = _baseline(levels.get((place, ind, b), []), t)
                if base is not None or t.baseline is not None:
                    base_year = b if base is not None else base_year
                    break
            if base is None and t.baseline is None and len(found) > 1 and found[0][0] < deadline \
                    and t.figure.unit != "个百分点":  # points are counted from the plan's start, not a later year
                (base_year, base), found = found[0], found[1:]    # a series that begins late: its first value
        if mode == "change":
            stated = {y: _one(spans.get((place, ind, y, start), []), t.article) for y in range(start, deadline)}
            stated = {y: o for y, o in stated.items() if o is not None and _value(o, unit) is not None}
            for y in sorted({y for y, _ in found if y < deadline} | set(stated)):
                p = _change(t, side, goal, start, deadline, y, [(yy, o) for yy, o in found if yy <= y], stated.get(y))
                if p is not None:
                    out.append(p)
        for i, (y, o) in enumerate(found if mode != "change" else ()):
            if y == deadline:
                break
            p = _progress(t, mode, side, goal, unit, base, base_year, deadline, start, y, found[: i + 1])
            if p is not None:
                out.append(p)
        lk = by_target.get(t.uri)
        if lk is not None and lk.status == "notReported" and found and found[-1][0] == deadline:
            v = _final(t, mode, unit, start, deadline, found)
            if v is not None:
                final[t.uri] = v
    new = tuple(final.get(lk.target, lk) for lk in links)
    return tuple(out), new


def _progress(t, mode, side, goal, unit, base, base_year, deadline, start, y, so_far) -> Progress | None:
    o = so_far[-1][1]
    kind = t.figure.kind
    sign = -1 if side == "ceiling" else 1
    u = " %" if unit == "%" else (unit or "")
    if mode == "level":
        v = _cap(_value(o, unit), unit, kind)
        stated = t.baseline if t.figure.unit == "%" else None
        if stated is None and (base is None or _value(base, unit) is None):
            zh = f"{y}年报告值{_fmt(v)}{unit or ''}；缺少{base_year}年基期值，无法计算进度"
            en = f"{y}: {_fmt(v)}{u} reported; no value for the base year {base_year}, so no progress can be computed"
            return Progress(t.uri, y, (o.uri,), None, base_year, None, v, None, "undetermined", zh, en, mode)
        b = _cap(stated if stated is not None else _value(base, unit), unit, kind)
        source_zh, source_en = ("规划所述", "stated in the plan") if stated is not None else ("报告", "reported")
        target = _cap(b + sign * goal if t.figure.unit == "个百分点" else goal, unit, kind)
        if sign * (v - target) >= 0 and sign * (b - target) < 0:
            status, ratio = "targetAchieved", None
        elif sign * (b - target) >= 0:          # the baseline already met it: on track while it stays so
            status, ratio = ("onTrack" if sign * (v - target) >= 0 else "deterioration"), None
        else:
            needed = (target - b) / (deadline - base_year)
            actual = (v - b) / (y - base_year)
            ratio = _q(actual / needed)
            status = _status(ratio)
        wz, we = _words(status, ratio)
        how_zh = "实际年均变化÷所需年均变化 = " if ratio is not None else ""
        how_en = "actual annual change ÷ needed annual change = " if ratio is not None else ""
        zh = (f"{y}年{_fmt(v)}{unit or ''}：由{base_year}年基期{_fmt(b)}{unit or ''}（{source_zh}）到{deadline}年目标{_fmt(target)}{unit or ''}"
              f"，{how_zh}{wz}")
        en = (f"{y}: {_fmt(v)}{u} on the path from {_fmt(b)}{u} ({base_year}, {source_en}) to {_fmt(target)}{u} ({deadline}); "
              f"{how_en}{we}")
        return Progress(t.uri, y, (o.uri,), None if stated is not None else base.uri, base_year, b, v, ratio, status,
                        zh, en, mode)
    years = [yy for yy, _ in so_far]
    if mode == "average":
        with localcontext() as ctx:
            ctx.prec = 28
            prod = Decimal(1)
            for _, oo in so_far:
                prod *= 1 + _value(oo, unit) / 100
            avg = _q(((prod ** (Decimal(1) / len(so_far))) - 1) * 100) if prod > 0 else None
        if avg is None:
            return None
        if side == "ceiling":
            ratio = _q(goal / avg) if avg > 0 else None
            status = "onTrack" if avg <= goal else _status(ratio) if ratio is not None else "deterioration"
        else:
            ratio = _q(avg / goal) if goal else None
            status = _status(ratio) if ratio is not None else "undetermined"
        wz, we = _words(status, ratio)
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        shown = _fmt(avg.quantize(Decimal("0.01")))
        zh = f"{span}年均{shown}%（{len(years)}年），目标年均{_fmt(goal)}%（至{deadline}年）：{wz}"
        en = f"average {shown} % a year over {span} ({len(years)} year(s)) against {_fmt(goal)} % a year to {deadline}: {we}"
        return Progress(t.uri, y, tuple(oo.uri for _, oo in so_far), None, start - 1, None, avg, ratio, status, zh, en, mode)
    # sum over the span
    if years != list(range(start, y + 1)):
        return None                               # a year missing: the sum so far is unknown
    total = sum((_value(oo, unit) for _, oo in so_far), Decimal(0))
    due = goal * (y - start + 1) / (deadline - start + 1)
    if sign * (total - goal) >= 0:
        status, ratio = "targetAchieved", None
    else:
        ratio = _q(total / due) if sign > 0 else _q((2 * due - total) / due)
        status = _status(ratio)
    wz, we = _words(status, ratio)
    zh = (f"{start}–{y}年累计{_fmt(total)}{unit or ''}，按期应完成{_fmt(_q(due))}{unit or ''}"
          f"（{deadline}年目标{_fmt(goal)}{unit or ''}）：{wz}")
    en = (f"{_fmt(total)}{u} in {start}–{y} against {_fmt(_q(due))}{u} due by then "
          f"(target {_fmt(goal)}{u} by {deadline}): {we}")
    return Progress(t.uri, y, tuple(oo.uri for _, oo in so_far), None, start - 1, Decimal(0), total, ratio, status, zh, en, mode)


def _change(t: Statement, side: str, goal: Decimal, start: int, deadline: int, y: int, yearly, stated) -> Progress | None:
    """Progress of a change over the span (change.py) by year y: from the cumulative figure stated for
    start–y, else from the yearly changes reported so far, compounded."""
    fall = change.is_fall(t.stated)
    if stated is not None:
        total, years, basis = _value(stated, "%"), y - start + 1, (stated.uri,)
        how_zh, how_en = f"{start}–{y}年累计", f"stated for {start}–{y}"
    else:
        total = change.compound([_value(o, "%") for _, o in yearly], fall)
        years, basis = len(yearly), tuple(o.uri for _, o in yearly)
        shown = "、".join(str(yy) for yy, _ in yearly)
        how_zh, how_en = f"{shown}年逐年变化复合", f"the yearly changes of {', '.join(str(yy) for yy, _ in yearly)} compounded"
    if total is None or not years:
        return None
    actual, needed = change.pace(total, years, fall), change.pace(goal, deadline - start + 1, fall)
    if actual is None or not needed:
        return None
    if side == "ceiling":
        ratio = _q(needed / actual) if actual > 0 else None
        status = "onTrack" if actual <= needed else _status(ratio)
    elif total >= goal:
        status, ratio = "targetAchieved", None
    else:
        ratio = _q(actual / needed)
        status = _status(ratio)
    wz, we = _words(status, ratio)
    verb_zh, verb_en = ("下降", "fall") if fall else ("变化", "change")
    total_s, a_s, n_s = (_fmt(_q(x).quantize(Decimal("0.01"))) for x in (total, actual, needed))
    zh = (f"{how_zh}{verb_zh}{total_s}%（年均{a_s}%），{start}–{deadline}年目标{verb_zh}{_fmt(goal)}%"
          f"需年均{n_s}%：{wz}")
    en = (f"a {verb_en} of {total_s} % ({how_en}; {a_s} % a year) against {_fmt(goal)} % over {start}–{deadline} "
          f"({n_s} % a year needed): {we}")
    return Progress(t.uri, y, basis, None, start - 1, Decimal(0), _q(total), ratio, status, zh, en, "change")


def _final(t: Statement, mode: str, unit, start: int, deadline: int, found) -> Link | None:
    """The deadline's verdict (verdict.judge) from the yearly values, when no value for the span was stated."""
    last = found[-1][1]
    if mode == "level":
        if t.figure.unit == "个百分点":
            return None
        got = last.figure
        how = ""
    else:
        years = [y for y, _ in found]
        if years != list(range(start, deadline + 1)):
            return None
        values = [_value(o, unit) for _, o in found]
        if mode == "change":
            total = change.compound(values, change.is_fall(t.stated))
            if total is None:
                return None
            total = _q(total)
            how = f"; the yearly changes {start}–{deadline} compounded"
        elif mode == "sum":
            total = sum(values, Decimal(0))
            how = f"; the sum of the yearly values {start}–{deadline}"
        else:
            with localcontext() as ctx:
                ctx.prec = 28
                prod = Decimal(1)
                for v in values:
                    prod *= 1 + v / 100
                if prod <= 0:
                    return None
                total = _q(((prod ** (Decimal(1) / len(values))) - 1) * 100)
            how = f"; the average of the yearly rates {start}–{deadline}"
        got = Figure("eq", total, None, None, unit, False, t.figure.kind)
    v = judge(t.figure, got, t.direction)
    return Link(t.uri, (last.uri,), last.uri, v.status, v.rule + how, None)


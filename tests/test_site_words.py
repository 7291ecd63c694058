"""The site's words for numbers and verdicts (server/site/figures.py, server/site/rules.py): figures
as the source writes them, round chart ticks, and every rule the verdict stage writes explained in
zh and en — the rules come from kgbuild/link/verdict.py itself, so a new wording there fails here."""

import math
from decimal import Decimal as D

import pytest

from kgbuild.link.verdict import Figure, judge
from server.site import figures, rules


@pytest.mark.parametrize("value,unit,shown", [
    ("12320000", "人", "1232万"), ("30000", "人", "3万"), ("350000000000", "元", "3500亿"), ("123456", "人", "123456"),
    ("6.90", "%", "6.9"), ("1500", "家", "1500"), ("26000", "亿元", "26000"), ("45000", "%", "45000"), ("-20000", "吨", "-2万"),
])
def test_figures_are_written_as_the_source_writes_them(value, unit, shown):
    assert figures.short(value, unit) == shown


def test_the_exact_value_stays_on_hover_and_in_the_data():
    html = str(figures.figure("12320000", "人"))
    assert ">1232万人<" in html and 'title="12320000人"' in html and 'data-value="12320000"' in html
    assert "title=" not in str(figures.figure("7", "%"))                 # nothing hidden, nothing to hover
    assert figures.target_text({"comparator": "ge", "value": "450000", "unit": "人"}) == "≥ 45万人"
    assert figures.target_text({"comparator": "range", "min": "2", "max": "3", "unit": "个"}) == "2–3个"
    assert "以上" in str(figures.target_html({"comparator": "ge", "value": "20", "unit": "%"}))


@pytest.mark.parametrize("lo,hi", [(6.0, 7.2), (1.5, 9.3), (20000, 31000), (0.12, 0.31), (-3, 4), (10.8, 11.1)])
def test_chart_ticks_are_round(lo, hi):
    ticks = figures.nice_ticks(lo, hi)
    step = ticks[1] - ticks[0]
    assert ticks[0] <= lo and ticks[-1] >= hi and 3 <= len(ticks) <= 8
    exponent = math.floor(math.log10(step) + 1e-9)
    assert round(step / 10 ** exponent, 6) in (1, 2, 2.5, 5)
    labels = [figures.tick_label(v, step) for v in ticks]
    assert len(set(labels)) == len(labels)                              # no two ticks read the same
    assert not any(len(x.split(".")[-1]) > 2 for x in labels if "." in x), labels


def _f(c, v, unit="%", approx=False, lo=None, hi=None, kind="growth_rate"):
    return Figure(c, None if v is None else D(v), lo, hi, unit, approx, kind)


CASES = [
    (_f("eq", "7", approx=True), _f("eq", "6.9"), "floor"), (_f("eq", "7", approx=True), _f("eq", "6.7"), "floor"),
    (_f("ge", "6.5"), _f("eq", "6.4"), "floor"), (_f("gt", "5"), _f("eq", "6"), None),
    (_f("le", "4.3"), _f("eq", "1.8"), None), (_f("lt", "3"), _f("eq", "3.5"), None),
    (_f("eq", "3", approx=True), _f("eq", "3.3"), "ceiling"), (_f("range", None, lo=D(6), hi=D("6.5")), _f("eq", "6.1"), "floor"),
    (_f("eq", "13", approx=True), _f("eq", "13.6"), "band"), (_f("eq", "26000", "亿元"), _f("eq", "2.6", "万亿元"), "band"),
    (_f("ge", "30000", "人", kind="count"), _f("eq", "25000", "人", kind="count"), None),
    (_f("eq", "3", approx=True), _f("eq", "0.5", "个百分点"), "ceiling"), (_f("eq", "5", kind="ratio"), _f("eq", "6"), None),
    (_f("eq", None), _f("eq", "6"), "floor"), (_f("eq", "6"), _f("eq", None), "floor"),
]


@pytest.mark.parametrize("target,outcome,direction", CASES)
def test_every_rule_the_verdict_stage_writes_reads_in_both_languages(target, outcome, direction):
    v = judge(target, outcome, direction)
    zh, en = rules.explain(v.rule, v.status)
    assert not zh.startswith("判定依据："), f"no plain words for {v.rule!r}"
    assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en[:1].isupper() and en.endswith(".")
    assert not any(w in zh for w in ("floor", "ceiling", "band", "below", "above", " pp"))


def test_not_reported_and_an_unknown_rule_are_still_shown():
    assert rules.explain("no later report gives a value for this place, indicator and year")[0].startswith("此后的报告")
    zh, en = rules.explain("a newer rule's words (floor)")
    assert "下限" in zh and en == "Rule: a newer rule's words (floor)"
    assert rules.status_label("deterioration") == ("倒退", "deterioration")
    assert rules.status_label("met", "已实现", "met") == ("已实现", "met")

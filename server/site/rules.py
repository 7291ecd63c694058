"""Verdicts and their rules in plain words, zh and en side by side.

In: a status code and the rule text the links graph holds (ptkg:statusRule, written by
kgbuild/link: "6.9 % ≥ 7 % − 0.2 pp (floor)", "no later report gives a value …"). Out: a short
sentence in each language a reader can quote. A rule of a form not known here (a newer rule
version) is shown as written, with its words translated where they are known, never hidden.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from . import figures

# the verdict names when the graph gives none (the graph's skos:prefLabel wins when present)
STATUS = {
    "met": ("已实现", "met"), "missed": ("未实现", "missed"), "undetermined": ("无法判定", "undetermined"),
    "notReported": ("尚无报告", "not yet reported"), "onTrack": ("进展顺利", "on track"),
    "lagging": ("进度滞后", "lagging"), "moderateProgress": ("需要加快", "needs acceleration"),
    "limitedProgress": ("进展有限", "limited progress"), "deterioration": ("倒退", "deterioration"),
    "targetAchieved": ("提前实现", "target achieved"),
}
NUM = r"(-?[\d.]+)\s?([^\s\d(−+±–]*)"
SIDE = {"floor": ("下限", "a floor"), "ceiling": ("上限", "a ceiling"), "band": ("区间", "a band")}
WORDS = [("percentage points", "个百分点"), (" pp", " 个百分点"), ("floor", "下限"), ("ceiling", "上限"), ("band", "区间"),
         ("below", "低于"), ("above", "高于"), ("within", "在…之内"), ("outside", "超出"), ("units differ", "单位不同"),
         ("against", "对"), ("on track", "进展顺利"), ("lagging", "进度滞后"), ("baseline", "基期值"),
         ("deadline", "截止年"), ("needed", "所需"), ("progress", "进度")]


def status_label(code: str, zh: str | None = None, en: str | None = None) -> tuple[str, str]:
    base = STATUS.get(code, (code, code))
    return zh or base[0], en or base[1]


def _n(value: str, unit: str) -> str:
    unit = unit.strip()
    return figures.short(value, unit) + ("%" if unit == "%" else unit)


def explain(rule: str | None, status: str | None = None) -> tuple[str, str]:
    """(zh, en) sentences for a rule text."""
    rule = (rule or "").strip()
    if not rule:
        return "", ""
    if rule.startswith("no later report"):
        return ("此后的报告尚未给出同一地点、指标和年份的数值。",
                "No later report gives a value for this place, indicator and year yet.")
    m = re.fullmatch(r"units differ: (.*) against (.*)", rule)
    if m:
        return (f"单位不同（目标 {m.group(1)}，报告 {m.group(2)}），无法比较。",
                f"The units differ (target {m.group(1)}, reported {m.group(2)}), so they cannot be compared.")
    if rule == "the outcome has no single value":
        return "报告值不是单个数值，无法判定。", "The reported value is not a single figure, so no verdict."
    if rule == "the target has no value":
        return "目标没有数值，无法判定。", "The target has no figure, so no verdict."
    if rule == "a ratio with no known direction":
        return "比例类指标，不知道越高越好还是越低越好，无法判定。", "A ratio with no known better direction, so no verdict."
    m = re.fullmatch(NUM + r" (≥|>|below) " + NUM + r"(?: − ([\d.]+)( pp)?)? \(floor\)", rule)
    if m:
        got, lo = _n(m.group(1), m.group(2)), _n(m.group(4), m.group(5))
        tol = m.group(6)
        tol_zh = f"（“左右”容差 {tol}{'个百分点' if m.group(7) else ''}）" if tol else ""
        tol_en = f" (less {tol}{' percentage points' if m.group(7) else ''} allowed for “about”)" if tol else ""
        ok = m.group(3) != "below"
        return ((f"目标是下限 {lo}{tol_zh}，报告值 {got}，" + ("达到下限。" if ok else "低于下限。")),
                (f"The target is a floor of {lo}{tol_en}; the reported {got} " + ("reaches it." if ok else "falls short.")))
    m = re.fullmatch(NUM + r" (≤|<|above) " + NUM + r"(?: \+ ([\d.]+)( pp)?)? \(ceiling\)", rule)
    if m:
        got, hi = _n(m.group(1), m.group(2)), _n(m.group(4), m.group(5))
        tol = m.group(6)
        tol_zh = f"（“左右”容差 {tol}{'个百分点' if m.group(7) else ''}）" if tol else ""
        tol_en = f" (plus {tol}{' percentage points' if m.group(7) else ''} allowed for “about”)" if tol else ""
        ok = m.group(3) != "above"
        return ((f"目标是上限 {hi}{tol_zh}，报告值 {got}，" + ("未超过上限。" if ok else "超过上限。")),
                (f"The target is a ceiling of {hi}{tol_en}; the reported {got} " + ("stays within it." if ok else "exceeds it.")))
    m = re.fullmatch(NUM + r" (within|outside) (-?[\d.]+)(?:–(-?[\d.]+))?\s?([^\s±]*) ± ([\d.]+)\s?(pp|\S*) \(band\)", rule)
    if m:
        got = _n(m.group(1), m.group(2))
        unit = m.group(6)
        band = _n(m.group(4), unit) if not m.group(5) else f"{figures.short(m.group(4), unit)}–{_n(m.group(5), unit)}"
        tol = m.group(7) + (" 个百分点" if m.group(8) == "pp" else m.group(8))
        tol_en = m.group(7) + (" percentage points" if m.group(8) == "pp" else m.group(8))
        ok = m.group(3) == "within"
        return ((f"目标是 {band}（容差 ±{tol}），报告值 {got}，" + ("在范围内。" if ok else "超出范围。")),
                (f"The target is {band} (give or take {tol_en}); the reported {got} is " + ("within it." if ok else "outside it.")))
    zh = rule
    for en_word, zh_word in WORDS:
        zh = zh.replace(en_word, zh_word)
    return ("判定依据：" + zh, "Rule: " + rule)


def explain_html(rule: str | None, status: str | None = None) -> Markup:
    zh, en = explain(rule, status)
    if not zh:
        return Markup("")
    return Markup(f'<span class="rule-zh">{escape(zh)}</span> <span class="en rule-en">{escape(en)}</span>')

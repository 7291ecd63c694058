"""The indicator-phrase rule: a phrase names the measured thing and nothing else.

A published indicator phrase is a noun phrase: it holds a noun, and no year, comparator, plan
or modal word, time adverb, comparison base (比上年, 较2020年), or the aggregation words 年均 and
累计 (a yearly average or a cumulative total is a property of the target, not part of its name).
Used by tests/test_indicator_phrases.py over every gold article and the national reports.
"""

from __future__ import annotations

import re

from kgbuild.extract.lexicon import load
from kgbuild.extract.segment import tokens

YEAR = re.compile(r"(?:19|20)\d{2}\s*年?|今年|明年|去年|上年|全年|年内|年底|年末")
COMPARATORS = ("不低于", "不少于", "不超过", "不高于")        # anywhere
ENDINGS = ("以上", "以内", "以下", "左右", "超过", "突破", "达到", "高于", "低于", "为", "是")   # at the end
# (省级以上技术服务机构, 达到三级水平的医院: a class named by a comparison is a noun phrase)
PLAN_WORDS = ("目标", "预期", "力争", "确保", "争取", "拟", "提出", "确定", "安排")
MODAL_ADVERBS = ("将", "要", "再", "一直", "继续", "进一步", "持续", "仍", "还", "已", "已经", "均", "都", "分别", "同比", "基础上")
AGGREGATION = ("年均", "累计")
BASE = re.compile(r"[比较](?:上年|去年|\d|[一二三四五六七八九十]+五|同期)")


def problems(phrase: str) -> list[str]:
    """What is wrong with an indicator phrase ([] when it is a clean noun phrase)."""
    lex = load()
    toks = tokens(phrase, lex)
    words = [t.word for t in toks]
    out = []
    if not any(t.is_nominal for t in toks):
        out.append("no noun")
    if YEAR.search(phrase):
        out.append("a time: " + YEAR.search(phrase).group(0))
    for group, name in ((COMPARATORS, "comparator"), (PLAN_WORDS, "plan word"),
                        (MODAL_ADVERBS, "modal or adverb"), (AGGREGATION, "aggregation")):
        hit = next((w for w in words if w in group), None) or next(
            (w for w in group if len(w) >= 2 and w in phrase and not any(w in x and w != x for x in words)), None)
        if hit:
            out.append(f"{name}: {hit}")
    end = next((w for w in ENDINGS if phrase.endswith(w)), None)
    if end:
        out.append("ends with " + end)
    if BASE.search(phrase):
        out.append("comparison base: " + BASE.search(phrase).group(0))
    return out

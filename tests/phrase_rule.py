"""The indicator-phrase rule: a phrase names the measured thing and nothing else.

A published indicator phrase is a noun phrase: it holds a noun, and no year, comparator, plan
or modal word, time adverb, comparison base (比上年, 较2020年), stranded character of the next
clause (保障性安居工程新), leading preposition (在…城市进行试点), change wording (收购价每提高,
补助标准提高到每人每年), plan figure or duration (完成年计划710亿元, 3年时间), or the aggregation words 年均 and 累计 (a yearly average or a cumulative total is a property of the target, not part of its name).
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
STRANDED_END = ("新", "高", "近", "共", "定", "约", "达", "超", "再")   # the next clause's first character
LEAD_PREPOSITIONS = ("在", "于", "对", "把")
CHANGE_WORDING = re.compile(r"每(?:提高|增加|降低|下降|减少)$|(?:提高|增加|降低|下降)(?:到|至)(?:每人每年|人均|每人)?$")
AMOUNT = re.compile(r"(?:计划|目标|任务)\s*\d+(?:\.\d+)?\s*[万亿]*元|[\d一二三四五六七八九十两]+\s*年时间")   # a plan's figure or a duration, not a name
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
    if len(toks) > 1 and toks[-1].word in STRANDED_END:
        out.append("a stranded last character: " + toks[-1].word)
    if toks and toks[0].word in LEAD_PREPOSITIONS:
        out.append("starts with a preposition: " + toks[0].word)
    if CHANGE_WORDING.search(phrase):
        out.append("a change's wording: " + CHANGE_WORDING.search(phrase).group(0))
    glued = next((t.word for t in toks if len(t.word) > 1 and "拟" in t.word and t.word != "模拟"), None)
    if glued:
        out.append("a plan word glued to a word: " + glued)
    if AMOUNT.search(phrase):
        out.append("an amount inside: " + AMOUNT.search(phrase).group(0))
    return out

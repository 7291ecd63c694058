"""Numbers that are neither targets nor observations, and the clauses to drop.

In: a quantity in its text (and the other quantities of its sentence). Out: whether it is a
name, a slogan, an ordinal, a count of a list given in full, a class qualifier, a baseline, an
entitlement, an attribute (总投资25亿元的项目), a project list's total or a forecast nobody steers.
Every word list is in data/lexicon/.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .lexicon import Lexicon
from .numbers import LEVEL, LEVEL_OF, MILESTONE_NOUNS, Quantity
from .segment import tokens


MILESTONE = re.compile(rf"(?:{MILESTONE_NOUNS}|新高)")   # 突破500亿元大关: a milestone, not a class of things

def _counts_its_list(text: str, q: Quantity) -> bool:
    """X、Y、Z等3条: the number counts the names just listed (a summary, not a commitment), or the
    list goes on from 其中有/包括. 智慧交通等4项试点 (one example, four pilots) is a count."""
    start = max(text.rfind(c, 0, q.prefix_begin) for c in "。；;，,：:\n") + 1
    names = [n for n in re.split(r"[、和及与]", text[start:q.prefix_begin - 1]) if n.strip()]
    sentence = text[max(text.rfind(c, 0, q.prefix_begin) for c in "。；;!?！？\n") + 1:q.prefix_begin]
    if re.search(r"其中有|包括", sentence):
        return True
    return q.value is not None and len(names) >= q.value


def _slogan(text: str, q: Quantity, lex: Lexicon) -> bool:
    """A small number in Chinese numerals with a measure word, right before a noun, names a
    doctrine or a slogan (中央八项规定, 两个循环、三项机制, 三项制度) unless a verb of making or
    adding governs it (新增两家, 打造两个千亿级产业集群): plans write their counts in digits."""
    if q.unit_class != "count" or q.is_range or q.value is None or q.value > 10:
        return False
    if not re.fullmatch(r"[一二两三四五六七八九十]+", q.written[:len(q.written) - len(q.unit or "") - len(q.suffix)]):
        return False
    if not re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]):
        return False
    before = text[max(0, q.prefix_begin - 4):q.prefix_begin]
    return not any(before.endswith(v) for v in lex.action_verbs)


def qualifies_next(text: str, q: Quantity, found: list[Quantity]) -> bool:
    """800个20户以上村民小组, 3个10万吨级码头: a number right after another one, before the noun
    both describe, says which kind of thing is counted; the first number is the count."""
    if any(p.end == q.prefix_begin for p in found) and bool(re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1])) \
            and not re.match(r"[，,、和及与]", text[q.end:q.end + 1]):
        return True
    if q.unit in ("类", "种", "档") and re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]):
        clause_end = re.compile(r"[，,。；;：:]").search(text, q.end)
        return any(q.end < p.begin < (clause_end.start() if clause_end else len(text)) for p in found)
    return False            # 15类慢性病患者受益8.2万人次: the kinds say which patients are counted


# skip's patterns, compiled once (as written there before)
ORDINAL = re.compile(r"(第|前|后|首|居|排名|位列|列)$")
LIST_BREAK = re.compile(r"[，,；;]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{0,6}")
HAN = re.compile(r"[\u4e00-\u9fff]")
ONE_OF = re.compile(r"[一二][^零〇一二两三四五六七八九十百千万亿\d]")
DOCUMENT = re.compile(r"》[（(]?$")
BRACKET_BOUND = re.compile(r"(?:至|到|—|－|-|~)\d+(?:\.\d+)?(?:万亿|[万亿千百])?[\u4e00-\u9fff/]{0,4}?(?:以下|以上)?的"
                           "(?!" + LEVEL + ")")
JOINED = re.compile(r"[，,。；;、和并且]")
SIZE_CLASSES = re.compile(r"、(?:过|超|超过)?\d+(?:\.\d+)?[万亿]?元(?:以上)?[\u4e00-\u9fff]")
FROM = re.compile(r"(?:从|由)[^，,。；;从由]{0,12}$")
TO = re.compile(r"[^，,。；;]{0,3}?(?:提高|增加|上调|扩大|提升|降低|下降|减少|压减|下调|缩小|增长|调整)?(?:到|至)")
WHO_ACTS = re.compile(r"(?:个)?(?:县市区|县区|区县|区|县|市|乡镇|镇|乡|街道|村|社区)(?:都|均|各|分别)")
FROM_HERE = re.compile(r"(从|由)$")


@lru_cache(maxsize=4)
def _task_patterns(lex: Lexicon) -> tuple[re.Pattern[str], ...]:
    """One pattern per task noun (lex.task_nouns, in its order): the noun within four characters."""
    return tuple(re.compile(rf"[\u4e00-\u9fff]{{0,4}}?{w}(?:落实|推进)?(?![\u4e00-\u9fff])") for w in lex.task_nouns)


def skip(text: str, q: Quantity, quoted: list[tuple[int, int]], lex: Lexicon) -> bool:
    """Quantities that are never targets nor observations: ordinals, names, enumerations."""
    before = text[max(0, q.prefix_begin - 3):q.prefix_begin]
    after = text[q.end:q.end + 1]
    if ORDINAL.search(before):
        return True                                            # 第二批, 前40位, 居全市第2位
    if any(a <= q.begin < b and (b - a <= 12 or text[a - 1] == "《") and not LIST_BREAK.search(text, a, b)
           for a, b in quoted):
        return True                                            # “四个倍增”, 《三年行动计划》 (not a quoted list of tasks)
    ahead = HAN_RUN.match(text[q.end:q.end + 6]).group(0)
    if q.unit in ("项", "件", "个", "大") and any(p.match(text[q.end:q.end + 10]) for p in _task_patterns(lex)):
        return True                                            # 落实14项重点工作, 办好7项工作: the plan's own tasks
    small = q.value is not None and q.value <= 12             # names count a few things: 十项工程, 六个一百
    if small and any(ahead.startswith(w) or (reach and w in ahead[:reach + len(w)]) for w, reach in lex.name_nouns.items()):
        return True                                            # 十项工程, 六个目标, 10件民生实事, 二期工程
    if _slogan(text, q, lex):
        return True                                            # 八项规定, 两个循环、三项机制: names, not counts
    if ONE_OF.match(q.written) and q.unit_class == "count" and not q.is_range:
        return True                                            # 一个/一批/二期: an article or a name, not a count
    if DOCUMENT.search(text[max(0, q.prefix_begin - 2):q.prefix_begin]):
        return True                                            # 《若干措施》（20条）: describes a document
    if before.endswith("等") and _counts_its_list(text, q):
        return True                                            # 东环、西环、南环等3条快速路: counts a list
    if after.startswith("的") and not LEVEL_OF.match(text[q.end:q.end + 8]):
        return True                                            # 总投资25亿元的…项目: describes, not promises
                                                               # (失业率控制在4.5%左右的合理区间 states the rate)
    if BRACKET_BOUND.match(text[q.end:q.end + 16]):
        return True                                            # 100万元至300万元的部分: the bounds of a class (a tax bracket)
    if q.suffix in ("以上", "以下", "及以上", "及以下") and HAN.match(after) \
            and not JOINED.match(after) and (q.unit_class != "count" or q.unit == "人"):
        return True                                            # 3岁以下婴幼儿, 5000万元以上项目, 500人以上企业: a class
    if q.unit_class == "money" and SIZE_CLASSES.match(text[q.end:q.end + 12]):
        return True                                            # 过20亿元、过50亿元项目: a list of size classes
    if q.unit_class == "money" and not q.suffix and not MILESTONE.match(text, q.end):
        following = tokens(text[q.end:q.end + 8], lex)
        if following and following[0].pos.startswith("n") and following[0].pos != "vn":
            return True                                        # 年产值超10亿元企业: qualifies a noun
    window = text[max(0, q.prefix_begin - 12):q.prefix_begin]
    clause = window[max(window.rfind(c) for c in "，,。；;：:") + 1:]
    if any(w in clause for w in lex.entitlements):
        return True                                            # 每个试点县可获贷款补助3000万元: an entitlement
    if FROM.search(text[max(0, q.prefix_begin - 13):q.prefix_begin]) and TO.match(text[q.end:q.end + 8]):
        return True                                            # 补贴标准从每人2万元提高到8万元: the baseline
    if q.unit in ("个", "") and WHO_ACTS.match(text[q.end:q.end + 6]):
        return True                                            # 市级和14个区分别建立…中心: counts who acts, not what is built
    if FROM_HERE.search(text[max(0, q.prefix_begin - 1):q.prefix_begin]):
        return True                                            # 从100家增加到200家: the baseline
    return False


def stated_baseline(text: str, q) -> Decimal | None:
    """城镇化率从47.5%提高到51.5%: the rate the target starts from (a rate in % only: other units
    may carry 万/亿 and are left to the value reported for the base year)."""
    if q.unit != "%":
        return None
    m = re.search(r"(?:从|由)(\d+(?:\.\d+)?)[%％][^，,。；;\d]{0,4}?(?:提高|增加|上升|提升|降低|下降|减少|降)?(?:到|至)?$",
                  text[max(0, q.prefix_begin - 20):q.prefix_begin])
    return Decimal(m.group(1)) if m else None


AGE_GROUP = re.compile(r"\d+\s*岁\s*(?:及|以)?\s*(?:以上|以下)?(?:老年)?人口")   # the population by age: not steered
SCOPE = ("总投资", "计划总投资", "总规模", "总面积")


def drop_scope(items: list, lex: Lexicon) -> list:
    """重点项目15个，总投资60亿元，年度计划投资12亿元: the total of a list of projects
    describes the projects (most of it spent in other years); the year's figure is the target."""
    out = []
    for i, it in enumerate(items):
        counted = any(p.quantity.unit in ("个", "项", "宗", "批") and "项目" in p.indicator for p in items[:i])
        if it.indicator in SCOPE and counted:
            continue
        if re.sub(r"(?:将|要|预计|预期|高达|达到|达|超过|超|约|近|人数)+$", "", it.indicator) in lex.not_steered:
            continue                           # 预计全省应届毕业生将超过42万人: context, not a promise
        if AGE_GROUP.search(it.indicator):
            continue                           # 60岁及以上人口占全市人口比重将突破20%: ageing, forecast not steered
        out.append(it)
    return out


def change_only(text: str, q: Quantity) -> bool:
    """拟安排赤字规模2.1万亿元，比去年增加1500亿元: a plan's change on last year restates the
    figure just given; the promise is the figure (a reported change is still an observation)."""
    return q.unit_class not in ("percent", "points") and bool(re.search(
        r"比(?:去年|上年|上一年|(?:19|20)\d{2}年)(?:增加|减少|多|少|提高|下降|增长)$", text[max(0, q.prefix_begin - 8):q.prefix_begin]))

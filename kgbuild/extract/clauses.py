"""The clause around a number: indicator, mention, comparator, commitment level, kind.

A sentence is cut into clauses at ，：; a clause is cut again at 、 (or a space) only where
both sides hold a number ("新建社区公园12座、口袋公园25座"), so "实施工业、农业科技项目
20—30项" stays whole. The words before the number (and a noun phrase after the measure word:
"引进3—4个高水平研发平台") name the indicator; what a clause lacks it borrows from its
neighbours: the verb of a list (新增…、专精特新企业120家), the subject of a growth or share
(数字经济规模…，年均增长超20%，占GDP比重达45%以上), the whole phrase of a bare level
(争取上级专项资金，确保超过4500万元、争取5000万元), the parent of a sub-target (其中10家…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Span
from .lexicon import Lexicon
from .numbers import LEVEL_OF, MILESTONE_NOUNS, Quantity
from .segment import tokens

CLAUSE_END = re.compile(r"[，,：:。；！？;!?\n]")
LIST_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|\d{1,2}[、.．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|首先|其次|再次|最后)")
TIME = re.compile(r"^(?:(?:到|至|在|于)?\s*(?:19|20)\d{2}\s*年(?:底|末|前|内)?|(?:到|至)?(?:“?十[三四五六]五”?(?:末|期末|期间|时期)?)"
                  r"|今年以来|年初以来|(?:今年|明年)(?:底|末|初)?|年内|全年|届时|未来\d+年|未来[一二三四五六七八九十]+年"
                  r"|\d{1,2}\s*[—–\-－~～至到]\s*\d{1,2}\s*月(?:份)?|前[一二三]季度|上半年|下半年"
                  r"|(?:过去|近)?[一二三四五六七八九十\d]+年来|过去[一二三四五六七八九十\d]+年|近年来|多年来)")
TRAIL_TO = re.compile(r"(?:要|将|可|需|应)?(?:增加|提高|提升|上升|下降|降低|减少|扩大|缩小|稳定|保持|控制|增长|压缩|缩短|降|减)(?:到|至|在)$")
TRAIL_VERB = re.compile(r"(?:要|将|可|需|应|还将|将要|预计|预期)?(?:累计)?(?:达到|达|为|是|实现|完成|保持|维持|稳定)?$")
RELATIVE = re.compile(r"(不低于|不少于|不超过|不高于|高于|低于|超过|达到)([^，,。；;]{1,15}?)的$")
SHARE_OF = re.compile(r"(占)([^，,。；;]{1,15}?)的$")
GROWTH_END = re.compile(r"(增长|增速|增幅|涨幅|上涨|提高|提升|上升|下降|降低|减少|增加|递增|增长率)$")
ATTRIBUTIVE_SUFFIX = ("以上", "以下", "及以上", "及以下")
KEEP_LEAD = ("每", "各", "人均", "户均")             # part of a per-capita indicator, not a pronoun to drop
LEVEL_NOUN = re.compile(r"(率|量|比重|比例|强度|密度|数|指数|规模|总额|收入|产值|人口)$")
PLAN_SHARE = re.compile(r"完成(?:全?年|年度)?(?:计划|目标|任务)(?:数)?(?:\d+(?:\.\d+)?\s*[万亿]*[\u4e00-\u9fff]{0,2})?的?$")
PLAN_WORDS_IN_NAME = re.compile(r"计划|任务|目标")
SUBJECTLESS = re.compile(r"^(占|年均增长|年均|同比增长|同比|(?:实际|名义)(?:增长|上涨|下降)|增长|增速|增幅|比重|占比|其中)")
PER_CAPITA = re.compile(r"(千人|万人|百人|每千|每万|每百|人均|户均|率|密度)")
BRACKETS = re.compile(r"[（(][^）)]*[）)]|【[^】]*】")
MODAL_CUT = re.compile(r"^(.{0,8}?)(?:力争|确保|争取|力促|努力|预计|预期|今年将|将|要)(?=[\u4e00-\u9fff])")
SUBJECT_TAIL = re.compile(r"(?:年均|同比)?(?:增长|增速|增幅|涨幅|提高|提升|上升|下降|降低|减少|增加|递增|增长率)?(?:突破|超过|超|达到|达)?$")
QUOTE_MARKS = re.compile(r"[“”‘’\"《》「」『』【】]")
AGGREGATION = {"年均": "annualAverage", "累计": "cumulative"}
PER_UNIT = re.compile(r"^(?:单位|每万元|万元)(?:国内|地区)?(?:生产总值|GDP)")
SHARED_CHANGE = re.compile(r"(年均|累计)?(分别)?(年均|累计)?(?:实际|名义)?(增长|下降|降低|减少|提高|增加|上升|上涨)?(?:超过|达到|为)?$")
BASELINE = re.compile(r"(?:比|较|与|同)(?:上年|去年|上一年|前一年|同期|上年同期|(?:19|20)\d{2}\s*年(?:底|末)?|“?十[一二三四五六]五”?(?:末|期末)?)"
                      r"(?:预算|同期|水平|相比)?")
BEFORE = re.compile(r"(?:比|较)[\u4e00-\u9fff]{1,5}?前(?=[\u4e00-\u9fff])")   # 比改革前减轻…: the time before a change
EXCLUDING = re.compile(r"(?:扣除|剔除)[^，,。；;]{1,14}?(?:因素)?(?:影响)?后")   # 扣除留抵退税因素后: a basis of comparison
MILESTONE = re.compile(rf"(?:首次|历史性地?)?(?:跃上|迈上|跨上|站上|突破|跨越)?[十百千万亿]+元?(?:{MILESTONE_NOUNS})")   # 跃上万亿元大关
GROUNDS = re.compile(r"在[^在，,]{0,30}?的?基础上")
DATED = re.compile(r"(?:(?:到|至|在|于)\s*)?(?:19|20)\d{2}\s*年(?:底|末|前|内)?(?:的)?")
SPAN_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})[两二三四五六七八九十]年(?:来|间|内)?$")
DURATION = re.compile(r"^(?:用|花|经过)?\s*[\d一二三四五六七八九十两]+\s*年(?:左右)?时间")   # 用3年时间实现…: when, not what
PLAN_PERIOD = re.compile(r"(?:“?十[一二三四五六]五”?(?:时期|期间|末|期末)?的?)?前[2-4二三四两]年|“?十[一二三四五六]五”?(?:时期|期间|末|期末)?")
GOAL_FRAME = re.compile(r"的?(?:主要|预期)*目标(?:任务)?(?:是|为|定为|定在|拟定为)")
LEVEL_TAIL = re.compile(r"(?:提高|增加|上调|提升|降低|下调|调整)(?:到|至)(?:每人每年|每人|人均|每年)?$")   # the number is the level reached
STEP = re.compile(r"(?:平均)?每(?=(?:提高|增加|上调|降低|下调)$)")       # 收购价每提高: the step is the change
LEAD_PREPOSITIONS = ("在", "于", "对", "把")                             # 在…城市进行试点: where, not what
TRAILING = re.compile(r"(?:是|为|在|按|达|以上|以下|以内|左右|及以上|的)+$")


@dataclass(frozen=True)
class Item:
    quantity: Quantity
    indicator: str
    indicator_key: str
    comparator: str
    kind: str
    level: str
    mention: Span
    relative_to: str | None
    parent: int | None       # offset of the parent target's mention (sub-targets: 其中…)
    aggregation: str | None = None   # annualAverage (年均) | cumulative (累计)


@dataclass
class _Piece:
    begin: int
    end: int
    clause: int
    continuation: bool       # joined to the previous piece by 、 or a space
    qs: list[Quantity]
    names: list[str] | None = None   # the names before 分别, for the numbers that follow


PIECE_CUT = re.compile(r"、|\s+|和|及|与")


def _pieces(text: str, begin: int, end: int, qs: list[Quantity]) -> list[_Piece]:
    clauses, start = [], begin
    for m in CLAUSE_END.finditer(text, begin, end):
        if m.start() > start:
            clauses.append((start, m.start()))
        start = m.end()
    if start < end:
        clauses.append((start, end))
    out: list[_Piece] = []
    for ci, (cb, ce) in enumerate(clauses):
        cuts = [m.start() for m in PIECE_CUT.finditer(text[cb:ce])]
        bounds = [cb] + [cb + c for c in cuts] + [ce]
        raw = [(bounds[i] + (len(PIECE_CUT.match(text, bounds[i]).group(0)) if i else 0), bounds[i + 1])
               for i in range(len(bounds) - 1)]
        raw = [(b + len(text[b:e]) - len(text[b:e].lstrip()), e) for b, e in raw]
        merged: list[list[int]] = []
        for b, e in raw:
            has_q = any(b <= q.begin < e for q in qs)
            if merged and not (has_q and any(merged[-1][0] <= q.begin < merged[-1][1] for q in qs)):
                merged[-1][1] = e
            else:
                merged.append([b, e])
        for k, (b, e) in enumerate(merged):
            out.append(_Piece(b, e, ci, k > 0, [q for q in qs if b <= q.begin < e]))
    return out


@lru_cache(maxsize=4)
def _longest_first(lex: Lexicon) -> tuple[str, ...]:
    """The lead words, longest first (as sorted every time before: the same order)."""
    return tuple(sorted(lex.lead_strip, key=len, reverse=True))


@lru_cache(maxsize=65536)
def _strip_lead(s: str, lex: Lexicon, scope: str) -> int:
    """How many leading characters of s are not part of the indicator (or the mention).
    (Kept per phrase, lexicon and scope: it depends on nothing else, and phrases recur.)"""
    i = 0
    while i < len(s):
        rest = s[i:]
        m = LIST_MARK.match(rest) or TIME.match(rest) or re.match(r"^(?:【[^】]*】|[\s，,、：:“”\"])+", rest)
        if m and m.end():
            i += m.end()
            continue
        w = next((w for w in _longest_first(lex)
                  if rest.startswith(w) and (scope == "indicator" or lex.lead_strip[w] == "both")), None)
        if w:
            i += len(w)
            continue
        toks = tokens(rest, lex)
        adv = next((k for k, t in enumerate(toks[:4]) if t.word == "地" and t.pos == "uv"), None)
        if adv is not None and adv + 1 < len(toks):
            i += toks[adv].end                       # 有针对性地引进 → 引进
            continue
        if toks and len(toks) > 1 and toks[0].word not in KEEP_LEAD and (
                toks[0].pos in ("t", "r", "c", "p", "uj", "ul")
                or (toks[0].pos == "d" and len(toks[0].word) == 1 and toks[0].word != "新")):
            if toks[0].pos == "p" and scope != "indicator":
                break
            i += len(toks[0].word)
            continue
        break
    return i


@lru_cache(maxsize=65536)
def clean_indicator(s: str, lex: Lexicon) -> str:
    """The indicator phrase of s (kept per phrase and lexicon: it depends on nothing else)."""
    s = MILESTONE.sub("", EXCLUDING.sub("", BEFORE.sub("", BRACKETS.sub("", s))))
    s = re.sub(r"(?<=..)(?:从|由)[^从由]*\d[^从由]*$", "", s)   # 补贴标准从每人2万元(提高到8万元) → 补贴标准
    s = s[_strip_lead(s, lex, "indicator"):]
    for _ in range(3):
        s = TRAIL_TO.sub("", s)
        s = TRAIL_VERB.sub("", s).rstrip(" 的")
        s = re.sub(r"(?<=..)(?:的?(?:预期|主要)?目标(?:拟定|确定)?)$", "", s)   # 工业增长预期目标为8%左右 → 工业增长
    m = MODAL_CUT.match(s)
    if m and m.group(1) and not re.search(r"[省市县区州镇乡村园局委厅部]$|今年|全年|年内", m.group(1)):
        m = None                             # M2余额预期增长…: the subject is the indicator, keep it
    if m and len(s) > m.end():
        s = s[m.end():]                      # 甘肃今年将新增…, 高新区力争… : the subject is the place
        s = s[_strip_lead(s, lex, "indicator"):]
    s = after_examples(s)
    s = QUOTE_MARKS.sub("", BRACKETS.sub("", s)).replace("分别", "")
    return re.sub(r"\s+", "", s)


@lru_cache(maxsize=65536)
def tidy(s: str, lex: Lexicon) -> tuple[str, str | None]:
    """(Kept per phrase and lexicon, as clean_indicator: it depends on nothing else.)
    The measured thing and nothing else: plan and modal words, adverbs, times, comparison bases
    (比上年), grounds (在…的基础上) and trailing comparators leave the phrase; 年均 and 累计 leave
    it too and come back as the aggregation (a yearly average, a cumulative total).
    经济增长预期目标是在…的基础上年均增长 → (经济增长, annualAverage)."""
    original, aggregation = s, None
    for w, a in AGGREGATION.items():
        if w in s:
            aggregation = aggregation or a
            s = s.replace(w, "")
    s = DATED.sub("", BASELINE.sub("", GROUNDS.sub("", s)))
    s = DURATION.sub("", PLAN_PERIOD.sub("", s))
    s = SPAN_TAIL.sub("", s)                 # 教育经费支出五年（累计）: over how long, not what
    m = GOAL_FRAME.search(s)
    if m:                                    # X的主要目标是Y: Y when it names something, else X+Y
        head, rest = s[:m.start()], s[m.end():]
        if _has_noun(_drop_noise(rest, lex), lex):
            s = rest
        else:                                # 经济增长预期目标是…增长6% → 经济增长
            s = head if head.endswith(rest) or GROWTH_END.search(head) else head + rest
    s = re.sub(r"[（(][^（()）]*$|^[^（()）]*[)）]", "", s) if s.count("（") + s.count("(") != s.count("）") + s.count(")") else s
    s = s.strip("（()）") if re.fullmatch(r"[（(][^（()）]*[)）]", s) else s
    s = TRAILING.sub("", _drop_noise(s, lex)).strip("、，, ")
    s = _trim_ends(STEP.sub("", LEVEL_TAIL.sub("", s)), lex)
    return s, aggregation                    # "" when nothing but noise was left: the caller borrows a name


def _trim_ends(s: str, lex: Lexicon) -> str:
    """A stranded single character at either end (保障性安居工程新 → 保障性安居工程), and a leading
    place phrase (在地级以上城市进行公立医院改革试点 → 进行公立医院改革试点), leave the phrase when
    what stays still names something."""
    toks = tokens(s, lex)
    while len(toks) > 1 and lex.phrase_noise.get(toks[-1].word) == "end" and _has_noun("".join(t.word for t in toks[:-1]), lex):
        toks = toks[:-1]
    while len(toks) > 1 and lex.phrase_noise.get(toks[0].word) == "start" and _has_noun("".join(t.word for t in toks[1:]), lex):
        toks = toks[1:]
    if toks and toks[0].word in LEAD_PREPOSITIONS:
        verb = next((i for i, t in enumerate(toks[1:], 1) if t.pos.startswith("v") and t.pos != "vn"
                     and not (i + 1 < len(toks) and toks[i + 1].word == "的")), None)   # 政府举办的…: inside the place
        if verb is not None and _has_noun("".join(t.word for t in toks[verb:]), lex):
            toks = toks[verb:]
    return "".join(t.word for t in toks)


def _drop_noise(s: str, lex: Lexicon) -> str:
    keep = []
    for t in tokens(s, lex):
        when = lex.phrase_noise.get(t.word)
        if when == "any" or (when == "verb" and t.pos.startswith("v") and t.pos != "vn") \
                or (when == "adverb" and t.pos.startswith("d")):
            continue
        keep.append(t.word)
    return "".join(keep)


EXAMPLES = re.compile(r"[、和及与].*?等([^等]{4,})$")
EXAMPLE = re.compile(r"..等(?![级于同待])([^等]{2,})$")


def after_examples(s: str) -> str:
    """儿童以及孕产妇、慢病患者等重点服务对象 → 重点服务对象; 绿色低碳等新增试点 → 新增试点: the
    examples before 等 are not the name of what is counted."""
    m = EXAMPLES.search(s) or EXAMPLE.search(s)
    return m.group(1) if m else s


@lru_cache(maxsize=65536)
def indicator_key(s: str, lex: Lexicon) -> str:
    """(Kept per phrase and lexicon.) Concept identity: abbreviations expanded (高企 → 高新技术企业), punctuation removed."""
    words = [lex.abbreviations.get(t.word, t.word) for t in tokens(s, lex)]
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff%]+", "", "".join(words))


def _has_noun(s: str, lex: Lexicon) -> bool:
    return any(t.is_nominal for t in tokens(s, lex))


def _level(text: str, begin: int, end: int, lex: Lexicon) -> str | None:
    best = None
    for w, lvl in lex.commitment.items():
        i = text.rfind(w, begin, end)
        if i >= 0 and (best is None or i > best[0]):
            best = (i, lvl)
    return best[1] if best else None


def _kind(q: Quantity, indicator: str, pre: str) -> str:
    if q.unit_class in ("money", "measure", "index"):
        return "amount"
    if q.unit_class == "multiple":
        return "ratio"                       # 2.5倍: a ratio to a base
    if q.unit_class in ("percent", "points"):
        level = re.search(r"(?:提高|提升|增加|降低|下降|减少|控制|稳定|保持)(?:到|至|在)\s*$", pre)
        growth = not level and GROWTH_END.search(pre.rstrip("超过达到突破不低于至少约近")) or re.search(r"增速|增幅|涨幅|增长率", indicator) \
            or GROWTH_END.search(indicator)
        return "growth_rate" if growth else "ratio"
    if q.unit_class == "fraction":
        return "ratio"
    return "ratio" if PER_CAPITA.search(indicator) else "count"


def _comparator(q: Quantity, lex: Lexicon) -> str:
    if q.is_range:
        return "range"
    if q.prefix and lex.comparator_prefixes.get(q.prefix, "eq") != "eq":
        return lex.comparator_prefixes[q.prefix]
    if q.suffix:
        return lex.comparator_suffixes.get(q.suffix, "eq")
    return "eq"


ASIDE = re.compile(r"\s*[（(]")
QUOTE_CLOSE = re.compile(r"[”」』’》]")
LISTED = re.compile(r"其中有|包括")


def analyse(text: str, begin: int, end: int, qs: list[Quantity], lex: Lexicon) -> list[Item]:
    """One Item per quantity in the sentence text[begin:end]."""
    pieces = _pieces(text, begin, end, qs)
    items: list[Item] = []
    for pi, p in enumerate(pieces):
        prev_q_end = p.begin
        for qi, q in enumerate(p.qs):
            nxt = p.qs[qi + 1].prefix_begin if qi + 1 < len(p.qs) else p.end
            pre = text[prev_q_end:q.prefix_begin]
            post = text[q.end:nxt]
            if LEVEL_OF.match(post):
                post = ""                      # 控制在4.5%左右的合理区间: the level is the number, not a name
            if ASIDE.match(post) and qi + 1 < len(p.qs):
                nxt, post = q.end + len(post) - len(post.lstrip()), ""   # 增长1.4%（扣除…因素后增长9.4%）: an aside about the next number
            opened = text[max(begin, q.begin - 60):q.begin]
            close = QUOTE_CLOSE.search(post) if opened.count("“") > opened.count("”") else None
            if close:                          # “新建公园12座，建成开放9所图书馆”惠民项目: the quote ends it
                nxt = q.end + close.start()
                post = post[:close.start()]
            compound = qi > 0 and not pre.strip() and items
            if compound:                       # 改造项目67个28682户: one phrase, two units
                base = items[-1]
                ind = f"{base.indicator}（{q.unit}）" if q.unit else base.indicator
                items.append(Item(q, ind, indicator_key(ind, lex), _comparator(q, lex), _kind(q, base.indicator, pre),
                                  base.level, base.mention if base.mention.end >= q.end else
                                  Span(base.mention.begin, q.end, text[base.mention.begin:q.end]), None, None))
                prev_q_end = q.end
                continue
            relative = None
            comparator = _comparator(q, lex)
            m = RELATIVE.search(pre) or SHARE_OF.search(pre)
            if m and q.unit_class in ("percent", "fraction"):
                relative = clean_indicator(m.group(2), lex)
                subject = clean_indicator(pre[:m.start()], lex)
                indicator = f"{subject}占{relative}比例" if subject else f"占{relative}比例"
                if m.group(1) != "占":
                    comparator = lex.comparator_prefixes.get(m.group(1), comparator)
            else:
                indicator = after_examples(clean_indicator(pre, lex) + clean_indicator(post, lex))
            parent = None
            if LISTED.search(pre):
                prev_q_end = q.end
                continue                             # 其中有东环、西环…4条: describes a list, promises nothing
            stated_pre = pre.strip()
            if stated_pre.startswith("其中") and items:
                whole = next((it for it in reversed(items) if it.quantity.unit == q.unit), items[-1])
                parent = whole.mention.begin
                rest = clean_indicator(pre[pre.index("其中") + 2:], lex) + clean_indicator(post, lex)
                indicator = f"{whole.indicator}（其中{rest}）" if rest else f"{whole.indicator}（其中）"
            elif "分别" in pre:
                indicator = _respectively(pre, p, pieces, pi, items, lex) or indicator
            elif qi == 0 and (implied := _respectively(pre, p, pieces, pi, items, lex, implied=True)):
                indicator = implied                  # A和B实际增长8.4%和11.4%: 分别 understood
            elif q.unit == "%" and PLAN_SHARE.search(pre) and (measured := _last_subject(items, begin)):
                indicator = measured + "完成年度计划比例"   # 生产总值635亿元，完成年计划710亿元的89.4%
            elif items and SUBJECTLESS.match(indicator):
                subject = SUBJECT_TAIL.sub("", _last_subject(items, begin) or items[-1].indicator)
                indicator = subject + indicator
            elif not indicator or not _has_noun(indicator, lex):
                indicator = _borrow(indicator, text, p, pieces, pi, items, q, lex)
            elif len(tokens(indicator, lex)) == 1 and tokens(indicator, lex)[0].pos in ("v", "vn") \
                    and q.unit_class == "count" and q.unit and len(q.unit) == 2:
                indicator = indicator + q.unit     # 培训1.5万人次 → 培训人次
            elif items and (p.continuation or (pi > 0 and pieces[pi - 1].continuation and pieces[pi - 1].qs)) \
                    and items[-1].mention.begin >= begin \
                    and not any(v in indicator for v in lex.action_verbs) and not tokens(indicator, lex)[0].is_verb \
                    and not LEVEL_NOUN.search(indicator):
                verb = next((v for v in lex.action_verbs if items[-1].indicator.startswith(v)), None)
                if verb:
                    indicator = verb + indicator     # 新建社区公园12座、口袋公园25座 → 新建口袋公园
            level = _level(text, p.begin, q.begin, lex)
            if level is None and p.continuation and items and items[-1].mention.begin >= begin:
                level = items[-1].level
            if level is None and pi > 0 and not pieces[pi - 1].qs:
                level = _level(text, pieces[pi - 1].begin, pieces[pi - 1].end, lex)
            mb = p.begin + _strip_lead(text[p.begin:q.prefix_begin], lex, "mention") if prev_q_end == p.begin else prev_q_end
            me = nxt if clean_indicator(post, lex) else q.end
            mention_text = text[mb:me].rstrip()
            mention = Span(mb, mb + len(mention_text), mention_text)
            kind = _kind(q, indicator, pre)
            if not clean_indicator(pre, lex) and items and items[-1].quantity.unit == q.unit \
                    and items[-1].mention.begin >= begin:
                kind = items[-1].kind                # 分别增长6%和7.5%: the second is a growth too
            for phrase in (coordinated(pre, q, lex) if "分别" not in pre and not p.names else []) or [indicator]:
                indicator, aggregation = tidy(phrase, lex)   # one number, two measured things: a target each
                if not _has_noun(indicator, lex):
                    indicator = _subject_for(indicator, items, begin, q, lex)
                items.append(Item(q, indicator, indicator_key(indicator, lex), comparator, kind,
                                  level or "planned", mention, relative, parent, aggregation))
            prev_q_end = q.end
    return items


def _last_subject(items: list[Item], begin: int) -> str | None:
    """The sentence's latest measured thing, passing over a share of the year's plan (完成年计划…的89.4%):
    生产总值635亿元，完成年计划的89.4%，增长2.0% → 生产总值增长."""
    for it in reversed(items):
        if it.mention.begin < begin:
            return None
        if not PLAN_WORDS_IN_NAME.search(it.indicator):
            return it.indicator
    return None


def _subject_for(phrase: str, items: list[Item], begin: int, q: Quantity, lex: Lexicon) -> str:
    """A phrase that names nothing (增加, 占比, 平均每天新增) names what it measures through the
    sentence's subject (赤字…，比去年预算增加300亿元 → 赤字增加; 占比分别为… → 项目占比), or
    through its measure word (改造1.2万户 → 改造户数); a growth with no subject in a plan is the
    economy's (年均增长6%左右 → 经济增长)."""
    phrase = re.sub(r"^(?:预算|同期|前|年前)(?=增|减|提|降|高|低|多|少)", "", phrase)
    phrase = {"高": "提高", "低": "降低", "多": "增加", "少": "减少"}.get(phrase, phrase)
    previous = _last_subject(items, begin)
    if previous and (not phrase or GROWTH_END.search(phrase) or phrase in ("占比", "比重", "占")):
        return SUBJECT_TAIL.sub("", previous) + phrase
    if phrase in ("增长", "增速") and q.unit_class == "percent":
        return "经济增长"
    if q.unit and q.unit_class in ("count", "measure"):
        return f"{phrase}{q.unit}数"
    if q.unit_class == "money":
        return f"{phrase}金额"
    return phrase


def _shared_change(pre: str) -> tuple[str, str] | None:
    """(the names, the change they share) when pre ends with a change every name undergoes:
    A和B分别降低 → (A和B, 降低); A和B年均分别增长 → (A和B, 年均增长); A和B年均实际增长 → (A和B, 年均增长).
    Not a level the change reaches (分别提高到 …): that is no change."""
    m = SHARED_CHANGE.search(pre)
    if not m or not m.group(4):
        return None
    return pre[:m.start()], (m.group(1) or m.group(3) or "") + m.group(4)


def _respectively(pre: str, p: _Piece, pieces: list[_Piece], pi: int, items: list[Item], lex: Lexicon,
                  implied: bool = False) -> str | None:
    """A、B、C分别达到25%、40%、20%: the n-th name goes with the n-th number. A change all of them
    undergo stays with each name (能耗和二氧化碳排放分别降低16%和17% → 能耗降低, 二氧化碳排放降低), and
    so does a yearly average or cumulative word before it (年均分别增长). One name holding a word
    that fuses two things (城乡) and two numbers: one part each. implied: no 分别, but as many
    names coordinated before one change as numbers after it (A和B实际增长8.4%和11.4%)."""
    shared = _shared_change(pre)
    head, suffix = shared if shared else (pre[:pre.index("分别")] if "分别" in pre else pre, "")
    names = [clean_indicator(n, lex) for n in re.split(r"、|和|及|与", head)]
    group = [p] + [x for x in pieces[pi + 1:] if x.continuation and x.clause == p.clause]
    if implied and (not suffix or len(names) != len(group) or len(group) < 2
                    or any(len(x.qs) != 1 or x.qs[0].unit != p.qs[0].unit for x in group)):
        return None
    if len(names) == 1 and len(group) == 2 and names[0]:
        word = next((w for w in lex.fused if w in names[0]), None)
        if word:                             # 城乡居民…分别增长6%和7%: one part each (lexicon fused)
            names = [names[0].replace(word, part, 1) for part in lex.fused[word]]
    if len(names) >= len(group) and all(names[-len(group):]):
        names = names[-len(group):]
        per = PER_UNIT.match(names[0])
        if per:                              # 单位GDP能耗和二氧化碳排放: the per-unit modifier is shared
            names = names[:1] + [n if PER_UNIT.match(n) or n.startswith(("人均", "每")) else per.group(0) + n
                                 for n in names[1:]]
        names = [n + suffix for n in names]
        p.names = names
        return names[0]
    return None


def coordinated(indicator: str, q: Quantity, lex: Lexicon) -> list[str]:
    """The measured things a single number is set for when its phrase coordinates several, each a
    level noun sharing one change: 城镇居民人均可支配收入和农村居民人均纯收入年均实际增长 → the
    urban income's growth and the rural income's, one target each. [] when it names one thing."""
    shared = _shared_change(indicator)
    if q.unit_class != "percent" or not shared:
        return []
    names = [clean_indicator(n, lex) for n in re.split(r"和|与|、|及", shared[0])]
    if len(names) < 2 or not all(len(n) >= 4 and LEVEL_NOUN.search(n) and _has_noun(n, lex) for n in names):
        return []
    return [n + shared[1] for n in names]


def _borrow(indicator: str, text: str, p: _Piece, pieces: list[_Piece], pi: int, items: list[Item], q: Quantity,
            lex: Lexicon) -> str:
    """A clause that names no indicator of its own borrows one from its neighbours."""
    # the n-th number of a 分别 list
    for j in range(pi - 1, -1, -1):
        names = pieces[j].names
        if names and pieces[j].clause == p.clause:
            k = sum(1 for x in pieces[j:pi + 1] if x.qs)
            if k - 1 < len(names):
                return names[k - 1]
    prev = pieces[pi - 1] if pi > 0 else None
    if prev is not None and not prev.qs and not p.continuation:
        ctx = clean_indicator(text[prev.begin:prev.end], lex)
        if ctx and _has_noun(ctx, lex):
            return ctx                       # 争取上级部门专项资金支持，确保超过4500万元
    if items and items[-1].mention.begin >= pieces[0].begin:
        last = items[-1].indicator
        if not indicator or (last.startswith(indicator)):
            return last                      # 新增科技型企业60家，努力实现新增90家
    if indicator and q.unit_class == "count" and q.unit and len(q.unit) == 2:
        return indicator + q.unit            # 培训1.5万人次 → 培训人次
    return indicator

"""Stage 3 — extract: Article → Extraction (targets, observations, focus areas, places, names).

How a quantity becomes a target, in order:
1. numbers.find_quantities finds every number with a measure word;
2. filters drop ordinals, numbers inside quotes and names, enumerations (等19条), baselines
   (从/由…), attributive figures (总投资30亿元的…);
3. tense: each sentence is future (a promise) or past (a report) from cue words (lexicon
   cues.tsv, matched on jieba tokens) and years before the article's year; a sentence with no
   cue inherits from the one before;
4. the clause ("item") around the number gives the indicator, the mention, the comparator,
   the commitment level and the kind (clauses.py);
5. mentions of one commitment (title, heading, body) are merged into one Target.
Past quantities become Observations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Article, Extraction, Observation, Target
from . import clauses, concepts, entities, places, script, structure, tense
from .lexicon import Lexicon
from .numbers import Quantity, find_quantities
from .segment import tokens

SENTENCE = re.compile(r"[^。；！？;!?]+[。；！？;!?]*")
HEADLINE = re.compile(r"[^。；！？;!?\s\u3000]+(?:[ \u3000](?=[\d%％])[^。；！？;!?\s\u3000]*)*[。；！？;!?]*")
YEAR = re.compile(r"(?:(到|至|在|于|截至|截止)\s*)?((?:19|20)\d{2})\s*年(?:底|末|前|内)?(?![\d月])")
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年")
CONNECTIVE = re.compile(r"\s*(?:同时|此外|另外|与此同时|另一方面|并且|而且|其中)[，,]")
QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’", "【": "】", '"': '"'}


@dataclass(frozen=True)
class Candidate:
    target: Target
    tense: str            # future | past
    block_kind: str       # title | heading | paragraph | item
    sentence: tuple[int, int]
    anaphoric: bool = False   # 计划投用的38所公办幼儿园: refers back to a number already stated


def _quoted(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Spans inside quotation marks or title marks within text[begin:end]."""
    out, stack = [], []
    for i in range(begin, end):
        c = text[i]
        if stack and c == QUOTES[text[stack[-1]]]:
            out.append((stack.pop() + 1, i))
        elif c in QUOTES and c != '"':
            stack.append(i)
        elif c == '"':
            stack.append(i)
    return out


def _sentences(text: str, begin: int, end: int, title: bool = False) -> list[tuple[int, int]]:
    """Sentences end at 。；！？; in a title a space also parts two headlines
    (明年底清洁取暖率要达62% 全市推进清洁取暖技术交流大会召开)."""
    pattern = HEADLINE if title else SENTENCE
    return [(begin + m.start(), begin + m.end()) for m in pattern.finditer(text[begin:end]) if m.group(0).strip()]


@lru_cache(maxsize=4)
def _year_patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(map(re.escape, sorted(lex.relative_years, key=len, reverse=True)))
    periods = "|".join(map(re.escape, sorted(lex.period_years, key=len, reverse=True)))
    return re.compile(rf"(?<![比较与])(?<!同比)({words})"), re.compile(periods)


def _years(text: str, begin: int, end: int, pub: int | None, lex: Lexicon,
           second_half: bool = False) -> list[tuple[int, int, bool]]:
    """(offset, year, is_target_year) for every year expression: 2022年, 到2025年, 今年, 过去一年
    (the year before in a spring report, this year in a winter review), 十四五末."""
    out = []
    for m in YEAR_RANGE.finditer(text, begin, end):
        out.append((m.start(), int(m.group(2)), True))
    for m in YEAR.finditer(text, begin, end):
        if any(a <= m.start() < a + 12 for a, _, _ in out):
            continue
        out.append((m.start(), int(m.group(2)), True))
    if pub:
        relative, periods = _year_patterns(lex)
        for m in relative.finditer(text, begin, end):
            early, late = lex.relative_years[m.group(1)]
            delta = late if second_half else early
            out.append((m.start(1), pub + delta, delta >= 0))           # not 比上年: a base, not a year
    for m in _year_patterns(lex)[1].finditer(text, begin, end):
        out.append((m.start(), lex.period_years[m.group(0)], True))
    if pub:
        for m in re.finditer(r"用\s*([1-9一二三四五六七八九十])\s*年(?:时间|左右)?", text[begin:end]):
            n = int(m.group(1)) if m.group(1).isdigit() else "一二三四五六七八九十".index(m.group(1)) + 1
            out.append((begin + m.start(), pub + n - 1, True))     # 用3年时间: the third year is the target year
    return sorted(out)


PERIOD_WORDS = re.compile(r"(过去|近|最近|未来|今后)\s*([1-9一二三四五六七八九十])\s*年(?:来|间|内|里)?|([1-9一二三四五六七八九十])\s*年(?:来|间)")


def _periods(text: str, begin: int, end: int, pub: int | None, lex: Lexicon,
             second_half: bool = False) -> list[tuple[int, int, int]]:
    """(offset, first year, last year) of every span of several years: 过去五年, 五年来, 今后五年,
    2016—2020年, 十三五期间. A figure under one covers the span, not its last year."""
    out = []
    for m in YEAR_RANGE.finditer(text, begin, end):
        out.append((m.start(), int(m.group(1)), int(m.group(2))))
    if pub:
        digits = "一二三四五六七八九十"
        for m in PERIOD_WORDS.finditer(text, begin, end):
            w = m.group(2) or m.group(3)
            n = int(w) if w.isdigit() else digits.index(w) + 1
            if n < 2:
                continue
            if m.group(1) in ("未来", "今后"):
                out.append((m.start(), pub + (1 if second_half else 0), pub + n - (0 if second_half else 1)))
            else:
                last = pub if second_half else pub - 1
                out.append((m.start(), last - n + 1, last))
    for m in _year_patterns(lex)[1].finditer(text, begin, end):
        phrase = m.group(0)
        if re.search(r"期间|时期", phrase) or phrase.strip("“”") in ("十一五", "十二五", "十三五", "十四五", "十五五"):
            y = lex.period_years[phrase]
            out.append((m.start(), y - 4, y))               # 十三五期间: 2016–2020
    return sorted(out)


def _period_for(q: Quantity, years: list[tuple[int, int, bool]], periods: list[tuple[int, int, int]],
                section: "tense.Decision | None", pub: int | None, lex: Lexicon) -> tuple[int, int] | None:
    """The span a figure covers: the nearest span expression before it in its block, unless a
    single year is named after it; else the span its section heading names (一、过去五年工作回顾)."""
    pos = q.prefix_begin
    spans = {p for p, _, _ in periods}
    singles = [yp for yp, _, _ in years if yp <= pos and yp not in spans]
    before = [(p, a, b) for p, a, b in periods if p <= pos]
    if before:
        p, a, b = before[-1]
        return (a, b) if not any(p < yp for yp in singles) else None
    if singles:
        return None                                  # 2012年，…增长7.8%: one year, inside a five-year review
    if section is not None and pub:
        named = [(m.group(0), lex.period_years[m.group(0)]) for m in _year_patterns(lex)[1].finditer(section.cue)]
        if named and not re.search(r"(?:19|20)\d{2}\s*年", section.cue) and named[0][1] < pub:
            return named[0][1] - 4, named[0][1]      # 一、“十一五”时期…的回顾: 2006–2010
        m = PERIOD_WORDS.search(section.cue)
        if m and (m.group(1) or "") not in ("未来", "今后") and not re.search(r"(?:19|20)\d{2}\s*年", section.cue):
            w = m.group(2) or m.group(3)
            n = int(w) if w.isdigit() else "一二三四五六七八九十".index(w) + 1
            return (pub - n, pub - 1) if n > 1 else None
    return None


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
    doctrine or a slogan (中央八项规定, 两个市场、两种资源, 三项制度) unless a verb of making or
    adding governs it (新增两家, 打造两个千亿级产业集群): plans write their counts in digits."""
    if q.unit_class != "count" or q.is_range or q.value is None or q.value > 10:
        return False
    if not re.fullmatch(r"[一二两三四五六七八九十]+", q.written[:len(q.written) - len(q.unit or "") - len(q.suffix)]):
        return False
    if not re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]):
        return False
    before = text[max(0, q.prefix_begin - 4):q.prefix_begin]
    return not any(before.endswith(v) for v in lex.action_verbs)


def _qualifies_next(text: str, q: Quantity, found: list[Quantity]) -> bool:
    """5000个30户以上自然村组, 3个10万吨级码头: a number right after another one, before the noun
    both describe, says which kind of thing is counted; the first number is the count."""
    if any(p.end == q.prefix_begin for p in found) and bool(re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1])) \
            and not re.match(r"[，,、和及与]", text[q.end:q.end + 1]):
        return True
    if q.unit in ("类", "种", "档") and re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]):
        clause_end = re.compile(r"[，,。；;：:]").search(text, q.end)
        return any(q.end < p.begin < (clause_end.start() if clause_end else len(text)) for p in found)
    return False            # 22类重大疾病患者受益11.47万人次: the kinds say which patients are counted


def _skip(text: str, q: Quantity, quoted: list[tuple[int, int]], lex: Lexicon) -> bool:
    """Quantities that are never targets nor observations: ordinals, names, enumerations."""
    before = text[max(0, q.prefix_begin - 3):q.prefix_begin]
    after = text[q.end:q.end + 1]
    if re.search(r"(第|前|后|首|居|排名|位列|列)$", before):
        return True                                            # 第二批, 前40位, 居全市第2位
    if any(a <= q.begin < b and (b - a <= 12 or text[a - 1] == "《") and not re.search(r"[，,；;]", text[a:b])
           for a, b in quoted):
        return True                                            # “四个倍增”, 《三年行动计划》 (not a quoted list of tasks)
    ahead = re.match(r"[\u4e00-\u9fff]{0,6}", text[q.end:q.end + 6]).group(0)
    if q.unit in ("项", "件", "个", "大") and any(re.match(rf"[\u4e00-\u9fff]{{0,4}}?{w}(?:落实|推进)?(?![\u4e00-\u9fff])", text[q.end:q.end + 10])
                                               for w in lex.task_nouns):
        return True                                            # 21项重点工作, 抓好5项工作: the plan's own tasks
    small = q.value is not None and q.value <= 12             # names count a few things: 十项工程, 六个一百
    if small and any(ahead.startswith(w) or (reach and w in ahead[:reach + len(w)]) for w, reach in lex.name_nouns.items()):
        return True                                            # 十项工程, 六个目标, 10件民生实事, 二期工程
    if _slogan(text, q, lex):
        return True                                            # 八项规定, 两个市场、两种资源: names, not counts
    if re.match(r"[一二][^零〇一二两三四五六七八九十百千万亿\d]", q.written) and q.unit_class == "count" and not q.is_range:
        return True                                            # 一个/一批/二期: an article or a name, not a count
    if re.search(r"》[（(]?$", text[max(0, q.prefix_begin - 2):q.prefix_begin]):
        return True                                            # 《若干措施》（20条）: describes a document
    if before.endswith("等") and _counts_its_list(text, q):
        return True                                            # 渭武、武九、彭大等3条高速公路: counts a list
    if after.startswith("的") and not re.match(r"的[\u4e00-\u9fff]{0,3}?(?:水平|区间|范围|幅度)", text[q.end:q.end + 8]):
        return True                                            # 总投资30亿元的…项目: describes, not promises
                                                               # (失业率稳定在5%左右的较低水平 states the rate)
    if q.suffix in ("以上", "以下", "及以上", "及以下") and re.match(r"[\u4e00-\u9fff]", after) \
            and not re.match(r"[，,。；;、和并且]", after) and (q.unit_class != "count" or q.unit == "人"):
        return True                                            # 3岁以下婴幼儿, 5000万元以上项目, 500人以上企业: a class
    if q.unit_class == "money" and re.match(r"、(?:过|超|超过)?\d+(?:\.\d+)?[万亿]?元(?:以上)?[\u4e00-\u9fff]", text[q.end:q.end + 12]):
        return True                                            # 过50亿元、过100亿元项目: a list of size classes
    if q.unit_class == "money" and not q.suffix:
        following = tokens(text[q.end:q.end + 8], lex)
        if following and following[0].pos.startswith("n") and following[0].pos != "vn":
            return True                                        # 年产值超10亿元企业: qualifies a noun
    window = text[max(0, q.prefix_begin - 12):q.prefix_begin]
    clause = window[max(window.rfind(c) for c in "，,。；;：:") + 1:]
    if any(w in clause for w in lex.entitlements):
        return True                                            # 每个试点县可获贷款补助3000万元: an entitlement
    if re.search(r"(?:从|由)[^，,。；;从由]{0,12}$", text[max(0, q.prefix_begin - 13):q.prefix_begin]) and \
            re.match(r"[^，,。；;]{0,3}?(?:提高|增加|上调|扩大|提升|降低|下降|减少|压减|下调|缩小|增长|调整)?(?:到|至)",
                     text[q.end:q.end + 8]):
        return True                                            # 起征点从月销售额3万元提高到10万元: the baseline
    if re.search(r"(从|由)$", text[max(0, q.prefix_begin - 1):q.prefix_begin]):
        return True                                            # 从100家增加到200家: the baseline
    return False


def extract(article: Article, lex: Lexicon) -> Extraction:
    """Every target and observation in article (read in simplified characters; offsets and
    evidence texts are the original's)."""
    simple = script.view(article)
    x = _extract(simple, lex)
    return x if simple is article else script.restore(x, article)


def _extract(article: Article, lex: Lexicon) -> Extraction:
    text, pub = article.text, article.year or structure.stated_year(article)
    place, mentioned = places.resolve(article, lex.jurisdiction)
    areas = structure.focus_areas(article, lex)
    default_year = structure.default_year(article, pub, lex)
    candidates: list[Candidate] = []
    late = bool(article.date and article.date.month >= 11)      # a year-end review looks back
    whole = tense.Decision("past", "article: year-end review") if late else tense.Decision("future", "article")
    frames = tense.sections(article, pub, lex)
    headline = tense.headline(article, pub, lex, late)
    carried: tense.Decision | None = None     # what the previous paragraph settled on (weak)
    chain: tense.Decision | None = None       # what a lead ending in a colon passes to its list
    for bi, block in enumerate(article.blocks):
        if block.kind in ("byline", "source"):
            continue
        quoted = _quoted(text, block.begin, block.end)
        second_half = bool(article.date and article.date.month > 6)
        block_years = _years(text, block.begin, block.end, pub, lex, second_half)
        block_periods = _periods(text, block.begin, block.end, pub, lex, second_half)
        section = frames.get(bi) if block.kind != "title" else None
        paragraph = chain if block.kind == "item" else None
        if block.kind == "paragraph" and CONNECTIVE.match(text, block.begin):
            paragraph = carried                # 同时，…均达100%: goes on with the paragraph before
        for s_begin, s_end in _sentences(text, block.begin, block.end, title=block.kind == "title"):
            found = find_quantities(text, lex, s_begin, s_end)
            qs = [q for q in found if not _skip(text, q, quoted, lex) and not _qualifies_next(text, q, found)]
            cues = tense.cues(text, s_begin, s_end, pub, lex, late, found, heading=block.kind in ("heading", "item"))
            items = _drop_scope(clauses.analyse(text, s_begin, s_end, qs, lex), lex)
            times = tense.times_in(text, s_begin, s_end, lex)
            for it in items:
                q = it.quantity
                body = block.kind != "title"
                d = tense.decide(q, _clause_begin(text, s_begin, q), cues, paragraph, section,
                                 headline if body else None, carried if body else None, whole, qs, times,
                                 _clause_end(text, s_end, q))
                year = _year_for(q, s_begin, block_years, d.tense, default_year, pub, section, late)
                span = _period_for(q, block_years, block_periods, section if d.tense == "past" else None, pub, lex)
                if span is not None:
                    year = span[1]
                area = structure.area_at(areas, q.begin) if block.kind != "title" else None
                t = Target(indicator=it.indicator, indicator_key=it.indicator_key, comparator=it.comparator,
                           value=q.value, min=q.min, max=q.max, unit=q.unit,
                           kind=it.kind, year=year, level=it.level, area=area, mentions=(it.mention,),
                           relative_to=it.relative_to, parent=it.parent, cue=d.cue,
                           concept=concepts.concept_of(it.indicator, q.unit),
                           approximate=q.suffix == "左右" or q.prefix in ("约", "大约", "近")
                           or text[q.prefix_begin - 1:q.prefix_begin] == "约",
                           period_start=span[0] if span else None)
                if d.tense == "future" and _change_only(text, q):
                    continue
                candidates.append(Candidate(t, d.tense, block.kind, (s_begin, s_end),
                                            text[q.prefix_begin - 1:q.prefix_begin] == "的"))
            paragraph = tense.settle(cues, paragraph, times)
        if block.kind == "title":
            continue
        line = text[block.begin:block.end].rstrip()
        if line.endswith(("：", ":")):
            chain = paragraph
        elif block.kind != "item":
            chain = None
        carried = paragraph or carried
    targets = _merge([c for c in candidates if c.tense == "future" and c.target.indicator])
    observations = tuple(
        Observation(indicator=c.target.indicator, indicator_key=c.target.indicator_key, comparator=c.target.comparator,
                    value=c.target.value, min=c.target.min, max=c.target.max, unit=c.target.unit, kind=c.target.kind,
                    year=c.target.year, mention=c.target.mentions[0], cue=c.target.cue, concept=c.target.concept,
                    period_start=c.target.period_start)
        for c in candidates if c.tense == "past" and c.target.indicator)
    return Extraction(article=article, place=place, places=mentioned, areas=areas, targets=targets,
                      observations=observations, programs=entities.programs(article, lex),
                      organizations=entities.organizations(article, lex), events=entities.events(article))


SCOPE = ("总投资", "计划总投资", "总规模", "总面积")


def _drop_scope(items: list, lex: Lexicon) -> list:
    """重点项目12个，总投资88.2亿元，年度计划投资14.25亿元: the total of a list of projects
    describes the projects (most of it spent in other years); the year's figure is the target."""
    out = []
    for i, it in enumerate(items):
        counted = any(p.quantity.unit in ("个", "项", "宗", "批") and "项目" in p.indicator for p in items[:i])
        if it.indicator in SCOPE and counted:
            continue
        if re.sub(r"(?:将|要|预计|预期|高达|达到|达|超过|超|约|近|人数)+$", "", it.indicator) in lex.not_steered:
            continue                           # 预计高校毕业生超过1170万人: context, not a promise
        out.append(it)
    return out


def _change_only(text: str, q: Quantity) -> bool:
    """拟安排财政赤字1.62万亿元，比去年增加2700亿元: a plan's change on last year restates the
    figure just given; the promise is the figure (a reported change is still an observation)."""
    return q.unit_class not in ("percent", "points") and bool(re.search(
        r"比(?:去年|上年|上一年|(?:19|20)\d{2}年)(?:增加|减少|多|少|提高|下降|增长)$", text[max(0, q.prefix_begin - 8):q.prefix_begin]))


def _clause_end(text: str, s_end: int, q: Quantity) -> int:
    m = re.compile(r"[，,：:；;。]").search(text, q.end, s_end)
    return m.start() if m else s_end


def _clause_begin(text: str, s_begin: int, q: Quantity) -> int:
    """Where the clause holding q starts (after the last ，：; before it in its sentence)."""
    return max([s_begin] + [text.rfind(ch, s_begin, q.prefix_begin) + 1 for ch in "，,：:"])


def _year_for(q: Quantity, s_begin: int, years: list[tuple[int, int, bool]], tense_: str, default: int | None,
              pub: int | None, section: "tense.Decision | None", late: bool) -> int | None:
    """The nearest year expression before the number in its sentence, then in its block, then the
    year its section heading names; a report with none of these, in a review section or in a
    text published early in the year (before its statistics for the year can exist), is about the
    year before."""
    pos = q.prefix_begin
    in_sentence = [y for p, y, _ in years if s_begin <= p <= pos]
    in_block = [y for p, y, _ in years if p <= pos]
    for ys in (in_sentence, in_block):
        past = [y for y in ys if pub is None or y <= pub]
        if tense_ == "past" and past:
            return past[-1]
        fut = [y for y in ys if pub is None or y >= pub]
        if tense_ == "future" and fut:
            return fut[-1]
    if tense_ == "past" and pub:
        if section is not None and section.tense == "past":
            named = [int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年", section.cue)]
            return named[-1] if named else pub - 1
        return pub
    return default


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) >= 0.6


def _merge(cands: list[Candidate]) -> tuple[Target, ...]:
    """One Target per commitment: a title or heading that restates a body sentence, and body
    sentences that repeat each other word for word, become one Target with several mentions."""
    body = [c for c in cands if c.block_kind not in ("title", "heading")]
    heads = [c for c in cands if c.block_kind in ("title", "heading")]
    groups: list[list[Candidate]] = []

    def same_number(a: Target, b: Target) -> bool:
        return (a.value, a.min, a.max, a.unit) == (b.value, b.min, b.max, b.unit)

    for c in body:
        for g in groups:
            t = g[0].target
            if same_number(t, c.target) and (
                    (t.indicator_key == c.target.indicator_key and t.level == c.target.level)
                    or (t.concept is not None and t.concept == c.target.concept and t.year == c.target.year)
                    or (c.anaphoric and 0 <= c.sentence[0] - g[-1].sentence[0] <= 300)):
                g.append(c)                    # …建成投用38所公办园，计划投用的38所公办幼儿园将…
                break
        else:
            groups.append([c])
    for c in heads:
        same = [g for g in groups if same_number(g[0].target, c.target) and g[0].block_kind not in ("title", "heading")]
        similar = [g for g in same if _similar(g[0].target.indicator_key, c.target.indicator_key)]
        pick = similar[0] if similar else same[0] if len(same) == 1 else None
        if pick is not None:
            pick.append(c)                     # a headline restates the one body target with its number
        else:
            groups.append([c])
    out = []
    for g in sorted(groups, key=lambda g: min(m.begin for c in g for m in c.target.mentions)):
        primary = next((c for c in g if c.block_kind not in ("title", "heading")), g[0]).target
        mentions = tuple(sorted({m for c in g for m in c.target.mentions}, key=lambda m: (m.begin, m.end)))
        body = [c.target.indicator for c in g if c.block_kind != "title" and c.target.indicator]
        indicator = max(body or [c.target.indicator for c in g], key=len)   # a headline's wording is not the name
        area = primary.area if primary.area is not None else next((c.target.area for c in g if c.target.area is not None), None)
        out.append(replace(primary, indicator=indicator, mentions=mentions, area=area))
    # sub-targets refer to their parent by position; re-point them after sorting
    begin_to_index = {t.mentions[0].begin: i for i, t in enumerate(out)}
    for i, t in enumerate(out):
        if t.parent is not None:
            out[i] = replace(t, parent=begin_to_index.get(t.parent))
    return tuple(out)

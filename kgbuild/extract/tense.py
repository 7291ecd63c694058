"""Tense: is a number a promise (future) or a report (past)? Decided per number, from its own
clause first, with the section it sits in as a prior, never by one cue for a whole article.

Evidence, strongest first:
1. strong cues before the number in its own clause, then after it in that clause (与8个县区签订了),
   then earlier in its sentence (将, 要, 力争,
   目标 … against 已, 去年, 累计, 以来, a year before the article's year, a reporting period such
   as 1—10月). A past time (2023年, 去年) outweighs a later modal word (2023年…计划投资额…: a
   past plan; 去年将…纳入: 将 marks the object), not a later aspect (今年已新增200家 reports). A cue bound to another number (从去年的2.1%提高到2.3%: 去年 belongs to 2.1%) decides
   that number only. Reported speech about a plan (提出了今年的目标, 目标任务已经明确) is a plan:
   an announcing verb cancels the past aspect next to it. 完成年计划的95% reports a result;
2. the section: a heading's words (回顾, 执行情况 against 目标, 任务, 安排) and years (一、2018年工作回顾
   in a 2019 report); a neutral heading takes its previous sibling's frame (reviews narrate with
   plan words, 我们着力…确保…, so the section outweighs a modal word in the sentence before);
3. the tense the paragraph has settled on; a time expression (过去一年，…) settles it for the
   sentences that follow even against the section;
4. a number worded as a goal (6%左右, 不低于), which also makes the list after it a plan; then
   weak cues in the sentence (同比, 比上年, 获悉, 预计);
5. the genre the title announces, when its cues agree (2022年某省粮食总产达700亿斤, published in 2023), then
   以上/以内 on the number (reports say 达99%以上 too);
6. the paragraph before, then the article (a review published in November or December looks back).

Each decision carries the cue that made it, so the graph can say why (ptkg:tenseCue).
All word lists are data: data/lexicon/cues.tsv and sections.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Article, Block
from .lexicon import Lexicon
from .numbers import Quantity
from .segment import tokens

YEAR = re.compile(r"(?:(到|至|在|于|截至|截止)\s*)?((?:19|20)\d{2})\s*年(?:底|末|前|内)?(?![\d月])")
# the first years of a plan period: “十一五”前四年累计… looks back over 2006–2009 in a 2010 report
PERIOD_FIRST = re.compile(r"(“?十[一二三四五六]五”?)\s*(?:时期|期间)?\s*(?:的)?\s*前\s*([2-4二三四两])\s*年")


def first_years(m: re.Match, lex: Lexicon) -> tuple[int, int] | None:
    """The span PERIOD_FIRST names: (first year of the period, the n-th)."""
    end = lex.period_years.get(m.group(1).strip("“”")) or lex.period_years.get(m.group(1))
    if end is None:
        return None
    n = {"二": 2, "两": 2, "三": 3, "四": 4}.get(m.group(2)) or int(m.group(2))
    return end - 4, end - 5 + n


BRACKET = re.compile(r"[（(][^（()）]*[)）]")
PERIOD = re.compile(r"\d{1,2}\s*[—–\-－~～至到]\s*\d{1,2}\s*月")
SECTION_NUMBER = (re.compile(r"^\s*[一二三四五六七八九十]{1,3}[、.．]"), re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[)）]"),
                  re.compile(r"^\s*\d{1,2}[、.．](?!\d)"), re.compile(r"^\s*[（(]\d{1,2}[)）]"))
COMPARISON = ("比", "较", "同", "与", "比较", "相比")
GOAL_AFFIXES = ("左右", "不低于", "不少于", "至少", "力争", "确保")      # a number worded as a goal: 增长6%左右
CLASS_AFFIXES = ("以上", "以内", "以下", "不超过")                      # goal-like, but reports use them too: 达99%以上
PLAN_NAMES = ("项目", "单列", "单列市", "生育")   # 计划 inside a name: 科技计划项目, 计划单列市, 计划生育
ASPECT = ("已", "已经", "了", "已于")   # a past aspect reports, even after a plan's time (目前已开工5所)
STRONG = ("future", "past")
ESTIMATES = ("预计",)          # a forecast in a plan, an estimate of the outcome in a review: the context says which
WEAK = ("future-weak", "past-weak")


@dataclass(frozen=True)
class Cue:
    begin: int
    end: int
    cls: str               # future | past | future-weak | past-weak
    word: str
    bound: int | None = None   # begin of the one number this cue decides (去年的2.1%)
    anchored: bool = False     # a time expression (去年, 2018年, 过去一年, 以来), not a modal word
    aside: tuple[int, int] | None = None   # the brackets it stands in: it decides only numbers inside them
    obtain: bool = False       # 争取: a promise, or 'won' where the paragraph is anchored in the past


@dataclass(frozen=True)
class Decision:
    tense: str             # future | past
    cue: str               # what decided it: the cue word, or "§ heading", "paragraph", "article"
    anchored: bool = False     # decided by a time expression


def cues(text: str, begin: int, end: int, pub: int | None, lex: Lexicon, late: bool, qs: list[Quantity],
         heading: bool = False) -> list[Cue]:
    """The tense cues in the sentence text[begin:end], in order."""
    out: list[Cue] = []
    sentence = text[begin:end]
    # a token is a piece of the sentence: one without any cue word in it has no token to look up
    # (a quarter of the sentences), and is not segmented
    toks = tokens(sentence, lex) if _any_cue(lex).search(sentence) else ()
    words = [t.word for t in toks]
    skip: set[int] = set()
    for i, t in enumerate(toks):
        cls = lex.cues.get(t.word)
        if cls is None or i in skip:
            continue
        b, e = begin + t.begin, begin + t.end
        if cls == "future-early":
            if late:
                continue
            cls = "future"
        obtain = cls == "future-obtain"
        if obtain:
            cls = "future"
        if cls in ("goal", "plan"):
            cls = _goal(words, i, lex, after=cls == "goal")
            if cls is None:
                continue
        if cls == "announce":
            if i + 1 < len(toks) and words[i + 1] == "了":
                skip.add(i + 1)        # 提出了今年的目标: reported speech about a plan, not a past
            continue
        if cls not in STRONG + WEAK:
            continue
        if cls == "past" and i and words[i - 1] in COMPARISON:
            cls = "past-weak"          # 比上年增长: a comparison base; a report unless a promise says otherwise
        if cls == "past" and i + 1 < len(toks) and lex.cues.get(words[i + 1]) == "announce":
            continue                   # 目标任务已经明确：… announces a plan
        anchored = t.word in lex.relative_years or t.word.endswith(("以来", "年来")) or t.word in ("过去", "截至", "截止")
        out.append(Cue(b, e, cls, t.word, anchored=anchored, obtain=obtain))
    seen = {c.begin for c in out}
    long_cues, periods = _patterns(lex)
    for m in long_cues.finditer(text, begin, end):   # long cues the segmenter may split (一年 来 → 一年来)
        phrase, cls, b = m.group(0), lex.cues[m.group(0)], m.start()
        if b not in seen and not any(c.begin <= b < c.end for c in out) and not (late and cls == "future-early"):
            out.append(Cue(b, m.end(), "future" if cls == "future-early" else cls, phrase,
                           anchored=phrase.endswith(("以来", "年来"))))
    if pub:
        for m in periods.finditer(text, begin, end):
            y = lex.period_years[m.group(0)]
            if y - 4 < pub <= y and not m.group(0).endswith("末"):
                continue        # 实现了“十四五”良好开局 in 2022: a period under way names no time ahead or behind
            out.append(Cue(m.start(), m.end(), "past" if y < pub else "future", m.group(0), anchored=True))
        for m in PERIOD.finditer(text, begin, end):
            out.append(Cue(m.start(), m.end(), "past", m.group(0), anchored=True))   # 1—10月: a reporting period
        for m in PERIOD_FIRST.finditer(text, begin, end):
            span = first_years(m, lex)
            if span and span[1] < pub:                 # “十一五”前四年累计…: a look-back, however the period ends
                out = [c for c in out if not (m.start() <= c.begin < m.end())]
                out.append(Cue(m.start(), m.end(), "past", m.group(0), anchored=True))
        for m in YEAR.finditer(text, begin, end):
            y = int(m.group(2))
            before = text[max(begin, m.start() - 2):m.start()]
            if y < pub and not re.search(r"[比较与]$", before) and m.group(1) not in ("到", "至"):
                out.append(Cue(m.start(), m.end(), "past", m.group(0), anchored=True))
            elif y > pub or (heading and y == pub):
                out.append(Cue(m.start(), m.end(), "future", m.group(0), anchored=True))   # 二、2023年工作安排 opens a plan
    brackets = [(m.start(), m.end()) for m in BRACKET.finditer(text, begin, end)]
    return [_bracket(_bind(c, text, qs), brackets) for c in sorted(out, key=lambda c: (c.begin, c.end))]


def _bracket(c: Cue, brackets: list[tuple[int, int]]) -> Cue:
    """A cue inside brackets (…完成年计划的89%（主要是未达预期目标），增长2%) speaks for that aside only."""
    inside = next(((b, e) for b, e in brackets if b < c.begin and c.end <= e), None)
    return Cue(c.begin, c.end, c.cls, c.word, c.bound, c.anchored, inside) if inside else c


@lru_cache(maxsize=4)
def _any_cue(lex: Lexicon) -> re.Pattern[str]:
    """Any of the cue words (lex.cues), anywhere."""
    return re.compile("|".join(map(re.escape, sorted(lex.cues, key=len, reverse=True))))


@lru_cache(maxsize=4)
def _patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pattern for the long cue phrases, one for the named periods (longest first)."""
    long = sorted((w for w, c in lex.cues.items() if len(w) >= 3 and c in STRONG + WEAK + ("future-early",)),
                  key=len, reverse=True)
    periods = sorted(lex.period_years, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, long))), re.compile("|".join(map(re.escape, periods)))


@lru_cache(maxsize=4)
def _time_pattern(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(r"(?:19|20)\d{2}\s*年|全年|年内|上半年|下半年|\d{1,2}月|"
                      + "|".join(map(re.escape, sorted(lex.relative_years, key=len, reverse=True))))


def _goal(words: list[str], i: int, lex: Lexicon, after: bool) -> str | None:
    """A plan noun promises (主要预期目标是：…) unless a completion verb near it reports on it
    (完成年计划的95%, 年度任务全面完成) or it names a plan made before (年初确定的目标)."""
    if not after and i + 1 < len(words) and words[i + 1] in PLAN_NAMES:
        return None                           # 国家科技计划项目, 计划单列市: part of a name, not a plan
    if "占" in words[max(0, i - 4):i]:
        return "past"                         # 占年度任务的62%: a share of the task done reports progress
    complete = _complete(lex)
    for j in range(max(0, i - 5), min(len(words), i + 4) if after else i):
        if j != i and any(v in words[j] for v in complete):      # 完成, 全面完成, 超额完成
            if not any(lex.cues.get(w) in ("future", "future-obtain") for w in words[max(0, j - 2):j]):
                return "past"                 # (确保完成目标任务 stays a promise)
    if i >= 2 and words[i - 1] == "的" and lex.cues.get(words[i - 2]) == "announce" or \
            i >= 3 and words[i - 2] == "的" and lex.cues.get(words[i - 3]) == "announce":
        return None
    return "future"


@lru_cache(maxsize=4)
def _complete(lex: Lexicon) -> list[str]:
    """The completion verbs (lex.cues' complete), in the lexicon's order."""
    return [w for w, c in lex.cues.items() if c == "complete"]


OWN = re.compile(r"\s*(?:同期)?的\s*")      # 去年的, 去年同期的: what joins a time to its number (_bind)


def _bind(c: Cue, text: str, qs: list[Quantity]) -> Cue:
    """A year-like past cue right before a number (去年的2.1%, 2018年的5%) is that number's own."""
    if c.cls != "past":
        return c
    for q in qs:
        if q.prefix_begin >= c.end and OWN.fullmatch(text, c.end, q.prefix_begin):
            return Cue(c.begin, c.end, c.cls, c.word, q.begin, c.anchored)
    return c


def _goal_worded(q: Quantity, affixes: tuple[str, ...]) -> str | None:
    return q.suffix if q.suffix in affixes else q.prefix if q.prefix in affixes else None


def _modal_in_the_past(c: Cue, strong: list[Cue], times: list[int]) -> Decision:
    """c decides, unless it is a modal word (将, 计划) after a past time with no other time between
    (2023年，…计划投资额2529亿元: a plan of the past; 去年将…纳入: 将 marks the object). A later
    aspect marker keeps its word (今年已新增200家 reports); 2019年上半年…全年计划完成 starts afresh."""
    if c.cls == "future" and not c.anchored:
        past = [p for p in strong if p.cls == "past" and p.anchored and p.end <= c.begin]
        if past and not any(past[-1].end <= t < c.begin for t in times):
            return Decision("past", past[-1].word, True)
    return Decision(c.cls, c.word, c.anchored)


def _obtained(c: Cue, paragraph: Decision | None, times: list[int]) -> Decision | None:
    """争取 in a paragraph anchored in the past, with no time of its own before it, reports what was
    won (2017年…取得了丰硕成果。争取国家科技计划项目713项，资金6.64亿元)."""
    if c.obtain and paragraph is not None and paragraph.tense == "past" and paragraph.anchored \
            and not any(t < c.begin for t in times):
        return paragraph
    return None


def times_in(text: str, begin: int, end: int, lex: Lexicon) -> list[int]:
    """Where the sentence names a time (any year, 今年, 全年, 上半年, a month): each one ends the
    reach of the past time before it."""
    return [m.start() for m in _time_pattern(lex).finditer(text, begin, end)]


def decide(q: Quantity, clause_begin: int, sentence: list[Cue], paragraph: Decision | None,
           section: Decision | None, headline: Decision | None, carried: Decision | None,
           article: Decision, mates: list[Quantity] = (), times: list[int] = (), clause_end: int = 0) -> Decision:
    """mates: the quantities of the sentence (one worded as a goal makes the list that follows a
    plan); times: where the sentence names a time (times_in); clause_end: where q's clause ends."""
    sentence = [c for c in sentence if c.aside is None or c.aside[0] < q.begin < c.aside[1]]
    usable = [c for c in sentence if c.begin < q.prefix_begin + len(q.prefix) and c.bound in (None, q.begin)]
    strong = [c for c in usable if c.cls in STRONG]
    own = [c for c in strong if c.begin >= clause_begin]
    if own:
        return _obtained(own[-1], paragraph, times) or _modal_in_the_past(own[-1], strong, times)
    after = [c for c in sentence if c.cls in STRONG and q.end <= c.begin < clause_end and c.bound is None]
    if after:                                  # 与8个县区签订了责任书: the clause's verb comes after the number
        return Decision(after[0].cls, after[0].word, after[0].anchored)
    own_goal = _goal_worded(q, GOAL_AFFIXES)
    frame = paragraph if paragraph is not None and paragraph.anchored else section or paragraph
    mate_goal = next((w for m in mates if m.end <= q.prefix_begin and (w := _goal_worded(m, GOAL_AFFIXES))), None)
    ahead = next((c for c in strong if c.anchored and c.cls == "future"), None)
    if strong and strong[-1].cls == "past" and not any(c.anchored and c.cls == "past" for c in strong) \
            and (own_goal or mate_goal or ahead or (frame is not None and frame.tense == "future")):
        # 创新驱动取得全新成就，研发支出占比达到3.4%左右: a past word in another clause, with no
        # past time, does not outweigh a number worded as a goal, a future time before it (到2025年，…
        # 取得全新突破，…森林覆盖率提高到41.65%) or the plan frame it stands in
        if own_goal or mate_goal:
            return Decision("future", own_goal or mate_goal)
        return Decision("future", ahead.word, True) if ahead else frame
    if strong:
        return _obtained(strong[-1], paragraph, times) or _modal_in_the_past(strong[-1], strong, times)
    if own_goal and (section is None or section.tense == "future"):
        return Decision("future", own_goal)    # 去年物价涨幅1.9%。把物价涨幅控制在3%左右，有利于…: the number is worded as a goal
    if paragraph is not None and paragraph.anchored:
        return paragraph                       # 过去一年，…。地区生产总值增长8.1%。 in a plan section
    if section is not None:
        return section
    if paragraph is not None:
        return paragraph
    anchor = [c for c in sentence if c.cls in STRONG and c.anchored and c.begin >= q.end and c.bound is None]
    if anchor:                                 # “…提高到71.5%……”在全市2021年工作成效发布会上
        return Decision(anchor[0].cls, anchor[0].word, True)
    goal = _goal_worded(q, GOAL_AFFIXES) or next(
        (w for m in mates if m.end <= q.prefix_begin and (w := _goal_worded(m, GOAL_AFFIXES))), None)
    if goal:                                   # 增长5.5%左右，新增城镇就业岗位2万个以上 (against 同比)
        return Decision("future", goal)
    weak = [c for c in usable if c.cls in WEAK]
    if weak and weak[-1].word in ESTIMATES and (context := carried or headline) is not None and context.tense == "past":
        return context                         # …。研发经费占比预计达到3.2%。 in a review: an estimate of what was done
    if weak:
        return Decision(weak[-1].cls.split("-")[0], weak[-1].word)
    later = [c for c in sentence if c.cls in WEAK and c.begin >= q.end and c.bound in (None, q.begin)]
    if later:                                  # 全县生产总值达到320亿元，比上年增长6%: the sentence reports
        return Decision(later[0].cls.split("-")[0], later[0].word)
    if headline is not None:
        return headline                        # 2022年某省粮食总产达700亿斤: a results report throughout
    if (w := _goal_worded(q, CLASS_AFFIXES)):
        return Decision("future", w)
    return carried or article


def headline(article: Article, pub: int | None, lex: Lexicon, late: bool) -> Decision | None:
    """The genre the title announces, when all its strong cues agree: a results report
    (2022年某省粮食总产达700亿斤, in 2018) or a plan (今年力争新增养老床位1200张)."""
    title = next((b for b in article.blocks if b.kind == "title"), None)
    if title is None:
        return None
    found = [c for c in cues(article.text, title.begin, title.end, pub, lex, late, []) if c.cls in STRONG]
    if not found or len({c.cls for c in found}) > 1:
        return None
    return Decision(found[0].cls, "title: " + found[0].word, found[0].anchored)


def settle(sentence: list[Cue], previous: Decision | None, times: list[int] = ()) -> Decision | None:
    """The tense a sentence leaves for the next one in its paragraph: its last strong cue."""
    strong = [c for c in sentence if c.cls in STRONG and c.bound is None]
    if not strong:
        return previous
    last = strong[-1]
    if (kept := _obtained(last, previous, list(times))) is not None:
        return kept
    if previous is not None and previous.tense == "future" and previous.anchored and \
            all(c.cls == "past" and not c.anchored and c.word not in ASPECT for c in strong):
        return previous        # 到2025年，…；创新驱动取得全新成就，…；生态环境得到改善，森林覆盖率提高到41.65%
    d = _modal_in_the_past(last, strong, list(times))
    if d.tense != last.cls:
        return d
    run = [c for c in strong[::-1]]
    run = run[:next((k for k, c in enumerate(run) if c.cls != last.cls), len(run))]
    anchor = next((c for c in run if c.anchored), None)     # 过去一年，…取得了…: 过去 anchors the past
    return Decision(last.cls, (anchor or last).word, anchor is not None)


def _rank(line: str, block: Block) -> int | None:
    """How deep a heading sits: 一、 1, （一） 2, 1、 3, (1) 4; a Markdown heading 1; None for a
    line that is no heading (a sentence, or a list item that goes on after its lead)."""
    for r, pat in enumerate(SECTION_NUMBER, 1):
        if pat.match(line):
            return r if len(line) <= 40 and not re.search(r"[。；;！？!?]", line[:-1]) else None
    return 1 if block.kind == "heading" else None


def _frame(line: str, pub: int | None, lex: Lexicon, numbered: bool) -> str | None:
    score, worded = 0, False
    for w, (cls, weight) in lex.sections.items():
        if w in line:
            score += weight if cls == "future" else -weight
            worded = True
    if pub and (worded or numbered):          # a bare 十三五 heading is a label, not a section frame
        for m in YEAR.finditer(line):
            score += 1 if int(m.group(2)) >= pub else -1
        for phrase, y in lex.period_years.items():
            if phrase in line:
                score += 1 if y >= pub else -1
                break
    return "future" if score > 0 else "past" if score < 0 else None


def sections(article: Article, pub: int | None, lex: Lexicon) -> dict[int, Decision | None]:
    """For each block (by index), the frame of the section it sits in."""
    text = article.text
    frames: dict[int, Decision | None] = {}   # rank → frame of the latest heading at that rank
    last: dict[int, Decision | None] = {}
    out: dict[int, Decision | None] = {}
    for i, b in enumerate(article.blocks):
        line = text[b.begin:b.end].strip()
        rank = _rank(line, b) if b.kind in ("heading", "item", "paragraph") else None
        if rank is not None:
            f = _frame(line, pub, lex, numbered=b.kind != "heading" or any(p.match(line) for p in SECTION_NUMBER))
            d = Decision(f, "§ " + line[:30]) if f else last.get(rank)
            for r in [r for r in frames if r >= rank]:
                del frames[r]
            frames[rank] = d
            last[rank] = d
            for r in [r for r in last if r > rank]:
                del last[r]
        current = [frames[r] for r in sorted(frames) if frames[r] is not None]
        out[i] = current[-1] if current else None
    return out

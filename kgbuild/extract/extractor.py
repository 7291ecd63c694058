"""Stage 3 — extract: Article → Extraction (targets, observations, focus areas, places, names).

How a quantity becomes a target, in order:
1. numbers.find_quantities finds every number with a measure word;
2. filters drop ordinals, numbers inside quotes and names, enumerations (等19条), baselines
   (从/由…), attributive figures (总投资25亿元的…);
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
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Article, Extraction, Observation, Target
from . import clauses, concepts, entities, filters, genre, places, script, structure, tense, years
from .lexicon import Lexicon
from .numbers import Quantity, find_quantities

SENTENCE = re.compile(r"[^。；！？;!?]+[。；！？;!?]*")
HEADLINE = re.compile(r"[^。；！？;!?\s\u3000]+(?:[ \u3000](?=[\d%％])[^。；！？;!?\s\u3000]*)*[。；！？;!?]*")
CONNECTIVE = re.compile(r"\s*(?:同时|此外|另外|与此同时|另一方面|并且|而且|其中)[，,]")
QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’", "【": "】", '"': '"'}


@dataclass(frozen=True)
class Candidate:
    target: Target
    tense: str            # future | past
    block_kind: str       # title | heading | paragraph | item
    sentence: tuple[int, int]
    anaphoric: bool = False   # 计划开放的12所图书馆: refers back to a number already stated


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
    (明年底污水收集率要达85% 全市污水治理现场会召开)."""
    pattern = HEADLINE if title else SENTENCE
    return [(begin + m.start(), begin + m.end()) for m in pattern.finditer(text[begin:end]) if m.group(0).strip()]


def sentence_around(text: str, begin: int, end: int) -> tuple[int, int]:
    """The sentence (ended by 。；！？ or a line end, as SENTENCE cuts them) that holds text[begin:end]."""
    starts, stops = _marks(text)
    k = bisect_left(starts, begin)              # the last 。；！？;!? or line end before BEGIN
    start = (starts[k - 1] if k else -1) + 1
    while start < begin and text[start] in " \t\u3000":
        start += 1
    k = bisect_left(stops, max(end - 1, begin))  # the first 。；！？;!? from END - 1 on
    line = text.find("\n", end)
    stop = stops[k] + 1 if k < len(stops) else len(text)
    if line >= 0:
        stop = min(stop, line)
    return start, max(stop, end)


_STARTS, _STOPS = re.compile("[。；！？;!?\n]"), re.compile("[。；！？;!?]")


@lru_cache(maxsize=4)
def _marks(text: str) -> tuple[list[int], list[int]]:
    """Where TEXT's sentences may start after (。；！？;!? and line ends) and stop (the same but line
    ends), in order: sentence_around is asked about every target and observation of an article, and
    finding each mark from the span on scanned the rest of the text for every one of them."""
    return [m.start() for m in _STARTS.finditer(text)], [m.start() for m in _STOPS.finditer(text)]


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
    titled = max((y for y in map(int, re.findall(r"((?:19|20)\d{2})\s*年(?![\d—–\-－~～至到])", article.title))
                  if pub and y < pub), default=None)     # 2022年…统计公报, published in 2023
    candidates: list[Candidate] = []
    late = bool(article.date and article.date.month >= 11)      # a year-end review looks back
    whole = tense.Decision("past", "article: year-end review") if late else tense.Decision("future", "article")
    kind = genre.classify(article, pub, lex)
    if kind.reports:                          # a progress or results report: what nothing else decides was done
        whole = tense.Decision("past", kind.label)
    frames = tense.sections(article, pub, lex)
    headline = tense.headline(article, pub, lex, late) or (whole if kind.reports else None)
    carried: tense.Decision | None = None     # what the previous paragraph settled on (weak)
    carried_years: list[int] = []             # the years that paragraph names (一年来 in a spring report: the year before)
    chain: tense.Decision | None = None       # what a lead ending in a colon passes to its list
    for bi, block in enumerate(article.blocks):
        if block.credit:
            continue
        quoted = _quoted(text, block.begin, block.end)
        second_half = bool(article.date and article.date.month > 6)
        block_years = years.years_in(text, block.begin, block.end, pub, lex, second_half)
        block_periods = years.periods_in(text, block.begin, block.end, pub, lex, second_half)
        section = frames.get(bi) if block.kind != "title" else None
        paragraph = chain if block.kind == "item" else None
        if block.kind == "paragraph" and CONNECTIVE.match(text, block.begin):
            paragraph = carried                # 同时，…均达100%: goes on with the paragraph before
        for s_begin, s_end in _sentences(text, block.begin, block.end, title=block.kind == "title"):
            found = find_quantities(text, lex, s_begin, s_end)
            qs = [q for q in found if not filters.skip(text, q, quoted, lex) and not filters.qualifies_next(text, q, found)]
            cues = tense.cues(text, s_begin, s_end, pub, lex, late, found, heading=block.kind in ("heading", "item"))
            items = filters.drop_scope(clauses.analyse(text, s_begin, s_end, qs, lex), lex)
            times = tense.times_in(text, s_begin, s_end, lex)
            for it in items:
                q = it.quantity
                body = block.kind != "title"
                d = tense.decide(q, _clause_begin(text, s_begin, q), cues, paragraph, section,
                                 headline if body else None, carried if body else None, whole, qs, times,
                                 _clause_end(text, s_end, q))
                year = years.year_for(q, s_begin, block_years, d.tense, default_year, pub, section,
                                      carried_years if d is carried else (), titled)
                span = years.period_for(q, block_years, block_periods, section if section and section.tense == d.tense else None,
                                        pub, lex, average=it.aggregation == "annualAverage",
                                        s_begin=s_begin, text=text)
                if span is not None:
                    year = span[1]
                area = structure.area_at(areas, q.begin) if block.kind != "title" else None
                t = Target(indicator=it.indicator, indicator_key=it.indicator_key, comparator=it.comparator,
                           value=q.value, min=q.min, max=q.max, unit=q.unit,
                           kind=it.kind, year=year, level=it.level, area=area, mentions=(it.mention,),
                           relative_to=it.relative_to, parent=it.parent, cue=d.cue,
                           concept=None if places.names_another(it.indicator, place) else concepts.concept_of(it.indicator, q.unit),
                           approximate=q.suffix == "左右" or q.prefix in ("约", "大约", "近")
                           or text[q.prefix_begin - 1:q.prefix_begin] == "约",
                           period_start=span[0] if span else None, aggregation=it.aggregation,
                           baseline=filters.stated_baseline(text, q))
                if d.tense == "future" and filters.change_only(text, q):
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
        if paragraph is not None and paragraph is not carried:
            carried_years = [y for _, y, _ in block_years]
        carried = paragraph or carried
    targets = _merge([c for c in candidates if c.tense == "future" and c.target.indicator])
    observations = tuple(_observation(c.target, places.names_another(c.target.indicator, place))
                         for c in candidates if c.tense == "past" and c.target.indicator)
    return Extraction(article=article, place=place, places=mentioned, areas=areas, targets=targets, genre=kind.kind,
                      observations=observations, programs=entities.programs(article, lex),
                      organizations=entities.organizations(article, lex), events=entities.events(article))


FLIP = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}


def _observation(t: Target, other_place: bool = False) -> Observation:
    """A reported value. A fall of what the scheme measures as a rise is that rise, negative:
    固定资产投资下降3.1% is the growth of fixed-asset investment, −3.1 % (concepts.rise_of_fall);
    the evidence keeps the words as written."""
    indicator, key, concept, comparator = t.indicator, t.indicator_key, t.concept, t.comparator
    value, low, high = t.value, t.min, t.max
    rise = concepts.rise_of_fall(t.indicator, t.unit) if t.concept is None and not other_place else None
    if rise is not None:
        indicator, concept = rise
        key = indicator
        comparator = FLIP.get(comparator, comparator)
        value, low, high = (None if value is None else -value), (None if high is None else -high), (None if low is None else -low)
    return Observation(indicator=indicator, indicator_key=key, comparator=comparator, value=value, min=low, max=high,
                       unit=t.unit, kind=t.kind, year=t.year, mention=t.mentions[0], cue=t.cue, concept=concept,
                       period_start=t.period_start, aggregation=t.aggregation)


CLAUSE_MARK = re.compile(r"[，,：:；;。]")


def _clause_end(text: str, s_end: int, q: Quantity) -> int:
    m = CLAUSE_MARK.search(text, q.end, s_end)
    return m.start() if m else s_end


def _clause_begin(text: str, s_begin: int, q: Quantity) -> int:
    """Where the clause holding q starts (after the last ，：; before it in its sentence)."""
    return max([s_begin] + [text.rfind(ch, s_begin, q.prefix_begin) + 1 for ch in "，,：:"])


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) >= 0.6


def _shared_name(a: str, b: str, n: int = 4) -> bool:
    """The two phrases share a run of n characters or more that is most (3/5) of the shorter one
    (地区生产总值 in a headline and a body; not 进出口额 alone in 跨境电商进出口额 and 保税中心进出口额)."""
    short, long_ = sorted((a, b), key=len)
    need = max(n, -(-3 * len(short) // 5))
    return any(short[i:i + need] in long_ for i in range(len(short) - need + 1))


PEOPLE = {"名": "人", "位": "人"}    # measure words that count people


def _merge(cands: list[Candidate]) -> tuple[Target, ...]:
    """One Target per commitment: a title or heading that restates a body sentence, and body
    sentences that repeat each other word for word, become one Target with several mentions."""
    body = [c for c in cands if c.block_kind not in ("title", "heading")]
    heads = [c for c in cands if c.block_kind in ("title", "heading")]
    groups: list[list[Candidate]] = []

    def same_number(a: Target, b: Target) -> bool:        # 400名 and 400人 count the same people
        return (a.value, a.min, a.max, PEOPLE.get(a.unit, a.unit)) == (b.value, b.min, b.max, PEOPLE.get(b.unit, b.unit))

    for c in body:
        for g in groups:
            t = g[0].target
            if same_number(t, c.target) and (
                    (t.indicator_key == c.target.indicator_key and t.level == c.target.level
                     and t.aggregation == c.target.aggregation)       # 年均增长5% is not 增长5%
                    or (t.concept is not None and t.concept == c.target.concept and t.year == c.target.year
                        and t.aggregation == c.target.aggregation)
                    or (c.anaphoric and 0 <= c.sentence[0] - g[-1].sentence[0] <= 300)
                    or (t.unit not in ("%", None) and t.year == c.target.year
                        and all(m.sentence != c.sentence for m in g)      # a restatement, not a list's next item
                        and _shared_name(t.indicator_key, c.target.indicator_key))):
                g.append(c)                    # …建成开放12所社区图书馆，计划开放的12所图书馆将…
                break
        else:
            groups.append([c])
    for c in heads:
        same = [g for g in groups if same_number(g[0].target, c.target) and g[0].block_kind not in ("title", "heading")]
        similar = [g for g in same if _similar(g[0].target.indicator_key, c.target.indicator_key)
                   or _shared_name(g[0].target.indicator_key, c.target.indicator_key)]
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

"""Indicator identity: an extracted indicator phrase → the concept it measures (data/lexicon/indicators.ttl).

In: the stated indicator (物价总水平涨幅控制在, 拟安排赤字) and its unit. Out: the IRI of a
concept of the scheme, or None (the phrase stays a concept of its own). The concepts' wordings are
the scheme's labels plus data/lexicon/indicator_labels.tsv. The phrase loses its
predicate words first (控制在, 预期目标为, 拟安排); a phrase equal to a wording takes its concept.
Otherwise it maps by what it measures (data/lexicon/indicator_grammar.tsv): its measure head (增长,
增速, 增幅 and 涨幅 are one rise; 下降, 降低, 降幅 one fall; no head is a level), and its noun with the
variants of a noun folded (地区生产总值 = 国内生产总值 = GDP) and scope words gone (全市, 全社会). A
concept takes it when one of its wordings has the same head and a noun the phrase's noun ends with,
and every selecting modifier of the phrase (人均, 农村, 中央, 税收 …) is in that wording too; the
longest noun wins (中央财政赤字 is not 财政赤字; 人均地区生产总值增长 is not 地区生产总值增长). The
units must agree (a % concept takes no 亿元 figure; 万吨 fits a concept in 吨).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from .. import paths

PTKG = Namespace("https://w3id.org/ptkg/ns#")
LEAD = re.compile(r"^(?:拟安排|拟|安排|全年|今年|全国|全省|全市|全区|全县|我国|我省|我市|其中|力争|确保|预计|预期)+")
TAIL = re.compile(r"(?:的?目标(?:拟定|确定)?(?:为|是)?|预期|控制在|稳定在|保持在|下降到|下降至|提高到|提高至|"
                  r"回落到|回落至|达到|达|为|在|左右|以上|以内)+$")
MONEY = ("元", "千元", "万元", "百万元", "亿元", "万亿元", "美元", "万美元", "亿美元", "欧元", "万欧元", "亿欧元")
PLACE = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:省|市|县|区|州|盟|旗|镇|乡)(?:全市|全省|全县|全区|本级)?")
PREFIX = re.compile(r"^(?:万亿|亿|万)(?=.)")
FAMILY = {"度": "千瓦时", "公顷": "亩", "平方公里": "亩", "平方千米": "亩", "公斤": "吨", "千克": "吨", "斤": "吨",
          "人次": "人", "%": "%", "个百分点": "%"}   # units measuring the same thing as a concept's unit kind


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str               # zh prefLabel
    direction: str | None    # floor | ceiling | band
    unit: str | None         # % | 人 | 亿元 | None (any)


@lru_cache(maxsize=1)
def scheme() -> tuple[dict[str, Concept], dict[str, str]]:
    """(IRI → Concept, normalised label → IRI) from data/lexicon/indicators.ttl."""
    g = graph()
    concepts, labels = {}, {}
    for c in sorted(g.subjects(RDF.type, SKOS.Concept)):
        pref = next((str(l) for l in g.objects(c, SKOS.prefLabel) if l.language == "zh"), None)
        d = g.value(c, PTKG.desiredDirection)
        u = g.value(c, PTKG.unitKind)
        concepts[str(c)] = Concept(str(c), pref, str(d).rsplit("#", 1)[-1] if d else None, str(u) if u else None)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for lbl in g.objects(c, prop):
                if lbl.language == "zh":
                    labels[normalise(str(lbl))] = str(c)
    base = "https://w3id.org/ptkg/indicator/"
    for n, line in enumerate((paths.lexicon_dir() / "indicator_labels.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            slug, wording = (c.strip() for c in line.split("\t")[:2])
            if base + slug not in concepts:
                raise ValueError(f"indicator_labels.tsv:{n}: no concept {slug!r} in indicators.ttl")
            labels[normalise(wording)] = base + slug
    return concepts, labels


def wordings(iri: str) -> tuple[str, ...]:
    """Every wording that maps to the concept (the lexicon file's too), for the graph's skos:altLabel."""
    return tuple(sorted(w for w, c in scheme()[1].items() if c == iri))


@lru_cache(maxsize=1)
def graph() -> Graph:
    """The concept scheme as published: indicators.ttl (the mapping writes the concepts an article uses)."""
    return Graph().parse(paths.lexicon_dir() / "indicators.ttl", format="turtle")


def normalise(phrase: str) -> str:
    s = re.sub(r"[（(][^）)]*[）)]|[\s“”\"‘’《》、，,]", "", phrase)
    return s.upper()


def core(phrase: str) -> str:
    """The indicator without its predicate words: 物价涨幅控制在 → 物价涨幅."""
    m = re.search(r"[（(]其中([^）)]+)[）)]$", phrase)
    if m:
        phrase = m.group(1)                 # 赤字（其中本级赤字） → the sub-target's own name
    s = re.sub(r"预期|预计", "", normalise(phrase))          # M2余额预期增长 → M2余额增长
    for _ in range(3):
        s = TAIL.sub("", LEAD.sub("", s))
    return s


def _base(unit: str) -> str:
    u = PREFIX.sub("", unit) if unit not in ("万元", "亿元", "万亿元") else unit
    return FAMILY.get(u, u)


def _unit_fits(concept: Concept, unit: str | None) -> bool:
    if concept.unit is None or unit is None:
        return True
    if concept.unit in MONEY:
        return unit in MONEY
    return _base(unit) == _base(concept.unit)


@lru_cache(maxsize=1)
def grammar() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    """(heads, nouns, scopes, selectors) from data/lexicon/indicator_grammar.tsv, longest words first."""
    parts: dict[str, list] = {"head": [], "noun": [], "scope": [], "selector": []}
    for n, line in enumerate((paths.lexicon_dir() / "indicator_grammar.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] not in parts or len(cells) < 2:
            raise ValueError(f"indicator_grammar.tsv:{n}: not a head, noun, scope or selector line")
        parts[cells[0]].append((normalise(cells[1]), cells[2].strip() if len(cells) > 2 else ""))
    by_len = lambda xs: tuple(sorted(xs, key=lambda x: (-len(x[0]), x)))  # noqa: E731
    return (by_len(parts["head"]), by_len(parts["noun"]), tuple(w for w, _ in by_len(parts["scope"])),
            tuple(w for w, _ in by_len(parts["selector"])))


def measure(phrase: str) -> tuple[str, str]:
    """(noun, head) of a phrase without its predicate words: 全市地区生产总值增速 → (生产总值, +);
    一般公共预算收入增幅 → (一般公共预算收入, +); 森林覆盖率 → (森林覆盖率, '')."""
    heads, nouns, scopes, _ = grammar()
    s, head = phrase, ""
    for w, cls in heads:
        if s.endswith(w) and len(s) > len(w):
            s, head = s[:-len(w)], cls
            break
    for _ in range(2):
        for w, canon in nouns:
            s = s.replace(w, canon)
        changed = True
        while changed:
            changed = False
            for w in scopes:
                if s.startswith(w) and len(s) > len(w):
                    s, changed = s[len(w):], True
    return s.rstrip("的"), head


def selectors(noun: str) -> frozenset[str]:
    return frozenset(w for w in grammar()[3] if w in noun)


@lru_cache(maxsize=1)
def _by_measure() -> dict[str, tuple[tuple[str, frozenset[str], str], ...]]:
    """head → (noun, its selectors, concept IRI) of every wording, longest noun first."""
    out: dict[str, set] = {}
    for label, iri in scheme()[1].items():
        noun, head = measure(core(label) or label)
        if len(noun) >= 2:
            out.setdefault(head, set()).update([(noun, selectors(noun), iri)])
    return {h: tuple(sorted(v, key=lambda x: (-len(x[0]), x[0], x[2]))) for h, v in out.items()}


def candidates(phrase: str) -> list[str]:
    """The concepts a phrase measures, best first (a wording it equals; then by head and noun)."""
    concepts, labels = scheme()
    s = core(phrase)
    if not s:
        return []
    out = [labels[s]] if s in labels else []
    noun, head = measure(s)
    if len(noun) < 2:
        return out
    sel = selectors(noun)
    for lnoun, lsel, iri in _by_measure().get(head, ()):
        if noun.endswith(lnoun) and sel <= lsel and iri not in out and _neutral(noun[:-len(lnoun)]):
            out.append(iri)
    return out


def _neutral(extra: str) -> bool:
    """What a phrase's noun holds before a wording's noun names where, not what: nothing, or a
    place (泉州市地区生产总值增长); 跨境电商进出口额 is not 出口额, 机电产品出口 not 出口."""
    for w in grammar()[2]:
        if extra.endswith(w):
            extra = extra[:-len(w)]          # 鲤城区全社会用电量: a place, then a scope word
    return not extra or bool(PLACE.fullmatch(extra))


@lru_cache(maxsize=65536)
def concept_of(phrase: str, unit: str | None) -> str | None:
    concepts = scheme()[0]
    return next((c for c in candidates(phrase) if _unit_fits(concepts[c], unit)), None)


@lru_cache(maxsize=65536)
def rise_of_fall(phrase: str, unit: str | None) -> tuple[str, str] | None:
    """A fall stated for what the scheme measures only as a rise: (the rise's phrase, its concept).
    固定资产投资下降3.1% reports the growth of fixed-asset investment, −3.1 %: the scheme has
    固定资产投资增长 and no fall of it. None when the phrase is no fall, or a concept of the fall
    exists (单位地区生产总值能耗下降 is measured as a fall), or no rise concept takes the noun."""
    if unit != "%" or concept_of(phrase, unit) is not None:
        return None
    s = core(phrase)
    heads = grammar()[0]
    word = next((w for w, cls in heads if s.endswith(w) and len(s) > len(w)), None)
    if word is None or dict(heads)[word] != "-":
        return None
    rise = phrase[:phrase.rfind(word)] + "增长"
    c = concept_of(rise, unit)
    return (rise, c) if c is not None else None

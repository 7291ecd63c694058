"""Indicator identity: an extracted indicator phrase → the concept it measures (data/lexicon/indicators.ttl).

In: the stated indicator (物价总水平涨幅控制在, 拟安排赤字) and its unit. Out: the IRI of a
concept of the scheme, or None (the phrase stays a concept of its own). The concepts' wordings are
the scheme's labels plus data/lexicon/indicator_labels.tsv. The phrase loses its
predicate words first (控制在, 预期目标为, 拟安排); then it must equal one of a concept's labels, or
end with one (the longest wins: 中央财政赤字 is not 财政赤字); the units must agree (a % concept
takes no 亿元 figure).
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
MONEY = ("元", "万元", "亿元", "万亿元", "美元", "万美元", "亿美元")


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


def _unit_fits(concept: Concept, unit: str | None) -> bool:
    if concept.unit is None or unit is None:
        return True
    if concept.unit == "亿元":
        return unit in MONEY
    if concept.unit == "%":
        return unit in ("%", "个百分点")
    return unit == concept.unit


@lru_cache(maxsize=65536)
def concept_of(phrase: str, unit: str | None) -> str | None:
    concepts, labels = scheme()
    s = core(phrase)
    if not s:
        return None
    hit = labels.get(s)
    if hit is None:
        ends = [lbl for lbl in labels if len(lbl) >= 2 and s.endswith(lbl)]
        hit = labels[max(ends, key=len)] if ends else None
    return hit if hit is not None and _unit_fits(concepts[hit], unit) else None

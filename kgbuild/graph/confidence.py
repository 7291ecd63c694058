"""Confidence: how sure the build is of a Target or an Observation, from the evidence that decided it.

In: one extracted statement (model.Target or model.Observation, which record the cue that decided
their tense, their concept, comparator and year) and the article text. Out: a score in 0–1 and the
reasons it is below 1 (English, shown on pages and in the review queue). The weights are data:
data/lexicon/confidence.yaml. graph.mapping publishes them (ptkg:confidence, ptkg:confidenceNote);
SHACL warnings and the verdict's basis are folded in later (`with_warning`, `of_verdict`).

The formula: start × one factor per piece of weak evidence, rounded to two places:
- the tense cue: its own clause (strong word) > a weak word or a goal wording > the section or the
  paragraph > the title's genre > nothing but the article;
- the indicator maps to no concept of the scheme; it is stated in two characters or fewer, or
  holds a digit (a bare verb such as 建成 is rarely the whole indicator);
- no comparator word (a plain figure: the comparator is inferred);
- the sentence names no year (the year is inferred from the article);
- a figure with no unit;
- a SHACL warning on the node;
- a verdict: the lower of the target's and the judged outcome's, times a factor when it rests on
  a single reported value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import yaml

from .. import paths
from ..extract import lexicon

TWO = Decimal("0.01")
STRONG = ("future", "past", "future-early", "plan", "goal", "complete", "announce")
WEAK = ("future-weak", "past-weak")
GOAL_WORDS = ("左右", "不低于", "不少于", "至少", "以上", "以内", "以下", "不超过", "确保", "力争")
YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


@dataclass(frozen=True)
class Confidence:
    score: Decimal                      # 0–1, two decimal places
    notes: tuple[str, ...]              # why it is below 1, in words


@lru_cache(maxsize=1)
def weights() -> dict:
    return yaml.safe_load((paths.lexicon_dir() / "confidence.yaml").read_text(encoding="utf-8"))


def cue_strength(cue: str) -> str:
    """clause | weak | section | title | article: where the cue that decided the tense came from."""
    cue = (cue or "").strip()
    if not cue or cue == "article":
        return "article"
    if cue.startswith("title:"):
        return "title"
    if cue.startswith("§") or cue == "paragraph":
        return "section"
    cls = lexicon.load().cues.get(cue)
    if cls in WEAK or (cls is None and cue in GOAL_WORDS):
        return "weak"
    return "clause"


CUE_NOTE = {"weak": "a weak tense cue or a goal wording decided it", "section": "its section or paragraph decided the tense",
            "title": "only the title's genre decided the tense", "article": "nothing in its sentence or section decided the tense"}


def _round(d: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), d)).quantize(TWO, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=256, typed=True)
def _factor(weight) -> Decimal:
    """Decimal(str(WEIGHT)), made once for each weight of confidence.yaml (of_statement multiplies by several a statement)."""
    return Decimal(str(weight))


@lru_cache(maxsize=4)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that finds any of WORDS (as `any(w in text for w in WORDS)`, in one scan)."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


def of_statement(s, sentence: str) -> Confidence:
    """A Target's or Observation's confidence from its recorded evidence and its sentence."""
    w = weights()
    score = _factor(w["start"])
    notes = []
    strength = cue_strength(s.cue)
    score *= _factor(w["cue"][strength])
    if strength != "clause":
        notes.append(CUE_NOTE[strength] + f" ({s.cue or 'article'})")
    if s.concept is None:
        score *= _factor(w["concept"])
        notes.append("the indicator maps to no concept of the scheme")
    stated = s.indicator or ""
    if len(stated) <= 2 or re.search(r"[0-9０-９]", stated):
        score *= _factor(w["short_indicator"])
        notes.append(f"the indicator as stated ({stated}) is a bare word or holds a number")
    if s.comparator == "eq" and not getattr(s, "approximate", False):
        score *= _factor(w["comparator"])
        notes.append("no comparator word: a plain figure")
    if s.year is not None and not (str(s.year) in sentence or YEAR.search(sentence)
                                   or _any_of(tuple(w["year_words"])).search(sentence)):
        score *= _factor(w["year"])
        notes.append(f"the sentence names no year: {s.year} is the article's")
    if not s.unit:
        score *= _factor(w["no_unit"])
        notes.append("a figure with no unit")
    return Confidence(_round(score), tuple(notes))


def with_warning(score: Decimal) -> Decimal:
    """The confidence of a node the shapes warned about."""
    return _round(score * Decimal(str(weights()["warning"])))


def of_verdict(target: Decimal | None, outcome: Decimal | None, outcomes: int, manual: bool = False) -> Decimal:
    """The confidence of a target's verdict: the lower of the two statements', less when one
    reported value is all it rests on."""
    w = weights()
    score = min(x for x in (target, outcome, Decimal(1)) if x is not None)
    if manual:
        score *= Decimal(str(w["manual_outcome"]))
    elif outcomes == 1:
        score *= Decimal(str(w["single_outcome"]))
    return _round(score)


def warned(report_nt: str) -> set[str]:
    """The focus nodes (IRIs) a SHACL report warns about."""
    if not report_nt:
        return set()
    from rdflib import Graph, Namespace
    sh = Namespace("http://www.w3.org/ns/shacl#")
    g = Graph().parse(data=report_nt, format="nt")
    return {str(g.value(r, sh.focusNode)) for r in g.subjects(sh.resultSeverity, sh.Warning)}

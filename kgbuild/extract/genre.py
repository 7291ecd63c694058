"""The genre of an article, a decision with its evidence: plan, progress report, results, review
or mixed. Used per number as the article's prior (tense.decide falls back to it), and published
(ptkg:genre on the Article; the tense cue of a figure it decided says "genre: …").

Evidence, all general and all data (data/lexicon/genre.tsv): the headline's words (进展, 督查,
完成情况 against 计划, 要点, 力争), a reporting period in the headline (1—7月, 前三季度, 上半年),
shares of a task done in the body (占年度任务的62%, 序时进度), completion and comparison words
(已完成, 同比增长) against plan words (力争, 确保, 将), and the publication date against the
year the headline names (a 2022 headline published in 2023 looks back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Article
from .lexicon import Lexicon
from .tense import PERIOD

REPORTING_PERIOD = re.compile(PERIOD.pattern + r"|前\s*[\d一二三四五六七八九十]{1,2}\s*个?月|前三季度|上半年|一季度|二季度|三季度")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?![\d—–\-－~～至到])")
REPORTS = ("progress", "results")


@dataclass(frozen=True)
class Genre:
    kind: str                         # plan | progress | results | review | mixed
    evidence: tuple[str, ...]         # what decided it, strongest first

    @property
    def label(self) -> str:
        return f"genre: {self.kind} ({', '.join(self.evidence[:3])})" if self.evidence else f"genre: {self.kind}"

    @property
    def reports(self) -> bool:
        """Its figures, where nothing else decides, are what was done."""
        return self.kind in REPORTS


def classify(article: Article, pub: int | None, lex: Lexicon) -> Genre:
    title = article.title or ""
    body = article.text[len(title):]
    score = {"plan": 0, "progress": 0, "results": 0, "review": 0}
    why: dict[str, list[tuple[int, str]]] = {k: [] for k in score}

    def add(kind: str, n: int, what: str) -> None:
        score[kind] += n
        why[kind].append((n, what))

    for word, kind, weight, where in lex.genre:
        if where == "title" and word in title:
            add(kind, weight, f"title: {word}")
        elif where == "body":
            n = body.count(word)
            if n:
                add(kind, weight * min(n, 5), f"{word} ×{n}")
    m = REPORTING_PERIOD.search(title)
    if m:
        add("progress", 3, f"title: {m.group(0)}")
    periods = len(REPORTING_PERIOD.findall(body))
    if periods:
        add("progress", min(periods, 4), f"reporting periods ×{periods}")
    named = [int(y) for y in YEAR.findall(title)]
    if pub and named and max(named) < pub:
        add("results", 3, f"title names {max(named)}, published {pub}")
    report = max(("progress", "results"), key=lambda k: score[k])
    if score["review"] >= 2 and score["plan"] >= 2:
        return Genre("mixed", tuple(w for _, w in sorted(why["review"] + why["plan"], reverse=True)))
    if score[report] >= 4 and score[report] >= 2 * score["plan"]:
        return Genre(report, tuple(w for _, w in sorted(why[report], reverse=True)))
    if score["plan"] >= score[report]:
        return Genre("plan", tuple(w for _, w in sorted(why["plan"], reverse=True)))
    return Genre("mixed", tuple(w for _, w in sorted(why[report] + why["plan"], reverse=True)))

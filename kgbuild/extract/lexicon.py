"""The lexicons in data/lexicon/, loaded once into one immutable object.

Every word list the extractor uses lives in a data file there; this module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths


def _rows(path: Path, width: int) -> list[tuple[str, ...]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(c.strip() for c in line.split("\t"))
        if len(cells) < width:
            raise ValueError(f"{path}:{n}: expected {width} tab-separated columns, got {len(cells)}")
        rows.append(cells[:width])
    return rows


@dataclass(frozen=True, eq=False)
class Lexicon:
    units: dict[str, str]                      # measure word → class
    comparator_prefixes: dict[str, str]        # word before the number → comparator
    comparator_suffixes: dict[str, str]        # word after the unit → comparator
    commitment: dict[str, str]                 # 力争 → strive …
    cues: dict[str, str]                       # tense cue word → future | past | …-weak | goal | complete | announce
    abbreviations: dict[str, str]              # 高企 → 高新技术企业
    name_nouns: dict[str, int]                 # 工程, 行动 … after a number+unit: part of a name → reach
    period_years: dict[str, int]               # 十四五末 → 2025
    relative_years: dict[str, tuple[int, int]]  # 去年 → (-1, -1): offset from the article's year (early, late in the year)
    lead_strip: dict[str, str]                 # word stripped from the start of an indicator → both | indicator
    action_verbs: tuple[str, ...]              # 新增, 新建 …: verbs that open a target clause
    jurisdiction: dict[str, tuple[str, str]]   # 国务院 → (country, issuer), 我市 → (city, self)
    task_nouns: tuple[str, ...]                # 工作, 任务 …: N项重点工作 counts the plan's own tasks
    not_steered: tuple[str, ...]               # 高校毕业生 …: forecast, not steered; never a target by itself
    people_nouns: tuple[str, ...]              # 人口, 学生 …: 1000万 beside them counts people (人)
    entitlements: tuple[str, ...]              # 可获, 最高可 …: an amount a recipient may get, not a promise
    sections: dict[str, tuple[str, int]]       # heading word → (past | future, weight): 回顾 → (past, 2)
    phrase_noise: dict[str, str]               # word never inside an indicator phrase → any | verb | adverb
    genre: tuple[tuple[str, str, int, str], ...]   # (word, genre, weight, title | body): evidence of a genre
    fused: dict[str, tuple[str, str]]          # 城乡 → (城镇, 农村): one word for two coordinated things
    bodies: tuple[str, ...]                    # 委员会, 统计局 …: the last word of a public body's name
    userdict: Path                             # jieba user dictionary

    @property
    def comparator_prefixes_by_length(self) -> list[str]:
        return sorted(self.comparator_prefixes, key=len, reverse=True)


@lru_cache(maxsize=2)
def load(directory: str | None = None) -> Lexicon:
    d = Path(directory) if directory else paths.lexicon_dir()
    comps = _rows(d / "comparators.tsv", 3)
    return Lexicon(
        units={u: c for u, c in _rows(d / "units.tsv", 2)},
        comparator_prefixes={w: c for w, pos, c in comps if pos == "prefix"},
        comparator_suffixes={w: c for w, pos, c in comps if pos == "suffix"},
        commitment={w: lvl for w, lvl in _rows(d / "commitment.tsv", 2)},
        cues={w: c for w, c in _rows(d / "cues.tsv", 2)},
        abbreviations={a: f for a, f in _rows(d / "abbreviations.tsv", 2)},
        name_nouns={w: int(r) for w, r in _rows(d / "name_nouns.txt", 2)},
        period_years={p: int(y) for p, y in _rows(d / "years.tsv", 2)},
        relative_years={w: (int(a), int(b)) for w, a, b in _rows(d / "relative_years.tsv", 3)},
        lead_strip={w: scope for w, scope in _rows(d / "lead_strip.txt", 2)},
        action_verbs=tuple(sorted((w for (w,) in _rows(d / "action_verbs.txt", 1)), key=len, reverse=True)),
        jurisdiction={w: (lvl, role) for w, lvl, role in _rows(d / "jurisdiction.tsv", 3)},
        sections={w: (f, int(n)) for w, f, n in _rows(d / "sections.tsv", 3)},
        phrase_noise={w: when for w, when in _rows(d / "phrase_noise.tsv", 2)},
        genre=tuple((w, g, int(n), where) for w, g, n, where in _rows(d / "genre.tsv", 4)),
        fused={w: (a, b) for w, a, b in _rows(d / "fused.tsv", 3)},
        bodies=tuple(sorted((w for (w,) in _rows(d / "bodies.txt", 1)), key=len, reverse=True)),
        task_nouns=tuple(w for (w,) in _rows(d / "task_nouns.txt", 1)),
        not_steered=tuple(w for (w,) in _rows(d / "not_steered.txt", 1)),
        people_nouns=tuple(sorted((w for (w,) in _rows(d / "people_nouns.txt", 1)), key=len, reverse=True)),
        entitlements=tuple(sorted((w for (w,) in _rows(d / "entitlements.txt", 1)), key=len, reverse=True)),
        userdict=d / "userdict.txt",
    )

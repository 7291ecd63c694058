"""Places: the GB/T 2260 administrative divisions (codes, names, parents) and resolving the
place an article is about.

The divisions come from the data file shipped in the ``cpca`` package
(cpca/resources/adcodes.csv: 12-digit statistical codes whose first six digits are the
GB/T 2260 code). The file is read directly; cpca itself (and pandas) is not imported.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin

from ..model import Article, Place

GENERIC = {"市辖区", "县", "市辖县", "城区", "郊区", "矿区", "省直辖县级行政区划", "自治区直辖县级行政区划"}
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "盟")


def _adcodes_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'cpca' package (GB/T 2260 division data) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _short(name: str, level: str) -> str:
    if level == "district":
        return name
    for s in SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


@dataclass(frozen=True, eq=False)
class Gazetteer:
    by_code: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]      # full names and (province/city) short names
    pattern: re.Pattern[str]
    centroids: dict[str, tuple[float, float]]    # code → (longitude, latitude)

    def get(self, code: str) -> Place | None:
        return self.by_code.get(code)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    rows, centroids = [], {}
    with _adcodes_file().open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if not code.isdigit() or r["name"].strip() in GENERIC:
                continue
            rows.append((code, r["name"].strip()))
            try:
                centroids[code] = (round(float(r["longitude"]), 4), round(float(r["latitude"]), 4))
            except (KeyError, ValueError):
                pass
    codes = {c for c, _ in rows}
    places: dict[str, Place] = {}
    pinyin_count: dict[str, int] = {}
    prepared = []
    for code, name in sorted(rows):
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"
        parent = None
        if level == "city":
            parent = code[:2] + "0000"
        elif level == "district":
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        short = _short(name, level)
        base = "".join(lazy_pinyin(short)).lower()
        base = re.sub(r"[^a-z0-9]+", "", base) or code
        prepared.append((code, name, short, level, parent, base))
        if level != "district":
            pinyin_count[base] = pinyin_count.get(base, 0) + 1
    for code, name, short, level, parent, base in prepared:
        slug = base if level != "district" and pinyin_count[base] == 1 else f"{base}-{code}"
        places[code] = Place(code=code, name=name, short=short, level=level,
                             parent_code=parent if parent in codes else None, slug=slug)
    by_name: dict[str, list[Place]] = {}
    for p in places.values():
        by_name.setdefault(p.name, []).append(p)
        if p.short != p.name and len(p.short) >= 2:
            by_name.setdefault(p.short, []).append(p)
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    return Gazetteer(places, {k: tuple(v) for k, v in by_name.items()}, pattern, centroids)


LEVEL_CUES = {"city": ("我市", "全市", "本市", "市委", "市政府"), "province": ("我省", "全省", "本省", "省委", "省政府"),
              "district": ("我区", "全区", "我县", "全县", "本区", "区委")}


def mentioned(text: str) -> list[tuple[int, int, Place]]:
    """Every gazetteer name in text (longest match), each with its candidate divisions."""
    g = gazetteer()
    out = []
    for m in g.pattern.finditer(text):
        for p in g.by_name[m.group(0)]:
            out.append((m.start(), m.end(), p))
    return out


def resolve(article: Article) -> tuple[Place | None, tuple[Place, ...]]:
    """The place the article is about (title and publisher weigh most, then the body and
    the level its 我市/全省 words point to), and every place it mentions."""
    g = gazetteer()
    score: dict[str, float] = {}
    body = article.text[len(article.title):]
    hits = mentioned(body)
    provinces_named = {p.code[:2] for _, _, p in hits + mentioned(article.title) if p.level == "province"}
    level_weight = {lvl: sum(body.count(w) + article.title.count(w) for w in ws) for lvl, ws in LEVEL_CUES.items()}

    def add(p: Place, w: float) -> None:
        bonus = 1.0 + 0.2 * level_weight.get(p.level, 0)
        if len(g.by_name.get(p.short, ())) > 1 and p.code[:2] not in provinces_named:
            bonus *= 0.5   # an ambiguous short name, with no province to pin it down
        score[p.code] = score.get(p.code, 0.0) + w * bonus

    for _, _, p in mentioned(article.title):
        add(p, 3.0)
    for src in (article.publisher or "",) + article.tags:
        for _, _, p in mentioned(src):
            add(p, 3.0)
    for _, _, p in hits:
        add(p, 1.0)
    if not score:
        return None, ()
    ranked = sorted(score, key=lambda c: (-score[c], c))
    main = g.by_code[ranked[0]]
    others = tuple(g.by_code[c] for c in ranked[1:])
    return main, (main,) + others

"""Places: the GB/T 2260 administrative divisions (codes, names, parents) and resolving the
jurisdiction whose plan an article is. Names are found with an Aho-Corasick automaton
(pyahocorasick, which cpca itself uses): one pass over a 20,000-character report.

The divisions come from the data file shipped in the ``cpca`` package
(cpca/resources/adcodes.csv: 12-digit statistical codes whose first six digits are the
GB/T 2260 code). The file is read directly; cpca itself (and pandas) is not imported.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from urllib.parse import urlsplit
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from ..model import Article, Place
from . import pinyin

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
    names: object                                # an Aho-Corasick automaton over by_name (pyahocorasick)
    centroids: dict[str, tuple[float, float]]    # code → (longitude, latitude)

    def get(self, code: str) -> Place | None:
        return self.by_code.get(code)


def _read() -> tuple[list[tuple[str, str]], dict[str, tuple[float, float]]]:
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
    return rows, centroids


def centroids() -> dict[str, tuple[float, float]]:
    """Code → (longitude, latitude): the gazetteer's, or read alone when it is not loaded (its
    place names' pinyin take a quarter of a second: a rebuild from the cache need not)."""
    return gazetteer().centroids if gazetteer.cache_info().currsize else _read()[1]


def _level(code: str) -> str:
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"


def _pinyin(names: list[str]) -> dict[str, str]:
    """Each of NAMES → its pinyin, lower case (lazy_pinyin's syllables joined): 3,200 names, 0.09 s
    of CPU that a rebuild extracting one article would pay for its place alone, so kept in the
    temporary folder (as extract.segment keeps jieba's state) in a file named after the hash of
    the names and pypinyin's version, read only when this user wrote it (kgbuild.sealed: checked)."""
    import hashlib
    import tempfile

    from .. import kept as temp_files
    h = hashlib.sha256(f"{pinyin.version()}\0".encode())
    h.update("\n".join(names).encode("utf-8"))
    path = Path(tempfile.gettempdir()) / f"kgbuild-pinyin-{h.hexdigest()[:32]}.state"
    kept = temp_files.read(path, b"KGPINYIN1")
    if isinstance(kept, dict) and len(kept) == len(names) and all(isinstance(v, str) for v in kept.values()):
        return kept
    made = {n: "".join(pinyin.syllables(n)).lower() for n in names}
    try:
        temp_files.write(path, b"KGPINYIN1", made)
    except OSError:
        pass                                        # made again next time
    return made


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    rows, centroids = _read()
    codes = {c for c, _ in rows}
    spelt = _pinyin(sorted({_short(name, _level(code)) for code, name in rows}))
    places: dict[str, Place] = {}
    pinyin_count: dict[str, int] = {}
    prepared = []
    for code, name in sorted(rows):
        level = _level(code)
        parent = None
        if level == "city":
            parent = code[:2] + "0000"
        elif level == "district":
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        short = _short(name, level)
        base = re.sub(r"[^a-z0-9]+", "", spelt[short]) or code
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
    automaton = ahocorasick.Automaton()
    for name in by_name:
        automaton.add_word(name, name)
    automaton.make_automaton()
    return Gazetteer(places, {k: tuple(v) for k, v in by_name.items()}, automaton, centroids)


@lru_cache(maxsize=1)
def _site_names() -> dict[str, tuple[Place, ...]]:
    """Host labels government sites use for a division: the pinyin of its short name (liuzhou),
    its initials (lz), and for a county or district its city's initials and its own (ptlc: 莆田荔城)."""
    g = gazetteer()
    out: dict[str, list[Place]] = {}
    def bare(q: Place) -> str:                   # 荔城区 → 荔城, 如皋市 → 如皋 (a district's short name is its name)
        return re.sub(r"(?:自治县|自治旗|新区|区|县|市|旗)$", "", q.short) if len(q.short) > 2 else q.short

    for p in g.by_code.values():
        syl = [s.lower() for s in pinyin.syllables(bare(p))]
        names = {"".join(syl)}
        if len(syl) >= 2:
            names.add("".join(s[0] for s in syl))
        up = g.get(p.parent_code) if p.level == "district" and p.parent_code else None
        if up is not None:
            up_syl = [s.lower() for s in pinyin.syllables(bare(up))]
            names.add("".join(s[0] for s in up_syl + syl))
            names.add("".join(up_syl + syl))
        for n in names:
            if len(n) >= 2 and n.isascii() and n.isalpha():
                out.setdefault(n, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def from_site(source: str) -> tuple[Place, ...]:
    """The divisions a government site's host names (lzzx.liuzhou.gov.cn → 柳州市): the publisher
    of a page on a city's site is that city. Only .gov.cn hosts: a news site is no issuer."""
    host = urlsplit(source if "//" in source else "//" + source).hostname or ""
    if not host.endswith(".gov.cn"):
        return ()
    found: list[Place] = []
    for label in host[:-len(".gov.cn")].split("."):
        hits = _site_names().get(label, ())
        if len(hits) == 1:
            found.append(hits[0])
    return tuple(found)


COUNTRY = Place(code="CN", name="中华人民共和国", short="中国", level="country", parent_code=None, slug="china")
LEVELS = ("country", "province", "city", "district")


def mentioned(text: str) -> list[tuple[int, int, Place]]:
    """Every gazetteer name in text (longest match), each with its candidate divisions."""
    g = gazetteer()
    out = []
    for end, name in g.names.iter_long(text):       # leftmost-longest, as a regex alternation would
        for p in g.by_name[name]:
            out.append((end + 1 - len(name), end + 1, p))
    return out


def names_another(phrase: str, place: Place | None) -> bool:
    """The phrase opens with a division other than PLACE (长沙市地区生产总值 in Hunan's report): what it
    measures is that division's, not the article's place's."""
    if place is None:
        return False
    lead = _leading(phrase)
    return bool(lead) and all(code != place.code for code in lead)


@lru_cache(maxsize=65536)
def _leading(phrase: str) -> tuple[str, ...]:
    """The codes of the divisions a name at the start of PHRASE may be (kept per phrase: the
    extractor asks about every target's indicator, and indicators recur)."""
    return tuple(p.code for b, _, p in mentioned(phrase) if b == 0)


def _ancestor(p: Place, level: str) -> Place | None:
    """p itself or the division above it at level (a county's province)."""
    g = gazetteer()
    while p is not None and LEVELS.index(p.level) > LEVELS.index(level):
        p = g.get(p.parent_code) if p.parent_code else None
    return p if p is not None and p.level == level else None


def _publisher_codes(article: Article) -> set[str]:
    return {p.code for src in (article.publisher or "",) + article.tags for _, _, p in mentioned(src)} | \
        {p.code for src in article.tags + article.source_urls for p in from_site(src)}


def resolve(article: Article, jurisdiction: dict[str, tuple[str, str]]) -> tuple[Place | None, tuple[Place, ...]]:
    """The jurisdiction whose plan the article is (the issuer), and every place it mentions.

    Evidence, in order of weight: a country-level issuing body in the title, tags or publisher
    (国务院, 全国人大), or speaking in the opening (我代表国务院, 在第十四届全国人民代表大会…上), with
    no place named in the title; places named in the title, publisher and
    tags; the level the text uses for itself (我市, 全省, 全国) and the places named in the body,
    each also counting for the division above it at that level (three counties of one province
    point to the province of a text that says 我省). Not the place named most often."""
    g = gazetteer()
    body = article.text[len(article.title):]
    head = " ".join((article.title, article.publisher or "") + article.tags)
    title_hits = mentioned(article.title)
    issuer_words = [w for w, (lvl, role) in jurisdiction.items() if role == "issuer" and lvl == "country"]
    self_words = {w: lvl for w, (lvl, role) in jurisdiction.items() if role == "self"}
    level_weight = {lvl: 0 for lvl in LEVELS}
    for w, lvl in self_words.items():
        level_weight[lvl] += body.count(w) + article.title.count(w)
    local = sum(v for k, v in level_weight.items() if k != "country")
    outlets = [(m.start(), m.end()) for src in (article.publisher or "",) + article.tags if len(src) >= 3
               for m in re.finditer(re.escape(src), body)]
    hits = [h for h in mentioned(body) if not any(a <= h[0] < b for a, b in outlets)]   # 中国兰州网2月3日消息: the outlet again
    opening = body[:400]                 # 现在，我代表国务院，向大会报告… / 在第十四届全国人民代表大会第二次会议上
    speaks = any(f"代表{w}" in opening or re.search(rf"第[一二三四五六七八九十]+届{w}", opening) for w in issuer_words)
    if not title_hits and (any(w in head for w in issuer_words) or speaks
                           or (level_weight["country"] >= 5 and level_weight["country"] > 3 * local)):
        return COUNTRY, (COUNTRY,) + tuple(sorted({p.code: p for _, _, p in hits}.values(), key=lambda p: p.code))
    provinces_named = {p.code[:2] for _, _, p in hits + title_hits if p.level == "province"}
    cue_level = max((lvl for lvl in LEVELS[1:]), key=lambda lvl: level_weight[lvl]) if local else None
    score: dict[str, float] = {}
    named: set[str] = set()

    def add(p: Place, w: float, named_here: bool = True) -> None:
        if named_here:
            named.add(p.code)
        bonus = 1.0 + 0.2 * level_weight.get(p.level, 0)
        if len(g.by_name.get(p.short, ())) > 1 and p.code[:2] not in provinces_named:
            bonus *= 0.5   # an ambiguous short name, with no province to pin it down
        score[p.code] = score.get(p.code, 0.0) + w * bonus

    for _, _, p in title_hits:
        add(p, 3.5)                              # the title's subject outweighs the outlet that printed it
    for src in dict.fromkeys((article.publisher or "",) + article.tags):   # a tag that is the publisher counts once
        for _, _, p in mentioned(src):
            add(p, 3.0)
    for src in article.tags + article.source_urls:
        for p in from_site(src):
            add(p, 3.0)                          # a page on 柳州's government site is 柳州's
    for _, _, p in hits:
        add(p, 1.0)
        if cue_level and p.level != cue_level and (up := _ancestor(p, cue_level)) is not None:
            add(up, 1.0, False)                  # three counties named in a text that says 我省 → their province
    if not score:
        return (COUNTRY, (COUNTRY,)) if level_weight["country"] >= 3 and not local else (None, ())
    ranked = sorted(score, key=lambda c: (-score[c], c))
    main = g.by_code[ranked[0]]
    if cue_level and LEVELS.index(main.level) < LEVELS.index(cue_level) and level_weight[cue_level] >= 2 \
            and not any(p.code == main.code for _, _, p in title_hits) and main.code not in _publisher_codes(article):
        # the text speaks as a city (今年我市…) and names only its province: which city is unknown;
        # leave the place unresolved (the shapes warn) rather than credit the province
        return None, tuple(g.by_code[c] for c in ranked if c in named)
    others = tuple(g.by_code[c] for c in ranked[1:] if c in named)
    return main, (main,) + others

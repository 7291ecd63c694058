"""`kgbuild eval`: precision, recall and F1 of targets against hand-made gold files.

A predicted target matches a gold target when their numbers agree (value, or min and max; a
fraction given as 0.2 equals 20 %) and one of their mentions overlaps one of the gold
mentions in the article text. Matching is one-to-one, greedy by mention overlap. Gold targets
marked "optional" are neither rewarded nor penalised.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import paths
from ..pipeline import graph_for
from ..publish import ntriples, ontology, store
from .targets import observations, records

DEFAULT_GOLD = os.environ.get("KG_GOLD_DIR", str(Path(__file__).resolve().parents[3] / "shared" / "gold"))


def _nums(t: dict) -> tuple:
    def d(x):
        return None if x is None else Decimal(str(x)).normalize()
    return d(t.get("value")), d(t.get("min")), d(t.get("max"))


def _same_number(p: dict, g: dict) -> bool:
    if _nums(p) == _nums(g):
        return True
    pv, gv = _nums(p)[0], _nums(g)[0]
    if pv is not None and gv is not None and g.get("kind") == "ratio":
        return pv == gv * 100 or pv * 100 == gv
    return False


def _overlap(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _mention_overlap(p: dict, g: dict) -> float:
    best = 0.0
    for pm in p["mentions"]:
        for gm in g["mentions"]:
            if pm in gm or gm in pm:
                best = max(best, 1.0)
            else:
                best = max(best, _overlap(pm, gm))
    return best


@dataclass
class ArticleScore:
    article: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_right: dict = field(default_factory=dict)
    attr_total: int = 0
    misses: list = field(default_factory=list)
    spurious: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    place: str | None = None          # the plan's place as published (zh label)
    gold_place: str | None = None     # the gold file's "city"
    ranked: list = field(default_factory=list)     # (confidence, right: True | False | None for optional)
    observations: "ArticleScore | None" = None   # the reported values, where the gold file annotates them

    @property
    def group(self) -> str:
        """dev (the top folder), dev2, dev3 …: the set the article belongs to."""
        return self.article.split("/")[0] if "/" in self.article else "dev"

    @property
    def place_ok(self) -> bool | None:
        return None if not self.gold_place else same_place(self.place, self.gold_place)


ATTRS = ("comparator", "unit", "kind", "indicator", "area", "year")


def _attr_ok(attr: str, p: dict, g: dict) -> bool:
    if attr == "indicator":
        return _overlap(p["indicator"], g["indicator"]) >= 0.5
    if attr == "unit" and g.get("kind") == "ratio" and _nums(p)[0] != _nums(g)[0]:
        return True                                   # 0.2 (no unit) ≡ 20 %
    if attr == "year" and "year" not in g:
        return True
    if attr == "area" and "area" not in g:
        return True
    return p.get(attr) == g.get(attr)


PARKS = ("高新区", "开发区", "新区", "园区", "自贸区", "示范区")


def same_place(pred: str | None, gold: str) -> bool:
    """The gold file names the issuing place as people write it (湖北, 莆田市荔城区, 如皋市高新区):
    the published place agrees when it is that division (湖北省), the last division named
    (荔城区), or the division a park belongs to (如皋市)."""
    if not pred:
        return False
    if pred == gold or pred.startswith(gold) or gold.endswith(pred):
        return True
    short = pred[:-1] if len(pred) > 2 and pred[-1] in "市省县区" else pred
    return short in gold and gold.split(short, 1)[1] in PARKS + tuple(pred[len(short):] + p for p in PARKS)


def score(pred: list[dict], gold: dict) -> ArticleScore:
    s = ArticleScore(gold["article"])
    s.attr_right = {a: 0 for a in ATTRS}
    gold_t = gold["targets"]
    pairs = sorted(((_mention_overlap(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold_t)
                    if _same_number(p, g) and _mention_overlap(p, g) >= 0.5), reverse=True)
    used_p, used_g, optional_p, inexact = set(), set(), set(), set()
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = pred[i], gold_t[j]
        if g.get("optional"):
            optional_p.add(i)
            continue
        s.tp += 1
        s.attr_total += 1
        for a in ATTRS:
            if _attr_ok(a, p, g):
                s.attr_right[a] += 1
            else:
                s.wrong.append((a, p.get(a), g.get(a), g["mentions"][0]))
                inexact.add(i)
    for j, g in enumerate(gold_t):
        if j not in used_g and not g.get("optional"):
            s.fn += 1
            s.misses.append(g)
    for i, p in enumerate(pred):
        if i not in used_p:
            s.fp += 1
            s.spurious.append(p)
    # each prediction's confidence, whether it is right (matched a gold target; None: an optional one)
    # and whether every attribute is right too
    s.ranked = [(p.get("confidence"), None if i in optional_p else i in used_p, i in used_p and i not in inexact)
                for i, p in enumerate(pred)]
    return s


def evaluate(gold_dir: str | Path) -> list[ArticleScore]:
    """Score every gold file under gold_dir (subfolders too: gold/ and gold/dev2/ together); an
    article is found beside its gold file, else among the bundled articles (the seed)."""
    gold_dir = Path(gold_dir)
    golds = sorted(gold_dir.rglob("*.json"), key=lambda f: (len(f.relative_to(gold_dir).parts), str(f)))
    if not golds:
        raise FileNotFoundError(f"{gold_dir}: no gold *.json files")
    out = []
    onto = ontology().serialize(format="nt", encoding="utf-8")
    for gf in golds:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if "targets" not in gold or "article" not in gold:
            continue                                   # not a gold file (promises.json and the like)
        article = gf.parent / gold["article"]
        if not article.exists():
            article = paths.articles_dir() / gold["article"]
        g, _ = graph_for([article])
        st = store.memory_store(ntriples(g) + onto, [])
        name = str(gf.parent.relative_to(gold_dir) / gold["article"]) if gf.parent != gold_dir else gold["article"]
        s = score(records(st), dict(gold, article=name))
        if "observations" in gold:                     # GUIDELINES: reported values, with the year they are for
            s.observations = score(observations(st), dict(gold, article=name, targets=gold["observations"]))
        s.place, s.gold_place = _plan_place(st), gold.get("city")
        out.append(s)
    return out


def _plan_place(st) -> str | None:
    _, rows = store.rows(st, PLAN_PLACE)
    return rows[0]["place"] if rows else None


PLAN_PLACE = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?place WHERE { ?plan a ptkg:Plan ; ptkg:place/rdfs:label ?place FILTER (lang(?place) = "zh") }
ORDER BY ?place LIMIT 1"""


def _prf(scores: list[ArticleScore]) -> tuple[int, int, int, float, float, float]:
    tp, fp, fn = (sum(getattr(s, a) for s in scores) for a in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, p, r, (2 * p * r / (p + r) if p + r else 0.0)


def totals(scores: list[ArticleScore]) -> str:
    """One line per set (dev, dev2, dev3 …) and one for all: targets P/R/F1, year and place accuracy."""
    lines = []
    groups = sorted({s.group for s in scores}, key=lambda g: (g != "dev", g))
    for name, mine in [(g, [s for s in scores if s.group == g]) for g in groups] + [("all", scores)]:
        tp, fp, fn, p, r, f = _prf(mine)
        matched = sum(s.attr_total for s in mine)
        year = sum(s.attr_right.get("year", 0) for s in mine) / matched if matched else 1.0
        judged = [s for s in mine if s.place_ok is not None]
        place = f"{sum(1 for s in judged if s.place_ok)}/{len(judged)}"
        lines.append(f"{name:5s} targets: {len(mine):2d} articles  tp={tp} fp={fp} fn={fn}  precision={p:.3f} "
                     f"recall={r:.3f} F1={f:.3f}  year={year:.3f}  place={place}")
        obs = [s.observations for s in mine if s.observations is not None]
        if not obs:
            lines.append(f"{name:5s} observations: no gold file of this set annotates reported values")
            continue
        tp, fp, fn, p, r, f = _prf(obs)
        matched = sum(o.attr_total for o in obs)
        year = sum(o.attr_right.get("year", 0) for o in obs) / matched if matched else 1.0
        lines.append(f"{name:5s} observations: {len(obs):2d} articles  tp={tp} fp={fp} fn={fn}  precision={p:.3f} "
                     f"recall={r:.3f} F1={f:.3f}  year={year:.3f}")
    return "\n".join(lines) + "\n"


def report(scores: list[ArticleScore]) -> str:
    lines = []
    tp = sum(s.tp for s in scores)
    fp = sum(s.fp for s in scores)
    fn = sum(s.fn for s in scores)
    for s in scores:
        p = s.tp / (s.tp + s.fp) if s.tp + s.fp else 1.0
        r = s.tp / (s.tp + s.fn) if s.tp + s.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{s.article:28s} tp={s.tp:3d} fp={s.fp:3d} fn={s.fn:3d}  P={p:.3f} R={r:.3f} F1={f:.3f}")
        if s.place_ok is False:
            lines.append(f"    wrong place: {s.place!r} (gold {s.gold_place!r})")
        for g in s.misses:
            lines.append(f"    miss:     {g['indicator']} {g.get('value') or (g.get('min'), g.get('max'))}{g.get('unit') or ''}  «{g['mentions'][0]}»")
        for p_ in s.spurious:
            lines.append(f"    spurious: {p_['indicator']} {p_.get('value') or (p_.get('min'), p_.get('max'))}{p_.get('unit') or ''}  «{p_['mentions'][0]}»")
        for a, pv, gv, m in s.wrong:
            lines.append(f"    wrong {a}: {pv!r} (gold {gv!r})  «{m}»")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    lines.append("")
    lines.append(f"TOTAL targets: tp={tp} fp={fp} fn={fn}  precision={p:.3f} recall={r:.3f} F1={f:.3f}")
    total = sum(s.attr_total for s in scores)
    if total:
        acc = "  ".join(f"{a}={sum(s.attr_right[a] for s in scores) / total:.3f}" for a in ATTRS)
        lines.append(f"attribute accuracy over {total} matched targets: {acc}")
    return "\n".join(lines) + "\n" + totals(scores)


def held_back(scores: list[ArticleScore], shares: tuple[float, ...] = (0.1, 0.2)) -> list[tuple[float, int, int, int, float]]:
    """Precision if the least confident share of the predicted targets were held back for review:
    (share, held back, of which spurious, of which spurious or with a wrong attribute, kept, precision
    of the kept, strict precision of the kept: matched with every attribute right). Optional gold targets count
    neither way, as in the scores; ties in confidence are broken by the order of the articles."""
    ranked = [(c if c is not None else 1.0, n, right, exact) for n, (c, right, exact) in
              enumerate(r for s in scores for r in s.ranked) if right is not None]
    ranked.sort(key=lambda r: (r[0], r[1]))
    out = []
    for share in (0.0, *shares):
        k = round(len(ranked) * share)
        held, kept = ranked[:k], ranked[k:]
        tp = sum(1 for r in kept if r[2])
        exact = sum(1 for r in kept if r[3])
        out.append((share, k, sum(1 for r in held if not r[2]), sum(1 for r in held if not r[3]), len(kept),
                    tp / len(kept) if kept else 1.0, exact / len(kept) if kept else 1.0))
    return out


def held_back_report(scores: list[ArticleScore], shares: tuple[float, ...] = (0.1, 0.2)) -> str:
    lines = ["", "held back for review, least confident first (precision of what is published):"]
    for share, k, wrong, inexact, kept, p, strict in held_back(scores, shares):
        lines.append(f"  {share:4.0%} held back: {k:4d} targets ({wrong} spurious, {inexact} spurious or with a wrong "
                     f"attribute), {kept} published: precision={p:.3f}, with every attribute right={strict:.3f}")
    return "\n".join(lines) + "\n"

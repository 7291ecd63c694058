"""Extraction scored against real material in ../shared, read by an overridable path and skipped
with a reason when absent: the hand-made gold files (gold/ and gold/dev2/, KG_GOLD_DIR) and
China's national Government Work Reports with promises.json (KG_NATIONAL_DIR)."""

import json

from kgbuild.report import national
from kgbuild.report.evaluate import evaluate, report, score
from conftest import SEED, gold_dir, national_dir, run_cli

PAST_RESULTS = ("dev-04.md", "dev-14.md", "dev2/a10.md")     # articles that mostly report what happened


def test_seed_finds_every_gold_target_with_every_attribute():
    gold = json.loads((gold_dir() / "quanzhou-2022.json").read_text(encoding="utf-8"))
    r = run_cli("kgbuild", "targets", str(SEED))
    assert r.returncode == 0, r.stderr
    pred = [json.loads(line) for line in r.stdout.splitlines()]
    s = score(pred, gold)
    assert s.fn == 0, [g["mentions"] for g in s.misses]
    assert s.fp == 0, [p["mentions"] for p in s.spurious]
    assert s.wrong == []
    for p in pred:
        for m in p["mentions"]:
            assert m in SEED.read_text(encoding="utf-8")


def test_gold_and_dev2_together():
    """dev and dev2 are tuned sets (≥ 0.95); dev3 is now tuned too (both halves read; 0.977 when
    this was set) and held to 0.95, so a change that loses ground there fails."""
    every = evaluate(gold_dir())
    print(report(every))
    scores = [s for s in every if s.group in ("dev", "dev2")]
    names = {s.article for s in scores}
    assert "quanzhou-2022.md" in names and any(n.startswith("dev2/") for n in names), names
    dev3 = [s for s in every if s.group == "dev3"]
    if dev3:
        tp3, fp3, fn3 = (sum(getattr(s, a) for s in dev3) for a in ("tp", "fp", "fn"))
        p3, r3 = tp3 / (tp3 + fp3), tp3 / (tp3 + fn3)
        assert 2 * p3 * r3 / (p3 + r3) >= 0.95 and p3 >= 0.95, (p3, r3)
    tp = sum(s.tp for s in scores)
    fp = sum(s.fp for s in scores)
    fn = sum(s.fn for s in scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95 and precision >= 0.95, (f1, precision, recall)
    for s in scores:
        if s.article in PAST_RESULTS:
            assert s.fp == 0, (s.article, [p["mentions"] for p in s.spurious])


def test_national_reports_targets_and_reported_values():
    rows = national.check(national_dir())
    print(national.table(rows))
    targets = [r for r in rows if r.kind == "target"]
    reported = [r for r in rows if r.kind == "reported"]
    assert len(targets) >= 100 and len(reported) >= 30
    found_t = sum(1 for r in targets if r.found) / len(targets)
    found_r = sum(1 for r in reported if r.found) / len(reported)
    assert found_t >= 0.95, [(r.year, r.indicator, r.mention) for r in targets if not r.found]
    assert found_r >= 0.95, [(r.year, r.indicator, r.mention) for r in reported if not r.found]


def test_national_targets_carry_the_value_the_next_report_gives():
    pairs = national.pairs(national_dir())
    print(national.pair_table(pairs))
    assert len(pairs) >= 30
    linked = [p for p in pairs if p.linked]
    assert len(linked) / len(pairs) >= 0.90, [(p.year, p.indicator) for p in pairs if not p.linked]
    assert all(p.status in ("met", "missed", "undetermined") and p.rule for p in linked)

"""Extraction scored against the hand-made gold files in ../shared/gold (override with KG_GOLD_DIR)."""

import json

from kgbuild.report.evaluate import evaluate, score
from conftest import SEED, gold_dir, run_cli


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


def test_dev_set_f1():
    scores = evaluate(gold_dir())
    tp = sum(s.tp for s in scores)
    fp = sum(s.fp for s in scores)
    fn = sum(s.fn for s in scores)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, f1
    past = [s for s in scores if s.article in ("dev-04.md", "dev-14.md")]
    assert all(s.fp == 0 for s in past)

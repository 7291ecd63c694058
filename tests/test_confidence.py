"""Confidence from the evidence that decided a fact (kgbuild/graph/confidence.py), on made-up sentences,
and the held-back precision measure (kgbuild eval --held-back)."""

from decimal import Decimal

from conftest import extract_text
from kgbuild.graph import confidence
from kgbuild.report.evaluate import ArticleScore, held_back


def test_cue_strength_orders_clause_section_title_article():
    assert confidence.cue_strength("力争") == "clause"
    assert confidence.cue_strength("同比") == "weak"
    assert confidence.cue_strength("左右") == "weak"
    assert confidence.cue_strength("§ 二、今年工作安排") == "section"
    assert confidence.cue_strength("title: 力争") == "title"
    assert confidence.cue_strength("article") == confidence.cue_strength("") == "article"
    w = confidence.weights()["cue"]
    assert w["clause"] > w["weak"] > w["section"] > w["title"] > w["article"]


def test_explicit_evidence_is_more_confident_than_inferred(tmp_path):
    x = extract_text(tmp_path, "到2023年底，某市力争新增绿色工厂不少于12家。", "某市新建社区食堂9个。")
    by_value = {t.value: t for t in x.targets}
    strong, weak = by_value[Decimal(12)], by_value[Decimal(9)]
    c_strong = confidence.of_statement(strong, "到2023年底，某市力争新增绿色工厂不少于12家。")
    c_weak = confidence.of_statement(weak, "某市新建社区食堂9个。")
    assert Decimal(0) <= c_weak.score < c_strong.score <= Decimal(1)
    assert any("no year" in n for n in c_weak.notes) and not any("no year" in n for n in c_strong.notes)
    assert confidence.with_warning(Decimal("0.8")) < Decimal("0.8")
    assert confidence.of_verdict(Decimal("0.9"), Decimal("0.8"), 1) < confidence.of_verdict(Decimal("0.9"), Decimal("0.8"), 2)


def test_held_back_precision_holds_back_the_least_confident():
    s = ArticleScore("a.md")
    s.ranked = [(0.5, False, False), (0.9, True, True), (0.95, True, False), (1.0, True, True), (0.6, True, True),
                (0.99, True, True), (0.97, None, False), (0.98, True, True), (0.96, True, True), (0.94, True, True),
                (0.93, True, True)]
    rows = {share: (k, wrong, kept, p) for share, k, wrong, _, kept, p, _ in held_back([s], (0.1, 0.2))}
    assert rows[0.0] == (0, 0, 10, 0.9)            # the optional one counts neither way
    assert rows[0.1] == (1, 1, 9, 1.0)             # the least confident was the spurious one
    assert rows[0.2][0] == 2 and rows[0.2][3] == 1.0

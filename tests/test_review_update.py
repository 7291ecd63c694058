"""review.json brought up to date from the previous one and the rows publish.delta changed in
review.rq's answer (report.review.updated) is what the queue made in full from the new answer gives."""

from __future__ import annotations

from kgbuild.report import review

BASE = "https://example.org/kg/"
NAMES = ["kind", "item", "confidence", "label", "notes", "placeLabel", "place", "year", "article", "sentence",
         "outcome", "outcomes", "status", "rule", "outcomeLabel"]


def row(n: int, conf: str, kind: str = "target", **more: str) -> dict:
    """A solution as SPARQL JSON results write it (absent variables unbound)."""
    vals = {"kind": kind, "item": f"{BASE}id/{kind}/t{n}", "confidence": conf, "label": f"目标 {n}: 达到{n}%",
            "notes": "no cue · 单位 unit guessed", "placeLabel": "杭州市", "place": f"{BASE}id/place/hz",
            "year": "2025", "article": f"a-{n}.md", "sentence": f"到2025年，指标{n}达到{n}%（\"引号\" \\ 斜杠）。"}
    if kind == "outcome":
        vals |= {"outcome": f"{BASE}id/observation/o{n}", "outcomes": "2", "status": "met", "rule": "value ≥ target"}
    vals |= more
    return {k: ({"type": "uri", "value": v} if v.startswith("http") else {"type": "literal", "value": v})
            for k, v in vals.items()}


def queue(rows: list[dict]) -> bytes:
    doc = {"head": {"vars": NAMES}, "results": {"bindings": rows}}
    return review.to_json(review.items(None, BASE, None, {"review": doc})).encode("utf-8")


OLD = [row(1, "0.4"), row(2, "0.55", "observation"), row(3, "0.7", "outcome"), row(4, "0.7"), row(5, "0.9"),
       row(6, "0.3", notes="")]


def test_rows_taken_out_and_set_in_give_the_full_queue():
    changed = row(4, "0.35", label="目标 4 改")                      # the same item, read again
    new = [r for r in OLD if r not in (OLD[1], OLD[3])] + [changed, row(7, "0.1"), row(8, "0.99", "outcome")]
    got = review.updated(queue(OLD), BASE, NAMES, [OLD[1], OLD[3]], [changed, row(7, "0.1"), row(8, "0.99", "outcome")])
    assert got == queue(new)
    assert review.updated(queue(OLD), BASE, NAMES, [], []) == queue(OLD)
    assert review.updated(queue(OLD), BASE, NAMES, OLD, []) == b"[]" == queue([])
    assert review.updated(b"[]", BASE, NAMES, [], OLD) == queue(OLD)


def test_an_equal_or_a_missing_item_asks_for_the_full_queue():
    # the same target, confidence and kind as one there: its place among equals is the answer's order
    assert review.updated(queue(OLD), BASE, NAMES, [], [row(4, "0.7", label="another reading")]) is None
    assert review.updated(queue(OLD), BASE, NAMES, [row(9, "0.5")], []) is None
    assert review.updated(b"not json", BASE, NAMES, [], []) is None

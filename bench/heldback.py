"""Precision if the least confident 10 % and 20 % of predicted targets are held back for review.

    .venv/bin/python bench/heldback.py [GOLD_DIR] [--only SUBDIR …]

Scores ../shared/gold (top-level files) and ../shared/gold/dev2 with kgbuild eval's matching
(kgbuild.report.evaluate), each set on its own and together. Other subfolders (dev3) are never
read: the sets are linked into a temporary folder of their own first.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kgbuild.report.evaluate import DEFAULT_GOLD, evaluate, held_back_report

SETS = {"gold": ".", "dev2": "dev2"}


def _linked(gold: Path, sub: str, into: Path) -> Path:
    src = gold / sub
    dst = into / sub.replace(".", "top")
    dst.mkdir(parents=True)
    for f in sorted(src.iterdir()):
        if f.is_file() and f.suffix in (".json", ".md", ".txt", ".html"):
            (dst / f.name).symlink_to(f.resolve())
    return dst


def main(argv: list[str]) -> None:
    gold = Path(argv[0]) if argv and not argv[0].startswith("-") else Path(DEFAULT_GOLD)
    with tempfile.TemporaryDirectory() as tmp:
        all_scores = []
        for name, sub in SETS.items():
            scores = evaluate(_linked(gold, sub, Path(tmp)))
            all_scores += scores
            tp = sum(s.tp for s in scores)
            fp = sum(s.fp for s in scores)
            print(f"== {name}: {len(scores)} articles, {tp + fp} predicted targets, {fp} wrong")
            print(held_back_report(scores))
        print("== gold + dev2")
        print(held_back_report(all_scores))


if __name__ == "__main__":
    main(sys.argv[1:])

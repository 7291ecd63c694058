"""Score the promise tracker on plan/review report pairs against a person's answer key.

    .venv/bin/python bench/pairs.py DIR [--key DIR/key.json] [-v]
    .venv/bin/python bench/pairs.py bench/blind      # 10 made-up pairs written blind (bench/blind/ABOUT.txt)

DIR holds PAIR-plan.md and PAIR-review.md files; the key is a JSON list with one entry per target a
careful reader sees in a plan: {"pair", "place", "year", "indicator", "target_text", "reported_text"
(the review's words giving that year's value, or null), "verdict" ("met" | "missed" |
"not reported")}. Every text is an exact substring of its file. The build is the real CLI
(`kgbuild targets DIR`); a key entry is

  found     when a target of its plan and year has evidence overlapping target_text (and its place),
  linked    when that target's judged outcome has evidence overlapping reported_text,
  agreed    when the target's status is the key's verdict (notReported = not reported).

Prints the three rates, and with -v every entry that fails. The figures are not asserted anywhere:
they measure how the tracker generalises to reports it was not tuned on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUS = {"met": "met", "missed": "missed", "notReported": "not reported", "undetermined": "undetermined"}


def common(a: str, b: str) -> int:
    """The length of the longest run of characters a and b share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def overlaps(a: str, b: str) -> bool:
    """Two evidence texts name the same figure: one holds the other, or they share a run with a
    digit in it of at least four characters and most of the shorter text."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    n = common(a, b)
    return n >= max(4, 0.6 * min(len(a), len(b))) and any(c.isdigit() for c in a)


def score(folder: Path, key: list[dict], verbose: bool = False) -> dict:
    files = sorted(str(f) for f in folder.glob("*-plan.md")) + sorted(str(f) for f in folder.glob("*-review.md"))
    r = subprocess.run([str(ROOT / ".venv" / "bin" / "kgbuild"), "targets", *files], capture_output=True,
                       text=True, cwd=ROOT, timeout=600)
    if r.returncode != 0:
        sys.exit(f"kgbuild targets {folder} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    found = linked = agreed = with_value = 0
    wrong_links = 0
    for k in key:
        plan = f"{k['pair']}-plan.md"
        cands = [t for t in records if t["article"] == plan and t.get("year") == k["year"]
                 and any(overlaps(m, k["target_text"]) for m in t.get("mentions", []))]
        cands.sort(key=lambda c: (c.get("place") != k.get("place"),     # 分别: one text, two targets
                                  -common(c["indicator"], k.get("indicator", "")),
                                  -max(common(m, k["target_text"]) for m in c.get("mentions", []))))
        t = cands[0] if cands else None
        why = []
        if t is None:
            why.append("target not found")
        else:
            found += 1
            basis = next((o for o in t.get("outcomes", []) if o.get("basis")), None)
            if k.get("reported_text"):
                with_value += 1
                if basis and any(overlaps(m, k["reported_text"]) for m in basis.get("mentions", [])):
                    linked += 1
                else:
                    why.append(f"not linked (basis {basis and basis.get('mentions')}, status {t['status']})")
            elif basis is not None:
                wrong_links += 1
                why.append(f"linked to {basis.get('mentions')} where the key has no value")
            if STATUS.get(t.get("status")) == k["verdict"]:
                agreed += 1
            else:
                why.append(f"verdict {t.get('status')} ({t.get('status_rule')}) against {k['verdict']}")
        if k.get("reported_text") and t is None:
            with_value += 1
        if why and verbose:
            print(f"{k['pair']} {k['year']} {k['indicator']}: {'; '.join(why)}  «{k['target_text']}»")
    n = len(key)
    out = {"entries": n, "found": found, "with_value": with_value, "linked": linked, "agreed": agreed,
           "wrong_links": wrong_links}
    print(f"targets found {found}/{n} = {found / n:.3f}; pairs linked {linked}/{with_value} = "
          f"{linked / max(with_value, 1):.3f}; verdicts agreeing {agreed}/{found} = {agreed / max(found, 1):.3f}; "
          f"links where the key has none: {wrong_links}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--key", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    key = json.loads((a.key or a.folder / "key.json").read_text(encoding="utf-8"))
    score(a.folder, key, a.verbose)


if __name__ == "__main__":
    main()

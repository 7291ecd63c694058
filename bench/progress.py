"""How many of a plan's main targets carry progress statuses and a final verdict (issue 21, item 3).

    .venv/bin/python bench/progress.py [CORPUS] [--report-year 2011]

Builds CORPUS (default ../shared/corpus/national) into a temporary folder, runs queries/progress.rq
and counts, among the multi-year targets set in the report of --report-year (the 2011 report holds the
12th five-year plan's), those with at least one progress status and those with a met / missed verdict
at the deadline; then every multi-year target's line.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "national"))
    ap.add_argument("--report-year", default="2011")
    a = ap.parse_args()
    kg = str(Path(sys.executable).parent / "kgbuild")
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        subprocess.run([kg, "build", a.corpus, "--out", str(dist), "--no-cache"], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run([kg, "query", str(ROOT / "queries" / "progress.rq"), "--data", str(dist), "--format", "csv"],
                             check=True, capture_output=True, text=True).stdout
    targets: dict[str, dict] = defaultdict(lambda: {"years": []})
    for r in csv.DictReader(io.StringIO(out)):
        t = targets[r["target"]]
        t.update(label=r["label"], article=r["article"], deadline=r["deadline"], status=r["status"].rsplit("#", 1)[-1],
                 latest=r["latest"].rsplit("#", 1)[-1])
        if r["year"]:
            t["years"].append(f"{r['year']}:{r['progress'].rsplit('#', 1)[-1]}")
    plan = {k: t for k, t in targets.items() if a.report_year in t["article"]}
    judged = [t for t in plan.values() if t["status"] in ("met", "missed")]
    progressed = [t for t in plan.values() if any(not y.endswith("undetermined") for y in t["years"])]
    both = [t for t in plan.values() if t in judged and t in progressed]
    print(f"multi-year targets in the {a.report_year} report: {len(plan)}; with a progress status: {len(progressed)}; "
          f"with a met/missed verdict at the deadline: {len(judged)}; both: {len(both)}")
    silent = [t for t in plan.values() if not t["years"] and t["status"] not in ("met", "missed")]
    undetermined = [t for t in plan.values() if t["years"] and t not in progressed and t not in judged]
    print(f"  of those, no later value reported at all: {len(silent)}; values but no baseline or span to judge them "
          f"(undetermined): {len(undetermined)}")
    print(f"multi-year targets in all reports: {len(targets)}; with a progress status: "
          f"{sum(1 for t in targets.values() if any(not y.endswith('undetermined') for y in t['years']))}")
    for k, t in sorted(targets.items(), key=lambda kv: (kv[1]["article"], kv[1]["label"] or "")):
        print(f"  {t['article']} → {t['deadline']} {t['label']}: {t['status']}; {' '.join(t['years']) or '-'}")


if __name__ == "__main__":
    main()

"""What the published version says of its target records (the manifest's count, years, statuses
and first example; targets.csv), and when a rebuild may take them from the previous version
instead of making them again from the canned answers (at 5,000 articles about 1.3 s: parsing the
answers, the records, the CSV)."""

from __future__ import annotations

from pathlib import Path


def statuses(recs: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in recs:
        if r.get("status"):
            out[r["status"]] = out.get(r["status"], 0) + 1
    return dict(sorted(out.items()))


def summary(recs: list[dict]) -> dict:
    """What the manifest says of the target records: how many, their years' span, their statuses
    and the first one's IRI."""
    years = sorted({r["year"] for r in recs if r["year"]})
    return {"count": len(recs), "years": [years[0], years[-1]] if years else None, "statuses": statuses(recs),
            "first": [r["uri"] for r in recs[:1]]}


def same(previous: tuple[Path, dict] | None, kept: dict[str, int]) -> tuple[dict, dict] | None:
    """The previous version's target records (the summary its manifest holds, and its targets.csv
    entry), when this build's are the same: they are made (report.targets.records) from the
    answers of queries/targets.rq and outcomes.rq alone, and KEPT holds both only when their answer
    files are the previous version's, linked (publish.canned.keep: the same query text, no changed
    triple reaches them); the previous version was made by the same software for the same base
    (reusable), so the same code made the same records, CSV and summary from the same bytes.
    None otherwise, or when its targets.csv is not there as the manifest lists it."""
    if previous is None or "targets" not in kept or "outcomes" not in kept:
        return None
    folder, m = previous
    try:
        csv = next(f for f in m["files"] if f["name"] == "targets.csv")
        if (folder / "targets.csv").stat().st_size != csv["bytes"]:
            return None
        return {"count": m["targets"], "years": m["coverage"]["years"], "statuses": m["graphs"]["links"]["statuses"],
                "first": m["examples"][:1] if m["targets"] else []}, csv
    except (OSError, StopIteration, KeyError, TypeError):
        return None

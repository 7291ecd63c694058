"""What the published version says of its target records (the manifest's count, years, statuses
and first example; targets.csv): taken from the previous version when the canned answers they are
made from were kept (`same`), brought up to date from the previous version's with the rows
publish.delta took out of and set in those answers (`updated`, publish.targetlines), or made in
full from the answers (`made`: at 5,000 articles about 1.3 s: parsing the answers, the records,
the CSV)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..report import targets
from .targetlines import BOM, patched

log = logging.getLogger("kgbuild")


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


def made(recs: list[dict]) -> tuple[dict, bytes]:
    """The summary and targets.csv of the records RECS."""
    return summary(recs), (BOM + targets.to_csv(recs)).encode("utf-8")


def _previous(previous: tuple[Path, dict]) -> tuple[dict, dict] | None:
    """The summary the previous version's manifest holds and its targets.csv entry; None when its
    targets.csv is not there as the manifest lists it."""
    folder, m = previous
    try:
        csv_entry = next(f for f in m["files"] if f["name"] == "targets.csv")
        if (folder / "targets.csv").stat().st_size != csv_entry["bytes"]:
            return None
        return {"count": m["targets"], "years": m["coverage"]["years"], "statuses": m["graphs"]["links"]["statuses"],
                "first": m["examples"][:1] if m["targets"] else []}, csv_entry
    except (OSError, StopIteration, KeyError, TypeError):
        return None


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
    return _previous(previous)


def updated(previous: tuple[Path, dict] | None, answers: Path, kept: dict[str, int], refreshed: dict[str, int],
            changes: dict[str, tuple[list, list]]) -> tuple[dict, bytes] | None:
    """The summary and targets.csv from the previous version's (same software, same base) and the
    rows publish.delta took out of and set in the answers of targets.rq and outcomes.rq (CHANGES,
    by name: each answer KEPT as it was or REFRESHED row by row), read with the new answers in the
    folder ANSWERS; None when they must be made in full."""
    if previous is None:
        return None
    change = {}
    for name in ("targets", "outcomes"):
        if name in kept:
            change[name] = ([], [])
        elif name in refreshed and name in changes:
            change[name] = changes[name]
        else:
            return None                      # run in full: which rows changed is not known
    old = _previous(previous)
    if old is None:
        return None
    try:
        data = (previous[0] / "targets.csv").read_bytes()
        if len(data) != old[1]["bytes"]:
            return None
        got = patched(data, old[0], (answers / "targets.json").read_bytes(), (answers / "outcomes.json").read_bytes(),
                      change["targets"], change["outcomes"])
    except OSError:
        return None
    if got is None:
        log.debug("the target records made in full (the rows changed do not place among the previous)")
    return got

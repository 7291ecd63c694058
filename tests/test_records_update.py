"""The target records brought up to date from the previous version's targets.csv and summary and
the rows publish.delta took out of and set in the answers of targets.rq and outcomes.rq
(publish.records.patched) are what making them in full from the new answers gives, byte for byte:
for random edits of a synthetic corpus (figures changed, triples dropped, articles removed and
added), a year gone from the span, and a cell the CSV escapes."""

from __future__ import annotations

import json
import random
import shutil

import pyoxigraph as ox
import pytest

from conftest import national_dir
from kgbuild import paths
from kgbuild.pipeline import graph_for
from kgbuild.publish import delta, records, store
from kgbuild.publish.serialise import ntriples
from kgbuild.report import targets
from test_delta import PTKG, _edit, _keys, _store, corpus  # noqa: F401 — corpus: the fixture

TEXTS = {n: (paths.queries_dir() / f"{n}.rq").read_text(encoding="utf-8") for n in ("targets", "outcomes")}
SPARQL = "http://example.org/sparql"


@pytest.fixture(scope="module")
def reports() -> list[ox.Triple]:
    """Six years of national reports, each reporting on the targets of the years before: outcomes."""
    g, _ = graph_for([national_dir() / f"china-{year}.md" for year in range(2014, 2020)])
    return list(ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES))


def _answers(st: ox.Store) -> dict[str, bytes]:
    return {n: st.query(text).serialize(format=ox.QueryResultsFormat.JSON) for n, text in TEXTS.items()}


def _full(answers: dict[str, bytes]) -> tuple[dict, bytes]:
    """The summary and targets.csv made in full from the answers (what a --full build writes)."""
    return records.made(targets.records(None, None, {n: json.loads(b) for n, b in answers.items()}))


def _patched(old: list, new: list) -> tuple[tuple[dict, bytes] | None, tuple[dict, bytes], dict]:
    """The summary and CSV patched from OLD's (triples) to NEW's, made in full from NEW's, and the
    rows delta changed; None for the first when delta itself runs a query in full."""
    before, after = _store(old), _store(new)
    terms = delta._terms(_keys(before) ^ _keys(after))
    answers_old, answers_new = _answers(before), _answers(after)
    prev_summary, prev_csv = _full(answers_old)
    changes, bodies = {}, {}
    for n, text in TEXTS.items():
        record: list = [[], []]
        try:
            bodies[n], _ = delta.update(text, answers_old[n], terms, after, SPARQL,
                                        store.count_rows(answers_old[n]), record)
        except delta._Full:
            return None, _full(answers_new), {}
        assert bodies[n] == answers_new[n]
        changes[n] = tuple(record)
    got = records.patched(prev_csv, prev_summary, bodies["targets"], bodies["outcomes"], changes["targets"],
                          changes["outcomes"])
    return got, _full(answers_new), changes


@pytest.mark.parametrize("seed", range(16))
def test_patched_records_are_the_full_records(request, seed):
    rng = random.Random(seed)
    triples = request.getfixturevalue("reports" if seed % 4 else "corpus")    # the synthetic have no outcomes
    old, new = _edit(triples, rng), _edit(triples, rng)
    got, full, changes = _patched(old, new)
    if got is None:
        assert not changes, f"seed {seed}: the rows changed did not place"
        pytest.skip("delta ran a query in full")
    assert got[1] == full[1], f"seed {seed}"
    assert got[0] == full[0], f"seed {seed}"


def test_outcomes_alone_changed(reports):
    """Outcome links dropped and set in (not the status they rest on): the targets' own rows are
    the same, their lines get their outcomes again where they are."""
    links = [t for t in reports if t.predicate.value == PTKG + "outcome"]
    assert len(links) > 4
    gone = set(random.Random(3).sample(links, len(links) // 2))
    fewer = [t for t in reports if t not in gone]
    for old, new in ((reports, fewer), (fewer, reports)):
        got, full, changes = _patched(old, new)
        assert changes["outcomes"] != ([], []) and changes["targets"] == ([], [])
        assert got is not None and got == full
        assert any(" | " in line or "(20" in line for line in full[1].decode("utf-8").splitlines()[1:])


def test_the_years_span_shrinks_and_grows(corpus):  # noqa: F811
    """Every target of the last year loses its year: the span ends earlier (read from the lines);
    and back."""
    years = [t for t in corpus if t.predicate.value == PTKG + "year" and "/id/target/" in t.subject.value]
    last = max(int(t.object.value) for t in years)
    fewer = [t for t in corpus if not (t in years and int(t.object.value) == last)]
    for old, new in ((corpus, fewer), (fewer, corpus)):
        got, full, _ = _patched(old, new)
        assert got is not None and got == full
    assert full[0]["years"][1] == last and _full(_answers(_store(fewer)))[0]["years"][1] < last


def test_what_cannot_be_placed_is_made_in_full(corpus):  # noqa: F811
    rng = random.Random(1)
    old = _edit(corpus, rng)
    before = _store(old)
    answers = _answers(before)
    summary, csv = _full(answers)
    args = (answers["targets"], answers["outcomes"], ([], []), ([], []))
    assert records.patched(csv, summary, *args) == (summary, csv)            # nothing changed
    # a line more than the records (a line break in a cell), another header, another count
    assert records.patched(csv + b"x,y\n", summary, *args) is None
    assert records.patched(csv[3:], summary, *args) is None
    assert records.patched(csv, dict(summary, count=summary["count"] + 1), *args) is None


def test_a_rebuild_updates_the_records_and_equals_a_full_build(tmp_path, monkeypatch):
    """A rebuild (one year's report taken out, the next one's added: targets gone and new, and
    outcomes) brings targets.csv and the manifest's summary up to date (records.updated, the rows
    placed): what a full build of the same reports writes."""
    from kgbuild.pipeline import build
    src, out = tmp_path / "src", tmp_path / "dist"
    src.mkdir()
    for year in (2015, 2016, 2017, 2018):
        shutil.copy(national_dir() / f"china-{year}.md", src)
    build(sorted(src.glob("*.md")), out, jobs=1, cache_dir=tmp_path / "cache")
    placed = []
    real = records.patched
    monkeypatch.setattr(records, "patched", lambda *a: placed.append(real(*a)) or placed[-1])
    (src / "china-2015.md").unlink()
    shutil.copy(national_dir() / "china-2019.md", src)
    build(sorted(src.glob("*.md")), out, jobs=1, cache_dir=tmp_path / "cache")
    assert len(placed) == 1 and placed[0] is not None
    build(sorted(src.glob("*.md")), tmp_path / "full", jobs=1, full=True)

    def said(folder) -> tuple:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return (folder / "targets.csv").read_bytes(), m["targets"], m["coverage"]["years"], \
            m["graphs"]["links"]["statuses"], m["examples"]
    assert said(out) == said(tmp_path / "full")
    assert said(out)[3].get("met") and b"china-2019.md" in said(out)[0] and b"china-2015.md" not in said(out)[0]


def test_a_cell_the_csv_escapes_is_made_in_full(corpus):  # noqa: F811
    """An article file whose name starts with "=" is written "'=…" (targets.safe_cell): not the
    value the rows sort by, so a change among its lines makes the records in full."""
    files = sorted({t.object.value for t in corpus if t.predicate.value == PTKG + "sourceFile"})
    name = files[len(files) // 2]
    renamed = [ox.Triple(t.subject, t.predicate, ox.Literal("=" + name))
               if t.predicate.value == PTKG + "sourceFile" and t.object.value == name else t for t in corpus]
    at = next(i for i, t in enumerate(renamed) if t.predicate.value == PTKG + "value"
              and f"/id/target/{name.removesuffix('.md')}/" in t.subject.value)
    edited = list(renamed)
    t = edited[at]
    edited[at] = ox.Triple(t.subject, t.predicate, ox.Literal(str(float(t.object.value) + 1), datatype=t.object.datatype))
    got, full, changes = _patched(renamed, edited)
    assert changes["targets"][0] and got is None
    assert f"\n'={name},".encode() in full[1]

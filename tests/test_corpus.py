"""Corpus builds: one named graph per article, parallel extraction, incremental rebuilds by
content hash, failing articles reported by name and skipped, shared nodes checked on the union."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import BIN, ROOT, SEED, run_cli
from kgbuild.model import ArticleBuild
from kgbuild.pipeline import check_shared

REPORT = ROOT / "tests" / "data" / "made-up-report.md"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(d / "synthetic"), "--count", "6",
                    "--seed", "3"], check=True, capture_output=True)
    shutil.copy(SEED, d)
    shutil.copy(REPORT, d)
    return d


def _graphs(nq: bytes) -> dict[str, list[str]]:
    """Graph name → its sorted N-Triples lines, from an N-Quads dump."""
    out: dict[str, list[str]] = {}
    for q in ox.parse(nq, format=ox.RdfFormat.N_QUADS):
        out.setdefault(q.graph_name.value, []).append(str(ox.Triple(q.subject, q.predicate, q.object)) + " .")
    return {g: sorted(lines) for g, lines in out.items()}


def _build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("kgbuild", "build", str(src), "--out", str(out), *extra)


def test_one_named_graph_per_article_in_nquads_trig_and_store(corpus, tmp_path):
    out = tmp_path / "dist"
    r = _build(corpus, out, "--no-cache")
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert len(m["articles"]) == 8 and m["skipped"] == []
    graphs = _graphs((out / "dataset.nq").read_bytes())
    shared, links = "http://127.0.0.1:5000/graph/shared", "http://127.0.0.1:5000/graph/links"
    assert set(graphs) == {a["graph"] for a in m["articles"]} | {shared, links}
    assert m["graphs"]["links"]["graph"] == links and m["graphs"]["links"]["triples"] == len(graphs[links])
    assert all(" <https://w3id.org/ptkg/ns#" in line for line in graphs[links])     # outcomes and statuses only
    assert m["graphs"]["shared"]["triples"] == len(graphs[shared])
    # no triple is in two graphs (so the union default graph has no duplicates), and the shared
    # graph holds exactly the nodes no article owns
    lines = [line for g in graphs.values() for line in g]
    assert len(lines) == len(set(lines))
    assert all(line.startswith(("<http://127.0.0.1:5000/id/place/", "<http://127.0.0.1:5000/id/indicator",
                                "<http://127.0.0.1:5000/id/org/", "<http://127.0.0.1:5000/id/person/",
                                "<http://127.0.0.1:5000/id/software/", "<https://w3id.org/ptkg/indicator/"))
               for line in graphs[shared])
    seed = next(a for a in m["articles"] if a["key"] == "quanzhou-2022")
    assert seed["graph"] == "http://127.0.0.1:5000/graph/article/quanzhou-2022" and seed["triples"] == len(graphs[seed["graph"]])
    # every article's graph holds its own article and targets, and nothing of another article
    for a in m["articles"]:
        assert not any("/id/place/" in line.split(" ", 1)[0] for line in graphs[a["graph"]])
        text = "\n".join(graphs[a["graph"]])
        assert f"/id/article/{a['key']}>" in text
        assert not any(f"/id/article/{b['key']}>" in text for b in m["articles"] if b is not a)
    # TriG holds the same quads; N-Triples is their union, each triple once
    trig = {str(q) for q in ox.parse((out / "dataset.trig").read_bytes(), format=ox.RdfFormat.TRIG)}
    nquads = {str(q) for q in ox.parse((out / "dataset.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)}
    assert trig == nquads
    union = {line for lines in graphs.values() for line in lines}
    nt = (out / "dataset.nt").read_text(encoding="utf-8").splitlines()
    assert len(nt) == len(union) and set(nt) == union            # each triple once
    # graph by graph, in the order of their names, each graph's lines sorted (publish.pieces)
    assert nt == [line for g in sorted(graphs) for line in sorted(graphs[g])]
    # Turtle and JSON-LD hold the same triples
    ttl = {str(t) for t in ox.parse((out / "dataset.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)}
    js = {str(t) for t in ox.parse((out / "dataset.jsonld").read_bytes(), format=ox.RdfFormat.JSON_LD)}
    assert ttl == js == {str(t) for t in ox.parse("\n".join(nt).encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert m["triples"] == len(union) and m["quads"] == len(nquads)
    # the store keeps the graphs apart and answers over their union by default
    st = ox.Store.read_only(str(out / "store"))
    n = {s["g"].value: int(s["n"].value) for s in st.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'http://127.0.0.1:5000/graph/article/')) } GROUP BY ?g")}
    assert n == {g: len(lines) for g, lines in graphs.items() if g not in (shared, links)}
    # a node several articles use is described once in the union, which the default graph holds
    labels = list(st.query("SELECT ?l WHERE { <http://127.0.0.1:5000/id/software/kgbuild> ?p ?l }"))
    assert len(labels) == 3
    default = {str(t) for t in st.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in st.quads_for_pattern(None, None, None)
             if q.graph_name != ox.DefaultGraph()}
    assert default == named


def test_parallel_and_sequential_builds_are_identical(corpus, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert _build(corpus, a, "--no-cache", "-j", "1").returncode == 0
    assert _build(corpus, b, "--no-cache", "-j", "2").returncode == 0
    for name in ("dataset.nq", "dataset.nt", "dataset.trig", "dataset.ttl", "targets.csv", "validation.ttl"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_incremental_rebuild_extracts_only_changed_articles(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out, cache = tmp_path / "dist", tmp_path / "cache"
    r = _build(src, out, "--cache", str(cache))
    assert r.returncode == 0 and "(0 unchanged" in r.stdout, r.stdout + r.stderr
    before = _graphs((out / "dataset.nq").read_bytes())
    r = _build(src, out, "--cache", str(cache))
    assert "nothing changed" in r.stdout, r.stdout
    assert _graphs((out / "dataset.nq").read_bytes()) == before
    # change one article: only it is extracted again, and only its graph changes
    changed = src / "synthetic" / "synthetic-00002.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("今年，我市将", "今年，我市将新增停车位900个，", 1),
                       encoding="utf-8")
    r = _build(src, out, "--cache", str(cache))
    assert r.returncode == 0 and "(7 unchanged" in r.stdout, r.stdout + r.stderr
    after = _graphs((out / "dataset.nq").read_bytes())
    g = "http://127.0.0.1:5000/graph/article/synthetic-00002"
    assert {k for k in before if before[k] != after[k]} - {"http://127.0.0.1:5000/graph/shared",
                                                          "http://127.0.0.1:5000/graph/links"} == {g}
    assert any('"900.0"' in line and "/target/synthetic-00002/" in line for line in after[g])
    # and the cached build is exactly what a clean build gives
    clean = tmp_path / "clean"
    assert _build(src, clean, "--no-cache").returncode == 0
    for name in ("dataset.nq", "targets.csv", "validation.ttl"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    # the cache holds exactly the articles of the last build
    assert len(list(cache.glob("*.json"))) == 8


def test_failing_article_is_reported_and_skipped(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    (src / "broken.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
    (src / "empty.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "dist"
    r = _build(src, out)
    assert r.returncode == 3, r.stderr
    assert "broken.md" in r.stderr and "UTF-8" in r.stderr and "empty.txt" in r.stderr and "Traceback" not in r.stderr
    assert "2 article(s) skipped" in r.stdout
    m = json.loads((out / "manifest.json").read_text())
    assert len(m["articles"]) == 8
    assert [s["file"].rsplit("/", 1)[-1] for s in m["skipped"]] == ["broken.md", "empty.txt"]
    assert "not valid UTF-8" in m["skipped"][0]["error"]
    # --strict publishes nothing and keeps what was there
    before = (out / "manifest.json").read_bytes()
    r = _build(src, out, "--strict")
    assert r.returncode == 2 and "broken.md" in r.stderr
    assert (out / "manifest.json").read_bytes() == before


def _article(key: str, lines: list[str]) -> ArticleBuild:
    return ArticleBuild(key=key, file=f"{key}.md", sha256="0" * 64, graph=f"http://x/graph/article/{key}",
                        ntriples="\n".join(sorted(lines)) + "\n", report="", violations=0, warnings=0, report_text="",
                        targets=0, observations=0, places=())


def test_shared_nodes_are_checked_on_the_union():
    """Each graph passes alone, but together they give one place two Chinese names: both are
    left out, the others kept."""
    place = "<http://x/id/place/p>"
    common = [f"{place} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ptkg/ns#Place> .",
              f'{place} <https://w3id.org/ptkg/ns#divisionCode> "350500" .']
    a = _article("a", common + [f'{place} <http://www.w3.org/2000/01/rdf-schema#label> "泉州市"@zh .'])
    b = _article("b", common + [f'{place} <http://www.w3.org/2000/01/rdf-schema#label> "厦门市"@zh .'])
    c = _article("c", ['<http://x/id/c> <http://www.w3.org/2000/01/rdf-schema#label> "c" .'])
    kept, failed = check_shared([a, b, c], [])
    assert [k.key for k in kept] == ["c"]
    assert sorted(f.file for f in failed) == ["a.md", "b.md"]
    assert all(f.exit_code == 1 and "/id/place/p" in f.error for f in failed)
    # the same description in both graphs is fine
    b_same = _article("b", common + [f'{place} <http://www.w3.org/2000/01/rdf-schema#label> "泉州市"@zh .'])
    kept, failed = check_shared([a, b_same, c], [])
    assert len(kept) == 3 and failed == []


def test_an_extractor_crash_on_one_article_is_reported_and_the_rest_published(tmp_path, monkeypatch):
    """Fault injection: the extractor raises on one article (a bug, not bad input)."""
    from kgbuild import pipeline
    real = pipeline.extract

    def flaky(article, lex):
        if article.key == "made-up-report":
            raise IndexError("list index out of range")
        return real(article, lex)

    monkeypatch.setattr(pipeline, "extract", flaky)
    published, _, failed = pipeline.build([SEED, REPORT], tmp_path / "dist", jobs=1)
    assert published.articles == 1 and [f.file for f in failed] == [str(REPORT)]
    assert "extractor failed" in failed[0].error and "IndexError" in failed[0].error and failed[0].exit_code == 2


def test_linking_reads_each_article_alone_as_it_would_read_their_union():
    """Stage 6 joins the rows each article gave when it was built (cached with it) instead of
    querying the union of all article graphs: the same statements, so the same links."""
    from conftest import gold_dir, national_dir
    from kgbuild.link.outcomes import from_rows, rows, statements
    from kgbuild.pipeline import article
    files = [SEED, REPORT] + sorted(gold_dir().rglob("*.md")) + sorted(national_dir().glob("*.md"))
    built = [a for a in (article(f) for f in files if f.name != "GUIDELINES.md") if isinstance(a, ArticleBuild)]
    nt = "".join(sorted({line + "\n" for a in built for line in a.ntriples.splitlines() if line})).encode("utf-8")
    whole = statements(nt)
    assert len(whole) > 100
    assert from_rows(r for a in built for r in a.statements) == whole
    assert sum(len(a.statements) for a in built) == len(rows(nt))

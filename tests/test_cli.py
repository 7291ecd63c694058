"""CLI exit codes and messages on good and bad input; a failed build never touches dist/."""

import json
import shutil

import pytest

from rdflib import Graph, Literal, URIRef

import kgbuild

from conftest import ROOT, SEED, run_cli

PTKG = "https://w3id.org/ptkg/ns#"


def test_build_outputs(built):
    m = json.loads((built / "manifest.json").read_text())
    assert m["targets"] == 34 and m["validation"]["conforms"] is True
    assert m["software_version"] == kgbuild.__version__ and m["software_version"] != m["dataset_version"]
    names = {f["name"] for f in m["files"]}
    assert {"dataset.ttl", "dataset.nt", "dataset.jsonld", "targets.csv", "validation.ttl"} <= names
    g = Graph().parse(built / "dataset.ttl", format="turtle")
    assert len(g) == m["triples"]
    assert len(Graph().parse(built / "dataset.nt", format="nt")) == m["triples"]
    assert len(Graph().parse(built / "dataset.jsonld", format="json-ld")) == m["triples"]
    rows = (built / "targets.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("article,indicator,comparator,value,min,max,unit,kind,year,area,mentions,uri")
    assert len(rows) == 35
    for f in m["files"]:
        assert (built / f["name"]).stat().st_size == f["bytes"]


def test_bad_input_exits_2_and_keeps_dist(built, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    before = (out / "manifest.json").read_bytes()
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntitle: x\n---\n\xff")
    r = run_cli("kgbuild", "build", str(bad), "--out", str(out))
    assert r.returncode == 2
    assert "bad.md" in r.stderr and "UTF-8" in r.stderr and "Traceback" not in r.stderr
    assert (out / "manifest.json").read_bytes() == before
    assert not list(tmp_path.glob(".dist.tmp-*"))


def test_nonconforming_graph_is_not_published(built, tmp_path):
    """A stricter shape the seed violates: build exits 1 and leaves the previous dist/ as it was."""
    res = tmp_path / "res"
    for d in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / d, res / d)
    (res / "shapes").mkdir()
    shapes = (ROOT / "shapes" / "ptkg-shapes.ttl").read_text(encoding="utf-8")
    shapes += ("\nptkgsh:Strict a sh:NodeShape ; sh:targetClass ptkg:Target ;\n"
               "  sh:property [ sh:path ptkg:value ; sh:maxInclusive 100 ] .\n")
    (res / "shapes" / "ptkg-shapes.ttl").write_text(shapes, encoding="utf-8")
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    r = run_cli("kgbuild", "build", str(SEED), "--out", str(out), env={"KG_RESOURCES": str(res)})
    assert r.returncode == 1, r.stderr
    assert "does not conform" in r.stderr and "Strict" in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_validate_exit_codes(built, tmp_path):
    assert run_cli("kgbuild", "validate", str(built / "dataset.ttl")).returncode == 0
    g = Graph().parse(built / "dataset.ttl", format="turtle")
    target = next(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(PTKG + "Target")))
    g.remove((target, URIRef(PTKG + "indicator"), None))
    g.add((target, URIRef(PTKG + "value"), Literal("many")))
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    r = run_cli("kgbuild", "validate", str(broken))
    assert r.returncode == 1
    assert str(target) in r.stdout and "indicator" in r.stdout and "TargetShape" in r.stdout
    junk = tmp_path / "junk.ttl"
    junk.write_text("this is not turtle <", encoding="utf-8")
    r = run_cli("kgbuild", "validate", str(junk))
    assert r.returncode == 2 and "junk.ttl" in r.stderr
    assert run_cli("kgbuild", "validate", str(tmp_path / "missing.ttl")).returncode == 2


def test_targets_command_formats():
    r = run_cli("kgbuild", "targets", str(SEED))
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(recs) == 34
    assert set(recs[0]) == {"article", "indicator", "comparator", "value", "min", "max", "unit", "kind", "year",
                            "area", "mentions", "uri", "place", "place_code", "level", "cue", "status", "status_rule",
                            "outcomes", "confidence"}
    first = recs[0]
    assert (first["place"], first["place_code"], first["level"], first["cue"]) == ("泉州市", "350500", "strive", "力争")
    assert first["status"] == "notReported" and first["outcomes"] == []      # nothing reports on 2022 yet
    r = run_cli("kgbuild", "targets", str(SEED), "--format", "csv")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 35
    r = run_cli("kgbuild", "targets", "/nonexistent.md")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_observations_command(tmp_path):
    report = tmp_path / "review.md"
    report.write_text("---\ntitle: 某市2023年工作回顾\ndate: 2024-01-20\n---\n\n"
                      "过去一年，某市地区生产总值增长6.1%。今年将新增就业2万人。\n", encoding="utf-8")
    r = run_cli("kgbuild", "observations", str(report))
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["value"], o["unit"], o["year"], o["cue"]) for o in recs] == [(6.1, "%", 2023, "过去")]
    assert set(recs[0]) == {"article", "indicator", "comparator", "value", "min", "max", "unit", "kind", "year",
                            "place", "place_code", "mentions", "cue", "uri", "confidence"}
    r = run_cli("kgbuild", "observations", str(report), "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("article,indicator,") and len(r.stdout.splitlines()) == 2


def test_targets_reports_a_bad_article_and_prints_the_others(tmp_path):
    bad = tmp_path / "broken.md"
    bad.write_bytes(b"\xff\xfe not text")
    r = run_cli("kgbuild", "targets", str(SEED), str(bad))
    assert r.returncode == 2 and "broken.md" in r.stderr and "UTF-8" in r.stderr
    assert len(r.stdout.splitlines()) == 34


def test_query_command(built, tmp_path):
    r = run_cli("kgbuild", "query", "--query", "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/ptkg/ns#Target> }",
                "--data", str(built))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"] == "34"
    r = run_cli("kgbuild", "query", "targets", "--data", str(built), "--format", "csv")
    assert r.returncode == 0 and r.stdout.startswith("target,article,indicator")
    r = run_cli("kgbuild", "query", "--query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/ptkg/ns#Place> ; ?p ?o }",
                "--data", str(built), "--format", "ttl")
    assert r.returncode == 0 and "350500" in r.stdout
    r = run_cli("kgbuild", "query", "--query", "SELEC nonsense", "--data", str(built))
    assert r.returncode == 2 and "malformed SPARQL" in r.stderr
    r = run_cli("kgbuild", "query", "--query", "SELECT * {}", "--data", str(tmp_path))
    assert r.returncode == 2 and "kgbuild build" in r.stderr


@pytest.mark.parametrize("base", ["not a url", "example.org", "ftp:/x", "http://", "https://ex.org/a b"])
def test_a_bad_base_is_a_one_line_usage_error(tmp_path, base):
    r = run_cli("kgbuild", "build", str(SEED), "--out", str(tmp_path / "d"), "--base", base)
    assert r.returncode == 2 and "--base" in r.stderr and "Traceback" not in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.strip()]) <= 3


def test_server_start_errors_are_one_line(built):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run_cli("kgserve", "--data", str(built), "--port", str(port))
    assert r.returncode == 2 and "cannot listen" in r.stderr and "Traceback" not in r.stderr
    assert "serving" not in r.stderr
    r = run_cli("kgserve", "--data", str(built), "--port", "99999")
    assert r.returncode == 2 and "99999" in r.stderr and "Traceback" not in r.stderr


def test_server_warns_when_the_dataset_base_is_not_where_it_listens(built):
    from conftest import Server
    s = Server(built)                                 # built for :5000, served on another port
    try:
        log = open(s.log.name, encoding="utf-8").read()
    finally:
        s.stop()
    assert f"built for http://127.0.0.1:5000/, but this server is reached at http://127.0.0.1:{s.port}/" in log


def test_input_errors_name_the_file_once_and_the_line_where_the_trouble_starts(tmp_path):
    """An unclosed quote in the front matter is reported at the line it opens on, and the file
    name is not repeated; a binary file gets one line too."""
    bad = tmp_path / "quote.md"
    bad.write_text('---\ntitle: "某县工作安排\ndate: 2023-01-05\ntags: [x]\n---\n<p>今年新增企业5家。</p>\n', encoding="utf-8")
    r = run_cli("kgbuild", "build", str(bad), "--out", str(tmp_path / "d"))
    assert r.returncode == 2
    assert r.stderr.strip() == (f"error: {bad}: line 2: invalid YAML front matter: while scanning a quoted scalar "
                                "(column 8), found unexpected end of stream"), r.stderr
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x00\x01\x02abc")
    r = run_cli("kgbuild", "build", str(binary), "--out", str(tmp_path / "d"))
    assert r.returncode == 2 and r.stderr.count(str(binary)) == 1 and r.stderr.count("\n") == 1, r.stderr


def test_an_article_without_numbers_is_published_with_a_notice(tmp_path):
    art = tmp_path / "plain.md"
    art.write_text('---\ntitle: "某区工作会议召开"\ndate: 2023-01-05\n---\n<p>会议强调继续推进各项工作。</p>\n', encoding="utf-8")
    r = run_cli("kgbuild", "build", str(art), "--out", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    assert "warning: plain.md: no numeric targets or reported values found" in r.stderr

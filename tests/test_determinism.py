"""Same input, byte-identical files and the same URIs — across processes with different hash seeds."""

import json

from conftest import SEED, run_cli

DUMPS = ["dataset.ttl", "dataset.nt", "dataset.jsonld", "targets.csv", "validation.ttl", "validation.txt", "ontology.ttl",
         "ontology.jsonld", "ontology.html"]


def test_two_builds_are_byte_identical(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"d{seed}"
        r = run_cli("kgbuild", "build", str(SEED), "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(out)
    for name in DUMPS:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    m1, m2 = (json.loads((o / "manifest.json").read_text()) for o in outs)
    for m in (m1, m2):   # the build time, and the catalog that states it (dct:modified), differ by design
        m.pop("build_time")
        m["files"] = [f for f in m["files"] if not f["name"].startswith("catalog.")]
    assert m1 == m2


def test_manifest_identical_with_source_date_epoch(tmp_path):
    outs = []
    for seed in ("3", "4"):
        out = tmp_path / f"d{seed}"
        r = run_cli("kgbuild", "build", str(SEED), "--out", str(out),
                    env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1643417714"})
        assert r.returncode == 0, r.stderr
        outs.append(out)
    for name in DUMPS + ["manifest.json", "catalog.ttl", "catalog.jsonld", "catalog.rdf"]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert json.loads((outs[0] / "manifest.json").read_text())["build_time"] == "2022-01-29T00:55:14Z"

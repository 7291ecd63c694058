"""A link that violates the shapes stops the build: nothing is published, no temporary version or
store folder is left."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kgbuild import pipeline
from kgbuild.errors import ValidationFailed
from kgbuild.graph import validate

SEED = Path(__file__).resolve().parent.parent / "data" / "articles" / "quanzhou-2022.md"
ONLY_MET = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ptkg: <https://w3id.org/ptkg/ns#> .
@prefix status: <https://w3id.org/ptkg/code/status#> .
<urn:test:OnlyMet> a sh:NodeShape ; sh:targetSubjectsOf ptkg:status ;
    sh:property [ sh:path ptkg:status ; sh:in ( status:met ) ] .
"""


def test_a_link_that_violates_the_shapes_publishes_nothing(tmp_path, monkeypatch):
    stricter = Graph()
    for t in validate.links_shapes():
        stricter.add(t)
    stricter.parse(data=ONLY_MET, format="turtle")     # the seed's 34 links are notReported: each violates it
    monkeypatch.setattr("kgbuild.link.stage.links_shapes", lambda: stricter)
    out = tmp_path / "dist"
    with pytest.raises(ValidationFailed, match="links between targets and outcomes"):
        pipeline.build([SEED], out, full=True)
    assert not out.exists() and not out.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.lock"]   # no temporary version, no store folder


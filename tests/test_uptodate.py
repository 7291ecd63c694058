"""A build that finds nothing changed answers without loading the stages (issue 25: "nothing
changed confirms that in about a second"): kgbuild.uptodate compares one hash of every input with
the published version's, with no rdflib, pyoxigraph, jieba or pyshacl in the process; any changed
input (an article's bytes, a new article, a corrections file) means the build has work to do."""

from __future__ import annotations

import json
import subprocess

from conftest import BIN, run_cli
from test_rebuild import write_corpus

HEAVY = ("rdflib", "pyoxigraph", "jieba", "pyshacl", "pyshacl_turbo", "pypinyin", "yaml")

CHECK = """
import json, sys
from pathlib import Path
from kgbuild.uptodate import published
found = published([sys.argv[1]], Path(sys.argv[2]), "http://127.0.0.1:5000/", sys.argv[3] if len(sys.argv) > 3 else None)
print(json.dumps({"kept": None if found is None else found[0].version,
                  "loaded": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def check(src, out, *corrections) -> dict:
    r = subprocess.run([str(BIN / "python"), "-c", CHECK, str(src), str(out), *map(str, corrections)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_nothing_changed_is_answered_without_loading_the_stages(tmp_path):
    src, out = write_corpus(tmp_path / "articles", 3), tmp_path / "dist"
    r = run_cli("kgbuild", "build", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    version = out.resolve().name
    assert check(src, out) == {"kept": version, "loaded": []}
    again = run_cli("kgbuild", "build", str(src), "--out", str(out))
    assert again.returncode == 0 and "nothing changed" in again.stdout and version in again.stdout, again.stdout
    assert out.resolve().name == version

    first = sorted(src.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    assert check(src, out)["kept"] is None                      # an article's bytes
    changed = run_cli("kgbuild", "build", str(src), "--out", str(out))
    assert changed.returncode == 0 and "nothing changed" not in changed.stdout
    assert check(src, out)["kept"] == out.resolve().name != version

    fixes = tmp_path / "corrections"
    fixes.mkdir()
    (fixes / "note.yaml").write_text("[]\n", encoding="utf-8")
    assert check(src, out, fixes)["kept"] is None               # a corrections folder the version was not built with
    (src / "county-2099.md").write_text(first.read_text(encoding="utf-8").replace("2020", "2099"), encoding="utf-8")
    assert check(src, out)["kept"] is None                      # a new article

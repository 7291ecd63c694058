"""The layout rules the README states: one module owns each heavy dependency, triples are added in
known places only, the server never imports the build, and the stages live in their own folders."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kgbuild"


def _imports(path: Path) -> set[str]:
    mods = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            mods |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods.add(node.module.split(".")[0])
    return mods


def _py(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _users(module: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in _py(KG) + _py(ROOT / "server") if module in _imports(p)]


def test_one_module_owns_each_heavy_dependency():
    assert _users("jieba") == ["kgbuild/extract/segment.py"]
    assert _users("pyshacl") == ["kgbuild/graph/validate.py"]
    assert _users("pyshacl_turbo") == ["kgbuild/graph/validate.py"]
    assert _users("pylode") == ["kgbuild/publish/docs.py"]
    assert _users("opencc") == ["kgbuild/extract/script.py"]
    assert _users("trafilatura") == ["kgbuild/read/maintext.py"]
    assert _users("pypdfium2") == ["kgbuild/read/pdf.py"]
    assert _users("pdfplumber") == []                       # measured and not taken (kgbuild/read/pdf.py)
    assert _users("docx") == ["kgbuild/read/word.py"]
    assert _users("httpx") == ["kgbuild/fetch/client.py"]
    assert _users("protego") == ["kgbuild/fetch/client.py"]
    assert _users("feedparser") == ["kgbuild/fetch/sources.py"]
    assert _users("lxml") == ["kgbuild/fetch/sources.py"]


def test_server_never_imports_the_build():
    offenders = [str(p.relative_to(ROOT)) for p in _py(ROOT / "server") if "kgbuild" in _imports(p)]
    assert offenders == []


def test_triples_are_added_in_known_places_only():
    adders = sorted(str(p.relative_to(ROOT)) for p in _py(KG) if ".add((" in p.read_text(encoding="utf-8"))
    # the article graphs, the catalog built from the manifest, the SHACL report
    assert adders == ["kgbuild/graph/mapping.py", "kgbuild/graph/validate.py", "kgbuild/publish/catalog.py"]


def test_stage_folders_say_what_they_hold():
    for stage in ("fetch", "read", "extract", "graph", "correct", "link", "publish", "report"):
        init = KG / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} has no docstring"
        missing = [p.name for p in sorted((KG / stage).glob("*.py")) if p.name != "__init__.py" and p.name not in doc]
        assert missing == [], f"{init}'s docstring does not say what {missing} hold"


def test_readme_tree_matches_the_folders():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme[readme.index("## How it is built"):]
    tree = tree[tree.index("```") + 3:]
    tree = tree[:tree.index("```")]
    named = {w for line in tree.splitlines() for w in line.split() if w.endswith(".py")}
    actual = {p.name for p in _py(KG) if p.name != "__init__.py"}
    assert actual - named == set(), f"modules missing from the README tree: {sorted(actual - named)}"
    assert {w for w in named if w not in {"engine.py", "remote.py", "live.py", "http.py", "labels.py"}} - actual == set()

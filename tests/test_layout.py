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
    actual = {p.name for p in _py(KG) + _py(SERVER) if p.name != "__init__.py"}
    assert actual - named == set(), f"modules missing from the README tree: {sorted(actual - named)}"
    assert named - actual == set(), f"the README tree names modules that do not exist: {sorted(named - actual)}"
    for sub in ("service/", "site/"):
        assert sub in tree, f"the README tree does not show server/{sub}"


SERVER = ROOT / "server"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _server_graph() -> dict[str, set[str]]:
    """server's modules → the server modules each imports, at the top or inside a function (a
    lazy import is still a dependency). `from . import x` names the module x when there is one."""
    mods = {_module(p): p for p in _py(SERVER)}
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                deps.add(target)
                deps |= {f"{target}.{a.name}" for a in node.names}
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None
    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_server_has_no_import_cycles():
    graph = _server_graph()
    assert "server.service.live" in graph["server.site.lookup"] and "server.site.tracker" in graph["server.site.entities"]
    # the package's own __init__ wires everything; a cycle through it is Python's parent-package import,
    # not a dependency between modules
    graph = {k: v - {"server"} for k, v in graph.items()}
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


def test_server_is_two_packages_and_the_service_never_imports_the_site():
    graph = _server_graph()
    service = [m for m in graph if m.startswith("server.service")]
    site = [m for m in graph if m.startswith("server.site")]
    assert "server.service.sparql" in service and "server.site.entities" in site
    offenders = {m: sorted(d for d in graph[m] if d.startswith("server.site")) for m in service}
    assert {m: d for m, d in offenders.items() if d} == {}
    loose = sorted(p.name for p in SERVER.glob("*.py"))
    assert loose == ["__init__.py", "cli.py", "config.py", "errors.py"], loose
    for sub in ("service", "site"):
        doc = ast.get_docstring(ast.parse((SERVER / sub / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"server/{sub}/__init__.py has no docstring"
        missing = [p.name for p in sorted((SERVER / sub).glob("*.py")) if p.name != "__init__.py" and p.name not in doc]
        assert missing == [], f"server/{sub}'s docstring does not say what {missing} hold"

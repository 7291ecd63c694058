"""The store a cold build starts while the links are made (publish.early) holds the quads
store.build_store loads from the dumps, and a build that fails before finishing it leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgbuild import paths
from kgbuild.graph.iris import ontology_graph_iri
from kgbuild.model import ArticleBuild
from kgbuild.publish import store
from kgbuild.publish.early import EarlyStore
from kgbuild.publish.version import recover

BASE = "http://data.example.org/"
P = "<https://w3id.org/ptkg/ns#p>"


def article(key: str, *lines: str) -> ArticleBuild:
    return ArticleBuild(key=key, file=f"{key}.md", sha256="0" * 64, graph=f"{BASE}graph/article/{key}",
                        ntriples="".join(sorted(f"{line} .\n" for line in lines)), report="", violations=0, warnings=0,
                        report_text="", targets=0, observations=0, places=())


ARTICLES = [
    article("b", f"<{BASE}id/article/b> {P} \"二\"@zh", f"<{BASE}id/article/b> {P} <{BASE}id/place/beijing>",
            f"<{BASE}id/place/beijing> {P} \"北京\"@zh"),
    article("a", f"<{BASE}id/article/a> {P} \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>",
            f"<{BASE}id/place/beijing> {P} \"北京\"@zh", f"<{BASE}id/place/beijing> {P} \"Beijing\"@en"),
    article("empty"),
]
LINKS = f"<{BASE}id/target/t1> {P} <{BASE}id/article/a> .\n"


def test_the_early_store_holds_what_build_store_loads_from_the_dumps(tmp_path):
    out = tmp_path / "dist"
    early = EarlyStore(ARTICLES, out, BASE)
    assert early.shared == f"<{BASE}id/place/beijing> {P} \"Beijing\"@en .\n<{BASE}id/place/beijing> {P} \"北京\"@zh .\n"
    graphs = dict(early.own) | {f"{BASE}graph/links": LINKS, f"{BASE}graph/shared": early.shared}
    try:
        early.finish({f"{BASE}graph/links": LINKS, f"{BASE}graph/shared": early.shared}, tmp_path / "early")
    finally:
        early.close()
    # the dumps as publish.pieces writes them: N-Quads and the union's N-Triples, graph by graph
    (tmp_path / "d.nq").write_text("".join(graphs[n].replace(" .\n", f" <{n}> .\n") for n in sorted(graphs)), encoding="utf-8")
    (tmp_path / "d.nt").write_text("".join(graphs[n] for n in sorted(graphs)), encoding="utf-8")
    store.build_store(tmp_path / "loaded", tmp_path / "d.nq", sorted(paths.ontology_dir().glob("*.ttl")),
                      str(ontology_graph_iri(BASE)), tmp_path / "d.nt")
    made, loaded = (set(ox.Store.read_only(str(tmp_path / d))) for d in ("early", "loaded"))
    assert made == loaded
    assert len([q for q in made if q.graph_name == ox.DefaultGraph() and "ptkg/ns#p" in str(q.predicate)]) == 6
    assert not early.folder.exists()


def test_a_build_that_fails_before_the_store_is_finished_leaves_no_folder(tmp_path):
    out = tmp_path / "dist"
    early = EarlyStore(ARTICLES, out, BASE)
    assert early.folder.parent == tmp_path and early.folder.name.startswith(".dist.")
    early.close()                           # publish never called finish
    assert not early.folder.exists()
    early.folder.mkdir()                    # as a killed build leaves it: recover removes it once its process is gone
    gone = early.folder.with_name(early.folder.name.rsplit("-", 1)[0] + "-999999999")
    early.folder.rename(gone)
    recover(out)
    assert not gone.exists()


def test_articles_left_out_after_the_store_started_are_not_in_it(tmp_path, monkeypatch):
    monkeypatch.setattr("kgbuild.publish.early.CHUNK", 1)      # a chunk per graph: the loading stops between them
    early = EarlyStore(ARTICLES, tmp_path / "dist", BASE)
    try:
        early.restart([a for a in ARTICLES if a.key != "b"])   # check_shared left b out
        early.finish({f"{BASE}graph/shared": early.shared}, tmp_path / "early")
    finally:
        early.close()
    graphs = {str(q.graph_name) for q in ox.Store.read_only(str(tmp_path / "early"))}
    assert f"<{BASE}graph/article/a>" in graphs and f"<{BASE}graph/article/b>" not in graphs
    assert f"<{BASE}id/article/b>" not in {str(q.subject) for q in ox.Store.read_only(str(tmp_path / "early"))}


def test_the_default_graph_in_memory_from_the_lines_is_the_union_dump_loaded(tmp_path):
    early = EarlyStore(ARTICLES, tmp_path / "dist", BASE)
    rest = {f"{BASE}graph/links": LINKS, f"{BASE}graph/shared": early.shared}
    onto = sorted(paths.ontology_dir().glob("*.ttl"))
    try:
        made = set(early.memory(rest, onto))
    finally:
        early.close()
    graphs = dict(early.own) | rest
    (tmp_path / "d.nt").write_text("".join(graphs[n] for n in sorted(graphs)), encoding="utf-8")
    assert made == set(store.memory_store(tmp_path / "d.nt", onto))
    assert ox.Quad(ox.NamedNode(f"{BASE}id/target/t1"), ox.NamedNode(P[1:-1]), ox.NamedNode(f"{BASE}id/article/a")) in made


def test_the_counts_made_from_the_copy_in_memory_are_the_stores(tmp_path):
    """A cold build counts the endpoint's and the ontology's triples on its in-memory copy while the
    store is optimised (publish.dist): what store.counts finds on the store it publishes."""
    from kgbuild import pipeline
    from kgbuild.graph.iris import ontology_graph_iri
    import json
    seed = Path(__file__).resolve().parent.parent / "data" / "articles" / "quanzhou-2022.md"
    out = tmp_path / "dist"
    pipeline.build([seed], out, base=BASE, full=True)
    counted = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]
    found = store.counts(store.open_store(out), str(ontology_graph_iri(BASE)))
    assert (counted["endpoint"], counted["ontology"]) == found
    assert found[0] > counted["dumps"] and found[1] > 0

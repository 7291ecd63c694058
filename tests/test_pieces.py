"""publish.pieces writes each graph's TriG block from its Turtle piece (a tab before each line, in
`<graph> { … }`): the same bytes as pyoxigraph's TriG writer, and every dump holds the graphs given."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from kgbuild.publish import pieces

PREFIXES = {"ptkg": "https://w3id.org/ptkg/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "place": "http://example.org/id/place/"}
A = "http://example.org/graph/article/a"
B = "http://example.org/graph/article/b"
# awkward terms: raw newline, tab, quotes and backslash in literals, a language tag, a datatype,
# blank nodes, prefixed and full IRIs, an IRI with a '#', several subjects and predicates
GRAPHS = {
    A: "\n".join(sorted([
        '<http://example.org/id/article/a> <https://w3id.org/ptkg/ns#sentence> "第一行\\n第二行\\t\\"引号\\" \\\\ 结束" .',
        '<http://example.org/id/article/a> <https://w3id.org/ptkg/ns#title> "标题"@zh .',
        '<http://example.org/id/article/a> <https://w3id.org/ptkg/ns#place> <http://example.org/id/place/quanzhou> .',
        '<http://example.org/id/article/a> <https://w3id.org/ptkg/ns#year> "2022"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
        '<http://example.org/id/article/a#char=1,5> <https://w3id.org/ptkg/ns#note> _:n1 .',
        '_:n1 <http://www.w3.org/2000/01/rdf-schema#label> "a\\r\\nb" .',
        '_:n1 <https://w3id.org/ptkg/ns#next> _:n2 .',
    ])) + "\n",
    B: '<http://example.org/id/article/b> <https://w3id.org/ptkg/ns#value> "16.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
    "http://example.org/graph/empty": "",
}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_trig_block_is_what_pyoxigraph_writes():
    writer = pieces.Writer(PREFIXES)
    for name, nt in GRAPHS.items():
        if not nt:
            continue
        got = writer.serialised(name, nt.encode("utf-8"))
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                 for t in ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
        whole = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        assert whole.startswith(writer.heads["trig"])
        assert got["trig"] == whole[len(writer.heads["trig"]):]
        assert got["ttl"].startswith(b"<http://example.org/id/article/")


def test_every_dump_holds_the_graphs(tmp_path):
    sha = {n: _sha(t) for n, t in GRAPHS.items()}
    written = pieces.write(tmp_path, GRAPHS, sha, PREFIXES)
    assert set(written) == {f"dataset.{f}" for f in pieces.DUMPS}
    quads = {str(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(n)))
             for n, nt in GRAPHS.items() for t in ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    triples = {str(t) for nt in GRAPHS.values() for t in ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    for fmt, rdf in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        assert {str(q) for q in ox.parse((tmp_path / f"dataset.{fmt}").read_bytes(), format=rdf)} == quads, fmt
    for fmt, rdf in (("nt", ox.RdfFormat.N_TRIPLES), ("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        assert {str(t) for t in ox.parse((tmp_path / f"dataset.{fmt}").read_bytes(), format=rdf)} == triples, fmt
    # a second write gives the same bytes, and so does one copying every piece from the first
    again, copied = tmp_path / "again", tmp_path / "copied"
    again.mkdir()
    copied.mkdir()
    assert pieces.write(again, GRAPHS, sha, PREFIXES) == written
    assert pieces.write(copied, GRAPHS, sha, PREFIXES, previous=tmp_path) == written


def test_a_malformed_line_fails_the_write(tmp_path):
    """The store loads the dumps leniently (publish.store.build_store): a bad IRI must fail here."""
    bad = {A: '<http://example.org/id/article/a b> <https://w3id.org/ptkg/ns#title> "x" .\n'}
    with pytest.raises(SyntaxError):
        pieces.write(tmp_path, bad, {A: _sha(bad[A])}, PREFIXES)


def test_a_rebuild_copying_runs_of_pieces_gives_the_bytes_of_a_fresh_write(tmp_path):
    """Pieces copied from the previous files in runs (the JSON-LD's with the commas between them),
    around graphs changed, added and removed, first and last among them: the same files as written
    afresh."""
    def graph(i: int, v: int = 0) -> str:
        return f'<http://example.org/id/article/g{i}> <https://w3id.org/ptkg/ns#value> "{i + v}" .\n'

    def written(folder, graphs, previous=None):
        folder.mkdir()
        got = pieces.write(folder, graphs, {n: _sha(t) for n, t in graphs.items()}, PREFIXES, previous)
        return got, {f: (folder / f"dataset.{f}").read_bytes() for f in pieces.DUMPS}, \
            (folder / pieces.INDEX).read_bytes()

    names = [f"http://example.org/graph/article/g{i:02d}" for i in range(12)]
    first = {n: graph(i) for i, n in enumerate(names)} | {"http://example.org/graph/article/g99": ""}
    written(tmp_path / "v1", first)
    second = dict(first)
    for i in (0, 4, 11):                                   # changed: the first, one inside, the last
        second[names[i]] = graph(i, 100)
    del second[names[7]]                                   # removed
    second["http://example.org/graph/article/g05b"] = graph(55)    # added between two kept ones
    second[names[8]] = ""                                  # emptied
    incremental = written(tmp_path / "v2", second, tmp_path / "v1")
    assert incremental == written(tmp_path / "fresh", second)
    assert written(tmp_path / "v3", second, tmp_path / "v2") == incremental     # every piece copied


def test_two_passes_give_the_bytes_of_one(tmp_path):
    """Dumps.add in two passes (the article graphs first, as publish.earlydumps writes them, then
    the rest), afresh and copying from a previous version: the files, hashes and index of one
    pass. A graph added out of the order of names is refused."""
    from concurrent.futures import ThreadPoolExecutor

    def graph(i: int, v: int = 0) -> str:
        return f'<http://example.org/id/article/g{i}> <https://w3id.org/ptkg/ns#value> "{i + v}" .\n'

    names = [f"http://example.org/graph/article/g{i:02d}" for i in range(8)]
    graphs = {n: graph(i) for i, n in enumerate(names)} | {"http://example.org/graph/links": graph(50),
                                                          "http://example.org/graph/shared": graph(60)}
    sha = {n: _sha(t) for n, t in graphs.items()}

    def files(folder):
        return {f: (folder / f"dataset.{f}").read_bytes() for f in pieces.DUMPS}, (folder / pieces.INDEX).read_bytes()

    def two_passes(folder, graphs, previous=None):
        folder.mkdir()
        first = {n: t for n, t in graphs.items() if "/article/" in n}
        with ThreadPoolExecutor(max_workers=1) as hashing:
            dumps = pieces.Dumps(folder, PREFIXES, previous, hashing)
            dumps.add(first, sha)
            with pytest.raises(ValueError):
                dumps.add({names[0]: graphs[names[0]]}, sha, last=True)
            seen = []
            dumps.add({n: t for n, t in graphs.items() if n not in first}, sha, last=True,
                      ready=lambda: seen.append((folder / "dataset.nt").stat().st_size))
            got = dumps.close()
        assert seen == [got["dataset.nt"][0]]           # called once dataset.nt was whole
        return got, files(folder)

    (tmp_path / "one").mkdir()
    one = pieces.write(tmp_path / "one", graphs, sha, PREFIXES), files(tmp_path / "one")
    assert two_passes(tmp_path / "two", graphs) == one
    assert {f: hashlib.sha256(b).hexdigest() for f, b in one[1][0].items()} == \
        {f.removeprefix("dataset."): h for f, (_, h) in one[0].items()}
    changed = dict(graphs) | {names[3]: graph(3, 100), "http://example.org/graph/links": graph(51)}
    sha |= {n: _sha(t) for n, t in changed.items()}
    (tmp_path / "fresh").mkdir()
    fresh = pieces.write(tmp_path / "fresh", changed, sha, PREFIXES), files(tmp_path / "fresh")
    assert two_passes(tmp_path / "copied", changed, previous=tmp_path / "one") == fresh


def test_a_stopped_write_gives_up_at_its_next_piece(tmp_path):
    """Dumps.stop, from another thread while add writes (publish.earlydumps, when the build
    fails): add raises Stopped at its next piece instead of writing the other dumps; abandon
    closes the files."""
    from concurrent.futures import ThreadPoolExecutor

    sha = {n: _sha(t) for n, t in GRAPHS.items()}
    with ThreadPoolExecutor(max_workers=1) as hashing:
        dumps = pieces.Dumps(tmp_path, PREFIXES, None, hashing)
        with pytest.raises(pieces.Stopped):             # stopped once dataset.nq and .nt are written
            dumps.add(GRAPHS, sha, last=True, ready=dumps.stop)
        dumps.abandon()
    assert set(dumps.files) == {"nq", "nt", "trig"} and all(f.closed for f in dumps.files.values())
    assert (tmp_path / "dataset.nt").read_text(encoding="utf-8") == GRAPHS[A] + GRAPHS[B]
    assert (tmp_path / "dataset.trig").read_bytes() == dumps.writer.heads["trig"]     # no piece after the stop

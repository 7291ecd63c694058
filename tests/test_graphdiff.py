"""publish.graphdiff: the triples a graph's changed lines add and remove are those a comparison of
the whole graph as stored finds (store.update_store's other way), literals in other lexical forms
included."""

from __future__ import annotations

import random

import pyoxigraph as ox

from kgbuild.publish import graphdiff
from kgbuild.publish.store import _as_stored, _key

POOL = [f'<http://e.org/s{i % 4}> <http://e.org/p{i % 3}> {o} .' for i, o in enumerate([
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"01"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"1"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>', '"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"1.00"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"a"@zh', '"a"', '<http://e.org/o>', '"b"',
    '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '"02"^^<http://www.w3.org/2001/XMLSchema#integer>'] * 3)]


def _whole(old_text: str, new_text: str) -> tuple[set, set]:
    st = ox.Store()
    g = ox.NamedNode("http://e.org/g")
    st.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(old_text.encode(), format=ox.RdfFormat.N_TRIPLES))
    old = {_key(q.triple) for q in st.quads_for_pattern(None, None, None, g)}
    new = set(_as_stored(ox.parse(new_text.encode(), format=ox.RdfFormat.N_TRIPLES)))
    return old - new, new - old


def test_changed_lines_give_the_changed_triples():
    rnd = random.Random(7)
    for _ in range(300):
        old = sorted(set(rnd.sample(POOL, rnd.randint(0, 12))))
        new = sorted(set(rnd.sample(POOL, rnd.randint(0, 12))))
        old_text, new_text = "".join(f"{x}\n" for x in old), "".join(f"{x}\n" for x in new)
        gone, come = graphdiff.changes(set(old), new_text, _as_stored)
        assert (set(gone), set(come)) == _whole(old_text, new_text), (old, new)

"""The nodes that more than one article graph describes, checked on their union (after the
per-article runs): each graph passed alone, but two could still disagree (two labels for one
place). The articles that describe a failing node are left out.

check_shared works from the articles' summaries (graph.digest): the hash of each node's lines
tells which nodes different graphs describe differently, and the summaries hold those nodes'
lines and the types of what they point to, so no article graph is read; the union of those lines
is validated against the shapes of their classes. Its verdict depends only on those lines (and
the software), so a verdict already reached for the same lines (a file in the cache folder, named
by their hash and the software's) is not reached again: a rebuild whose change touches none of
those nodes validates nothing (a --full build reads no verdict: its summaries are all made anew).
check_union is the same check made from the whole graphs, as it was before the summaries (and a
--full build ran until the summaries' check was found to take a sixth of its CPU): what
tests/test_digest.py compares them with.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .graph import digest
from .graph.validate import shapes_for, validate
from .model import ArticleBuild, ArticleFailure

_FOCUS = "<http://www.w3.org/ns/shacl#focusNode>"


def check_shared(kept: list[ArticleBuild], failed: list[ArticleFailure], verdicts: Path | None = None,
                 fingerprint: str = "") -> tuple[list[ArticleBuild], list[ArticleFailure]]:
    """From the summaries (see the module). VERDICTS: a folder where the hash of a union that
    conformed is recorded (with FINGERPRINT, the software's hash), so the same union passes
    without being validated again."""
    summaries = [digest.of(a) for a in kept]
    owners: dict[str, set[int]] = defaultdict(set)
    variants: dict[str, set[str]] = defaultdict(set)
    for i, d in enumerate(summaries):
        for subject, h in d["nodes"].items():
            owners[subject].add(i)
            variants[subject].add(h)
    shared = {s for s, v in variants.items() if len(v) > 1}
    if not shared:
        return kept, failed
    lines: set[str] = set()
    for s in shared:
        for i in owners[s]:
            lines.update(line for line in summaries[i]["lines"] if line.startswith(s + " "))
    objects = {line.split(" ", 2)[2].rsplit(" .", 1)[0] for line in lines}
    objects = {o for o in objects if o.startswith("<")}
    typing = f" {digest.TYPE} "
    types: set[str] = set()             # the types of what those nodes point to, for sh:class
    for d in summaries:
        types.update(line for line in d["lines"] if typing in line and line.split(" ", 1)[0] in objects)
        types.update(line for line in d["types"] if line.split(" ", 1)[0] in objects)
    text = "\n".join(sorted(lines)) + "\n" + "\n".join(sorted(types - lines))
    memo = _memo(verdicts, fingerprint, text)
    if memo is not None and memo.is_file():
        return kept, failed
    # the text validated as it is (pyshacl-turbo reads N-Triples; rdflib took 0.19 s of CPU to
    # parse the 7,800 lines of 5,000 synthetic articles into a graph, the validation 0.12 s)
    v = validate(text + "\n", shapes_for(_classes(shared, text)), names=Graph())
    if v.conforms:
        _remember(memo)
        return kept, failed
    return _leave_out(kept, failed, v, owners)


def _classes(shared: set[str], text: str) -> set[URIRef]:
    """The classes the nodes SHARED (N-Triples terms) have in TEXT (N-Triples lines)."""
    import pyoxigraph as ox
    typing = [line for line in text.split("\n") if line.split(" ", 1)[0] in shared and f" {digest.TYPE} " in line]
    return {URIRef(t.object.value) for t in ox.parse("\n".join(typing).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            if isinstance(t.object, ox.NamedNode) and t.predicate.value == str(RDF.type)}


def check_union(kept: list[ArticleBuild], failed: list[ArticleFailure]
                ) -> tuple[list[ArticleBuild], list[ArticleFailure]]:
    """The same check from the whole graphs (every article's N-Triples split by subject)."""
    owners: dict[str, set[int]] = defaultdict(set)
    variants: dict[str, set[int]] = defaultdict(set)
    blocks: list[dict[str, list[str]]] = []
    for i, a in enumerate(kept):
        by_subject: dict[str, list[str]] = defaultdict(list)
        for line in a.ntriples.splitlines():       # sorted, so a subject's lines are together
            by_subject[line.split(" ", 1)[0]].append(line)
        blocks.append(by_subject)
        for subject, lines in by_subject.items():
            owners[subject].add(i)
            variants[subject].add(hash("\n".join(lines)))
    # a node every graph describes identically was validated with each graph; only the nodes
    # described differently by different graphs need a look at their union
    shared = {s for s, v in variants.items() if len(v) > 1}
    if not shared:
        return kept, failed
    lines: set[str] = set()
    for by_subject in blocks:
        for subject in shared & by_subject.keys():
            lines.update(by_subject[subject])
    g = Graph()
    g.parse(data="\n".join(sorted(lines)), format="nt")
    objects = {o.n3() for o in g.objects() if isinstance(o, URIRef)}
    typing = f" <{RDF.type}> "
    types: set[str] = set()             # the types of what those nodes point to, for sh:class
    for by_subject in blocks:
        for subject in objects & by_subject.keys():
            types.update(line for line in by_subject[subject] if typing in line)
    g.parse(data="\n".join(sorted(types - lines)), format="nt")
    classes = {o for s in shared for o in g.objects(URIRef(s[1:-1]), RDF.type)}
    v = validate(g, shapes_for(classes))
    if v.conforms:
        return kept, failed
    return _leave_out(kept, failed, v, owners)


def _leave_out(kept, failed, v, owners):
    bad_nodes = {line.split(" ", 2)[2].rsplit(" .", 1)[0] for line in v.report_nt.splitlines() if _FOCUS in line}
    bad = {i for n in bad_nodes for i in owners.get(n, ())}
    for i in sorted(bad):
        a = kept[i]
        failed.append(ArticleFailure(a.file, f"{a.file}: describes a node that other articles describe differently "
                                             f"({', '.join(sorted(n for n in bad_nodes if i in owners.get(n, ())))})",
                                     1, v.report_text))
    return [a for i, a in enumerate(kept) if i not in bad], failed


def _memo(folder: Path | None, fingerprint: str, text: str) -> Path | None:
    if folder is None or not fingerprint:
        return None
    h = hashlib.sha256(f"{fingerprint}\0".encode() + text.encode("utf-8")).hexdigest()
    return Path(folder) / f"shared-{h}.ok"


def _remember(memo: Path | None) -> None:
    if memo is None:
        return
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_bytes(b"")
        for old in memo.parent.glob("shared-*.ok"):      # one verdict kept: the last union's
            if old != memo:
                old.unlink(missing_ok=True)
    except OSError:
        pass

"""What changed in one named graph between two versions, from their N-Triples lines
(store.update_store): the previous version's lines are its piece of dataset.nt (publish.pieces),
written from the same sorted N-Triples text the store was loaded from, so only the lines in one
and not the other are parsed, not the whole graph twice (the links graph of 5,000 articles is
read from the store and parsed again on every rebuild otherwise).

A store keeps a literal's value, not its lexical form (store._as_stored): two lines may be the same
stored triple. A line gone whose triple another line of the new text still gives (same subject and
predicate, the candidates parsed) is not removed, nor is a line come added whose triple a kept
line gives already; a line gone and a line come that give the same stored triple cancel out.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from . import pieces


def previous_lines(dist: Path, graphs: list[str]) -> dict[str, set[str]]:
    """The N-Triples lines of those of GRAPHS the published version in DIST has a piece of."""
    return pieces.graphs_lines(dist, graphs, known_only=True) or {}


def _parsed(lines) -> list[ox.Triple]:
    doc = "".join(f"{line}\n" for line in sorted(lines) if line.strip()).encode("utf-8")
    return list(ox.parse(doc, format=ox.RdfFormat.N_TRIPLES)) if doc else []


def _head(line: str) -> str:
    s, p, _ = line.split(" ", 2)
    return f"{s} {p} "


def changes(old: set[str], new_text: str, as_stored) -> tuple[dict, dict]:
    """(removed, added): stored key → Triple, for a graph whose previous lines are OLD and whose new
    N-Triples are NEW_TEXT; AS_STORED: store._as_stored."""
    new = {line for line in new_text.splitlines() if line.strip()}
    gone = as_stored(_parsed(old - new))
    come = as_stored(_parsed(new - old))
    both = gone.keys() & come.keys()
    gone = {k: t for k, t in gone.items() if k not in both}
    come = {k: t for k, t in come.items() if k not in both}
    heads = {f"{k[0]} {k[1]} " for k in (*gone, *come) if '"' in k[2]}
    if heads:                              # a literal: does a line kept in both give it too?
        kept = as_stored(_parsed(line for line in new & old if _head(line) in heads))
        gone = {k: t for k, t in gone.items() if k not in kept}
        come = {k: t for k, t in come.items() if k not in kept}
    return gone, come

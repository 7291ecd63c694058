"""Stages 4–5 — graph: Extraction → RDF graph → SHACL validation report.

iris.py      namespaces, prefixes and how IRIs are made (entities, named graphs)
lazystore.py the store of the build's graphs (SimpleMemory, its predicate and object indexes made when asked)
mapping.py   Extraction → one rdflib Graph per article: the only module that adds an article's triples
lines.py     an article graph → its canonical N-Triples (written once, validated as text), the lines a query reads
digest.py    an article graph → its summary for the cache entry's front part (shareable nodes, own graph's hash)
confidence.py  a target's or observation's confidence (0–1) from the evidence that decided it (weights: data/lexicon/confidence.yaml)
validate.py  graph → Validation against shapes/ (the only module that imports pyshacl)
"""

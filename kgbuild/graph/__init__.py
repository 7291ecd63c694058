"""Stages 4–5 — graph: Extraction → RDF graph → SHACL validation report.

iris.py      namespaces, prefixes and how IRIs are made (entities, named graphs)
mapping.py   Extraction → one rdflib Graph per article: the only module that adds an article's triples
validate.py  graph → Validation against shapes/ (the only module that imports pyshacl)
"""

"""The one module that uses pyLODE: human documentation of the ontology, generated from the Turtle."""

from __future__ import annotations

import logging

from rdflib import Graph


def ontology_html(ontology: Graph) -> str:
    from pylode import OntPub
    for name in ("root", "pylode", "asyncio", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return OntPub(ontology=ontology).make_html()

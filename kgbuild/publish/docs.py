"""The one module that uses pyLODE: human documentation of the ontology, generated from the Turtle."""

from __future__ import annotations

import logging

from rdflib import Graph


def ontology_html(ontology: Graph) -> str:
    from pylode import OntPub
    for name in ("root", "pylode", "asyncio", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # pyLODE makes a qualified name of the ontology's own IRI (…/ptkg/ns), which rdflib would
    # bind to a made-up "ns1"; name that namespace instead
    ontology.bind("w3id", "https://w3id.org/ptkg/", override=False)
    html = OntPub(ontology=ontology).make_html()
    return html.replace("<html>", '<html lang="zh">', 1).replace(
        "<head>", '<head>\n    <meta name="viewport" content="width=device-width, initial-scale=1">', 1)

"""The pipeline, top to bottom: load → parse → extract → to RDF → validate → publish."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from rdflib import Graph

from . import __version__, lexicon
from .errors import InputError, ValidationFailed
from .extract import extract
from .load import article_files, load, load_file
from .model import Extraction, Published, Validation
from .parse import parse
from .publish import publish
from .rdf import to_rdf
from .validate import validate

DEFAULT_BASE = "http://127.0.0.1:5000/"


def graph_for(paths: list[str | Path], base: str = DEFAULT_BASE) -> tuple[Graph, tuple[Extraction, ...]]:
    raws = load(paths)                                                  # 1 load
    articles = tuple(parse(r) for r in raws)                            # 2 parse
    lex = lexicon.load()
    extractions = tuple(extract(a, lex) for a in articles)              # 3 extract
    return _graph(raws, extractions, base), extractions                 # 4 to RDF


def graph_for_each(paths: list[str | Path], base: str = DEFAULT_BASE
                   ) -> tuple[Graph, tuple[Extraction, ...], tuple[InputError, ...]]:
    """Like graph_for, but an article that cannot be read is reported and left out."""
    raws, errors = [], []
    for f in article_files(paths):
        try:
            raws.append(load_file(f))
        except InputError as e:
            errors.append(e)
    lex = lexicon.load()
    kept, extractions = [], []
    for r in raws:
        try:
            extractions.append(extract(parse(r), lex))
            kept.append(r)
        except InputError as e:
            errors.append(e)
    return _graph(kept, tuple(extractions), base), tuple(extractions), tuple(errors)


def _graph(raws, extractions: tuple[Extraction, ...], base: str) -> Graph:
    build_id = hashlib.sha256((__version__ + "".join(sorted(r.sha256 for r in raws))).encode()).hexdigest()[:16]
    return to_rdf(extractions, base, __version__, build_id)


def build(paths: list[str | Path], out: Path, base: str = DEFAULT_BASE) -> tuple[Published, Validation]:
    started = time.monotonic()
    graph, extractions = graph_for(paths, base)
    validation = validate(graph)                                        # 5 validate
    if not validation.conforms:
        raise ValidationFailed(validation.report_text, validation.violations)
    return publish(graph, validation, extractions, out, base, __version__, started), validation  # 6 publish

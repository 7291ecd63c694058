"""Where the project's declarative resources live (ontology, shapes, lexicons, queries).

They are data files at the top of the source tree, not Python; the project is installed in
editable mode, so they are found next to the package. ``KG_RESOURCES`` overrides the root.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    override = os.environ.get("KG_RESOURCES")
    return Path(override) if override else Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    return root() / "ontology"


def shapes_dir() -> Path:
    return root() / "shapes"


def lexicon_dir() -> Path:
    return root() / "data" / "lexicon"


def queries_dir() -> Path:
    return root() / "queries"


def articles_dir() -> Path:
    return root() / "data" / "articles"

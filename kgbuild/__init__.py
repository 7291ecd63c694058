"""kgbuild: Chinese policy articles → validated RDF knowledge graph of numeric targets.

The pipeline reads top to bottom in :mod:`kgbuild.pipeline`:
load → parse → extract → to RDF → validate → publish.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("policy-targets-kg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

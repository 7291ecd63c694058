"""A package's names loaded when first asked for (PEP 562): the kgbuild.publish and
kgbuild.correct packages name functions whose modules load rdflib, pyoxigraph and the extractor,
which a build that finds nothing changed (kgbuild.uptodate) does without."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Callable


def attributes(package: str, names: dict[str, str]) -> Callable[[str], object]:
    """PACKAGE's module __getattr__ for NAMES (name → the submodule, relative, that defines it):
    the first use imports the submodule and keeps the name in the package."""
    def __getattr__(name: str):
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(names[name], package), name)
        setattr(sys.modules[package], name, value)
        return value
    return __getattr__

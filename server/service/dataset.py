"""The built dataset the server serves: dist/manifest.json and the read-only store.

The server only reads dist/; it never imports the extractor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from email.utils import format_datetime
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox


class DatasetError(RuntimeError):
    pass


@dataclass(frozen=True, eq=False)
class Dataset:
    path: Path
    manifest: dict
    local: bool                         # False when queries go to a remote store

    @property
    def version(self) -> str:
        return self.manifest["dataset_version"]

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    @cached_property
    def last_modified(self) -> str:
        """The build time as an HTTP date (made once: every answer of the version carries it)."""
        t = datetime.fromisoformat(self.manifest["build_time"].replace("Z", "+00:00"))
        return format_datetime(t, usegmt=True)

    @property
    def stores_union(self) -> bool:
        return stores_union(self.manifest)

    def file(self, name: str) -> dict | None:
        return next((f for f in self.manifest["files"] if f["name"] == name), None)


def stores_union(manifest: dict) -> bool:
    """Whether the store's default graph holds the union of the graphs (kgbuild materialises it;
    an older build's store has its triples in named graphs only)."""
    return "materialised" in str((manifest.get("graphs") or {}).get("default", ""))


def open_dataset(path: str | Path, local_store: bool = True) -> Dataset:
    p = Path(path)
    mf = p / "manifest.json"
    if not mf.is_file():
        raise DatasetError(f"{p}: no manifest.json — build the dataset first (kgbuild build --out {p})")
    try:
        manifest = json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DatasetError(f"{mf}: unreadable manifest ({e})") from None
    if not local_store:
        return Dataset(p, manifest, False)
    if not (p / "store").is_dir():
        raise DatasetError(f"{p}: no store/ folder — rebuild the dataset")
    try:                                # opened once to check it; the query workers hold it open
        ox.Store.read_only(str(p / "store"))
    except OSError as e:
        raise DatasetError(f"{p / 'store'}: cannot open the store ({e})") from None
    return Dataset(p, manifest, True)

"""Stage 1 — load: files and folders → RawArticle values (bytes decoded, nothing interpreted)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import InputError
from ..model import RawArticle

FORMATS = {".md": "post", ".markdown": "post", ".txt": "txt", ".html": "html", ".htm": "html"}
MAX_BYTES = 5 * 1024 * 1024


def article_files(paths: list[str | Path]) -> list[Path]:
    """Expand folders (recursively, sorted) into the article files they hold."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FORMATS
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.is_file():
            if p.suffix.lower() not in FORMATS:
                raise InputError(str(p), f"unsupported file type {p.suffix or '(none)'!r}; expected one of {', '.join(sorted(FORMATS))}")
            files.append(p)
        else:
            raise InputError(str(p), "no such file or folder")
    return files


def key_for(path: Path) -> str:
    """URI-safe article key from the file name: 'Quanzhou 2022.md' → 'quanzhou-2022'."""
    key = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", path.stem).strip("-").lower()
    return key or "article"


def load_file(path: Path) -> RawArticle:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise InputError(str(path), f"file is {len(data)} bytes; the limit is {MAX_BYTES}")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(str(path), f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})", f"line {line}") from None
    if "\x00" in content:
        raise InputError(str(path), "contains NUL characters: a binary file, not an article")
    if not content.strip():
        raise InputError(str(path), "the file is empty")
    return RawArticle(path=str(path), key=key_for(path), fmt=FORMATS[path.suffix.lower()],
                      content=content.replace("\r\n", "\n").replace("\r", "\n"),
                      sha256=hashlib.sha256(data).hexdigest())


def load(paths: list[str | Path]) -> tuple[RawArticle, ...]:
    files = article_files(paths)
    if not files:
        raise InputError(", ".join(map(str, paths)) or "(no paths)", "no article files found (.md, .txt, .html)")
    raws = tuple(load_file(f) for f in files)
    seen: dict[str, str] = {}
    for r in raws:
        if r.key in seen:
            raise InputError(r.path, f"article key {r.key!r} is also used by {seen[r.key]}; rename one of the files")
        seen[r.key] = r.path
    return raws

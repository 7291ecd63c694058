"""Pinyin, the only module that imports pypinyin, and only when a name's pinyin is not known yet:
importing it loads its dictionaries (0.3 s of CPU), which a rebuild whose one changed article
names nothing new does without (issue 25).

joined(text), lazy_pinyin's syllables joined, is what the IRIs' slugs (graph.iris) and the
places' English labels (graph.mapping) are made of. Each text's pinyin is kept in the temporary
folder (as extract.segment keeps jieba's state and places._pinyin the divisions'), in one file
named after pypinyin's version, read only when this user wrote it (kgbuild.sealed: checked); a
process adds what it made to it when it ends its article stage (keep(): the build, and each
worker of a pool as it exits). The same text gives the same pinyin, read or made.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

MAGIC = b"KGWORDPY1"

_known: dict[str, str] | None = None    # read from the kept file on first use
_made: dict[str, str] = {}              # made by this process, not kept yet
_keeper: int | None = None              # the process that registered keep() at its exit


@lru_cache(maxsize=1)
def version() -> str:
    """pypinyin's version and its phrases setting, without importing it (its metadata)."""
    from importlib.metadata import version as dist_version
    return f"{dist_version('pypinyin')}\0{os.environ.get('PYPINYIN_NO_PHRASES', '')}"


def syllables(text: str) -> list[str]:
    """lazy_pinyin(TEXT): one syllable per character (non-Chinese runs as they are)."""
    from pypinyin import lazy_pinyin
    return lazy_pinyin(text)


def joined(text: str) -> str:
    """TEXT's syllables joined (重庆 → chongqing): kept between builds. ASCII text is its own
    (lazy_pinyin keeps a non-Chinese run as it is): neither kept nor looked up."""
    if text.isascii():
        return text
    known = _known if _known is not None else _read()
    found = known.get(text)
    if found is None:
        found = _made.get(text)
        if found is None:
            found = _made[text] = "".join(syllables(text))
            _keep_at_exit()
    return found


def _path() -> Path:
    h = hashlib.sha256(version().encode("utf-8")).hexdigest()[:32]
    return Path(tempfile.gettempdir()) / f"kgbuild-words-pinyin-{h}.state"


def _valid(kept: object) -> bool:
    return isinstance(kept, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in kept.items())


def _read() -> dict[str, str]:
    global _known
    from .. import kept as temp_files
    kept = temp_files.read(_path(), MAGIC)
    _known = kept if _valid(kept) else {}
    return _known


def _keep_at_exit() -> None:
    """A pool worker (forked, its parent's registrations cleared) keeps what it made as it exits."""
    global _keeper
    if _keeper != os.getpid():
        _keeper = os.getpid()
        from multiprocessing import util
        util.Finalize(None, keep, exitpriority=10)


def keep() -> None:
    """Add what this process made to the kept file (merged with what others added meanwhile, under
    a lock); a file that cannot be written is made again next time."""
    global _known, _made
    if not _made:
        return
    from .. import kept as temp_files
    try:
        _known, _made = temp_files.merge(_path(), MAGIC, _made, _valid), {}
    except OSError:
        pass

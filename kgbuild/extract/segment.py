"""The one module that uses jieba: word segmentation with part-of-speech tags.

The user dictionary (data/lexicon/userdict.txt) keeps policy terms such as 高新技术企业,
科技特派员 and 技术合同成交额 whole.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon


def _import_jieba() -> None:
    """Import jieba without pkg_resources, which jieba imports only to open its own data files
    (jieba._compat) and which takes 0.1–0.3 s scanning every installed distribution: without it
    jieba opens the same files from its own folder. pkg_resources stays importable for others."""
    if "pkg_resources" in sys.modules:
        import jieba.posseg  # noqa: F401
        return
    sys.modules["pkg_resources"] = None         # type: ignore[assignment] — `import pkg_resources` fails
    try:
        import jieba.posseg  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba()
import jieba  # noqa: E402 — imported above, without pkg_resources
import jieba.posseg  # noqa: E402

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Token:
    word: str
    pos: str           # jieba (ICTCLAS) tag: n noun, v verb, t time, r pronoun, d adverb, m numeral …
    begin: int         # offset within the segmented string
    end: int

    @property
    def is_verb(self) -> bool:
        return self.pos.startswith("v") and self.pos != "vn"

    @property
    def is_nominal(self) -> bool:
        return self.pos[:1] in ("n", "j", "b", "l", "i") or self.pos in ("vn", "an", "eng")


class _Tagger(jieba.posseg.POSTokenizer):
    """jieba's part-of-speech tokenizer over TOKENIZER. The tags of jieba's own dictionary are
    those jieba.posseg read when it was imported (its default tokenizer's): copied, not read
    again from the dictionary file (≈0.5 s); the user dictionary's are added when it cuts."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        default = jieba.posseg.dt
        if tokenizer.dictionary != default.tokenizer.dictionary:
            super().__init__(tokenizer)
            return
        self.tokenizer = tokenizer
        self.word_tag_tab = dict(default.word_tag_tab)


@lru_cache(maxsize=2)
def _tokenizer(lex: Lexicon) -> jieba.posseg.POSTokenizer:
    tk = jieba.Tokenizer()
    tk.load_userdict(str(lex.userdict))
    return _Tagger(tk)


@lru_cache(maxsize=65536)
def _cut(lex: Lexicon, text: str) -> tuple[Token, ...]:
    out, pos = [], 0
    for pair in _tokenizer(lex).cut(text, HMM=True):
        out.append(Token(pair.word, pair.flag, pos, pos + len(pair.word)))
        pos += len(pair.word)
    return tuple(out)


def warm(lex: Lexicon) -> None:
    """Load jieba's dictionary and the user dictionary now (≈0.8 s): a build does it once before
    its workers fork, so they share it instead of each loading it."""
    _tokenizer(lex)


def tokens(text: str, lex: Lexicon) -> tuple[Token, ...]:
    """Tokens of text with offsets relative to the start of text."""
    return _cut(lex, text) if text else ()

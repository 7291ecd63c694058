"""Traditional characters: the extractor reads a simplified view of the text (OpenCC t2s, the one
module that imports opencc) with the same length, so every offset it finds points into the
original text too; evidence spans are given back their original characters.

In: an Article. Out: the Article to read (the same object when nothing needs converting), and
afterwards the Extraction with the original Article and original span texts.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from ..model import Article, Span


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """text in simplified characters, character for character (a phrase conversion that would
    change the length falls back to converting each character alone)."""
    out = _converter().convert(text)
    if len(out) != len(text):
        out = "".join(c if len(s := _converter().convert(c)) != 1 else s for c in text)
    return out


def view(article: Article) -> Article:
    text = simplified(article.text)
    if text == article.text:
        return article
    return dataclasses.replace(article, text=text, title=simplified(article.title))


def restore(value, original: Article):
    """value with the original article in place of its view, and every Span's text taken from
    the original text (indicator and name labels stay simplified: that is their identity)."""
    if isinstance(value, Article):
        return original
    if isinstance(value, Span):
        return Span(value.begin, value.end, original.text[value.begin:value.end])
    if isinstance(value, tuple):
        return tuple(restore(v, original) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: restore(getattr(value, f.name), original)
                                             for f in dataclasses.fields(value) if f.init})
    return value

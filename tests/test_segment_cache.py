"""extract.segment keeps jieba's cut of each run of Han characters: the words and tags are jieba's
own, for every article we have, cut once and again (from what was kept)."""

from __future__ import annotations

import jieba
import jieba.posseg

from conftest import SEED, gold_dir
from kgbuild.extract import lexicon, segment
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse


def test_the_kept_cuts_are_jiebas():
    lex = lexicon.load()
    tagger = segment._tokenizer(lex)
    words = jieba.Tokenizer()
    words.load_userdict(str(lex.userdict))
    plain = jieba.posseg.POSTokenizer(words)                    # jieba's own, over the same dictionaries
    files = [SEED] + sorted(f for f in gold_dir().rglob("*.md") if f.name != "GUIDELINES.md")
    texts = [parse(load_file(f)).text for f in files]
    for text in texts + texts:                                  # the second time from what was kept
        for line in text.splitlines():
            assert [(p.word, p.flag) for p in tagger.cut(line)] == [(p.word, p.flag) for p in plain.cut(line)]
    assert tagger._blocks

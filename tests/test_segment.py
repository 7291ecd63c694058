"""jieba's tokenizer as extract.segment makes it: the first time from jieba's dictionary and the
user dictionary, later from the state it kept (a file in the temporary folder, named after the
hash of what it is made from); both cut every text alike, and a damaged state is made again."""

from __future__ import annotations

import tempfile

import pytest

from kgbuild.extract import lexicon, segment

TEXTS = ("新增高新技术企业500家，研发经费投入增长20%以上。", "引进3—4个高水平研发平台；科技特派员服务乡村振兴",
         "今年，我市将新增停车位900个，技术合同成交额突破100亿元。", "Ｒ＆Ｄ经费投入强度达到2.5%")


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def cuts(tagger) -> list[list[tuple[str, str]]]:
    return [[(p.word, p.flag) for p in tagger.cut(t, HMM=True)] for t in TEXTS]


def test_a_kept_state_cuts_as_the_one_made_from_the_dictionaries(own_temp):
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)
    kept = list(own_temp.glob("kgbuild-jieba-*.state"))
    assert len(kept) == 1
    again = segment._tokenizer.__wrapped__(lex)          # read from the file
    assert again.tokenizer.FREQ == made.tokenizer.FREQ and again.tokenizer.total == made.tokenizer.total
    assert again.word_tag_tab == made.word_tag_tab and len(made.word_tag_tab) > 300_000
    assert cuts(again) == cuts(made)
    assert ("高新技术企业", "n") in cuts(made)[0]           # a user dictionary word, with its tag


def test_a_damaged_state_is_made_again(own_temp):
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)
    state = next(own_temp.glob("kgbuild-jieba-*.state"))
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    again = segment._tokenizer.__wrapped__(lex)
    assert cuts(again) == cuts(made)
    assert segment._read_state(state) is not None         # written whole again


def test_a_kept_state_is_looked_up_by_bisection_until_used_enough(own_temp, monkeypatch):
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)              # the dictionaries, from jieba's files
    again = segment._tokenizer.__wrapped__(lex)             # the kept state: sorted lists
    freq, tags = again.tokenizer.FREQ, again.word_tag_tab
    assert isinstance(freq, segment.Sorted) and isinstance(tags, segment.Sorted)
    assert list(freq) == sorted(made.tokenizer.FREQ) and len(tags) == len(made.word_tag_tab)
    assert cuts(again) == cuts(made)
    assert freq.get("高新技术企业") == made.tokenizer.FREQ["高新技术企业"] and "不是一个词吗" not in freq
    assert freq.get(3) is None and tags.get("高新技术企业", "x") == "n"
    monkeypatch.setattr(segment, "PROMOTE_AFTER", freq.lookups + 1)
    freq.get("研发")                                        # used enough: the dictionary, in its place
    assert type(again.tokenizer.FREQ) is dict and again.tokenizer.FREQ == made.tokenizer.FREQ
    assert cuts(again) == cuts(made)


def test_a_build_of_many_articles_makes_the_dictionaries_before_it_forks(own_temp, monkeypatch):
    """warm(many=True) (pipeline._warm for a build that extracts every one of many articles): the
    dictionaries are made at once, in the process that forks the workers, and cut as the sorted
    lists do; warm() alone keeps the sorted lists (a rebuild of one article)."""
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)              # the dictionaries, from jieba's files
    again = segment._tokenizer.__wrapped__(lex)             # the kept state: sorted lists
    monkeypatch.setattr(segment, "_tokenizer", lambda _lex: again)
    segment.warm(lex)
    assert isinstance(again.tokenizer.FREQ, segment.Sorted) and isinstance(again.word_tag_tab, segment.Sorted)
    bisected = cuts(again)
    segment.warm(lex, many=True)
    assert type(again.tokenizer.FREQ) is dict and type(again.word_tag_tab) is dict
    assert again.tokenizer.FREQ == made.tokenizer.FREQ and again.word_tag_tab == made.word_tag_tab
    assert cuts(again) == bisected == cuts(made)
    segment.warm(lex, many=True)                            # the workers' own warm: nothing more to make
    assert type(again.tokenizer.FREQ) is dict


def test_a_kept_state_is_bisected_in_its_long_strings_then_in_a_list(own_temp, monkeypatch):
    """The kept state's words are not split into 850,000 strings to be read (Lines: each probe a
    slice of one string), until SPLIT_AFTER lookups: a list from there on, the same answers."""
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)
    again = segment._tokenizer.__wrapped__(lex)
    freq, tags = again.tokenizer.FREQ, again.word_tag_tab
    assert isinstance(freq.keys_, segment.Lines) and isinstance(tags.values_, segment.Lines)
    words = sorted(made.tokenizer.FREQ)
    assert [freq.keys_[i] for i in (0, 1, len(words) // 2, len(words) - 1)] == [words[i] for i in (0, 1, len(words) // 2, len(words) - 1)]
    with pytest.raises(IndexError):
        freq.keys_[len(words)]
    monkeypatch.setattr(segment, "SPLIT_AFTER", freq.lookups + 2)
    assert cuts(again) == cuts(made)                        # split on the way
    assert type(freq.keys_) is list and freq.keys_ == words and isinstance(freq, segment.Sorted)
    assert dict(freq.items()) == made.tokenizer.FREQ and dict(tags.items()) == made.word_tag_tab


def test_a_build_of_several_articles_splits_the_keys_before_it_forks(own_temp, monkeypatch):
    """warm(several=True) (pipeline._warm for a build of a few to MANY articles): the sorted keys are
    split into lists at once, in the process that forks the workers; the same cuts."""
    lex = lexicon.load()
    made = segment._tokenizer.__wrapped__(lex)
    again = segment._tokenizer.__wrapped__(lex)
    monkeypatch.setattr(segment, "_tokenizer", lambda _lex: again)
    segment.warm(lex, several=True)
    freq, tags = again.tokenizer.FREQ, again.word_tag_tab
    assert isinstance(freq, segment.Sorted) and type(freq.keys_) is list and type(tags.keys_) is list
    assert cuts(again) == cuts(made)


def _sentences() -> list[str]:
    import re
    from conftest import SEED, SHARED
    texts = [SEED.read_text(encoding="utf-8")]
    # with the shared data (KG_SHARED_DIR), two national reports: a thousand sentences more
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus" / "national").glob("china-20*.md"))[:2]]
    texts.append("。".join(TEXTS) + "。潘家园、小马驹桥和Ｒ＆Ｄ 2.5%的　全角 mixed text 12.5 abc123def。")
    return [s for t in texts for s in re.split(r"[。；！？\n]", t) if s.strip()]


def test_tokens_are_jiebas_own_cut():
    """segment.tokens cuts with dag.Cutter (the dictionary's route) and dag.viterbi (the HMM), jieba's
    own algorithms done again faster: the same words, tags and offsets as jieba's tagger gives."""
    lex = lexicon.load()
    tagger = segment._tokenizer(lex)
    sentences = _sentences()
    assert len(sentences) > 50
    for s in sentences:
        toks = segment._cut.__wrapped__(lex, s)
        assert [(t.word, t.pos) for t in toks] == [(p.word, p.flag) for p in tagger.cut(s, HMM=True)], s
        assert all(s[t.begin:t.end] == t.word for t in toks) and (not toks or toks[-1].end == len(s))


def test_dag_viterbi_is_jiebas():
    """The HMM's states for runs of characters (rare and unknown ones too), as jieba's viterbi finds them."""
    import jieba.posseg as ps
    from jieba.posseg.viterbi import viterbi as jieba_viterbi
    from kgbuild.extract import dag
    tables = (ps.char_state_tab_P, ps.start_P, ps.trans_P, ps.emit_P)
    # the HMM cuts short runs (characters the dictionary's route leaves single): the first few characters of each
    runs = sorted({r[i:i + 5] for s in _sentences() for r in ps.re_han_detail.findall(s) for i in (0, 3)} - {""})
    runs = runs[::max(1, len(runs) // 1500)]
    runs += ["䶮䶮龘", "的", "囧"]
    for r in runs:
        assert dag.viterbi(r, *tables) == jieba_viterbi(r, *tables), r

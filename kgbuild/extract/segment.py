"""The one module that uses jieba: word segmentation with part-of-speech tags.

The user dictionary (data/lexicon/userdict.txt) keeps policy terms such as 高新技术企业,
科技特派员 and 技术合同成交额 whole.
"""

from __future__ import annotations

import array
import hashlib
import io
import logging
import marshal
import os
import sys
import tempfile
from bisect import bisect_left
from collections.abc import ItemsView, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from .. import kept as temp_files
from .dag import Cutter, hmm_cut
from .lexicon import Lexicon

log = logging.getLogger("kgbuild")


def _import_jieba() -> None:
    """Import jieba and jieba.posseg, without what they load for nothing:

    * pkg_resources, which jieba imports only to open its own data files (jieba._compat) and which
      takes 0.1–0.3 s scanning every installed distribution: without it jieba opens the same
      files from its own folder. pkg_resources stays importable for others.
    * the part-of-speech tags of jieba's whole dictionary, which jieba.posseg reads for its default
      tokenizer when imported (0.4 s): that tokenizer is never used (this module is the only one
      that uses jieba, tests/test_layout.py, and cuts with its own, _tokenizer), so it is given
      an empty dictionary to read instead.
    """
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None         # type: ignore[assignment] — `import pkg_resources` fails
    try:
        import jieba
        if "jieba.posseg" not in sys.modules:
            jieba.dt.get_dict_file = io.BytesIO     # an empty file, for posseg's default tokenizer alone
            try:
                import jieba.posseg  # noqa: F401
            finally:
                del jieba.dt.get_dict_file
    finally:
        if blocked:
            del sys.modules["pkg_resources"]


_import_jieba()
import jieba  # noqa: E402 — imported above, without pkg_resources
import jieba.finalseg  # noqa: E402
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
    """jieba's part-of-speech tokenizer over TOKENIZER, its tags given (_tokenizer) rather than
    read from the dictionary file here."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.word_tag_tab: dict[str, str] = {}


def _state_file(tk: jieba.Tokenizer, lex: Lexicon) -> Path:
    """Where the tokenizer's state for LEX is kept: beside jieba's own cache of its dictionary (the
    temporary folder), named after the hash of everything it is made from — jieba's version, its
    dictionary and the user dictionary (their bytes), the Python (marshal's format) — so that
    a state is only ever read for the same inputs."""
    h = hashlib.sha256(f"{jieba.__version__}\0{sys.version}\0{marshal.version}\0{STATE_FORMAT}\0".encode())
    with tk.get_dict_file() as f:
        h.update(f.read())
    h.update(b"\0" + Path(lex.userdict).read_bytes())
    return Path(tk.tmp_dir or tempfile.gettempdir()) / f"kgbuild-jieba-{h.hexdigest()[:32]}.state"


STATE_FORMAT = 3                # 2: the words and the tagged words sorted (Sorted); 3: and where each begins (Lines)
SPLIT_AFTER = 4_000             # lookups of a Sorted before it splits its keys (Lines) into a list
PROMOTE_AFTER = 100_000         # lookups of a Sorted before it makes its dictionary


class Sorted(Mapping):
    """A read-only mapping of KEYS (sorted; a sequence, Lines) to VALUES, looked up by bisection: what jieba's
    prefix dictionary (tk.FREQ, 500,000 words) and the tagger's tags (350,000) are read into from
    the kept state. Making the two dictionaries takes 0.3 s of CPU (hashing 850,000 strings),
    longer than segmenting a few articles by bisection (about 1.5 ms an article more than with
    the dictionaries): a rebuild that extracts one article does without them. After
    PROMOTE_AFTER lookups the dictionary is made after all and set as OWNER's attribute NAME in
    its place (jieba reads self.FREQ and self.word_tag_tab at each lookup), so a build that
    extracts many articles pays the bisection only for its first few. Its keys are bisected as
    Lines (each probe a slice of one string: 20 µs a lookup) for the first SPLIT_AFTER lookups
    (about three articles), then as a list split from them (5 µs). The same keys and values
    either way, so the same cuts (tests/test_segment.py)."""

    __slots__ = ("keys_", "values_", "n", "owner", "name", "lookups")

    def __init__(self, keys: list[str], values: list, owner: object, name: str) -> None:
        self.keys_, self.values_, self.n = keys, values, len(keys)
        self.owner, self.name, self.lookups = owner, name, 0

    def _at(self, key) -> int:
        self.lookups += 1
        if self.lookups == SPLIT_AFTER:
            self.split()
        elif self.lookups == PROMOTE_AFTER:
            self.promote()
        i = bisect_left(self.keys_, key) if isinstance(key, str) else self.n
        return i if i < self.n and self.keys_[i] == key else -1

    def split(self) -> None:
        """The keys as a list (Lines split), bisected in C from here on: 4–5 times faster a lookup."""
        if isinstance(self.keys_, Lines):
            self.keys_ = list(self.keys_)

    def promote(self) -> dict:
        """The dictionary, set in this mapping's place."""
        d = dict(zip(self.keys_, self.values_))
        setattr(self.owner, self.name, d)
        return d

    def get(self, key, default=None):
        i = self._at(key)
        return default if i < 0 else self.values_[i]

    def __contains__(self, key) -> bool:
        return self._at(key) >= 0

    def __getitem__(self, key):
        i = self._at(key)
        if i < 0:
            raise KeyError(key)
        return self.values_[i]

    def __iter__(self):
        return iter(self.keys_)

    def items(self) -> ItemsView:
        return _Items(self)

    def __len__(self) -> int:
        return self.n


class Lines(Sequence):
    """The lines of TEXT ("\\n" between them) by index, without splitting TEXT: STARTS (an array)
    holds where each line begins, and one more, len(TEXT) + 1. Splitting the kept state's 850,000
    words and tags into strings took 0.15 s of CPU, most of what reading it costs, for the few
    thousand a rebuild of one article looks up (Sorted bisects this sequence; iterating it splits)."""

    __slots__ = ("text", "starts", "n")

    def __init__(self, text: str, starts: array.array) -> None:
        if len(starts) < 1 or starts[0] != 0 or starts[-1] != len(text) + 1:
            raise ValueError("not the starts of these lines")
        self.text, self.starts, self.n = text, starts, len(starts) - 1

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> str:         # type: ignore[override] — an index, never a slice
        if not 0 <= i < self.n:
            raise IndexError(i)
        return self.text[self.starts[i]:self.starts[i + 1] - 1]

    def __iter__(self):
        return iter(self.text.split("\n") if self.n else ())


def _starts(lines: list[str]) -> bytes:
    """Where each of LINES begins in "\\n".join(LINES), and one more (Lines), as array bytes."""
    return array.array("i", accumulate((len(w) + 1 for w in lines), initial=0)).tobytes()


def _lines(text: str, starts: bytes) -> Lines:
    a = array.array("i")
    a.frombytes(starts)
    return Lines(text, a)


class _Items(ItemsView):
    """A Sorted's items, its keys and values side by side (not each key looked up again)."""

    def __iter__(self):
        return zip(self._mapping.keys_, self._mapping.values_)


def _read_state(path: Path) -> tuple | None:
    """The state _pack made (the words sorted, their counts, the total, the tagged words sorted,
    their tags, the forced splits), or None (no file, one another user owns, or not one this
    module wrote)."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():     # a shared temporary folder: only our own
                return None
            data = f.read()
        # marshal.load(file) reads in small pieces: twice as slow
        words, word_starts, freqs, total, tagged, tagged_starts, tags, tag_starts, forced = marshal.loads(data)
        counts = array.array("q")
        counts.frombytes(freqs)
        words, tagged, tags = _lines(words, word_starts), _lines(tagged, tagged_starts), _lines(tags, tag_starts)
    except (OSError, EOFError, ValueError, TypeError, AttributeError):
        return None
    temp_files.touch(path)
    if len(words) != len(counts) or len(tagged) != len(tags) or not isinstance(total, int) or not isinstance(forced, list):
        return None
    return words, counts, total, tagged, tags, forced


def _pack(freq: dict[str, int], total: int, tags: dict[str, str], forced: list[str]) -> tuple:
    """The tokenizer's state as a few long strings and arrays, which marshal reads several times
    faster than dictionaries of 850,000 short strings (no word holds a newline: jieba reads its
    dictionaries line by line); the words and the tagged words sorted, for Sorted, and where each
    word and tag begins, for Lines."""
    words, tagged = sorted(freq), sorted(tags)
    tag_list = [tags[w] for w in tagged]
    return ("\n".join(words), _starts(words), array.array("q", (freq[w] for w in words)).tobytes(), total,
            "\n".join(tagged), _starts(tagged), "\n".join(tag_list), _starts(tag_list), forced)


def _write_state(path: Path, state: tuple) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump(state, f)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        temp_files.sweep(path)                      # the states of other lexicons and versions
    except OSError as e:                        # a read-only or full temporary folder: made again next time
        log.debug("cannot keep jieba's state in %s: %s", path, e)


@lru_cache(maxsize=2)
def _tokenizer(lex: Lexicon) -> jieba.posseg.POSTokenizer:
    """jieba's tokenizer with the user dictionary, and its part-of-speech tagger. Made once (jieba
    reads its dictionary from its own cache, the user dictionary's words are added, the tags of
    its dictionary read, the user dictionary's added to them: ≈1 s), then kept as it is then (the
    prefix dictionary, its total, the tags, the words the user dictionary forces apart) in one
    marshal file (_state_file) that later builds read in about half the time, as sorted lists
    looked up by bisection until they are used enough to make the dictionaries (Sorted)."""
    tk = jieba.Tokenizer()
    tagger = _Tagger(tk)
    path = _state_file(tk, lex)
    state = _read_state(path)
    if state is None:
        forced = set(jieba.finalseg.Force_Split_Words)
        tk.load_userdict(str(lex.userdict))
        tagger.load_word_tag(tk.get_dict_file())        # jieba's own reading of its dictionary's tags
        tagger.makesure_userdict_loaded()               # the user dictionary's tags over them
        _write_state(path, _pack(tk.FREQ, tk.total, tagger.word_tag_tab,
                                 sorted(jieba.finalseg.Force_Split_Words - forced)))
        return tagger
    words, counts, tk.total, tagged, tags, forced_words = state
    tk.FREQ = Sorted(words, counts, tk, "FREQ")
    tagger.word_tag_tab = Sorted(tagged, tags, tagger, "word_tag_tab")
    tk.initialized = True
    for word in forced_words:
        jieba.finalseg.add_force_split(word)
    return tagger


_HAN = jieba.posseg.re_han_internal          # what jieba cuts as one run (the rest: character by character)


@lru_cache(maxsize=65536)
def _cut(lex: Lexicon, text: str) -> tuple[Token, ...]:
    """jieba's cut of TEXT (posseg, HMM): it cuts each run of _HAN apart, so each run is cut once
    (_run) wherever it recurs (a clause in its sentence, a phrase from sentence to sentence)."""
    out, pos = [], 0
    for run in _HAN.split(text):
        if run:
            for word, tag in _run(lex, run):
                out.append(Token(word, tag, pos, pos + len(word)))
                pos += len(word)
    return tuple(out)


@lru_cache(maxsize=65536)
def _run(lex: Lexicon, run: str) -> tuple[tuple[str, str], ...]:
    """One piece of a text as jieba's tagger cuts it (its runs of Chinese characters by dag.Cutter,
    jieba's own way done faster; the rest by jieba), as (word, tag) pairs."""
    if _HAN.fullmatch(run):
        return tuple(_cutter(lex).cut(run))
    return tuple((p.word, p.flag) for p in _tokenizer(lex).cut(run, HMM=True))


@lru_cache(maxsize=2)
def _cutter(lex: Lexicon) -> Cutter:
    tagger = _tokenizer(lex)
    tagger.makesure_userdict_loaded()
    return Cutter(tagger.tokenizer, tagger, lambda buf: tuple(hmm_cut(buf, jieba.posseg)))


def warm(lex: Lexicon, many: bool = False, several: bool = False) -> None:
    """Load jieba's dictionary and the user dictionary now (≈0.1 s from the kept state, ≈1 s
    without): a build does it once before its workers fork, so they share it instead of each
    loading it (each makes the dictionaries when it has used them enough: Sorted). MANY: the
    build will segment many articles: the dictionaries are made now, once, and the workers share
    them too, instead of each looking up its first hundred articles' words by bisection (about
    1,100 lookups an article) and then making them (a cold build of 1,000 articles: ≈2.5 s of CPU
    less). SEVERAL: more than a few articles, not many: the sorted keys are split into lists now
    (Sorted.split), once, rather than by each worker when it has used them enough."""
    tagger = _tokenizer(lex)
    for mapping in (tagger.tokenizer.FREQ, tagger.word_tag_tab):
        if isinstance(mapping, Sorted):
            if many:
                mapping.promote()
            elif several:
                mapping.split()


def tokens(text: str, lex: Lexicon) -> tuple[Token, ...]:
    """Tokens of text with offsets relative to the start of text."""
    return _cut(lex, text) if text else ()

"""jieba's cut of one run of Chinese characters (jieba.posseg.POSTokenizer.__cut_DAG with HMM),
done again without jieba's generators: the same words and tags, a third of the CPU.

jieba finds, for each character, the dictionary words that start there (get_DAG), then from the
end the most probable route (calc: the sum of log(frequency) − log(total) over the words, ties
to the longer word, max over (value, end)), builds a tuple per candidate in a generator, and
looks each word up twice. Here the two passes are one loop, each word's weight is kept once
computed (the same float: log(f) − log(total), then added as calc adds it), and the runs of
single characters jieba gives its HMM (DETAIL, jieba's own __cut_detail: viterbi) are cut once
each. segment.py, the module that owns jieba, hands in its dictionaries; tests/test_segment.py
compares the cuts with jieba's on every sentence of the seed and of synthetic articles.
"""

from __future__ import annotations

from math import log
from typing import Callable, Mapping

Pair = tuple[str, str]


class Cutter:
    """Cuts runs of Chinese characters as jieba's part-of-speech tokenizer does, given its prefix
    dictionary's owner TOKENIZER (its FREQ and total, read at each cut: segment.Sorted sets the
    dictionary in its own place when it has been used enough), the TAGGER (its word_tag_tab) and
    DETAIL, jieba's cut of a run of unknown characters (the HMM) as (word, tag) pairs."""

    def __init__(self, tokenizer, tagger, detail: Callable[[str], tuple[Pair, ...]]) -> None:
        self.tokenizer, self.tagger, self.detail = tokenizer, tagger, detail
        self.weights: dict[str, float] = {}         # word → log(FREQ.get(word) or 1) − log(total)
        self.details: dict[str, tuple[Pair, ...]] = {}
        self.scale = (tokenizer.total, log(tokenizer.total))     # the total and its log, one value: threads may cut at once

    def _weight(self, word: str, freq: Mapping, logtotal: float) -> float:
        w = self.weights.get(word)
        if w is None:
            if len(self.weights) > 500_000:
                self.weights.clear()
            w = self.weights[word] = log(freq.get(word) or 1) - logtotal
        return w

    def route(self, sentence: str) -> list[int]:
        """For each character, where the word the best route takes there ends (jieba's calc over
        get_DAG: route[k][1])."""
        tk = self.tokenizer
        total, logtotal = self.scale
        if tk.total != total:                        # (never, once jieba is loaded: no word is added later)
            self.weights = {}
            self.scale = total, logtotal = tk.total, log(tk.total)
        freq = tk.FREQ
        get, weights, weight = freq.get, self.weights, self._weight
        n = len(sentence)
        values: list = [0.0] * n + [0]               # route[N] = (0, 0)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            best = None
            i, frag = k, sentence[k]
            while i < n:
                f = get(frag)
                if f is None:                        # no word starts with frag
                    break
                if f:                                # a word (0: a prefix of words alone)
                    w = weights.get(frag)
                    v = (weight(frag, freq, logtotal) if w is None else w) + values[i + 1]
                    if best is None or v >= best:    # max((value, end)): ties to the later end
                        best, end = v, i
                i += 1
                frag = sentence[k:i + 1]
            if best is None:                         # no word: the character alone
                best, end = weight(sentence[k], freq, logtotal) + values[k + 1], k
            values[k], ends[k] = best, end
        return ends

    def cut(self, sentence: str) -> list[Pair]:
        """jieba.posseg.POSTokenizer.__cut_DAG(sentence) (HMM), as (word, tag) pairs."""
        ends = self.route(sentence)
        tags = self.tagger.word_tag_tab
        out: list[Pair] = []
        add = out.append
        x, buf, n = 0, "", len(sentence)
        while x < n:
            y = ends[x] + 1
            word = sentence[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    self._flush(buf, tags, out)
                    buf = ""
                add((word, tags.get(word, "x")))
            x = y
        if buf:
            self._flush(buf, tags, out)
        return out

    def _flush(self, buf: str, tags: Mapping, out: list[Pair]) -> None:
        """The single characters the route took in a row: one known word's characters, a run of
        unknown ones the HMM cuts, or one character."""
        if len(buf) == 1:
            out.append((buf, tags.get(buf, "x")))
        elif not self.tokenizer.FREQ.get(buf):
            cut = self.details.get(buf)
            if cut is None:
                if len(self.details) > 100_000:
                    self.details.clear()
                cut = self.details[buf] = self.detail(buf)
            out.extend(cut)
        else:
            out.extend((c, tags.get(c, "x")) for c in buf)


MIN_FLOAT, MIN_INF = -3.14e100, float("-inf")     # jieba.posseg.viterbi's


def viterbi(obs: str, states: Mapping, start_p: Mapping, trans_p: Mapping, emit_p: Mapping) -> tuple[float, list]:
    """jieba.posseg.viterbi.viterbi: the same states, the same floats. Each state's best
    predecessor is the max of (V + trans + emit, predecessor) over the predecessors that may come
    before it (the others' sums are −inf: they decide only when no sum is finite, and then jieba's
    own max is taken), in a loop rather than a generator of tuples."""
    all_states = trans_p.keys()
    o = obs[0]
    v_prev = {y: start_p[y] + emit_p[y].get(o, MIN_FLOAT) for y in states.get(o, all_states)}
    paths = [dict.fromkeys(v_prev, "")]
    for t in range(1, len(obs)):
        o = obs[t]
        prev = [x for x in v_prev if trans_p[x]]
        expect = {y for x in prev for y in trans_p[x]}
        now = set(states.get(o, all_states)) & expect
        if not now:
            now = expect if expect else all_states
        v_now, path = {}, {}
        for y in now:
            e = emit_p[y].get(o, MIN_FLOAT)
            best = None
            for y0 in prev:
                tr = trans_p[y0].get(y)
                if tr is not None:
                    v = v_prev[y0] + tr + e
                    if best is None or v > best or (v == best and y0 > state):
                        best, state = v, y0
            if best is None or best == MIN_INF:           # no finite sum: jieba's max over them all
                best, state = max((v_prev[y0] + trans_p[y0].get(y, MIN_INF) + e, y0) for y0 in prev)
            v_now[y], path[y] = best, state
        v_prev = v_now
        paths.append(path)
    prob, state = max((v_prev[y], y) for y in paths[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route


def hmm_cut(sentence: str, posseg) -> list[Pair]:
    """jieba.posseg.POSTokenizer.__cut_detail(sentence) (the HMM's cut of characters the
    dictionary does not know) as (word, tag) pairs, by viterbi above; POSSEG: jieba.posseg (its
    patterns and probability tables), handed in by segment.py."""
    out: list[Pair] = []
    for blk in posseg.re_han_detail.split(sentence):
        if posseg.re_han_detail.match(blk):
            _, tags = viterbi(blk, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
            begin = nexti = 0
            for i, char in enumerate(blk):       # __cut
                pos = tags[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    out.append((blk[begin:i + 1], tags[i][1]))
                    nexti = i + 1
                elif pos == "S":
                    out.append((char, tags[i][1]))
                    nexti = i + 1
            if nexti < len(blk):
                out.append((blk[nexti:], tags[nexti][1]))
        else:
            for x in posseg.re_skip_detail.split(blk):
                if x:
                    out.append((x, "m" if posseg.re_num.match(x) else "eng" if posseg.re_eng.match(x) else "x"))
    return out

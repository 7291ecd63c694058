"""Stage 3 — extract: Article → Extraction (targets, observations, focus areas, places, entities).

extractor.py  the entry point: quantities → tense (promise or report) → targets, observations;
              merges repeated mentions of one commitment
numbers.py    numerals, ranges, multipliers, fractions, comparators
tense.py      promise or report, per number: clause cues, the section heading as a prior, the cue kept
genre.py      the article's genre (plan, progress, results, review, mixed) with its evidence: the prior of last resort
years.py      the year a figure is for, and the span a figure over several years covers
filters.py    numbers that are no targets: names, slogans, task counts, baselines, qualifiers, entitlements
concepts.py   indicator phrase → indicator concept (data/lexicon/indicators.ttl): one measure, whatever the wording
script.py     traditional characters read through a simplified view of the same length (the only opencc user)
clauses.py    the clause around a number: indicator, mention, comparator, level, kind
structure.py  focus areas (headings, 着力 lines, numbered sections) and the plan year
places.py     GB/T 2260 divisions (codes, parents) from the cpca package's data file
entities.py   programs, organisations, the announcing event and its date
segment.py    the only module that imports jieba
dag.py        jieba's cut of a run of characters (route, HMM) done again faster: the same words and tags
pinyin.py     the only module that imports pypinyin, when a name's pinyin is not kept yet (the slugs, places' labels)
lexicon.py    the lexicons in data/lexicon/ (measure words, cues, comparators …) as one frozen value
"""

from .extractor import extract

__all__ = ["extract"]

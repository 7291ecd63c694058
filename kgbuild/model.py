"""The frozen values that flow between pipeline stages.

load → RawArticle; parse → Article; extract → Extraction; to RDF → rdflib Graph;
validate → Validation; link (across articles) → Linked; publish → Published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Retrieval:
    """Where and when a fetched file came from (its retrieval record, written by `kgbuild fetch`)."""

    url: str                            # the URL asked for
    final_url: str                      # where the answer came from, after redirects
    started: datetime                   # timezone-aware
    ended: datetime
    content_type: str
    sha256: str                         # of the bytes received (the article file)
    title: str | None = None            # from the document's metadata or the feed entry, when it gave one
    date: datetime | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class RawArticle:
    path: str            # as given on the command line (used in error messages)
    key: str             # file stem, used in URIs: quanzhou-2022
    fmt: str             # post | txt | html | pdf | docx | doc
    content: str         # decoded UTF-8 text of the file ("" for pdf, docx and doc, read from data)
    sha256: str          # of the file's bytes
    data: bytes = b""    # the bytes of a pdf, docx or doc file
    retrieval: Retrieval | None = None   # from the retrieval record beside a fetched file


@dataclass(frozen=True)
class Span:
    begin: int           # character (code point) offsets into Article.text
    end: int
    text: str


@dataclass(frozen=True)
class Block:
    begin: int
    end: int
    kind: str            # title | heading | paragraph | item | byline | caption | source

    @property
    def credit(self) -> bool:
        """A credit line: who wrote it (byline), who took the photo (caption), where it came from
        (source). No text of the plan to read."""
        return self.kind in ("byline", "caption", "source")


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None     # reporter | correspondent | None
    span: Span


@dataclass(frozen=True)
class Article:
    key: str
    path: str
    sha256: str
    fmt: str
    title: str
    date: datetime | None               # timezone-aware
    publisher: str | None
    tags: tuple[str, ...]
    source_urls: tuple[str, ...]
    text: str                           # title + "\n" + one line per block: what offsets refer to
    blocks: tuple[Block, ...]
    people: tuple[Person, ...] = ()
    retrieval: Retrieval | None = None  # when the file was fetched by `kgbuild fetch`

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass(frozen=True)
class Place:
    code: str                           # GB/T 2260 six-digit code: 350500
    name: str                           # official name: 泉州市
    short: str                          # 泉州
    level: str                          # province | city | district
    parent_code: str | None
    slug: str                           # quanzhou


@dataclass(frozen=True)
class FocusArea:
    index: int                          # 1-based order in the plan
    label: str
    span: Span                          # the heading or 着力 line that names it
    begin: int                          # the section it covers
    end: int


@dataclass(frozen=True)
class Target:
    indicator: str                      # the indicator as stated (best mention): 新增高新技术企业
    indicator_key: str                  # normalised form (abbreviations expanded): concept identity
    comparator: str                     # eq | ge | gt | le | lt | range
    value: Decimal | None
    min: Decimal | None
    max: Decimal | None
    unit: str | None
    kind: str                           # count | growth_rate | ratio | amount
    year: int | None
    level: str                          # planned | strive | aim | ensure | expected
    area: int | None                    # FocusArea.index
    mentions: tuple[Span, ...]
    relative_to: str | None = None      # 不低于保有量的20% → 保有量
    parent: int | None = None           # index of the target this is a sub-target of (其中…)
    cue: str = ""                       # what decided it is a promise: 力争, § 二、2019年工作安排, article
    concept: str | None = None          # the indicator concept (data/lexicon/indicators.ttl) it measures, if mapped
    approximate: bool = False           # worded as "about" (6%左右, 约1.3万亿元): judged with a tolerance
    period_start: int | None = None     # a figure for several years (十三五期间, 2016—2020年): its first; year is its last
    aggregation: str | None = None      # annualAverage (年均) | cumulative (累计): how the figure sums up its period
    baseline: Decimal | None = None     # 城镇化率从47.5%提高到51.5%: the rate stated for the plan's start


@dataclass(frozen=True)
class Observation:
    indicator: str
    indicator_key: str
    comparator: str
    value: Decimal | None
    min: Decimal | None
    max: Decimal | None
    unit: str | None
    kind: str
    year: int | None
    mention: Span
    cue: str = ""                       # what decided it is a report: 去年, § 一、2018年工作回顾, 同比
    concept: str | None = None
    period_start: int | None = None     # a figure for several years (过去五年): its first; year is its last
    aggregation: str | None = None      # annualAverage (年均) | cumulative (累计)


@dataclass(frozen=True)
class Named:
    """A program, organisation or event mentioned by name."""

    name: str
    spans: tuple[Span, ...]
    date: str | None = None             # events: ISO date resolved against the article date


@dataclass(frozen=True)
class Extraction:
    article: Article
    place: Place | None
    places: tuple[Place, ...]           # every place mentioned, the article's own first
    areas: tuple[FocusArea, ...]
    targets: tuple[Target, ...]
    observations: tuple[Observation, ...] = ()
    programs: tuple[Named, ...] = ()
    organizations: tuple[Named, ...] = ()
    events: tuple[Named, ...] = ()
    genre: str = "plan"                 # plan | progress | results | review | mixed (kgbuild/extract/genre.py)


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: int
    warnings: int
    report_text: str                    # human-readable, grouped by shape and focus node
    report_ttl: str                     # the SHACL validation report graph as Turtle
    report_nt: str = ""                 # the same, canonical sorted N-Triples ("" when it has no results)


@dataclass(frozen=True)
class Linked:
    """Stage 6: the links graph (targets → outcomes, statuses) of a whole build, validated."""

    ntriples: str                       # sorted N-Triples ("" when nothing links)
    report: str                         # SHACL report of the links graph, canonical N-Triples
    violations: int
    report_text: str


@dataclass(frozen=True)
class Published:
    out: str
    triples: int
    targets: int
    articles: int
    files: tuple[str, ...] = field(default_factory=tuple)
    seconds: float = 0.0
    unchanged: bool = False             # nothing changed: the published version was kept as it was
    version: str = ""                   # the version folder dist points at


@dataclass(frozen=True)
class ArticleBuild:
    """One article, extracted, turned into its named graph and validated on its own."""

    key: str
    file: str                           # the file name as given
    sha256: str                         # of the article's bytes
    graph: str                          # the named graph's IRI
    ntriples: str | None                # the graph, one sorted N-Triples line per triple (None: in the
                                        # cache entry, not read yet; cache.whole reads it)
    report: str                         # its SHACL report, canonical N-Triples ("" when it has no results)
    violations: int
    warnings: int
    report_text: str
    targets: int
    observations: int
    places: tuple[tuple[str, str, str], ...]   # (code, name, slug) of its own place, if resolved
    statements: tuple[tuple[str | None, ...], ...] = ()   # what linking reads from it (link.outcomes.rows)
    cached: bool = False
    digest: dict | None = field(default=None, compare=False, repr=False)      # graph.digest.summary of ntriples
    deferred: object = field(default=None, compare=False, repr=False)         # cache.Deferred: where ntriples is


@dataclass(frozen=True)
class ArticleFailure:
    """An article that was reported and left out of the build."""

    file: str
    error: str                          # names the file, the place and the problem
    exit_code: int                      # 2 unreadable, 1 its graph does not conform
    report_text: str = ""

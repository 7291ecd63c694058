"""Named things: programs and actions, organisations, the meeting or event (with its date)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import Article, Named, Span
from .lexicon import Lexicon
from .segment import tokens

PROGRAM_SUFFIX = ("专项行动", "行动计划", "计划", "行动", "工程", "专项", "模式", "项目", "活动")
AFTER_QUOTE = re.compile(r"^(?:专项行动|行动计划|计划|行动|工程|专项|模式|项目|活动|建设)")
QUOTED = re.compile(r"“([^”“]{2,30})”")
UNQUOTED = re.compile(r"(?:实施|开展|启动|推进|深化|和|及)([\u4e00-\u9fff]{2,12}?(?:专项行动|行动计划|工程|行动))")
ORG = re.compile(r"([\u4e00-\u9fff]{2,18}?(?:研究院|创新院|研究所|研究中心|工程中心|创新中心|实验室|联盟|园区|科技园|大学|学院|协会|商会|分中心|东部中心|中心))")
EVENT = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})日[^。]{0,40}?(?:召开|举行|举办|开幕|发布)([^。，,]{0,30}?(?:会议|大会|推进会|动员会|发布会|座谈会|论坛|峰会|调度会))")
EVENT_AFTER = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})日[，,]?\s*(?:在[^。]{0,30}?[，,])?[^。]{0,20}?(?:召开|举行|举办)([^。，,]{2,30}?(?:会议|大会|推进会|动员会|发布会|座谈会|论坛|峰会|调度会))")


def _add(found: dict[str, list[Span]], name: str, begin: int) -> None:
    found.setdefault(name, []).append(Span(begin, begin + len(name), name))


def programs(article: Article, lex: Lexicon) -> tuple[Named, ...]:
    text, found = article.text, {}
    for m in QUOTED.finditer(text):
        name = m.group(1)
        if name.endswith(PROGRAM_SUFFIX) or AFTER_QUOTE.match(text[m.end():]):
            _add(found, name, m.start(1))
    for m in UNQUOTED.finditer(text):
        name = m.group(1)
        if "”" not in name and "“" not in name:
            _add(found, name, m.start(1))
    return tuple(Named(n, tuple(s)) for n, s in sorted(found.items(), key=lambda kv: kv[1][0].begin))


def organizations(article: Article, lex: Lexicon) -> tuple[Named, ...]:
    text, found = article.text, {}
    for m in ORG.finditer(text):
        name, begin = m.group(1), m.start(1)
        toks = tokens(name, lex)
        i = 0
        while i < len(toks) - 1 and (toks[i].is_verb or toks[i].pos in ("d", "ad", "p", "c", "r", "m", "t", "uj")
                                     or toks[i].word in ("重点", "积极", "大力", "全力")):
            i += 1
        cut = toks[i].begin if i < len(toks) else 0
        name, begin = name[cut:], begin + cut
        if len(name) >= 4 and not re.search(r"\d", name):
            _add(found, name, begin)
    return tuple(Named(n, tuple(s)) for n, s in sorted(found.items(), key=lambda kv: kv[1][0].begin))


def _resolve_day(pub: date, month: int | None, day: int) -> date | None:
    """"27日" in an article of 2022-01-29 → 2022-01-27: the latest such day not after publication."""
    try:
        if month:
            d = date(pub.year, month, day)
            return d if d <= pub else date(pub.year - 1, month, day)
        d = date(pub.year, pub.month, day)
        if d > pub:
            prev = pub.replace(day=1) - timedelta(days=1)
            d = date(prev.year, prev.month, day)
        return d
    except ValueError:
        return None


def events(article: Article) -> tuple[Named, ...]:
    if not article.date:
        return ()
    text, out = article.text, []
    for m in list(EVENT_AFTER.finditer(text)) + list(EVENT.finditer(text)):
        name = m.group(3).strip()
        name = re.sub(r"^(?:了|随即|隆重|召开|举行)+", "", name)
        if len(name) < 4 or any(e.name == name for e in out):
            continue
        d = _resolve_day(article.date.date(), int(m.group(1)) if m.group(1) else None, int(m.group(2)))
        begin = m.start(3) + m.group(3).index(name)
        out.append(Named(name, (Span(begin, begin + len(name), name),), d.isoformat() if d else None))
    return tuple(out)

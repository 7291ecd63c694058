"""Every indicator phrase the extractor publishes names the measured thing and nothing else
(tests/phrase_rule.py), over every gold article and the national reports in ../shared; and the
rule itself catches the fragments it is there for."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgbuild.pipeline import graph_for
from kgbuild.publish import ntriples, ontology, store
from kgbuild.report.targets import observations, records
from conftest import SEED, gold_dir, national_dir
from phrase_rule import problems


@pytest.mark.parametrize("phrase", ["增加", "财政赤字率一直", "比2007年增加", "政策范围内的医保基金支付水平以上",
                                    "经济增长预期目标是在提高质量的基础上年均增长", "拟安排财政赤字", "企业养老金今年再提高",
                                    "保障性安居工程新", "在地级以上城市进行公立医院改革试点", "小麦最低收购价每提高",
                                    "医保补助标准提高到每人每年", "赤字率拟", "完成年计划710亿元", "3年时间实现旅游扶贫重点村"])
def test_the_rule_refuses_fragments(phrase):
    assert problems(phrase)


@pytest.mark.parametrize("phrase", ["新增高新技术企业", "城镇登记失业率", "人均预期寿命", "培育省级以上技术服务机构",
                                    "退耕还林还草", "居民消费价格涨幅", "地方政府专项债券"])
def test_the_rule_accepts_noun_phrases(phrase):
    assert problems(phrase) == []


def test_every_published_indicator_phrase_is_a_noun_phrase():
    files = [SEED] + sorted(p for p in gold_dir().rglob("*.md") if p.name != "GUIDELINES.md")
    try:
        files += sorted(national_dir().glob("china-*.md"))
    except pytest.skip.Exception:
        pass                                   # the gold articles alone still make the test
    g, _ = graph_for(files)
    st = store.memory_store(ntriples(g) + ontology().serialize(format="nt", encoding="utf-8"), [])
    bad = [f"{kind} {r['article']}: {r['indicator']!r} {p} «{r['mentions'][0]}»"
           for kind, recs in (("target", records(st)), ("observation", observations(st)))
           for r in recs if (p := problems(r["indicator"]))]
    checked = len(records(st)) + len(observations(st))
    assert checked > 500, f"only {checked} statements: is the gold folder complete?"
    assert not bad, f"{len(bad)} of {checked} indicator phrases are not clean noun phrases:\n" + "\n".join(bad)

from decimal import Decimal

import pytest

from kgbuild.extract.lexicon import load
from kgbuild.extract.numbers import find_quantities, parse_number, zh_to_int

LEX = load()


@pytest.mark.parametrize("zh,n", [("十", 10), ("十二", 12), ("二十", 20), ("两千", 2000), ("三千五百", 3500),
                                   ("一万二千", 12000), ("二〇二二", 2022), ("一百零五", 105), ("三亿", 300_000_000)])
def test_chinese_numerals(zh, n):
    assert zh_to_int(zh) == n


def test_parse_number_multipliers():
    assert parse_number("1.5万") == Decimal("15000")
    assert parse_number("1,500") == Decimal("1500")


def q(text):
    return [(x.written, x.value, x.min, x.max, x.unit, x.prefix, x.suffix) for x in find_quantities(text, LEX)]


@pytest.mark.parametrize("text,expected", [
    ("培训1.5万人次以上", [("1.5万人次以上", Decimal(15000), None, None, "人次", "", "以上")]),
    ("技术合同成交额突破65亿元", [("65亿元", Decimal(65), None, None, "亿元", "突破", "")]),
    ("确保超过6000万元", [("6000万元", Decimal(6000), None, None, "万元", "超过", "")]),
    ("新改建农村卫生厕所6.8万座", [("6.8万座", Decimal(68000), None, None, "座", "", "")]),
    ("引进4—5个平台", [("4—5个", None, Decimal(4), Decimal(5), "个", "", "")]),
    ("实施3至5项", [("3至5项", None, Decimal(3), Decimal(5), "项", "", "")]),
    ("新增1-2家", [("1-2家", None, Decimal(1), Decimal(2), "家", "", "")]),
    ("增长6%-6.5%", [("6%-6.5%", None, Decimal(6), Decimal("6.5"), "%", "", "")]),
    ("签约服务率≥80%", [("80%", Decimal(80), None, None, "%", "≥", "")]),
    ("提高2个百分点", [("2个百分点", Decimal(2), None, None, "个百分点", "", "")]),
    ("新建十二所学校", [("十二所", Decimal(12), None, None, "所", "", "")]),
    ("引进三千人", [("三千人", Decimal(3000), None, None, "人", "", "")]),
    ("完成700多公里", [("700多公里", Decimal(700), None, None, "公里", "", "多")]),
    ("争取三万元", [("三万元", Decimal(3), None, None, "万元", "", "")]),
])
def test_quantities(text, expected):
    assert q(text) == expected


def test_fractions():
    [a] = find_quantities("占比超1/4", LEX)
    assert a.value == Decimal("0.25") and a.unit_class == "fraction" and a.prefix == "超"
    [b] = find_quantities("达到三分之一", LEX)
    assert b.value == Decimal("0.3333")
    [c] = find_quantities("百分之二十", LEX)
    assert c.value == Decimal(20) and c.unit == "%"


@pytest.mark.parametrize("text", ["2022年", "27日", "两位数增速", "三级公路", "一季度", "电话0595-22112345",
                                  "编号NW202201292266632841", "2018—2020年", "1、新建"])
def test_not_quantities(text):
    assert find_quantities(text, LEX) == []


def test_fullwidth_digits():
    [a] = find_quantities("新增城镇就业１．２万人", LEX)
    assert (a.value, a.unit, a.written) == (Decimal(12000), "人", "１．２万人")
    [b] = find_quantities("失业率控制在４．５％以内", LEX)
    assert (b.value, b.unit, b.suffix) == (Decimal("4.5"), "%", "以内")
    assert [q.value for q in find_quantities("新增企业30家，新建园区12个", LEX)] == [Decimal(30), Decimal(12)]


@pytest.mark.parametrize("text, value, written", [
    ("进出口总额增长-2.1%，", Decimal("-2.1"), "-2.1%"),       # a growth below zero
    ("工业投资增速为-3%。", Decimal(-3), "-3%"),
    ("增长5%-6%", None, "5%-6%"),                                # a range, not a minus
])
def test_a_minus_sign_after_a_growth_word(text, value, written):
    q = find_quantities(text, LEX)[-1]
    assert (q.value, q.written) == (value, written)


def test_a_dash_after_other_words_is_no_minus_sign():
    q = find_quantities("占比提高到3-5%", LEX)[-1]
    assert (q.value, q.min, q.max) == (None, Decimal(3), Decimal(5))
    assert [q.value for q in find_quantities("编号A-12%", LEX)] == []

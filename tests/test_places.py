"""The place of a plan is the jurisdiction that issues it (kgbuild/extract/places.py,
data/lexicon/jurisdiction.tsv), at every level, the country included. Made-up articles."""

from decimal import Decimal

from kgbuild.extract import extract
from kgbuild.extract.lexicon import load as load_lexicon
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse

LEX = load_lexicon()


def run(tmp_path, body, title, tags="", date="2023-03-05 09:00:00 +0800"):
    p = tmp_path / "t.md"
    extra = f"tags: {tags}\n" if tags else ""
    p.write_text(f"---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n<p>{body}</p>\n", encoding="utf-8")
    return extract(parse(load_file(p)), LEX)


def test_a_national_report_is_about_the_country_not_the_places_it_names(tmp_path):
    x = run(tmp_path, "香港、澳门与内地合作持续深化，海南、北京等地开放举措落地见效。"
                      "今年国内生产总值增长5.5%左右。", title="国务院2023年工作报告（摘要）", tags="中国政府网")
    assert x.place.code == "CN" and x.place.level == "country" and x.place.name == "中华人民共和国"
    assert all(t for t in x.targets) and x.targets[0].value == Decimal("5.5")
    assert {p.name for p in x.places} >= {"香港特别行政区", "海南省"}      # mentioned, still there


def test_a_text_that_speaks_of_the_whole_country_without_naming_a_place(tmp_path):
    x = run(tmp_path, "全国新增就业岗位1100万个以上。我国将加大宏观政策调节力度。全国粮食产量稳定在1.35万亿斤以上。"
                      "全国居民收入稳步增长。全国将改造城市危旧房屋3万套。", title="今年就业目标发布")
    assert x.place.code == "CN"


def test_a_province_that_names_only_its_cities(tmp_path):
    x = run(tmp_path, "今年我省将打通南充至广安、广安至达州快速通道，全省新增快速通道600公里，"
                      "力争重庆至赤水联络线开工。我省将新增2条出省干线。", title="今年我省力争建成快速通道600公里")
    assert x.place.name == "四川省"


def test_the_publisher_names_the_city(tmp_path):
    x = run(tmp_path, "今年全市新增科技型企业420家。", title="今年新增科技型企业420家", tags="泉州晚报")
    assert x.place.name == "泉州市"


def test_a_county_plan(tmp_path):
    x = run(tmp_path, "县发改局部署全年工作，全县新建灌溉渠道30公里。", title="县发改局部署全年工作",
            tags="襄城县人民政府")
    assert x.place.name == "襄城县" and x.place.level == "district"


def test_the_country_in_the_graph(tmp_path):
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import OWL, RDF

    from kgbuild.graph.validate import validate
    from kgbuild.pipeline import graph_for
    ptkg = Namespace("https://w3id.org/ptkg/ns#")
    p = tmp_path / "national.md"
    p.write_text("---\ntitle: \"国务院2023年工作报告（摘要）\"\ndate: 2023-03-05 09:00:00 +0800\n---\n"
                 "<p>今年国内生产总值增长5.5%左右。</p>\n", encoding="utf-8")
    g, _ = graph_for([p])
    china = URIRef("http://127.0.0.1:5000/id/place/china")
    assert (china, RDF.type, ptkg.Country) in g and (china, ptkg.countryCode, Literal("CN")) in g
    assert (china, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q148")) in g
    assert (china, ptkg.divisionCode, None) not in g
    [target] = g.subjects(RDF.type, ptkg.Target)
    assert (target, ptkg.place, china) in g
    assert validate(g).conforms


def test_a_city_governments_site_names_the_city_the_text_calls_we(tmp_path):
    # the text names its province, and calls itself 我市 only; the page sits on the city's site
    x = run(tmp_path, "今年我市将新增城镇就业3.5万人，力争全区旅游收入增长10%，为广西经济发展作出贡献。",
            title="今年全市就业工作会议召开", tags="www.liuzhou.gov.cn")
    assert x.place.name == "柳州市"


def test_a_news_sites_host_is_no_issuer_and_an_ambiguous_host_names_nobody(tmp_path):
    from kgbuild.extract.places import from_site
    assert from_site("http://news.example.com/a.html") == ()
    assert from_site("www.fuzhou.gov.cn") == ()          # 福州 or 抚州: no guess
    assert [p.name for p in from_site("http://www.ptlc.gov.cn/x.htm")] == ["荔城区"]   # 莆田·荔城 initials


def test_a_city_that_names_only_its_province_is_left_unresolved_not_credited_to_the_province(tmp_path):
    x = run(tmp_path, "今年我市将新增城镇就业3.5万人，我市旅游收入增长10%，为广西经济发展作出贡献。",
            title="今年全市就业工作会议召开")
    assert x.place is None
    assert [p.name for p in x.places] == ["广西壮族自治区"]     # still a place it mentions


def test_the_city_a_title_names_outweighs_the_outlet_of_another_city_that_printed_it(tmp_path):
    x = run(tmp_path, "中国兰州网3月1日消息 我市召开林业工作会，今年全市完成造林12万亩。",
            title="酒泉市2023年林业工作目标任务确定", tags="中国兰州网")
    assert x.place.name == "酒泉市"


def test_a_report_whose_speaker_is_a_national_body_is_the_countrys(tmp_path):
    """The title says only 政府工作报告; the opening says who reports (我代表国务院) and where (全国人民代表大会)."""
    x = run(tmp_path, "——在第十五届全国人民代表大会第一次会议上</p><p>各位代表：</p><p>现在，我代表国务院，向大会报告政府工作。"
                      "</p><p>今年发展主要预期目标是：国内生产总值增长5%左右，粮食产量保持在1.4万亿斤以上。",
            title="政府工作报告（全文）", tags="某新闻网")
    assert x.place.code == "CN"
    assert [(t.indicator, t.value, t.unit) for t in x.targets][-1] == ("粮食产量", Decimal(14) * 10 ** 11, "斤")


def test_a_province_report_naming_its_congress_stays_the_provinces(tmp_path):
    x = run(tmp_path, "——在江西省第十四届人民代表大会第三次会议上</p><p>现在，我代表省人民政府，向大会报告工作。"
                      "</p><p>今年全省地区生产总值增长5%左右。", title="政府工作报告")
    assert x.place.name == "江西省"


def test_the_divisions_pinyin_is_kept_and_read_back(tmp_path, monkeypatch):
    import tempfile

    import pytest
    from pypinyin import lazy_pinyin

    from kgbuild.extract import places
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    names = ["北京", "重庆", "长沙", "乐山"]                  # characters read two ways
    made = places._pinyin(names)
    assert made == {n: "".join(lazy_pinyin(n)).lower() for n in names} and made["重庆"] == "chongqing"
    kept = list(tmp_path.glob("kgbuild-pinyin-*.state"))
    assert len(kept) == 1
    monkeypatch.setattr(places.pinyin, "syllables", lambda n: pytest.fail("made again, not read"))
    assert places._pinyin(names) == made                    # read from the kept file
    kept[0].write_bytes(kept[0].read_bytes()[:-3])          # damaged: made again
    monkeypatch.undo()                                      # pypinyin again, the same folder
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert places._pinyin(names) == made and places._pinyin(names[:2]) == {n: made[n] for n in names[:2]}

"""The place of a plan is the jurisdiction that issues it (kgbuild/extract/places.py,
data/lexicon/jurisdiction.tsv), at every level, the country included. Made-up articles."""

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
    x = run(tmp_path, "支持香港、澳门融入国家发展大局，推进海南自由贸易港建设，北京冬奥会筹办顺利。"
                      "今年国内生产总值增长6%左右。", title="2023年国务院政府工作报告", tags="中华人民共和国国务院")
    assert x.place.code == "CN" and x.place.level == "country" and x.place.name == "中华人民共和国"
    assert all(t for t in x.targets) and x.targets[0].value == 6
    assert {p.name for p in x.places} >= {"香港特别行政区", "海南省"}      # mentioned, still there


def test_a_text_that_speaks_of_the_whole_country_without_naming_a_place(tmp_path):
    x = run(tmp_path, "全国城镇新增就业1200万人以上。我国将继续实施积极的财政政策。全国粮食产量保持在1.3万亿斤以上。"
                      "全国居民人均可支配收入稳步增长。全国将新开工改造城镇老旧小区5万个。", title="今年就业目标发布")
    assert x.place.code == "CN"


def test_a_province_that_names_only_its_cities(tmp_path):
    x = run(tmp_path, "今年我省将建成南充至广安、广安至达州高速公路，全省新增高速公路900公里，"
                      "力争重庆至赤水高速公路开工。我省将新增3条出省通道。", title="2025年我省力争建成高速公路900公里")
    assert x.place.name == "四川省"


def test_the_publisher_names_the_city(tmp_path):
    x = run(tmp_path, "今年全市新增高新技术企业500家。", title="今年新增高企500家", tags="泉州晚报")
    assert x.place.name == "泉州市"


def test_a_county_plan(tmp_path):
    x = run(tmp_path, "县农业农村局传达县委经济工作会议精神，全县新建高标准农田2.5万亩。", title="县农业农村局传达会议精神",
            tags="襄城县人民政府")
    assert x.place.name == "襄城县" and x.place.level == "district"


def test_the_country_in_the_graph(tmp_path):
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import OWL, RDF

    from kgbuild.graph.validate import validate
    from kgbuild.pipeline import graph_for
    ptkg = Namespace("https://w3id.org/ptkg/ns#")
    p = tmp_path / "national.md"
    p.write_text("---\ntitle: \"2023年国务院政府工作报告\"\ndate: 2023-03-05 09:00:00 +0800\n---\n"
                 "<p>今年国内生产总值增长5%左右。</p>\n", encoding="utf-8")
    g, _ = graph_for([p])
    china = URIRef("http://127.0.0.1:5000/id/place/china")
    assert (china, RDF.type, ptkg.Country) in g and (china, ptkg.countryCode, Literal("CN")) in g
    assert (china, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q148")) in g
    assert (china, ptkg.divisionCode, None) not in g
    [target] = g.subjects(RDF.type, ptkg.Target)
    assert (target, ptkg.place, china) in g
    assert validate(g).conforms

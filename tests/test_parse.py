from datetime import timedelta

import pytest

from kgbuild.errors import InputError
from kgbuild.read.load import load, load_file
from kgbuild.read.parse import parse
from conftest import SEED


def art(tmp_path, name, content, mode="w"):
    p = tmp_path / name
    if mode == "wb":
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return parse(load_file(p))


def test_seed_metadata():
    a = parse(load([SEED])[0])
    assert a.title == "力争入库科技型中小企业超1500家"
    assert a.date.isoformat() == "2022-01-29T08:55:14+08:00"
    assert a.date.utcoffset() == timedelta(hours=8)
    assert a.publisher == "泉州晚报"
    assert "泉州晚报新闻" in a.tags
    assert a.source_urls == ("http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202201292266632841",)
    assert [(p.name, p.role) for p in a.people] == [("林书修", "reporter"), ("王燕双", "correspondent")]
    # navigation links are not text; the source line is
    assert "返回首页" not in a.text and "（文章来源：泉州晚报）" in a.text
    # offsets: every block's span is exactly its text
    assert a.text.startswith(a.title + "\n")
    for b in a.blocks:
        assert a.text[b.begin:b.end].strip() == a.text[b.begin:b.end]
    assert [b.kind for b in a.blocks].count("heading") == 6


def test_txt_article(tmp_path):
    a = art(tmp_path, "plan.txt", "厦门市2023年科技工作要点\n发布时间：2023-02-01\n\n今年，全市将新增高新技术企业300家以上。\n")
    assert a.title == "厦门市2023年科技工作要点"
    assert a.date.isoformat() == "2023-02-01T00:00:00+08:00"
    assert "新增高新技术企业300家以上" in a.text


def test_html_article(tmp_path):
    html = """<html><head><title>网站标题</title><meta property="og:title" content="福州今年新增高企400家">
    <meta property="article:published_time" content="2023-03-01T10:00:00+08:00">
    <link rel="canonical" href="https://example.org/news/1"></head>
    <body><nav>首页 新闻</nav><article><h1>福州今年新增高企400家</h1><p>今年，我市将新增高企400家。<br>同时培育科技小巨人企业50家。</p>
    <script>var x = 1;</script></article></body></html>"""
    a = art(tmp_path, "fz.html", html)
    assert a.title == "福州今年新增高企400家"
    assert a.date.isoformat() == "2023-03-01T10:00:00+08:00"
    assert a.source_urls == ("https://example.org/news/1",)
    assert "var x" not in a.text and "首页" not in a.text
    assert a.text.split("\n")[1:] == ["今年，我市将新增高企400家。", "同时培育科技小巨人企业50家。"]


def test_date_without_offset_is_china_time(tmp_path):
    a = art(tmp_path, "a.md", "---\ntitle: 标题\ndate: 2021-05-01\n---\n<p>正文。</p>\n")
    assert a.date.isoformat() == "2021-05-01T00:00:00+08:00"


@pytest.mark.parametrize("name,content,needle", [
    ("bad.md", b"---\ntitle: x\n---\n\xff\xfe body", "not valid UTF-8"),
    ("yaml.md", "---\ntitle: [unclosed\n---\n<p>x</p>", "invalid YAML front matter"),
    ("empty.md", "   \n", "empty"),
    ("nobody.md", "---\ntitle: 只有标题\n---\n", "no body text"),
    ("notitle.md", "---\nlayout: post\n---\n<p>正文</p>", "no title"),
    ("date.md", "---\ntitle: t\ndate: yesterday\n---\n<p>x</p>", "cannot read the date"),
])
def test_bad_input_names_file_and_problem(tmp_path, name, content, needle):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        parse(load_file(p))
    assert name in str(e.value) and needle in str(e.value)


def test_unsupported_and_missing_paths(tmp_path):
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf")
    with pytest.raises(InputError, match="unsupported file type"):
        load([tmp_path / "x.xls"])
    with pytest.raises(InputError, match="no such file"):
        load([tmp_path / "nope.md"])
    with pytest.raises(InputError, match="no article files"):
        load([tmp_path])


def test_unquoted_colon_in_a_jekyll_title(tmp_path):
    a = art(tmp_path, "c.md", "---\ntitle: 数字福州: 三年行动计划发布\ndate: 2018-06-06\ntags: 东南网\n---\n<p>正文。</p>\n")
    assert a.title == "数字福州: 三年行动计划发布" and a.date.year == 2018 and a.tags == ("东南网",)


@pytest.mark.parametrize("byline,names", [
    ("某市日报讯（记者张小明 通讯员李华）", [("张小明", "reporter"), ("李华", "correspondent")]),
    ("某市日報訊（記者張小明 通訊員李華）", [("張小明", "reporter"), ("李華", "correspondent")]),
    ("見習記者 王一 攝影 趙二", [("王一", "reporter"), ("趙二", "photographer")]),
    ("城区夜景 通讯员供图", []),
    ("城區夜景 通訊員供圖", [])])
def test_bylines_in_either_script_name_their_people_and_a_photo_credit_names_no_one(tmp_path, byline, names):
    a = art(tmp_path, "t.md", f"---\ntitle: 某市推进科技创新\ndate: 2023-02-10\n---\n<p>{byline}</p>\n<p>全年新增高新技术企业100家。</p>\n")
    assert [(p.name, p.role) for p in a.people] == names
    assert all(a.text[p.span.begin:p.span.end] == p.name for p in a.people)


@pytest.mark.parametrize("line", ["（文章来源：某市日报）", "（文章來源：某市日報）", "來源：某市日報"])
def test_a_source_line_in_either_script_names_the_publisher_and_is_no_heading(tmp_path, line):
    a = art(tmp_path, "t.md", f"---\ntitle: 某市推进科技创新\ndate: 2023-02-10\n---\n<p>全年新增高新技术企业100家。</p>\n<p>{line}</p>\n")
    assert a.publisher in ("某市日报", "某市日報")
    assert [b.kind for b in a.blocks] == ["title", "paragraph", "source"]

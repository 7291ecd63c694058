"""No input crashes the pipeline: random and garbled text, HTML and front matter either build a
conforming graph or raise InputError naming the file."""

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from kgbuild.errors import InputError
from kgbuild.extract import extract
from kgbuild.extract.lexicon import load as load_lexicon
from kgbuild.read.load import load_file
from kgbuild.read.parse import parse
from kgbuild.graph.mapping import to_rdf
from kgbuild.graph.validate import validate

LEX = load_lexicon()
CJK = "今年将新增高企家个项名场期人次万亿千百十一二两三四五六七八九零以上以内左右不低于超过突破力争确保争取增长达到其中分别、，。；：“”《》（）()【】第批前位年月日去已累计同比计划工程行动我市全省着力一是"
ALPHABET = st.sampled_from(list(CJK + string.digits + ".-—%/ \n\t<>&\"'=#*_[]{}|:" + "\u3000\u00a0\ufeff\u200b"))
TEXT = st.text(alphabet=ALPHABET, min_size=0, max_size=400)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(path):
    """Either an InputError that names the file, or an extraction whose mentions are exact."""
    try:
        article = parse(load_file(path))
    except InputError as e:
        assert str(path) in str(e)
        return None
    x = extract(article, LEX)
    for t in x.targets:
        for m in t.mentions:
            assert article.text[m.begin:m.end] == m.text and m.text
        if t.comparator == "range":
            assert t.value is None and t.min < t.max
        else:
            assert t.value is not None and t.min is None and t.max is None
    for o in x.observations:
        assert article.text[o.mention.begin:o.mention.end] == o.mention.text
    return x


@SETTINGS
@given(body=TEXT, title=TEXT)
def test_random_text_files(tmp_path, body, title):
    p = tmp_path / "r.txt"
    p.write_text(title + "\n" + body, encoding="utf-8")
    run(p)


@SETTINGS
@given(body=TEXT, meta=st.text(alphabet=ALPHABET, max_size=120), title=TEXT)
def test_random_posts_with_front_matter(tmp_path, body, meta, title):
    p = tmp_path / "r.md"
    p.write_text(f"---\ntitle: {title!r}\n{meta}\n---\n<p>{body}</p>\n", encoding="utf-8")
    run(p)


TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<li>", "<h2>", "</h2>", "<script>", "</script>",
                        "<a href='http://x.org/a'>", "</a>", "<title>", "</title>", "<table><tr><td>", "<!--", "-->",
                        "<meta name='date' content='2023-01-01'>", "<article>", "</article>"])


@SETTINGS
@given(parts=st.lists(st.one_of(TAGS, TEXT), max_size=30))
def test_random_html(tmp_path, parts):
    p = tmp_path / "r.html"
    p.write_text("".join(parts), encoding="utf-8")
    run(p)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes(tmp_path, data):
    p = tmp_path / "r.md"
    p.write_bytes(data)
    run(p)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=TEXT)
def test_any_extraction_conforms_to_the_shapes(tmp_path, body):
    p = tmp_path / "c.md"
    p.write_text(f"---\ntitle: 泉州市今年力争新增高企500家\ndate: 2023-01-05 08:00:00 +0800\n---\n<p>{body}</p>\n",
                 encoding="utf-8")
    x = run(p)
    if x is None:
        return
    report = validate(to_rdf(x, "http://example.org/", "0"))
    assert report.violations == 0, report.report_text

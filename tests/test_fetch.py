"""`kgbuild fetch` and the PDF, Word and web-page readers, over loopback against a local HTTP server
(127.0.0.1 only) serving made-up pages, a feed, a sitemap index, and PDFs and .docx files generated
here (tests/madeup.py). Nothing is mocked: real sockets, real files, the real extractor."""

from __future__ import annotations

import hashlib
import os
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

import madeup
import requests
from conftest import ROOT, SHARED, Server, run_cli
from kgbuild.fetch.client import Client
from kgbuild.fetch.download import fetch
from kgbuild.fetch.sources import Wanted, from_feed, from_sitemap
from kgbuild.pipeline import graph_for_each

PTKG = "https://w3id.org/ptkg/ns#"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MODIFIED = formatdate(1739150000, usegmt=True)


class Site:
    """The routes of the made-up site and what it was asked."""

    def __init__(self):
        pdf, docx = madeup.pdf(), madeup.docx()
        self.routes = {
            "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/zwgk/plan.html": ("text/html; charset=utf-8", madeup.gov_page().encode()),
            "/news/plan.html": ("text/html", madeup.news_page().encode()),
            "/old/plan.htm": ("text/html; charset=gbk", madeup.table_page().replace("utf-8", "gbk").encode("gbk")),
            "/files/plan.pdf": ("application/pdf", pdf),
            "/files/plan.docx": (DOCX, docx),
            "/private/draft.html": ("text/html", madeup.gov_page().encode()),
            "/files/picture.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        }
        self.requests: Counter = Counter()
        self.bodies: Counter = Counter()       # 200 answers with a body, per path
        self.flaky = 0
        self.agents: set[str] = set()
        self.times: list[tuple[str, float]] = []

    def feed(self, base: str) -> bytes:
        items = "".join(f"<item><title>{madeup.TITLE}</title><link>{base}{p}</link>"
                        f"<pubDate>Mon, 10 Feb 2025 01:30:00 GMT</pubDate></item>" for p in ("/zwgk/plan.html", "/files/plan.pdf"))
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>通知公告</title>{items}</channel></rss>'.encode()

    def sitemap(self, base: str, path: str) -> bytes:
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if path == "/sitemap_index.xml":
            return f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>{base}/sitemap-1.xml</loc></sitemap></sitemapindex>'.encode()
        urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>2025-02-10</lastmod></url>" for p in ("/files/plan.docx", "/news/plan.html"))
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{urls}</urlset>'.encode()


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_port}"
            path = self.path.split("?")[0]
            state.requests[path] += 1
            state.agents.add(self.headers.get("User-Agent", ""))
            state.times.append((path, time.monotonic()))
            if path == "/broken.html":
                return self._send(500, "text/html", b"<h1>Internal Server Error</h1>")
            if path == "/flaky.html":
                state.flaky += 1
                if state.flaky == 1:
                    return self._send(503, "text/plain", b"busy", {"Retry-After": "0"})
                path = "/news/plan.html"
            if path == "/go/plan":
                return self._send(301, "text/plain", b"", {"Location": "/files/plan.pdf"})
            if path == "/feed.xml":
                return self._send(200, "application/rss+xml", state.feed(base))
            if path.startswith("/sitemap"):
                return self._send(200, "application/xml", state.sitemap(base, path))
            if path not in state.routes:
                return self._send(404, "text/plain", b"not found")
            ctype, body = state.routes[path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, ctype, b"", {"ETag": etag})
            state.bodies[path] += 1
            self._send(200, ctype, body, {"ETag": etag, "Last-Modified": MODIFIED})

        def _send(self, status, ctype, body, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    state.base = f"http://127.0.0.1:{httpd.server_port}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def _sideways(url: str, width: int) -> int | None:
    """How many pixels URL is wider than a WIDTH-pixel window in Debian's Chromium (None without it);
    the screenshot goes to test-artefacts/."""
    import shutil
    chromium = os.environ.get("KG_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright
    (ROOT / "test-artefacts").mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(url)
        over = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=str(ROOT / "test-artefacts" / f"fetched-article-{width}.png"), full_page=True)
        b.close()
    return over


def _client():
    return Client(delay=0, retries=2)


def _statements(paths):
    """Every target and observation: what it says and the evidence it cites, offsets included."""
    _, xs, errors = graph_for_each(paths)
    assert errors == ()
    out = []
    for x in xs:
        out.append({
            "targets": sorted((t.indicator, str(t.value), str(t.min), str(t.max), t.unit, t.year, t.comparator,
                               tuple((m.begin, m.end, m.text) for m in t.mentions)) for t in x.targets),
            "observations": sorted((o.indicator, str(o.value), o.unit, o.year, o.mention.begin) for o in x.observations),
            "text": x.article.text, "place": x.place.name if x.place else None})
    return xs, out


def test_the_same_targets_and_evidence_from_a_page_a_pdf_and_a_docx(site, tmp_path):
    urls = [site.base + p for p in ("/zwgk/plan.html", "/files/plan.pdf", "/files/plan.docx")]
    with _client() as c:
        report = fetch([Wanted(u) for u in urls], tmp_path, c)
    assert [o.status for o in report.outcomes] == ["fetched"] * 3 and report.exit_code == 0
    files = [tmp_path / o.file for o in report.outcomes]
    assert [f.suffix for f in files] == [".html", ".pdf", ".docx"]
    xs, found = _statements(files)
    page, pdf, docx = found
    assert page == pdf == docx
    assert page["text"] == madeup.TITLE + "\n" + "\n".join(t for _, t in madeup.LINES)
    assert {(str(t.value) if t.value is not None else f"{t.min}-{t.max}", t.unit) for t in xs[0].targets} == madeup.TARGETS
    assert page["place"] == "漳州市"
    # the evidence offsets point into the extracted text, and the file's hash is the article's
    for x, f in zip(xs, files):
        for t in x.targets:
            for m in t.mentions:
                assert x.article.text[m.begin:m.end] == m.text
        assert x.article.sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
        assert x.article.retrieval.url in urls and x.article.retrieval.final_url == x.article.retrieval.url
    assert {x.article.date.date().isoformat() for x in xs} == {madeup.DATE}


def test_nothing_from_page_furniture_becomes_a_target(site, tmp_path):
    urls = [site.base + p for p in ("/zwgk/plan.html", "/news/plan.html", "/old/plan.htm")]
    with _client() as c:
        report = fetch([Wanted(u) for u in urls], tmp_path, c)
    assert report.exit_code == 0, report.failed
    body = madeup.TITLE + "\n" + "\n".join(t for _, t in madeup.LINES)
    xs, found = _statements([tmp_path / o.file for o in report.outcomes])
    for x in xs:
        assert x.article.text == body                  # the GBK page too, decoded
        values = {str(v) for t in x.targets for v in (t.value, t.min, t.max) if v is not None}
        values |= {str(v) for o in x.observations for v in (o.value, o.min, o.max) if v is not None}
        assert not values & set(madeup.FURNITURE_NUMBERS)
        for n in madeup.FURNITURE_NUMBERS:
            assert n not in x.article.text or n in body
    assert found[0]["targets"] == found[1]["targets"] == found[2]["targets"]


def test_a_second_fetch_downloads_nothing(site, tmp_path):
    urls = [Wanted(site.base + p) for p in ("/zwgk/plan.html", "/files/plan.pdf", "/files/plan.docx")]
    with _client() as c:
        assert fetch(urls, tmp_path, c).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    docs = ("/zwgk/plan.html", "/files/plan.pdf", "/files/plan.docx")
    assert [site.bodies[p] for p in docs] == [1, 1, 1]
    with _client() as c:
        report = fetch(urls, tmp_path, c)
    assert [o.status for o in report.outcomes] == ["unchanged"] * 3 and report.exit_code == 0
    assert [site.bodies[p] for p in docs] == [1, 1, 1]     # every answer a 304: no document sent again
    assert [site.requests[p] for p in docs] == [2, 2, 2]
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before


def test_robots_disallow_a_500_and_the_wrong_content_type_are_named_and_the_rest_go_on(site, tmp_path):
    urls = [site.base + p for p in ("/private/draft.html", "/broken.html", "/files/picture.png", "/files/plan.pdf")]
    r = run_cli("kgbuild", "fetch", *urls, "--out", str(tmp_path), "--delay", "0", "--retries", "1")
    assert r.returncode == 3, r.stderr
    assert f"failed {urls[0]}: robots.txt disallows it" in r.stderr
    assert f"failed {urls[1]}: HTTP 500 Internal Server Error (after 2 attempts)" in r.stderr
    assert f"failed {urls[2]}: its content type 'image/png'" in r.stderr
    assert site.requests["/private/draft.html"] == 0 and site.requests["/broken.html"] == 2
    assert "1 new or changed, 0 unchanged, 3 failed" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "127-0-0-1-files-plan-pdf.pdf", "127-0-0-1-files-plan-pdf.pdf.retrieval.json"]
    none = run_cli("kgbuild", "fetch", urls[0], urls[1], "--out", str(tmp_path / "none"), "--delay", "0", "--retries", "0")
    assert none.returncode == 4
    again = run_cli("kgbuild", "fetch", urls[3], "--out", str(tmp_path), "--delay", "0")
    assert again.returncode == 0 and "0 new or changed, 1 unchanged" in again.stdout


def test_retry_after_a_503_and_redirects(site, tmp_path):
    with _client() as c:
        report = fetch([Wanted(site.base + "/flaky.html"), Wanted(site.base + "/go/plan")], tmp_path, c)
    assert report.exit_code == 0 and site.requests["/flaky.html"] == 2
    rec = json.loads((tmp_path / (report.outcomes[1].file + ".retrieval.json")).read_text())
    assert rec["url"] == site.base + "/go/plan" and rec["final_url"] == site.base + "/files/plan.pdf"
    assert rec["title"] == madeup.TITLE and rec["content_type"] == "application/pdf"
    assert rec["sha256"] == hashlib.sha256((tmp_path / report.outcomes[1].file).read_bytes()).hexdigest()


def test_feed_and_sitemap_index(site, tmp_path):
    with _client() as c:
        feed = from_feed(c, site.base + "/feed.xml")
        sitemap = from_sitemap(c, site.base + "/sitemap_index.xml")
    assert [w.url for w in feed] == [site.base + "/zwgk/plan.html", site.base + "/files/plan.pdf"]
    assert feed[0].title == madeup.TITLE and feed[0].date.isoformat() == "2025-02-10T01:30:00+00:00"
    assert [w.url for w in sitemap] == [site.base + "/files/plan.docx", site.base + "/news/plan.html"]
    r = run_cli("kgbuild", "fetch", "--feed", site.base + "/feed.xml", "--sitemap", site.base + "/sitemap_index.xml",
                "--out", str(tmp_path), "--delay", "0")
    assert r.returncode == 0, r.stderr
    assert "4 new or changed" in r.stdout
    assert len(list(tmp_path.glob("*.retrieval.json"))) == 4
    # a feed that is not there is named, and the sitemap's pages still come (unchanged now)
    r = run_cli("kgbuild", "fetch", "--feed", site.base + "/gone.xml", "--sitemap", site.base + "/sitemap_index.xml",
                "--out", str(tmp_path), "--delay", "0")
    assert r.returncode == 3 and f"failed {site.base}/gone.xml: the feed cannot be fetched: HTTP 404" in r.stderr
    assert "0 new or changed, 2 unchanged, 1 failed" in r.stdout


def test_fetched_articles_build_with_their_retrieval_in_the_graph(site, tmp_path):
    urls = [site.base + "/go/plan", site.base + "/files/plan.docx"]
    with _client() as c:
        report = fetch([Wanted(u) for u in urls], tmp_path / "articles", c)
    g, xs, _ = graph_for_each([tmp_path / "articles"])
    arts = sorted(g.subjects(RDF.type, URIRef(PTKG + "Article")))
    assert len(arts) == 2
    used = set()
    for art in arts:
        (act,) = g.objects(art, PROV.wasGeneratedBy)
        assert (act, RDF.type, URIRef(PTKG + "Retrieval")) in g
        assert g.value(act, PROV.startedAtTime) is not None and g.value(act, PROV.endedAtTime) is not None
        used |= set(g.objects(act, PROV.used))
        assert g.value(art, URIRef(PTKG + "sha256")) is not None
    assert used == {URIRef(u) for u in urls}
    assert (None, URIRef(PTKG + "finalUrl"), URIRef(site.base + "/files/plan.pdf")) in g
    out = tmp_path / "dist"
    r = run_cli("kgbuild", "build", str(tmp_path / "articles"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert report.exit_code == 0
    # the article page shows where and when its file was fetched, and the file's hash
    served = Server(out)
    try:
        article = served.url + "/id/article/127-0-0-1-files-plan-pdf"
        page = requests.get(article, headers={"Accept": "text/html"}).text
        over = _sideways(article, 390)
    finally:
        served.stop()
    assert over is None or over <= 0, f"the article page is {over} px wider than a phone"
    pdf = tmp_path / "articles" / "127-0-0-1-files-plan-pdf.pdf"
    assert "Retrieval" in page and f'href="{site.base}/go/plan"' in page and f'href="{site.base}/files/plan.pdf"' in page
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() in page and "application/pdf" in page
    assert "新增高新技术企业120家" in page
    # the catalog: a dataset of the source documents, one distribution each, where it came from
    from rdflib import Graph
    from rdflib.namespace import DCAT, DCTERMS
    cat = Graph().parse(out / "catalog.ttl", format="turtle")
    (src,) = cat.objects(URIRef("http://127.0.0.1:5000/dataset"), DCTERMS.source)
    dists = set(cat.objects(src, DCAT.distribution))
    assert {cat.value(d, DCAT.accessURL) for d in dists} == {URIRef(site.base + "/files/plan.pdf"),
                                                               URIRef(site.base + "/files/plan.docx")}
    assert any(f"Retrieved from {site.base}/go/plan at " in str(o) for d in dists for o in cat.objects(d, DCTERMS.description))
    validator = SHARED / "external" / "dcat-ap" / "validate_dcat.py"
    if validator.exists():
        v = subprocess.run([sys.executable, str(validator), str(out / "catalog.ttl"), "--profile", "all"],
                           capture_output=True, text=True, timeout=300)
        assert v.returncode == 0 and "0 violation(s)" in v.stdout, v.stdout[-2000:]


def test_pdf_and_docx_tables_and_styled_headings(tmp_path):
    from kgbuild.read.load import load_file
    from kgbuild.read.parse import parse
    (tmp_path / "t.pdf").write_bytes(madeup.pdf(table=True))
    (tmp_path / "t.docx").write_bytes(madeup.docx(table=True, long_heading="坚持人才引领，打造高素质创新队伍"))
    pdf, docx = parse(load_file(tmp_path / "t.pdf")), parse(load_file(tmp_path / "t.docx"))
    for a in (pdf, docx):
        lines = a.text.split("\n")
        assert lines[lines.index("（二）建设高能级创新平台") + 1:][:3] == ["指标 2025年目标", "新增市级重点实验室 8个", "省级新型研发机构 25家"]
        assert "漳州市科学技术局文件" not in a.text and "— 1 —" not in a.text
    heading = next(b for b in docx.blocks if docx.text[b.begin:b.end].startswith("坚持人才引领"))
    assert heading.kind == "heading"      # a comma would make it a paragraph by the text rules alone


def test_doc_without_a_converter_is_named_with_how_to_convert(tmp_path, monkeypatch):
    from kgbuild.errors import InputError
    from kgbuild.read.load import load_file
    from kgbuild.read.parse import parse
    monkeypatch.setenv("PATH", str(tmp_path))           # no soffice, no antiword
    f = tmp_path / "old-plan.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputError) as e:
        parse(load_file(f))
    assert "old-plan.doc" in str(e.value) and "unsupported" in str(e.value) and "--convert-to docx" in str(e.value)


def test_the_retrieval_shape_catches_a_broken_retrieval(site, tmp_path):
    """The fetched article's graph conforms; without its start time, with a second URL or a literal
    for the final URL, it does not, and the report names the retrieval and the path."""
    from rdflib import Graph

    from kgbuild.graph.validate import validate
    with _client() as c:
        fetch([Wanted(site.base + "/files/plan.docx")], tmp_path, c)
    g, _, _ = graph_for_each([tmp_path])
    assert validate(g).conforms
    (act,) = g.subjects(RDF.type, URIRef(PTKG + "Retrieval"))

    def broken(fn):
        m = Graph()
        for t in g:
            m.add(t)
        fn(m)
        v = validate(m)
        assert not v.conforms and str(act) in v.report_text
        return v.report_text
    assert "one start time" in broken(lambda m: m.remove((act, PROV.startedAtTime, None)))
    assert "used one http(s) URL" in broken(lambda m: m.add((act, PROV.used, URIRef("http://127.0.0.1/other"))))
    assert "final http(s) URL" in broken(lambda m: (m.remove((act, URIRef(PTKG + "finalUrl"), None)),
                                                    m.add((act, URIRef(PTKG + "finalUrl"), Literal("here")))))


def test_user_agent_delay_and_size_cap(site, tmp_path):
    urls = [Wanted(site.base + p) for p in ("/zwgk/plan.html", "/news/plan.html", "/files/plan.pdf")]
    with Client(delay=0.4, retries=0, max_bytes=20_000) as c:
        report = fetch(urls, tmp_path, c)
    assert [o.status for o in report.outcomes] == ["fetched", "fetched", "failed"]
    assert "limit" in report.outcomes[2].reason and report.exit_code == 3
    (agent,) = site.agents
    assert agent.startswith("kgbuild/") and "Policy Targets KG" in agent and "https://" in agent
    times = [t for _, t in site.times]                  # robots.txt and three documents, one host
    assert len(times) == 4 and all(b - a >= 0.39 for a, b in zip(times, times[1:]))


@pytest.mark.parametrize("name,data,needle", [
    ("broken.pdf", b"%PDF-1.7\nnot really", "not a readable PDF"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
    ("empty.pdf", b"", "empty"),
])
def test_damaged_documents_are_named_with_the_problem(tmp_path, name, data, needle):
    from kgbuild.errors import InputError
    from kgbuild.read.load import load_file
    from kgbuild.read.parse import parse
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError) as e:
        parse(load_file(tmp_path / name))
    assert name in str(e.value) and needle in str(e.value)

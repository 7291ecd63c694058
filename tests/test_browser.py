"""The site in a real headless Chromium (Debian's package, driven by Playwright): screenshots go
to test-artefacts/."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("KG_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTEFACTS = ROOT / "test-artefacts"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (make test does it as root)")
    from playwright.sync_api import sync_playwright
    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _sparql_post(r) -> bool:
    return "/sparql" in r.url and r.request.method == "POST"


def _answer_to(page, act):
    """Do act() and wait for the server's answer to the query it sends (a slow CI machine may take
    its time). No answer within 60 s fails with what the page sent and what failed on its way
    (the server's own log is added to the report by conftest)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    seen = []
    def sent(req):
        if "/sparql" in req.url:
            seen.append(f"{req.method} {req.url[:80]}")
    def failed(req):
        seen.append(f"failed: {req.method} {req.url[:80]}: {req.failure}")
    page.on("request", sent)
    page.on("requestfailed", failed)
    try:
        with page.expect_response(_sparql_post, timeout=60000) as answer:
            act()
        return answer.value
    except PlaywrightTimeout as e:
        shown = page.inner_text("#yasgui")[:400] if page.locator("#yasgui").count() else ""
        raise AssertionError(f"no answer to a query within 60 s; the page's requests to /sparql: {seen}; "
                             f"the editor shows: {shown!r}") from e
    finally:
        page.remove_listener("request", sent)
        page.remove_listener("requestfailed", failed)


def run_query(page):
    """Click the editor's run button and wait for the server's answer; the response, so that a
    failure says what the server answered."""
    return _answer_to(page, lambda: page.locator(".yasqe_queryButton").click())


def open_linked_query(page, url):
    """Open a link to /sparql#query=…: the editor runs the linked query as it opens (YASGUI's
    populateFromUrl), so the answer is awaited here. A click on the run button while that first
    answer is on its way would cancel it (the button aborts a running query)."""
    answer = _answer_to(page, lambda: page.goto(url))
    page.wait_for_selector(".yasqe", timeout=15000)
    return answer


def wait_for_table(page, answer):
    """The results table, or a failure that says what the server answered and what the page shows."""
    assert answer.status == 200, (answer.status, answer.text()[:500])
    try:
        page.wait_for_selector(".yasr table tbody tr", timeout=15000)
    except Exception as e:
        raise AssertionError(f"no results table; the page says: {page.inner_text('#yasgui')[:800]!r} "
                             f"{page.inner_text('#query-hints')!r}") from e


def test_landing_page_renders(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/")
    assert "政策目标" in page.title()
    assert page.locator("table:visible").count() >= 1      # (the code tables sit in a collapsed <details>)
    assert page.locator("a[href='/dataset.ttl']").count() >= 1
    page.screenshot(path=str(ARTEFACTS / "landing.png"), full_page=True)
    page.close()


def test_yasgui_runs_an_example_query(server, browser):
    if not (ROOT / "server" / "static" / "yasgui" / "yasgui.min.js").exists():
        pytest.skip("YASGUI is not installed (npm missing): the page offers a plain form")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/sparql")
    page.wait_for_selector(".yasqe", timeout=15000)
    page.select_option("#examples", "growth-targets")
    wait_for_table(page, run_query(page))
    rows = page.locator(".yasr table tbody tr").count()
    assert rows == 2
    assert "技术合同成交额增长" in page.locator(".yasr").inner_text()
    page.screenshot(path=str(ARTEFACTS / "yasgui.png"), full_page=True)
    assert errors == []
    page.close()


def test_target_page_highlights_its_evidence(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye")
    marks = page.locator("blockquote.evidence mark")
    assert marks.count() == 2
    assert marks.nth(1).inner_text() == "新增高企500家"
    bg = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(ARTEFACTS / "target.png"), full_page=True)
    page.close()


def test_place_and_article_pages(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/id/place/quanzhou")
    assert page.locator("svg").count() >= 1
    page.screenshot(path=str(ARTEFACTS / "place.png"), full_page=True)
    page.goto(server.url + "/id/article/quanzhou-2022")
    assert page.locator("mark.target").count() >= 34
    page.screenshot(path=str(ARTEFACTS / "article.png"), full_page=True)
    page.close()


def _code_words() -> set[str]:
    """Local names of the ontology's properties and classes that a reader should never see raw
    (containedInPlace, divisionCode …), and the code words of its schemes (growth_rate)."""
    import re
    from rdflib import Graph
    g = Graph()
    for f in ("ptkg.ttl", "reuse.ttl", "vocab.ttl"):
        g.parse(ROOT / "ontology" / f, format="turtle")
    names = {str(s).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for s in g.subjects()}
    return {n for n in names if re.fullmatch(r"[a-z]+[A-Z]\w*|[a-z]+_[a-z_]+", n)}


def _pages(server) -> list[tuple[str, str]]:
    import re
    import requests
    target = "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye"
    body = requests.get(server.url + target, timeout=10).text
    indicator = re.search(r'href="(/id/indicator/[^"]+|/indicator/[^"]+)"', body).group(1)
    return [("landing", "/"), ("sparql", "/sparql"), ("place", "/id/place/quanzhou"), ("target", target),
            ("indicator", indicator), ("article", "/id/article/quanzhou-2022"), ("tracker", "/tracker"),
            ("validation", "/validation"), ("ontology", "/ontology"), ("downloads", "/downloads")]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_the_screen_and_shows_labels_not_codes(server, browser, width):
    """At a desktop width and a phone's (390 px) no page scrolls sideways; the entity pages,
    the tracker and the downloads show labels, never raw property names or code words."""
    codes = _code_words()
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    for name, path in _pages(server):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        if name == "sparql" and (ROOT / "server" / "static" / "yasgui" / "yasgui.min.js").exists():
            page.wait_for_selector(".yasqe", timeout=15000)
            page.select_option("#examples", "growth-targets")
            wait_for_table(page, run_query(page))
        over = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True)
        assert over <= 0, f"{path} is {over} px wider than a {width} px window"
        if name in ("place", "target", "indicator", "article", "tracker", "downloads"):
            text = page.inner_text("main")
            shown = sorted(w for w in codes if w in text)
            assert shown == [], f"{path} shows {shown}"
            assert "/id/person/" not in text
    ctx.close()


def test_the_editor_shows_plain_values_and_opens_a_linked_query(server, browser):
    if not (ROOT / "server" / "static" / "yasgui" / "yasgui.min.js").exists():
        pytest.skip("YASGUI is not installed (npm missing): the page offers a plain form")
    import re
    from urllib.parse import quote
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    q = ("PREFIX ptkg: <https://w3id.org/ptkg/ns#>\nSELECT ?value ?sentence WHERE { ?t a ptkg:Target ; ptkg:value ?value ;"
         " ptkg:evidence/ptkg:sentence ?sentence } ORDER BY DESC(?value) LIMIT 3")
    answer = open_linked_query(page, server.url + "/sparql#query=" + quote(q, safe=""))
    assert "ORDER BY DESC(?value) LIMIT 3" in page.evaluate("() => yasgui.getTab().getQuery()")
    wait_for_table(page, answer)
    cells = page.locator(".yasr table tbody td").all_inner_texts()
    page.screenshot(path=str(ARTEFACTS / "editor-plain-values.png"), full_page=True)
    assert not [c for c in cells if "^^" in c or "XMLSchema" in c], cells
    assert any(re.fullmatch(r"\d+(\.\d+)?", c.strip()) for c in cells), cells
    sentences = [c for c in cells if len(c) > 20]
    assert sentences and all("…" not in c and "..." not in c for c in sentences)   # whole, not cut
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_review_queue_lists_least_confident_first(server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/review")
    items = page.locator("li.review-item")
    assert items.count() > 10
    shown = [float(x) for x in items.evaluate_all("els => els.map(e => e.dataset.confidence)")]
    assert shown == sorted(shown) and shown[0] < shown[-1]
    first = items.first
    assert first.is_visible() and first.locator("blockquote.evidence").is_visible()
    assert first.locator("ul.why li").count() >= 1
    first.locator("summary").click()
    assert "action: reject" in first.locator("pre.reject").inner_text()
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.select_option("select[name=kind]", "observation") if page.locator("option[value=observation]").count() else None
    page.screenshot(path=str(ARTEFACTS / f"review-{width}.png"), full_page=False)
    assert errors == []
    page.close()


# ------------------------------------------------------------ what a journalist reads (issue 23)

READER_CHECKS = r"""() => {
  const out = {small: [], broken: [], verdicts: [], rules: [], narrow: [], cut: []};
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const e of document.querySelectorAll("main *, header *")) {
    if (!visible(e) || e.closest("pre, code, textarea, title")) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    let size = parseFloat(getComputedStyle(e).fontSize);
    const svg = e.closest("svg");
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    if (size < 11 - 0.01) out.small.push(e.tagName + ":" + e.textContent.trim().slice(0, 20) + ":" + size.toFixed(1));
  }
  for (const f of document.querySelectorAll("main .fig, main .date")) {
    if (!visible(f)) continue;
    const lines = new Set([...f.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) out.broken.push(f.textContent);
  }
  for (const h of document.querySelectorAll("main h1, main h2, main h3, main th, main td")) {
    if (!visible(h) || h.textContent.trim().length < 3) continue;       // a column a letter wide
    if (h.getBoundingClientRect().width < 2.2 * parseFloat(getComputedStyle(h).fontSize)) out.narrow.push(h.textContent.trim().slice(0, 20));
  }
  for (const c of document.querySelectorAll("main td.sentence, main blockquote")) {
    if (visible(c) && c.scrollWidth > c.clientWidth + 1) out.cut.push(c.textContent.trim().slice(0, 20));
  }
  for (const v of document.querySelectorAll("td.verdict, p.verdict")) {
    const en = v.querySelector(".en");
    const zh = v.textContent.replace(en ? en.textContent : "", "").trim();
    if (!en || !en.textContent.trim() || !/[\u4e00-\u9fff]/.test(zh)) out.verdicts.push(v.textContent.trim());
  }
  for (const r of document.querySelectorAll("td.rule, p.rule")) {
    const zh = r.querySelector(".rule-zh"), en = r.querySelector(".rule-en");
    if (!zh || !en || !/[\u4e00-\u9fff]/.test(zh.textContent) || !/[a-z]{3}/.test(en.textContent)) out.rules.push(r.textContent.trim());
  }
  return out;
}"""
# the elements SELECTOR matches that a tap at their centre (a link that wraps: its first line's)
# does not reach, each with what the tap reached instead. Each is scrolled into view as a reader
# would scroll: the page and boxes that scroll, never a box that hides its overflow (scrolled by
# a script, such a box would show a button no reader can reach)
UNTAPPABLE = r"""(selector) => {
  const missed = [];
  for (const e of document.querySelectorAll(selector)) {
    const r = e.getClientRects()[0];
    if (!r || !r.width || !r.height || getComputedStyle(e).visibility === "hidden") continue;
    const fixed = [];
    for (let a = e.parentElement; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (/hidden|clip/.test(cs.overflowX + cs.overflowY)) fixed.push([a, a.scrollTop, a.scrollLeft]);
    }
    e.scrollIntoView({block: "center", inline: "center"});
    for (const [a, top, left] of fixed) { a.scrollTop = top; a.scrollLeft = left; }
    const q = e.getClientRects()[0];
    const hit = document.elementFromPoint(q.x + q.width / 2, q.y + q.height / 2);
    if (!hit || !e.contains(hit)) missed.push((e.textContent.trim() || e.className || e.outerHTML).slice(0, 30) +
                                              " under " + (hit ? hit.tagName + "." + hit.className : "nothing"));
  }
  return missed;
}"""
CODE_OR_FILE = r"\b(ge|gt|le|lt|eq|notReported|onTrack|growth_rate|undetermined_\w+)\b|[\w-]+\.md\b"


@pytest.fixture(scope="module")
def madeup_site(tmp_path_factory):
    """A made-up multi-report corpus (tests/madeup.py REPORTS), built and served."""
    from conftest import Server, run_cli
    from madeup import write_reports
    src = write_reports(tmp_path_factory.mktemp("reports") / "src")
    out = src.parent / "dist"
    r = run_cli("kgbuild", "build", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    s = Server(out, local=True)        # its own corpus: the remote store of make integration holds the seed
    yield s
    s.stop()


def _reader_pages(corpus: str) -> list[tuple[str, str]]:
    pages = [("home", "/"), ("tracker", "/tracker"), ("indicators", "/indicators"), ("scorecards", "/scorecard"),
             ("scorecard", "/scorecard/quanzhou"), ("search", "/search?q=就业"), ("place", "/id/place/quanzhou"),
             ("plan", "/id/plan/quanzhou-2022" if corpus == "seed" else "/id/plan/plan-2022")]
    if corpus == "seed":
        return pages + [("indicator", "/indicator/rd-spending-growth"), ("concept-nodata", "/indicator/gdp-growth"),
                        ("target", "/id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye")]
    return pages + [("indicator", "/indicator/gdp-growth"), ("indicator-jobs", "/indicator/urban-new-jobs"),
                    ("target", "/id/target/plan-2022/diqushengchanzongzhi-zengzhang"),
                    ("target-jobs", "/id/target/review-2022/chengzhen-xinzeng-jiuye")]


@pytest.mark.parametrize("corpus", ["seed", "madeup"])
@pytest.mark.parametrize("width", [1280, 390])
def test_reader_pages_are_readable_and_bilingual(request, browser, corpus, width):
    """At a desktop's and a phone's width, on the quickstart data and on a made-up multi-report
    corpus: no page wider than the screen, no text under 11 px (SVG text measured as drawn), no
    figure broken across lines, no code word or file name in the page, every verdict and rule in
    both languages. Screenshots in test-artefacts/reader-CORPUS-NAME-WIDTH.png."""
    server = request.getfixturevalue("server" if corpus == "seed" else "madeup_site")
    import re
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for name, path in _reader_pages(corpus):
        resp = page.goto(server.url + path)
        assert resp.status == 200, path
        page.screenshot(path=str(ARTEFACTS / f"reader-{corpus}-{name}-{width}.png"), full_page=True)
        over = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert over <= 0, f"{path} is {over} px wider than a {width} px window"
        found = page.evaluate(READER_CHECKS)
        assert found["small"] == [], f"{path}: text under 11 px: {found['small'][:5]}"
        assert found["broken"] == [], f"{path}: figures broken across lines: {found['broken'][:5]}"
        assert found["verdicts"] == [], f"{path}: verdicts not in both languages: {found['verdicts'][:3]}"
        assert found["narrow"] == [], f"{path}: headings or cells too narrow to read: {found['narrow'][:5]}"
        assert found["cut"] == [], f"{path}: sentences cut off: {found['cut'][:3]}"
        assert found["rules"] == [], f"{path}: rules not in both languages: {found['rules'][:3]}"
        missed = page.evaluate(UNTAPPABLE, "a[href], button, input, select, summary")
        assert missed == [], f"{path}: a tap at these links or controls reaches another element: {missed[:3]}"
        text = page.inner_text("main")
        assert not re.search(CODE_OR_FILE, text), f"{path} shows {re.search(CODE_OR_FILE, text).group(0)!r}"
        assert "https://w3id.org" not in page.inner_text("h1")
    assert errors == []
    ctx.close()


def test_tracker_on_the_quickstart_says_why_and_shows_what_there_is(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "/tracker")
    assert page.locator("table.tracker tbody tr").count() == 34          # every target, none judged yet
    assert "No target can be judged yet" in page.locator("#tracker-note").inner_text()
    page.goto(server.url + "/tracker?status=met")
    note = page.locator("#tracker-note")
    assert note.is_visible() and "No target matches this filter" in note.inner_text()
    note.locator("a").click()
    page.wait_for_url("**status=all**")
    assert page.locator("table.tracker tbody tr").count() == 34
    page.goto(server.url + "/indicator/gdp-growth")
    assert page.locator("h1").inner_text().startswith("国内生产总值增长") and "GDP growth" in page.locator("h1").inner_text()
    assert "no target or reported value" in page.locator("#no-data").inner_text()
    page.close()


def test_search_finds_a_place_an_indicator_and_a_target(madeup_site, browser):
    import requests
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(madeup_site.url + "/")
    page.fill("main form.search input[name=q]", "泉州")
    page.locator("main form.search button").click()
    page.wait_for_url("**/search?q=*")
    assert "泉州市" in page.locator("ul.hits-place").inner_text()
    page.goto(madeup_site.url + "/search?q=就业")
    assert "城镇新增就业" in page.locator("ul.hits-indicator").inner_text()
    assert page.locator("ul.hits-target li").count() >= 3
    page.locator("ul.hits-indicator a").first.click()
    assert "城镇新增就业" in page.locator("h1").inner_text()
    page.close()
    got = requests.get(madeup_site.url + "/search", params={"q": "生产总值", "format": "json"}, timeout=30).json()
    assert got["results"]["indicator"] and got["results"]["target"]
    assert requests.get(madeup_site.url + "/search", params={"q": '"} } SELECT'}, timeout=30).status_code == 200


def test_scorecard_counts_statuses_and_sorts(madeup_site, browser):
    import csv
    import io
    import requests
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(madeup_site.url + "/id/place/quanzhou")
    page.locator("p.scorecard-links a").first.click()
    page.wait_for_url("**/scorecard/quanzhou")
    rows = page.locator("#by-year tbody tr")
    assert rows.count() == 2
    first = rows.first.inner_text()
    assert "2022" in first
    cells = rows.first.locator("td.count").all_inner_texts()
    assert cells[:2] == ["3", "1"] and cells[-1] == "4"                 # met 3, missed 1, of 4
    csv_rows = list(csv.DictReader(io.StringIO(
        requests.get(madeup_site.url + "/scorecard/quanzhou.csv", timeout=30).content.decode("utf-8-sig"))))
    by_year = {r["year"]: r for r in csv_rows if r["group"] == "year"}
    assert by_year["2022"]["met"] == "3" and by_year["2022"]["missed"] == "1" and by_year["2023"]["notReported"] == "3"
    page.goto(madeup_site.url + "/scorecard")
    names = lambda: page.locator("#by-place tbody td:first-child").all_inner_texts()   # noqa: E731
    page.locator("#by-place thead th").first.click()
    asc = names()
    page.locator("#by-place thead th").first.click()
    assert names() == asc[::-1] and len(asc) == 2
    page.goto(madeup_site.url + "/tracker?status=all")
    head = page.locator("table.tracker thead th").nth(1)                  # year
    head.click()
    years = page.locator("table.tracker tbody tr td:nth-child(2)").all_inner_texts()
    assert years == sorted(years)
    page.close()


def test_figures_as_the_source_writes_them(madeup_site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(madeup_site.url + "/tracker?status=all")
    fig = page.locator("table.tracker .fig[data-value='12320000']").first
    assert fig.inner_text() == "1232万人" and fig.get_attribute("title") == "12320000人"
    page.goto(madeup_site.url + "/id/target/plan-2022/diqushengchanzongzhi-zengzhang")
    plan = page.locator("td.plan").inner_text()
    assert "泉州市" in plan and "2022" in plan and "某市2022年政府工作报告发布" in plan
    page.locator("td.plan a").first.click()
    page.wait_for_url("**/id/plan/plan-2022")
    assert page.locator("h1").inner_text().startswith("泉州市 2022年计划")
    assert page.locator("table.tracker tbody tr").count() == 4 and page.locator("td.verdict .en").first.inner_text()
    page.goto(madeup_site.url + "/id/target/plan-2022/diqushengchanzongzhi-zengzhang")
    assert "see it in the article" in page.locator("main").inner_text()
    page.goto(madeup_site.url + "/indicator/urban-new-jobs")
    ticks = page.locator("svg.tracker > text").evaluate_all("els => els.map(e => e.textContent)")
    import re
    assert ticks and all(not re.search(r"\.\d{2,}", t) for t in ticks), ticks
    assert page.locator("svg.tracker g.target-floor").count() >= 1 and page.locator("svg.tracker .target-band").count() == 0
    page.screenshot(path=str(ARTEFACTS / "indicator-floor-390.png"), full_page=True)
    page.close()

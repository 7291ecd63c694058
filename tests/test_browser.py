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


def test_landing_page_renders(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/")
    assert "政策目标" in page.title()
    assert page.locator("table").first.is_visible()
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
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr table tbody tr", timeout=15000)
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
            page.locator(".yasqe_queryButton").click()
            page.wait_for_selector(".yasr table tbody tr", timeout=15000)
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
    page.goto(server.url + "/sparql#query=" + quote(q, safe=""))
    page.wait_for_selector(".yasqe", timeout=15000)
    assert "ORDER BY DESC(?value) LIMIT 3" in page.evaluate("() => yasgui.getTab().getQuery()")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr table tbody tr", timeout=15000)
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

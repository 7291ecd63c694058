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

"""The query editor (YASGUI) in a real headless Chromium, as a newcomer meets it: the results
table readable at 1280 and 390 px, the examples menu naming what the editor holds, the server's
hints and error messages shown. Screenshots go to test-artefacts/editor-*.png."""

from urllib.parse import quote

import pytest
import requests

from conftest import ROOT
from test_browser import ARTEFACTS, UNTAPPABLE, browser, open_linked_query, run_query, wait_for_table  # noqa: F401  (the Chromium fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    not (ROOT / "server" / "static" / "yasgui" / "yasgui.min.js").exists(),
    reason="YASGUI is not installed (npm missing): the page offers a plain form")]


def _open(browser, server, width, query=None):
    """The editor page; with a query, a link to it, which runs as the page opens (its answer is
    awaited, and kept on the page object as page.answer)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if query:
        page.answer = open_linked_query(page, server.url + "/sparql#query=" + quote(query, safe=""))
    else:
        page.goto(server.url + "/sparql")
        page.wait_for_selector(".yasqe", timeout=15000)
    return page, errors


@pytest.mark.parametrize("width", [1280, 390])
def test_every_control_of_the_editor_takes_a_tap(server, browser, width):
    """A tap at the centre of each of the editor's buttons and fields reaches it. At 390 px the run
    button once sat under the results bar, hidden, and the tap went to the bar's link button; the
    endpoint's clear button fell onto the line numbers. And the run button covers no query text."""
    page, errors = _open(browser, server, width)
    missed = page.evaluate(UNTAPPABLE, "#examples, #yasgui button, #yasgui input, #yasgui select")
    assert missed == [], missed
    seen = page.evaluate("""() => {
        const b = document.querySelector('.yasqe_queryButton').getBoundingClientRect();
        const box = document.querySelector('.yasqe .CodeMirror').getBoundingClientRect();
        const text = [...document.querySelectorAll('.yasqe .CodeMirror-line')].map(l => {
            const r = document.createRange(); r.selectNodeContents(l); return r.getBoundingClientRect(); })
          .filter(t => t.width && t.bottom > box.top && t.top < box.bottom);
        return {inside: b.top >= box.top && b.bottom <= box.bottom && b.left >= box.left && b.right <= box.right,
                covers: text.filter(t => t.left < b.right && t.right > b.left && t.top < b.bottom && t.bottom > b.top).length,
                lines: text.length}; }""")
    assert seen["inside"], seen
    assert seen["lines"] > 0 and seen["covers"] == 0, seen
    assert errors == []
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_results_table_is_readable(server, browser, width):
    page, errors = _open(browser, server, width)
    page.select_option("#examples", "growth-targets")
    wait_for_table(page, run_query(page))
    page.screenshot(path=str(ARTEFACTS / f"editor-table-{width}.png"), full_page=True)
    # every header in one piece: a title that wraps has more than one line box
    titles = page.locator(".yasr table thead th .dt-column-title")
    lines = titles.evaluate_all("els => els.map(e => [e.innerText, e.getClientRects().length])")
    assert lines and all(n == 1 for _, n in lines), lines
    assert [t for t, _ in lines][:3] == ["place", "year", "indicator"]
    # cells apart: the text of each cell ends well before the next cell's begins
    gaps = page.evaluate("""() => [...document.querySelectorAll('.yasr table tbody tr')].flatMap(tr => {
        const spans = [...tr.querySelectorAll('td')].map(td => td.querySelector('span, a') || td);
        const out = [];
        for (let i = 0; i + 1 < spans.length; i++) {
          const a = spans[i].getBoundingClientRect(), b = spans[i + 1].getBoundingClientRect();
          if (a.width && b.width && Math.abs(a.top - b.top) < 4) out.push(b.left - a.right);
        }
        return out; })""")
    assert gaps and min(gaps) >= 8, gaps
    # the page itself never scrolls sideways (the table scrolls inside its box)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    # with "Simple view" off the row-number column appears: it has a label too
    page.locator(".yasr .tableControls input[type=checkbox]").first.uncheck()
    page.wait_for_selector(".yasr table .rowNumber", timeout=10000)
    labels = page.locator(".yasr table thead th").evaluate_all(
        "els => els.map(e => e.innerText.trim() || getComputedStyle(e.querySelector('.dt-column-title'), '::before').content)")
    assert all(x and x not in ("none", "normal", '""') for x in labels), labels
    assert errors == []
    page.close()


def test_the_examples_menu_names_the_query_in_the_editor(server, browser):
    example = requests.get(server.url + "/queries/growth-targets.rq", timeout=10).text
    page, errors = _open(browser, server, 1280, example)
    assert page.input_value("#examples") == "growth-targets"
    page.close()
    page, errors = _open(browser, server, 1280, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert page.input_value("#examples") == ""
    assert "your query" in page.locator("#examples option:checked").inner_text()
    page.select_option("#examples", "growth-targets")
    assert page.evaluate("() => yasgui.getTab().getQuery()").strip() == example.strip()
    assert page.locator("#examples option[value='']").count() == 0     # the menu and the editor agree again
    assert errors == []
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_hints_and_errors_are_shown_in_the_editor(server, browser, width):
    page, errors = _open(browser, server, width, "SELECT ?t WHERE { ?t a ptkg:Target ; ptkg:year 2022 }")
    assert page.answer.status == 200
    page.wait_for_selector("#query-hints:not(:empty)", timeout=15000)
    assert 'ptkg:year "2022"^^xsd:gYear' in page.inner_text("#query-hints")
    page.screenshot(path=str(ARTEFACTS / f"editor-hint-{width}.png"), full_page=True)
    page.close()
    page, errors = _open(browser, server, width, "SELECT ?t WHERE { ?t a ptk:Target }")
    assert page.answer.status == 400
    page.wait_for_selector("#query-hints.query-error", timeout=15000)
    text = page.inner_text("#query-hints")
    assert "line 1, column 24" in text and "did you mean ptkg:" in text and "{" not in text.split("\n")[0][:40]
    page.screenshot(path=str(ARTEFACTS / f"editor-error-{width}.png"), full_page=True)
    assert errors == []
    page.close()

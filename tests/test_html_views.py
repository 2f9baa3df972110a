"""The HTML page's views in headless Chromium (tests/browser.py): a long filtered or sorted
view that a key stroke empties is hidden whole, its papers going home later while the browser
is idle, and no paper is ever lost, doubled or shown out of place meanwhile. Skipped, with one
line saying so, where Chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deepphen.catalog import Catalog
from deepphen.export import html as html_export
from deepphen.models import Paper
from tests import browser as chromium
from tests.test_html_browser import count_text, settled, visible

REPO = Path(__file__).resolve().parents[1]
# Set the search box (or a select) and dispatch its event, counting the papers the stroke put
# back into #sections at once (a MutationObserver's records, taken synchronously).
STROKE = """const [id, value] = arguments;
const moved = new MutationObserver(() => {});
moved.observe(document.getElementById('sections'), {childList: true, subtree: true});
const el = document.getElementById(id);
el.value = value;
el.dispatchEvent(new Event(id === 'q' ? 'input' : 'change', {bubbles: true}));
const home = moved.takeRecords().flatMap((r) => Array.from(r.addedNodes))
  .filter((n) => n.classList && n.classList.contains('paper')).length;
moved.disconnect();
return home;"""
# Every paper once in the document, and no filtered-out paper displayed.
WHOLE = """const papers = Array.from(document.querySelectorAll('.paper'));
return [papers.length, new Set(papers.map((e) => e.dataset.key)).size,
        papers.filter((e) => e.getClientRects().length === 0)
          .every((e) => getComputedStyle(e).display === 'none')];"""
HOME_KEYS = """return Array.from(document.querySelectorAll('#sections .paper'))
    .map(e => e.dataset.key)"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(REPO / "catalog")


@pytest.fixture(scope="module")
def shipped(catalog: Catalog) -> tuple[list[Paper], list[str], list[str]]:
    """The shipped catalog's papers, their keys in page order and newest first."""
    return (catalog.papers,
            [p.key for p in html_export.page_order(catalog.papers, catalog.settings)],
            [p.key for p in sorted(catalog.papers, key=Paper.sort_key, reverse=True)])


@pytest.fixture(scope="module")
def page(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "index.html"
    path.write_text(html_export.render(catalog.papers, catalog.settings), encoding="utf-8")
    return path


@pytest.fixture
def sorted_view(browser: chromium.Browser, page: Path) -> chromium.Browser:
    """The page sorted newest first: every paper in #results."""
    browser.driver.set_window_size(1200, 900)
    browser.open(page)
    browser.js(STROKE, "sort", "newest")
    settled(browser)
    return browser


def all_home(b: chromium.Browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(b.driver, 10).until(lambda d: d.execute_script(
        "return !document.querySelector('.limbo')"))


def test_a_stroke_that_empties_a_long_view_moves_no_paper_at_once(sorted_view, shipped) -> None:
    papers, in_place, _ = shipped
    assert sorted_view.js(STROKE, "q", "zzqxjv") == 0
    assert sorted_view.js(WHOLE) == [len(papers), len(papers), True]
    assert visible(sorted_view) == []
    assert count_text(sorted_view) == f"0 of {len(papers)} papers"
    # Later, while the browser is idle, every paper goes back to its place.
    all_home(sorted_view)
    assert sorted_view.js(HOME_KEYS) == in_place


def test_papers_come_back_from_limbo_in_order(sorted_view, shipped) -> None:
    papers, in_place, newest = shipped
    sorted_view.js(STROKE, "q", "zzqxjv")
    sorted_view.js(STROKE, "q", "")  # before they went home: every paper is wanted again
    assert visible(sorted_view) == newest
    assert sorted_view.js(WHOLE) == [len(papers), len(papers), True]
    sorted_view.js(STROKE, "sort", "oldest")
    assert visible(sorted_view) == newest[::-1]
    sorted_view.js(STROKE, "sort", "")
    all_home(sorted_view)
    assert visible(sorted_view) == in_place
    assert sorted_view.js(HOME_KEYS) == in_place


def test_clearing_while_papers_are_in_limbo_puts_each_in_place(sorted_view, shipped) -> None:
    papers, in_place, _ = shipped
    sorted_view.js(STROKE, "q", "neural")
    sorted_view.js(STROKE, "q", "zzqxjv")
    sorted_view.js("document.getElementById('reset').click()")
    assert sorted_view.js(HOME_KEYS) == in_place
    assert visible(sorted_view) == in_place
    assert sorted_view.js("return document.querySelectorAll('.limbo, #results .paper').length") == 0
    assert sorted_view.js(WHOLE) == [len(papers), len(papers), True]


def test_printing_a_long_view_prints_all_of_it(browser: chromium.Browser, page: Path,
                                               shipped) -> None:
    # A long view comes in batches, one per frame; printing lays the page out at once, with
    # no frame in between: the batches still due are done before it.
    papers, _, newest = shipped
    browser.open(page)
    busy, shown = browser.js("""const sort = document.getElementById('sort');
        sort.value = 'newest';
        sort.dispatchEvent(new Event('change', {bubbles: true}));
        window.dispatchEvent(new Event('beforeprint'));
        return [document.getElementById('results').getAttribute('aria-busy'),
                Array.from(document.querySelectorAll('#results .paper'))
                  .filter((e) => e.getClientRects().length).map((e) => e.dataset.key)];""")
    assert busy is None
    assert shown == newest
    assert browser.js("return document.querySelectorAll('details[open]').length") == sum(
        1 for p in papers if p.digest and p.digest.strip())
    browser.js("window.dispatchEvent(new Event('afterprint'))")
    assert browser.js("return document.querySelectorAll('details[open]').length") == 0


def test_papers_out_of_view_are_out_of_reach(browser: chromium.Browser, page: Path,
                                             shipped) -> None:
    # The full list and an emptied view are skipped (content-visibility), not display: none
    # on their containers: what they hold must still be out of the accessibility tree, the
    # tab order and find-in-page.
    from selenium.webdriver.common.keys import Keys

    papers, _, _ = shipped
    browser.open(page, "sort=newest")
    settled(browser)
    browser.js(STROKE, "q", "zzqxjv")
    browser.js(STROKE, "q", "grokking")
    shown = set(visible(browser))
    titles = {p.title for p in papers if p.key not in shown}
    browser.cdp("Accessibility.enable", {})
    try:
        names = {n["name"]["value"] for n in browser.cdp("Accessibility.getFullAXTree", {})["nodes"]
                 if not n.get("ignored") and n.get("name", {}).get("value")}
    finally:
        browser.cdp("Accessibility.disable", {})
    assert names & {p.title for p in papers if p.key in shown}
    assert not names & titles
    hidden = next(iter(sorted(titles)))
    assert browser.js("return window.find(arguments[0])", hidden) is False
    browser.js("document.getElementById('reset').focus()")  # the last control
    for _ in range(3):
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.js("""const e = document.activeElement;
            return !!e.closest('#results') && !e.closest('.limbo')""")

"""The HTML page for its readers, in headless Chromium (tests/browser.py): keyboard focus that
stays where the reader was, the skip link, right-to-left names, print colours, contrast, the
page without JavaScript, links naming what the page lacks, long labels. Skipped, with one
line saying so, where Chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deepphen.catalog import Catalog
from deepphen.export import html as html_export
from deepphen.models import Link, Paper, Section, Settings
from tests import browser as chromium
from tests.test_html_browser import fragment, set_field, settled, visible

REPO = Path(__file__).resolve().parents[1]
# What the focused element is and where: [tag, text, in which list, the paper's key].
FOCUSED = """const e = document.activeElement;
    return [e.tagName, e.textContent.trim().slice(0, 60),
            e.closest('#results') ? 'results' : e.closest('#sections') ? 'sections' : 'other',
            e.closest('.paper') ? e.closest('.paper').dataset.key : null];"""



def write_page(folder: Path, papers: list[Paper], settings: Settings) -> Path:
    path = folder / "index.html"
    path.write_text(html_export.render(papers, settings), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog's page."""
    catalog = Catalog.load(REPO / "catalog")
    return write_page(tmp_path_factory.mktemp("page"), catalog.papers, catalog.settings)


@pytest.fixture
def opened(browser: chromium.Browser, page: Path) -> chromium.Browser:
    browser.driver.set_window_size(1200, 900)
    browser.open(page)
    return browser


def press(b: chromium.Browser, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(b.driver).send_keys(*keys).perform()


def focused(b: chromium.Browser) -> list[str | None]:
    settled(b)
    return b.js(FOCUSED)


def test_a_key_word_keeps_focus_when_its_paper_moves(opened: chromium.Browser) -> None:
    from selenium.webdriver.common.keys import Keys

    opened.js("""window.chosen = document.querySelector('#sections .k button');
        window.chosen.focus();""")
    tag, word, where, key = focused(opened)
    assert (tag, where) == ("BUTTON", "sections")
    press(opened, Keys.ENTER)  # filter by it: its paper moves into #results
    assert "keyword=" in fragment(opened)
    assert focused(opened) == [tag, word, "results", key]
    assert opened.js("return document.activeElement === window.chosen")
    press(opened, Keys.ENTER)  # press it again: the filter goes, the paper goes home
    assert fragment(opened) == ""
    assert focused(opened) == [tag, word, "sections", key]
    press(opened, Keys.TAB)  # on to the next thing in the list, not the footer
    assert focused(opened)[2] == "sections"


def test_a_title_keeps_focus_when_back_changes_the_sort(browser: chromium.Browser,
                                                       page: Path) -> None:
    browser.open(page, "q=grokking")
    browser.js("document.querySelector('#results .paper:nth-child(2) .t').focus()")
    before = focused(browser)
    assert before[2] == "results"
    browser.js("location.hash = 'q=grokking&sort=newest'")  # as Back or Forward would
    settled(browser)
    assert browser.js("return document.getElementById('sort').value") == "newest"
    assert focused(browser) == before


def test_the_skip_link_keeps_the_filters_in_the_address(browser: chromium.Browser,
                                                        page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.open(page, "q=grokking&since=2022")
    shown = visible(browser)
    press(browser, Keys.TAB)
    assert browser.js("return document.activeElement.className") == "skip"
    press(browser, Keys.ENTER)
    assert fragment(browser) == "#q=grokking&since=2022"
    assert browser.js("return document.activeElement.id") == "main"
    assert visible(browser) == shown


# Typing into the box in one script call: no timer or idle callback of the page runs between
# the strokes, so what the address says right after them is deterministic.
TYPE = """const box = document.getElementById('q');
    for (const text of arguments[0]) {
      box.value = text;
      box.dispatchEvent(new Event('input', {bubbles: true}));
    }
    return location.hash;"""


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page past the size where the address waits for a pause (2,000 papers):
    history.replaceState took 12 to 17 ms a stroke at 10,000."""
    settings = Settings(title="Big", sections=[Section("Others", "others")])
    papers = [Paper(title=f"Paper {n} on {'grokking' if n % 7 else 'neural collapse'}",
                    year=2000 + n % 26, section="others", key=f"p{n}") for n in range(2001)]
    return write_page(tmp_path_factory.mktemp("big"), papers, settings)


def test_the_address_follows_each_stroke_on_a_page_of_the_lists_size(
        opened: chromium.Browser) -> None:
    """A reload or Back and Forward just after typing lost the last strokes when the
    address waited for a pause on every page (review)."""
    entries = opened.js("return history.length")
    assert opened.js(TYPE, ["g", "gr", "gro"]) == "#q=gro"
    assert opened.js("return history.length") == entries + 1
    opened.driver.refresh()
    settled(opened)
    assert opened.js("return document.getElementById('q').value") == "gro"
    opened.driver.back()
    opened.driver.forward()
    settled(opened)
    assert fragment(opened) == "#q=gro"


def test_the_address_follows_typing_later_on_a_big_page(browser: chromium.Browser,
                                                        big_page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.open(big_page)
    entries = browser.js("return history.length")
    # The first stroke opens the query's history entry; the others update it later, not
    # within the stroke.
    assert browser.js(TYPE, ["g", "gr", "gro"]) == "#q=g"
    browser.driver.find_element(By.ID, "q").send_keys("kking")
    WebDriverWait(browser.driver, 5).until(lambda d: fragment(browser) == "#q=grokking")
    assert browser.js("return history.length") == entries + 1
    assert browser.js("return document.getElementById('q').value") == "grokking"


@pytest.mark.parametrize("event", ["window blur", "link click", "page hidden",
                                   "pointer leaves", "reload key", "reload key by place",
                                   "history key", "mouse back button"])
def test_the_address_is_written_before_it_is_read_or_left(browser: chromium.Browser,
                                                          big_page: Path, event: str) -> None:
    # The address bar takes focus from the page; a reload or a history key reads the address
    # before any page event; a link or leaving the page would keep the address of a query
    # typed before the last strokes.
    key = "document.dispatchEvent(new KeyboardEvent('keydown', {bubbles: true, %s}));"
    trigger = {"window blur": "window.dispatchEvent(new Event('blur'));",
               "link click": "document.querySelector('.toc a').click();",
               "page hidden": "window.dispatchEvent(new Event('pagehide'));",
               "pointer leaves":
                   "document.documentElement.dispatchEvent(new MouseEvent('mouseleave'));",
               "reload key": key % "key: 'F5'",
               "reload key by place": key % "key: '\u043a', code: 'KeyR', ctrlKey: true",
               "history key": key % "key: 'ArrowLeft', altKey: true",
               "mouse back button": "document.body.dispatchEvent(new MouseEvent('mousedown', "
                                    "{button: 3, bubbles: true}));"}[event]
    browser.open(big_page)
    assert browser.js(TYPE, ["n", "ne", "neural"]) == "#q=n"
    assert browser.js(trigger + "return location.hash;") == "#q=neural"


def test_back_after_typing_and_a_menu_returns_to_the_whole_query(
        browser: chromium.Browser, big_page: Path) -> None:
    browser.open(big_page)  # where the typed query's address waits for a pause
    opened = browser
    assert opened.js(TYPE, ["g", "gro", "grokking"]) == "#q=g"
    set_field(opened, "sort", "newest")  # a new entry: the typed query's is written first
    assert fragment(opened) == "#q=grokking&sort=newest"
    opened.driver.back()
    settled(opened)
    assert fragment(opened) == "#q=grokking"
    assert opened.js("return document.getElementById('q').value") == "grokking"
    assert opened.js("return document.getElementById('sort').value") == ""


def test_right_to_left_names_keep_the_line_in_order(browser: chromium.Browser,
                                                    tmp_path: Path) -> None:
    settings = Settings(title="Bidi", sections=[Section("Others", "others")])
    papers = [Paper(title="Learning dynamics", year=2020, section="others", key="mixed",
                    authors=["Alice Smith", "אבי כהן", "שרה לוי"], venue="כנס ישראלי",
                    keywords=["Grokking"], links=[Link("paper", "https://example.org/p")]),
              Paper(title="מאמר על למידה", year=2021, section="others", key="rtl-title",
                    authors=["Bob Jones"], keywords=["Grokking"],
                    links=[Link("paper", "https://example.org/q"),
                           Link("code", "https://example.org/c")])]
    path = write_page(tmp_path, papers, settings)
    # Left edges, on screen, of each author, the venue and the year (a text node).
    lefts = """const p = document.querySelector(`.paper[data-key="${arguments[0]}"]`);
        const m = p.querySelector('.m'), year = document.createRange();
        year.selectNodeContents(m.lastChild);
        const names = p.querySelectorAll('.a bdi');
        return [...Array.from(names, (n) => n.textContent), 'venue', 'year',
                ...Array.from(names, (n) => n.getBoundingClientRect().left),
                p.querySelector('.v').getBoundingClientRect().left,
                year.getBoundingClientRect().left];"""
    for javascript in (False, True):
        browser.open(path, javascript=javascript)
        found = browser.js(lefts, "mixed")
        labels, xs = found[:5], found[5:]
        assert labels == ["Alice Smith", "אבי כהן", "שרה לוי", "venue", "year"]
        assert xs == sorted(xs), "the meta line reads in the wrong order"
        title, code = browser.js("""const p = document.querySelector('[data-key="rtl-title"]');
            return [p.querySelector('.t'), p.querySelector('.l')]
                .map((e) => e.getBoundingClientRect().left);""")
        assert title < code
    # Marking a match keeps the names apart.
    from selenium.webdriver.support.ui import WebDriverWait

    browser.open(path, "q=alice")
    WebDriverWait(browser.driver, 5).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.a bdi mark').length === 1"))
    assert browser.js("return document.querySelectorAll('.a bdi').length") == 3
    # A paper whose names are all left to right has no <bdi>: the page stays small.
    assert browser.js("return document.querySelectorAll('.a:not(:has(bdi))').length") == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_black_on_white(browser: chromium.Browser, page: Path, scheme: str) -> None:
    browser.cdp("Emulation.setEmulatedMedia", {
        "media": "print", "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        browser.open(page, "keyword=Grokking")
        settled(browser)
        colours = browser.js("""const pressed = document.querySelector(
                '#results .k button[aria-pressed="true"]');
            const other = document.querySelector('#results .k button[aria-pressed="false"]');
            return [pressed, other].map((b) => getComputedStyle(b).color)
                .concat([getComputedStyle(document.body).backgroundColor]);""")
        assert colours == ["rgb(0, 0, 0)", "rgb(0, 0, 0)", "rgb(255, 255, 255)"]
        # "[code <address>]": the closing bracket prints too.
        after = browser.js("""const l = document.querySelector('#results .paper .l');
            return [getComputedStyle(l, '::before').content,
                    getComputedStyle(l, '::after').content, l.href];""")
        assert after[0] == '"["'
        assert after[1] == f'" <{after[2]}>]"'
    finally:
        browser.cdp("Emulation.setEmulatedMedia", {"media": "", "features": []})


def test_key_words_are_buttons_only_with_the_script(browser: chromium.Browser,
                                                    page: Path) -> None:
    browser.open(page, javascript=False)
    try:
        # Without the script nothing would happen on a key word: no tab stop, no button.
        assert browser.js("""return Array.from(document.querySelectorAll('button'))
            .filter((b) => b.getClientRects().length).length""") == 0
        assert browser.js("return document.querySelectorAll('.k span').length") > 1000
    finally:
        browser.open(page)
    counts = browser.js("""return [document.querySelectorAll('.k > *').length,
        document.querySelectorAll('.k > button[aria-pressed="false"]').length]""")
    assert counts[0] > 1000 and counts == [counts[0]] * 2


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(r, g, b)`` colours."""
    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:-1].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_controls_and_placeholders_have_contrast(browser: chromium.Browser, page: Path,
                                                 scheme: str) -> None:
    browser.cdp("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        browser.open(page)
        panel = browser.js(
            "return getComputedStyle(document.getElementById('controls')).backgroundColor")
        for control in ("q", "section", "keyword", "since", "sort", "reset"):
            edge, background = browser.js("""const s = getComputedStyle(
                document.getElementById(arguments[0]));
                return [s.borderTopColor, s.backgroundColor];""", control)
            assert contrast(edge, background) >= 3, control  # WCAG 1.4.11
            assert contrast(edge, panel) >= 3, control
        for field in ("q", "since"):
            hint, background = browser.js("""const e = document.getElementById(arguments[0]);
                return [getComputedStyle(e, '::placeholder').color,
                        getComputedStyle(e).backgroundColor];""", field)
            assert contrast(hint, background) >= 4.5, field  # WCAG 1.4.3
    finally:
        browser.cdp("Emulation.setEmulatedMedia", {"features": []})


def test_an_option_for_an_old_link_goes_when_no_longer_chosen(browser: chromium.Browser,
                                                              page: Path) -> None:
    added = """return Array.from(document.querySelectorAll('#section option, #keyword option'))
        .filter((o) => o.textContent.endsWith('(not in this page)')).map((o) => o.value)"""
    browser.open(page, "keyword=bogus-one&section=nowhere")
    assert sorted(browser.js(added)) == ["bogus-one", "nowhere"]
    browser.js("location.hash = 'keyword=bogus-two'")
    settled(browser)
    assert browser.js(added) == ["bogus-two"]
    set_field(browser, "keyword", "Grokking")  # the menu's own choice
    assert browser.js(added) == []
    browser.js("location.hash = 'section=gone'")
    settled(browser)
    browser.js("document.getElementById('reset').click()")
    assert browser.js(added) == []
    assert fragment(browser) == ""


def test_a_long_link_label_wraps_on_a_phone(browser: chromium.Browser, tmp_path: Path) -> None:
    settings = Settings(title="Long", sections=[Section("Others", "others")])
    papers = [Paper(title="Paper", year=2020, section="others", key="long",
                    links=[Link("paper", "https://example.org/p"),
                           Link("x" * 400, "https://example.org/c")])]
    path = write_page(tmp_path, papers, settings)
    browser.cdp("Emulation.setDeviceMetricsOverride",
                {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.open(path)
        assert browser.js("return innerWidth") == 320
        assert browser.js("return document.documentElement.scrollWidth") <= 320
        # Nor cut off at the paper's edge: the label wraps inside the width.
        assert browser.js("return document.querySelector('.l').getBoundingClientRect().right"
                          ) <= 320
    finally:
        browser.cdp("Emulation.clearDeviceMetricsOverride", {})


def test_papers_are_not_numbered_list_items(opened: chromium.Browser) -> None:
    """The browser numbers list items: moving each of thousands of papers in or out of the
    sorted view's one list renumbered the rest, seconds at 10,000 papers (docs/benchmarks.md)."""
    set_field(opened, "sort", "newest")
    settled(opened)
    displays = opened.js("""return Array.from(new Set(Array.from(
        document.querySelectorAll('#results .paper'), (p) => getComputedStyle(p).display)))""")
    assert displays == ["block"]


SLASH_STATE = """const q = document.getElementById('q');
    return [document.getElementById('slash-key').checked, q.getAttribute('aria-keyshortcuts')];"""


def slash_focuses_search(b: chromium.Browser) -> bool:
    """Press "/" with focus on the page body: whether the search box took focus."""
    b.js("document.activeElement.blur()")
    press(b, "/")
    return b.js("return document.activeElement.id === 'q'")


def test_the_slash_shortcut_can_be_turned_off_and_stays_off(browser: chromium.Browser,
                                                             page: Path) -> None:
    # WCAG 2.1.4: a one-character shortcut can be turned off, here with a keyboard-operable
    # checkbox right after the search box, remembered on the next visit.
    from selenium.webdriver.common.keys import Keys

    browser.open(page)
    try:
        assert browser.js(SLASH_STATE) == [True, "/"]
        assert slash_focuses_search(browser)
        press(browser, Keys.TAB)
        assert browser.js("return document.activeElement.id") == "slash-key"
        assert browser.js("""return document.querySelector('label[for="slash-key"]')
            .textContent""") == "The / key jumps here"
        press(browser, Keys.SPACE)
        assert browser.js(SLASH_STATE) == [False, None]
        assert not slash_focuses_search(browser)
        assert browser.js("return document.getElementById('q').value") == ""
        browser.open(page)
        assert browser.js(SLASH_STATE) == [False, None]
        assert not slash_focuses_search(browser)
        browser.js("document.getElementById('slash-key').focus()")
        press(browser, Keys.SPACE)
        browser.open(page)
        assert browser.js(SLASH_STATE) == [True, "/"]
        assert slash_focuses_search(browser)
    finally:
        browser.js("localStorage.clear()")


def test_the_slash_shortcut_works_where_storage_is_refused(browser: chromium.Browser,
                                                          page: Path) -> None:
    # Storage refused (a browser's privacy setting, a sandbox): the shortcut is on, the
    # checkbox still turns it off for the visit, and the page's script runs on.
    from selenium.webdriver.common.keys import Keys

    refuse = browser.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": """
        Object.defineProperty(window, 'localStorage', {get() {
            throw new DOMException('refused', 'SecurityError'); }});"""})
    try:
        browser.open(page, "q=grokking")
        assert browser.js(SLASH_STATE) == [True, "/"]
        shown, _, total, _ = browser.js(
            "return document.getElementById('count').textContent").split()
        assert 0 < int(shown) < int(total)  # the script ran: the query filters
        browser.js("document.getElementById('slash-key').focus()")
        press(browser, Keys.SPACE)
        assert browser.js(SLASH_STATE) == [False, None]
        assert not slash_focuses_search(browser)
        assert [e for e in browser.driver.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        browser.cdp("Page.removeScriptToEvaluateOnNewDocument",
                    {"identifier": refuse["identifier"]})


def test_tex_math_in_titles_reads_as_text_and_is_found_both_ways(browser: chromium.Browser,
                                                                 tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    from deepphen.export import exporter
    from deepphen.search import search

    settings = Settings(title="Math", sections=[Section("Others", "others")])
    written = [r"$\ell_1$-Regularized Sparse Coding", r"An $O(1/n)$ Rate for $\beta$-VAE",
               "From $5 to $10 a Day", r"A $\sqrt[3]{x}$ Root"]
    papers = [Paper(title=t, year=2020 + i, section="others", key=f"m{i}",
                    links=[Link("paper", f"https://example.org/{i}")])
              for i, t in enumerate(written)]
    path = write_page(tmp_path, papers, settings)
    browser.open(path, javascript=False)
    titles = "return Array.from(document.querySelectorAll('.paper .t'), (t) => t.textContent)"
    shown = ["ℓ₁-Regularized Sparse Coding", "An O(1/n) Rate for β-VAE",
             "From $5 to $10 a Day", r"A $\sqrt[3]{x}$ Root"]
    assert sorted(browser.js(titles)) == sorted(shown)
    # The page and deepphen search find a title by its words as written ("ell", "beta") and
    # as shown ("l1", "ℓ1": deepphen search found neither).
    for query, key in (("ell", "m0"), ("beta vae", "m1"), ("β-VAE", "m1"),
                       ("ℓ₁ regularized", "m0"), ("l1", "m0"), ("ℓ1", "m0")):
        browser.open(path, f"q={query}")
        assert visible(browser) == [key]
        assert [h.paper.key for h in search(papers, query)] == [key]
    WebDriverWait(browser.driver, 5).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.t mark').length === 1"))
    assert browser.js("return document.querySelector('.t mark').textContent") == "ℓ₁"
    # The markdown page keeps the TeX, which GitHub renders as math.
    assert r"$\ell_1$-Regularized" in exporter("md")(papers, settings)

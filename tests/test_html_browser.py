"""The HTML page in a real browser: headless Chromium from Debian's packages (tests/browser.py).

One browser session (conftest.py's ``browser``) serves the whole module. The shipped
catalog's page is checked against deepphen's own search and filters, so the page and the
CLI cannot drift apart; a small catalog of hostile texts checks that nothing in a catalog
can run. Skipped, with one summary line saying how to install the browser, where Chromium
is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.catalog import Catalog
from deepphen.export import html as html_export
from deepphen.models import Link, Paper, Section, Settings
from deepphen.search import search
from deepphen.texmath import unicode_math
from deepphen.vocab import keyword_norm
from tests import browser as chromium

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "catalog"
DISPLAYED_KEYS = """Array.from(document.querySelectorAll('.paper'))
    .filter(e => e.getClientRects().length > 0).map(e => e.dataset.key)"""
VISIBLE_KEYS = f"return {DISPLAYED_KEYS};"


@pytest.fixture(scope="module")
def shipped() -> tuple[Settings, list[Paper]]:
    catalog = Catalog.load(SHIPPED)
    return catalog.settings, catalog.papers


@pytest.fixture(scope="module")
def page(shipped: tuple[Settings, list[Paper]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "index.html"
    path.write_text(html_export.render(shipped[1], shipped[0]), encoding="utf-8")
    return path


@pytest.fixture
def opened(browser: chromium.Browser, page: Path) -> chromium.Browser:
    """The shipped catalog's page, freshly loaded with no fragment, at desktop size."""
    browser.driver.set_window_size(1200, 900)
    browser.open(page)
    return browser


def visible(b: chromium.Browser) -> list[str]:
    """The keys of the displayed papers, once the page has shown every matching paper."""
    settled(b)
    return b.js(VISIBLE_KEYS)


def settled(b: chromium.Browser) -> None:
    """Wait until #results has no aria-busy: a long filtered view comes in batches."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(b.driver, 10).until(lambda d: d.execute_script(
        "return !document.getElementById('results').hasAttribute('aria-busy')"))


def count_text(b: chromium.Browser) -> str:
    return b.js("return document.getElementById('count').textContent")


def set_field(b: chromium.Browser, element_id: str, value: str) -> None:
    """Change a select or input as a user would (the change event fires)."""
    b.js("""const el = document.getElementById(arguments[0]);
            if (el.type === 'checkbox') el.checked = arguments[1] === '1';
            else el.value = arguments[1];
            el.dispatchEvent(new Event('change', {bubbles: true}));""", element_id, value)


def type_query(b: chromium.Browser, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = b.driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    box.clear()
    box.send_keys(text)


def fragment(b: chromium.Browser) -> str:
    return b.js("return location.hash")


def test_full_list_on_load(opened: chromium.Browser, shipped) -> None:
    total = len(shipped[1])
    keys = visible(opened)
    assert len(keys) == total
    assert set(keys) == {p.key for p in shipped[1]}
    assert count_text(opened) == f"{total} of {total} papers"
    assert opened.js("return document.querySelectorAll('input[type=search]').length") == 1
    assert opened.js("return document.documentElement.scrollWidth <= innerWidth")
    # Nothing was fetched: no stylesheet, script, image, font or favicon from anywhere.
    assert opened.js("return performance.getEntriesByType('resource').length") == 0
    assert [e for e in opened.driver.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.parametrize("query", ["lotery tiket", "grokin", "neural colapse", "Papyan",
                                   "2201.02177", "double descent",
                                   # typographic and Greek spellings fold as in Python
                                   "don\u2019t always say", "muP", "\u03b5-perturbation",
                                   "occam\u2019s razor",
                                   # acronyms the catalog defines, both ways
                                   "LTH", "ICL", "NTK", "neural tangent kernel", "node",
                                   # compounds, however they are written
                                   "pretraining", "over parameterized", "incontext learning",
                                   # other forms, British spellings, a year, "arXiv ID"
                                   "collapsing", "generalisation", "Arora 2019",
                                   "arXiv 2201.02177",
                                   # a letter alone is a word, an initial only so written
                                   # or beside a surname; a name has no other forms
                                   "q learning", "S. Arora", "Arora S", "Welling"])
def test_query_matches_deepphen_search(opened: chromium.Browser, shipped, query: str) -> None:
    type_query(opened, query)
    expected = {hit.paper.key for hit in search(shipped[1], query)}
    assert expected
    assert set(visible(opened)) == expected
    assert count_text(opened) == f"{len(expected)} of {len(shipped[1])} papers"


# The written queries of bench/search_queries.toml (bench/eval_search.py --written), as readers
# write them: function words ("why does grokking happen"), initials ("S. Arora"), a title's
# short name, pasted abstracts. The page weighed every word alike and read a whole abstract,
# so it showed papers deepphen search does not (and missed some it finds).
WRITTEN = REPO / "bench" / "search_queries.toml"


def set_query(b: chromium.Browser, text: str) -> None:
    """The search box set at once (an abstract typed key by key would search at each key)."""
    b.js("""const box = document.getElementById('q'); box.value = arguments[0];
            box.dispatchEvent(new Event('input', {bubbles: true}));""", text)


def test_written_queries_match_deepphen_search(opened: chromium.Browser, shipped) -> None:
    import tomllib

    from deepphen.errors import DeepphenError

    queries = [q["text"] for q in tomllib.loads(WRITTEN.read_text("utf-8"))["query"]
               if not q.get("error")]
    differ, found = [], 0
    for query in queries:
        try:
            expected = {hit.paper.key for hit in search(shipped[1], query)}
        except DeepphenError:  # nothing to look for: the page shows the whole list
            continue
        found += bool(expected)
        set_query(opened, query)
        shown = set(visible(opened)) if expected else set(
            opened.js(f"return {DISPLAYED_KEYS};"))
        if shown != expected:
            differ.append(f"{query[:60]!r}: page only {sorted(shown - expected)[:5]}, "
                          f"search only {sorted(expected - shown)[:5]}")
    assert found > len(queries) // 2  # the queries find papers in the shipped catalog
    assert differ == [], "\n".join(differ)


def test_typo_matches_are_marked(opened: chromium.Browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    type_query(opened, "lotery tiket")
    WebDriverWait(opened.driver, 5).until(lambda d: "q=lotery+tiket" in fragment(opened))
    WebDriverWait(opened.driver, 5).until(
        lambda d: d.execute_script("return document.querySelectorAll('.paper mark').length > 0"))
    marked = opened.js("""return Array.from(document.querySelectorAll('.paper mark'))
        .map(m => m.textContent.toLowerCase())""")
    assert {"lottery", "ticket"} <= set(marked)
    assert not opened.js("""return Array.from(document.querySelectorAll('.paper[hidden] mark'))
        .length""")


def test_section_filter(opened: chromium.Browser, shipped) -> None:
    set_field(opened, "section", "neural-collapse")
    expected = [p.key for p in shipped[1] if p.section == "neural-collapse"]
    assert sorted(visible(opened)) == sorted(expected)
    assert fragment(opened) == "#section=neural-collapse"
    headings = opened.js("""return Array.from(document.querySelectorAll('main h2'))
        .filter(h => h.getClientRects().length > 0).map(h => h.textContent)""")
    assert headings == ["Neural Collapse"]
    # A paper filtered out is not displayed, as docs/export-formats.md promises.
    assert opened.js("""return Array.from(document.querySelectorAll('.paper'))
        .filter(e => e.getClientRects().length === 0)
        .every(e => e.hidden || getComputedStyle(e).display === 'none')""")


def test_clearing_puts_every_paper_back_in_place(opened: chromium.Browser, shipped) -> None:
    for field, value in [("keyword", "Grokking"), ("sort", "newest"), ("section", "others"),
                         ("sort", ""), ("since", "2020")]:
        set_field(opened, field, value)
    type_query(opened, "neural")
    opened.js("document.getElementById('reset').click()")
    in_place = [p.key for p in html_export.page_order(shipped[1], shipped[0])]
    assert visible(opened) == in_place
    assert opened.js("return document.querySelectorAll('#sections .paper').length") == len(
        in_place)
    assert fragment(opened) == ""


def test_year_range_filter(opened: chromium.Browser, shipped) -> None:
    set_field(opened, "since", "2021")
    set_field(opened, "until", "2022")
    expected = {p.key for p in shipped[1] if 2021 <= p.year <= 2022}
    assert set(visible(opened)) == expected
    assert fragment(opened) == "#since=2021&until=2022"


def test_keyword_filter_and_has_code(opened: chromium.Browser, shipped) -> None:
    set_field(opened, "keyword", "Grokking")
    with_keyword = {p.key for p in shipped[1]
                    if keyword_norm("Grokking") in {keyword_norm(k) for k in p.keywords}}
    assert set(visible(opened)) == with_keyword
    set_field(opened, "code", "1")
    with_code = {p.key for p in shipped[1]
                 if p.key in with_keyword and html_export.http_url(p.code_url)}
    assert set(visible(opened)) == with_code
    assert fragment(opened) == "#keyword=Grokking&code=1"


def test_sort_newest_and_oldest(opened: chromium.Browser, shipped) -> None:
    newest = [p.key for p in sorted(shipped[1], key=Paper.sort_key, reverse=True)]
    set_field(opened, "sort", "newest")
    assert visible(opened) == newest
    set_field(opened, "sort", "oldest")
    assert visible(opened) == newest[::-1]
    set_field(opened, "sort", "")
    assert visible(opened) == [p.key for p in html_export.page_order(shipped[1], shipped[0])]


def test_long_view_comes_in_batches_and_a_change_cancels_them(opened: chromium.Browser,
                                                              shipped) -> None:
    # Sorted, every paper matches: the page shows the top of the list at once, says it is
    # busy (the count already exact) and shows the rest in later frames, in order.
    total = len(shipped[1])
    newest = [p.key for p in sorted(shipped[1], key=Paper.sort_key, reverse=True)]
    busy, at_once, shown = opened.js("""const sort = document.getElementById('sort');
        sort.value = 'newest';
        sort.dispatchEvent(new Event('change', {bubbles: true}));
        return [document.getElementById('results').getAttribute('aria-busy'),
                document.getElementById('count').textContent, """ + DISPLAYED_KEYS + "]")
    assert busy == "true"
    assert at_once == f"{total} of {total} papers"
    assert 0 < len(shown) < total
    assert shown == newest[:len(shown)]
    assert visible(opened) == newest
    # A key stroke while batches are due cancels them: only its own matches are shown.
    opened.js("""const sort = document.getElementById('sort');
        sort.value = 'oldest';
        sort.dispatchEvent(new Event('change', {bubbles: true}));
        const box = document.getElementById('q');
        box.value = 'grokking';
        box.dispatchEvent(new Event('input', {bubbles: true}));""")
    expected = {h.paper.key for h in search(shipped[1], "grokking")}
    keys = visible(opened)
    assert set(keys) == expected
    assert keys == [k for k in newest[::-1] if k in expected]


def test_fragment_round_trip_and_back(browser: chromium.Browser, page: Path, shipped) -> None:
    state = "q=grokking&section=emergence-and-phase-transitions&since=2023"
    browser.open(page, state)
    expected = {h.paper.key for h in search(shipped[1], "grokking")
                if h.paper.section == "emergence-and-phase-transitions" and h.paper.year >= 2023}
    assert set(visible(browser)) == expected
    controls = browser.js("""return ['q', 'section', 'since', 'until']
        .map(id => document.getElementById(id).value)""")
    assert controls == ["grokking", "emergence-and-phase-transitions", "2023", ""]
    set_field(browser, "section", "")
    assert fragment(browser) == "#q=grokking&since=2023"
    wider = set(visible(browser))
    assert expected < wider
    browser.driver.back()
    assert fragment(browser) == "#" + state
    assert set(visible(browser)) == expected
    assert browser.js("return document.getElementById('section').value") == (
        "emergence-and-phase-transitions")
    browser.driver.forward()
    assert set(visible(browser)) == wider


def test_keyword_button_filters_and_toggles(opened: chromium.Browser, shipped) -> None:
    from selenium.webdriver.common.by import By

    button = opened.driver.find_element(By.CSS_SELECTOR, ".paper .k button")
    word = button.text
    button.click()
    norm = keyword_norm(word)
    expected = {p.key for p in shipped[1] if norm in {keyword_norm(k) for k in p.keywords}}
    assert set(visible(opened)) == expected
    assert opened.js("return document.getElementById('keyword').value") != ""
    assert "keyword=" in fragment(opened)
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert len(visible(opened)) == len(shipped[1])
    assert fragment(opened) == ""


def test_slash_focuses_search_and_escape_clears(opened: chromium.Browser, shipped) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(opened.driver).send_keys("/").perform()
    assert opened.js("return document.activeElement.type") == "search"
    ActionChains(opened.driver).send_keys("grokking").perform()
    assert len(visible(opened)) < len(shipped[1])
    ActionChains(opened.driver).send_keys(Keys.ESCAPE).perform()
    assert opened.js("return document.activeElement.value") == ""
    assert len(visible(opened)) == len(shipped[1])
    opened.driver.back()  # Back undoes the clearing
    assert opened.js("return document.getElementById('q').value") == "grokking"


def test_nothing_matches_says_so(opened: chromium.Browser, shipped) -> None:
    type_query(opened, "zzqxjv")
    assert visible(opened) == []
    assert count_text(opened) == f"0 of {len(shipped[1])} papers"
    assert opened.js("return !document.getElementById('empty').hidden")
    opened.js("document.getElementById('clear-all').click()")
    assert len(visible(opened)) == len(shipped[1])


def test_without_javascript_the_whole_list_shows(browser: chromium.Browser, page: Path,
                                                 shipped) -> None:
    browser.open(page, "q=grokking", javascript=False)
    try:
        assert len(visible(browser)) == len(shipped[1])
        assert browser.js("return document.getElementById('controls').offsetParent") is None
        assert count_text(browser) == f"{len(shipped[1])} papers"
        links = browser.js("""return Array.from(document.querySelectorAll('.paper a.t'))
            .map(a => a.href)""")
        assert links and all(url.startswith(("https://", "http://")) for url in links)
    finally:
        browser.open(page)


def test_phone_width_has_no_sideways_scroll(browser: chromium.Browser, page: Path) -> None:
    browser.cdp("Emulation.setDeviceMetricsOverride",
                {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    try:
        for state in ("", "q=lottery&sort=newest"):
            browser.open(page, state)
            assert browser.js("return innerWidth") == 360
            assert browser.js("return document.documentElement.scrollWidth") <= 360
            too_wide = browser.js("""return Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).length""")
            assert too_wide == 0
    finally:
        browser.cdp("Emulation.clearDeviceMetricsOverride", {})


def test_screenshots_for_people(browser: chromium.Browser, page: Path,
                                tmp_path_factory: pytest.TempPathFactory,
                                record_property: Callable[[str, object], None]) -> None:
    """Writes the page as people see it (light, dark, phone) and lists the files at the end."""
    folder = Path(chromium.SCREENSHOT_DIR or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    shots = [("page-desktop.png", "light", None), ("page-dark.png", "dark", None),
             ("page-phone.png", "light", 360)]
    try:
        for name, scheme, width in shots:
            browser.cdp("Emulation.setEmulatedMedia", {
                "features": [{"name": "prefers-color-scheme", "value": scheme}]})
            if width:
                browser.cdp("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": 1400, "deviceScaleFactor": 1, "mobile": True})
            else:
                browser.driver.set_window_size(1100, 1300)
            browser.open(page, "q=grokin&since=2022")
            assert browser.driver.save_screenshot(str(folder / name))
            browser.cdp("Emulation.clearDeviceMetricsOverride", {})
    finally:
        browser.cdp("Emulation.setEmulatedMedia", {"features": []})
    for name, _, _ in shots:
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        record_property("screenshot", str(folder / name))  # the run's last line lists them


# --- a catalog of hostile texts: nothing may run, everything shows as text -----------------
HOSTILE = [
    "<script>window.pwned = 'title'</script>",
    "<img src=x onerror=\"window.pwned = 'img'\">",
    "</script><script>window.pwned = 'close'</script>",
    "\"><svg onload=window.pwned=1>",
    "<!-- <script>window.pwned = 'comment'</script>",
    # TeX math the page converts to text (texmath): still text, never markup.
    "$\\text{<img src=x onerror=\"window.pwned = 'tex'\">}$",
]


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    evil = HOSTILE[0]
    settings = Settings(
        title=f"List {evil}", intro=f"Intro {HOSTILE[1]} [click](javascript:alert(1))",
        sections=[Section(f"Heading {HOSTILE[2]}", "s1", toc_label=HOSTILE[3])],
        closing=f"# Closing {HOSTILE[4]}",
    )
    papers = [
        Paper(title=text, year=2020 + i, section="s1", key=f"hostile-{i}",
              authors=[HOSTILE[(i + 1) % len(HOSTILE)]], venue=HOSTILE[(i + 2) % len(HOSTILE)],
              keywords=[HOSTILE[(i + 3) % len(HOSTILE)], "Grokking"],
              digest=HOSTILE[(i + 4) % len(HOSTILE)],
              links=[Link("paper", "javascript:window.pwned='link'"),
                     Link("code", "JaVaScRiPt:alert(1)"), Link("data", "data:text/html,x")])
        for i, text in enumerate(HOSTILE)
    ]
    papers.append(Paper(title="A fine paper", year=2019, section="s1", key="fine",
                        links=[Link("paper", "https://example.org/p")]))
    path = tmp_path_factory.mktemp("hostile") / "index.html"
    path.write_text(html_export.render(papers, settings), encoding="utf-8")
    return path


def test_hostile_texts_show_as_text_and_run_nothing(browser: chromium.Browser,
                                                    hostile_page: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    for state in ("", "q=script", "q=img+onerror&sort=newest", "keyword=Grokking"):
        browser.open(hostile_page, state)
        try:
            browser.driver.switch_to.alert.dismiss()
            pytest.fail("an alert opened")
        except NoAlertPresentException:
            pass
        assert browser.js("return window.pwned") is None
        assert browser.js("return document.scripts.length") == 2
        assert browser.js("return document.querySelectorAll('img, svg, iframe').length") == 0
        assert browser.js("""return Array.from(document.querySelectorAll('a'))
            .every(a => /^(https?:|file:)/.test(a.href))""")
    browser.open(hostile_page)
    titles = browser.js("""return Array.from(document.querySelectorAll('.paper .t'))
        .map(t => t.textContent)""")
    assert sorted(titles) == sorted([*map(unicode_math, HOSTILE), "A fine paper"])
    assert browser.js("""return Array.from(document.querySelectorAll('[data-tex]'))
        .map(t => t.dataset.tex)""") == [HOSTILE[-1]]
    assert browser.js("return document.querySelector('h1').textContent") == f"List {HOSTILE[0]}"
    assert len(browser.js(VISIBLE_KEYS)) == len(HOSTILE) + 1


def test_a_page_without_year_groups_filters_too(browser: chromium.Browser,
                                                tmp_path: Path) -> None:
    from deepphen.layout import Layout

    settings = Settings(title="Flat", sections=[Section("A", "a"), Section("B", "b")],
                        layout=Layout(year_groups="none"))
    papers = [Paper(title=f"Paper {i} on grokking" if i % 2 else f"Paper {i}", year=2020 + i,
                    section="ab"[i % 2], key=f"p{i}") for i in range(6)]
    path = tmp_path / "flat.html"
    path.write_text(html_export.render(papers, settings), encoding="utf-8")
    browser.open(path, "q=grokking")
    assert sorted(visible(browser)) == ["p1", "p3", "p5"]
    assert [e for e in browser.driver.get_log("browser") if e["level"] == "SEVERE"] == []
    browser.open(path)
    assert len(visible(browser)) == 6


def test_keyboard_focus_is_visible_and_print_shows_the_list(opened: chromium.Browser) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(opened.driver).send_keys(Keys.TAB).perform()  # the skip link
    ActionChains(opened.driver).send_keys(Keys.TAB).perform()  # the first contents link
    style = opened.js("""const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]""")
    assert style[0] == "A" and style[1] != "none" and style[2] >= 2
    opened.cdp("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert opened.js("return getComputedStyle(document.getElementById('controls')).display"
                         ) == "none"
        # Printed titles carry their address: paper is not clickable.
        assert "https://" in opened.js(
            "return getComputedStyle(document.querySelector('.paper .h a'), '::after').content")
        assert len(visible(opened)) > 0
    finally:
        opened.cdp("Emulation.setEmulatedMedia", {"media": ""})


def test_contents_link_jumps_to_the_section_while_filtering(opened: chromium.Browser,
                                                           shipped) -> None:
    from selenium.webdriver.common.by import By

    def jump(state: str) -> None:
        link = opened.driver.find_element(By.CSS_SELECTOR, '.toc a[href="#neural-collapse"]')
        link.click()
        assert fragment(opened) == state  # the filters stay (typed ones written at the click)

    set_field(opened, "since", "2020")  # list order: to the section's heading in the view
    jump("#since=2020")
    top = opened.js("""return Array.from(document.querySelectorAll('#results h2'))
        .find(h => h.textContent === 'Neural Collapse').getBoundingClientRect().top""")
    assert abs(top) < 5
    # Ranked (or sorted), the view has no headings: to the section's best paper, focused.
    type_query(opened, "neural")
    jump("#q=neural&since=2020")
    first = next(h.paper.key for h in search(shipped[1], "neural")
                 if h.paper.section == "neural-collapse" and h.paper.year >= 2020)
    assert opened.js("return document.activeElement.dataset.key") == first
    assert abs(opened.js("return document.activeElement.getBoundingClientRect().top")) < 5
    # A section none of whose papers is in the view: nothing to jump to, and the link put
    # "#section" in place of the query and filters in the address.
    type_query(opened, "grokking")
    shown = {h.paper.section for h in search(shipped[1], "grokking") if h.paper.year >= 2020}
    empty = next(sec.slug for sec in shipped[0].sections if sec.slug not in shown)
    opened.driver.find_element(By.CSS_SELECTOR, f'.toc a[href="#{empty}"]').click()
    assert fragment(opened) == "#q=grokking&since=2020"


# --- a catalog key that is also a word -------------------------------------------------------
# A paper without an arXiv id titled "Grokking" has the key "grokking": the query "grokking"
# showed that one paper only (the key look-up), where deepphen search finds all three.


@pytest.fixture(scope="module")
def word_key_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Paper]]:
    settings = Settings(title="Keys", sections=[Section("Emergence", "emergence")])
    papers = [
        Paper(title="Grokking", year=2021, section="emergence", key="grokking",
              keywords=["Grokking"], links=[Link("paper", "https://openreview.net/x")]),
        *[Paper(title=f"Paper {n}", year=2022, section="emergence", key=f"2201.0000{n}",
                arxiv=f"2201.0000{n}", keywords=["Grokking"],
                links=[Link("paper", f"https://arxiv.org/abs/2201.0000{n}")]) for n in (1, 2)],
        Paper(title="Slow learning", year=2020, section="emergence", key="slow-learning-2020",
              keywords=["Training Dynamics"], links=[Link("paper", "https://example.org/s")]),
    ]
    path = tmp_path_factory.mktemp("keys") / "index.html"
    path.write_text(html_export.render(papers, settings), encoding="utf-8")
    return path, papers


@pytest.mark.parametrize("query, expected", [
    ("grokking", {"grokking", "2201.00001", "2201.00002"}),  # a word: a word search
    ("slow-learning-2020", {"slow-learning-2020"}),  # a key that is no word: its paper
    ("2201.00002", {"2201.00002"}),  # an arXiv id: its paper
])
def test_a_key_that_is_a_word_is_searched_as_a_word(
        browser: chromium.Browser, word_key_page: tuple[Path, list[Paper]], query: str,
        expected: set[str]) -> None:
    path, papers = word_key_page
    browser.driver.set_window_size(1200, 900)
    browser.open(path)
    type_query(browser, query)
    assert set(visible(browser)) == expected
    if query == "grokking":
        assert expected == {hit.paper.key for hit in search(papers, query)}


# --- every script, and TeX math in titles -----------------------------------------------
# The page read Latin and Greek only: "обобщение" or "深度学习" found nothing there, where
# deepphen search finds their papers; and deepphen search did not find "$\ell_1$" by "l1", as
# the page does. The queries are tests/test_search_scripts.py's, typed as readers type them.


@pytest.fixture(scope="module")
def scripts_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Paper]]:
    from dataclasses import replace

    from tests.helpers import sample_settings
    from tests.test_search_scripts import script_papers

    papers = [replace(p, key=f"p{i}") for i, p in enumerate([
        *script_papers(),
        Paper(title=r"$\ell_1$-Regularized Sparse Coding", year=2019, section="others"),
        Paper(title=r"An $O(1/n)$ Rate for $\beta$-VAE", year=2018, section="others"),
        Paper(title="٢٠٢٣ في التعلم", year=2023, section="others", authors=["علي حسن"])])]
    path = tmp_path_factory.mktemp("scripts") / "index.html"
    path.write_text(html_export.render(papers, sample_settings()), encoding="utf-8")
    return path, papers


def test_queries_in_every_script_match_deepphen_search(
        browser: chromium.Browser, scripts_page: tuple[Path, list[Paper]]) -> None:
    import unicodedata

    from tests.test_search_scripts import JA, KO, RU, ZH

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    queries = [ZH, "深度学习", "泛化理论", "学", "究", JA, "ネットワーク", "汎化", "ﾈｯﾄﾜｰｸ", KO,
               "일반화", "신경", nfd("일반화"), "เรียนรู้", "ลึก", RU, "обобщение", "ОБОБЩЕНИЕ",
               "обобщ", "обобшение", nfd("нейронных"), "емкость", "бурда", "Юрий Бурда",
               "μηχανική", "ΜΗΧΑΝΙΚΗ", "μηχανικη", "Παπαδόπουλος", "العميق", "الْعَمِيق",
               "शिक्षण", "शर्मा", "张伟", "山田", "Schölkopf", nfd("Schölkopf"), "schoelkopf",
               "ｋｅｒｎｅｌ ｍｅｔｈｏｄｓ", "YILMAZ", "İSTANBUL", "STRAẞE", "2023", "٢٠٢٣",
               "深度学习 kernel", "l1", "ℓ1", "ℓ₁ regularized", "ell", "β-VAE", "beta vae"]
    path, papers = scripts_page
    browser.driver.set_window_size(1200, 900)
    browser.open(path)
    differ = []
    for query in queries:
        type_query(browser, query)
        expected = {hit.paper.key for hit in search(papers, query)}
        assert expected, query
        shown = set(visible(browser))
        if shown != expected:
            differ.append(f"{query!r}: page {sorted(shown)}, deepphen search {sorted(expected)}")
    assert differ == []
    # The matched word is marked in its script too.
    from selenium.webdriver.support.ui import WebDriverWait

    type_query(browser, "обобщение")
    WebDriverWait(browser.driver, 5).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.paper:not([hidden]) .t mark').length > 0"))
    assert browser.js("return Array.from(document.querySelectorAll('.t mark'),"
                      " (m) => m.textContent)") == ["Обобщение"]

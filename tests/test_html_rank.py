"""The HTML page ranks a query's papers as ``deepphen search`` does, in headless Chromium
(tests/browser.py): best match first in one list while a query is typed and no sort chosen,
the list's own layout back when the query is cleared; function words are not marked beside
other words. Skipped, with one line saying so, where Chromium is absent.
"""

from __future__ import annotations

import tomllib
from itertools import zip_longest

import pytest

from deepphen.errors import DeepphenError
from deepphen.export import html as html_export
from deepphen.models import Paper, Settings
from deepphen.search import search
from tests import browser as chromium
from tests import test_html_browser as page_tests
from tests.test_html_browser import (
    DISPLAYED_KEYS,
    WRITTEN,
    count_text,
    set_field,
    set_query,
    type_query,
    visible,
)

# The shipped catalog's page, opened as the other page tests open it (their fixtures).
shipped, page, opened = page_tests.shipped, page_tests.page, page_tests.opened
Shipped = tuple[Settings, list[Paper]]
# The section and year headings displayed in the view, and the sort menu's first choice.
HEADINGS = """return Array.from(document.querySelectorAll('#results h2, #results h3'))
    .filter(h => h.getClientRects().length > 0).map(h => h.textContent)"""
FIRST_SORT = "return document.getElementById('sort').options[0].textContent"


def ranked(papers: list[Paper], query: str) -> list[str]:
    return [hit.paper.key for hit in search(papers, query)]


@pytest.mark.parametrize("query", [
    "deep double descent",  # the title's head first, then its key word's papers
    "what is the lottery ticket hypothesis",  # function words weigh little
    "grokking", "S. Arora", "LTH", "pretraining", "generalisation bounds", "lotery tiket"])
def test_a_query_shows_its_papers_best_first_as_deepphen_search(
        opened: chromium.Browser, shipped: Shipped, query: str) -> None:
    type_query(opened, query)
    expected = ranked(shipped[1], query)
    assert len(expected) > 1
    assert visible(opened) == expected
    assert count_text(opened) == f"{len(expected)} of {len(shipped[1])} papers"
    assert opened.js(HEADINGS) == []  # one list, best first: no section headings
    assert opened.js(FIRST_SORT) == "Best match"


def test_every_written_query_ranks_as_deepphen_search(opened: chromium.Browser,
                                                      shipped: Shipped) -> None:
    """The whole ranking, not only which papers: bench/eval_page_search.py reports the top
    five's agreement; here every paper's place must agree."""
    queries = [q["text"] for q in tomllib.loads(WRITTEN.read_text("utf-8"))["query"]]
    differ, checked = [], 0
    for query in queries:
        try:
            expected = ranked(shipped[1], query)
        except DeepphenError:  # nothing to look for: the page shows the whole list
            continue
        if not expected:
            continue
        checked += 1
        set_query(opened, query)
        shown = visible(opened)
        if shown != expected:
            at = next(i for i, (a, b) in enumerate(zip_longest(shown, expected)) if a != b)
            differ.append(f"{query[:50]!r}: from place {at}, page {shown[at:at + 3]}, "
                          f"search {expected[at:at + 3]}")
    assert checked > len(queries) // 2
    assert differ == [], "\n".join(differ)


def test_a_new_query_reorders_the_view(opened: chromium.Browser, shipped: Shipped) -> None:
    # Papers both queries find move to their new places, not only the papers that come in.
    type_query(opened, "neural collapse")
    type_query(opened, "neural tangent kernel")
    expected = ranked(shipped[1], "neural tangent kernel")
    assert set(ranked(shipped[1], "neural collapse")) & set(expected)
    assert visible(opened) == expected


def test_filters_keep_the_ranking(opened: chromium.Browser, shipped: Shipped) -> None:
    """A filter beside a query shows the query's papers it keeps, still best first; a sort
    chosen orders them by date instead."""
    type_query(opened, "generalization")
    order = ranked(shipped[1], "generalization")
    set_field(opened, "since", "2021")
    by_year = {p.key: p.year for p in shipped[1]}
    assert visible(opened) == [k for k in order if by_year[k] >= 2021]
    set_field(opened, "sort", "newest")
    newest = [p.key for p in sorted(shipped[1], key=Paper.sort_key, reverse=True)]
    assert visible(opened) == [k for k in newest if k in set(order) and by_year[k] >= 2021]


def test_a_section_beside_a_query_of_several_words_keeps_the_commands_papers(
        opened: chromium.Browser, shipped: Shipped) -> None:
    """With several words a filter could change how they weigh: the page and
    ``deepphen search --section`` both weigh them over the whole catalog (17 papers on the
    page, 5 in the command, before)."""
    query, section = "neural tangent kernel generalization", "empirical-study"
    type_query(opened, query)
    set_field(opened, "section", section)
    kept = {p.key for p in shipped[1] if p.section == section}
    expected = [k for k in ranked(shipped[1], query) if k in kept]
    assert len(expected) > 5 and visible(opened) == expected


def test_clearing_the_query_brings_the_list_layout_back(opened: chromium.Browser,
                                                         shipped: Shipped) -> None:
    in_place = [p.key for p in html_export.page_order(shipped[1], shipped[0])]
    section = "neural-collapse"
    set_field(opened, "section", section)
    type_query(opened, "collapse")
    assert visible(opened) == [k for k in ranked(shipped[1], "collapse")
                               if k in {p.key for p in shipped[1] if p.section == section}]
    assert opened.js(HEADINGS) == []
    # Esc clears the box: the section's papers in list order, under their headings again.
    from selenium.webdriver.common.keys import Keys

    opened.driver.find_element("id", "q").send_keys(Keys.ESCAPE)
    assert visible(opened) == [k for k in in_place
                               if k in {p.key for p in shipped[1] if p.section == section}]
    assert opened.js(HEADINGS)[0] == "Neural Collapse"
    assert opened.js(FIRST_SORT) == "List order"
    # And with no filter left, every paper is back in its place in the full list.
    type_query(opened, "grokking")
    opened.js("document.getElementById('reset').click()")
    assert visible(opened) == in_place
    assert opened.js("return document.querySelectorAll('#sections .paper').length") == len(
        in_place)
    assert opened.js(f"return {DISPLAYED_KEYS}.length") == len(in_place)

def test_function_words_are_not_marked_beside_other_words(opened: chromium.Browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    def marked() -> set[str]:
        WebDriverWait(opened.driver, 5).until(lambda d: d.execute_script(
            "return document.querySelectorAll('.paper mark').length > 0"))
        return set(opened.js("""return Array.from(document.querySelectorAll('.paper mark'))
            .filter(m => m.getClientRects().length > 0)
            .map(m => m.textContent.toLowerCase())"""))

    type_query(opened, "what is the lottery ticket hypothesis")
    words = marked()
    assert {"lottery", "ticket", "hypothesis"} <= words
    assert not words & {"what", "is", "the", "theory", "isometry"}  # nor their prefixes' words
    # A query of function words alone marks them: they are all it looks for.
    type_query(opened, "the")
    assert "the" in marked()


def test_a_new_ranking_moves_only_the_papers_whose_order_changed(opened: chromium.Browser,
                                                                  shipped: Shipped) -> None:
    """Laying out papers moved in is what a key stroke costs: papers that keep their order
    stay where they are."""
    type_query(opened, "grokking")
    before = visible(opened)
    moved = opened.js("""const box = document.getElementById('q');
        const seen = new MutationObserver(() => {});
        seen.observe(document.getElementById('results'), {childList: true, subtree: true});
        box.value = 'grokking ';  // another query, the same ranking
        box.dispatchEvent(new Event('input', {bubbles: true}));
        const records = seen.takeRecords();
        seen.disconnect();
        return records.reduce((n, r) => n + r.addedNodes.length + r.removedNodes.length, 0);""")
    assert moved == 0
    assert visible(opened) == before == ranked(shipped[1], "grokking")

"""The HTML page's script folds text exactly as ``deepphen.vocab.fold`` does, in a real browser
(headless Chromium, tests/browser.py): every assigned code point one by one, texts mixing
what folding is about, and search on a page whose titles use typographic quotes, dashes and
Greek letters. Skipped, with one line saying so, where Chromium is absent.
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from pathlib import Path

import pytest

from deepphen.export import html as html_export
from deepphen.models import Paper
from deepphen.search import search
from deepphen.vocab import (
    APOSTROPHES,
    GREEK,
    UNDECOMPOSED,
    fold,
    keyword_norm,
    script_tables,
    search_tokens,
)
from tests import browser as chromium
from tests.helpers import sample_settings
from tests.test_fold import DIFFERENT, SAME

START = "// --- folding words"
END = "// --- search's words"
TOKENS_END = "// A row of data.papers"


def page_fold_source() -> str:
    """search.js's folding block, which stands alone: its tables, fold, singular and norm."""
    script = html_export.asset("search.js")
    return script[script.index(START):script.index(END)]


def page_tokens_source() -> str:
    """search.js's folding and search-word blocks, with the Unicode tables the export embeds."""
    script = html_export.asset("search.js")
    return (f"const data = {{scripts: {json.dumps(script_tables())}}};"
            + script[script.index(START):script.index(TOKENS_END)])


def js_tokens(b: chromium.Browser, texts: list[str]) -> list[list[list[str]]]:
    """``tokens(t)`` for each text, as the page computes them."""
    b.driver.get("about:blank")
    return b.js(page_tokens_source() + "return arguments[0].map(tokens);", texts)


def py_tokens(texts: list[str]) -> list[list[list[str]]]:
    return [list(search_tokens(t)) for t in texts]


def js_folds(b: chromium.Browser, texts: list[str]) -> list[list[str]]:
    """``[fold(t).join(" "), norm(t)]`` for each text, as the page computes them."""
    b.driver.get("about:blank")
    return b.js(page_fold_source()
                + "return arguments[0].map((t) => [fold(t).join(' '), norm(t)]);", texts)


def py_folds(texts: list[str]) -> list[list[str]]:
    return [[fold(t), keyword_norm(t)] for t in texts]


def assigned_code_points() -> list[str]:
    """Every character this Python's Unicode assigns, but surrogates and private use (one
    rule drops them all), from the planes where text lives."""
    chars = []
    for code in range(0x30000):
        char = chr(code)
        if unicodedata.category(char) not in ("Cn", "Cs", "Co"):
            chars.append(char)
    return chars


def test_the_tables_are_python_s_own(browser: chromium.Browser) -> None:
    browser.driver.get("about:blank")
    tables = browser.js(page_fold_source() + "return [APOSTROPHES, GREEK, UNDECOMPOSED];")
    assert tables == [APOSTROPHES, GREEK, UNDECOMPOSED]


def test_every_character_folds_as_in_python(browser: chromium.Browser) -> None:
    """Each assigned character between two letters: where an apostrophe joins them, a dash
    splits them, an accent vanishes and a Greek letter is spelt out."""
    texts = [f"a{c}b" for c in assigned_code_points()]
    got, want = js_folds(browser, texts), py_folds(texts)
    # A character Chromium's Unicode data (newer or older than this Python's) classes
    # otherwise is reported by name, so that a difference is readable.
    differ = [f"U+{ord(t[1]):04X} {unicodedata.name(t[1], '?')}: page {g} != python {w}"
              for t, g, w in zip(texts, got, want, strict=True) if g != w]
    assert differ == [], (f"{len(differ)} differ (Python {sys.version.split()[0]}, Unicode "
                          f"{unicodedata.unidata_version}):\n" + "\n".join(differ[:40]))


def mixed_texts(count: int, seed: int = 20261128) -> list[str]:
    """Texts mixing ASCII words with every kind of character folding treats specially."""
    rng = random.Random(seed)
    pieces = [*APOSTROPHES, *GREEK, *map(str.upper, GREEK), *UNDECOMPOSED, "Don", "t", "a1", " ",
              "-", "'", "\u2013", "\u2212", "\u00a0", "\u2028", "\u00ad", "\u200b", "\ufeff",
              "\u0301", "\u0308", "\ufb01", "\uff27", "\u00b5", "\U0001d700", "\U0001f600",
              "\u4e2d", "\u0416", "es", "ies", "sses", "\u00e9", "\u2033", "\ud7a3"]
    texts = []
    for _ in range(count):
        parts = [rng.choice(pieces) if rng.random() < 0.8 else chr(rng.randrange(0x20, 0x3000))
                 for _ in range(rng.randrange(1, 14))]
        texts.append("".join(parts))
    return texts


def test_texts_fold_as_in_python(browser: chromium.Browser) -> None:
    texts = [*(s for group in SAME for s in group), *(s for pair in DIFFERENT for s in pair),
             *mixed_texts(3000)]
    # Unassigned here, a character may be assigned in Chromium's newer Unicode data.
    texts = [t for t in texts if not any(unicodedata.category(c) in ("Cs", "Cn") for c in t)]
    assert js_folds(browser, texts) == py_folds(texts)


# --- search's words in every script (vocab.search_tokens) -------------------------------


# Characters whose category differs between the Unicode versions of the Pythons supported
# (3.11: Unicode 14; 3.12: 15.0; 3.13: 15.1) and of Chromium's ICU, so that the page and
# Python cannot agree on every pair: the Ahom medial ra is a spacing mark (Mc, which search
# keeps) in one and a non-spacing one (Mn, dropped as an accent) in another.
RECLASSIFIED = {"\U0001171e"}


def test_every_character_reads_as_search_does(browser: chromium.Browser) -> None:
    """Each assigned character between two letters and doubled: kept, spelt, a digit's value,
    a separator or dropped as search_tokens has it, and a script without spaces in pairs."""
    texts = [f"a{c}b {c}{c}" for c in assigned_code_points() if c not in RECLASSIFIED]
    got, want = js_tokens(browser, texts), py_tokens(texts)
    differ = [f"U+{ord(t[1]):04X} {unicodedata.name(t[1], '?')}: page {g} != python {w}"
              for t, g, w in zip(texts, got, want, strict=True) if g != w]
    assert differ == [], (f"{len(differ)} differ (Python {sys.version.split()[0]}, Unicode "
                          f"{unicodedata.unidata_version}):\n" + "\n".join(differ[:40]))


def test_texts_read_as_search_does(browser: chromium.Browser) -> None:
    from tests.test_search_scripts import script_papers

    samples = [t for p in script_papers() for t in (p.title, *p.authors)]
    texts = [*samples, *(unicodedata.normalize(f, t) for f in ("NFD", "NFKC") for t in samples),
             "ﾈｯﾄﾜｰｸ", "الْعَمِيق", "٢٠٢٣ ２０２３ ߂߀", "ＫＥＲＮＥＬ ｍｅｔｈｏｄｓ",
             "深度学习Survey深度",
             *mixed_texts(3000, seed=20261129)]
    texts = [t for t in texts if not any(unicodedata.category(c) in ("Cs", "Cn") for c in t)]
    assert js_tokens(browser, texts) == py_tokens(texts)


# --- search on a page whose titles are written typographically -------------------------

TITLES = {
    "curly": "Reasoning Models Don\u2019t Always Say What They Think",
    "ascii": "It's an Alignment, Not a Trade-off",
    "mup": "The Lazy and Rich (\u03bcP) Regimes",
    "eps": "Beyond \u03b5\u2011Greedy Exploration",
    "shy": "Gro\u00adkking at the Edge of Stability",
    "dash": "Pre\u2013training Is Not All You Need",
}


@pytest.fixture(scope="module")
def typographic_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Paper]]:
    papers = [Paper(title=title, year=2024, section="others", key=f"paper-{key}",
                    authors=["Ann Lee"])
              for key, title in TITLES.items()]
    path = tmp_path_factory.mktemp("typographic") / "index.html"
    path.write_text(html_export.render(papers, sample_settings()), encoding="utf-8")
    return path, papers


@pytest.mark.parametrize(("query", "key", "marked"), [
    ("don't always", "curly", "Don\u2019t"),
    # "its" is a function word, marked only in a query of function words alone.
    ("it\u2019s", "ascii", "It's"),
    ("muP", "mup", "\u03bcP"),
    ("epsilon-greedy", "eps", "\u03b5"),
    ("grokking", "shy", "Gro\u00adkking"),
    ("pre-training", "dash", "Pre"),
])
def test_page_search_finds_typographic_titles(browser: chromium.Browser, typographic_page,
                                              query: str, key: str, marked: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.test_html_browser import type_query, visible

    path, papers = typographic_page
    browser.open(path)
    type_query(browser, query)
    expected = {hit.paper.key for hit in search(papers, query)}
    key = f"paper-{key}"  # no key is a query: the page looks a key up as such
    assert key in expected
    assert set(visible(browser)) == expected
    WebDriverWait(browser.driver, 5).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.paper:not([hidden]) mark').length > 0"))
    marks = browser.js(f"""return Array.from(document.querySelectorAll(
        '.paper[data-key="{key}"] mark')).map(m => m.textContent)""")
    assert marked in marks


def test_key_words_in_other_scripts_filter_apart(browser: chromium.Browser,
                                                 tmp_path: Path) -> None:
    """"深度学习" and "强化学习" fold to nothing alike; the page's buttons keep them apart."""
    from selenium.webdriver.common.by import By

    from tests.test_html_browser import visible

    words = ["\u6df1\u5ea6\u5b66\u4e60", "\u5f3a\u5316\u5b66\u4e60", "Grokking"]
    papers = [Paper(title=f"Paper {i}", year=2024, section="others", key=f"paper-{i}",
                    keywords=[word]) for i, word in enumerate(words)]
    path = tmp_path / "index.html"
    path.write_text(html_export.render(papers, sample_settings()), encoding="utf-8")
    for i, word in enumerate(words):
        browser.open(path)
        button = browser.driver.find_element(By.CSS_SELECTOR,
                                             f'.paper[data-key="paper-{i}"] .k button')
        assert button.text == word
        button.click()
        assert visible(browser) == [f"paper-{i}"]
    browser.open(path, f"keyword={words[1]}")
    assert visible(browser) == ["paper-1"]


# Characters beyond the BMP are two UTF-16 units in JavaScript and one code point in Python;
# typo matching, prefixes and compounds count code points on both sides.
ASTRAL_TITLES = {
    "pair": "\U00020000\U00020001 study",
    "long": "\U00020000\U00020001\U00020002\U00020003",
    "mixed": "Grokking \U0001d4b3 signals",
}


@pytest.mark.parametrize("query", [
    "\U00020000\U00020002", "\U00020001\U00020000", "\U00020000\U00020001",
    "\U00020000\U00020001\U00020002\U00020004", "\U00020002\U00020003",
    "grokking", "grokkinq",
])
def test_page_search_counts_code_points_as_python(browser: chromium.Browser, tmp_path: Path,
                                                   query: str) -> None:
    from urllib.parse import quote

    from tests.test_html_browser import visible

    papers = [Paper(title=title, year=2024, section="others", key=f"paper-{key}")
              for key, title in ASTRAL_TITLES.items()]
    path = tmp_path / "index.html"
    path.write_text(html_export.render(papers, sample_settings()), encoding="utf-8")
    browser.open(path, f"q={quote(query)}")
    assert set(visible(browser)) == {hit.paper.key for hit in search(papers, query)}

"""``export --format html``: structure, escaping, the Content-Security-Policy, the CLI.

Everything here runs without a browser: the page is parsed with the standard library's
HTML parser. tests/test_html_browser.py runs the same page in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.export import FORMATS, exporter, page_order
from deepphen.export.html import http_url, json_for_script, render
from deepphen.layout import Layout
from deepphen.models import Link, Paper, Section, Settings
from tests.helpers import make_catalog, sample_papers, sample_settings

# Every tag the page may hold; catalog text must never add one.
ALLOWED_TAGS = {"html", "head", "meta", "link", "title", "style", "body", "a", "header", "h1",
                "h2", "h3", "div", "p", "code", "em", "strong", "nav", "ul", "ol", "li", "span",
                "form", "label", "kbd", "input", "small", "select", "option", "button", "main",
                "section", "details", "summary", "footer", "script", "bdi"}


class Page(HTMLParser):
    """The parts of a rendered page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.titles: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("script", "style") or "t" in (attributes.get("class") or "").split():
            self._in, self._text = tag if tag in ("script", "style") else "title", []
            self._attrs = attributes

    def handle_endtag(self, tag: str) -> None:
        if self._in == "script" and tag == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif self._in == "style" and tag == "style":
            self.styles.append("".join(self._text))
        elif self._in == "title" and tag in ("a", "span"):
            self.titles.append("".join(self._text))
        else:
            return
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def having(self, **wanted: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if all(a.get(k) == v for k, v in wanted.items())]

    def data(self) -> dict:
        [(_, text)] = [s for s in self.scripts if s[0].get("type") == "application/json"]
        return json.loads(text)


def papers_with_keys() -> list[Paper]:
    papers = sample_papers()
    for i, paper in enumerate(papers):
        paper.key = paper.key or f"paper-{i}"
    return papers


def test_registered_format() -> None:
    assert "html" in FORMATS
    assert exporter("html") is render


def test_structure_others_rely_on() -> None:
    papers = papers_with_keys()
    page = Page(render(papers, sample_settings()))
    keys = [a["data-key"] for t, a in page.tags if "paper" in (a.get("class") or "").split()]
    assert keys == [p.key for p in page_order(papers, sample_settings())]
    assert [a for t, a in page.tags if t == "input" and a.get("type") == "search"] == [
        page.having(type="search")[0]]
    assert len(page.having(id="count")) == 1
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert {t for t, _ in page.tags} <= ALLOWED_TAGS
    # Every control has a label.
    labelled = {a["for"] for t, a in page.tags if t == "label"}
    controls = [a["id"] for t, a in page.tags if t in ("input", "select")]
    assert set(controls) <= labelled
    assert len(page.data()["papers"]) == len(papers)


def test_the_page_reads_queries_with_search_own_rules() -> None:
    """The page's search weighs function words and reads long queries as deepphen search
    does, from its constants embedded at export rather than a second copy in search.js."""
    from deepphen import search, search_query

    page = Page(render(papers_with_keys(), sample_settings()))
    rules = page.data()["search"]
    assert set(rules["light"]) == search_query.LIGHT_WORDS
    assert (rules["function"], rules["max_words"], rules["max_query"]) == (
        search.FUNCTION, search_query.MAX_WORDS, search_query.MAX_QUERY)
    assert rules["weights"] == dict(zip(search.FIELDS, search.WEIGHTS, strict=True))
    # A query the page would cut short is one deepphen search refuses.
    assert page.having(type="search")[0]["maxlength"] == str(search_query.MAX_QUERY)


def test_the_page_ranks_with_search_own_constants() -> None:
    """The page ranks a query's papers with deepphen.search's score, whose parts come from
    the data (page_constants), never from numbers written again in the script."""
    from deepphen import acronyms, search, search_fields
    from deepphen.export.html import page_script

    rules = Page(render(papers_with_keys(), sample_settings())).data()["search"]
    assert (rules["mix"], rules["broad"], rules["near_exact"], rules["title_head"],
            rules["max_spelt"], rules["max_letters"]) == (
        list(search.MIX), search.BROAD, search.NEAR_EXACT, search.TITLE_HEAD,
        search.MAX_SPELT, acronyms.MAX_LETTERS)
    assert rules["head_end"] == search_fields.HEAD_END.pattern
    code = re.sub(r"//.*", "", page_script())  # comments may name a figure
    for value in (*search.MIX, search.NEAR_EXACT, search.TITLE_HEAD):
        assert not re.search(rf"(?<![\d.]){re.escape(str(value))}(?!\d)", code), value


def test_content_security_policy_allows_exactly_the_inline_style_and_script() -> None:
    text = render(papers_with_keys(), sample_settings())
    page = Page(text)
    [csp] = [a["content"] for a in page.having(**{"http-equiv": "Content-Security-Policy"})]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"

    def allowed(source: str) -> str:
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        return f"'sha256-{digest}'"

    [style] = page.styles
    [code] = [s for a, s in page.scripts if "type" not in a]
    assert directives["style-src"] == allowed(style)
    assert directives["script-src"] == allowed(code)
    assert "unsafe" not in csp
    # The policy comes before anything it governs.
    assert text.index("Content-Security-Policy") < text.index("<style>")
    # The page asks for nothing: no src, no external stylesheet, an empty icon.
    assert not [a for _, a in page.tags if "src" in a]
    assert [a["href"] for t, a in page.tags if t == "link"] == ["data:,"]



def test_right_to_left_names_are_isolated_one_by_one() -> None:
    """A right-to-left name would carry the next name, the venue and the year into its run:
    each name of such a paper is a <bdi>. Left-to-right names cannot, and stay plain text."""
    section = sample_settings().sections[0].slug
    papers = [Paper(title="T", year=2020, section=section, key="rtl",
                    authors=["Alice <b>", "\u05d0\u05d1\u05d9 \u05db\u05d4\u05df"]),
              Paper(title="U", year=2021, section=section, key="ltr", authors=["Bob", "Carol"])]
    text = render(papers, sample_settings())
    assert ('<span class="a"><bdi>Alice &lt;b&gt;</bdi>, '
            '<bdi>\u05d0\u05d1\u05d9 \u05db\u05d4\u05df</bdi></span>') in text
    assert '<span class="a">Bob, Carol</span>' in text

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"><svg onload=alert(3)>",
    "<!-- </SCRIPT >",
    "&lt;b&gt; & \u2028 \x1b[31m",
]


def hostile_catalog() -> tuple[list[Paper], Settings]:
    settings = Settings(title=HOSTILE[0], intro=HOSTILE[1] + " [x](javascript:alert(1))",
                        sections=[Section(HOSTILE[2], "s", toc_label=HOSTILE[3])],
                        closing="# " + HOSTILE[4])
    papers = [Paper(title=text, year=2020, section="s", key=f"k{i}", authors=[text],
                    venue=text, keywords=[text], digest=text,
                    links=[Link("paper", "javascript:alert(1)"), Link(text, "data:text/html,x")])
              for i, text in enumerate(HOSTILE)]
    return papers, settings


def assert_inert(text: str) -> Page:
    page = Page(text)
    assert {t for t, _ in page.tags} <= ALLOWED_TAGS
    assert len(page.scripts) == 2
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href")
        assert href is None or href.startswith(("http://", "https://", "#", "data:,"))
    page.data()  # the data block parses whole: nothing in it closed the element early
    assert "\x1b" not in text
    return page


def test_hostile_texts_are_escaped() -> None:
    papers, settings = hostile_catalog()
    page = assert_inert(render(papers, settings))
    assert sorted(page.titles) == sorted(t.replace("\x1b", "\ufffd") for t in HOSTILE)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4), st.text(max_size=40))
def test_any_text_stays_text(texts: list[str], url: str) -> None:
    papers = [Paper(title=t, year=2021, section="s", key=f"k{i}", authors=[t, url],
                    venue=t, keywords=[t], digest=t, links=[Link("paper", url), Link(t, url)])
              for i, t in enumerate(texts)]
    settings_ = Settings(title=texts[0], intro=url, sections=[Section(texts[-1], "s")])
    page = assert_inert(render(papers, settings_))
    assert len(page.titles) == len(texts)


@pytest.mark.parametrize(("url", "linked"), [
    ("https://arxiv.org/abs/2201.02177", True),
    ("http://example.org/a?b=1&c=2", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("data:text/html,x", False),
    ("vbscript:x", False),
    ("//evil.example/x", False),
    ("../README.md", False),
    ("https://", False),
    ("https://exa mple.org", False),
    ("https://example.org/\x00", False),
    ("", False),
])
def test_only_http_urls_become_links(url: str, linked: bool) -> None:
    assert (http_url(url) is not None) == linked
    paper = Paper(title="T", year=2020, section="s", key="k", links=[Link("paper", url)])
    page = Page(render([paper], Settings(title="L", sections=[Section("S", "s")])))
    hrefs = [a.get("href") for t, a in page.tags if t == "a" and "t" in (a.get("class") or "")]
    assert hrefs == ([url.strip()] if linked else [])


def test_embedded_json_cannot_end_its_element() -> None:
    text = json_for_script({"t": "</script><!-- <script> & \u2028"})
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == {"t": "</script><!-- <script> & \u2028"}


def test_intro_markdown_is_safe_and_links_only_http() -> None:
    settings_ = sample_settings(
        intro="See [the list](https://example.org) and [a file](../x.md) ![b](https://i/x.png)"
              " `code <b>` and *em*.")
    text = render(papers_with_keys(), settings_)
    assert '<a href="https://example.org">the list</a>' in text
    assert "a file" in text and "../x.md" not in text
    assert "i/x.png" not in text
    assert "<code>code &lt;b&gt;</code>" in text and "<em>em</em>" in text


def test_intro_links_keep_balanced_parentheses() -> None:
    """A Wikipedia link, Grokking_(machine_learning), was cut at its first ')' with the rest
    left on the page as text, as was a refused javascript:f(x) link."""
    settings_ = sample_settings(
        intro="See [grok](https://en.wikipedia.org/wiki/Grokking_(machine_learning)) first;"
              " [click](javascript:alert(1)) here.")
    text = render(papers_with_keys(), settings_)
    assert ('<a href="https://en.wikipedia.org/wiki/Grokking_(machine_learning)">grok</a>'
            " first;") in text
    assert " click here." in text and "alert" not in text


def test_render_is_deterministic_and_subset_pages_work() -> None:
    papers = papers_with_keys()
    assert render(papers, sample_settings()) == render(papers_with_keys(), sample_settings())
    page = Page(render(papers[:1], sample_settings()))
    assert [a["data-key"] for _, a in page.tags if a.get("class") == "paper"] == [papers[0].key]
    assert page.data()["sections"] == [[papers[0].section, "Emergence and Phase Transitions"]]


def test_empty_page_is_valid_and_says_so() -> None:
    text = render([], sample_settings())
    page = assert_inert(text)
    assert page.data()["papers"] == []
    assert "No papers" in text
    assert re.search(r'<p id="empty">', text)  # shown, not hidden
    assert '<p id="count" role="status" aria-live="polite">0 papers</p>' in text


# --- the command ---------------------------------------------------------------------------

def page_keys(path: Path) -> list[str]:
    page = Page(path.read_text(encoding="utf-8"))
    return [a["data-key"] for _, a in page.tags if a.get("class") == "paper"]


def test_cli_writes_the_page(catalog_dir: Path, run_cli, tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    result = run_cli("export", "--format", "html", "-o", target)
    assert result.stdout == ""
    keys = page_keys(target)
    assert len(keys) == len(sample_papers())
    stdout = run_cli("export", "--format", "html").stdout
    assert stdout == target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [
    ["--section", "Empirical Study"], ["--keyword", "Grokking"], ["--since", "2023"],
    ["grokking"],
])
def test_cli_filters_give_a_subset_page(args: list[str], catalog_dir: Path, run_cli,
                                        tmp_path: Path) -> None:
    target = tmp_path / "subset.html"
    run_cli("export", "--format", "html", "-o", target, *args)
    expected = run_cli("export", "--format", "json", *args).stdout
    assert page_keys(target) == [p["key"] for p in json.loads(expected)["papers"]]
    assert 0 < len(page_keys(target)) < len(sample_papers())


def test_cli_filter_matching_nothing_exits_1_with_a_page(catalog_dir: Path, run_cli,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "none.html"
    result = run_cli("export", "--format", "html", "--keyword", "Grokking", "--since", "2025",
                     "-o", target, exit_code=1)
    assert "no paper matches" in result.stderr
    assert page_keys(target) == []
    assert "No papers" in target.read_text(encoding="utf-8")


def test_cli_empty_catalog_exits_1_with_a_page(tmp_path: Path, run_cli) -> None:
    root = make_catalog(tmp_path / "empty", papers=[])
    target = tmp_path / "index.html"
    result = run_cli("export", "--format", "html", "--catalog", root, "-o", target, exit_code=1)
    assert result.stderr.count("\n") == 1 and "no papers" in result.stderr
    assert_inert(target.read_text(encoding="utf-8"))


def test_cli_missing_folder_is_a_usage_error(catalog_dir: Path, run_cli, tmp_path: Path) -> None:
    target = tmp_path / "site" / "deeper" / "index.html"
    result = run_cli("export", "--format", "html", "-o", target, exit_code=2)
    assert result.stderr.count("\n") == 1
    assert "does not exist" in result.stderr and str(target) in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("place", ["proc", "read-only"])
def test_cli_unwritable_place_is_a_usage_error(place: str, catalog_dir: Path, run_cli,
                                               tmp_path: Path) -> None:
    if place == "proc":
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc here")
        folder = Path("/proc")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
    try:
        result = run_cli("export", "--format", "html", "-o", folder / "index.html", exit_code=2)
    finally:
        if place != "proc":
            folder.chmod(0o700)
    assert result.stderr.count("\n") == 1 and "cannot write" in result.stderr
    assert not (folder / "index.html").exists()
    if place != "proc":
        assert list(folder.iterdir()) == []


def test_year_groups_follow_the_layout() -> None:
    papers = papers_with_keys()
    floor = sample_settings()
    floor.layout = Layout(year_floor=2020)
    text = render(papers, floor)
    assert "Others: 2020 and Before" in text and "Others: 2018" not in text
    flat = sample_settings()
    flat.layout = Layout(year_groups="none")
    page = Page(render(papers, flat))
    assert not [t for t, _ in page.tags if t == "h3"]
    assert len([a for t, a in page.tags if a.get("class") == "paper"]) == len(papers)


def test_the_newest_first_rank_counts_the_year_of_papers_without_an_id() -> None:
    """The page's rank (newest first) put every paper without an arXiv id or a date last."""
    papers = [Paper(title=f"Spline Theory {year}", year=year, section="others",
                    authors=["A B"], arxiv=arxiv, key=f"spline-{year}")
              for year, arxiv in [(2018, "1802.00001"), (2024, None), (2015, None)]]
    rows = Page(render(papers, sample_settings())).data()["papers"]
    assert [row[-1] for row in rows] == [0, 1, 2]  # the page lists them newest first too

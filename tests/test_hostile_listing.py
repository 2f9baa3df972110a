"""Red-team tests of ``deepphen discover`` against odd and hostile listings: numbers of
thousands of digits, servers that do not page as asked, totals that lie or are missing, and
what triage writes or shows from a feed. (Hostile text in the outputs, compression bombs and
a hostile dismissal file are in test_hostile_discover.py.)"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen import discover as core
from deepphen.dialect import fold_lines
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.helpers import one_line_error
from tests.test_page_markup import MD, TEXT, shape, twin_text

TODAY = dt.date(2025, 5, 22)
WINDOW = ("--since", "2025-05-15", "--until", "2025-05-20", "--category", "cs.LG")
FEED_HEAD = ('<feed xmlns="http://www.w3.org/2005/Atom" '
             'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">')


@pytest.fixture
def fake(fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """No real waiting between requests (tests/arxiv_server.py); today is TODAY."""
    monkeypatch.setattr(core, "utc_today", lambda: TODAY)
    return fake_clock


def _entry(ident: str, title: str = "Neural collapse, again") -> str:
    stamp = "2025-05-18T12:00:00Z"
    return (f"<entry><id>http://arxiv.org/abs/{ident}v1</id><title>{title}</title>"
            f"<summary>neural collapse grokking</summary><author><name>A B</name></author>"
            f'<category term="cs.LG"/><published>{stamp}</published>'
            f"<updated>{stamp}</updated></entry>")


def _feed(*entries: str, total: str | None = None) -> bytes:
    count = str(len(entries)) if total is None else total
    return (f"{FEED_HEAD}<opensearch:totalResults>{count}</opensearch:totalResults>"
            f"{''.join(entries)}</feed>").encode()


# --- numbers of thousands of digits -------------------------------------------------------

# Python refuses to read an int of more than 4300 digits (a ValueError, not a number).
HUGE = "9" * 5000


def test_a_since_of_thousands_of_digits_is_one_line(catalog_dir: Path, run_cli) -> None:
    """``--since 999...9d`` (5,000 nines) ended in a ValueError traceback, not in the "too
    many days" line that 30 nines get."""
    result = run_cli("discover", "--since", f"{HUGE}d", exit_code=None)
    one_line_error(result, "--since", "too many days")
    assert len(result.stderr) < 1000  # the value is not echoed whole


def test_a_total_of_thousands_of_digits_is_no_total(catalog_dir: Path, arxiv: ArxivServer,
                                                    fake: FakeTime, run_cli) -> None:
    """An ``opensearch:totalResults`` of 5,000 digits raised ValueError from int(): a
    traceback in discover (and in every command that reads a search feed)."""
    from deepphen.atom import parse_page

    body = _feed(_entry("2505.30001"), total=HUGE)
    assert parse_page(body)[1] is None
    arxiv.fail(Fault("body", body=body))
    result = run_cli("discover", *WINDOW, "--format", "json")
    assert [r["arxiv"] for r in json.loads(result.stdout)] == ["2505.30001"]


# --- servers that page otherwise ----------------------------------------------------------

def _listing(arxiv: ArxivServer, papers: int) -> None:
    """``papers`` invented cs.LG papers in WINDOW, on the list's topics."""
    from tests.arxiv_query import CorpusEntry

    noon = dt.datetime(2025, 5, 18, 12)
    arxiv.corpus = [CorpusEntry(f"2505.3{n:04d}", f"Neural collapse study {n}", ["A B"],
                                "neural collapse grokking", ["cs.LG"],
                                noon - dt.timedelta(minutes=n)) for n in range(papers)]


def test_a_server_that_ignores_start_does_not_look_complete(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that serves the first page whatever ``start`` says: the second page repeats
    the first, and paging stops. Its repeats were counted as results received, so 15 of 25
    papers "reached" the total of 25: ranked as the whole listing, exit 0, no word of the 10
    never fetched. Repeats of a page of nothing new are no progress: the fetch is
    incomplete (exit 2, or ranked with --partial and said so)."""
    from deepphen import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 15)
    _listing(arxiv, 25)
    real = arxiv.search_feed
    arxiv.search_feed = lambda params: real({**params, "start": "0"})  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "--format", "json", exit_code=2)
    assert "incomplete fetch" in result.stderr and result.stdout == ""
    partial = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100", "--partial")
    assert len(json.loads(partial.stdout)) == 15
    assert "incomplete fetch: fetched 15 of 25 papers" in partial.stderr


@pytest.mark.parametrize("total", ["none", "small"])
def test_a_listing_cut_at_the_cap_without_a_true_total_is_incomplete(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli, total: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that announces no ``totalResults`` (or one smaller than what it sends): the
    window could not be split, and paging stopped at arXiv's cap a query with pages still
    full. The newest 30 of 45 papers were ranked as the whole listing (exit 0, no word of
    the oldest 15). A listing that fills the cap with full pages, and whose total does not
    say it ended there, is cut short."""
    import re

    from deepphen import listing

    monkeypatch.setattr(listing, "MAX_CANDIDATES", 30)
    monkeypatch.setattr(listing, "PAGE_SIZE", 10)
    _listing(arxiv, 45)
    real = arxiv.search_feed
    said = "" if total == "none" else "<opensearch:totalResults>3</opensearch:totalResults>"

    def lying(params: dict[str, str]) -> bytes:
        return re.sub(rb"<opensearch:totalResults>\d+</opensearch:totalResults>",
                      said.encode(), real(params))

    arxiv.search_feed = lying  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "--format", "json", exit_code=2)
    assert "incomplete fetch" in result.stderr and "--partial" in result.stderr
    assert "shorter window" in result.stderr
    partial = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100", "--partial")
    assert len(json.loads(partial.stdout)) == 30 and "incomplete fetch" in partial.stderr


# --- triage of a feed's megabytes ---------------------------------------------------------

def test_triage_shows_an_abstract_of_megabytes_shortened(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`o` printed the whole abstract: 4.8 MB on the terminal for one key (arXiv's own
    abstracts are at most 1,920 characters; a feed may hold 8 MiB)."""
    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.30001", "Neural collapse, again", ["A B"],
                                "neural collapse " * 300_000, ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", input="o\ns\n")
    assert "neural collapse neural collapse" in result.stdout
    assert len(result.stdout) < 6000 and "…" in result.stdout


def test_a_dismissed_title_of_megabytes_is_written_shortened(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`d` wrote the feed's title whole into dismissed.toml, a committed file: 900 KB for
    one dismissal. The title there is a reminder for people; the id is what counts."""
    import tomllib

    from tests.arxiv_query import CorpusEntry

    title = "Neural collapse " + "grokking " * 100_000
    arxiv.corpus = [CorpusEntry("2505.30001", title, ["A B"], "neural collapse", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    run_cli("discover", *WINDOW, "--interactive", input="d\n")
    path = catalog_dir / "dismissed.toml"
    [entry] = tomllib.loads(path.read_text(encoding="utf-8"))["dismissed"]
    assert entry["arxiv"] == "2505.30001" and entry["title"].startswith("Neural collapse grok")
    assert path.stat().st_size < 1000 and entry["title"].endswith("…")
    run_cli("lint", "--catalog", catalog_dir)


def test_papers_of_ten_thousand_authors_come_in_smaller_pages(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli) -> None:
    """Twenty papers of 10,000 authors each are a feed over the 8 MiB cap: the whole run
    failed ("arXiv response larger than 8192 KiB"), nothing ranked. A page too large is
    asked again with fewer papers; one paper over the cap still fails, in one line."""
    from tests.arxiv_query import CorpusEntry

    names = [f"Author{k} Collaboration Member{k}" for k in range(10_000)]
    arxiv.corpus = [CorpusEntry(f"2505.3{n:04d}", f"Neural collapse at scale {n}", names,
                                "neural collapse grokking", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12) - dt.timedelta(minutes=n))
                    for n in range(20)]
    result = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100")
    records = json.loads(result.stdout)
    assert len(records) == 20 and all(r["authors"] == names for r in records)
    asked = [r.params["max_results"] for r in arxiv.requests if "search_query" in r.params]
    assert asked[:2] == ["1000", "200"]
    arxiv.corpus = arxiv.corpus[:1]
    arxiv.corpus[0].authors = names * 30  # one paper of 300,000 authors: 13 MB
    one_line_error(run_cli("discover", *WINDOW, exit_code=None), "larger than")


def test_an_abstract_of_megabytes_is_read_as_far_as_any_abstract_goes(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Six abstracts of 1.2 MB of distinct words (one 8 MiB page) took 10 s to rank, and
    the 30 pages of a window as many minutes and gigabytes: every word of every abstract
    was looked up as a key word. No abstract shows or ranks past MAX_SUMMARY characters
    (arXiv's own stop at 1,920); what discover needs of it comes first."""
    from deepphen import fit
    from deepphen.atom import MAX_SUMMARY, parse_page
    from tests.arxiv_query import CorpusEntry

    words = " ".join(f"w{n}" for n in range(150_000))
    arxiv.corpus = [CorpusEntry(f"2505.3{n:04d}", f"Neural collapse {n}", ["A B"],
                                f"neural collapse {words}", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12)) for n in range(6)]
    [entry], _ = parse_page(_feed(_entry("2505.30001").replace(
        "<summary>neural collapse grokking</summary>", f"<summary>{words}</summary>")))
    assert len(entry.summary) <= MAX_SUMMARY and entry.summary.startswith("w0 w1 w2 ")
    read: list[int] = []
    real = fit.FitModel._entry_features

    def counted(self: fit.FitModel, candidate: object) -> set[str]:
        read.append(len(candidate.summary))  # type: ignore[attr-defined]
        return real(self, candidate)  # type: ignore[arg-type]

    monkeypatch.setattr(fit.FitModel, "_entry_features", counted)
    result = run_cli("discover", *WINDOW, "--format", "json")
    assert len(json.loads(result.stdout)) == 6 and read and max(read) <= MAX_SUMMARY


def test_triage_names_the_command_that_adds_a_look_alike_anyway(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A candidate whose title is near a catalog paper's is refused as a duplicate; the
    walk said "pass --force to add it anyway", an option the walk does not have."""
    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.30002", "Grokking: Generalization Beyond Overfitting on "
                                "Small Algorithmic Data", ["A B"], "grokking", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", input="a\n\n\n")
    assert "a near-identical title" in result.stderr and "pass --force" not in result.stderr
    assert "deepphen add 2505.30002 --force" in result.stderr
    assert "added 0, dismissed 0, skipped 1" in result.stderr


# --- the checklist, parsed as GitHub parses an issue ---------------------------------------

class _Result:
    """What render_md reads of a discover run."""

    def __init__(self, fits: list, heading: str, warnings: list[str]) -> None:
        from deepphen.window import Window

        self.window = Window(dt.date(2025, 5, 15), dt.date(2025, 5, 20))
        self.categories = ["cs.LG"]
        self.category_source = "catalog.toml"
        self.fits = fits
        self.warnings = warnings
        self._heading = heading

    def headings(self) -> dict[str, str]:
        return {"empirical-study": self._heading}


def _fit(title: str, authors: list[str], keywords: list[str]) -> object:
    from types import SimpleNamespace

    from deepphen.arxiv import ArxivEntry

    entry = ArxivEntry("2505.30001", 1, title, authors, dt.date(2025, 5, 18))
    return SimpleNamespace(entry=entry, score=0.5, suggested_sections=[("empirical-study", 1.0)],
                           suggested_keywords=keywords)


def _checklist(title: str, authors: list[str], keywords: list[str], heading: str,
               warning: str) -> str:
    return core.render_md(_Result([_fit(title, authors, keywords)], heading, [warning]), 10)


_GITHUB_LINKING = re.compile(r"(?<![\w\u200b])@\w|#\d|(?i:\bgh-)\d")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.lists(TEXT, max_size=4), st.lists(TEXT, max_size=3), TEXT, TEXT)
def test_feed_text_adds_no_markup_to_the_checklist(title: str, authors: list[str],
                                                   keywords: list[str], heading: str,
                                                   warning: str) -> None:
    """The checklist pasted into an issue, parsed as markdown: arXiv's title and authors,
    the catalog's section and key words and a warning's text add no element, link, list,
    quote or HTML to it (its token tree is that of plain words), its one link is the
    paper's, and none of it mentions anyone or references an issue."""
    from deepphen.printable import strip_controls

    title = " ".join(strip_controls(title).split())  # as deepphen.atom reads a feed's
    page = _checklist(title, authors, keywords, heading, warning)
    twin = _checklist(twin_text(title), [twin_text(a) for a in authors],
                      [twin_text(k) for k in keywords], twin_text(heading),
                      twin_text(warning) if fold_lines(warning).strip() else "")
    assert shape(page) == shape(twin), page
    for token in MD.parse(page):
        for child in token.children or []:
            if child.type == "link_open":
                assert child.attrs["href"] == "https://arxiv.org/abs/2505.30001", page
            if child.type in ("text", "text_special"):
                assert not _GITHUB_LINKING.search(child.content), child.content


# What GitHub links or notifies in an issue's text, beyond markdown: mixed into any text.
_GITHUB_TEXT = st.lists(st.one_of(st.sampled_from([
    "@octocat", "@org/team", "@everyone", "x@y.org", "#12", "GH-7", "gh-7", "o/r#3",
    "o/r@abc1234", "\\@a", "\\#1", "@\u200bb", "(@c)", "_@d_", "*@e*", "`@f`", "[@g](h)",
    "&#64;i", "- [ ] ", "\n- [ ] x", "<!--", "<details>", "|", "$x$"]), TEXT),
    max_size=6).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_GITHUB_TEXT, st.lists(_GITHUB_TEXT, max_size=3), st.lists(_GITHUB_TEXT, max_size=2),
       _GITHUB_TEXT)
def test_any_title_is_one_checklist_item_that_mentions_no_one(
        title: str, authors: list[str], keywords: list[str], heading: str) -> None:
    """Whatever arXiv's title and authors and the catalog's key words and section hold, the
    checklist has exactly one task item, no HTML, and its text as shown (escapes read, each
    paragraph whole) neither mentions anyone nor references an issue."""
    from deepphen.printable import strip_controls

    title = " ".join(strip_controls(title).split())  # as deepphen.atom reads a feed's
    page = _checklist(title, authors, keywords, heading, "")
    assert sum(line.startswith("- [ ] ") for line in page.splitlines()) == 1, page
    tokens = MD.parse(page)
    assert [t.type for t in tokens].count("list_item_open") == 1, page
    for token in tokens:
        assert token.type != "html_block", page
        children = token.children or []
        assert not any(c.type == "html_inline" for c in children), page
        shown = "".join(c.content for c in children if c.type in ("text", "text_special"))
        assert not _GITHUB_LINKING.search(shown), shown


# --- what the catalog tells discover --------------------------------------------------------

@pytest.mark.parametrize("value", ['"cs.LG"', '["cs.LG", 5]', "{ a = 1 }"])
def test_a_mistyped_categories_setting_names_its_own_line(catalog_dir: Path, run_cli,
                                                          value: str) -> None:
    """``categories = "cs.LG"`` (not a list) was reported at the ``[discover]`` header's line,
    while an unknown category is reported at the ``categories`` line itself."""
    from deepphen.catalog import SETTINGS_FILE

    path = catalog_dir / SETTINGS_FILE
    text = path.read_text(encoding="utf-8") + f"\n[discover]\n\ncategories = {value}\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    result = run_cli("discover", exit_code=None)
    one_line_error(result, f"{SETTINGS_FILE}:{line}:", "categories")


def test_nothing_new_says_why_each_paper_was_left_out(catalog_dir: Path, arxiv: ArxivServer,
                                                      fake: FakeTime, run_cli) -> None:
    """A listing of untitled papers and papers dated outside the window said "2 fetched,
    none new in the window", as if both were in the catalog; it says why, as the summary
    line of a run with candidates does."""
    undated = _entry("2505.30002").replace("2025-05-18T12", "2025-05-01T12")
    arxiv.fail(Fault("body", body=_feed(_entry("2505.30001", title="  "), undated)))
    result = run_cli("discover", *WINDOW, exit_code=1)
    assert "(2 fetched; left out 1 outside the window, 1 without a title)" in result.stderr


@pytest.mark.parametrize("how", ["triage", "add"])
def test_a_key_word_typed_with_control_characters_is_written_without_them(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli, how: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A key word pasted at the walk's prompt (or given to add -k) with an escape sequence
    or a bidi override went into the paper file as typed, which lint then refused (DP413):
    the walk wrote a catalog that fails its own check. (At a prompt, a control character
    is a key the prompt cannot edit with: the answer is asked again, tests/test_triage.py.)"""
    import tomllib

    from tests.discover_corpus import make_corpus

    arxiv.corpus = make_corpus(dt.date(2025, 5, 20), noise=5)
    typed = "Sparse\x1b[31m Nets\u202e\u2028Pruned"
    if how == "triage":
        monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
        again = typed.replace("\x1b", "")
        run_cli("discover", *WINDOW, "--interactive", "--limit", "1",
                input=f"a\n\n{typed}\n{again}\n")
    else:
        run_cli("add", "2505.10004", "-s", "others", "-k", typed)
    [path] = catalog_dir.rglob("2505.1*.toml")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["keywords"] == [
        "Sparse[31m Nets Pruned"]
    run_cli("lint")


def test_a_journal_ref_or_doi_of_megabytes_stays_out_of_the_paper_file(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`a` wrote a feed's 100 KB journal_ref whole as the paper's venue (and a DOI of
    kilobytes as its DOI): a paper file of 100 KB, and a venue of pages on the list's page,
    which lint passed. A journal_ref is read as far as a venue goes; a DOI no DOI is that
    long is no DOI."""
    import tomllib

    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.30001", "Neural collapse, again", ["A B"],
                                "neural collapse", ["cs.LG"], dt.datetime(2025, 5, 18, 12),
                                journal_ref="Proc. " + "Workshop " * 20_000)]
    real = arxiv.search_feed
    doi = b"<arxiv:doi>10.1234/" + b"y" * 5000 + b"</arxiv:doi>"
    arxiv.search_feed = lambda params: real(params).replace(  # type: ignore[method-assign]
        b"</summary>", b"</summary>" + doi)
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    run_cli("discover", *WINDOW, "--interactive", input="a\n\nX\n")
    [path] = catalog_dir.rglob("2505.30001.toml")
    paper = tomllib.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 3000 and paper["venue"].startswith("Proc. Workshop")
    assert "doi" not in paper


@pytest.mark.parametrize("how", ["triage", "add"])
def test_a_paper_is_not_added_under_a_key_another_section_holds(
        tmp_path: Path, arxiv: ArxivServer, fake: FakeTime, run_cli, how: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-written paper in others/ whose file is named 2505.30001.toml (its key) but
    holds another paper: adding arXiv's 2505.30001 to another section wrote a second file
    of that key beside it (only a clash in the same folder was refused), and the catalog
    held two papers under one key. It is refused, naming the file; the walk goes on."""
    from deepphen.models import Paper
    from tests.arxiv_query import CorpusEntry
    from tests.helpers import make_catalog, sample_papers

    other = Paper(title="Something else entirely", year=2020, section="others",
                  authors=["Z Y"], keywords=["Grokking"], key="2505.30001")
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), other])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    arxiv.corpus = [CorpusEntry("2505.30001", "Neural collapse, again", ["A B"],
                                "neural collapse", ["cs.LG"], dt.datetime(2025, 5, 18, 12))]
    if how == "triage":
        monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
        result = run_cli("discover", *WINDOW, "--interactive", input="a\n\nX\ns\n")
        assert "added 0, dismissed 0, skipped 1" in result.stderr
    else:
        result = run_cli("add", "2505.30001", "-s", "neural-collapse", "-k", "X",
                         exit_code=2)
    assert "others/2505.30001.toml" in result.stderr and "another paper" in result.stderr
    assert [p.relative_to(root).as_posix() for p in root.rglob("2505.30001.toml")] == [
        "others/2505.30001.toml"]


@pytest.mark.parametrize("field", ["title", "author"])
def test_add_refuses_a_title_or_author_of_kilobytes(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli, field: str) -> None:
    """`add` wrote a feed's 300 KB title (or a 100 KB author name) into the paper file,
    and lint passed it: a page of one entry screens long. No arXiv title or name is that
    long, so it is refused in one line, naming the paper, and nothing is written."""
    from tests.arxiv_query import CorpusEntry

    title = "Neural collapse " * (20_000 if field == "title" else 1)
    author = "A " + "B" * (100_000 if field == "author" else 1)
    arxiv.corpus = [CorpusEntry("2505.30001", title.strip(), [author, "C D"],
                                "neural collapse", ["cs.LG"], dt.datetime(2025, 5, 18, 12))]
    before = sorted(p.name for p in catalog_dir.rglob("*.toml"))
    result = run_cli("add", "2505.30001", "--section", "others", "-k", "Grokking",
                     exit_code=2)
    one_line_error(result, "2505.30001", field)
    assert len(result.stderr) < 1000
    assert sorted(p.name for p in catalog_dir.rglob("*.toml")) == before

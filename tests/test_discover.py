"""`deepphen discover` end to end against the search stand-in, and its core pieces."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest

from deepphen import discover as core
from deepphen import listing
from deepphen.arxiv import Client
from deepphen.catalog import load_settings, settings_to_toml
from deepphen.errors import DeepphenError
from deepphen.fsutil import atomic_write_text
from tests.arxiv_query import CorpusEntry, QueryError, parse
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.discover_corpus import TOPICAL, make_corpus
from tests.helpers import ctrl_c_after

TODAY = dt.date(2025, 5, 22)
DAY = dt.date(2025, 5, 20)
WINDOW = ("--since", "2025-05-15", "--until", "2025-05-20")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """No real waiting between requests; today is TODAY."""
    fake = FakeTime()
    monkeypatch.setattr(Client, "default_sleep", staticmethod(fake.sleep))
    monkeypatch.setattr(Client, "default_clock", staticmethod(fake.clock))
    monkeypatch.setattr(core, "utc_today", lambda: TODAY)
    return fake


@pytest.fixture
def corpus(arxiv: ArxivServer, fake: FakeTime) -> list[CorpusEntry]:
    arxiv.corpus = make_corpus(DAY, noise=60)
    return arxiv.corpus


def search_requests(arxiv: ArxivServer) -> list[dict[str, str]]:
    return [r.params for r in arxiv.requests if "search_query" in r.params]


# --- the window -------------------------------------------------------------------------

@pytest.mark.parametrize(("since", "until", "start", "end"), [
    (None, None, "2025-05-15", "2025-05-22"),
    ("30d", None, "2025-04-22", "2025-05-22"),
    ("2025-05-01", "2025-05-31", "2025-05-01", "2025-05-22"),  # clipped to today
    ("2025-04", "2025-04", "2025-04-01", "2025-04-30"),
    ("14d", "7d", "2025-05-08", "2025-05-15"),
    ("2025-05-22", None, "2025-05-22", "2025-05-22"),
    ("1991-01", "1991-08", "1991-08-01", "1991-08-31"),  # clipped to arXiv's first month
])
def test_window(since: str | None, until: str | None, start: str, end: str) -> None:
    window = core.parse_window(since, until, today=TODAY)
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)


@pytest.mark.parametrize(("since", "until", "message"), [
    ("last week", None, "not a date"),
    ("2025-13-01", None, "not a date"),
    (None, "soon", "not a date"),
    ("2025-05-10", "2025-05-01", "before --since"),
    ("0d", None, "empty window"),
    ("2025-06-01", None, "in the future"),
    ("2020-01-01", None, "longer than a year"),
    ("", None, "--since needs a value"),
    ("  ", None, "--since needs a value"),
    (None, "", "--until needs a value"),
    (None, "2020", "before the default --since"),  # no "swap them": there is no --since
    # Before arXiv: nothing to find, and a year under 1000 would write a malformed query.
    ("1900-01-01", "1900-01-05", "before arXiv's first papers"),
    ("0001-01-01", "0001-01-02", "before arXiv's first papers"),
])
def test_bad_window(since: str | None, until: str | None, message: str) -> None:
    with pytest.raises(DeepphenError, match=message):
        core.parse_window(since, until, today=TODAY)


def test_query_is_valid_in_the_documented_subset() -> None:
    window = core.parse_window("2025-05-01", "2025-05-07", today=TODAY)
    query = listing.build_query(["cs.LG", "stat.ML"], window)
    assert query == ("(cat:cs.LG OR cat:stat.ML) AND "
                     "submittedDate:[202505010000 TO 202505080000]")
    parse(query)  # the stand-in's parser accepts it


# --- end to end ---------------------------------------------------------------------------

def test_json_lists_new_papers_best_first(catalog_dir: Path, corpus: list, arxiv: ArxivServer,
                                          run_cli) -> None:
    result = run_cli("discover", *WINDOW, "--format", "json", "--limit", "25")
    records = json.loads(result.stdout)
    assert records and len(records) <= 25
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    for record in records:
        assert {"arxiv", "title", "authors", "published", "score", "why", "suggested_sections",
                "suggested_keywords"} <= set(record)
        assert "2025-05-15" <= record["published"] <= "2025-05-20"
        assert all(set(s) == {"section", "score"} for s in record["suggested_sections"])
    top = [r["arxiv"] for r in records[:3]]
    assert set(top) <= {t[0] for t in TOPICAL}
    neural = next(r for r in records if r["arxiv"] == "2505.10002")
    assert neural["suggested_sections"][0]["section"] == "Neural Collapse"
    assert "Neural Collapse" in neural["suggested_keywords"]
    [params] = search_requests(arxiv)
    assert params["sortBy"] == "submittedDate" and int(params["max_results"]) <= 2000
    assert "submittedDate:[202505150000 TO 202505210000]" in params["search_query"]


def test_json_shape_is_documented(catalog_dir: Path, corpus: list, run_cli) -> None:
    """Scripts read --format json: docs/json-schema.md lists every key, in order, and the
    keys of ``why`` and of its ``neighbours``."""
    doc = (Path(__file__).parents[1] / "docs" / "json-schema.md").read_text(encoding="utf-8")
    part = doc.split("## Discover candidates", 1)[1].split("\n## ", 1)[0]
    record = json.loads(run_cli("discover", *WINDOW, "--format", "json").stdout)[0]
    assert re.findall(r"^\| `([a-z_]+)` \|", part, flags=re.MULTILINE) == list(record)
    for key in (*record["why"], *record["why"]["neighbours"][0],
                *record["suggested_sections"][0]):
        assert f"`{key}`" in part


def test_known_and_dismissed_papers_are_left_out(catalog_dir: Path, corpus: list,
                                                 run_cli) -> None:
    noon = dt.datetime(2025, 5, 18, 12)
    corpus += [
        CorpusEntry("2201.02177", "Grokking: a new version", ["A B"], "x", ["cs.LG"], noon,
                    version=3),  # the catalog's paper (another version); date aside
        CorpusEntry("2505.30001", "Prevalence of neural collapse during the terminal phase "
                    "of deep learning training!", ["A B"], "x", ["cs.LG"], noon),  # same title
        CorpusEntry("2505.30002", "Dismissed Earlier", ["C D"], "neural collapse", ["cs.LG"],
                    noon),
    ]
    atomic_write_text(catalog_dir / "dismissed.toml",
                      '[[dismissed]]\narxiv = "2505.30002v2"\ntitle = "Dismissed Earlier"\n')
    result = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100")
    got = {r["arxiv"] for r in json.loads(result.stdout)}
    assert not got & {"2201.02177", "2505.30001", "2505.30002"}
    assert "left out 2 in the catalog, 1 dismissed" in result.stderr


def test_withdrawn_papers_are_left_out(catalog_dir: Path, corpus: list, run_cli) -> None:
    noon = dt.datetime(2025, 5, 18, 12)
    corpus += [
        CorpusEntry("2505.30011", "Neural collapse, revisited", ["A B"], "neural collapse",
                    ["cs.LG"], noon, version=2, comment="This paper has been withdrawn"),
        CorpusEntry("2505.30012", "Grokking at scale", ["C D"],
                    "This paper has been withdrawn by the authors due to an error.", ["cs.LG"],
                    noon, version=3),
        CorpusEntry("2505.30013", "Why retracted papers keep being cited", ["E F"],
                    "We study articles that have been withdrawn from journals.", ["cs.DL"], noon),
    ]
    result = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100",
                     "--category", "cs.LG", "--category", "cs.DL")
    got = {r["arxiv"] for r in json.loads(result.stdout)}
    assert not got & {"2505.30011", "2505.30012"}
    assert "2505.30013" in got  # about withdrawals, not withdrawn
    assert "left out 2 withdrawn" in result.stderr


@pytest.mark.parametrize(("comment", "summary", "withdrawn"), [
    ("Withdrawn: the main proof is wrong", "", True),
    ("withdrawn", "", True),
    ("This submission has been withdrawn by arXiv administrators", "", True),
    ("15 pages. The article was withdrawn from arXiv", "", True),
    ("15 pages. The article was withdrawn from NeurIPS 2024", "", False),
    ("", "This manuscript has been withdrawn because of an error in Lemma 2.", True),
    ("v2 replaces a version that was withdrawn", "", False),
    ("Accepted at ICML 2025", "", False),
    ("Withdrawn from ICML 2020; superseded by 2006.00001", "", False),
    ("Withdrawn from arXiv: a duplicate of 2006.00001", "", True),
    (None, "Withdrawn articles continue to be cited long after.", False),
    (None, "Withdrawn. The main result is wrong.", True),
    (None, "withdrawn: see the comment", True),
    (None, "Papers withdrawn from journals keep being cited. This paper has been withdrawn "
           "by nobody.", False),
    (None, "We study how this paper has been withdrawn", False),
])
def test_what_counts_as_withdrawn(comment: str | None, summary: str, withdrawn: bool) -> None:
    from deepphen.atom import ArxivEntry

    entry = ArxivEntry("2505.30010", 2, "A Title", ["A B"], dt.date(2025, 5, 18),
                       summary=summary, comment=comment)
    assert entry.withdrawn is withdrawn


@pytest.mark.parametrize("field", ["2505.30009v2", "arXiv:2505.30009", " 2505.30009"])
def test_a_catalog_id_written_loosely_still_counts_as_known(field: str) -> None:
    """A paper file's ``arxiv`` with a version or prefix (lint DP201 flags it, but the
    catalog loads): discover proposed that paper again once arXiv's title had changed."""
    from deepphen.atom import ArxivEntry
    from deepphen.models import Paper

    known = core.Known.of([Paper(title="An Old Title", year=2025, section="s", arxiv=field)],
                          set())
    entry = ArxivEntry("2505.30009", 3, "A Retitled Paper", ["A B"], dt.date(2025, 5, 18))
    assert known.reason(entry) == "catalog"


def test_papers_without_a_title_are_left_out(catalog_dir: Path, corpus: list,
                                            run_cli) -> None:
    """An entry with an empty <title> was listed as "[](url)" in the checklist and could
    not be judged, nor added (add refuses it)."""
    corpus.append(CorpusEntry("2505.30003", " ", ["A B"], "neural collapse", ["cs.LG"],
                              dt.datetime(2025, 5, 18, 12)))
    result = run_cli("discover", *WINDOW, "--format", "md", "--limit", "100")
    assert "2505.30003" not in result.stdout and "[](" not in result.stdout
    assert "left out 1 without a title" in result.stderr


def test_the_summary_counts_in_words(catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime,
                                     run_cli) -> None:
    arxiv.corpus = [CorpusEntry("2505.30004", "Neural collapse, once", ["A B"], "x",
                                ["cs.LG"], dt.datetime(2025, 5, 18, 12))]
    result = run_cli("discover", *WINDOW, "-c", "cs.LG", "--format", "json")
    assert "1 new paper in cs.LG from 2025-05-15 to 2025-05-20 (1 fetched)" in result.stderr


def test_categories_from_settings_then_option(catalog_dir: Path, corpus: list,
                                              arxiv: ArxivServer, run_cli) -> None:
    settings = load_settings(catalog_dir)
    settings.discover.categories = ["stat.ML", "q-bio.NC"]
    atomic_write_text(catalog_dir / "catalog.toml", settings_to_toml(settings))
    assert "[discover]" in (catalog_dir / "catalog.toml").read_text()
    run_cli("discover", *WINDOW, "--format", "json")
    run_cli("discover", *WINDOW, "--format", "json", "--category", "cs.lg,cs.CL")
    first, second = (p["search_query"] for p in search_requests(arxiv))
    assert first.startswith("(cat:stat.ML OR cat:q-bio.NC) AND")
    assert second.startswith("(cat:cs.LG OR cat:cs.CL) AND")


def test_default_categories_when_the_catalog_says_nothing(tmp_path: Path, corpus: list,
                                                          arxiv: ArxivServer, run_cli) -> None:
    from tests.helpers import make_catalog, sample_papers

    papers = [p for p in sample_papers() if not p.arxiv]  # nothing to look up
    root = make_catalog(tmp_path / "cat", papers)
    run_cli("discover", *WINDOW, "--catalog", root, "--format", "json", exit_code=None)
    assert search_requests(arxiv)[0]["search_query"].startswith(
        "(cat:cs.LG OR cat:stat.ML OR cat:cs.AI OR cat:cs.CL) AND")


def test_help_names_the_default_categories(run_cli) -> None:
    """--help spells out the fallback categories; they live in one constant."""
    text = " ".join(run_cli("discover", "--help").stdout.split())
    assert f"{', '.join(core.DEFAULT_CATEGORIES[:-1])} and {core.DEFAULT_CATEGORIES[-1]}" in text


def test_shipped_catalog_asks_the_language_model_categories() -> None:
    """The shipped catalog asks what the default asks, and its own fields besides."""
    root = Path(__file__).resolve().parents[1] / "catalog"
    asked = load_settings(root).discover.categories
    assert set(core.DEFAULT_CATEGORIES) <= set(asked)


def test_abstracts_of_catalog_papers_are_cached(catalog_dir: Path, corpus: list,
                                                arxiv: ArxivServer, run_cli) -> None:
    run_cli("discover", *WINDOW, "--format", "json")
    lookups = [r for r in arxiv.requests if "id_list" in r.params]
    assert lookups and (catalog_dir / ".deepphen-cache" / "arxiv-meta.pickle").is_file()
    arxiv.requests.clear()
    run_cli("discover", *WINDOW, "--format", "json")
    assert not [r for r in arxiv.requests if "id_list" in r.params]


def test_abstract_lookup_failure_only_warns(catalog_dir: Path, corpus: list,
                                            arxiv: ArxivServer, run_cli) -> None:
    settings = load_settings(catalog_dir)
    settings.discover.categories = ["cs.LG"]
    atomic_write_text(catalog_dir / "catalog.toml", settings_to_toml(settings))
    real = arxiv.feed_for  # the id look-ups get a proxy's page; the search works
    arxiv.feed_for = lambda requested: b"<html>proxy page</html>"  # type: ignore[assignment]
    result = run_cli("discover", *WINDOW, "--format", "json")
    arxiv.feed_for = real  # type: ignore[method-assign]
    assert json.loads(result.stdout)
    assert "could not fetch the abstracts" in result.stderr


def test_md_checklist_with_add_commands(catalog_dir: Path, corpus: list, run_cli) -> None:
    corpus.append(CorpusEntry("2505.30003", "Collapse of [links](http://x) *and* <b>tags</b>",
                              ["Eve `tick` O'Neil"], "neural collapse grokking", ["cs.LG"],
                              dt.datetime(2025, 5, 19)))
    result = run_cli("discover", *WINDOW, "--format", "md", "--limit", "40")
    items = [line for line in result.stdout.splitlines() if line.startswith("- [ ] ")]
    assert items and all("`deepphen add " in line for line in items)
    odd = next(line for line in items if "2505.30003" in line)
    assert r"\[links\]" in odd and r"\*and\*" in odd and r"\<b>" in odd
    assert "](https://arxiv.org/abs/2505.30003)" in odd
    grok = next(line for line in items if "2505.10001" in line)
    assert "`deepphen add 2505.10001 --section emergence-and-phase-transitions -k Grokking" \
        in grok


def test_md_checklist_says_how_to_dismiss(catalog_dir: Path, corpus: list, run_cli) -> None:
    """A team triages in the issue; what it does not want must reach dismissed.toml, or the
    next weeks propose it again: the checklist says how, with the command that walks this
    very window at a terminal."""
    from tests.test_examples import check, commands_in

    text = run_cli("discover", *WINDOW, "--format", "md", "--limit", "5").stdout
    [hint] = [line for line in text.splitlines() if "dismissed.toml" in line]
    [argv] = [argv for span in re.findall(r"`([^`]*)`", hint) for argv in commands_in(span)
              if argv[:1] == ["discover"]]
    assert argv[argv.index("--since") + 1] == WINDOW[1]
    assert argv[argv.index("--until") + 1] == WINDOW[3]
    assert "--interactive" in argv
    check(argv, parse=True)
    assert "--category" not in argv  # the catalog's own categories: nothing to repeat
    # Categories given with --category are walked too (else other papers came up there).
    text = run_cli("discover", *WINDOW, "-c", "cs.CL", "--category", "cs.LG", "--format", "md",
                   "--limit", "5").stdout
    [hint] = [line for line in text.splitlines() if "dismissed.toml" in line]
    [argv] = [argv for span in re.findall(r"`([^`]*)`", hint) for argv in commands_in(span)
              if argv[:1] == ["discover"]]
    assert argv[argv.index("--category") + 1] == "cs.CL,cs.LG"
    check(argv, parse=True)


def test_md_checklist_mentions_and_references_nobody(catalog_dir: Path, corpus: list,
                                                    run_cli) -> None:
    """An issue body must not notify "@name" nor link "#12" from arXiv's text."""
    corpus.append(CorpusEntry("2505.30004", "Grokking fixes #12 and owner/repo#7 for @octocat",
                              ["Ann @dev Lee", "Bo #3"], "neural collapse grokking",
                              ["cs.LG"], dt.datetime(2025, 5, 19)))
    result = run_cli("discover", *WINDOW, "--format", "md", "--limit", "40")
    line = next(line for line in result.stdout.splitlines() if "2505.30004" in line)
    assert re.search(r"@\w|#\d", line) is None, line
    assert "@\u200boctocat" in line and "#\u200b12" in line and "repo#\u200b7" in line


def test_piped_table_is_plain_lines(catalog_dir: Path, corpus: list, run_cli) -> None:
    settings = load_settings(catalog_dir)  # catalog text with an escape sequence
    settings.sections[1].heading = "Neural \x1b[31mCollapse"
    atomic_write_text(catalog_dir / "catalog.toml", settings_to_toml(settings))
    result = run_cli("discover", *WINDOW, "--limit", "100")
    lines = result.stdout.splitlines()
    assert lines and all(len(line.split("\t")) == 8 for line in lines)
    assert "\x1b" not in result.stdout and "Neural  [31mCollapse" not in result.stdout
    assert lines[0].split("\t")[0] == "1"


def test_add_command_is_one_safe_shell_line() -> None:
    from deepphen.fit import Fit, Why

    class Model:
        def sections_for(self, entry: object) -> list[tuple[str, float]]:
            return [("others", 0.9)]

        def keywords_for(self, entry: object) -> list[str]:
            return ["Red\x1b[31m\u202e Team\u2066", "it's `odd`", "A", "B"]

    from deepphen.arxiv import ArxivEntry

    candidate = ArxivEntry("2505.00001", 1, "T", ["A B"], dt.date(2025, 5, 1))
    fit = Fit(candidate, 0.5, Why(), Model())  # type: ignore[arg-type]
    command = core.add_command(fit)
    # No ESC and no bidi override (which would show the line in another order than the
    # shell reads it); the rest of the text stays as it was.
    assert command == ("deepphen add 2505.00001 --section others -k 'Red[31m Team' "
                       "-k 'it'\"'\"'s `odd`' -k A")


def test_terminal_table(catalog_dir: Path, corpus: list, run_cli,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--limit", "3")
    assert "Grokking as a Phase" in result.stdout or "Neural Collapse" in result.stdout
    assert "score" in result.stdout


@pytest.mark.parametrize("width", [20, 40])
def test_a_narrow_terminal_stacks_the_rows(catalog_dir: Path, corpus: list, run_cli,
                                           monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    """COLUMNS=20 folded every title into a sliver of one letter a line."""
    from deepphen.cli.output import console

    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    console.cache_clear()
    try:
        out = run_cli("discover", *WINDOW, "--limit", "1").stdout
    finally:
        console.cache_clear()
    assert max(len(line) for line in out.splitlines()) <= width
    flat = "".join(out.replace("│", "").split())
    assert "title:" in flat and "section:" in flat
    assert max(len(line.strip("│ ")) for line in out.splitlines()) > 3  # no slivers


# --- exit codes ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (("--since", "yesterday"), "not a date"),
    (("--since", "2025-05-10", "--until", "2025-05-01"), "before --since"),
    (("--category", "cs.LGG"), "unknown arXiv category 'cs.LGG' (did you mean cs.LG"),
    # The subject in another archive first: letter by letter, cs.ML is nearest cs.PL.
    (("--category", "cs.ML"), "unknown arXiv category 'cs.ML' (did you mean stat.ML, "),
    (("--category", "LG"), "unknown arXiv category 'LG' (did you mean cs.LG?)"),
    (("--format", "xml"), "unknown format"),
    (("--since", "0d"), "empty window"),
    (("--since", ""), "--since needs a value"),
    (("--category", ""), "--category needs a value"),
    (("--category", " , "), "--category needs a value"),
    # Triage prints its own walk: a script's JSON or an issue's checklist would not come.
    (("--interactive", "--format", "json"), "--interactive does not go with --format json"),
    (("-i", "-f", "md"), "--interactive does not go with --format md"),
])
def test_usage_errors_exit_2(catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
                             args: tuple[str, ...], message: str) -> None:
    result = run_cli("discover", *args, exit_code=2)
    assert message in result.stderr
    assert not arxiv.requests


def test_empty_catalog_exits_2(tmp_path: Path, arxiv: ArxivServer, fake: FakeTime,
                               run_cli) -> None:
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "empty", [])
    result = run_cli("discover", "--catalog", root, exit_code=2)
    assert "no papers" in result.stderr


def test_unknown_category_in_settings_names_the_line(catalog_dir: Path, arxiv: ArxivServer,
                                                     fake: FakeTime, run_cli) -> None:
    path = catalog_dir / "catalog.toml"
    atomic_write_text(path, path.read_text() + '\n[discover]\ncategories = ["cs.XX"]\n')
    result = run_cli("discover", exit_code=2)
    assert "catalog.toml:" in result.stderr and "cs.XX" in result.stderr


def test_nothing_new_exits_1(catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime,
                             run_cli) -> None:
    arxiv.corpus = make_corpus(DAY, noise=0)
    result = run_cli("discover", "--since", "2025-05-01", "--until", "2025-05-02",
                     "--format", "json", exit_code=1)
    assert "no paper" in result.stderr
    assert json.loads(result.stdout) == []
    # Nothing found is not an error: said plainly, as search, export and stats say it.
    assert result.stderr.splitlines()[-1].startswith("deepphen: ")
    assert "error:" not in result.stderr


def test_nothing_new_looks_no_catalog_paper_up(catalog_dir: Path, arxiv: ArxivServer,
                                               fake: FakeTime, run_cli) -> None:
    """With nothing to rank, the catalog's abstracts were looked up all the same (on a cold
    cache a request per 100 papers, each after the polite wait) and their warnings shown."""
    arxiv.corpus = make_corpus(DAY, noise=0)
    run_cli("discover", "--since", "2025-05-01", "--until", "2025-05-02", "-c", "cs.LG",
            exit_code=1)
    assert [r for r in arxiv.requests if "search_query" in r.params]
    assert not [r for r in arxiv.requests if "id_list" in r.params]
    assert not (catalog_dir / ".deepphen-cache" / "arxiv-meta.pickle").exists()


def test_api_failure_exits_2_and_writes_nothing(catalog_dir: Path, corpus: list,
                                                arxiv: ArxivServer, fake: FakeTime,
                                                run_cli) -> None:
    arxiv.fail(*[Fault("status", 503)] * 4)
    result = run_cli("discover", *WINDOW, "--category", "cs.LG", exit_code=2)
    assert "HTTP 503 (4 tries)" in result.stderr
    assert not (catalog_dir / "dismissed.toml").exists()


def test_partial_fetch_needs_partial(catalog_dir: Path, corpus: list, arxiv: ArxivServer,
                                     fake: FakeTime, run_cli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 5)
    real = arxiv.search_feed

    def second_page_fails(params: dict[str, str]) -> bytes:
        if params["start"] == "0":  # the next request (page 2) fails, however often tried
            arxiv.fail(*[Fault("status", 503)] * 4)
        return real(params)

    arxiv.search_feed = second_page_fails  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "-c", "cs.LG", "--format", "json", exit_code=2)
    assert "incomplete fetch: fetched 5 of" in result.stderr and "--partial" in result.stderr
    result = run_cli("discover", *WINDOW, "-c", "cs.LG", "--format", "json", "--partial")
    assert len(json.loads(result.stdout)) <= 5
    assert "incomplete fetch" in result.stderr


def test_a_window_over_the_query_cap_is_fetched_in_sub_windows(
        catalog_dir: Path, corpus: list, arxiv: ArxivServer, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """arXiv serves at most MAX_CANDIDATES results a query: a window announcing more was cut
    (its oldest papers lost, or refused without --partial); it is now asked in sub-windows."""
    args = ("discover", *WINDOW, "-c", "cs.LG", "--format", "json", "--limit", "100")
    whole = json.loads(run_cli(*args).stdout)
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    monkeypatch.setattr(listing, "MAX_CANDIDATES", 6)  # the window holds 9 in cs.LG
    arxiv.query_cap = 6
    arxiv.requests.clear()
    result = run_cli(*args)
    assert json.loads(result.stdout) == whole and "incomplete" not in result.stderr
    dates = {re.search(r"submittedDate:\[(\d{8})", p["search_query"]).group(1)  # type: ignore[union-attr]
             for p in search_requests(arxiv) if "ANDNOT" not in p["search_query"]}
    assert len(dates) > 1  # asked in several sub-windows


def test_nothing_new_in_a_partial_fetch_still_says_it_was_partial(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With --partial and nothing new among what came, the run said only "no new paper"
    (exit 1): the warning that arXiv did not send every page was lost with the result."""
    monkeypatch.setattr(listing, "PAGE_SIZE", 5)
    noon = dt.datetime(2025, 5, 18, 12)
    arxiv.corpus = [CorpusEntry(f"2505.3100{n}", f"Paper {n}", ["A B"], "x", ["cs.LG"], noon)
                    for n in range(7)]
    atomic_write_text(catalog_dir / "dismissed.toml", "".join(
        f'[[dismissed]]\narxiv = "2505.3100{n}"\n' for n in range(7)))
    real = arxiv.search_feed

    def second_page_fails(params: dict[str, str]) -> bytes:
        if params["start"] == "0":
            arxiv.fail(*[Fault("status", 503)] * 4)
        return real(params)

    arxiv.search_feed = second_page_fails  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "-c", "cs.LG", "--partial", "--format", "json",
                     exit_code=1)
    assert "warning: incomplete fetch: fetched 5 of 7" in result.stderr
    assert "no new paper" in result.stderr and json.loads(result.stdout) == []


@pytest.mark.parametrize(("days", "seconds"), [(1, 600.0), (30, 600.0), (90, 1800.0),
                                                (366, 7320.0)])
def test_a_wider_window_may_take_longer(days: int, seconds: float) -> None:
    start = dt.date(2025, 1, 1)
    assert core.deadline_for(core.Window(start, start + dt.timedelta(days=days - 1))) == seconds


@pytest.mark.parametrize(("args", "deadline"), [
    ((), 600.0), (("--since", "2025-01-01", "--until", "2025-03-31"), 1800.0),
    (("--since", "2025-01-01", "--until", "2025-03-31", "--timeout", "30"), 30.0)])
def test_the_client_gets_the_window_s_deadline(catalog_dir: Path, fake: FakeTime, run_cli,
                                               monkeypatch: pytest.MonkeyPatch,
                                               args: tuple, deadline: float) -> None:
    from deepphen.cli import network

    seen = []
    real = network.arxiv_client
    monkeypatch.setattr(network, "arxiv_client",
                        lambda on_wait, given: seen.append(given) or real(on_wait, given))
    run_cli("discover", *args, "--format", "json", exit_code=None)
    assert seen == [deadline]


# --- triage -------------------------------------------------------------------------------

def test_interactive_needs_a_terminal(catalog_dir: Path, fake: FakeTime, run_cli) -> None:
    result = run_cli("discover", "--interactive", exit_code=2)
    assert "needs a terminal" in result.stderr


def test_interactive_needs_its_prompts_on_a_terminal(catalog_dir: Path, fake: FakeTime,
                                                     run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The prompts go to stderr: with it redirected (2>log) the walk showed candidates and
    then seemed to hang, its question written to the file."""
    import sys

    from deepphen.cli import output

    monkeypatch.setattr(output, "is_terminal", lambda stream=None: stream is not sys.stderr)
    result = run_cli("discover", "--interactive", exit_code=2)
    assert "--interactive needs a terminal" in result.stderr


def test_triage_adds_skips_dismisses(catalog_dir: Path, corpus: list, run_cli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    # first: show the abstract, then add with the suggested section and a key word of ours;
    # second: skip; third: dismiss; then quit.
    answers = "o\na\n\nMy Key Word\ns\nd\nq\n"
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "5", input=answers)
    assert "added 1, dismissed 1, skipped 1" in result.stderr
    added = [p for p in catalog_dir.rglob("2505.[123]*.toml")]
    assert len(added) == 1
    data = tomllib.loads(added[0].read_text())
    assert data["keywords"] == ["My Key Word"]
    dismissed = tomllib.loads((catalog_dir / "dismissed.toml").read_text())["dismissed"]
    assert len(dismissed) == 1 and dismissed[0]["date"] == TODAY
    # the next run proposes neither again
    again = run_cli("discover", *WINDOW, "--format", "json", "--limit", "100")
    got = {r["arxiv"] for r in json.loads(again.stdout)}
    assert added[0].stem not in got and dismissed[0]["arxiv"] not in got


def test_triage_names_the_page_an_addition_regenerated(catalog_dir: Path, corpus: list,
                                                        run_cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """As `deepphen add` does: the page goes into the same commit as the paper."""
    from tests.helpers import make_catalog, sample_settings

    make_catalog(catalog_dir, settings=sample_settings(page="README.md", regenerate_page=True))
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1", input="a\n\nX\n")
    assert "added 1" in result.stderr
    assert f"updated {catalog_dir / 'README.md'}" in result.stdout.splitlines()


def test_triage_says_a_key_word_is_needed_when_none_is_suggested(
        catalog_dir: Path, corpus: list, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no suggestion the prompt has no default and asks again on an empty answer:
    it says why, instead of repeating itself silently."""
    from deepphen import fit

    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setattr(fit.Fit, "suggested_keywords", property(lambda self: []))
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1",
                     input="a\n\n\nGrokking\n")
    assert "at least one" in result.stderr and "added 1" in result.stderr
    [added] = catalog_dir.rglob("2505.[123]*.toml")
    assert tomllib.loads(added.read_text())["keywords"] == ["Grokking"]


def test_triage_interrupted_keeps_what_was_added(catalog_dir: Path, corpus: list, run_cli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    # add the first, then Ctrl-C at the second prompt
    answers = ctrl_c_after(monkeypatch, "a\n\nX\n")
    result = run_cli("discover", *WINDOW, "--interactive", input=answers, exit_code=130)
    assert "added 1" in result.stderr and "interrupted" in result.stderr
    assert len(list(catalog_dir.rglob("2505.[123]*.toml"))) == 1
    assert not list(catalog_dir.rglob(".deepphen-tmp-*"))


@pytest.mark.parametrize(("answers", "summary"), [
    ("a\n\nX\n", "added 1, dismissed 0, skipped 0"),
    ("a\n\nX\nd\ns\n", "added 1, dismissed 1, skipped 1"),
    ("a\n\nX\na\n", "added 1, dismissed 0, skipped 0"),  # at the section prompt
    ("a\n\nX\na\n\n", "added 1, dismissed 0, skipped 0"),  # at the key-word prompt
], ids=["walk", "after-dismissing", "section", "key-words"])
def test_end_of_input_in_triage_quits_as_q_does(answers: str, summary: str, catalog_dir: Path,
                                                corpus: list, run_cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-D is the terminal's "no more input": the walk stops as at `q`, keeping what was
    added or dismissed, with the summary and exit 0; an addition it cuts short (at the
    section or key-word prompt) writes nothing."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", input=answers)
    assert result.stderr.endswith(f"\n{summary}\n"), result.stderr[-300:]
    assert "interrupted" not in result.stderr and "error" not in result.stderr
    assert len(list(catalog_dir.rglob("2505.[123]*.toml"))) == 1
    assert (catalog_dir / "dismissed.toml").exists() == ("dismissed 1" in summary)
    assert not list(catalog_dir.rglob(".deepphen-tmp-*"))
    if answers.count("a\n") == 1:  # ended at the walk's prompt: the same as typing q there
        for path in [*catalog_dir.rglob("2505.[123]*.toml"), catalog_dir / "dismissed.toml"]:
            path.unlink(missing_ok=True)
        quit_ = run_cli("discover", *WINDOW, "--interactive", input=answers + "q\n")
        assert quit_.stderr.endswith(f"{summary}\n")


@pytest.mark.parametrize("answer", ["dunno", "ds", "don't know", "no", "sd"])
def test_triage_takes_one_key_or_its_word_only(answer: str, catalog_dir: Path, corpus: list,
                                               run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read by its first letter, "dunno" or a pasted "ds" dismissed the paper for good."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1",
                     input=f"{answer}\nskip\n")
    assert "unknown answer" in result.stderr
    assert result.stderr.endswith("added 0, dismissed 0, skipped 1\n")
    assert not (catalog_dir / "dismissed.toml").exists()
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1", input="Dismiss\n")
    assert result.stderr.endswith("added 0, dismissed 1, skipped 0\n")


def test_triage_asks_again_for_key_words_that_are_none(catalog_dir: Path, corpus: list,
                                                       run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer of ";" or spaces wrote a paper without key words, which lint refuses."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1",
                     input="a\n\n;\n \n; ;\nGrokking\n")
    assert "added 1" in result.stderr
    [added] = catalog_dir.rglob("2505.[123]*.toml")
    assert tomllib.loads(added.read_text())["keywords"] == ["Grokking"]


def test_an_answer_the_terminal_could_not_decode_is_asked_again(
        catalog_dir: Path, corpus: list, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under LANG=C, "Régularisation" reached the catalog as "R\ufffd\ufffdgularisation"."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", "--limit", "1",
                     input="a\n\nR\ufffd\ufffdgularisation\nRegularisation\n")
    assert "could not read what was typed" in result.stderr and "added 1" in result.stderr
    [added] = catalog_dir.rglob("2505.[123]*.toml")
    assert tomllib.loads(added.read_text())["keywords"] == ["Regularisation"]


def test_ctrl_c_after_a_dismissal_says_it_was_kept(catalog_dir: Path, corpus: list, run_cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    answers = ctrl_c_after(monkeypatch, "a\n\nX\nd\n")
    result = run_cli("discover", *WINDOW, "--interactive", input=answers, exit_code=130)
    assert "after writing its changes (2 files" in result.stderr, result.stderr


def test_the_checklist_walk_offers_every_paper_it_lists(catalog_dir: Path, corpus: list,
                                                        run_cli) -> None:
    result = run_cli("discover", *WINDOW, "--format", "md", "--limit", "30")
    assert "--interactive --since 2025-05-15 --until 2025-05-20 --limit 30`" in result.stdout


def test_a_paper_added_meanwhile_is_not_dismissed(catalog_dir: Path, corpus: list,
                                                  run_cli) -> None:
    """Two walks on one catalog: one adds a paper, the other, fetched earlier, dismisses it.
    Both were written, and lint's DP605 refused the catalog."""
    from deepphen.dismissed import Dismissal, InCatalog, dismiss

    run_cli("add", "2201.02177", "--dry-run", exit_code=1)  # the sample catalog holds it
    with pytest.raises(InCatalog, match=r"2201\.02177 is in the catalog"):
        dismiss(catalog_dir, [Dismissal("2201.02177v2", "Grokking")])
    assert not (catalog_dir / "dismissed.toml").exists()


def test_adding_a_dismissed_paper_takes_it_out_of_the_dismissals(
        catalog_dir: Path, corpus: list, run_cli) -> None:
    from deepphen.dismissed import Dismissal, dismiss, load_dismissals

    first = json.loads(run_cli("discover", *WINDOW, "--format", "json").stdout)[0]["arxiv"]
    dismiss(catalog_dir, [Dismissal(first, "x"), Dismissal("2401.00009", "y")])
    result = run_cli("add", first, "-s", "others", "-k", "Grokking")
    assert f"no longer dismissed: {first}" in result.stderr
    assert [d.arxiv for d in load_dismissals(catalog_dir)] == ["2401.00009"]
    run_cli("lint")


def test_a_commented_dismissal_of_an_added_paper_is_named(catalog_dir: Path, corpus: list,
                                                          run_cli) -> None:
    from deepphen.dismissed import Dismissal, dismiss

    first = json.loads(run_cli("discover", *WINDOW, "--format", "json").stdout)[0]["arxiv"]
    dismiss(catalog_dir, [Dismissal(first, "x")])
    path = catalog_dir / "dismissed.toml"
    path.write_text(path.read_text() + "# kept by hand\n")
    before = path.read_bytes()
    result = run_cli("add", first, "-s", "others", "-k", "Grokking")
    assert f"{first} also dismissed in {path}, left as written (it holds comments" in result.stderr
    assert path.read_bytes() == before


# --- the key-word search outside the categories ------------------------------------------

def collapse_catalog(root: Path) -> Path:
    """The sample catalog with three papers keyed "Neural Collapse", searching cs.LG only."""
    from deepphen.models import Link, Paper
    from tests.helpers import make_catalog, sample_papers, sample_settings

    extra = [Paper(title=f"Neural collapse study {n}", year=2023, section="neural-collapse",
                   authors=["N. C. Author"], arxiv=f"2301.0000{n}", keywords=["Neural Collapse"],
                   links=[Link("paper", f"https://arxiv.org/abs/2301.0000{n}")])
             for n in (1, 2)]
    settings = sample_settings()
    settings.discover.categories = ["cs.LG"]
    return make_catalog(root, sample_papers() + extra, settings)


def test_keyword_terms_keep_the_distinctive_ones() -> None:
    from deepphen.arxiv import ArxivEntry
    from deepphen.models import Paper

    papers = [Paper("t", 2020, "s", keywords=["Neural Collapse", "Survey"]) for _ in range(3)]
    papers.append(Paper("t", 2020, "s", keywords=["Grokking"]))
    common = [ArxivEntry(f"2505.0000{n}", 1, "A survey of things", [], None) for n in range(5)]
    common.append(ArxivEntry("2505.00009", 1, "Neural collapse, once", [], None))
    assert core.keyword_terms(papers, common) == ["neural collapse"]
    query = core.keyword_query(["neural collapse"], ["cs.LG", "stat.ML"],
                               core.Window(dt.date(2025, 5, 1), dt.date(2025, 5, 2)))
    assert query == ('(submittedDate:[202505010000 TO 202505030000] AND '
                     '(abs:"neural collapse")) ANDNOT (cat:cs.LG OR cat:stat.ML)')
    parse(query)


def test_keyword_search_finds_papers_in_other_categories(tmp_path: Path, corpus: list,
                                                         arxiv: ArxivServer, run_cli) -> None:
    root = collapse_catalog(tmp_path / "cat")
    corpus.append(CorpusEntry("2505.30005", "Class Means in Vision Transformers",
                              ["V. Ision"], "We observe neural collapse in vision models.",
                              ["cs.CV"], dt.datetime(2025, 5, 19, 9)))
    result = run_cli("discover", *WINDOW, "--catalog", root, "--format", "json",
                     "--limit", "100")
    got = {r["arxiv"] for r in json.loads(result.stdout)}
    assert "2505.30005" in got
    assert "1 more by key words in other categories" in result.stderr
    second = search_requests(arxiv)[-1]["search_query"]
    assert 'abs:"neural collapse"' in second and "ANDNOT (cat:cs.LG)" in second


def test_many_key_words_are_asked_a_few_dozen_to_a_request(tmp_path: Path, corpus: list,
                                                           arxiv: ArxivServer, run_cli) -> None:
    from deepphen.models import Link, Paper
    from tests.helpers import make_catalog, sample_papers, sample_settings

    words = [f"{tree}{part} effect" for tree in ("ash", "elm", "oak", "yew", "fir")
             for part in ("wood", "leaf", "root", "bark", "seed", "twig", "cone")]
    extra = [Paper(title=f"On the {w} ({n})", year=2023, section="neural-collapse",
                   authors=["T. Ree"], arxiv=f"2301.{i:03d}{n}0", keywords=[w.title()],
                   links=[Link("paper", f"https://arxiv.org/abs/2301.{i:03d}{n}0")])
             for i, w in enumerate(words) for n in (1, 2)]
    settings = sample_settings()
    settings.discover.categories = ["cs.LG"]
    root = make_catalog(tmp_path / "cat", sample_papers() + extra, settings)
    corpus += [CorpusEntry(f"2505.3100{n}", f"Trees {n}", ["T. Ree"],
                           f"We observe the {words[k]} in forests.", ["q-bio.PE"],
                           dt.datetime(2025, 5, 19, 9)) for n, k in ((1, 0), (2, 34))]
    result = run_cli("discover", *WINDOW, "--catalog", root, "--format", "json",
                     "--limit", "200")
    got = {r["arxiv"] for r in json.loads(result.stdout)}
    assert {"2505.31001", "2505.31002"} <= got  # one found by each request
    asked = [r["search_query"] for r in search_requests(arxiv) if "ANDNOT" in r["search_query"]]
    assert len(asked) == 2
    assert all(q.count('abs:"') <= core.KEYWORDS_PER_REQUEST for q in asked)
    assert sum(q.count('abs:"') for q in asked) == len(words)


def test_keyword_search_failure_only_warns(tmp_path: Path, corpus: list, arxiv: ArxivServer,
                                           run_cli) -> None:
    root = collapse_catalog(tmp_path / "cat")
    real = arxiv.search_feed

    def refuse_keywords(params: dict[str, str]) -> bytes:
        if "ANDNOT" in params["search_query"]:  # a stand-in without ANDNOT: HTTP 400
            raise QueryError("ANDNOT is not supported")
        return real(params)

    arxiv.search_feed = refuse_keywords  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "--catalog", root, "--format", "json")
    assert json.loads(result.stdout)
    assert "key-word search outside cs.LG is incomplete" in result.stderr


def test_keyword_search_gives_up_sooner(tmp_path: Path, corpus: list, arxiv: ArxivServer,
                                        fake: FakeTime, run_cli) -> None:
    root = collapse_catalog(tmp_path / "cat")
    real = arxiv.search_feed

    def keywords_time_out(params: dict[str, str]) -> bytes:
        if "ANDNOT" not in params["search_query"]:  # the category search: then 503s
            arxiv.fail(*[Fault("status", 503)] * core.BEST_EFFORT_TRIES)
        return real(params)

    arxiv.search_feed = keywords_time_out  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "--catalog", root, "--format", "json")
    assert json.loads(result.stdout)
    assert f"HTTP 503 ({core.BEST_EFFORT_TRIES} tries)" in result.stderr


def test_results_shifting_while_paging_are_still_complete(catalog_dir: Path, corpus: list,
                                                          arxiv: ArxivServer, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    real = arxiv.search_feed

    def shifted(params: dict[str, str]) -> bytes:  # a new submission pushes results down by 1
        if params["start"] != "0":
            params = {**params, "start": str(int(params["start"]) - 1)}
        return real(params)

    arxiv.search_feed = shifted  # type: ignore[method-assign]
    result = run_cli("discover", *WINDOW, "-c", "cs.LG", "--format", "json", "--limit", "100")
    got = [r["arxiv"] for r in json.loads(result.stdout)]
    assert len(got) == len(set(got)) and "incomplete" not in result.stderr


# --- the progress display -------------------------------------------------------------------

def test_progress_keeps_the_category_search_count_and_finishes_the_abstracts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The key-word search's pages overwrote the bar of the category search ("3/3" papers
    after 82 were fetched), and abstracts all found in the cache left "0/561" on screen."""
    import contextlib
    import io

    from rich.console import Console
    from rich.progress import Progress

    from deepphen.arxiv import SearchPage
    from deepphen.cli import discover as cli

    progress = Progress(console=Console(file=io.StringIO()))
    monkeypatch.setattr(cli, "terminal_progress", lambda: contextlib.nullcontext(progress))
    with cli.discover_progress() as (hooks, _on_wait):
        hooks.on_page(SearchPage([], 0, 82, 82), 82)  # the category search: one page
        hooks.on_page(SearchPage([], 0, 3, 3), 3)  # the key-word search: two requests
        hooks.on_page(SearchPage([], 0, 2, 2), 2)
        hooks.on_meta_start(561)
        hooks.on_meta_end()
    search, keywords, meta = progress.tasks
    assert (search.completed, search.total) == (82, 82)
    assert keywords.completed == 5 and "key-word" in keywords.description
    assert meta.completed == meta.total == 561

"""Ranking: exact titles, typos, field weights, ids and URLs, accents, bad queries."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.catalog import paper_files
from deepphen.errors import DeepphenError
from deepphen.hints import NoMatch
from deepphen.models import Paper
from deepphen.search import SearchIndex, search, search_catalog
from deepphen.search_query import MAX_QUERY
from tests.helpers import make_catalog, more_papers

GROKKING_TITLE = "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"


@pytest.fixture
def papers() -> list[Paper]:
    return more_papers()


def titles(hits: list) -> list[str]:
    return [hit.paper.title for hit in hits]


def first(papers: list[Paper], query: str) -> str:
    return titles(search(papers, query))[0]


@pytest.mark.parametrize(("query", "expected"), [
    ("When Bad Data Leads to Good Models", "When Bad Data Leads to Good Models"),
    ("pltaonic", "The Platonic Representation Hypothesis"),
    ("platonic representation hypothesis", "The Platonic Representation Hypothesis"),
    ("hypothesis representation platonic", "The Platonic Representation Hypothesis"),
    ("grokin", "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"),
    ("GROKKING", "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"),
    ("neural colapse", "Prevalence of Neural Collapse during the terminal phase of deep "
                       "learning training"),
    ("Papyan", "Prevalence of Neural Collapse during the terminal phase of deep learning "
               "training"),
    ("Viégas", "When Bad Data Leads to Good Models"),
    ("viegas", "When Bad Data Leads to Good Models"),
    ("model collapse recursively", "AI models collapse when trained on recursively "
                                   "generated data"),
])
def test_top_hit(papers: list[Paper], query: str, expected: str) -> None:
    assert first(papers, query) == expected


@pytest.mark.parametrize("query", ["pretraining", "pre-training", "pre training",
                                   "Pre\u2011Training", "PRETRAININGS"])
def test_a_compound_is_found_however_it_is_written(query: str) -> None:
    """"pretraining" found 9 of the real list's papers, "pre-training" the 8 others: a word
    run together now also matches the two words it joins, and two words the one."""
    written = [Paper(title=title, year=2020 + n, section="others", authors=["A B"])
               for n, title in enumerate(["Scaling Pre-training Data",
                                          "Pretraining Objectives Compared",
                                          "In-Context Pre Training"])]
    aside = Paper(title="Unrelated Study", year=2024, section="others", authors=["C D"],
                  digest="the pre-trained data we set aside for training")
    hits = search([*more_papers(), *written, aside], query)
    assert {h.paper.title for h in hits[:3]} == {p.title for p in written}
    assert all(h.score > 0.8 for h in hits[:3])


def test_a_compound_is_no_words_scattered_in_a_digest() -> None:
    paper = Paper(title="Unrelated Study", year=2024, section="others", authors=["C D"],
                  digest="the data we set aside")
    other = Paper(title="Sets of Data", year=2024, section="others", authors=["E F"])
    assert search([paper, other], "dataset") == []


@pytest.mark.parametrize(("stored", "typed"), [
    ("Grzegorz Głuch", "Gluch"), ("Stanisław Jastrzębski", "Stanislaw Jastrzebski"),
    ("Søren Hauberg", "Soren"), ("Alexander Groß", "Gross"), ("Ægir Æsir", "Aegir"),
])
def test_letters_without_a_decomposition_fold_to_ascii(papers: list[Paper], stored: str,
                                                       typed: str) -> None:
    """ł, ø, ß, æ... have no NFKD decomposition: they were dropped ("Głuch" -> "guch"), so
    neither the ranking nor the --author filter found the name typed in ASCII."""
    from deepphen.filters import Filters

    paper = Paper(title="An Unrelated Study of Widths", year=2020, section="others",
                  arxiv="2001.00009", authors=[stored], keywords=["Width"])
    assert first([*papers, paper], typed) == paper.title
    assert Filters(authors=[typed]).matches(paper)


@pytest.mark.parametrize(("wanted", "matches"), [
    ("Li", False),  # a substring of Lisa, Philippe, Lanzillotta: matched 239 of 580 papers
    ("E", False),
    ("Lanzillotta", True), ("giulia lanzillotta", True), ("Lanzillotta Giulia", True),
    ("G. Lanzillotta", True), ("H. Lanzillotta", False), ("Lanzi", False),
    ("Бурда", True), ("бурда", True), ("Бурдa", False), ("张伟", True), ("强化", False),
    ("Lanzíllotta", True), ("Юрий Бурда", True), ("Бурда Lanzillotta", False),
])
def test_author_filter_matches_whole_names(wanted: str, matches: bool) -> None:
    from deepphen.filters import Filters

    paper = Paper(title="A Title", year=2020, section="others",
                  authors=["Lisa Philippe", "Giulia Lanzillotta", "Юрий Бурда", "张伟"])
    assert Filters(authors=[wanted]).matches(paper) is matches


@pytest.mark.parametrize(("wanted", "matches"), [
    ("深度学习", True), ("强化学习", False), ("---", False), ("🙂", False),
    ("Deep Learnings", True), ("deep-learning", True),
])
def test_key_word_filter_tells_apart_what_fold_drops(wanted: str, matches: bool) -> None:
    """Key words of other scripts or of symbols fold to "": any of them matched any other."""
    from deepphen.filters import Filters

    paper = Paper(title="A Title", year=2020, section="others", authors=["A B"],
                  keywords=["深度学习", "Deep Learning", "+++"])
    assert Filters(keywords=[wanted]).matches(paper) is matches


@pytest.mark.parametrize(("wanted", "matches"), [
    ("neurips", True), ("NeurIPS 2021", True), ("ICML", False), ("会议", True), ("研讨", False),
])
def test_venue_filter(wanted: str, matches: bool) -> None:
    from deepphen.filters import Filters

    paper = Paper(title="A Title", year=2020, section="others", authors=["A B"],
                  venue="NeurIPS 2021 会议")
    assert Filters(venue=wanted).matches(paper) is matches


@pytest.mark.parametrize("args", [["--author", "!!!"], ["--venue", "???"], ["--author", "-"]])
def test_a_filter_of_punctuation_alone_is_refused(args: list[str], catalog_dir, run_cli) -> None:
    for command in ("search", "stats", "export"):
        result = run_cli(command, *args, exit_code=2)
        assert "has no letters or digits" in result.stderr


def test_typos_in_several_words(papers: list[Paper]) -> None:
    top = titles(search(papers, "lotery tiket"))
    assert set(top[:2]) == {"The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural "
                            "Networks", "Winning Tickets at Scale"}


def test_key_word_match_outranks_digest_mention(papers: list[Paper]) -> None:
    hits = search(papers, "grokking")
    order = titles(hits)
    assert order[0].startswith("Grokking:")
    assert order[-1] == "Slow Learning Dynamics in Small Transformers"
    assert hits[0].score > hits[-1].score
    assert hits[0].fields == ("title", "keywords")
    assert hits[-1].fields == ("digest",)


def test_author_surname_finds_all_their_papers(papers: list[Paper]) -> None:
    assert set(titles(search(papers, "Frankle"))) == {
        "The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
        "Winning Tickets at Scale",
    }
    assert all(h.fields == ("authors",) for h in search(papers, "byron"))


@pytest.mark.parametrize("query", [
    "2201.02177", "arXiv:2201.02177", "https://arxiv.org/abs/2201.02177",
    "https://arxiv.org/pdf/2201.02177v2.pdf", " arxiv.org/abs/2201.02177v1 ",
])
def test_arxiv_ids_and_urls_find_that_paper_only(papers: list[Paper], query: str) -> None:
    hits = search(papers, query)
    assert [h.paper.arxiv for h in hits] == ["2201.02177"]
    assert hits[0].score == 1.0
    assert hits[0].fields == ("arxiv",)


@pytest.mark.parametrize(("stored", "query"), [
    ("math/0309136", "math.GT/0309136"), ("math.GT/0309136", "math/0309136"),
    ("math.GT/0309136", "https://arxiv.org/abs/math/0309136v2")])
def test_an_old_id_finds_its_paper_with_or_without_the_subject_class(
        papers: list[Paper], stored: str, query: str) -> None:
    paper = Paper(title="Knots Untied", year=2003, section="others", arxiv=stored,
                  authors=["A B"])
    hits = search([*papers, paper], query)
    assert [h.paper.title for h in hits] == ["Knots Untied"]


def test_other_links_find_their_paper(papers: list[Paper]) -> None:
    hits = search(papers, "https://www.nature.com/articles/s41586-024-07566-y")
    assert titles(hits) == ["AI models collapse when trained on recursively generated data"]


def test_unknown_id_finds_nothing(papers: list[Paper]) -> None:
    assert search(papers, "2401.99999") == []


def test_scores_are_sorted_in_range_and_limited(papers: list[Paper]) -> None:
    hits = search(papers, "neural networks")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len(search(papers, "neural networks", limit=2)) == 2


def test_exact_title_scores_one(papers: list[Paper]) -> None:
    assert search(papers, "Winning Tickets at Scale")[0].score == 1.0


def test_only_the_exact_title_scores_one() -> None:
    """A key word matched exactly with every word in the title also summed to 1, and by
    recency ranked above the paper whose title was typed."""
    older = Paper(title="Grokking", year=2020, section="others", authors=["A B"],
                  keywords=["Grokking"])
    newer = Paper(title="Grokking, Again and Again", year=2024, section="others",
                  authors=["C D"], keywords=["Grokking"])
    hits = search([newer, older], "grokking")
    assert (hits[0].paper.title, hits[0].score) == ("Grokking", 1.0)
    assert all(h.score < 1 for h in hits[1:])


@pytest.mark.parametrize("query", ["", "   ", "!!!", "?? -- ..", "\x00grok",
                                   "x" * (MAX_QUERY + 1)])
def test_empty_or_absurd_query_is_a_usage_error(papers: list[Paper], query: str) -> None:
    with pytest.raises(DeepphenError) as info:
        search(papers, query)
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_hits_or_a_clean_error(query: str) -> None:
    papers = more_papers()
    try:
        hits = search(papers, query)
    except DeepphenError as exc:
        assert exc.exit_code == 2
        return
    assert all(0 < h.score <= 1 for h in hits)


def test_index_survives_its_plain_data_form(papers: list[Paper]) -> None:
    index = SearchIndex.build(papers)
    again = SearchIndex(index.data)
    assert again.query("lotery tiket") == index.query("lotery tiket")


def age_catalog(root: Path) -> None:
    past = time.time_ns() - 3600 * 10**9
    for path in paper_files(root):
        os.utime(path, ns=(past, past))


def test_catalog_search_matches_in_memory_search(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", more_papers())
    age_catalog(root)
    for query in ("grokking", "lotery tiket", "Byron", "2405.07987"):
        expected = [(h.paper.title, h.score) for h in search(more_papers(), query)]
        for _ in range(2):  # built, then from the cache
            assert [(h.paper.title, h.score) for h in search_catalog(root, query)] == expected


def mixed_dates() -> list[Paper]:
    """Papers on one topic, some with an arXiv id and some with only a year."""
    return [Paper(title=f"Spline Theory {n}", year=year, section="others", authors=["A B"],
                  arxiv=arxiv, key=f"spline-{year}")
            for n, (year, arxiv) in enumerate([(2018, "1802.00001"), (2024, None),
                                               (2021, "2101.00001"), (2015, None)])]


def test_ties_and_filters_alone_list_the_newest_first(tmp_path: Path) -> None:
    """A paper without an arXiv id or a date sorted after every paper with one, whatever
    its year: "Ties go to the newer paper" put 2018 before 2024."""
    newest_first = [2024, 2021, 2018, 2015]
    assert [h.paper.year for h in search(mixed_dates(), "spline theory")] == newest_first
    root = make_catalog(tmp_path / "catalog", mixed_dates())
    hits = search_catalog(root, None, keep=lambda p: p.section == "others")
    assert [h.paper.year for h in hits] == newest_first


def test_catalog_search_filters_and_hints(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", more_papers())
    hits = search_catalog(root, "lottery", keep=lambda p: p.year == 2021)
    assert titles(hits) == ["Winning Tickets at Scale"]
    everything = search_catalog(root, None, keep=lambda p: p.section == "others")
    assert [h.paper.year for h in everything] == [2023, 2021, 2018]
    with pytest.raises(NoMatch) as info:
        search_catalog(root, "grokkign dynamcs xyz", keep=lambda p: p.year == 1999)
    assert info.value.exit_code == 1
    with pytest.raises(NoMatch, match=r"closest: .*Platonic"):
        search_catalog(root, "platonnnnikk")
    with pytest.raises(NoMatch, match=r"deepphen add 2401\.99999"):
        search_catalog(root, "2401.99999")


def test_catalog_search_sees_an_edited_title(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", more_papers())
    age_catalog(root)
    assert titles(search_catalog(root, "winning tickets"))[0] == "Winning Tickets at Scale"
    path = root / "others" / "2103.00002.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Winning", "Losing"))
    age_catalog(root)
    assert titles(search_catalog(root, "losing tickets"))[0] == "Losing Tickets at Scale"
    with pytest.raises(NoMatch):
        search_catalog(root, "winning")


def test_catalog_search_lists_again_when_a_file_vanishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deepphen.catalog
    from deepphen.catalog import FileVanished

    root = make_catalog(tmp_path / "catalog", more_papers())
    real_read = deepphen.catalog.read_paper
    calls: list[Path] = []

    def read_once_vanished(path: Path) -> Paper:
        calls.append(path)
        if len(calls) == 1:
            raise FileVanished("cannot read: No such file or directory", path=path)
        return real_read(path)

    monkeypatch.setattr(deepphen.catalog, "read_paper", read_once_vanished)
    assert titles(search_catalog(root, "grokking"))[0] == GROKKING_TITLE
    assert calls.count(calls[0]) == 2  # the first file was read again after a fresh listing


@pytest.mark.parametrize(("typed", "slug"), [
    ("emprical", "empirical-study"),  # a typo in the first word, as a prefix is typed
    ("neural colapse", "neural-collapse"),
    ("lotery", "lottery-ticket-hypothesis"),
    ("nerual", None),  # Neural Collapse or Neural Tangent Kernel: no guess
    ("ntk", None),
])
def test_a_section_typed_with_a_typo_in_its_first_words(typed: str, slug: str | None) -> None:
    """--section 'emprical' was "unknown section", though --section 'empirical' (a prefix)
    and 'Empirical Studdy' (a typo) were found."""
    from deepphen.catalog import load_settings
    from deepphen.errors import DeepphenError
    from deepphen.filters import resolve_section

    settings = load_settings(Path(__file__).resolve().parents[1] / "catalog")
    if slug is None:
        with pytest.raises(DeepphenError, match="unknown section"):
            resolve_section(settings, typed)
    else:
        assert resolve_section(settings, typed).slug == slug


@pytest.mark.parametrize(("typed", "named"), [
    ("neural", {"neural-collapse", "neural-tangent-kernel"}),  # kept Neural Collapse only
    ("em", {"empirical-study", "emergence-and-phase-transitions"}),
    ("e", {"empirical-study", "emergence-and-phase-transitions"}),  # was Others
])
def test_a_section_several_begin_with_is_no_guess(typed: str, named: set[str]) -> None:
    from deepphen.catalog import load_settings
    from deepphen.errors import DeepphenError
    from deepphen.filters import resolve_section

    settings = load_settings(Path(__file__).resolve().parents[1] / "catalog")
    with pytest.raises(DeepphenError, match="could be any of") as caught:
        resolve_section(settings, typed)
    assert set(re.findall(r"\(([a-z-]+)\)", str(caught.value).split("(give")[0])) == named

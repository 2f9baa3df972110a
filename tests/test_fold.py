"""One folding of text for every comparison (``deepphen.vocab.fold``): spellings a reader
takes for the same text fold alike, whatever the quotes, dashes, spaces, invisible
characters, ligatures, widths or Greek letters, and the commands that compare text (add's
duplicates, search, refresh, keys, lint) agree. The page's script folds as Python does:
tests/test_fold_page.py checks that in a real browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen import add as add_core
from deepphen import ids
from deepphen.export.bibtex import citation_keys
from deepphen.models import Link, Paper
from deepphen.refresh import changes_for
from deepphen.search import search
from deepphen.vocab import APOSTROPHES, GREEK, Vocabulary, fold, fold_distinct, keyword_key
from tests.arxiv_server import ArxivServer
from tests.helpers import make_catalog, sample_papers

# Look-alikes of "-" and " " a title may carry (arXiv's, a publisher's, a word processor's).
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = "\u00a0\u1680\u2000\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\u2028\u2029\x85"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

# Texts and the spellings of them that must fold alike.
SAME = [
    ("Don't Trust", "Don\u2019t Trust", "Don\u02bct Trust", "Don`t Trust", "Don\u00b4t Trust",
     "DON\u2018T TRUST", "Don\uff07t Trust", "Dont Trust"),
    ("Occam's razor", "Occam\u2019s razor", "Occam\u2032s razor"),
    ("the 'Reversal Curse'", "the \u2018Reversal Curse\u2019", "the \u201cReversal Curse\u201d",
     'the "Reversal Curse"', "the \u00abReversal Curse\u00bb"),
    ("pre-training", "pre\u2010training", "pre\u2011training", "pre\u2013training",
     "pre\u2014training", "pre\u2212training", "pre - training"),
    ("a-1", "a\u22121", "a \u2212 1"),
    ("deep learning", "deep\u00a0learning", "deep\u2009learning", "deep\u202flearning",
     "deep\u3000learning", "deep\u2028learning", "deep \n\t learning"),
    ("grokking", "gro\u00adkking", "gro\u200bkking", "gro\u200dkking", "\ufeffgrokking",
     "gro\u2060kking", "GROKKING"),
    ("fine-tuning", "\ufb01ne-tuning", "Fine-Tuning"),
    ("GPT-2", "\uff27\uff30\uff34\uff0d\uff12", "GPT\u20132"),
    ("epsilon-greedy", "\u03b5-greedy", "\u03f5-greedy", "\U0001d700-greedy", "Epsilon-Greedy"),
    ("muP", "\u03bcP", "\u00b5P", "\u039cP"),
    ("beta-VAE", "\u03b2-VAE", "\u0392-VAE"),
    ("Erdos and Renyi", "Erd\u00f6s and R\u00e9nyi", "Erdo\u0308s and Re\u0301nyi"),
    ("Lukasz", "\u0141ukasz"),
]
# Texts that differ in meaning and must not fold alike.
DIFFERENT = [
    ("\u03bcP", "P"), ("\u03b1-entmax", "\u03b2-entmax"), ("\u03c3-VAE", "VAE"),
    ("a-b", "ab"), ("a\u2013b", "ab"), ("deep\u00a0learning", "deeplearning"),
    ("\u2113_1 norm", "\u2113_2 norm"), ("x\U0001f600y", "xy"),
]


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[0])
def test_spellings_read_alike_fold_alike(spellings: tuple[str, ...]) -> None:
    assert {fold(s) for s in spellings} == {fold(spellings[0])}


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_texts_that_differ_fold_apart(one: str, other: str) -> None:
    assert fold(one) != fold(other)


def test_apostrophes_join_words_and_greek_letters_are_named() -> None:
    assert fold("Reasoning Models Don't Always Say") == "reasoning models dont always say"
    assert fold("\u03b5--perturbation") == "epsilon perturbation"
    assert fold("The lazy (NTK) and rich (\u03bcP) regimes") == "the lazy ntk and rich mup regimes"
    assert fold("\u039b\u03a3") == "lambdasigma"


# --- properties over any text -----------------------------------------------------------

FOLDED = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")
# Texts rich in what folding is about, mixed with anything at all.
PIECES = st.sampled_from([*APOSTROPHES, *DASHES, *SPACES, *INVISIBLE, *GREEK, "'", "-", " ",
                          "\u0301", "\ufb01", "\uff21", "\u00df", "\u0141", "Don", "t", "a1"])
TEXTS = st.lists(PIECES | st.text(max_size=6), max_size=20).map("".join) | st.text()


@settings(max_examples=400)
@given(TEXTS)
def test_fold_gives_ascii_words_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert FOLDED.fullmatch(folded)
    assert fold(folded) == folded


@settings(max_examples=300)
@given(TEXTS, st.sampled_from(APOSTROPHES))
def test_any_apostrophe_folds_as_the_ascii_one(text: str, apostrophe: str) -> None:
    assert fold(text.replace("'", apostrophe)) == fold(text)


@settings(max_examples=300)
@given(TEXTS, st.sampled_from(DASHES), st.sampled_from(SPACES))
def test_any_dash_or_space_folds_as_the_ascii_one(text: str, dash: str, space: str) -> None:
    assert fold(text.replace("-", dash).replace(" ", space)) == fold(text)


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_invisible_characters_anywhere_change_nothing(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(text)))
    char = data.draw(st.sampled_from(INVISIBLE))
    assert fold(text[:at] + char + text[at:]) == fold(text)


@settings(max_examples=300)
@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e) | st.just(" ")))
def test_full_width_forms_fold_as_ascii(text: str) -> None:
    wide = "".join("\u3000" if c == " " else chr(ord(c) + 0xfee0) for c in text)
    assert fold(wide) == fold(text)


# --- what compares text: keys, duplicates, search, refresh, key words, lint, BibTeX ------

def test_keys_made_from_titles_do_not_depend_on_quote_style() -> None:
    assert ids.slugify("Don\u2019t Trust Your Eyes") == ids.slugify("Don't Trust Your Eyes") \
        == "dont-trust-your-eyes"
    assert ids.slugify("\u03bcP\u2014a Tutorial") == "mup-a-tutorial"
    assert ids.legacy_slug("Don't Trust Your Eyes") == "don-t-trust-your-eyes"


def test_lint_accepts_new_and_older_names_of_a_paper_without_arxiv_id(tmp_path: Path,
                                                                       run_cli) -> None:
    papers = [Paper(title="Don't Trust Your Eyes", year=2020, section="others",
                    key=key, keywords=["Grokking"],
                    links=[Link("paper", f"https://example.org/{key}")])
              for key in ("dont-trust-your-eyes", "don-t-trust-your-eyes-2")]
    bad = Paper(title="Don't Trust Your Eyes", year=2020, section="others", key="dont-trust",
                keywords=["Grokking"], links=[Link("paper", "https://example.org/x")])
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), *papers, bad])
    result = run_cli("lint", "--catalog", root, "--rule", "DP105", exit_code=1)
    flagged = [line.split(":")[0] for line in result.stdout.splitlines() if "(DP105)" in line]
    assert [Path(f).name for f in flagged] == ["dont-trust.toml"]
    assert (f"rename it: git mv {root.as_posix()}/others/dont-trust.toml "
            f"{root.as_posix()}/others/dont-trust-your-eyes-2.toml") in result.stdout


def test_key_word_variants_across_quote_styles_are_one_key_word() -> None:
    vocab = Vocabulary(["Occam's Razor", "Occam's Razor", "Occam\u2019s razor"])
    assert vocab.canonical("occam\u2019s razor") == "Occam's Razor"
    assert vocab.variant_groups() == {"Occam's Razor": ["Occam\u2019s razor"]}


def test_a_duplicate_in_another_quote_style_is_found() -> None:
    listed = Paper(title="\u201cWon\u2019t\u201d, \u201cCan\u2019t\u201d", year=2020,
                   section="others")
    assert add_core.find_duplicate([listed], "2001.00001", "\"Won't\", \"Can't\"") is listed


@pytest.mark.parametrize(("listed", "upstream"), [
    ("Don\u2019t Blame the Data: It\u2019s the Model", "Don't Blame the Data: It's the Model"),
    ("Don't Blame the Data: It's the Model", "Don\u2019t Blame the Data: It\u2019s the Model"),
])
def test_add_refuses_a_title_listed_in_another_quote_style(tmp_path: Path, arxiv: ArxivServer,
                                                          run_cli, monkeypatch,
                                                          listed: str, upstream: str) -> None:
    block = arxiv.feeds["current"][2]["1912.02292"]
    old = "Deep Double Descent: Where Bigger Models and More Data Hurt"
    arxiv.overrides["1912.02292"] = block.replace(old, upstream)
    paper = Paper(title=listed, year=2019, section="others", keywords=["Grokking"],
                  links=[Link("paper", "https://openreview.net/forum?id=B1g5sA4twr")])
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), paper])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("add", "1912.02292", "-s", "others", "-k", "Grokking", exit_code=1)
    assert "near-identical title" in result.stderr
    assert not (root / "others" / "1912.02292.toml").exists()


def search_papers() -> list[Paper]:
    titles = ["Reasoning Models Don\u2019t Always Say What They Think",
              "It's an Alignment, Not a Trade-off", "The lazy and rich (\u03bcP) regimes",
              "Beyond \u03b5\u2011greedy exploration", "Gro\u00adkking at the Edge",
              "A Hitchhiker's Guide to Scaling Law Estimation"]
    return [Paper(title=t, year=2024, section="others", key=f"p{i}") for i, t in
            enumerate(titles)]


@pytest.mark.parametrize(("queries", "title_start"), [
    (["don't", "don\u2019t", "dont", "DON`T"], "Reasoning Models"),
    (["it's an alignment", "it\u2019s an alignment"], "It's an Alignment"),
    (["muP", "\u03bcP", "\u00b5P"], "The lazy"),
    (["epsilon-greedy", "\u03b5-greedy", "epsilon greedy"], "Beyond"),
    (["grokking", "gro\u00adkking"], "Gro"),
    (["hitchhiker\u2019s guide", "hitchhikers guide"], "A Hitchhiker's"),
])
def test_search_finds_a_title_in_any_quote_style(queries: list[str], title_start: str) -> None:
    papers = search_papers()
    results = [[(h.paper.key, round(h.score, 9)) for h in search(papers, q)] for q in queries]
    assert results[0] and all(r == results[0] for r in results)
    assert next(p for p in papers if p.key == results[0][0][0]).title.startswith(title_start)


def test_search_command_finds_don_t_in_a_curly_title(tmp_path: Path, run_cli,
                                                    monkeypatch) -> None:
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), *search_papers()])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    for query in ("don't", "don\u2019t"):
        result = run_cli("search", query, "--format", "ids")
        assert result.stdout.splitlines()[0] == "p0"


def test_refresh_sees_no_change_in_quote_style_only(tmp_path: Path, arxiv: ArxivServer,
                                                    run_cli, monkeypatch) -> None:
    grokking = sample_papers()[0]
    ours = ("Grokking: Generalization Beyond Overfitting on \u2018Small\u2019 Datasets"
            " \u2014 It\u2019s Real")
    theirs = "Grokking: Generalization Beyond Overfitting on 'Small' Datasets - It's Real"
    block = arxiv.feeds["current"][2]["2201.02177"]
    arxiv.overrides["2201.02177"] = block.replace(grokking.title, theirs)
    grokking.title = ours
    root = make_catalog(tmp_path / "catalog", [grokking, *sample_papers()[1:]])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("refresh", "2201.02177", "--format", "json")  # exit 0: nothing changed
    assert json.loads(result.stdout)["updates"] == []


def test_refresh_compares_through_fold() -> None:
    from deepphen.arxiv import ArxivEntry

    paper = Paper(title="\u03bcP: It\u2019s Pre\u2011training", year=2024, section="others",
                  authors=["\u0141ukasz Kaiser"])
    entry = ArxivEntry(id="2401.00001", version=1, title="muP: It's Pre-training",
                       authors=["Lukasz Kaiser"], published=None)
    assert changes_for(paper, entry) == []


def test_bibtex_keys_join_apostrophes_as_before() -> None:
    papers = [Paper(title=title, year=2020, section="others", authors=[author])
              for title, author in [("Don\u2019t Stop", "Ann O'Neil"),
                                    ("\u03bcP Works", "Bo O\u2019Hara")]]
    keys = citation_keys(papers)
    assert [keys[id(p)] for p in papers] == ["oneil2020dont", "ohara2020mup"]


# --- telling texts apart: what fold drops (other scripts, symbols) still counts -------------

APART = [("\u6df1\u5ea6\u5b66\u4e60\u7684\u73b0\u8c61",
          "\u0413\u043b\u0443\u0431\u043e\u043a\u043e\u0435"),
         ("\u6df1\u5ea6\u5b66\u4e60 Survey", "\u5f3a\u5316\u5b66\u4e60 Survey"),
         ("\U0001f642", "\U0001f643"), ("Wei \u5f20", "Wei \u674e"),
         ("\u5f20\u4f1f", "\u674e\u5a1c"), ("???", "!!!")]


@pytest.mark.parametrize(("one", "other"), APART)
def test_texts_in_other_scripts_stay_apart(one: str, other: str) -> None:
    assert fold_distinct(one) != fold_distinct(other)
    assert fold_distinct(one) == fold_distinct(one.upper()) != ""


@settings(max_examples=300)
@given(TEXTS, TEXTS)
def test_fold_distinct_refines_fold(one: str, other: str) -> None:
    """Texts apart under fold stay apart; texts fold keeps whole compare as under fold."""
    if fold(one) != fold(other):
        assert fold_distinct(one) != fold_distinct(other) or not fold(one) or not fold(other)
    assert fold_distinct(one.replace("'", "\u2019")) == fold_distinct(one)


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[0])
def test_spellings_read_alike_are_not_told_apart(spellings: tuple[str, ...]) -> None:
    assert {fold_distinct(s) for s in spellings} == {fold(spellings[0])}


def test_other_scripts_are_not_duplicates_anywhere(tmp_path: Path, run_cli) -> None:
    one, other = APART[0]
    listed = Paper(title=one, year=2020, section="others", authors=["\u5f20\u4f1f"])
    assert add_core.find_duplicate([listed], "2001.00001", other) is None
    assert add_core.find_duplicate([listed], "2001.00001", one.upper()) is listed
    from deepphen.arxiv import ArxivEntry

    renamed = ArxivEntry(id="2001.00001", version=1, title=other, authors=["\u674e\u5a1c"],
                         published=None)
    assert [c.field for c in changes_for(listed, renamed)] == ["title", "authors"]
    from deepphen.discover import norm_title  # discover's "already in the catalog"

    assert norm_title(one) != norm_title(other)
    papers = [Paper(title=t, year=2020, section="others", key=f"p{i}", keywords=["Grokking"],
                    authors=["Wei \u5f20", "Wei \u674e"],
                    links=[Link("paper", f"https://example.org/{i}")])
              for i, t in enumerate(APART[1])]
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), *papers])
    result = run_cli("lint", "--catalog", root, "--rule", "DP305", "--rule", "DP306",
                     "--rule", "DP404")
    assert "(DP" not in result.stdout


def test_key_words_in_other_scripts_are_not_variants_of_one_another(tmp_path: Path,
                                                                     run_cli) -> None:
    """DP407's fix (and add's spelling of given key words) would rename one to the other."""
    deep, reinforced = "\u6df1\u5ea6\u5b66\u4e60", "\u5f3a\u5316\u5b66\u4e60"
    vocab = Vocabulary([deep, deep, reinforced, "\U0001f642", "Grokking"])
    assert vocab.variant_groups() == {}
    assert vocab.canonical(reinforced) == reinforced
    assert keyword_key("Occam\u2019s Razors") == keyword_key("occam's razor")
    papers = [Paper(title=f"Paper {i}", year=2020, section="others", key=f"p{i}",
                    keywords=[k], links=[Link("paper", f"https://example.org/{i}")])
              for i, k in enumerate([deep, deep, reinforced])]
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), *papers])
    assert "(DP407)" not in run_cli("lint", "--catalog", root, "--rule", "DP407").stdout
    stats = json.loads(run_cli("stats", "--catalog", root, "--format", "json").stdout)
    assert {deep, reinforced} <= set(json.dumps(stats, ensure_ascii=False).split('"'))

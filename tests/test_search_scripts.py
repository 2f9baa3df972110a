"""Search in any script: a reader finds a text by typing it as they would, whatever its
script, case, accents, normalization form (NFC or NFD), width or ligatures; a script written
without spaces (Chinese, Japanese, Korean, Thai) by any part of it; and no query, however
strange, crashes search or reaches the terminal as anything but inert text.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deepphen import ids
from deepphen.errors import DeepphenError, InvalidId
from deepphen.hints import suggestions
from deepphen.models import Paper
from deepphen.printable import has_control
from deepphen.search import SearchIndex, search
from deepphen.vocab import fold, search_tokens
from tests.helpers import make_catalog, more_papers

ZH = "深度学习的泛化理论研究"
JA = "ニューラルネットワークの汎化"
KO = "신경망의 일반화 연구"
RU = "Обобщение глубоких нейронных сетей и ёмкость"
EL = "Μηχανική Μάθηση"
AR = "التعلم العميق"
TH = "การเรียนรู้เชิงลึก"
HI = "गहन शिक्षण"
KERNEL = "Kernel Methods in Machine Learning"
TURKISH = "Ölçüm İstanbul Straße"


def script_papers() -> list[Paper]:
    """The shared sample papers and one paper in each script (authors too)."""
    written = [(ZH, ["张伟", "李娜"]), (JA, ["山田 太郎"]), (KO, ["김철수"]),
               (RU, ["Юрий Бурда"]), (EL, ["Νίκος Παπαδόπουλος"]), (AR, ["محمد علي"]),
               (TH, ["สมชาย ใจดี"]), (HI, ["राहुल शर्मा"]),
               (KERNEL, ["Bernhard Schölkopf", "Alexander J. Smola"]),
               (TURKISH, ["Ayşe Yılmaz"])]
    return [*more_papers(), *[
        Paper(title=title, year=2021, section="others", authors=authors, keywords=["Scripts"])
        for title, authors in written]]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(script_papers())


def top(index: SearchIndex, query: str) -> str:
    papers = script_papers()
    ranked = index.query(query.strip())
    assert ranked, f"nothing found for {query!r}"
    return papers[ranked[0][0]].title


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(("query", "title"), [
    # Chinese, Japanese, Korean, Thai: no spaces, so any part of a title finds it.
    (ZH, ZH), ("深度学习", ZH), ("泛化理论", ZH), ("学", ZH), ("究", ZH),
    (JA, JA), ("ネットワーク", JA), ("汎化", JA), ("ﾈｯﾄﾜｰｸ", JA),  # half-width katakana
    (KO, KO), ("일반화", KO), ("신경", KO), (nfd("일반화"), KO),  # Hangul as its jamo
    ("เรียนรู้", TH), ("ลึก", TH),
    # Scripts written with spaces: words, in any case, any form, a prefix, a typo.
    ("обобщение", RU), ("ОБОБЩЕНИЕ", RU), ("обобщ", RU), ("обобшение", RU),
    (nfd("нейронных"), RU), ("емкость", RU), ("бурда", RU), ("Юрий Бурда", RU),
    ("μηχανική", EL), ("ΜΗΧΑΝΙΚΗ", EL), ("μηχανικη", EL), ("Παπαδόπουλος", EL),
    ("العميق", AR), ("الْعَمِيق", AR),  # with the vowel marks Arabic mostly leaves out
    ("शिक्षण", HI), ("शर्मा", HI),
    ("张伟", ZH), ("山田", JA),
    # Latin: accents, NFD, capitals, the German and Turkish letters, widths and ligatures.
    ("Schölkopf", KERNEL), ("Scholkopf", KERNEL), (nfd("Schölkopf"), KERNEL),
    ("SCHÖLKOPF", KERNEL), ("schoelkopf", KERNEL),  # the transliteration: one edit away
    ("ｋｅｒｎｅｌ ｍｅｔｈｏｄｓ", KERNEL), ("Machine Learning Kernel", KERNEL),
    ("Yilmaz", TURKISH), ("YILMAZ", TURKISH), ("yılmaz", TURKISH), ("istanbul", TURKISH),
    ("İSTANBUL", TURKISH), ("strasse", TURKISH), ("STRAẞE", TURKISH), ("olcum", TURKISH),
])
def test_found_as_a_reader_types_it(index: SearchIndex, query: str, title: str) -> None:
    """A query in another script was refused ("has no Latin letters or digits")."""
    assert top(index, query) == title


@pytest.mark.parametrize(("query", "title"), [(ZH, ZH), (KO, KO), (TH, TH), (RU, RU),
                                              (nfd(KO), KO), (AR, AR)])
def test_the_exact_title_scores_one(index: SearchIndex, query: str, title: str) -> None:
    ranked = index.query(query)
    assert ranked[0][1] == 1.0
    assert script_papers()[ranked[0][0]].title == title


@pytest.mark.parametrize(("query", "wanted"), [
    ("深度学习", {ZH}), ("ネットワーク", {JA}), ("обобщение", {RU}), ("일반화", {KO}),
])
def test_other_scripts_find_only_their_own(index: SearchIndex, query: str,
                                          wanted: set[str]) -> None:
    papers = script_papers()
    assert {papers[i].title for i, _score, _fields in index.query(query)} == wanted


def test_a_contiguous_part_ranks_above_scattered_characters() -> None:
    """"深度学习" as written outranks a title holding 深度 and 学习 apart."""
    together = Paper(title="深度学习方法", year=2020, section="others", authors=["A B"])
    apart = Paper(title="深度的学习方法", year=2024, section="others", authors=["C D"])
    assert [h.paper for h in search([apart, together], "深度学习")] == [together, apart]


def test_the_closest_titles_of_a_hint_are_read_in_any_script() -> None:
    """A "nothing matched" hint compared fold's ASCII words: "" for other scripts."""
    assert suggestions(script_papers(), "обобщения глубоких сетей")[0] == RU
    assert suggestions(script_papers(), "深度学习理论")[0] == ZH


# --- properties -------------------------------------------------------------------------

def is_link(text: str) -> bool:
    """Whether search reads ``text`` as an arXiv id or a URL rather than as words."""
    try:
        ids.parse_arxiv_id(text.strip())
    except InvalidId:
        return "://" in text and " " not in text.strip()
    return True


# Latin and Greek as fold reads them: accents (NFD too), apostrophes, dashes, ligatures,
# widths, invisible characters, the letters NFKD does not decompose.
PIECES = st.sampled_from(["Don", "t", "a1", "'", "\u2019", "\u00b4", "-", "\u2013", " ", "\u00a0",
                          "\u200b", "\u00ad", "\u0301", "\u00e9", "\ufb01", "\uff21", "\u00df",
                          "\u0141", "\u0130", "\u0131", "\u03bc", "\u03a3", "\u1fbd", "\U0001d700"])
# Scripts without spaces, plus some of what separates or hides inside them.
UNSPACED = st.sampled_from([*ZH, *JA, *KO, *TH, "、", "。", " ", "\u200b", "ー", "々", "〇"])
ANY_TEXT = (st.text(min_size=1, max_size=120)
            | st.lists(UNSPACED | PIECES | st.text(max_size=4), min_size=1, max_size=30)
            .map("".join))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_title_is_found_first_by_its_exact_text(title: str) -> None:
    assume("\x00" not in title and search_tokens(title)[0] and not is_link(title))
    paper = Paper(title=title, year=1999, section="others", authors=["A B"])
    hits = search([*more_papers(), paper], title)
    assert any(h.paper is paper and h.score == 1.0 for h in hits)
    assert hits[0].score == 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(UNSPACED, min_size=1, max_size=40), st.data())
def test_any_part_of_an_unspaced_title_finds_it(title: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(title) - 1))
    part = title[start:data.draw(st.integers(start + 1, len(title)))]
    assume(search_tokens(part)[0])
    paper = Paper(title=title, year=1999, section="others", authors=["A B"])
    assert paper in [h.paper for h in search([*more_papers(), paper], part)]


WILD = (st.text() | st.binary(max_size=60).map(lambda b: b.decode("utf-8", "surrogateescape"))
        | st.lists(UNSPACED | PIECES, max_size=20).map("".join))


@settings(max_examples=300, deadline=None)
@given(WILD, WILD, WILD)
def test_no_text_in_a_catalog_or_a_query_crashes_search(title: str, author: str,
                                                       query: str) -> None:
    paper = Paper(title=title, year=2000, section="others", authors=[author],
                  keywords=[title[:10]], digest=author)
    try:
        hits = search([*more_papers(), paper], query)
    except DeepphenError as exc:
        assert exc.exit_code in (1, 2)
        return
    assert all(0 < h.score <= 1 for h in hits)


@settings(max_examples=400)
@given(WILD)
def test_search_words_are_clean_and_nfc_and_nfd_give_the_same(text: str) -> None:
    """Canonically equivalent texts (what keyboards and file systems make of one text) give
    one set of words. (Compatibility forms may not: NFKD makes a koronis used as an
    apostrophe a space, and fold then splits the word as the space says.)"""
    words, singles = search_tokens(text)
    for word in words + singles:
        assert word and not any(unicodedata.category(c)[0] in "CZ" for c in word), word
        assert not any(c.isspace() for c in word)
    for form in ("NFC", "NFD"):
        assert search_tokens(unicodedata.normalize(form, text)) == (words, singles)


@settings(max_examples=300)
@given(st.lists(PIECES | st.text(st.characters(codec="latin-1"), max_size=5),
                max_size=20).map("".join))
def test_latin_and_greek_text_gives_fold_s_words(text: str) -> None:
    """Catalogs in Latin letters search exactly as before: the words are fold's."""
    assert search_tokens(text) == (fold(text).split(), [])


# --- the command line -------------------------------------------------------------------

@pytest.fixture(scope="module")
def script_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_catalog(tmp_path_factory.mktemp("scripts") / "catalog", script_papers())


@pytest.mark.parametrize("fmt", ["table", "json", "ids"])
def test_the_command_finds_other_scripts(script_catalog: Path, run_cli: Callable[..., object],
                                         fmt: str) -> None:
    result = run_cli("search", "泛化", "--format", fmt, "--catalog", script_catalog)
    if fmt == "json":
        assert [hit["title"] for hit in json.loads(result.stdout)] == [ZH]
    else:
        assert len(result.stdout.splitlines()) == 1
    run_cli("stats", "обобщение", "--catalog", script_catalog)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(WILD, st.sampled_from([("search", "table"), ("search", "json"), ("search", "ids"),
                              ("stats", "text"), ("stats", "json")]))
def test_any_query_gives_inert_output_and_json_that_parses(
        script_catalog: Path, run_cli: Callable[..., object], query: str,
        command: tuple[str, str]) -> None:
    assume(not query.startswith("-"))  # an option, not a query
    name, fmt = command
    result = run_cli(name, query, "--format", fmt, "--catalog", script_catalog,
                     exit_code=None)
    assert result.exit_code in (0, 1, 2), result.exception
    for stream in (result.stdout, result.stderr):
        assert not has_control(stream.replace("\n", "").replace("\t", ""))
    if fmt == "json" and result.exit_code != 2:
        assert json.loads(result.stdout) is not None  # strict JSON: [] or {...} when none
    if result.exit_code:
        assert result.stderr.count("\n") == 1

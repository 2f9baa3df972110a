"""Search reads the catalog's acronyms: LTH finds the lottery-ticket papers and back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.models import Paper
from deepphen.search import SearchIndex, search
from tests.helpers import make_catalog, sample_settings


def paper(title: str, keywords: list[str], year: int = 2023, digest: str | None = None,
          authors: tuple[str, ...] = ("Ada Byron",)) -> Paper:
    return Paper(title=title, year=year, section="others", keywords=keywords,
                 authors=list(authors), digest=digest)


def acronym_papers() -> list[Paper]:
    return [
        paper("The Lottery Ticket Hypothesis: Finding Sparse Networks",
              ["Lottery Ticket Hypothesis"], 2019),
        paper("Rigging the Lottery", ["Lottery Ticket Hypothesis", "Sparse Training"], 2020),
        paper("Winning Tickets Early", ["Lottery Ticket Hypothesis"], 2021),
        paper("Transformers Learn In-Context by Gradient Descent", ["In-Context Learning"]),
        paper("What Makes Demonstrations Work?", ["In-Context Learning"], 2022),
        paper("Data Distributional Properties Drive Emergent Learning", ["Emergence"], 2022,
              digest="Bursty data makes in-context learning emerge in transformers."),
        paper("Limitations of the NTK for Understanding Generalization", ["Kernel Regime"]),
        paper("Neural Tangent Kernel: Convergence and Generalization",
              ["Neural Tangent Kernel"], 2018),
        paper("Fast Finite Width Neural Tangent Kernel", ["Kernel Methods"], 2022),
        paper("Scaling Laws at ICLR and Beyond", ["Scaling Laws"], 2024),
        paper("Node Classification with Message Passing", ["Graph Neural Networks"], 2020),
        paper("Continuous Depth Models", ["Neural Ordinary Differential Equations"], 2019),
        paper("Sam Expands Everything", ["Tabular Data"], 2019, authors=("Sam Nobody",)),
    ]


def titles(papers: list[Paper], query: str) -> list[str]:
    return [hit.paper.title for hit in search(papers, query)]


def test_an_acronym_finds_the_papers_of_its_phrase() -> None:
    papers = acronym_papers()
    assert set(titles(papers, "LTH")) == {
        "The Lottery Ticket Hypothesis: Finding Sparse Networks", "Rigging the Lottery",
        "Winning Tickets Early"}
    found = titles(papers, "ICL")
    # In-context learning in key words and in a digest; never the ICLR title, which
    # begins with the letters only.
    assert set(found) == {"Transformers Learn In-Context by Gradient Descent",
                          "What Makes Demonstrations Work?",
                          "Data Distributional Properties Drive Emergent Learning"}
    assert found[-1] == "Data Distributional Properties Drive Emergent Learning"  # digest last
    assert titles(papers, "lth") == titles(papers, "LTH")  # typed in lower case, alone


def test_literal_matches_are_not_buried() -> None:
    # The title that writes NTK ranks above a title that spells it out, and below only the
    # paper that spells it out in both its title and its key words.
    assert titles(acronym_papers(), "NTK") == [
        "Neural Tangent Kernel: Convergence and Generalization",
        "Limitations of the NTK for Understanding Generalization",
        "Fast Finite Width Neural Tangent Kernel"]


def test_a_phrase_spelt_out_finds_papers_that_only_write_the_acronym() -> None:
    found = titles(acronym_papers(), "neural tangent kernel")
    # After the papers that spell it out, before those sharing one word ("neural").
    assert found[:3] == ["Neural Tangent Kernel: Convergence and Generalization",
                         "Fast Finite Width Neural Tangent Kernel",
                         "Limitations of the NTK for Understanding Generalization"]


def test_an_acronym_that_is_also_a_word_needs_capitals_in_a_longer_query() -> None:
    papers = acronym_papers()
    # "node" is an ordinary word of this catalog: in a longer lower-case query it is a word...
    assert titles(papers, "node classification") == ["Node Classification with Message Passing"]
    # ...in capitals, or alone, it is also the acronym.
    assert "Continuous Depth Models" in titles(papers, "NODE classification")
    assert "Continuous Depth Models" in titles(papers, "node")
    # A spelt-out phrase never brings the plain word's papers.
    assert "Node Classification with Message Passing" not in titles(
        papers, "neural ordinary differential equations")


def test_phrase_words_alone_are_not_an_acronym() -> None:
    # "lottery" and "hypothesis" far apart in a query are no spelt-out phrase.
    index = SearchIndex.build(acronym_papers())
    assert index.acronyms.variants("ticket lottery hypothesis") == []
    assert index.acronyms.variants("the lottery ticket hypothesis") == ["the lth"]
    assert index.acronyms.variants("lth pruning") == ["lottery ticket hypothesis pruning"]


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_catalog(tmp_path / "catalog", acronym_papers(), sample_settings())
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


def test_search_lth_on_the_command_line(catalog: Path, run_cli: Callable[..., object]) -> None:
    result = run_cli("search", "LTH", "--format", "json")
    hits = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [h["title"] for h in hits] == [
        "The Lottery Ticket Hypothesis: Finding Sparse Networks",  # title and key words
        "Winning Tickets Early", "Rigging the Lottery"]  # key words: newer first
    assert [h["matched"] for h in hits] == [["title", "keywords"], ["keywords"], ["keywords"]]
    # The cached index answers the same (second run reads it).
    again = json.loads(run_cli("search", "LTH", "--format", "json").stdout)  # type: ignore
    assert again == hits
    run_cli("search", "XYZQ", exit_code=1)  # no acronym of this catalog: nothing found

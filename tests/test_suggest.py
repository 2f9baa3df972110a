"""Section ranking and key-word suggestions, learnt from the catalog's own papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepphen.ids import id_sort_key
from deepphen.models import Paper, Section, Settings
from deepphen.suggest import (
    SectionModel,
    normalize_keywords,
    rank_sections,
    suggest_keywords,
    tokens,
)
from deepphen.vocab import Vocabulary

SECTIONS = [
    Section("Neural Collapse", "neural-collapse"),
    Section("Lottery Ticket Hypothesis", "lottery-ticket-hypothesis"),
    Section("Emergence and Phase Transitions", "emergence-and-phase-transitions"),
    Section("Others", "others"),
]
SETTINGS = Settings(title="t", sections=SECTIONS)


def paper(title: str, section: str, *keywords: str, digest: str | None = None) -> Paper:
    return Paper(title=title, year=2022, section=section, keywords=list(keywords), digest=digest)


# Invented titles in the style of the list; enough for each section to have a profile.
PAPERS = [
    paper("Feature collapse of last-layer representations in deep classifiers",
          "neural-collapse", "Neural Collapse"),
    paper("Neural collapse under imbalanced classes and minority collapse",
          "neural-collapse", "Neural Collapse", "Imbalanced Training"),
    paper("A geometric analysis of neural collapse with unconstrained features",
          "neural-collapse", "Neural Collapse", "Unconstrained Features"),
    paper("Winning tickets found early in training by iterative magnitude pruning",
          "lottery-ticket-hypothesis", "Lottery Ticket Hypothesis", "Pruning"),
    paper("Sparse subnetworks at initialization: pruning before training",
          "lottery-ticket-hypothesis", "Pruning at Initialization", "Sparse Training"),
    paper("Rewinding weights to find lottery tickets in large networks",
          "lottery-ticket-hypothesis", "Lottery Ticket Hypothesis", "Rewinding"),
    paper("Grokking as delayed generalization on algorithmic data",
          "emergence-and-phase-transitions", "Grokking"),
    paper("Emergent abilities of large language models appear suddenly with scale",
          "emergence-and-phase-transitions", "Emergence", "Large Language Model"),
    paper("A phase transition in in-context learning during transformer training",
          "emergence-and-phase-transitions", "In-Context Learning", "Phase Transition"),
    paper("Implicit regularization of gradient descent in matrix factorization",
          "others", "Implicit Regularization"),
    paper("Loss landscape geometry and mode connectivity of deep networks",
          "others", "Loss Landscape", "Mode Connectivity"),
    paper("PAC-Bayes generalization bounds for overparameterized networks",
          "others", "PAC-Bayes", "Generalization Bound"),
]


def top(title: str, abstract: str = "", keywords: tuple[str, ...] = ()) -> str:
    return rank_sections(PAPERS, SETTINGS, title, abstract, keywords)[0].section.slug


def test_scores_are_probabilities_best_first() -> None:
    ranked = rank_sections(PAPERS, SETTINGS, "Collapse of class means at the end of training")
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert sum(scores) == pytest.approx(1.0, abs=1e-3)
    assert ranked[0].section.slug == "neural-collapse"
    assert {r.section.slug for r in ranked} == {s.slug for s in SECTIONS}


@pytest.mark.parametrize(
    ("title", "keywords", "expected"),
    [
        ("Pruning finds sparse trainable subnetworks", (), "lottery-ticket-hypothesis"),
        ("Sudden jumps in capability of language models with scale", (),
         "emergence-and-phase-transitions"),
        ("Sharpness of minima and the loss landscape", (), "others"),
        # A key word that lives in one section is a strong cue, whatever the title says.
        ("A study of deep networks", ("Grokking",), "emergence-and-phase-transitions"),
        ("A study of deep networks", ("Neural Collapse",), "neural-collapse"),
    ],
)
def test_ranking_follows_the_catalog(title: str, keywords: tuple[str, ...], expected: str) -> None:
    assert top(title, keywords=keywords) == expected


def test_abstract_counts() -> None:
    abstract = "We prune the network at initialization and retrain the sparse subnetwork."
    assert top("A surprising observation", abstract) == "lottery-ticket-hypothesis"


def test_heading_named_in_the_title_is_a_cue() -> None:
    ranked = rank_sections(PAPERS, SETTINGS, "Revisiting the lottery ticket hypothesis")
    assert ranked[0].section.slug == "lottery-ticket-hypothesis"


def test_an_acronym_in_capitals_counts_as_its_phrase() -> None:
    # No word of the title but LTH ties it to the section: its heading's initials do.
    vague = "A closer look at the {}"
    assert top(vague.format("LTH")) == "lottery-ticket-hypothesis"
    assert top(vague.format("lth")) != "lottery-ticket-hypothesis"  # lower case: a word
    found = suggest_keywords(PAPERS, "Does ICL emerge abruptly?")
    assert found[0] == "In-Context Learning"
    # An abstract's own definition counts for the title too.
    model = SectionModel(PAPERS, SETTINGS)
    assert model.acronyms.expand("The NC of features", "neural collapse (NC) is ...") == (
        "The NC (neural collapse) of features")


def test_kept_similarities_give_the_answers_of_a_fresh_model() -> None:
    # rank and nearest share each paper's lookup (discover asks both of every candidate
    # it shows); what is kept is bounded and never changes an answer.
    from deepphen.suggest import RECENT_QUERIES

    queries = [(f"Paper {i} on pruning and collapse of features", f"abstract {i} grokking")
               for i in range(RECENT_QUERIES + 5)]
    kept = SectionModel(PAPERS, SETTINGS)
    for title, abstract in queries * 2:
        fresh = SectionModel(PAPERS, SETTINGS)
        assert kept.nearest(title, abstract) == fresh.nearest(title, abstract)
        assert kept.rank(title, abstract) == fresh.rank(title, abstract)
        assert kept.rank(title, abstract, ["Pruning"]) == fresh.rank(
            title, abstract, ["Pruning"])
    assert len(kept._recent) <= RECENT_QUERIES


def test_empty_catalog_gives_even_scores() -> None:
    ranked = SectionModel([], SETTINGS).rank("Anything at all")
    assert [r.score for r in ranked] == [0.25] * 4
    assert [r.section for r in ranked] == SECTIONS  # ties keep the page order


def test_tokens_fold_singularize_and_pair() -> None:
    assert tokens("Lottery Tickets in the Networks") == (
        "lottery", "ticket", "network", "lottery_ticket", "ticket_network")


def test_normalize_keywords_maps_variants_and_drops_repeats() -> None:
    vocab = Vocabulary(["Large Language Model", "Large Language Model", "Fine-Tuning"])
    choices = normalize_keywords(vocab, ["large language models", "fine tuning",
                                         "Large-Language Model", "Brand New Idea", " ; "])
    assert [(c.given, c.spelling, c.changed) for c in choices] == [
        ("large language models", "Large Language Model", True),
        ("fine tuning", "Fine-Tuning", True),
        ("Brand New Idea", "Brand New Idea", False),
    ]


def test_suggest_keywords_from_the_vocabulary() -> None:
    found = suggest_keywords(PAPERS, "Neural collapse and pruning of sparse networks",
                             "We study mode connectivity after pruning.", given=["Pruning"])
    assert found[0] == "Neural Collapse"
    assert "Mode Connectivity" in found
    assert "Pruning" not in found
    assert len(found) <= 5
    assert suggest_keywords([], "Anything") == []


@pytest.mark.shared
def test_real_list_newest_papers_ranked_from_older_ones(real_list: Path) -> None:
    """Like real additions: the newest papers, ranked by a model built from the older ones."""
    from deepphen.importer import parse_list

    result = parse_list(real_list.read_text(encoding="utf-8"))
    newest = [p for p in result.papers if p.arxiv and id_sort_key(p.arxiv)[0] >= 202401]
    older = [p for p in result.papers if p not in newest]
    model = SectionModel(older, result.settings)
    ranks = [[r.section.slug for r in model.rank(p.title, "", p.keywords)] for p in newest]
    top1 = sum(r[0] == p.section for r, p in zip(ranks, newest, strict=True)) / len(newest)
    top3 = sum(p.section in r[:3] for r, p in zip(ranks, newest, strict=True)) / len(newest)
    assert len(newest) > 50
    assert top1 >= 0.65 and top3 >= 0.9, (top1, top3)

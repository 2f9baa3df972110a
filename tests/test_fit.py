"""Ranking arXiv candidates by fit to a catalog: small invented catalogs and candidates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from pathlib import Path

import pytest

from deepphen.arxiv import ArxivEntry
from deepphen.fit import (
    Authors,
    Fit,
    FitModel,
    Neighbour,
    PhraseIndex,
    Why,
    name_parts,
    word_tokens,
)
from deepphen.models import Paper, Section, Settings

SECTIONS = [
    Section("Neural Collapse", "neural-collapse"),
    Section("Lottery Ticket Hypothesis", "lottery-ticket-hypothesis"),
    Section("Grokking", "grokking"),
]
SETTINGS = Settings(title="t", sections=SECTIONS)


def paper(key: str, title: str, section: str, keywords: list[str],
          authors: list[str] | None = None, arxiv: str | None = None) -> Paper:
    return Paper(title=title, year=2022, section=section, keywords=keywords,
                 authors=authors or [], key=key, arxiv=arxiv)


PAPERS = [
    paper("nc1", "Prevalence of neural collapse in the terminal phase of training",
          "neural-collapse", ["Neural Collapse"], ["Vardan Papyan", "David L. Donoho"]),
    paper("nc2", "Neural collapse with imbalanced classes: minority collapse",
          "neural-collapse", ["Neural Collapse", "Imbalanced Training"], ["Cong Fang"]),
    paper("nc3", "Unconstrained features model of last-layer feature geometry",
          "neural-collapse", ["Neural Collapse", "Unconstrained Features"]),
    paper("lt1", "Winning lottery tickets found by iterative magnitude pruning",
          "lottery-ticket-hypothesis", ["Lottery Ticket Hypothesis", "Pruning"],
          ["Jonathan Frankle", "Michael Carbin"]),
    paper("lt2", "Sparse subnetworks at initialization and pruning before training",
          "lottery-ticket-hypothesis", ["Pruning at Initialization"], arxiv="2009.08576"),
    paper("gk1", "Grokking: delayed generalization beyond overfitting on algorithmic data",
          "grokking", ["Grokking"], ["Alethea Power"]),
    paper("gk2", "Understanding grokking through representation learning dynamics",
          "grokking", ["Grokking", "Representation Learning"]),
]


def entry(arxiv_id: str, title: str, summary: str = "", authors: list[str] | None = None,
          ) -> ArxivEntry:
    return ArxivEntry(id=arxiv_id, version=1, title=title, authors=authors or ["A. Nobody"],
                      published=dt.date(2025, 5, 1), summary=summary, categories=["cs.LG"])


CANDIDATES = [
    entry("2505.00001", "Neural collapse in large language model classifiers",
          "We observe neural collapse of last-layer features during terminal phase training."),
    entry("2505.00002", "A new benchmark for autonomous driving perception",
          "We release a dataset of camera images for object detection in urban scenes."),
    entry("2505.00003", "Lottery tickets in vision transformers",
          "Iterative magnitude pruning finds sparse winning tickets at initialization."),
    entry("2505.00004", "Efficient retrieval augmented generation for question answering",
          "A retriever and a generator are trained jointly to answer open-domain questions."),
    entry("2505.00005", "Delayed generalization on modular arithmetic",
          "We study grokking and how representations form long after overfitting."),
]


# Unrelated listings around the candidates, as a week of arXiv has: the contrast they give
# is what the ranking learns from.
_TOPICS = ["object detection", "speech recognition", "protein folding", "traffic forecasting",
           "medical image segmentation", "recommender systems", "graph neural networks",
           "robot navigation", "machine translation", "federated learning"]
_VERBS = ["improves", "accelerates", "benchmarks", "scales", "simplifies"]


def filler(count: int) -> list[ArxivEntry]:
    out = []
    for i in range(count):
        topic, other = _TOPICS[i % len(_TOPICS)], _TOPICS[(i * 3 + 1) % len(_TOPICS)]
        verb = _VERBS[i % len(_VERBS)]
        out.append(entry(f"2505.1{i:04d}", f"A method that {verb} {topic}",
                         f"We propose a new architecture for {topic} and {other}; it "
                         f"{verb} training on standard benchmarks and data."))
    return out


@pytest.fixture(scope="module")
def model() -> FitModel:
    return FitModel.learn(PAPERS, SETTINGS)


def test_rank_puts_the_fitting_papers_first(model: FitModel) -> None:
    ranked = model.rank(CANDIDATES)
    top = {f.entry.id for f in ranked[:3]}
    assert top == {"2505.00001", "2505.00003", "2505.00005"}
    assert [f.score for f in ranked] == sorted((f.score for f in ranked), reverse=True)
    assert all(0.0 <= f.score <= 1.0 for f in ranked)


def test_score_explains_itself(model: FitModel) -> None:
    fit = next(f for f in model.rank(CANDIDATES) if f.entry.id == "2505.00001")
    assert fit.why.neighbours[0].key in {"nc1", "nc2", "nc3"}
    assert "Neural Collapse" in fit.why.keywords
    assert "Neural Collapse" in fit.explain()
    assert "\n" not in fit.explain()
    data = fit.why.to_dict()
    assert set(data) == {"neighbours", "keywords", "authors"}
    assert data["neighbours"][0]["similarity"] > 0


def test_unrelated_candidate_says_so(model: FitModel) -> None:
    fit = model.rank([entry("2505.00009", "Zebra stripes", "Camouflage of zebras.")])[0]
    assert fit.why.neighbours == [] and fit.why.keywords == []
    assert fit.explain() == "no shared words, key words or authors"
    assert fit.score < 0.5


def test_shared_authors_are_found_and_help(model: FitModel) -> None:
    title, summary = "Feature geometry at the end of training", "Last-layer features."
    alone = model.rank([entry("2505.00010", title, summary)])[0]
    shared = model.rank([entry("2505.00011", title, summary, ["V. Papyan", "Someone Else"])])[0]
    assert shared.why.authors == ["V. Papyan"]
    assert shared.score > alone.score


def test_suggestions_are_those_of_add(model: FitModel) -> None:
    fit = model.rank(CANDIDATES[:1])[0]
    assert fit.suggested_sections[0][0] == "neural-collapse"
    scores = [s for _, s in fit.suggested_sections]
    assert scores == sorted(scores, reverse=True)
    assert "Neural Collapse" in fit.suggested_keywords


def test_abstracts_by_key_or_arxiv_id_teach_the_model() -> None:
    cand = entry("2505.00020", "Saliency of sparse masks",
                 "Masks chosen by saliency scores before any training step.")
    listing = [*CANDIDATES, cand, *filler(40)]
    plain = FitModel.learn(PAPERS, SETTINGS).rank(listing)
    taught = FitModel.learn(PAPERS, SETTINGS, abstracts={
        "2009.08576": "Saliency scores choose sparse masks before any training step.",
    }).rank(listing)
    before = next(f for f in plain if f.entry.id == "2505.00020")
    fit = next(f for f in taught if f.entry.id == "2505.00020")
    assert fit.evidence > before.evidence and fit.score > before.score
    assert fit.why.neighbours[0].key == "lt2"


def test_a_titles_only_catalog_also_compares_titles_with_titles() -> None:
    """Same words in all, but one candidate's title speaks like the catalog's titles."""
    in_title = entry("2505.00031", "Grokking and neural collapse",
                     "A method that scales object detection.")
    in_abstract = entry("2505.00030", "A method that scales object detection",
                        "Grokking and neural collapse.")
    listing = [in_title, in_abstract, *filler(40)]
    model = FitModel.learn(PAPERS, SETTINGS)
    assert model.title_weight > 0
    ranked = [f.entry.id for f in model.rank(listing)]
    assert ranked.index("2505.00031") < ranked.index("2505.00030")
    model.title_weight = 0.0  # words alone: the two tie (the id breaks it the other way)
    ranked = [f.entry.id for f in model.rank(listing)]
    assert ranked.index("2505.00030") < ranked.index("2505.00031")


def test_the_title_contrast_fades_as_the_catalog_gains_abstracts() -> None:
    every = {p.key: f"{p.title} explained at length." for p in PAPERS}
    half = dict(list(every.items())[:len(PAPERS) // 2])
    weights = [FitModel.learn(PAPERS, SETTINGS, given).title_weight
               for given in (None, half, every)]
    assert weights[0] > weights[1] > weights[2] == 0.0


def test_an_abstract_that_only_repeats_the_title_is_no_abstract() -> None:
    """A server that knows a catalog paper only by its title (a stand-in, a stub record)
    must not switch off the title contrast as if the catalog had its abstracts."""
    echoes = {p.key: f"  {p.title.upper()}. " for p in PAPERS}
    model = FitModel.learn(PAPERS, SETTINGS, echoes)
    assert model.abstracts == [""] * len(PAPERS)
    assert model.title_weight == FitModel.learn(PAPERS, SETTINGS).title_weight > 0


def test_empty_inputs() -> None:
    assert FitModel.learn([], SETTINGS).rank(CANDIDATES[:1])[0].score < 0.5
    assert FitModel.learn(PAPERS, SETTINGS).rank([]) == []


def test_name_parts() -> None:
    assert name_parts("David L. Donoho") == ("donoho", "david")
    assert name_parts("Łukasz Kaiser") == ("kaiser", "lukasz")
    assert name_parts("Martin Luther King Jr.") == ("king", "martin")
    assert name_parts("Plato") == ("plato", "")
    assert name_parts("  ") is None


@pytest.mark.parametrize(("name", "papers"), [
    ("David L. Donoho", 2), ("David Donoho", 2), ("D. Donoho", 2), ("Donoho", 0),
    ("Daniel Donoho", 1),  # only "D. Donoho" may be him
    ("Yu Wang", 1), ("Y. Wang", 2), ("Yang Wang", 0), ("Wang Yu", 0),
    ("X. Han", 1), ("Xiaoyu Han", 1),  # the catalog knows only the initial
    ("Lukasz Kaiser", 1), ("Plato", 1), ("", 0),
])
def test_authors_match_given_names_not_only_initials(name: str, papers: int) -> None:
    authors = Authors([["David L. Donoho", "Yu Wang"], ["D. Donoho", "X.Y. Han"],
                       ["Łukasz Kaiser", "Yi Wang", "Plato"]])
    assert authors.papers_of(name) == papers


def test_fit_repr() -> None:
    fit = FitModel.learn(PAPERS, SETTINGS).rank(CANDIDATES[:1])[0]
    assert isinstance(fit, Fit) and "2505.00001" in repr(fit)


def test_ranking_ignores_the_order_of_the_listing(model: FitModel) -> None:
    listing = [*CANDIDATES, *filler(30)]
    first = [(f.entry.id, f.score) for f in model.rank(listing)]
    assert [(f.entry.id, f.score) for f in model.rank(listing[::-1])] == first


def test_scores_are_comparable_across_listing_sizes(model: FitModel) -> None:
    small = {f.entry.id: f for f in model.rank([*CANDIDATES, *filler(40)])}
    large = {f.entry.id: f for f in model.rank([*CANDIDATES, *filler(200)])}
    for arxiv_id in ("2505.00001", "2505.00003", "2505.00005"):
        assert small[arxiv_id].score > 0.5 and large[arxiv_id].score > 0.5
        assert 0.5 < large[arxiv_id].evidence / small[arxiv_id].evidence < 2
    assert small["2505.10000"].score < 0.1 and large["2505.10000"].score < 0.1


def test_the_listing_is_the_contrast(model: FitModel) -> None:
    """A word all the listing uses says little, however often the catalog uses it."""
    noisy = [entry(f"2505.2{i:04d}", f"Training dynamics of {t}", f"Training of {t} models.")
             for i, t in enumerate(_TOPICS * 3)]
    fits = model.rank([*noisy, CANDIDATES[0]])
    assert fits[0].entry.id == "2505.00001"
    assert "Neural Collapse" in fits[0].why.keywords


def test_why_names_only_catalog_key_words_the_text_spells_out(model: FitModel) -> None:
    fits = {f.entry.id: f for f in model.rank([*CANDIDATES, *filler(20)])}
    assert fits["2505.00003"].why.keywords[:1] in (["Lottery Ticket Hypothesis"], ["Pruning"])
    assert fits["2505.00002"].why.keywords == []
    assert all(k in {kw for p in PAPERS for kw in p.keywords}
               for f in fits.values() for k in f.why.keywords)


def test_a_key_word_counts_once_not_once_per_word(model: FitModel) -> None:
    """Naive Bayes would count "neural", "collapse" and "neural collapse" thrice over."""
    feats = model._entry_features(CANDIDATES[0])
    assert "kw:neural collapse" in feats
    assert not word_tokens("neural collapse") & feats
    assert word_tokens("terminal phase") <= feats  # the text's other words stay
    catalog_side = model._paper_features(PAPERS[1], "")
    assert {"kw:neural collapse", "kw:imbalanced training"} <= catalog_side
    assert not word_tokens("imbalanced training") & catalog_side
    assert word_tokens("minority") <= catalog_side


def test_phrase_index_finds_whole_key_words_in_any_spelling() -> None:
    index = PhraseIndex(["neural collapse", "lottery ticket hypothesis", "gan"])
    text = "Neural-Collapse and lottery tickets hypotheses; organic"
    assert index.find(text) == {"neural collapse", "lottery ticket hypothesis"}
    assert index.find("") == set()


def test_word_tokens_keep_the_words_that_tell_analysis_from_method() -> None:
    toks = word_tokens("Why do we find that networks generalize? We propose a method.")
    assert {"why", "find", "propose", "method", "network"} <= toks
    assert "we" not in toks and "do" not in toks
    assert not any("_" in t for t in toks)  # no word pairs: key words are the phrases


def test_a_fit_made_by_hand_explains_what_it_was_given() -> None:
    why = Why([Neighbour("nc1", "Prevalence", 0.4)], ["Neural Collapse"], [])
    fit = Fit(CANDIDATES[0], 0.7, why)
    assert fit.why is why and fit.evidence == 0.7
    assert fit.explain() == 'key words: Neural Collapse; close to "Prevalence" (0.40)'
    long = Why([Neighbour("k", "A title " + "that goes on " * 10, 0.5)])
    reason = Fit(CANDIDATES[0], 0.7, long).explain()
    assert reason.startswith('close to "A title that goes on') and '\u2026" (0.50)' in reason
    assert len(reason) < 90
    bare = Fit(CANDIDATES[1], 0.1)
    assert bare.why == Why() and bare.suggested_sections == [] and bare.suggested_keywords == []


def test_abstracts_also_describe_the_sections_for_suggestions() -> None:
    cand = entry("2505.00030", "Saliency of masks", "Saliency scores choose masks early.")
    taught = FitModel.learn(PAPERS, SETTINGS, abstracts={
        "gk2": "Saliency scores choose masks early in grokking.",
    }).rank([cand, *filler(10)])
    fit = next(f for f in taught if f.entry.id == "2505.00030")
    assert fit.suggested_sections[0][0] == "grokking"
    assert PAPERS[6].digest is None  # the catalog's papers are left as they were


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    """The bench folder importable, as its scripts expect when run."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "bench"))
    return importlib.import_module


def test_evaluation_skips_cleanly_without_the_shared_data(bench, monkeypatch, capsys,
                                                          tmp_path: Path) -> None:
    evaluation = bench("eval_discover")
    monkeypatch.setattr(evaluation, "BACKGROUND", tmp_path / "absent.jsonl.gz")
    assert evaluation.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped: needs ")


def test_evaluation_windows_and_recall(bench) -> None:
    evaluation = bench("eval_discover")
    background = [dataclasses.replace(entry(f"2505.{i:05d}", f"paper {i}"),
                                      published=dt.date(2025, 5, 1) + dt.timedelta(days=i % 21))
                  for i in range(63)]
    hidden = [entry(f"hidden:{i}", f"hidden {i}") for i in range(5)]
    windows = evaluation.windows(background, hidden, 7, seed=1)
    assert len(windows) == 3 and sum(len(w) for w in windows) == 68
    assert sorted(sum(e.id.startswith("hidden:") for e in w) for w in windows) == [1, 2, 2]
    assert evaluation.windows(background, hidden, 7, seed=1) == windows
    assert evaluation.recalls(["a", "b"] + ["x"] * 30, {"a", "z"}) == (0.5, 0.5)


def test_speed_bench_candidates_are_deterministic(bench) -> None:
    speed = bench("bench_fit")
    first = speed.candidates(3)
    assert first == speed.candidates(3)
    assert all(len(e.summary.split()) > 60 for e in first)


def test_command_evaluation_skips_cleanly_without_the_shared_data(bench, monkeypatch, capsys,
                                                                  tmp_path: Path) -> None:
    evaluation = bench("eval_discover_cli")
    monkeypatch.setattr(evaluation, "BACKGROUND", tmp_path / "absent.jsonl.gz")
    assert evaluation.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped: needs ")

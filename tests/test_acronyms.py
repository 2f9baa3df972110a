"""Acronyms derived from a catalog: definitions, initials, ambiguity, ordinary words, expand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepphen.acronyms import (
    Acronyms,
    acronym_key,
    definitions,
    derive,
    in_capitals,
    initials,
)
from deepphen.models import Paper


def paper(title: str, keywords: list[str] = (), digest: str | None = None) -> Paper:
    return Paper(title=title, year=2024, section="others", keywords=list(keywords), digest=digest)


@pytest.mark.parametrize(("text", "expected"), [
    ("Neural Tangent Kernel (NTK): Convergence", [("ntk", "neural tangent kernel")]),
    ("the NTK (neural tangent kernel) regime", [("ntk", "neural tangent kernel")]),
    ("Modeling SGD with Stochastic Differential Equations (SDEs)",
     [("sde", "stochastic differential equation")]),
    ("Low-Rank Adaptation (LoRA) of large models", [("lora", "low rank adaptation")]),
    ("Self-Supervised Learning (SSL) and more", [("ssl", "self supervised learning")]),
    ("A Mixture of Experts (MoE) layer", [("moe", "mixture of expert")]),
    ("Chain-of-Thought (CoT) prompting", [("cot", "chain of thought")]),
    ("we study large language models (LLMs)", [("llm", "large language model")]),
    ("the information bottleneck (IB) principle", [("ib", "information bottleneck")]),
    # Not definitions: lower-case or unrelated parentheses, letters the words do not give.
    ("The lazy (NTK) and rich (μP) regimes: a gentle tutorial", []),
    ("Robustness: The good (width), the bad (depth), and the ugly (initialization)", []),
    ("(Mis)Fitting: A Survey of Scaling Laws", []),
    ("Bias and Variance(s) in the Lazy Regime", []),
    ("Phase Transitions in Large Language Models and the O(N) Model", []),
    ("Deep networks (DN) trained", [("dn", "deep network")]),
    ("a long random unrelated phrase (NTK)", []),
    ("NTK (a word)", []),
])
def test_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    assert definitions(text) == expected


def test_initials_fold_as_key_words_do() -> None:
    assert initials("In-Context Learning") == ["icl"]
    assert initials("Large Language Models") == ["llm"]
    assert initials("Sharpness-Aware Minimization") == ["sam"]
    assert initials("Mixture of Experts") == ["moe"]  # "me" without "of" is too short
    assert initials("Learning with Noisy Labels") == ["lwnl", "lnl"]
    # Two letters collide with everything; one word and digits are no initials.
    assert initials("Neural Collapse") == []
    assert initials("Grokking") == []
    assert initials("1/N Power Law") == []


def test_in_capitals() -> None:
    assert all(in_capitals(t) for t in ("NTK", "LoRA", "CoT", "MoE", "LLMs", "SDEs", "GPT4"))
    assert not any(in_capitals(t) for t in ("Node", "node", "McDonald", "iPhone", "A", "s"))


def test_acronym_key_folds_as_search_does() -> None:
    assert acronym_key("LLMs") == "llm"
    assert acronym_key("NTK") == "ntk"
    assert acronym_key("SDEs") == "sde"


def catalog() -> list[Paper]:
    return [
        paper("Linear Mode Connectivity and the Lottery Ticket Hypothesis",
              ["Lottery Ticket Hypothesis"]),
        paper("Rigging the Lottery", ["Lottery Ticket Hypothesis", "Sparse Training"]),
        paper("Transformers learn in-context", ["In-Context Learning"]),
        paper("Sharpness-aware minimization explained", ["Sharpness-Aware Minimization"]),
        paper("Sharpness again", ["Sharpness-Aware Minimization"]),
        paper("Attention", ["Self-Attention Mechanism"]),
        paper("On the NTK (neural tangent kernel) of wide nets", ["Kernel Methods"]),
        paper("Nets as Neural Tangent Kernels Networks", ["Neural Tangent Kernel Networks"]),
        paper("Node classification on graphs", ["Neural Ordinary Differential Equations"]),
        paper("Neural Collapse", ["Neural Collapse"], digest="Neural Collapse (NC) is seen."),
    ]


def test_derive_from_a_catalog() -> None:
    table = derive(catalog(), headings=["Deep Double Descent"])
    assert table.expansions("lth") == ("lottery ticket hypothesis",)
    assert table.expansions("icl") == ("in context learning",)
    # Ambiguous initials: both, the more used first; no unique reading.
    assert table.expansions("sam") == ("sharpness aware minimization", "self attention mechanism")
    assert table.unique("sam") is None
    # A definition wins over initials ("ntkn" aside, NTK is what the title says).
    assert table.expansions("ntk") == ("neural tangent kernel",)
    # Two letters only when the catalog defines them; headings count.
    assert table.expansions("nc") == ("neural collapse",)
    assert table.expansions("ddd") == ("deep double descent",)
    assert table.expansions("st") == ()
    # "node" is also an ordinary word of this catalog.
    assert table.expansions("node") == ("neural ordinary differential equation",)
    assert "node" in table.plain and "lth" not in table.plain
    assert table.acronyms_of("lottery ticket hypothesis") == ["lth"]


def test_expand_reads_capitals_only_and_unique_readings() -> None:
    table = derive(catalog())
    assert table.expand("Pruning and the LTH, with ICL") == (
        "Pruning and the LTH (lottery ticket hypothesis), with ICL (in context learning)")
    assert table.expand("the lth in lower case") == "the lth in lower case"
    assert table.expand("SAM is ambiguous here") == "SAM is ambiguous here"
    # The text's own definitions (here in the abstract) win and resolve ambiguity.
    assert table.expand("SAM at scale", context="Sharpness-Aware Minimization (SAM) ...") == (
        "SAM (sharpness aware minimization) at scale")
    assert Acronyms().expand("NTK") == "NTK"


def test_data_round_trip_and_malformed_data() -> None:
    table = derive(catalog())
    again = Acronyms.from_data(table.to_data())
    assert again.table == table.table and again.plain == table.plain
    for bad in (None, {}, {"table": 3}, {"table": {"a": [1]}, "plain": []}, "x"):
        assert Acronyms.from_data(bad).expansions("a") == ()


keyword = st.text(st.characters(codec="utf-8"), max_size=60)


@given(st.lists(st.tuples(st.text(max_size=120), st.lists(keyword, max_size=4)), max_size=8))
def test_derivation_never_crashes_nor_maps_to_nothing(entries: list) -> None:
    table = derive([paper(title or "t", keywords) for title, keywords in entries])
    for key, phrases in table.table.items():
        assert key and key == key.strip() and phrases
        assert all(p and p.strip() == p for p in phrases)
        assert len(key) >= 2
    assert table.plain <= set(table.table)


@given(st.text(max_size=300))
def test_definitions_and_expand_never_crash(text: str) -> None:
    for key, long in definitions(text):
        assert key and len(long.split()) >= 2
    expanded = derive([paper("Lottery", ["Lottery Ticket Hypothesis"])]).expand(text)
    # Only ever inserts the phrase after an acronym: the text itself is kept as it is.
    assert expanded.replace(" (lottery ticket hypothesis)", "") == text

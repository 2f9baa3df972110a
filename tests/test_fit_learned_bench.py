"""bench/eval_fit_learned.py: its logistic regression learns and repeats itself; it skips
cleanly without the shared data."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def learned(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("eval_fit_learned")


def test_logistic_regression_weighs_the_positive_feature_up_and_repeats(learned) -> None:
    # feature 0 marks the positives, 1 the negatives, 2 both
    docs = [([0, 2], [0.7, 0.7])] * 5 + [([1, 2], [0.7, 0.7])] * 20
    labels = [1] * 5 + [0] * 20
    w, _bias = learned.train(docs, labels, 3, lam=1e-3, epochs=5, prior=None)
    assert w[0] > 0 > w[1]
    assert learned.train(docs, labels, 3, lam=1e-3, epochs=5, prior=None) == (w, _bias)


def test_logistic_regression_is_pulled_towards_its_prior(learned) -> None:
    docs = [([0], [1.0]), ([1], [1.0])]
    prior = [0.0, 0.0, 5.0]  # feature 2 never occurs: it keeps its prior weight
    w, _ = learned.train(docs, [1, 0], 3, lam=1e-2, epochs=3, prior=prior)
    assert w[2] == pytest.approx(5.0)
    assert w[0] > w[1]


def test_one_class_only_gives_the_prior_back(learned) -> None:
    assert learned.train([([0], [1.0])], [1], 2, lam=1e-3, epochs=1, prior=[0.5, 0.0]) == (
        [0.5, 0.0], 0.0)


def test_skips_cleanly_without_the_shared_data(learned, monkeypatch, capsys,
                                               tmp_path: Path) -> None:
    # the shared data is located by bench/eval_discover.py
    monkeypatch.setattr(importlib.import_module("eval_discover"), "BACKGROUND",
                        tmp_path / "absent.jsonl.gz")
    assert learned.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped: needs ")

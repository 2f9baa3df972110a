"""bench/eval_derived_categories.py: its rules do what their names say, the rule named "now"
is discover's own, and it skips cleanly without the shared data."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
CATS = [["cs.LG", "cs.AI"]] * 6 + [["cs.CV", "cs.LG"]] * 3 + [["cs.CL"]] * 2


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("eval_derived_categories")


def test_rules(bench) -> None:
    assert bench.now(CATS) == ["cs.LG", "cs.CV", "cs.CL"]  # primaries, 5 % or more
    assert bench.any_share(0.5)(CATS) == ["cs.LG", "cs.AI"]  # cross-lists counted
    assert bench.cover(0.05)(CATS) == ["cs.LG", "cs.CL"]  # cs.CV fetches nothing cs.LG does not
    assert bench.with_default(bench.now)(CATS)[:3] == ["cs.LG", "cs.CV", "cs.CL"]


def test_skips_without_the_shared_data(bench, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(bench, "BACKGROUND", tmp_path / "absent.jsonl.gz")
    assert bench.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped:")

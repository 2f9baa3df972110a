"""`deepphen discover --interactive` at its prompts: what a curator types that is no text
is asked again where it was typed, never written."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from deepphen import discover as core
from tests.arxiv_server import ArxivServer, FakeTime
from tests.discover_corpus import make_corpus

TODAY = dt.date(2025, 5, 22)
WINDOW = ("--since", "2025-05-15", "--until", "2025-05-20", "--limit", "1")


@pytest.fixture
def walk(catalog_dir: Path, arxiv: ArxivServer, fake_clock: FakeTime,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalog, a window whose best candidate is 2505.10004 (pruning; suggested section
    Others), today TODAY, no real waiting, and a terminal to walk it on."""
    arxiv.corpus = make_corpus(dt.date(2025, 5, 20), noise=5)
    monkeypatch.setattr(core, "utc_today", lambda: TODAY)
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    return catalog_dir


def added(root: Path) -> dict[str, object]:
    """The one paper the walk added."""
    [path] = root.rglob("2505.1*.toml")
    return {"section": path.parent.name, **tomllib.loads(path.read_text(encoding="utf-8"))}


# An arrow key pressed to edit the answer: the terminal sends its escape sequence.
LEFT = "\x1b[D"


@pytest.mark.parametrize(("answers", "section", "keywords"), [
    (f"a\n\nLottery{LEFT}{LEFT}X\nLotteryX\n", "others", ["LotteryX"]),
    (f"a\nemp{LEFT}irical\nempirical\nX\n", "empirical-study", ["X"]),
    (f"{LEFT}a\na\n\nX\n", "others", ["X"]),
    ("a\n\nPruning\x7f\x7fed\nPruned\n", "others", ["Pruned"]),  # DEL: a backspace key
], ids=["key-words", "section", "walk", "delete"])
def test_an_editing_key_typed_at_a_prompt_is_asked_again(walk: Path, run_cli, answers: str,
                                                         section: str,
                                                         keywords: list[str]) -> None:
    """Its ESC dropped, the rest of an arrow key's sequence reached the catalog: a key word
    "Lottery[D[DX", which lint passed."""
    result = run_cli("discover", *WINDOW, "--interactive", input=answers)
    assert "control character (an arrow or editing key?)" in result.stderr
    assert result.stderr.endswith("added 1, dismissed 0, skipped 0\n"), result.stderr[-400:]
    paper = added(walk)
    assert paper["section"] == section and paper["keywords"] == keywords
    run_cli("lint")


def test_add_s_prompt_asks_again_for_an_editing_key(walk: Path, run_cli) -> None:
    """The same prompt (cli.add.ask) as `deepphen add` on a terminal."""
    result = run_cli("add", "2505.10004", "-s", "others", input=f"Gr{LEFT}ok\nGrokking\n")
    assert "control character" in result.stderr
    assert added(walk)["keywords"] == ["Grokking"]

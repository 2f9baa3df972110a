"""`deepphen discover --interactive` at its prompts: what a curator types that add would
refuse, or that is no text at all, is asked again where it was typed, never written."""

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


@pytest.mark.parametrize(("answers", "warning", "section", "keywords"), [
    ("a\nnowhere\nneural collapse\nX\n", "unknown section 'nowhere'", "neural-collapse",
     ["X"]),
    ("a\nem\nothers\nX\n", "could be any of", "others", ["X"]),  # Empirical, Emergence
    ("a\n\nA;B;C;D;E;F;G\nA;B\n", "7 key words given", "others", ["A", "B"]),
], ids=["unknown-section", "ambiguous-section", "seven-key-words"])
def test_a_refused_answer_is_asked_again_where_it_was_typed(walk: Path, run_cli, answers: str,
                                                            warning: str, section: str,
                                                            keywords: list[str]) -> None:
    """add refuses the answer: it was asked only once the key words were typed too, and
    both were lost, the walk back at "a add, s skip, ..." for the same paper."""
    result = run_cli("discover", *WINDOW, "--interactive", input=answers)
    assert warning in result.stderr and "not added" not in result.stderr
    assert result.stderr.endswith("added 1, dismissed 0, skipped 0\n"), result.stderr[-400:]
    paper = added(walk)
    assert paper["section"] == section and paper["keywords"] == keywords


@pytest.mark.parametrize("answer", [".", "\u202e", "...; \u200b", ";", " ; "])
@pytest.mark.parametrize("how", ["triage", "add"])
def test_a_key_word_answer_of_no_key_word_is_asked_again(walk: Path, run_cli, how: str,
                                                         answer: str) -> None:
    """"." or a pasted bidi mark is a key word the catalog's spelling drops: the paper was
    written with none, which lint refuses (DP406)."""
    if how == "triage":
        result = run_cli("discover", *WINDOW, "--interactive", input=f"a\n\n{answer}\nX\n")
    else:
        result = run_cli("add", "2505.10004", "-s", "others", input=f"{answer}\nX\n")
    assert "no key word in that answer" in result.stderr
    assert added(walk)["keywords"] == ["X"]
    run_cli("lint")


def test_a_paper_added_meanwhile_is_found_before_any_question(
        walk: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another curator added the candidate while this one read it: the walk asked for its
    section and key words, then refused it. It says so at `a`, and counts it skipped."""
    from deepphen.catalog import write_paper
    from deepphen.cli import triage
    from deepphen.models import Paper

    shown = triage._show

    def show_then_added_elsewhere(fit, *args: object) -> None:
        shown(fit, *args)
        write_paper(walk, Paper(title=fit.entry.title, year=2025, section="others",
                                authors=["Someone Else"], arxiv=fit.entry.id,
                                keywords=["Pruning"], key=fit.entry.id))

    monkeypatch.setattr(triage, "_show", show_then_added_elsewhere)
    result = run_cli("discover", *WINDOW, "--interactive", input="a\n")
    assert "not added: " in result.stderr
    assert "2505.10004 is already in the catalog (the same arXiv id)" in result.stderr
    assert "Section" not in result.stderr and "Key words" not in result.stderr
    assert result.stderr.endswith("added 0, dismissed 0, skipped 1\n")


@pytest.mark.parametrize("action", ["add", "dismiss"])
def test_ctrl_c_right_after_a_write_still_counts_it(walk: Path, run_cli, action: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the walk said what it had written: the paper was added (or dismissed)
    and kept, and the summary said "added 0", the count made only once the lines were out."""
    from deepphen.cli import triage

    said = triage.echo

    def interrupted_after_the_write(text: str = "", **kwargs: object) -> None:
        said(text, **kwargs)
        if text.startswith(("wrote ", "dismissed ")):
            raise KeyboardInterrupt

    monkeypatch.setattr(triage, "echo", interrupted_after_the_write)
    answers = "a\n\nX\n" if action == "add" else "d\n"
    result = run_cli("discover", *WINDOW, "--interactive", input=answers, exit_code=130)
    summary = "added 1, dismissed 0" if action == "add" else "added 0, dismissed 1"
    assert f"{summary}, skipped 0\n" in result.stderr, result.stderr[-300:]
    assert "interrupted after writing its changes" in result.stderr
    if action == "add":
        assert added(walk)["keywords"] == ["X"]
    else:
        assert "2505.10004" in (walk / "dismissed.toml").read_text(encoding="utf-8")


def test_a_catalog_that_takes_no_writes_is_said_before_the_fetch(
        walk: Path, arxiv: ArxivServer, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk fetched the window and showed its first paper; only "a" or "d" met the
    read-only catalog. It is said first now, with nothing asked of the server."""
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == walk
                        else real(path, mode, **kw))
    result = run_cli("discover", *WINDOW, "--interactive", input="a\n", exit_code=2)
    assert result.stderr.startswith(f"deepphen: error: {walk}: cannot write: ")
    assert f"folder {walk} is " in result.stderr and result.stderr.count("\n") == 1
    assert arxiv.requests == []

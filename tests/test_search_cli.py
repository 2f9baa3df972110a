"""``deepphen search`` on the command line: output formats, filters, exit codes, quick path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen import launch
from deepphen.cli.params import parse_args
from deepphen.cli.search import PARAMS
from deepphen.search_query import MAX_QUERY
from tests.helpers import FIXTURES, make_catalog, more_papers

GOLDEN = FIXTURES / "search"
GROKKING = "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_catalog(tmp_path / "catalog", more_papers())
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


def lines(result: object) -> list[str]:
    return result.stdout.splitlines()  # type: ignore[attr-defined]


def test_plain_output_matches_golden(catalog: Path, run_cli: Callable[..., object]) -> None:
    result = run_cli("search", "grokking")
    assert result.stdout == (GOLDEN / "grokking.txt").read_text(encoding="utf-8")
    assert lines(result)[0].split("\t")[1] == GROKKING


def test_json_is_the_export_shape_plus_score_and_matched(
        catalog: Path, run_cli: Callable[..., object]) -> None:
    from deepphen.export.json import PAPER_KEYS

    records = json.loads(run_cli("search", "lotery tiket", "--format", "json").stdout)
    assert records[0]["title"].startswith(("The Lottery Ticket", "Winning Tickets"))
    exported = {p["key"]: p for p in json.loads(run_cli("export", "-f", "json").stdout)["papers"]}
    for record in records:
        assert tuple(record) == (*PAPER_KEYS, "score", "matched")
        assert 0 < record.pop("score") <= 1
        assert set(record.pop("matched")) <= {"title", "keywords", "authors", "venue", "digest"}
        assert record == exported[record["key"]]


def test_ids_one_per_line(catalog: Path, run_cli: Callable[..., object]) -> None:
    assert sorted(lines(run_cli("search", "collapse", "--format", "ids"))) == [
        "2008.08186", "ai-models-collapse-when-trained-on"]


def test_limit(catalog: Path, run_cli: Callable[..., object]) -> None:
    assert len(lines(run_cli("search", "the", "--limit", "2"))) == 2


@pytest.mark.parametrize(("args", "expected"), [
    (["--section", "others"], ["2302.00001", "2103.00002", "1803.03635"]),
    (["--section", "Emergence"], ["2201.02177"]),
    (["--year", "2024"], ["2405.07987", "ai-models-collapse-when-trained-on"]),
    (["--since", "2024-06", "--until", "2025"], ["2505.04741"]),
    (["--keyword", "lottery ticket hypothesis"], ["2103.00002", "1803.03635"]),
    (["--author", "Byron", "--author", "Frankle"], ["2103.00002"]),
    (["--venue", "iclr"], ["2201.02177", "1803.03635"]),
    (["lottery", "--year", "2018"], ["1803.03635"]),
    (["grokking", "--section", "others"], ["2302.00001"]),
])
def test_filters_alone_or_with_a_query(catalog: Path, run_cli: Callable[..., object],
                                       args: list[str], expected: list[str]) -> None:
    assert lines(run_cli("search", *args, "--format", "ids")) == expected


def test_nothing_found_exits_1_with_a_hint(catalog: Path, run_cli: Callable[..., object]) -> None:
    result = run_cli("search", "platonnnnikk", exit_code=1)
    assert result.stdout == ""
    assert result.stderr.startswith('deepphen: no paper matches "platonnnnikk" (closest: '
                                    "The Platonic")
    result = run_cli("search", "grokking", "--year", "2019", exit_code=1)
    assert "with these filters" in result.stderr


@pytest.mark.parametrize("args", [
    ["search", ""], ["search", "?!"], ["search", "x" * (MAX_QUERY + 1)], ["search"],
    ["search", "grokking", "--format", "xml"], ["search", "--section", "nowhere"],
    ["search", "grokking", "--limit", "0"], ["search", "--since", "last week"],
])
def test_usage_errors_exit_2_without_traceback(catalog: Path, run_cli: Callable[..., object],
                                               args: list[str]) -> None:
    result = run_cli(*args, exit_code=2)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_catalog_is_one_line(tmp_path: Path, run_cli: Callable[..., object]) -> None:
    result = run_cli("search", "grokking", "--catalog", str(tmp_path), exit_code=2)
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["zzzqqq"], ["--year", "1990"], ["grokking", "--year", "1990"]])
def test_json_with_no_match_is_still_a_json_document(
        catalog: Path, run_cli: Callable[..., object], args: list[str]) -> None:
    """Scripts parse stdout: it was empty when nothing matched (lint and stats print JSON)."""
    result = run_cli("search", *args, "--format", "json", exit_code=1)
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("deepphen: no paper matches ")  # not an error


@pytest.mark.parametrize("command", ["search", "stats", "export"])
def test_since_after_until_is_a_usage_error(catalog: Path, run_cli: Callable[..., object],
                                            command: str) -> None:
    result = run_cli(command, "--since", "2025", "--until", "2024-06", exit_code=2)
    assert result.stderr == ("deepphen: error: --since 2025 is after --until 2024-06 "
                             "(swap them)\n")


def test_piped_lines_are_the_same_with_or_without_a_filter(
        catalog: Path, run_cli: Callable[..., object]) -> None:
    """A filter loads the settings; piped lines must still name the section by its slug."""
    plain = lines(run_cli("search", GROKKING, "-n", "1"))
    filtered = lines(run_cli("search", GROKKING, "-n", "1", "--year", "2022"))
    assert filtered == plain
    assert plain[0].split("\t")[4] == "emergence-and-phase-transitions"


def test_terminal_table_with_headings(catalog: Path, run_cli: Callable[..., object],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "200")
    out = run_cli("search", "Papyan").stdout
    assert "Score" in out and "Neural Collapse" in out and "Papyan, X. Y. Han et al." in out
    one = run_cli("search", "2201.02177").stdout
    assert " 1 paper " in one and "1 papers" not in one


# The quick parser (deepphen.cli.params) must read argv as typer reads it.
QUICK_CASES = [
    ["grokking"], ["lotery tiket", "-n", "2"], ["Frankle", "--format=json"],
    ["collapse", "-f", "ids"], ["2201.02177", "--limit", "1"], ["platonnnnikk"], ["!!"],
    ["grokking", "--year", "2022"], ["--keyword", "Grokking", "--format", "ids"],
    ["platonnnnikk", "--format", "json"],
    ["grokking", "--limit", " 2"], ["grokking", "--year", "+2022"], ["grokking", "-n", "1_0"],
]


def run_launcher(args: list[str], monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["deepphen", "search", *args])
    with pytest.raises(SystemExit) as info:
        launch.main()
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.mark.parametrize("args", QUICK_CASES)
def test_launcher_prints_what_the_command_prints(
    catalog: Path, args: list[str], run_cli: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_launcher(args, monkeypatch, capsys)
    result = run_cli("search", *args, exit_code=None)
    assert (code, out, err) == (result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("args", [["grokking", "--year", "\u0662\u0660\u0662\u0662"],
                                  ["grokking", "-n", "\uff11"]])
def test_launcher_refuses_numbers_typer_refuses(
    catalog: Path, args: list[str], run_cli: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Digits of other scripts, full width: int() reads them, typer does not. The quick path
    listed results where the command gives a usage error. (Compared by code and message: the
    program name typer shows differs under ``python -m pytest``.)"""
    code, out, err = run_launcher(args, monkeypatch, capsys)
    result = run_cli("search", *args, exit_code=2)
    assert (code, out) == (2, "") and "is not a whole number" in err
    assert "is not a whole number" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(("argv", "expected"), [
    (["grokking"], {"query": "grokking"}),
    (["-n", "3", "a b", "--format=json"], {"limit": 3, "query": "a b", "fmt": "json"}),
    (["-k", "A", "--keyword", "B"], {"keyword": ["A", "B"]}),
    (["--catalog", "x"], {"catalog": Path("x")}),
    (["--help"], None), (["-h"], None), (["--limit", "0"], None), (["--limit", "many"], None),
    (["a", "b"], None), (["--year"], None), (["--bogus", "1"], None), (["-n=3"], None),
    (["--limit", "1", "--limit", "2"], None),
])
def test_quick_parser_reads_the_plain_forms(argv: list[str], expected: dict | None) -> None:
    assert parse_args(PARAMS, argv) == expected


def test_help_still_comes_from_typer(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_launcher(["--help"], monkeypatch, capsys)
    assert code == 0 and "Examples:" in out


def test_piped_search_imports_no_framework(catalog: Path) -> None:
    """Piped, the command must not pay for typer, rich or httpx (its start-up is budgeted)."""
    env = {**os.environ, "DEEPPHEN_CATALOG": str(catalog)}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "deepphen", "search",
                           "grokking"], capture_output=True, text=True, env=env, check=True)
    assert proc.stdout.splitlines()[0].split("\t")[1] == GROKKING
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & {"typer", "rich", "httpx", "pydantic", "tomli_w"}


def test_interrupted_quick_search_is_one_line(catalog: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import deepphen.search

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(deepphen.search, "search_catalog", interrupted)
    code, out, err = run_launcher(["grokking"], monkeypatch, capsys)
    assert (code, out, err) == (130, "", "deepphen: error: interrupted\n")


def test_unknown_keyword_filter_names_the_closest_key_words(catalog_dir: Path, run_cli) -> None:
    result = run_cli("search", "--keyword", "grokkin", exit_code=1)
    assert "no paper has the key word 'grokkin' (closest: Grokking" in result.stderr
    result = run_cli("search", "--keyword", "Grokking", "--year", "2016", exit_code=1)
    assert "loosen or drop a filter" in result.stderr


@pytest.mark.parametrize("command", ["search", "export", "stats"])
def test_typer_shows_the_declared_filters(command: str) -> None:
    """One declaration per option: typer's view of the filter family is deepphen.cli.params'."""
    import typer.main

    from deepphen.cli.main import app
    from deepphen.cli.params import CATALOG, FILTERS

    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    shown = {p.name: p for p in click_command.params}
    for param in (CATALOG, *FILTERS):
        assert tuple(shown[param.name].opts) == param.flags
        assert shown[param.name].help == param.help
        assert shown[param.name].multiple == param.multiple


def test_json_section_headings_follow_catalog_toml(catalog: Path,
                                                   run_cli: Callable[..., object]) -> None:
    """The headings come from the derived cache, which must notice an edited catalog.toml."""
    import os

    def heading() -> str:
        return json.loads(run_cli("search", GROKKING, "-n", "1", "-f", "json").stdout)[0][
            "section_heading"]

    settings = catalog / "catalog.toml"
    old = settings.stat().st_mtime_ns - 10**10  # old enough for the cache to keep it
    os.utime(settings, ns=(old, old))
    assert heading() == "Emergence and Phase Transitions"
    assert heading() == "Emergence and Phase Transitions"  # now from the cache
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('"Emergence and Phase Transitions"', '"Emergence"'),
                        encoding="utf-8")
    os.utime(settings, ns=(old, old))  # same mtime: the size tells the change
    assert heading() == "Emergence"


@pytest.mark.parametrize("command", [["search", "grokking"], ["export", "-f", "csv"], ["stats"]])
@pytest.mark.parametrize("flag", ["--author", "--venue", "--keyword", "--section", "--since",
                                  "--until", "-a", "-k", "-s"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_filter_value_is_a_usage_error_for_every_filter(
        catalog: Path, run_cli: Callable[..., object], command: list[str], flag: str,
        value: str) -> None:
    """'--author ""' matched every paper while '--venue ""' was a usage error: one rule."""
    result = run_cli(*command, flag, value, exit_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a value" in lines[0] and result.stdout in ("", "[]\n")


@pytest.mark.parametrize("width", [12, 20, 40, 66])
def test_a_narrow_terminal_stacks_the_rows_and_shows_every_field(
        catalog: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
        width: int) -> None:
    """COLUMNS=20 left only the id column visible in search's table."""
    from deepphen.cli.output import console

    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    console.cache_clear()
    try:
        out = run_cli("search", "grokking", "-n", "1").stdout
    finally:
        console.cache_clear()
    assert max(len(line) for line in out.splitlines()) <= width
    flat = " ".join(out.split())
    for label in ("Title:", "Authors:", "Year:", "Section:", "Id:"):
        assert label in flat
    assert "2201.02177" in flat.replace("│", "").replace(" ", "")

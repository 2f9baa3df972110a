"""Docs are checked like code: every command has help with examples and is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from deepphen import __version__
from deepphen.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_expected_commands_exist() -> None:
    assert {"export"} <= set(command_names())


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_with_examples(name: str, run_cli) -> None:
    result = run_cli(name, "--help")
    assert "Examples:" in result.stdout
    assert f"deepphen {name}" in result.stdout


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"### `deepphen {name}`" in readme


def test_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert block.strip().splitlines() == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_version(run_cli) -> None:
    assert run_cli("--version").stdout.strip() == f"deepphen {__version__}"


@pytest.mark.parametrize("args", [[], *([name] for name in command_names())])
def test_flags_show_no_value_type_in_help(args: list[str], run_cli,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A flag's help line is the flag and its text: typer's "<bool>" reads as a value."""
    monkeypatch.setenv("COLUMNS", "120")
    out = run_cli(*args, "--help").stdout
    assert "<bool>" not in out
    help_line = next(line for line in out.splitlines() if line.lstrip("│ ").startswith("--help"))
    assert help_line.split("--help", 1)[1].split()[:2] == ["-h", "Show"]
    if not args:
        version = next(line for line in out.splitlines() if "--version" in line)
        assert version.split("--version", 1)[1].split("│")[0].split() == [
            "Show", "the", "version", "and", "exit."]


# typer labels a value by its Python type: "<str>", "<list[str]>", "<float range>", "<path>".
PYTHON_TYPE = re.compile(r"<(?:[a-z]+ range|str|int|float|bool|path|file|dir|datetime|uuid|"
                         r"list\[[^>]*\]|tuple[^>]*|[a-z|]+)>|\blist\[|NoneType|Optional\[|<class ")


@pytest.mark.parametrize("args", [[], *([name] for name in command_names())])
def test_help_names_values_in_words_not_python_types(args: list[str], run_cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value an option or argument takes is named for the reader (CATEGORY, FORMAT,
    SECONDS), in capitals as the usage line names them, never by its Python type."""
    monkeypatch.setenv("COLUMNS", "200")
    out = run_cli(*args, "--help").stdout
    assert PYTHON_TYPE.findall(out) == [], out
    command = typer.main.get_command(app)
    if args:
        command = command.commands[args[0]]  # type: ignore[attr-defined]
    for param in command.params:
        if not getattr(param, "is_flag", False) and param.name not in ("help", "version"):
            assert param.metavar and re.fullmatch(r"\[?[A-Z][A-Z_]*(?:\.md)?\]?",
                                                  param.metavar), (
                f"{args} {param.name}: metavar {param.metavar!r}")


def test_linked_docs_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("docs/catalog-format.md", "CONTRIBUTING.md", "catalog/README.md"):
        assert target in readme
        assert (ROOT / target).exists(), target


def test_every_benchmark_script_says_how_to_run_it_in_benchmarks_md() -> None:
    """docs/benchmarks.md reproduces its figures: each bench script appears with a command."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    scripts = [p.name for p in (ROOT / "bench").glob("*.py")
               if not p.name.startswith("_") and p.name != "generate.py"]
    missing = [name for name in scripts if f"python bench/{name}" not in text]
    assert not missing, f"docs/benchmarks.md has no command for {missing}"


def test_timeout_help_names_the_default_of_its_own_command() -> None:
    """add and refresh give up after the client's deadline; discover after its own, which
    grows with the window: each command's --timeout help names its own."""
    import typer.main

    from deepphen.arxiv import DEFAULT_DEADLINE
    from deepphen.cli.main import app
    from deepphen.discover import DEADLINE, DEADLINE_DAYS

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    helps = {name: next(p.help for p in commands[name].params if p.name == "timeout")
             for name in ("add", "refresh", "discover")}
    assert helps["add"] == helps["refresh"]
    assert f"(default: {DEFAULT_DEADLINE:g})" in helps["add"] and "discover" not in helps["add"]
    assert f"(default: {DEADLINE:g} for a window of up to {DEADLINE_DAYS} days" \
        in helps["discover"]


def test_contributing_names_a_paper_file_as_lint_wants_it() -> None:
    """CONTRIBUTING said "a short slug of the title" while DP105 wants the title's slug (its
    first six words): its example is a shipped paper's file, named as lint expects."""
    from deepphen import ids
    from deepphen.catalog import read_toml

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paragraph = text[text.index("A paper that is not on arXiv"):].split("\n\n", 1)[0]
    [name] = re.findall(r"`([a-z0-9-]+\.toml)`", paragraph)
    [path] = (ROOT / "catalog").glob(f"*/{name}")
    assert ids.slugify(read_toml(path)["title"]) + ".toml" == name

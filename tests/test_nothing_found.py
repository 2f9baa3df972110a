"""Nothing found is not an error: every command says so plainly on stderr and exits 1.

search, export and stats (with a query or filters, or an empty catalog) and discover (an
empty window) word it alike, ``deepphen: no paper matches ...``, never ``deepphen: error:``;
JSON output stays a document on stdout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deepphen.stats import compute_stats
from tests.helpers import make_catalog, sample_settings

NO_QUERY = 'no paper matches "xyzzyplugh"'
NO_FILTER = "no paper matches these filters"
BOTH = 'no paper matches "grokking" with these filters'


def said_plainly(result: object, message: str) -> None:
    """Exit 1, and stderr's one line is ``deepphen: MESSAGE ...``: no error, no warning."""
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith(f"deepphen: {message}"), lines
    assert "error" not in lines[0] and "warning" not in lines[0]


@pytest.mark.parametrize(("args", "message"), [
    (["search", "xyzzyplugh"], NO_QUERY),
    (["search", "grokking", "--year", "1999"], BOTH),
    (["search", "--year", "1999"], NO_FILTER),
    (["search", "--keyword", "Astrology"], NO_FILTER),
    (["export", "xyzzyplugh"], NO_QUERY),
    (["export", "grokking", "--year", "1999"], BOTH),
    (["export", "--year", "1999", "--format", "csv"], NO_FILTER),
    (["stats", "xyzzyplugh"], NO_QUERY),
    (["stats", "grokking", "--year", "1999"], BOTH),
    (["stats", "--year", "1999"], NO_FILTER),
])
@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_nothing_matched_is_said_plainly(catalog_dir: Path, run_cli, args: list[str],
                                         message: str, fmt: str) -> None:
    if fmt == "json":
        args = [a for a in args if a not in ("--format", "csv")] + ["--format", "json"]
    result = run_cli(*args, exit_code=1)
    said_plainly(result, message)
    if fmt == "json":
        data = json.loads(result.stdout)
        expected = {"search": [], "export": {"papers": []},
                    "stats": compute_stats([], sample_settings())}[args[0]]
        assert data == expected
    elif args[0] == "stats":
        assert result.stdout == ""  # no tables of zeros, no "(no venue) 0" row


def test_stats_prints_no_empty_charts_on_a_terminal(catalog_dir: Path, run_cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    from deepphen.cli.output import console

    console.cache_clear()  # the console binds to the runner's captured stdout
    try:
        result = run_cli("stats", "--since", "2099", exit_code=1)
    finally:
        console.cache_clear()
    assert result.stdout == ""
    said_plainly(result, NO_FILTER)


@pytest.mark.parametrize("args", [["stats"], ["export"], ["stats", "--format", "json"]])
def test_an_empty_catalog_is_said_plainly(tmp_path: Path, run_cli, args: list[str]) -> None:
    root = make_catalog(tmp_path / "catalog", papers=[])
    result = run_cli(*args, "--catalog", root, exit_code=1)
    said_plainly(result, "the catalog has no papers")
    if "json" in args:
        assert json.loads(result.stdout)["papers"] == 0



@pytest.mark.parametrize("args", [["--keyword", "Grokkin"], ["--keyword", "Astrology"],
                                  ["xyzzyplugh"],
                                  ["grokking", "--year", "1999"]])
def test_search_export_and_stats_say_it_alike(catalog_dir: Path, run_cli,
                                              args: list[str]) -> None:
    """The same words and hints from every command: a key word no paper has names the
    closest ones in use, a query alone the closest titles and key words."""
    said = {run_cli(command, *args, exit_code=1).stderr for command in ("search", "export",
                                                                         "stats")}
    assert len(said) == 1, said
    if args[0] == "--keyword":
        assert said.pop().startswith(f"deepphen: {NO_FILTER} (no paper has the key word "
                                     f"'{args[1]}'")


def test_readme_names_the_empty_json_documents() -> None:
    """README.md's promise about an empty --format json names the documents tested above."""
    root = Path(__file__).resolve().parents[1]
    text = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert '(`[]` from `search` and `discover`, `{"papers": []}` from `export`, stats\' ' \
           'counts at zero)' in text

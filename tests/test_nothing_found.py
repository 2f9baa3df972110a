"""Nothing found is not an error: every command says so plainly on stderr and exits 1.

search, export and stats (with a query or filters, or an empty catalog) and discover (an
empty window) word it alike, ``deepphen: no paper matches ...``, never ``deepphen: error:``;
JSON output stays a document on stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


@pytest.mark.parametrize("command", ["search", "export", "stats"])
@pytest.mark.parametrize("args", [["xyzzyplugh"], ["--keyword", "Grokkin"],
                                  ["grokking", "--keyword", "Grokkin"]])
def test_the_hints_are_found_once(catalog_dir: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                  command: str, args: list[str]) -> None:
    """export and stats found the closest titles and key words twice (search's NoMatch
    dropped, then the whole catalog loaded again for the same hints): 0.25 s of 0.7 s on
    10,000 papers."""
    from deepphen import hints

    calls: list[str] = []

    def counting(name: str) -> Callable[..., object]:
        real = getattr(hints, name)

        def counted(*args: object) -> object:
            calls.append(name)
            return real(*args)
        return counted

    for name in ("suggestions", "keyword_hint"):
        monkeypatch.setattr(hints, name, counting(name))
    result = run_cli(command, *args, exit_code=1)
    if args == ["xyzzyplugh"]:
        assert calls == ["suggestions"]
        said_plainly(result, NO_QUERY)
    else:
        assert calls == ["keyword_hint"]
        assert "no paper has the key word 'Grokkin' (closest: Grokking)" in result.stderr


def test_readme_names_the_empty_json_documents() -> None:
    """README.md's promise about an empty --format json names the documents tested above."""
    root = Path(__file__).resolve().parents[1]
    text = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert '(`[]` from `search` and `discover`, `{"papers": []}` from `export`, stats\' ' \
           'counts at zero)' in text


@pytest.mark.parametrize("command", ["search", "export", "stats"])
def test_an_id_the_catalog_has_but_the_filters_leave_out_is_no_add_hint(
        catalog_dir: Path, run_cli, command: str) -> None:
    """search said "no paper with arXiv id 2201.02177 in the catalog matches these filters
    (add it with 'deepphen add 2201.02177')": the catalog has it, in another section."""
    result = run_cli(command, "2201.02177", "--year", "1999", exit_code=1)
    said_plainly(result, 'no paper matches "2201.02177" with these filters')
    assert "deepphen add" not in result.stderr


@pytest.mark.parametrize("command", ["search", "export", "stats"])
def test_an_id_the_catalog_lacks_is_worded_alike(catalog_dir: Path, run_cli,
                                                 command: str) -> None:
    result = run_cli(command, "2301.99999", exit_code=1)
    said_plainly(result, "no paper with arXiv id 2301.99999 in the catalog")
    assert "deepphen add 2301.99999" in result.stderr


def test_export_and_stats_select_what_search_finds(tmp_path: Path, run_cli) -> None:
    """With filters, export and stats searched the filtered papers alone: a word of the
    catalog that those lack was read as a typo of another of theirs, and they kept papers
    search (which searches the whole catalog) said do not match."""
    from deepphen.models import Paper

    papers = [
        Paper(title="Compositional Generalization in Transformers", year=2023,
              section="others", authors=["Ann Example"], keywords=["Compositionality"]),
        Paper(title="Computational Limits of Grokking", year=2023, section="neural-collapse",
              authors=["Bo Example"], keywords=["Grokking"]),
        Paper(title="Computational Cost of Width", year=2022, section="neural-collapse",
              authors=["Cy Example"], keywords=["Width"]),
    ]
    root = make_catalog(tmp_path / "catalog", papers)
    args = ("compositional", "--section", "neural-collapse", "--catalog", root)
    said_plainly(run_cli("search", *args, exit_code=1), 'no paper matches "compositional"')
    said_plainly(run_cli("stats", *args, exit_code=1), 'no paper matches "compositional"')
    said_plainly(run_cli("export", *args, exit_code=1), 'no paper matches "compositional"')
    found = run_cli("export", "computational", "--section", "neural-collapse",
                    "--catalog", root, "--format", "json")
    assert [p["title"] for p in json.loads(found.stdout)["papers"]] == [
        "Computational Limits of Grokking", "Computational Cost of Width"]

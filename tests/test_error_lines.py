"""An error in the i-th table of an array names that table's line, whether the array is
written as ``[[name]]`` tables or inline (``name = [{...}, {...}]``, as deepphen itself
writes ``sections`` and a paper's ``links``), not the line the array starts on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.comments import key_line
from tests.helpers import ERROR


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('heading = "Emergence and Phase Transitions"', 'heading = "Emergence\\nX"',
     "sections[2]: field 'heading' must be one line"),
    ('slug = "neural-collapse"', 'slug = "../neural-collapse"',
     "sections[1]: slug '../neural-collapse' is not a safe folder name"),
    ('anchor = "others"', 'anchor = "others", year_groups = "tabs"',
     "sections[3]: year_groups must be one of"),
])
def test_an_inline_section_s_error_names_its_own_line(
        catalog_dir: Path, run_cli: Callable[..., object], old: str, new: str,
        message: str) -> None:
    settings = catalog_dir / "catalog.toml"
    _edit(settings, old, new)
    result = run_cli("stats", exit_code=2)
    line = _line_of(settings, new)
    assert result.stderr.strip().startswith(f"{ERROR} {settings}:{line}: {message}")


def test_a_resource_s_error_names_its_own_table(catalog_dir: Path,
                                                run_cli: Callable[..., object]) -> None:
    settings = catalog_dir / "catalog.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\n[[resources]]\nname = "A"\nurl = "https://a.org/"\n'
                        '\n[[resources]]\nname = "B"\nurl = 7\n', encoding="utf-8")
    result = run_cli("stats", exit_code=2)
    line = _line_of(settings, 'name = "B"') - 1  # its [[resources]] header
    assert result.stderr.strip().startswith(f"{ERROR} {settings}:{line}: resources[1]: ")


def test_a_paper_s_bad_link_names_its_own_line(catalog_dir: Path,
                                               run_cli: Callable[..., object]) -> None:
    [paper] = [p for p in catalog_dir.rglob("*.toml") if "openai/grok" in p.read_text()]
    _edit(paper, '{ label = "code", url = "https://github.com/openai/grok" }',
          '{ label = "code" }')
    result = run_cli("stats", exit_code=2)
    line = _line_of(paper, '{ label = "code" }')
    assert result.stderr.strip().startswith(f"{ERROR} {paper}:{line}: links[1] must be")


@pytest.mark.parametrize(("lines", "index", "line"), [
    (["[[s]]", "a = 1", "[[s]]", "a = 2"], 1, 3),
    (["[[s]]", "a = 1"], 5, 1),  # past the last: the first
    (["x = 1"], 0, None),
    (["s = [", "  {a = 1},", "  {a = {b = [1, {c = 2}]}}, {a = 3},", "]"], 0, 2),
    (["s = [", "  {a = 1},", "  {a = {b = [1, {c = 2}]}}, {a = 3},", "]"], 1, 3),
    (["s = [", "  {a = 1},", "  {a = {b = [1, {c = 2}]}}, {a = 3},", "]"], 2, 3),
    (["s = [", "  {a = 1},", "]", "t = [{a = 1}, {a = 2}]"], 1, 1),  # past the last
    (['s = ["{", "{"]', 'x = "{"'], 1, 1),  # braces in strings are none
    (["s = [", "  # {a = 1}", "  {a = 2},", "  {a = 3},", "]"], 1, 4),  # nor in comments
    (["s = {a = 1}"], 0, 1),  # an inline table, not an array of them
    (["x = 1", '"\\u0073" = 1'], 0, 2),  # the key quoted with an escape
    (["x = 1", '[ "\\x" ]', '["\\u0073"]'], 0, 3),
    (["x = 1", '"\\u0073\\u0073" = 1', '"s\\"" = 1', '"\\q" = 1'], 0, None),
])
def test_key_line(lines: list[str], index: int, line: int | None) -> None:
    assert key_line(lines, "s", index) == line


def test_lint_names_the_line_of_each_table_with_an_unknown_key(
        catalog_dir: Path, run_cli: Callable[..., object]) -> None:
    settings = catalog_dir / "catalog.toml"
    _edit(settings, 'slug = "neural-collapse"', 'slug = "neural-collapse", colour = 1')
    _edit(settings, 'slug = "others"', 'slug = "others", colour = 2')
    result = run_cli("lint", "--format", "json", exit_code=1)
    found = {f["message"]: f["line"] for f in json.loads(result.stdout)
             if "unknown key" in f["message"]}
    assert found == {"unknown key 'colour' in sections[1]": _line_of(settings, "colour = 1"),
                     "unknown key 'colour' in sections[3]": _line_of(settings, "colour = 2")}


@pytest.mark.parametrize(("lines", "line"), [
    (['s = "a"', "t = [{a = 1}]"], 1),  # a string, then another key's inline tables
    (["s = 1", "[t]", "u = [{a = 1}]"], 1),
    (['s = """', "{", '"""', "t = [{a = 1}]"], 1),
])
def test_key_line_of_a_value_that_is_no_array_is_its_own(lines: list[str], line: int) -> None:
    assert key_line(lines, "s", 1) == line


def test_a_long_line_of_escapes_is_no_key_and_read_once() -> None:
    """A line opening a quote and holding 50,000 backslash pairs with no closing quote (a
    multi-line digest's line): the key pattern backtracked over it quadratically, for minutes,
    on every command whose load met a fault in that file. It is read in linear time now."""
    lines = ["x = 1", '"' + "\\a" * 50_000, '"\\u0073" = 1']
    assert key_line(lines, "s") == 3

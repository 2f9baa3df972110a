"""Red-team round 6: what a hostile catalog still got through after round 5. Each test is one
class of defect, tried on several of its members; earlier rounds are in
tests/test_hostile_*.py and tests/test_hardening*.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deepphen import ids
from deepphen.catalog import read_paper
from tests.helpers import make_catalog, sample_papers

# ---------------------------------------------------------------------------------------
# "$" matches before a final newline: every pattern that validated a whole value with
# ^...$ and re.match took "others\n" for a safe folder name and "2201.02177\n" for an arXiv
# id, so a section slug with a line break in it passed lint and split CSV rows, and a link
# URL ending in one was written inside a terminal's hyperlink escape.


@pytest.mark.parametrize("check, value", [
    (ids.is_safe_key, "others\n"),
    (ids.is_safe_key, "2201.02177\n"),
    (ids.is_arxiv_id, "2201.02177\n"),
    (ids.is_arxiv_id, "hep-th/9901001\n"),
])
def test_a_trailing_line_break_makes_no_valid_key_or_id(
        check: Callable[[str], bool], value: str) -> None:
    assert check(value.rstrip("\n")) and not check(value)


def test_a_section_slug_with_a_line_break_is_refused(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    root = make_catalog(tmp_path / "catalog")
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text().replace('slug = "others"', 'slug = "others\\n"'))
    result = run_cli("lint", "--catalog", root, exit_code=2)
    assert "catalog.toml" in result.stderr and "not a safe folder name" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """deepphen's console as on a terminal, wide enough that no cell wraps."""
    from deepphen.cli.output import console

    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "300")
    console.cache_clear()  # the console binds to the runner's captured stdout
    yield
    console.cache_clear()


@pytest.mark.parametrize("tail", ["\n", "\r\n", "\n\x1b]8;;https://evil.example/\x1b\\"])
def test_a_link_ending_in_a_line_break_is_no_terminal_hyperlink(
        tmp_path: Path, run_cli: Callable[..., object], terminal: None, tail: str) -> None:
    papers = sample_papers()
    root = make_catalog(tmp_path / "catalog", papers)
    paper = next(p for p in papers if p.title.startswith("Grokking"))
    path = root / paper.section / f"{paper.key}.toml"
    text = path.read_text()
    url = paper.links[0].url
    path.write_text(text.replace(f'"{url}"', f'"{url}{tail.encode("unicode_escape").decode()}"'))
    assert read_paper(path).links[0].url == url + tail
    out = run_cli("search", "grokking", "--catalog", root).stdout
    # An OSC 8 hyperlink's target runs to the next ESC: none may hold a line break.
    targets = [seq.split("\x1b")[0] for seq in out.split("\x1b]8;")[1:]]
    assert not any("\n" in target or "\r" in target for target in targets)
    assert "evil.example" not in "".join(targets)


# ---------------------------------------------------------------------------------------
# rich reads ":name:" as an emoji code, and escaping markup leaves it alone: on a terminal,
# lint named others/x:warning:.toml "others/x⚠.toml" in its finding and in the git mv hint.


@pytest.mark.parametrize("name", ["x:warning:", "a:thumbs_up:b", ":red_circle:"])
def test_emoji_codes_in_a_file_name_are_shown_as_written(
        tmp_path: Path, run_cli: Callable[..., object], terminal: None, name: str) -> None:
    papers = sample_papers()
    root = make_catalog(tmp_path / "catalog", papers)
    paper = papers[0]  # a contributor's file, named by hand
    written = root / paper.section / f"{paper.key}.toml"
    written.rename(written.with_name(f"{name}.toml"))
    out = run_cli("lint", "--catalog", root, exit_code=1).stdout
    assert f"{name}.toml" in out
    assert not any(ch in out for ch in "⚠👍🔴")


# ---------------------------------------------------------------------------------------
# catalog.toml's text (headings, intro, closing, resources) is the curator's markdown,
# written to the page as is: an ESC or a bidi override in it went raw into README.md (and to
# the terminal showing `export -f md`), and lint, whose DP413 reads paper files only, passed.

HOSTILE = ["\\u001b]0;pwned\\u0007", "\\u202e", "\\u009b2J", "\\u0000"]


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("where, old", [
    ("heading", 'heading = "Others'),
    ("intro", 'intro = "A list for tests.'),
])
def test_control_characters_in_the_settings_are_found_and_kept_off_the_page(
        tmp_path: Path, run_cli: Callable[..., object], bad: str, where: str,
        old: str) -> None:
    root = make_catalog(tmp_path / "catalog")
    toml = root / "catalog.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, old + bad, 1))
    line = next(i for i, t in enumerate(toml.read_text().splitlines(), 1) if bad in t)
    result = run_cli("lint", "--catalog", root, "--rule", "DP608", exit_code=1)
    assert f"catalog.toml:{line}:" in result.stdout and "control character" in result.stdout
    page = run_cli("export", "-f", "md", "--catalog", root).stdout
    decoded = bad.encode().decode("unicode_escape")
    assert decoded[0] not in page and "\x1b" not in page  # lint --fix writes this page too


def test_line_breaks_and_tabs_in_the_settings_are_layout(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    root = make_catalog(tmp_path / "catalog")
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text().replace('intro = "A list for tests."',
                                             'intro = "A list\\n\\tfor tests."'))
    run_cli("lint", "--catalog", root, "--rule", "DP608")
    assert "A list\n\tfor tests." in run_cli("export", "-f", "md", "--catalog", root).stdout


# ---------------------------------------------------------------------------------------
# DP304 compared the arxiv fields as written: "arXiv:2201.02177v2" (which DP201 flags, and
# the catalog loads as 2201.02177) was no duplicate of 2201.02177, and the page listed the
# paper twice.


@pytest.mark.parametrize("loose", ["arXiv:2201.02177v2", "2201.02177v1", " 2201.02177 "])
def test_a_loosely_written_id_is_still_a_duplicate(
        tmp_path: Path, run_cli: Callable[..., object], loose: str) -> None:
    papers = sample_papers()
    root = make_catalog(tmp_path / "catalog", papers)
    original = next(p for p in papers if p.arxiv == "2201.02177")
    copy = root / "others" / "grokking-copy.toml"
    copy.write_text((root / original.section / f"{original.key}.toml").read_text()
                    .replace('arxiv = "2201.02177"', f'arxiv = "{loose}"')
                    .replace(f'section = "{original.section}"', 'section = "others"'))
    out = run_cli("lint", "--catalog", root, "--rule", "DP304", exit_code=1).stdout
    assert "grokking-copy.toml" in out and "2201.02177" in out


# ---------------------------------------------------------------------------------------
# CSV cells kept NUL, ESC and C1 characters raw (JSON escapes them, BibTeX drops them).


def test_csv_cells_hold_no_control_characters(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    papers = sample_papers()
    papers[0].title = "Deep\x1b[2J Double\u202e Descent\x00"
    papers[0].digest = "First line.\nSecond\tline\x9b."
    root = make_catalog(tmp_path / "catalog", papers)
    out = run_cli("export", "-f", "csv", "--catalog", root).stdout
    assert not any(ch in out for ch in "\x1b\u202e\x00\x9b")
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(out))}
    row = rows[papers[0].key]
    assert row["title"] == "Deep[2J Double Descent"
    assert row["digest"] == "First line.\nSecond\tline."


def test_a_dismissal_of_a_paper_the_catalog_writes_loosely_is_found(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    papers = sample_papers()
    root = make_catalog(tmp_path / "catalog", papers)
    paper = next(p for p in papers if p.arxiv == "2201.02177")
    path = root / paper.section / f"{paper.key}.toml"
    path.write_text(path.read_text().replace('arxiv = "2201.02177"',
                                             'arxiv = "arXiv:2201.02177v2"'))
    (root / "dismissed.toml").write_text(
        '[[dismissed]]\narxiv = "2201.02177"\ndate = 2025-05-20\n')
    out = run_cli("lint", "--catalog", root, "--rule", "DP605", exit_code=1).stdout
    assert "2201.02177 is dismissed but also in the catalog" in out

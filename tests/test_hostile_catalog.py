"""A hostile catalog against every command but discover (tests/test_hostile_discover.py).

Each test is a class of defect, tried on several of its members (hypothesis where the inputs
are open-ended): catalog text that a CI runner would read as a command in what deepphen prints;
writes that change the permissions of the file they replace; names of paper files that are no
files; values of megabytes where people read them; characters Python but not markdown or TOML
ends a line at. (The page's own classes are in test_page_markup.py, import's growth in
test_import_scaling.py, completion's quoting in test_completion.py.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.models import Link, Paper
from deepphen.printable import json_text, printable
from tests.helpers import make_catalog, make_special, sample_settings

# ---------------------------------------------------------------------------------------
# CI log commands. GitHub Actions runs "::command props::data" when a line starts with it
# after white space (ActionCommand.TryParseV2 trims the line's start), and its legacy form
# "##[command]data" anywhere in a line (TryParse looks for it with IndexOf); Azure Pipelines
# reads "##vso[...]" and TeamCity "##teamcity[...]" the same way. A line deepphen prints may
# hold catalog text, so catalog text must not open any of them: a title, a file name or a
# section folder named "::error file=...::" would add an annotation, "::stop-commands::x"
# would hide deepphen's own, "##vso[task.setvariable ...]" would set a later step's variable.

CI_COMMANDS = ["::error file=forged.py,line=1::forged", " \u00a0::warning::forged",
               "::stop-commands::token", "\t::add-mask::secret", "##[error]forged",
               "##[group]forged", "x ##vso[task.setvariable variable=PATH]/evil",
               "##VSO[task.complete result=Failed]", "##teamcity[buildStatus text='forged']",
               "###[error]forged", ":::error::forged"]
_LEGACY_RE = re.compile(r"##[A-Za-z]*\[")


def ci_commands_in(output: str, *, own: re.Pattern[str] | None = None) -> list[str]:
    """The lines of ``output`` a CI runner would read as a command (but deepphen's own
    annotations, when ``own`` matches them)."""
    found = []
    for line in output.splitlines():
        if own is not None and own.match(line):
            line = own.sub("", line, count=1)  # the data after our own annotation's head
            if _LEGACY_RE.search(line):
                found.append(line)
            continue
        if line.lstrip().startswith("::") or _LEGACY_RE.search(line):
            found.append(line)
    return found


def ci_paper(n: int, text: str) -> Paper:
    return Paper(title=f"{text} Grokking {n}", year=2022, section="others",
                 authors=[text, "Yuri Burda"], venue=text, arxiv=f"2201.0217{n}",
                 keywords=[text, "Grokking"], digest=text,
                 links=[Link(text, f"https://arxiv.org/abs/2201.0217{n}")])


@pytest.fixture
def ci_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    papers = [ci_paper(i, text) for i, text in enumerate(CI_COMMANDS[:10])]
    root = make_catalog(tmp_path / "catalog", papers, sample_settings())
    # A section folder and a file name that open a line of lint's text output.
    for i, name in enumerate(["::error file=forged.py,line=1::forged", "##[error]folder"]):
        folder = root / name
        folder.mkdir()
        source = root / "others" / f"2201.0217{i}.toml"
        (folder / f"::warning::{i}.toml").write_bytes(source.read_bytes())
    monkeypatch.chdir(root)  # lint names files relative to the working folder
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


OWN_ANNOTATION = re.compile(r"^::(error|warning) file=[^,:\n]*,line=\d+,col=\d+::")
CI_RUNS = [["search", "grokking"], ["search", "grokking", "-f", "ids"],
           ["search", "grokking", "-f", "json"], ["lint"], ["lint", "-f", "json"],
           ["lint", "-f", "github"], ["lint", "--fix"], ["stats"], ["stats", "-f", "json"],
           ["export", "-f", "json"]]


@pytest.mark.parametrize("args", CI_RUNS, ids=" ".join)
def test_catalog_text_never_opens_a_ci_command(ci_catalog: Path, run_cli: Callable[..., object],
                                                args: list[str]) -> None:
    result = run_cli(*args, exit_code=None)
    assert result.exit_code in (0, 1), result.stderr  # type: ignore[attr-defined]
    out, err = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert "forged" in out + err or args[0] == "stats" or "ids" in args
    own = OWN_ANNOTATION if "github" in args else None
    assert ci_commands_in(out, own=own) == [], args
    assert ci_commands_in(err) == [], args
    if "json" in args and args[0] in ("search", "export"):  # still exactly the catalog's text
        text = json.dumps(json.loads(out), ensure_ascii=False)
        assert all(json.dumps(c, ensure_ascii=False)[1:-1] in text for c in CI_COMMANDS[:10])


def test_import_findings_never_open_a_ci_command(tmp_path: Path,
                                                 run_cli: Callable[..., object]) -> None:
    page = tmp_path / "list.md"
    page.write_text("# List\n\n## Others\n\n### Others: 2022\n\n"
                    "- ##[error]forged. [[paper]](https://arxiv.org/abs/2201.02177)\n"
                    "  - ::error::A.\n  - Key Word: K.\n\n::warning file=x::stray line\n"
                    "##vso[task.setvariable variable=x]stray\n", encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=None)
    assert result.exit_code in (0, 1), result.stderr  # type: ignore[attr-defined]
    assert "stray" in result.stderr  # type: ignore[attr-defined]
    assert ci_commands_in(result.stdout + result.stderr) == []  # type: ignore[attr-defined]


_CI_TEXT = st.lists(st.one_of(st.sampled_from([*CI_COMMANDS, "::", "##", "#", "[", ":", " ",
                                                "\t", "\n", "\u00a0", "\u2028", "vso"]),
                              st.text(max_size=4)), max_size=8).map("".join)


@given(_CI_TEXT)
def test_printable_text_opens_no_ci_command_wherever_a_line_starts(text: str) -> None:
    """printable's result, alone, after deepphen's own words, or as any cell of a line it
    lays out, opens no CI command."""
    assert ci_commands_in(printable(text)) == []
    assert ci_commands_in(printable(text, keep_layout=True)) == []
    assert ci_commands_in("path:1:1: " + printable(text)) == []


def reference_ci_inert(text: str) -> str:
    """ci_inert_document as it was before its one-scan shortcut: both substitutions wherever
    a ':' or '#' stands."""
    from deepphen import printable as p

    text = p._CI_ANYWHERE_RE.sub(r"\\x23", text)
    return p._CI_DOCUMENT_LINE_START_RE.sub(r"\1\\x3a", text)


def reference_printable(text: str, *, keep_layout: bool = False) -> str:
    """printable as it was before its shortcuts: every cell of every line, in full."""
    from deepphen import printable as p

    if keep_layout:
        return "\n".join("\t".join(reference_printable(cell) for cell in line.rstrip("\r")
                                   .split("\t")) for line in text.split("\n"))
    return reference_ci_inert(
        p._CONTROL_RUN_RE.sub(lambda m: "".join(map(p._visible, m.group())), text))


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([":", "::", "#", "##[", "##vso[", "[", " ", "\t", "\n", "\r",
                                 "\u200b", "\u00ad", "\u2060", "\x1b", "\x7f", "\u2028", "a", "'"]),
                max_size=12).map("".join))
def test_printable_skips_only_text_it_would_leave_alone(text: str) -> None:
    """printable and ci_inert_document return text at once when one scan finds no control
    and no opening (two ':' with only ignorable characters between, '##['): what the full
    work gives, whichever characters stand between."""
    from deepphen.printable import ci_inert_document

    assert printable(text) == reference_printable(text)
    assert printable(text, keep_layout=True) == reference_printable(text, keep_layout=True)
    assert ci_inert_document(text, "\\x23", "\\x3a") == reference_ci_inert(text)


@given(_CI_TEXT)
def test_json_text_opens_no_ci_command_and_is_lossless(text: str) -> None:
    document = json_text(json.dumps({"t": text}, ensure_ascii=False, indent=2))
    assert ci_commands_in(document) == []
    assert json.loads(document) == {"t": text}


# ---------------------------------------------------------------------------------------
# Writes keep a file's permissions. An atomic write renames a new file over the old one; the
# new file must carry the old one's mode (a private 0600 page or paper file stayed private, a
# group-writable 0664 one in a shared repository stayed writable for the group), and a file
# that did not exist gets the mode the user's umask gives, as any other tool writes it.

def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


@pytest.fixture
def fixable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalog with a page and one paper whose link lint --fix rewrites."""
    root = make_catalog(tmp_path / "catalog", settings=sample_settings(
        page="README.md", regenerate_page=True))
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


def _make_fixable(root: Path) -> Path:
    paper = root / "others" / "1803.03635.toml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        "https://arxiv.org/abs/1803.03635", "https://arxiv.org/abs/1803.03635v3"),
        encoding="utf-8")
    return paper


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o444, 0o755], ids=oct)
def test_export_output_keeps_the_files_mode(fixable: Path, run_cli: Callable[..., object],
                                           tmp_path: Path, mode: int) -> None:
    out = tmp_path / "out.md"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(mode)
    run_cli("export", "-f", "md", "-o", out)
    assert out.read_text(encoding="utf-8") != "old\n"
    assert _mode(out) == mode


@pytest.mark.parametrize("mode", [0o600, 0o664], ids=oct)
def test_lint_fix_keeps_the_modes_of_the_paper_and_the_page(
        fixable: Path, run_cli: Callable[..., object], mode: int) -> None:
    run_cli("lint", "--fix", exit_code=None)  # the page exists
    paper, page = _make_fixable(fixable), fixable / "README.md"
    paper.chmod(mode)
    page.chmod(mode)
    before = paper.read_bytes()
    run_cli("lint", "--fix", exit_code=None)
    assert paper.read_bytes() != before  # fixed
    assert (_mode(paper), _mode(page)) == (mode, mode)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], ids=oct)
def test_new_files_get_the_mode_the_umask_gives(fixable: Path, run_cli: Callable[..., object],
                                               tmp_path: Path, umask: int) -> None:
    import os

    run_cli("export", "-f", "md", "-o", tmp_path / "list.md")
    old = os.umask(umask)
    try:
        run_cli("export", "-f", "csv", "-o", tmp_path / "new.csv")
        run_cli("import", tmp_path / "list.md", "--catalog", tmp_path / "imported",
                exit_code=None)
    finally:
        os.umask(old)
    written = [tmp_path / "new.csv", *(f for f in (tmp_path / "imported").rglob("*")
                                       if f.is_file() and ".deepphen-cache" not in f.parts)]
    assert len(written) > 3
    assert {f.name: oct(_mode(f)) for f in written} == {f.name: oct(0o666 & ~umask)
                                                        for f in written}


# ---------------------------------------------------------------------------------------
# Section folder entries named like paper files that are no files: every command leaves them
# out (a named pipe is never opened: it would hang), and lint says so, naming each.

@pytest.mark.parametrize("kind", ["folder", "fifo", "socket", "link-to-folder"])
def test_a_paper_name_that_is_no_file_is_left_out_and_reported(
        tmp_path: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
        kind: str) -> None:
    root = make_catalog(tmp_path / "catalog")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    entry = root / "others" / "2301.00001.toml"
    if kind == "folder":
        entry.mkdir()
        (entry / "paper.toml").write_text('title = "Inside"\n', encoding="utf-8")
    elif kind in ("fifo", "socket"):
        make_special(entry, kind)
    else:
        (root / "others" / "real-folder").mkdir()
        entry.symlink_to(root / "others" / "real-folder")
    for args in (["search", "grokking"], ["export", "-f", "json"], ["stats"]):
        result = run_cli(*args, exit_code=None)
        assert result.exit_code == 0, (args, result.stderr)  # type: ignore[attr-defined]
    lint = run_cli("lint", "-f", "json", exit_code=1)
    found = [f for f in json.loads(lint.stdout) if f["rule"] == "DP108"]  # type: ignore[attr-defined]
    assert len(found) == 1 and found[0]["path"].endswith("others/2301.00001.toml"), found


# ---------------------------------------------------------------------------------------
# A value of megabytes (a venue, a title, a key word) stays one readable line wherever it is
# shown to people: lint's text, GitHub and terminal findings, stats' rows, search's table.
# JSON keeps every character.

HUGE = 1_000_000


@pytest.fixture
def huge_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    paper = Paper(title="Grokking  " + "x" * HUGE, year=2022, section="others",
                  authors=["A  B", "y" * HUGE], venue="ICLR " * (HUGE // 5),
                  keywords=["k" * HUGE], links=[Link("paper", "https://example.org/x")])
    root = make_catalog(tmp_path / "catalog", [paper])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", [["lint"], ["lint", "-f", "github"], ["stats"],
                                  ["search", "grokking"]], ids=" ".join)
def test_megabyte_values_are_shortened_where_people_read_them(
        huge_values: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
        args: list[str], terminal: bool) -> None:
    if terminal:
        monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
        monkeypatch.setenv("COLUMNS", "200")
    result = run_cli(*args, exit_code=None)
    out = result.stdout  # type: ignore[attr-defined]
    assert out.strip() and max(len(line) for line in out.splitlines()) < 2500, \
        max(len(line) for line in out.splitlines())


def test_json_keeps_megabyte_values_whole(huge_values: Path,
                                          run_cli: Callable[..., object]) -> None:
    findings = json.loads(run_cli("lint", "-f", "json", exit_code=None).stdout)  # type: ignore[attr-defined]
    assert any(len(f["message"]) > HUGE for f in findings)
    stats = run_cli("stats", "-f", "json").stdout  # type: ignore[attr-defined]
    assert "k" * HUGE in stats


def test_refresh_shows_a_megabyte_title_shortened(catalog_dir: Path, arxiv: object,
                                                  run_cli: Callable[..., object]) -> None:
    """The catalog's old value and arXiv's new one, side by side: each shortened on a
    terminal or a pipe (the JSON has both whole)."""
    paper = catalog_dir / "emergence-and-phase-transitions" / "2201.02177.toml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("title = \"", "title = \"" + "x" * HUGE, 1), encoding="utf-8")
    out = run_cli("refresh", "2201.02177", exit_code=1).stdout  # type: ignore[attr-defined]
    assert "title" in out and max(len(line) for line in out.splitlines()) < 1000
    data = json.loads(run_cli("refresh", "2201.02177", "-f", "json", exit_code=1).stdout)  # type: ignore[attr-defined]
    assert len(data["updates"][0]["changes"][0]["old"]) > HUGE


# ---------------------------------------------------------------------------------------
# What ends a line. Markdown and TOML end a line at \n, \r\n or \r only; Python's
# str.splitlines also breaks at \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029, which text pasted
# from a PDF holds. Read that way, an entry's title lost the rest of its line (its link too)
# and every line number reported after it was off.

SEPARATORS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("sep", SEPARATORS, ids=lambda s: f"U+{ord(s):04X}")
def test_import_reads_a_title_holding_a_unicode_line_separator_whole(
        tmp_path: Path, run_cli: Callable[..., object], sep: str) -> None:
    page = tmp_path / "list.md"
    page.write_text("# L\n\n## Others\n\n### Others: 2020\n\n"
                    f"- Title one{sep}two. [[paper]](https://arxiv.org/abs/2001.00001)\n"
                    "  - A.\n  - Key Word: K.\n\nstray line\n", encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=None)
    from deepphen.catalog import load_papers

    [paper] = load_papers(tmp_path / "cat")
    assert paper.arxiv == "2001.00001" and paper.title.startswith("Title one")
    assert paper.title.endswith("two")
    # The stray line is named by its line in the file: 11.
    assert "list.md:11:" in result.stderr, result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("sep", ["\x85", "\u2028", "\u2029"], ids=lambda s: f"U+{ord(s):04X}")
def test_lint_names_the_line_a_key_is_on_after_a_separator_in_a_string(
        tmp_path: Path, run_cli: Callable[..., object], sep: str) -> None:
    """TOML strings may hold these raw; the key after such a string is on its own line."""
    root = make_catalog(tmp_path / "catalog", [ci_paper(1, "Text")])
    path = root / "others" / "2201.02171.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title = "', f'title = "A{sep}B ', 1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    venue_line = next(i for i, line in enumerate(lines, 1) if line.startswith("venue"))
    path.write_text("\n".join(line.replace('venue = "Text"', "venue = 3") for line in lines),
                    encoding="utf-8")
    result = run_cli("lint", "--catalog", root, "-f", "json", exit_code=1)
    found = [f for f in json.loads(result.stdout) if f["rule"] == "DP104"]  # type: ignore[attr-defined]
    assert [f["line"] for f in found] == [venue_line], found
    # Commands that refuse the file name the same line.
    error = run_cli("export", "--catalog", root, exit_code=2).stderr  # type: ignore[attr-defined]
    assert f"2201.02171.toml:{venue_line}:" in error, error

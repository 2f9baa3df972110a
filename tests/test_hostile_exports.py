"""The json, bibtex and csv exports against hostile catalogs and outputs: what -o may name,
what reaches a stream, citation keys and fields that read back as the catalog's facts."""

from __future__ import annotations

import csv
import io
import os
import re
import select
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.errors import DeepphenError
from deepphen.export import bibtex as bib
from deepphen.models import Paper
from deepphen.outputs import output_path
from tests.helpers import ci_commands, make_catalog, one_line_error, tree

FORMATS = ("bibtex", "csv", "json")


# --- what -o names ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["new/", "plain/", "plain/.", "plain/..", "sub//", "/"])
def test_an_output_named_as_a_folder_is_refused(fmt: str, name: str, tmp_path: Path,
                                                run_cli: Callable[..., object]) -> None:
    """`-o out/` wrote a file named `out` (pathlib drops the final '/'), and `-o plain/`
    replaced the file `plain`: a shell's `>` refuses both, and a folder was meant."""
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "plain").write_text("kept\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    before = tree(tmp_path)
    target = name if name == "/" else f"{tmp_path}/{name}"
    result = run_cli("export", "-f", fmt, "--catalog", root, "-o", target, exit_code=None)
    one_line_error(result, "names a folder, not a file")
    assert tree(tmp_path) == before


def test_an_empty_output_name_is_refused(tmp_path: Path, run_cli: Callable[..., object],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o ""` was the working folder ("."): inside a catalog it named the catalog folder."""
    root = make_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    one_line_error(run_cli("export", "-f", "csv", "--catalog", root, "-o", "", exit_code=None),
                   "no file name")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("name", ["out.csv", "-x", " ", "a.b/c.d", "./-", ".hidden", "..x"])
def test_a_file_name_is_its_path(name: str) -> None:
    assert output_path(name) == Path(name)


@pytest.mark.parametrize("name", ["", "a/", ".", "..", "a/.", "a/..", "/"]
                         + ([f"a{os.sep}"] if os.sep != "/" else []))
def test_a_folder_name_is_no_output(name: str) -> None:
    with pytest.raises(DeepphenError):
        output_path(name)


# --- a stream named with -o ------------------------------------------------------------------

@pytest.fixture
def forging(tmp_path: Path) -> Path:
    """A catalog whose text opens CI commands and moves a terminal's cursor (a lone CR)."""
    return make_catalog(tmp_path / "catalog", [Paper(
        title="Grokking ##[warning]forged", year=2022, section="others", authors=["A B"],
        keywords=["Grokking"], digest="Line one.\n::error::forged\rHIDDEN overwrite")])


def _read_stream(path: Path, got: list[bytes]) -> threading.Thread:
    reader = threading.Thread(target=lambda: got.append(path.read_bytes()), daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_pipe_named_with_o_gets_the_files_text(
        fmt: str, forging: Path, tmp_path: Path, run_cli: Callable[..., object]) -> None:
    """A pipe named with -o is no terminal: it gets the exact text a file gets (the way to
    pipe the catalog's own CSV, docs/export-formats.md), which a CSV reader reads back."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_stream(fifo, got)
    run_cli("export", "-f", fmt, "--catalog", forging, "-o", fifo)
    reader.join(5)
    file = tmp_path / f"papers.{fmt}"
    run_cli("export", "-f", fmt, "--catalog", forging, "-o", file)
    assert got == [file.read_bytes()]
    if fmt == "csv":
        (row,) = csv.DictReader(io.StringIO(got[0].decode("utf-8"), newline=""))
        assert row["digest"] == "Line one.\n::error::forged\rHIDDEN overwrite"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
def test_a_terminal_named_with_o_shows_no_control_character(
        forging: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o /dev/tty` wrote a digest's CR raw: the terminal's cursor went back and
    "HIDDEN overwrite" was written over the line before it. Standard output on a terminal
    shows it as a space; so does a terminal named with -o."""
    import tty

    controller, terminal = os.openpty()
    try:
        tty.setraw(terminal)  # the bytes as written, no LF to CR LF
        run_cli("export", "-f", "csv", "--catalog", forging, "-o", os.ttyname(terminal))
        shown = b""
        while select.select([controller], [], [], 0.5)[0]:
            shown += os.read(controller, 65536)
    finally:
        os.close(terminal)
        os.close(controller)
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    assert shown == run_cli("export", "-f", "csv", "--catalog", forging).stdout_bytes
    assert b"\r" not in shown and b"forged HIDDEN overwrite" in shown


# --- BibTeX read back as BibTeX reads it -----------------------------------------------------

# What the exporter writes for each LaTeX special (docs/export-formats.md), read back.
_LATEX_ESCAPES = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}",
                  r"\textasciitilde{}": "~", r"\textasciicircum{}": "^", r"\&": "&", r"\%": "%",
                  r"\$": "$", r"\#": "#", r"\_": "_"}
_LATEX_ESCAPE_RE = re.compile("|".join(re.escape(e) for e in _LATEX_ESCAPES))


def _latex_text(value: str) -> str:
    """The text a field value prints: escapes read back, the braces that only protect gone."""
    parts = _LATEX_ESCAPE_RE.split(value)
    escapes = _LATEX_ESCAPE_RE.findall(value)
    text = parts[0].replace("{", "").replace("}", "")
    for escape, part in zip(escapes, parts[1:], strict=True):
        text += _LATEX_ESCAPES[escape] + part.replace("{", "").replace("}", "")
    return text


def _bibtex_names(value: str) -> list[str]:
    """An author field split as BibTeX splits it: at a word "and" (any case) outside braces."""
    names, words, depth = [], [], 0
    for word in value.split(" "):
        if depth == 0 and word.casefold() == "and":
            names.append(" ".join(words))
            words = []
            continue
        words.append(word)
        depth += word.count("{") - word.count("}")
    return [*names, " ".join(words)] if value else names


_NAME_PIECES = st.sampled_from([*"abXZé Ł,.", *"\\{}&%$#_~^", "and", "AND", " and ", "others",
                                "Others", "Jr.", "\t", "\u00a0", "et al."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_NAME_PIECES, min_size=1, max_size=8).map("".join), min_size=1,
                max_size=4))
def test_bibtex_authors_read_back_as_the_catalogs_names(authors: list[str]) -> None:
    """An author named "others" read as "et al." (BibTeX's one reserved name): it is braced,
    as a name holding a comma or a word "and" is."""
    paper = Paper(title="T", year=2020, section="others", authors=authors)
    names = _bibtex_names(bib.author_value(paper))
    if paper.authors_truncated and names:
        assert names.pop() == "others"
    assert "others" not in names
    assert [_latex_text(name) for name in names] == [
        " ".join(name.split()) for name in paper.named_authors if name.split()]


@pytest.mark.parametrize(("venue", "journal"), [
    ("Nature (2020)", "Nature"), ("PNAS 117 (40) 24652-24663 (2020)", "PNAS 117 (40) 24652-24663"),
])
def test_a_journals_bracketed_year_leaves_no_empty_brackets(venue: str, journal: str) -> None:
    """arXiv's journal_ref writes the year in brackets: the journal was "Nature ( )"."""
    for paper in (Paper(title="T", year=2020, section="others", venue=venue),
                  Paper(title="T", year=2020, section="others", extra={"journal_ref": venue})):
        assert bib.entry_type(paper) == ("article", "journal", journal)
        assert bib.entry_year(paper) == 2020


def test_the_csv_columns_are_the_documented_ones() -> None:
    """docs/export-formats.md lists the columns; nothing kept the two in step (the JSON keys'
    table has its own test)."""
    from deepphen.export.csv import HEADER

    doc = (Path(__file__).resolve().parents[1] / "docs" / "export-formats.md").read_text(
        encoding="utf-8")
    csv_part = doc.split("\n## CSV\n", 1)[1].split("\n## ", 1)[0]
    assert tuple(re.findall(r"^\| `([a-z_]+)` \|", csv_part, flags=re.MULTILINE)) == HEADER


def test_the_curators_markdown_opens_no_ci_command(tmp_path: Path,
                                                   run_cli: Callable[..., object]) -> None:
    """catalog.toml's badges, intro, section intro and closing are written as the curator's
    markdown: "::error::" starting a line of the intro ran as a workflow command where
    `deepphen export` was printed in a CI log (paper fields were escaped, these were not).
    They are written with character references, which the page shows as the same text."""
    import html

    root = make_catalog(tmp_path / "catalog", [Paper(
        title="Grokking", year=2022, section="others", authors=["A B"], keywords=["K"])])
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8").replace('intro = "A list for tests."', (
        'intro = """::error::forged intro\\n  ::warning::indented\\n##[group]x"""\n'
        'closing = "::add-mask::secret"\nbadges = "\\u00ad::notice::badge"'))
    toml.write_text(text, encoding="utf-8")
    page = run_cli("export", "-f", "md", "--catalog", root).stdout
    assert "forged" in page and ci_commands(page) == []
    assert run_cli("export", "-f", "md", "--catalog", root, "-o", tmp_path / "p.md").stdout == ""
    written = (tmp_path / "p.md").read_text(encoding="utf-8")  # the file: as the curator wrote
    shown = html.unescape(page)  # the pipe: what the page shows
    for line in ("::error::forged intro", "  ::warning::indented", "##[group]x",
                 "::add-mask::secret", "\u00ad::notice::badge"):
        assert line in shown.splitlines() and line in written.splitlines()


# The pattern title_value protected words with: it backtracked over every digit of a long
# number (a title word of 200,000 digits took a minute, a megabyte one an hour).
_QUADRATIC_REFERENCE = re.compile(r"^[^\w]*\w.*[A-Z]|[A-Z].*\d|\d.*[A-Z]")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"aZqB19٣_.é'-/", "\u0301"]), min_size=1, max_size=12))
def test_bibtex_protects_the_words_the_regex_did(word: str) -> None:
    """The linear test (timed in bench, never here) braces the words the regex braced."""
    word = unicodedata.normalize("NFC", word)  # as the title's text is read
    protected = bool(re.search("[A-Z0-9]", word[1:])) and any(
        _QUADRATIC_REFERENCE.search(part) for part in re.split("[-/]", word))
    assert bib.title_value(word).startswith("{") == protected
    assert bib.title_value("1" * 200_000 + "x") == "1" * 200_000 + "x"  # was a minute


# --- a hostile catalog's BibTeX, read with a parser that counts braces as BibTeX does ---------

_HOSTILE_TEXTS = [
    "Unbalanced { brace", "Closing } only", "}{ reversed", "100% pure # hash",
    "Back\\slash and @ at ~ tilde & amp", "$x^2$ math_sub", "Ends with backslash \\",
    "𝔄 non-BMP 😀 title", "Combining e\u0301 marks", "Bidi \u202eevil\u202c text",
    "Zero\u200bwidth\u200d join", "@misc{inj, title={x}}", "Comment % rest } of {line",
    "Tab\tand\nnewline", "Deep Learning", "Deep Learning", "x" * 3000, "others",
]
_ENTRY_RE = re.compile(r"@(\w+)\{([^,\s]*),\n")
_FIELD_LINE_RE = re.compile(r"  (\w+) = \{(.*)\},\n")


def _read_bib(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Entries by key: (type, fields). Each field is read up to the brace that closes it, as
    BibTeX reads it (it counts braces and ignores backslashes): one that closes early, or a
    line that is no field, fails the read."""
    entries: dict[str, tuple[str, dict[str, str]]] = {}
    pos = 0
    while pos < len(text):
        head = _ENTRY_RE.match(text, pos)
        assert head, text[pos:pos + 200]
        kind, key = head.groups()
        assert key not in entries, f"duplicate key {key}"
        fields, pos = {}, head.end()
        while not text.startswith("}\n", pos):
            line = _FIELD_LINE_RE.match(text, pos)
            assert line, text[pos:pos + 200]
            name, value = line.groups()
            depth = 0
            for char in value:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (name, value)
            assert depth == 0, (name, value)
            fields[name] = value
            pos = line.end()
        entries[key] = (kind, fields)
        pos += 2
        if text.startswith("\n", pos):
            pos += 1
    return entries


def _as_cited(text: str) -> str:
    from deepphen.printable import strip_controls

    return " ".join(unicodedata.normalize("NFC", strip_controls(text)).split())


def test_a_hostile_catalogs_bibtex_reads_back_to_its_facts(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    papers = [Paper(title=text, year=2020 + i % 3, section="others",
                    authors=[_HOSTILE_TEXTS[-i], "Ann Smith"] if i % 4 else [],
                    venue=_HOSTILE_TEXTS[i - 3] if i % 2 else None,
                    arxiv=f"2001.{i:05d}" if i % 3 else None,
                    doi=f"10.1000/{_HOSTILE_TEXTS[i - 1]}"[:60] if i % 5 == 0 else None,
                    keywords=[_HOSTILE_TEXTS[i - 2]])
              for i, text in enumerate(_HOSTILE_TEXTS)]
    root = make_catalog(tmp_path / "catalog", papers)
    entries = _read_bib(run_cli("export", "-f", "bibtex", "--catalog", root).stdout)
    assert len(entries) == len(papers)
    assert all(re.fullmatch("[a-z0-9]+", key) for key in entries)
    read = {(_latex_text(fields["title"]), fields["year"]): fields
            for _kind, fields in entries.values()}
    for paper in papers:
        fields = read[_as_cited(paper.title), str(paper.year)]
        names = _bibtex_names(fields.get("author", ""))
        assert "others" not in names  # BibTeX's "et al.": no list here is cut
        authors = [_latex_text(n) for n in names]
        assert authors == [_as_cited(a) for a in paper.authors if _as_cited(a)]
        assert fields.get("eprint") == paper.arxiv
        assert _latex_text(fields["keywords"]) == _as_cited(paper.keywords[0])
    # The keys are the same in every export of the same catalog.
    assert list(_read_bib(run_cli("export", "-f", "bibtex", "--catalog", root).stdout)) == \
        list(entries)


def test_the_page_file_keeps_the_curators_markdown_as_written(tmp_path: Path,
                                                              run_cli: Callable[..., object]
                                                              ) -> None:
    """The whole page went through the CI rewrite: a code block of the intro showing
    "::warning::" was written "&#58;:warning::" into README.md (GitHub shows it so in code),
    import reported nothing and lint then found the page out of date. The file keeps it."""
    root = make_catalog(tmp_path / "catalog", [Paper(
        title="Grokking", year=2022, section="others", authors=["A B"], keywords=["K"])])
    toml = root / "catalog.toml"
    intro = "```sh\\n::warning::x\\necho '##[group]y'\\n```\\nRun `##[group]` first."
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'intro = "A list for tests."', f'intro = "{intro}"'), encoding="utf-8")
    page = tmp_path / "page.md"
    run_cli("export", "-f", "md", "--catalog", root, "-o", page)
    text = page.read_text(encoding="utf-8")
    assert "```sh\n::warning::x\necho '##[group]y'\n```\nRun `##[group]` first." in text
    imported = tmp_path / "again"
    run_cli("import", page, "--catalog", imported, exit_code=None)
    run_cli("export", "-f", "md", "--catalog", imported, "-o", tmp_path / "again.md")
    assert "```sh\n::warning::x\necho '##[group]y'\n```\nRun `##[group]` first." in (
        tmp_path / "again.md").read_text(encoding="utf-8")  # and so does a page imported
    piped = run_cli("export", "-f", "md", "--catalog", root).stdout  # a CI log may show it
    assert ci_commands(piped) == [] and "&#58;:warning::x" in piped

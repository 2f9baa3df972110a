"""Red-team round 6: what a hostile catalog still got through after round 5. Each test is one
class of defect, tried on several of its members; earlier rounds are in
tests/test_hostile_*.py and tests/test_hardening*.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
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


# ---------------------------------------------------------------------------------------
# What a hostile or careless server sends, kept by add and refresh: a title of periods
# passed the "no title" check before the periods were stripped (title = ""); refresh kept a
# title of megabytes that add refuses; neither bounded the number of authors (200,000 names
# made a 3 MB paper file); and both stored what lint then rejects ("A and B" as one author,
# a name twice, "et al" first, curly quotes, a final comma). Both now write what lint's
# fixes would (deepphen.tidy).


def _serve(arxiv: object, arxiv_id: str, title: str, authors: list[str]) -> None:
    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry(arxiv_id, title, authors, "An abstract.", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".deepphen")}


@pytest.mark.parametrize("title", ["....", " . ", ",;:"])
def test_a_title_of_punctuation_is_no_title(catalog_dir: Path, arxiv: object,
                                            run_cli: Callable[..., object], title: str) -> None:
    _serve(arxiv, "2505.11111", title, ["Ann Example"])
    before = _files(catalog_dir)
    result = run_cli("add", "2505.11111", "-s", "others", "-k", "Grokking", exit_code=2)
    assert "arXiv sent no title for 2505.11111" in result.stderr
    assert _files(catalog_dir) == before


def test_add_writes_a_record_as_lint_wants_it(catalog_dir: Path, arxiv: object,
                                              run_cli: Callable[..., object]) -> None:
    _serve(arxiv, "2505.11111", "Grokking \u201cExplained\u201d: a study,",
           ["Jane Doe and John Roe", "Ann Lee", "et al", "Bo O\u2019Brien"])
    run_cli("add", "2505.11111", "-s", "others", "-k", "Grokking")
    paper = read_paper(catalog_dir / "others" / "2505.11111.toml")
    assert paper.title == 'Grokking "Explained": a study'
    assert paper.authors == ["Jane Doe", "John Roe", "Ann Lee", "Bo O'Brien", "et al."]
    found = json.loads(run_cli("lint", "--format", "json", exit_code=None).stdout)
    assert not [f for f in found if "2505.11111" in f["path"]]


def test_a_list_of_thousands_of_authors_is_cut(catalog_dir: Path, arxiv: object,
                                               run_cli: Callable[..., object]) -> None:
    from deepphen.tidy import MAX_AUTHORS

    _serve(arxiv, "2505.11111", "Grokking at scale", [f"Ann Person{i}" for i in range(5000)])
    run_cli("add", "2505.11111", "-s", "others", "-k", "Grokking")
    authors = read_paper(catalog_dir / "others" / "2505.11111.toml").authors
    assert len(authors) == MAX_AUTHORS + 1 and authors[-1] == "et al."
    assert authors[:2] == ["Ann Person0", "Ann Person1"]


@pytest.mark.parametrize("title, authors, what", [
    ("G" * 1_800_000, ["Ann Example"], "a title of 1,800,000 characters"),
    ("Grokking", ["Ann " + "x" * 5000], "an author name of 5,004 characters"),
])
def test_refresh_refuses_what_add_refuses(tmp_path: Path, arxiv: object,
                                          run_cli: Callable[..., object], title: str,
                                          authors: list[str], what: str) -> None:
    from deepphen.models import Link, Paper

    paper = Paper(title="Grokking", year=2025, section="others", arxiv="2505.11111",
                  authors=["Ann Example"], keywords=["Grokking"],
                  links=[Link("paper", "https://arxiv.org/abs/2505.11111")])
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), paper])
    _serve(arxiv, "2505.11111", title, authors)
    before = _files(root)
    result = run_cli("refresh", "2505.11111", "--write", "--catalog", root, exit_code=1)
    assert f"arXiv sent {what}" in result.stderr and "left as it is" in result.stderr
    assert _files(root) == before
    out = run_cli("refresh", "2505.11111", "--format", "json", "--catalog", root, exit_code=1)
    [refused] = json.loads(out.stdout)["unfit"]
    assert refused["arxiv"] == "2505.11111" and what in refused["problem"]


def test_refresh_proposes_the_record_as_add_would_write_it(
        tmp_path: Path, arxiv: object, run_cli: Callable[..., object]) -> None:
    from deepphen.models import Link, Paper

    paper = Paper(title="Grokking Explained", year=2025, section="others", arxiv="2505.11111",
                  authors=["Jane Doe", "John Roe"], keywords=["Grokking"],
                  links=[Link("paper", "https://arxiv.org/abs/2505.11111")])
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), paper])
    _serve(arxiv, "2505.11111", "Grokking \u201cExplained\u201d.", ["Jane Doe & John Roe"])
    paper_file = root / "others" / "2505.11111.toml"
    paper_file.write_text(paper_file.read_text().replace(
        'title = "Grokking Explained"', 'title = \'Grokking "Explained"\''))
    result = run_cli("refresh", "2505.11111", "--format", "json", "--catalog", root)
    assert json.loads(result.stdout)["updates"] == []


@pytest.mark.parametrize("names, kept", [
    (["Wei Wang", "Li Zhang", "Wei Wang"], ["Wei Wang", "Li Zhang", "Wei Wang"]),
    (["Nathan Etal", "Ann Lee"], ["Nathan Etal", "Ann Lee"]),
    (["ATLAS and CMS Collaborations"], ["ATLAS and CMS Collaborations"]),
    (["LIGO Scientific Collaboration and Virgo Collaboration"],
     ["LIGO Scientific Collaboration and Virgo Collaboration"]),
    (["Ann Lee et al."], ["Ann Lee", "et al."]),
    (["et.al.", "Ann Lee"], ["Ann Lee", "et al."]),
    (["A. One & B. Two", "C. Three"], ["A. One", "B. Two", "C. Three"]),
])
def test_tidy_authors_loses_no_one(names: list[str], kept: list[str]) -> None:
    """Two people may share a name, a surname may read "Etal", a group's name may join
    others: none of these is the mistake lint's fixes mend, and add keeps them."""
    from deepphen.tidy import tidy_authors

    assert tidy_authors(names) == kept


# ---------------------------------------------------------------------------------------
# Answers that are no feed said the wrong thing: a 302 without a Location (or a 304) was
# read as a feed, and used when it held one; a captive portal's HTML page was "an unsafe
# arXiv response (XML declarations or entities)"; a redirect to file:///etc/passwd was
# "file://127.0.0.1:None".

FEED = (b'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"</feed>")


@pytest.mark.parametrize("status", [301, 302, 303, 304, 307])
def test_a_redirect_without_a_location_is_no_answer(
        catalog_dir: Path, arxiv: object, fake_clock: object,
        run_cli: Callable[..., object], status: int) -> None:
    from tests.arxiv_server import Fault

    arxiv.fail(*[Fault("status", status=status, body=FEED)] * 4)
    before = _files(catalog_dir)
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence", exit_code=2)
    assert f"HTTP {status} and no redirect to follow" in result.stderr
    assert result.stderr.count("\n") == 1 and _files(catalog_dir) == before


@pytest.mark.parametrize("page", [
    b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>",
    b"\n  <html lang='en'><head><title>502</title></head></html>",
    b"\xef\xbb\xbf<!-- proxy --><!doctype HTML>\n<html></html>",
])
def test_an_html_page_is_named_as_one(catalog_dir: Path, arxiv: object, fake_clock: object,
                                      run_cli: Callable[..., object], page: bytes) -> None:
    from tests.arxiv_server import Fault

    arxiv.fail(*[Fault("status", status=200, headers={"Content-Type": "text/html"},
                       body=page)] * 4)
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence", exit_code=2)
    assert "answered with an HTML page, not an Atom feed" in result.stderr
    assert "unsafe" not in result.stderr


def test_a_redirect_to_a_file_names_no_port(catalog_dir: Path, arxiv: object,
                                            fake_clock: object,
                                            run_cli: Callable[..., object]) -> None:
    from tests.arxiv_server import Fault

    arxiv.fail(*[Fault("status", status=302, headers={"Location": "file:///etc/passwd"})] * 4)
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence", exit_code=2)
    assert "redirected to file://" in result.stderr and "None" not in result.stderr


# ---------------------------------------------------------------------------------------
# A first page that announced results and held none (twice) ended the search without a
# word: discover said "arXiv lists no paper" and exited 1, with or without --partial, and
# the weekly workflow skipped the week; in a split window, a sub-window lost so was not
# even reported.


@pytest.fixture
def empty_answers(arxiv: object, fake_clock: object,
                  monkeypatch: pytest.MonkeyPatch) -> object:
    from deepphen import arxiv as client_module
    from tests.discover_corpus import make_corpus

    monkeypatch.setattr(client_module.Client, "default_clock", fake_clock.clock)
    monkeypatch.setattr(client_module.Client, "default_sleep", fake_clock.sleep)
    arxiv.corpus = make_corpus(dt.date(2025, 5, 16), noise=7)
    real = arxiv.search_feed

    def empty(params: dict[str, str]) -> bytes:
        head, _, _ = real(params).decode().partition("  <entry>")
        return (head + "</feed>\n").encode()

    arxiv.search_feed = empty
    return arxiv


DISCOVER = ("discover", "--since", "2025-05-15", "--until", "2025-05-20", "--category", "cs.LG")


def test_an_announced_listing_that_never_comes_is_incomplete(
        catalog_dir: Path, empty_answers: object, run_cli: Callable[..., object]) -> None:
    result = run_cli(*DISCOVER, exit_code=2)
    assert "fetched 0 of" in result.stderr and "no paper" not in result.stderr
    partial = run_cli(*DISCOVER, "--partial", "--format", "json", exit_code=1)
    assert partial.stdout == "[]\n" and "fetched 0 of" in partial.stderr


# ---------------------------------------------------------------------------------------
# Scores were documented as comparable across runs, but a listing of a few papers has too
# little of arXiv to contrast against: two on-topic papers scored 0.9 among 524 candidates
# and 0.01 among 7. discover now says so when the listing is that small.


def test_a_small_listing_is_warned_about(catalog_dir: Path, arxiv: object, fake_clock: object,
                                         monkeypatch: pytest.MonkeyPatch,
                                         run_cli: Callable[..., object]) -> None:
    from deepphen import arxiv as client_module
    from deepphen.fit import MIN_LISTING
    from tests.discover_corpus import make_corpus

    monkeypatch.setattr(client_module.Client, "default_clock", fake_clock.clock)
    monkeypatch.setattr(client_module.Client, "default_sleep", fake_clock.sleep)
    arxiv.corpus = make_corpus(dt.date(2025, 5, 16), noise=7)
    result = run_cli(*DISCOVER, "--format", "json")
    assert len(json.loads(result.stdout)) < MIN_LISTING
    assert f"below {MIN_LISTING} its scores run low" in result.stderr
    md = run_cli(*DISCOVER, "--format", "md").stdout
    assert f"below {MIN_LISTING} its scores run low" in md


# ---------------------------------------------------------------------------------------
# import read its input whole, whatever its size: /dev/zero ran until memory ran out.


def test_import_refuses_an_endless_input(tmp_path: Path, run_cli: Callable[..., object],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen import paths

    monkeypatch.setattr(paths, "MAX_PAGE_BYTES", 1000)
    page = tmp_path / "README.md"
    page.write_text("# List\n\n" + "x" * 2000 + "\n")
    result = run_cli("import", page, "--catalog", tmp_path / "catalog", exit_code=2)
    assert "larger than" in result.stderr and "README.md" in result.stderr
    assert not (tmp_path / "catalog").exists()


def test_import_reads_line_ends_as_before(tmp_path: Path, run_cli: Callable[..., object]) -> None:
    from deepphen.cli.catalog_import import _decode
    from deepphen.dialect import page_text

    page = tmp_path / "README.md"
    page.write_bytes(b"\xef\xbb\xbf# L\r\n\r\n## S\rx\n")
    assert page_text(_decode(page)) == "# L\n\n## S\nx\n"


# ---------------------------------------------------------------------------------------
# Writers, red-team round 6: `export -o` into the catalog wrote without the catalog lock (a
# page computed from files lint --fix was changing, or overwritten by its roll-back); a
# page that is a link was replaced by a file (the linked page stayed stale); a second
# Ctrl-C during a roll-back stopped it half-way (427 of 562 fixed files left changed).


def test_export_into_the_catalog_takes_the_lock(tmp_path: Path, run_cli: Callable[..., object],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    from deepphen import fsutil

    root = make_catalog(tmp_path / "catalog")
    taken: list[Path] = []

    @contextlib.contextmanager
    def recording(where: Path, timeout: float = 30.0) -> Iterator[None]:
        taken.append(Path(where))
        yield

    monkeypatch.setattr(fsutil, "catalog_lock", recording)
    run_cli("export", "-f", "md", "--catalog", root, "-o", root / "README.md")
    assert taken == [root]
    run_cli("export", "-f", "md", "--catalog", root, "-o", tmp_path / "elsewhere.md")
    assert taken == [root]  # outside the catalog: no lock needed


def test_a_page_that_is_a_link_is_written_through(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    from tests.helpers import sample_settings

    root = make_catalog(tmp_path / "catalog", settings=sample_settings(
        page="README.md", regenerate_page=True))
    (root / "docs").mkdir()
    (root / "docs" / "page.md").write_text("stale\n")
    (root / "README.md").symlink_to(Path("docs") / "page.md")
    run_cli("lint", "--fix", "--catalog", root, exit_code=None)
    assert (root / "README.md").is_symlink()
    fresh = run_cli("export", "-f", "md", "--catalog", root).stdout
    assert (root / "docs" / "page.md").read_text() == fresh
    (root / "docs" / "page.md").write_text("stale again\n")
    from deepphen.add import regenerate_page
    from deepphen.catalog import load_settings

    regenerate_page(root, load_settings(root))  # add and refresh write it so too
    assert (root / "README.md").is_symlink()
    assert (root / "docs" / "page.md").read_text() == fresh


def test_a_second_ctrl_c_waits_for_the_roll_back(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    from deepphen import fsutil

    files = [tmp_path / f"f{i}.txt" for i in range(5)]
    for f in files:
        f.write_text("old")
    real = fsutil.atomic_write_bytes
    calls: list[Path] = []

    def write(path: Path, data: bytes, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 1:  # the roll-back's first file: a second Ctrl-C arrives
            os.kill(os.getpid(), signal.SIGINT)
        real(path, data, **kwargs)

    # Python's own Ctrl-C handler, whatever the run inherited (a background job's SIGINT is
    # ignored, and then the second Ctrl-C would test nothing).
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), fsutil.transaction() as journal:
            for f in files:
                journal.remember(f)
                f.write_text("new")
            monkeypatch.setattr(fsutil, "atomic_write_bytes", write)
            raise KeyboardInterrupt  # the first Ctrl-C
        assert [f.read_text() for f in files] == ["old"] * 5
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    finally:
        signal.signal(signal.SIGINT, inherited)


def test_a_catalog_file_given_for_its_folder_says_so(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    root = make_catalog(tmp_path / "catalog")
    result = run_cli("search", "grokking", "--catalog", root / "catalog.toml", exit_code=2)
    assert "a file, not a catalog folder" in result.stderr and str(root) in result.stderr

"""Red-team round 5: the code that landed last (comments kept in catalog files, dismissals
appended, bounded diagnostics, completion, ``export -o`` through links). Each test is one
class of defect, tried on several of its members; earlier rounds are in
tests/test_hostile_*.py and tests/test_hardening*.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deepphen.cli import output
from deepphen.printable import LINE_SHOWN, QUOTE_SHOWN

# ---------------------------------------------------------------------------------------
# A diagnostic's length was bounded before its control characters were shown as escapes,
# which are four to six characters each: a folder name of 1,900 control characters gave an
# error line of 7,600, and a quoted value of 80 invisible ones one of 480.


@pytest.mark.parametrize("say", [output.error, output.warn, output.nothing_found])
@pytest.mark.parametrize("char", ["\x01", "\u202e", "\x9b"])
def test_a_diagnostic_stays_bounded_once_its_controls_are_shown(
        say, char: str, capsys: pytest.CaptureFixture[str]) -> None:
    say(f"{char * 1900}: not a catalog folder; use --catalog")
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and len(line) <= LINE_SHOWN + 40
    assert line.rstrip("\n").endswith("use --catalog") and char not in line
    say(f"unknown section '{char * (QUOTE_SHOWN - 1)}'")
    assert len(capsys.readouterr().err) <= QUOTE_SHOWN + 60


# ---------------------------------------------------------------------------------------
# The derived cache is checked, never trusted: arXiv's metadata of the catalog's papers
# (catalog_meta) came back from it as stored, and a value of the wrong shape (a cache file
# of another version, or one a person edited) ended discover in a TypeError traceback.


@pytest.mark.parametrize("papers", [
    {"2401.00001": (5, "an abstract")},
    {"2401.00001": (None, None)},
    {"2401.00001": ((1, 2), b"bytes")},
    {5: (["cs.LG"], "an abstract")},
    ["2401.00001"],
    "2401.00001",
    7,
])
def test_a_cached_metadata_value_of_the_wrong_shape_is_no_cache(
        tmp_path, papers: object) -> None:
    from deepphen import cache
    from deepphen.catalog_meta import CACHE_NAME, FORMAT, load_meta
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog")
    assert cache.write_value(root, CACHE_NAME, {"format": FORMAT, "papers": papers})
    meta = load_meta(root)
    assert all(isinstance(k, str) for k in [*meta.categories, *meta.missing])
    assert all(isinstance(c, str) for cats in meta.categories.values() for c in cats)
    assert all(isinstance(a, str) for a in meta.abstracts.values())


@pytest.mark.parametrize("headings", [5, ["x"], {"a": 5}, {7: "x"}, None])
def test_cached_section_headings_of_the_wrong_shape_are_read_again(
        tmp_path, headings: object) -> None:
    """The same for search's JSON: the headings cached under catalog.toml's signature."""
    import os

    from deepphen import cache
    from deepphen.catalog import load_settings, section_headings
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog")
    st = os.stat(root / "catalog.toml")
    sig = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    assert cache.write_keyed(root, "section-headings", sig, headings)
    assert section_headings(root) == {s.slug: s.heading for s in load_settings(root).sections}


# ---------------------------------------------------------------------------------------
# A dismissal's error is located at its [[dismissed]] header, found by matching lines; a
# header written inside a multi-line reason (a curator quoting the format) was counted as
# one, so every error below it named the wrong line.


@pytest.mark.parametrize("quote", ['"""', "'''"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_header_inside_a_multi_line_reason_is_no_header(
        tmp_path, quote: str, newline: str) -> None:
    from deepphen.catalog import read_toml
    from deepphen.dismissed import header_lines, parse_dismissals
    from deepphen.errors import CatalogError

    path = tmp_path / "dismissed.toml"
    lines = ["[[dismissed]]", 'arxiv = "2501.00001"', f"reason = {quote}",
             "[[dismissed]]", f"{quote}", "", "[[dismissed]]", 'arxiv = "not an id"']
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    assert header_lines(path) == [1, 7]
    with pytest.raises(CatalogError) as caught:
        parse_dismissals(read_toml(path), path)
    assert caught.value.line == 7


def test_string_lines_are_the_lines_that_start_inside_a_multi_line_string() -> None:
    from deepphen.comments import string_lines

    text = 'a = """\nx\n"""\nb = \'\'\'\n# y\n\'\'\' # z\nc = "q"\n'
    assert string_lines(text) == {2, 3, 5, 6}


def test_a_quoted_dismissed_header_is_a_header(tmp_path) -> None:
    """TOML's key may be quoted: ``[["dismissed"]]`` is the same table, and leaving it out
    shifted every later error onto the header of the table after its own."""
    from deepphen.dismissed import header_lines

    path = tmp_path / "dismissed.toml"
    path.write_text('[["dismissed"]]\narxiv = "2501.00001"\n[[ \'dismissed\' ]] # x\n'
                    'arxiv = "2501.00002"\n[[dismissed]]\narxiv = "2501.00003"\n'
                    '[["dismissed.x"]]\n', encoding="utf-8")
    assert header_lines(path) == [1, 3, 5]


# ---------------------------------------------------------------------------------------
# A paper dismissed twice in dismissed.toml (two curators' branches merged) is lint's to
# report (DP605); dismissing another paper rewrote the file keeping only the last of the
# two tables, and the first curator's reason was gone without a word.


def test_dismissing_keeps_a_paper_dismissed_twice_as_written(tmp_path) -> None:
    from deepphen.dismissed import Dismissal, dismiss, load_dismissals
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog")
    (root / "dismissed.toml").write_text(
        '[[dismissed]]\narxiv = "2501.00001"\nreason = "first: a survey"\n\n'
        '[[dismissed]]\narxiv = "2501.00001"\nreason = "second: off topic"\n', encoding="utf-8")
    dismiss(root, [Dismissal("2401.00002", reason="new")])
    kept = [(d.arxiv, d.reason) for d in load_dismissals(root)]
    assert kept == [("2401.00002", "new"), ("2501.00001", "first: a survey"),
                    ("2501.00001", "second: off topic")]


def test_dismissing_writes_through_a_link_inside_the_catalog(tmp_path) -> None:
    """dismissed.toml may be a link to another file of the catalog (it is read through one):
    the write replaced the link with a file, and the file it led to went stale."""
    from deepphen.dismissed import Dismissal, dismiss, load_dismissals
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog")
    (root / "team").mkdir()
    shared = root / "team" / "dismissed.toml"
    shared.write_text('[[dismissed]]\narxiv = "2501.00001"\n', encoding="utf-8")
    (root / "dismissed.toml").symlink_to(Path("team") / "dismissed.toml")
    dismiss(root, [Dismissal("2401.00002")])
    assert (root / "dismissed.toml").is_symlink()
    assert "2401.00002" in shared.read_text(encoding="utf-8")
    assert [d.arxiv for d in load_dismissals(root)] == ["2401.00002", "2501.00001"]


def test_tables_added_to_a_commented_crlf_file_end_their_lines_as_it_does(tmp_path) -> None:
    """A file with comments gets new tables at its end; in a file of CRLF lines they came
    with LF ones, a file of mixed line ends that editors and git diffs show as changed."""
    from deepphen.dismissed import Dismissal, dismiss, load_dismissals
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog")
    path = root / "dismissed.toml"
    path.write_bytes(b'# ours\r\n[[dismissed]]\r\narxiv = "2501.00001"\r\n')
    dismiss(root, [Dismissal("2401.00002", title="T")])
    data = path.read_bytes()
    assert data.startswith(b"# ours\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert [d.arxiv for d in load_dismissals(root)] == ["2501.00001", "2401.00002"]

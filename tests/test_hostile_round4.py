"""Red-team round 4: classes of defect the earlier rounds left (tests/test_hardening_*.py,
tests/test_hostile_*.py, tests/test_control_characters.py and tests/test_page_markup.py hold
theirs). Each test is one class, tried on several of its members.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import make_catalog

# ---------------------------------------------------------------------------------------
# File names that are no UTF-8. Linux names are bytes; Python reads the undecodable ones as
# lone surrogates ("\udcff"), and a paper's key is its file name. JSON of such a key went out
# as the raw byte (search, export and lint's JSON were no UTF-8, so no JSON), and `export -o`
# died in a UnicodeEncodeError traceback for JSON and CSV.

BAD_NAME = b"bad\xff\xfename.toml"
BAD_KEY = os.fsdecode(b"bad\xff\xfename")


@pytest.fixture
def undecodable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_catalog(tmp_path / "catalog")
    source = (root / "others" / "1803.03635.toml").read_text(encoding="utf-8")
    paper = (source.replace('arxiv = "1803.03635"\n', "")
             .replace("The Lottery Ticket Hypothesis:", "Lottery Tickets Again:"))
    with open(os.path.join(os.fsencode(root / "others"), BAD_NAME), "wb") as handle:
        handle.write(paper.encode("utf-8"))
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


@pytest.mark.parametrize("args", [["search", "tickets", "-f", "json"], ["export", "-f", "json"],
                                  ["lint", "-f", "json"]], ids=" ".join)
def test_json_of_a_name_that_is_no_utf8_is_utf8_and_lossless(
        undecodable: Path, run_cli: Callable[..., object], args: list[str]) -> None:
    result = run_cli(*args, exit_code=None)
    assert result.exit_code in (0, 1), result.stderr  # type: ignore[attr-defined]
    document = json.loads(result.stdout_bytes.decode("utf-8"))  # type: ignore[attr-defined]
    assert BAD_KEY in json.dumps(document, ensure_ascii=False)  # the same name, read back


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "bibtex", "html"])
def test_export_output_of_a_name_that_is_no_utf8_is_written(
        undecodable: Path, run_cli: Callable[..., object], tmp_path: Path, fmt: str) -> None:
    """The file holds the bytes a pipe gets (deepphen.launch): the export's text, a name that
    is no UTF-8 as the bytes it came as."""
    from deepphen.catalog import Catalog
    from deepphen.export import exporter

    target = tmp_path / f"out.{fmt}"
    run_cli("export", "-f", fmt, "-o", target)
    catalog = Catalog.load(undecodable)
    expected = exporter(fmt)(catalog.papers, catalog.settings)
    assert target.read_bytes() == expected.encode("utf-8", "surrogateescape")
    if fmt == "csv":
        assert b"\nbad\xff\xfename," in target.read_bytes().replace(b"\r", b"")


# ---------------------------------------------------------------------------------------
# The derived cache keys a file on what no edit can keep. The section headings of search's
# JSON were keyed on catalog.toml's size, mtime and inode only: an edit in place that kept
# the size, its mtime restored (``touch -r``, ``cp -p``/``rsync -t`` onto the file, a tool
# restoring timestamps), left the old headings in every search's JSON, while export showed
# the new ones. The papers' cache already counted the ctime, which no one can set.

def test_search_json_headings_follow_an_edit_that_keeps_size_and_mtime(
        catalog_dir: Path, run_cli: Callable[..., object],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from deepphen import cache

    later = time.time_ns() + 10**11  # every change, the ctime's too, is old enough to cache
    monkeypatch.setattr(cache, "clock", lambda: later)

    def heading() -> str:
        hits = json.loads(run_cli("search", "lottery", "-n", "1", "-f", "json").stdout)  # type: ignore[attr-defined]
        return hits[0]["section_heading"]

    settings = catalog_dir / "catalog.toml"
    old = settings.stat().st_mtime_ns - 10**11  # old enough for the cache to keep it
    os.utime(settings, ns=(old, old))
    assert heading() == "Others"
    assert (catalog_dir / ".deepphen-cache" / "section-headings.pickle").is_file()
    before = settings.stat()
    text = settings.read_text(encoding="utf-8").replace('heading = "Others"',
                                                         'heading = "Misc.."')
    with open(settings, "r+", encoding="utf-8") as handle:  # in place: the same inode
        handle.write(text)
    os.utime(settings, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = settings.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    assert heading() == "Misc.."


# ---------------------------------------------------------------------------------------
# The terminal's width from the environment. rich takes any run of digits in COLUMNS as the
# width: COLUMNS=0 (left by some shells and editors' terminals) made every table and every
# --help print nothing at all, exit 0; COLUMNS=200000 made --help write megabytes of
# padding; COLUMNS=² (a digit to str.isdigit, not to int) ended every table and help in a
# traceback. A width that is no whole number from 1 to 10,000 is no width (the terminal's own,
# else 80), as Python's shutil.get_terminal_size reads a non-positive one.

def _deepphen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    full.update(env, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "deepphen", *args], cwd=cwd, env=full,
                          capture_output=True, timeout=120, check=False)


@pytest.mark.parametrize("columns", ["0", "00", "200000", "\u00b2"])
@pytest.mark.parametrize("args", [["search", "grokking"], ["stats"], ["search", "--help"]],
                         ids=" ".join)
def test_a_terminal_width_that_is_none_shows_everything(
        catalog_dir: Path, args: list[str], columns: str) -> None:
    done = _deepphen(*args, cwd=catalog_dir.parent, COLUMNS=columns, LINES=columns,
                     DEEPPHEN_FORCE_TERMINAL="1")
    assert done.returncode == 0, done.stderr
    shown = done.stdout.decode("utf-8")
    assert ("Usage" if "--help" in args else "Grokking") in shown, shown
    assert len(done.stdout) < 100_000


# ---------------------------------------------------------------------------------------
# Errors name the line. Every error of catalog.toml named its line but those of its [lint]
# table ("catalog.toml: [lint] unknown setting 'ignore'"): in a long file the curator had
# to search for it. Each names the line of the key at fault, else of its table.

@pytest.mark.parametrize(("table", "at"), [
    ('[lint]\nselect = ["DP101"]\nignore = ["DP101"]\n', 3),
    ('[lint]\nselect = ["DP999"]\n', 2),
    ('[lint]\n\ndisable = "DP101"\n', 3),
    ('[lint]\npage_limit_kb = 0\n', 2),
    ('[lint]\nselect = ["DP101"]\n\n[lint.level]\nDP101 = "error"\nDP102 = "loud"\n', 6),
    ('[lint.level]\nnot-a-rule = "warning"\n', 2),
    ('[lint]\nlevel = ["DP101"]\n', 2),
    ('lint = { select = ["DP999"] }\n', 1),
    ('lint.disable = ["nothing"]\n', 1),
])
def test_a_bad_lint_setting_is_named_at_its_line(
        catalog_dir: Path, run_cli: Callable[..., object], table: str, at: int) -> None:
    settings = catalog_dir / "catalog.toml"
    text = settings.read_text(encoding="utf-8")
    if table.startswith("lint"):  # a key of the top-level table: before any [table]
        text = table + text
        line = at
    else:
        line = len(text.splitlines()) + 1 + at
        text += "\n" + table
    settings.write_text(text, encoding="utf-8")
    result = run_cli("lint", exit_code=2)
    errors = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(errors) == 1 and f"catalog.toml:{line}: [lint" in errors[0], errors


# ---------------------------------------------------------------------------------------
# A filter's value is taken as given, whatever its truth value: `--year 0` (or `-0`, `0000`)
# filtered nothing, so search listed and export wrote every paper, exit 0, for a year no
# paper has.

@pytest.mark.parametrize("year", ["0", "0000", "-0"])
@pytest.mark.parametrize("args", [["search", "grokking"], ["search"], ["export", "-f", "json"],
                                  ["stats", "-f", "json"]], ids=" ".join)
def test_a_year_filter_of_zero_filters(catalog_dir: Path, run_cli: Callable[..., object],
                                       args: list[str], year: str) -> None:
    result = run_cli(*args, "--year", year, exit_code=1)
    assert "Grokking" not in result.stdout  # type: ignore[attr-defined]
    assert "no paper" in result.stderr  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# A write never leaves a catalog.toml its own readers refuse. `import --merge` of a page that
# shows part of the catalog records the window (`recent_months`) that reproduces it, counted
# from the page's oldest paper; a catalog paper whose id was written loosely
# ("arXiv:2201.02177v2", lint's DP201: the catalog loads it) counted as dated in month 0 of
# year 0, and a page of papers a century apart gave a span over the 1..1200 the field allows.
# Either way catalog.toml was written with recent_months = 24306 (say), and every command
# after it failed on the file.

FRONT = """# Front

## Others

### Others: {year}

- {title}. [[paper]](https://arxiv.org/abs/{arxiv})
  - Ann Author.
  - Key Word: Testing.
"""


@pytest.mark.parametrize("case", ["loose-id", "a-century-apart"])
def test_merge_never_writes_settings_its_readers_refuse(
        tmp_path: Path, run_cli: Callable[..., object], case: str) -> None:
    from deepphen.models import Paper

    papers = None
    if case == "a-century-apart":
        papers = [Paper(title="An Old Paper Named Here", year=1901, section="others",
                        published=__import__("datetime").date(1901, 3, 1)),
                  Paper(title="A Recent Paper", year=2025, section="others",
                        arxiv="2505.04741")]
    root = make_catalog(tmp_path / "catalog", papers)
    if case == "loose-id":
        paper = root / "emergence-and-phase-transitions" / "2201.02177.toml"
        paper.write_text(paper.read_text(encoding="utf-8").replace(
            'arxiv = "2201.02177"', 'arxiv = "arXiv:2201.02177v2"'), encoding="utf-8")
        page = FRONT.format(year=2022, arxiv="2201.02177", title="Grokking: Generalization "
                            "Beyond Overfitting on Small Algorithmic Datasets")
    else:
        page = FRONT.format(year=1901, arxiv="0000.00000", title="An Old Paper Named Here")
    (tmp_path / "front.md").write_text(page, encoding="utf-8")
    run_cli("import", tmp_path / "front.md", "--merge", "--page", "FRONT.md",
            "--catalog", root, exit_code=None)
    run_cli("lint", "--catalog", root, exit_code=None)  # reads catalog.toml: no exit 2
    text = run_cli("export", "--page", "FRONT.md", "--catalog", root).stdout  # type: ignore[attr-defined]
    assert ("Grokking" if case == "loose-id" else "An Old Paper Named Here") in text


def test_a_recent_page_shows_a_paper_whose_id_is_written_loosely(
        tmp_path: Path, run_cli: Callable[..., object]) -> None:
    """The window of a `recent_months` page left out the newest paper when its id was written
    loosely: it counted as dated in year 0."""
    from tests.helpers import sample_settings

    settings = sample_settings()
    settings.layout.recent_months = 12
    root = make_catalog(tmp_path / "catalog", settings=settings)
    paper = root / "empirical-study" / "2505.04741.toml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        'arxiv = "2505.04741"', 'arxiv = "arXiv:2505.04741v2"'), encoding="utf-8")
    text = run_cli("export", "--catalog", root).stdout  # type: ignore[attr-defined]
    assert "When Bad Data Leads to Good Models" in text


def test_a_paper_whose_id_is_written_loosely_is_placed_by_that_id() -> None:
    """The page's order within a year is arXiv's: a loosely written id sorted as the oldest."""
    from deepphen.export.markdown import render
    from deepphen.models import Paper
    from tests.helpers import sample_settings

    loose = Paper(title="Newer Written Loosely", year=2022, section="others",
                  arxiv="arXiv:2212.09999v1")
    older = Paper(title="Older Written Canonically", year=2022, section="others",
                  arxiv="2201.00001")
    entries = [line for line in render([older, loose], sample_settings()).splitlines()
               if line.startswith("- ") and "](#" not in line]
    assert [e.split(".")[0] for e in entries] == ["- Newer Written Loosely",
                                                   "- Older Written Canonically"]


# ---------------------------------------------------------------------------------------
# An arXiv id is ASCII. The id patterns used \d and Unicode case-insensitivity: an id whose
# digits were of another script ("١٨03.٠٣٦٣٥", which shows as other characters but reads as
# 1803.03635) passed lint's DP201 as canonical, `add` took it, lint told to rename the file to
# it (a name no key may be), and a duplicate of a catalog paper written so went unnoticed;
# "arxıv.org" (a dotless ı: another host) was read as arXiv's.

OTHER_DIGITS = [0x0660, 0x06F0, 0x0966, 0xFF10, 0x1D7CE]  # Arabic-Indic, Persian, Devanagari...


@given(st.sampled_from(["1803.03635", "2201.02177v2", "hep-th/9901001", "math.GT/0309136",
                        "https://arxiv.org/abs/2201.02177", "arXiv:1501.00001"]),
       st.data())
def test_an_id_with_digits_of_another_script_is_no_id(text: str, data: st.DataObject) -> None:
    from deepphen import ids
    from deepphen.errors import InvalidId

    places = [i for i, ch in enumerate(text) if ch.isdigit()]
    where = data.draw(st.sampled_from(places))
    zero = data.draw(st.sampled_from(OTHER_DIGITS))
    spoofed = text[:where] + chr(zero + int(text[where])) + text[where + 1:]
    with pytest.raises(InvalidId):
        ids.parse_arxiv_id(spoofed)
    assert not ids.is_arxiv_id(spoofed) and ids.canonical_id(spoofed) is None
    assert ids.arxiv_id_from_url(spoofed) is None


@pytest.mark.parametrize("host", ["arx\u0131v.org", "arx\u0130v.org", "\u212aarxiv.org"])
def test_a_look_alike_host_is_no_arxiv_link(host: str) -> None:
    from deepphen import ids

    assert ids.arxiv_id_from_url(f"https://{host}/abs/2201.02177") is None
    assert ids.arxiv_id_from_url("https://ARXIV.ORG/abs/2201.02177") == "2201.02177"


def test_lint_flags_an_id_with_digits_of_another_script(
        catalog_dir: Path, run_cli: Callable[..., object]) -> None:
    paper = catalog_dir / "others" / "1803.03635.toml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        'arxiv = "1803.03635"', 'arxiv = "\u0661\u066803.\u0660\u0663\u0666\u0663\u0665"'),
        encoding="utf-8")
    found = json.loads(run_cli("lint", "-f", "json", exit_code=1).stdout)  # type: ignore[attr-defined]
    assert "DP201" in {f["rule"] for f in found}


@pytest.mark.parametrize("flag", ["--since", "--until", "--year"])
def test_a_date_in_digits_of_another_script_is_refused_as_a_year_is(
        catalog_dir: Path, run_cli: Callable[..., object], flag: str) -> None:
    """`--until ２０２０` was a date while `--year ２０２０` was a usage error."""
    result = run_cli("search", "grokking", flag, "\uff12\uff10\uff12\uff10", exit_code=2)
    assert len(result.stderr.strip().splitlines()) == 1  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Read, change and write under one lock. `import --merge` read the catalog, computed the
# merge, and only took the catalog lock to write: a writer in between (another merge, an
# `add` of a paper the page holds) was overwritten (its [[pages]] entry lost) or duplicated.
# `add`, `refresh --write` and `lint --fix` read under the lock they write under; so must it.

def test_merge_reads_the_catalog_under_the_lock_it_writes_under(
        tmp_path: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen import merge
    from deepphen.errors import LockTimeout
    from deepphen.fsutil import catalog_lock

    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "front.md").write_text(FRONT.format(
        year=2022, arxiv="2201.02177", title="Grokking: Generalization Beyond Overfitting on "
        "Small Algorithmic Datasets"), encoding="utf-8")
    real, held = merge.merge_page, []

    def merging(*args: object, **kwargs: object) -> object:
        try:
            with catalog_lock(root, timeout=0):
                held.append(False)  # another writer could have changed the catalog here
        except LockTimeout:
            held.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge, "merge_page", merging)
    run_cli("import", tmp_path / "front.md", "--merge", "--page", "FRONT.md",
            "--catalog", root, exit_code=None)
    assert held == [True]
    assert "FRONT.md" in (root / "catalog.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# `export --page` names a declared page by its file, or by its file's name alone. The first
# page whose name matched won, even over a page that is exactly the one named: with pages
# docs/README.md and README.md, `--page README.md` wrote docs/README.md's text (and `-o
# catalog/README.md` put it in the other page's file). A name two pages share is ambiguous.

def test_export_page_takes_the_page_named_exactly(tmp_path: Path,
                                                  run_cli: Callable[..., object]) -> None:
    import dataclasses

    from tests.helpers import sample_settings

    settings = sample_settings(page="docs/README.md", title="First Page")
    settings.pages = [dataclasses.replace(sample_settings(page="README.md", title="Second"),
                                          pages=[]),
                      dataclasses.replace(sample_settings(page="old/README.md", title="Third"),
                                          pages=[])]
    root = make_catalog(tmp_path / "catalog", settings=settings)

    def title(page: str) -> str:
        return run_cli("export", "--page", page, "--catalog", root).stdout.splitlines()[0]  # type: ignore[attr-defined]

    assert (title("README.md"), title("docs/README.md"), title("old/README.md")) == (
        "# Second", "# First Page", "# Third")
    settings.pages.pop(0)
    (root / "catalog.toml").unlink()
    make_catalog(root, [], settings)
    result = run_cli("export", "--page", "README.md", "--catalog", root, exit_code=2)
    assert "docs/README.md" in result.stderr and "old/README.md" in result.stderr  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# An integer longer than Python reads (4,300 digits: int()'s limit since 3.11). tomli lets
# int()'s ValueError out, not its TOMLDecodeError: every command that read the file ended in
# a traceback. TOML's integers are 64-bit; such a value is a syntax error at its line.

@pytest.mark.parametrize("where", ["paper", "settings"])
@pytest.mark.parametrize("args", [["search", "lottery", "-f", "json"], ["lint"],
                                  ["export", "-f", "json"], ["stats"]], ids=" ".join)
def test_an_integer_of_thousands_of_digits_is_a_syntax_error_at_its_line(
        catalog_dir: Path, run_cli: Callable[..., object], args: list[str], where: str) -> None:
    path = (catalog_dir / "others" / "1803.03635.toml" if where == "paper"
            else catalog_dir / "catalog.toml")
    path.write_text("# a comment\nscore = " + "7" * 5000 + "\n"
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(*args, exit_code=None)
    out = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in out and result.exit_code in (1, 2), out[-500:]  # type: ignore[attr-defined]
    assert f"{path.name}:2:" in out and "integer" in out, out[-500:]


def test_the_line_named_is_the_long_integer_s_not_an_earlier_run_of_digits(
        catalog_dir: Path, run_cli: Callable[..., object]) -> None:
    """Digits in a string or a comment are text: the error named the first line holding
    4,301 digits in a row, wherever they stood, rather than the integer's own."""
    path = catalog_dir / "catalog.toml"
    digits = "7" * 5000
    path.write_text(f'# {digits}\nnote = "{digits}"\nscore = {digits}\n'
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("lint", exit_code=2)
    assert "catalog.toml:3:" in result.stderr, result.stderr[-500:]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Nothing is read through a link out of the catalog. Writes into the private folder refused a
# `.deepphen-cache` that is a symbolic link, but reads went through it: a shared catalog's
# link to another folder (another user's, /tmp) fed discover the arXiv metadata found there
# (abstracts and categories: its ranking) and search its cached headings.

def test_the_cache_is_not_read_through_a_linked_private_folder(tmp_path: Path) -> None:
    import pickle

    from deepphen.cache import read_value
    from deepphen.catalog_meta import CACHE_NAME, FORMAT, load_meta

    root = make_catalog(tmp_path / "catalog")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    planted = {"format": FORMAT, "papers": {"2201.02177": (["hep-th"], "planted abstract")}}
    (elsewhere / f"{CACHE_NAME}.pickle").write_bytes(pickle.dumps(planted))
    cache = root / ".deepphen-cache"
    if cache.exists():
        import shutil

        shutil.rmtree(cache)
    cache.symlink_to(elsewhere, target_is_directory=True)
    assert read_value(root, CACHE_NAME) is None
    assert load_meta(root).abstracts == {}


def test_export_output_in_a_removed_working_folder_names_the_file(
        catalog_dir: Path, tmp_path: Path, run_cli: Callable[..., object],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`export -o out.md` in a folder deleted under the shell: "error: No such file or
    directory", naming nothing (the check for a device asked for the working folder)."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run_cli("export", "-o", "out.md", exit_code=2)
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "out.md" in lines[0], lines


@pytest.mark.parametrize("args", [["search", "grokking"], ["lint"], ["stats"]], ids=" ".join)
def test_no_catalog_found_from_a_removed_working_folder_says_so(
        tmp_path: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
        args: list[str]) -> None:
    """Looking for catalog/ upwards from a deleted folder said "error: No such file or
    directory", naming nothing."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run_cli(*args, exit_code=2)
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "working folder" in lines[0] and "--catalog" in lines[0], lines


# Narrow terminals. stats drew its bars at a fixed 40 cells: at 40 columns only bars showed,
# at 50 the labels were cut to two letters and the counts vanished. search's stacked rows kept
# their borders at 4 columns, which left no room for a letter.

def _at_width(run_cli, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> str:
    from deepphen.cli.output import console

    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    console.cache_clear()  # the console binds to the runner's stdout and width
    try:
        return run_cli(*args).stdout
    finally:
        console.cache_clear()


@pytest.mark.parametrize("columns", [30, 40, 50, 60, 200])
def test_stats_shows_every_label_and_count_at_any_width(catalog_dir: Path, run_cli,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        columns: int) -> None:
    numbers = json.loads(run_cli("stats", "--format", "json").stdout)
    shown = _at_width(run_cli, monkeypatch, columns, "stats")
    assert max(len(line) for line in shown.splitlines()) <= columns
    flat = " ".join(shown.split())  # a folded label reads back with its words in order
    for row in numbers["sections"]:
        # The count follows the label's first line: "Emergence and 1 Phase Transitions".
        words = [re.escape(w) for w in row["heading"].split()]
        label = "".join(f"{w}(?: {row['papers']})?\\s*" for w in words)
        found = re.search(label, flat)
        assert found and f" {row['papers']}" in found.group(), row
    for row in numbers["years"]:
        assert re.search(rf"\b{row['year']} {row['papers']}\b", flat), row


@pytest.mark.parametrize("columns", [3, 4, 8, 15])
def test_search_shows_its_rows_on_a_terminal_of_a_few_columns(
        catalog_dir: Path, run_cli, monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    shown = _at_width(run_cli, monkeypatch, columns, "search", "grokking", "-n", "1")
    letters = "".join(ch for ch in shown if ch.isalnum())
    assert "GrokkingGeneralizationBeyondOverfitting" in letters, shown

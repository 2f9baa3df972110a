"""Red-team tests of the network commands (discover, add, refresh): what a hostile arXiv
server or a hostile catalog sends must reach no terminal, page or log as markup or control
sequences, and end in no traceback."""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from deepphen import discover as core
from deepphen.arxiv import Client
from deepphen.cli import network
from deepphen.cli.discover import discover_progress
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.discover_corpus import make_corpus

TODAY = dt.date(2025, 5, 22)
WINDOW = ("--since", "2025-05-15", "--until", "2025-05-20", "--category", "cs.LG")


@pytest.fixture
def fake(fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """No real waiting between requests (tests/arxiv_server.py); today is TODAY."""
    monkeypatch.setattr(core, "utc_today", lambda: TODAY)
    return fake_clock

# Server text as it reaches a progress line: an httpx error quoting a malformed header line
# ("illegal header line: bytearray(b'...')"). Rich markup in it would be a clickable link to
# another site, or (an unmatched closing tag) a MarkupError traceback from the display.
MARKUP = "[/nope] [link=https://evil.example]click[/link] [bold red]loud[/] \x1b[2J\u202e"


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """The progress display drawn on a terminal whose bytes the test reads."""
    buffer = io.StringIO()
    fake = Console(file=buffer, force_terminal=True, width=400, color_system="truecolor")
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setattr(network, "console", lambda stderr=False: fake)
    return buffer


def _discover_wait(reason: str) -> None:
    with discover_progress(60) as (_hooks, on_wait):
        on_wait(3, reason)


def _add_wait(reason: str) -> None:
    with network.network_progress("fetching") as progress:
        progress.wait(3, reason)


@pytest.mark.parametrize("wait", [_discover_wait, _add_wait], ids=["discover", "add"])
def test_progress_shows_server_text_as_text(screen: io.StringIO,
                                            wait: Callable[[str], None]) -> None:
    wait(f"retry after connection failed ({MARKUP})")
    shown = screen.getvalue()
    assert "[/nope]" in shown and "[link=https://evil.example]" in shown  # shown, not obeyed
    assert "\x1b]8;" not in shown  # no hyperlink
    assert "\x1b[2J" not in shown and "\u202e" not in shown


# --- hostile feeds ------------------------------------------------------------------------

FEED_HEAD = ('<feed xmlns="http://www.w3.org/2005/Atom" '
             'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">')


def _feed(total: str = "1", stamp: str = "2025-05-18T12:00:00Z", ident: str = "2505.30001",
          title: str = "Neural collapse, again") -> bytes:
    return (f"{FEED_HEAD}<opensearch:totalResults>{total}</opensearch:totalResults>"
            f"<entry><id>http://arxiv.org/abs/{ident}v1</id><title>{title}</title>"
            f"<summary>neural collapse grokking</summary><author><name>A B</name></author>"
            f'<category term="cs.LG"/><published>{stamp}</published>'
            f"<updated>{stamp}</updated></entry></feed>").encode()


@pytest.mark.parametrize("total", ["\u00b2", "\u0663", "\uff11\uff12", "-3", "1e3", " "])
def test_a_total_that_is_no_ascii_number_is_no_total(total: str) -> None:
    """'²' passes str.isdigit() but not int(): a ValueError traceback in every command
    that reads a feed (as Retry-After's '²' did before). Only ASCII digits count."""
    from deepphen.atom import parse_page

    entries, announced = parse_page(_feed(total))
    assert [e.id for e in entries] == ["2505.30001"] and announced is None


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59",
                                   "2025-05-18T12:00:00+99:00", "2025-05-18T25:00:00Z"])
def test_a_date_out_of_range_is_no_date(stamp: str) -> None:
    """A stamp whose offset moves it past year 9999 or before year 1 raised OverflowError
    (a traceback in add, refresh and discover); it is no date, like any unreadable one."""
    from deepphen.atom import parse_page

    [entry], _ = parse_page(_feed(stamp=stamp))
    assert entry.published is None and entry.updated is None and entry.listed is None


def test_discover_reads_a_hostile_feed_without_a_traceback(catalog_dir: Path, arxiv: ArxivServer,
                                                           fake: FakeTime, run_cli) -> None:
    arxiv.fail(Fault("body", body=_feed("\u00b2") .replace(
        b"</feed>", _feed(stamp="9999-12-31T23:59:59-23:59", ident="2505.30002").split(
            b"</opensearch:totalResults>", 1)[1])))
    result = run_cli("discover", *WINDOW, "--format", "json")
    records = {r["arxiv"]: r["published"] for r in json.loads(result.stdout)}
    assert records == {"2505.30001": "2025-05-18", "2505.30002": None}  # judged by its id


# --- the markdown checklist, pasted into a GitHub issue -----------------------------------

@pytest.mark.parametrize("text", ["fixes #12", "see owner/repo#7", "closes GH-26",
                                  "gh-26 again", "thanks @octocat", "to @org/team"])
def test_no_github_reference_survives(text: str) -> None:
    """GitHub links "#26", "owner/repo#26" and "GH-26" to issues (a closing keyword in a pull
    request's text even closes them) and notifies "@name": none may come from arXiv's text."""
    import re

    shown = core.inert_references(text)
    assert shown.replace("\u200b", "") == text
    assert not re.search(r"(?i)(?:#|\bgh-)\d|@\w", shown)


# --- triage under faults ------------------------------------------------------------------

def _no_space(*_args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("answers", ["a\n\n\nq\n", "d\nq\n"], ids=["add", "dismiss"])
def test_triage_on_a_full_disk_stops_with_one_line(catalog_dir: Path, arxiv: ArxivServer,
                                                   fake: FakeTime, run_cli, answers: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision that cannot be written ends the walk: one line naming the file, exit 2,
    the catalog as it was. (A failed add warned, asked again and the walk ended in exit 0,
    as if all went well; a failed dismissal already stopped.)"""
    from deepphen import fsutil

    arxiv.corpus = make_corpus(dt.date(2025, 5, 20), noise=5)
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    before = _files(catalog_dir)
    monkeypatch.setattr(fsutil.os, "fsync", _no_space)
    result = run_cli("discover", *WINDOW[:4], "--interactive", "--limit", "2", input=answers,
                     exit_code=2)
    [line] = [t for t in result.stderr.splitlines() if t.startswith("deepphen: error:")]
    assert "No space left on device" in line and str(catalog_dir) in line
    assert "added 0, dismissed 0, skipped 0" in result.stderr
    assert _files(catalog_dir) == before


def _files(root: Path) -> dict[Path, bytes]:
    """The catalog's files and their bytes (the derived cache aside)."""
    return {p: p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".deepphen-cache" not in p.parts}


# --- a hostile catalog --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "said"), [
    ("[[dismissed]]\narxiv = 2505\n", "must be an arXiv id"),
    ("[[dismissed]]\narxiv = \"../../etc/passwd\"\n", "must be an arXiv id"),
    ("[[dismissed]]\narxiv = \"2505.30001\"\ndate = \"yesterday\"\n", "'date' must be a date"),
    ("dismissed = \"2505.30001\"\n", "must be a list of tables"),
    ("[[dismissed]\narxiv = \"2505.30001\"\n", "dismissed.toml"),  # not TOML
    ("\x00\x01binary", "dismissed.toml"),
])
def test_a_bad_dismissal_file_fails_before_any_request(catalog_dir: Path, arxiv: ArxivServer,
                                                       fake: FakeTime, run_cli, text: str,
                                                       said: str) -> None:
    """The dismissals were read only after the whole listing was fetched: a typo in the file
    cost a month's pages (minutes of arXiv's 3 s waits) before its one-line error."""
    (catalog_dir / "dismissed.toml").write_text(text, encoding="utf-8")
    result = run_cli("discover", *WINDOW, exit_code=2)
    assert said in result.stderr and "Traceback" not in result.stderr
    assert arxiv.requests == []


# --- compression bombs --------------------------------------------------------------------

def _zeros(size: int, layers: int) -> bytes:
    """``size`` zero bytes gzipped ``layers`` times over (a few KiB on the wire)."""
    import zlib

    pack = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    body = b"".join(pack.compress(chunk) for _ in range(size >> 20)) + pack.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9)
    return body


@pytest.mark.parametrize(("encoding", "layers"), [("gzip", 1), ("gzip, gzip", 2),
                                                  ("gzip, deflate", 2)])
def test_a_compression_bomb_is_refused_within_the_size_cap(arxiv: ArxivServer,
                                                           encoding: str, layers: int) -> None:
    """The size cap counted decoded bytes only after httpx had decoded a whole network read:
    64 KiB of gzip is 64 MiB of zeros, and two layers ('gzip, gzip', decoded in turn) turn
    a few KiB into gigabytes in one step. Decoding is bounded by the cap itself."""
    import tracemalloc

    from deepphen.arxiv import MAX_RESPONSE_BYTES
    from deepphen.errors import NetworkError

    body = _zeros(64 << 20, layers)
    if encoding.endswith("deflate"):  # the outer layer in zlib's format
        import zlib

        body = zlib.compress(gzip.decompress(body), 9)
    arxiv.fail(Fault("status", headers={"Content-Encoding": encoding}, body=body))
    tracemalloc.start()
    try:
        with pytest.raises(NetworkError, match="larger than"):
            # Pages of 10, the fewest asked: a larger page too large is asked again smaller.
            list(Client(arxiv.url, max_tries=1).search("cat:cs.LG", page_size=10))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_RESPONSE_BYTES


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "identity", ""])
def test_compressed_feeds_are_still_read(arxiv: ArxivServer, encoding: str) -> None:
    import zlib

    packed = {"gzip": gzip.compress, "x-gzip": gzip.compress, "deflate": zlib.compress}
    body = packed.get(encoding, bytes)(_feed())
    arxiv.fail(Fault("status", headers={"Content-Encoding": encoding} if encoding else {},
                     body=body))
    [page] = Client(arxiv.url, max_tries=1).search("cat:cs.LG")
    assert [e.id for e in page.entries] == ["2505.30001"]
    assert "gzip" in arxiv.requests[-1].headers.get("Accept-Encoding", "")


def test_an_endless_body_is_cut_at_the_cap_as_it_streams(arxiv: ArxivServer) -> None:
    """No Content-Length and no end: reading stops at the cap, the rest never held."""
    import tracemalloc

    from deepphen.errors import NetworkError

    arxiv.fail(Fault("huge", size=64 << 20, send_length=False))
    tracemalloc.start()
    try:
        with pytest.raises(NetworkError, match="larger than"):
            list(Client(arxiv.url, max_tries=1, max_bytes=1 << 20).search("cat:cs.LG",
                                                                          page_size=10))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


# --- invisible characters from arXiv ------------------------------------------------------

# Soft hyphen, Mongolian vowel separator, zero-width space, word joiner, the invisible math
# operators, and the tag characters (which spell hidden ASCII text, "ASCII smuggling").
INVISIBLE = "\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064" + "".join(
    chr(c) for c in range(0xE0000, 0xE0080, 7))


def test_arxiv_text_keeps_no_invisible_characters() -> None:
    """A title or author name from arXiv carrying characters that show as nothing would put
    text the curator cannot see into the checklist, the terminal and (through add) the
    catalog and its page. Joiners that scripts and emoji need (U+200C, U+200D) stay."""
    from deepphen.atom import parse_page

    body = _feed(title=f"Neu{INVISIBLE}ral collapse \u0645\u200c\u06cc \U0001f469\u200d\U0001f52c")
    [entry], _ = parse_page(body.replace(b"<name>A B</name>",
                                         f"<name>A{INVISIBLE} B</name>".encode()))
    assert entry.title == "Neural collapse \u0645\u200c\u06cc \U0001f469\u200d\U0001f52c"
    assert entry.authors == ["A B"]


def test_the_checklist_fits_an_issue_whatever_arxiv_sends(catalog_dir: Path, arxiv: ArxivServer,
                                                          fake: FakeTime, run_cli) -> None:
    """A title or author name of megabytes (a feed under the 8 MiB cap) went whole into the
    checklist: a GitHub issue takes 65,536 characters, so the weekly workflow's
    'gh issue create' failed. The checklist and the table shorten them (the table was pages
    of one title); JSON keeps every character."""
    from tests.arxiv_query import CorpusEntry

    title = "Neural collapse " + "grokking " * 100_000
    names = ["Ann " + "Long" * 50_000, "Bo " + "Name" * 50_000, "Cy Short", "Di Four"]
    arxiv.corpus = [CorpusEntry("2505.30001", title, names, "neural collapse", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]
    md = run_cli("discover", *WINDOW, "--format", "md").stdout
    [item] = [line for line in md.splitlines() if line.startswith("- [ ] ")]
    assert len(item) < 1500 and "…" in item
    assert "](https://arxiv.org/abs/2505.30001)" in item and "`deepphen add 2505.30001" in item
    [record] = json.loads(run_cli("discover", *WINDOW, "--format", "json").stdout)
    assert record["title"] == title.strip() and record["authors"] == names
    [row] = run_cli("discover", *WINDOW).stdout.splitlines()  # the table, piped
    assert len(row) < 1500 and "…" in row


def test_a_paper_without_authors_reads_cleanly_in_the_checklist(
        catalog_dir: Path, arxiv: ArxivServer, fake: FakeTime, run_cli) -> None:
    """An entry with no <author> gave "...): , 2025-05-18; ..." (an empty name list)."""
    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.30001", "Neural collapse, anonymously", [],
                                "neural collapse", ["cs.LG"], dt.datetime(2025, 5, 18, 12))]
    result = run_cli("discover", *WINDOW, "--format", "md")
    assert "(https://arxiv.org/abs/2505.30001): 2025-05-18; score" in result.stdout
    # One paper in the issue's words: "1 of 1 new papers", "only 1 candidates" were shown.
    assert "(1 of 1 new paper, best first)" in result.stdout
    assert "> only 1 candidate: " in result.stdout and "only 1 candidate: " in result.stderr


@pytest.mark.parametrize("loose", ["2201.02177v2", "arXiv:2201.02177", " 2201.02177"])
def test_catalog_ids_written_loosely_or_wrongly_spoil_no_abstract(
        tmp_path: Path, arxiv: ArxivServer, fake: FakeTime, run_cli, loose: str) -> None:
    """A paper file's 'arxiv' written loosely (lint's DP201; the catalog loads it) was looked
    up as written: its abstract was filed under the canonical id and then never found, and
    the id was cached as unknown to arXiv for good. One malformed id ('9999.99999') failed
    the whole look-up: "could not fetch the abstracts of 4 catalog papers"."""
    from deepphen.catalog_meta import load_meta
    from tests.helpers import make_catalog, sample_papers

    papers = sample_papers()
    grok = next(p for p in papers if p.arxiv == "2201.02177")
    grok.arxiv, grok.key = loose, "grokking"
    papers[-1].arxiv = "9999.99999"
    root = make_catalog(tmp_path / "catalog", papers)
    arxiv.corpus = make_corpus(dt.date(2025, 5, 20), noise=3)
    result = run_cli("discover", *WINDOW, "--catalog", root, "--format", "json")
    assert "could not fetch" not in result.stderr
    asked = [i for r in arxiv.requests for i in r.ids]
    assert "2201.02177" in asked and loose not in asked and "9999.99999" not in asked
    meta = load_meta(root)
    assert "2201.02177" in meta.abstracts and not meta.missing
    assert meta.abstracts_of([grok])[grok.arxiv] == meta.abstracts["2201.02177"]


# --- refresh, on the same catalog ids -----------------------------------------------------

def _loose_catalog(root: Path, arxiv_field: str) -> Path:
    from tests.helpers import make_catalog, sample_papers

    papers = sample_papers()
    grok = next(p for p in papers if p.arxiv == "2201.02177")
    grok.arxiv, grok.key = arxiv_field, "grokking"
    return make_catalog(root, papers)


@pytest.mark.parametrize("loose", ["2201.02177v2", "arXiv:2201.02177", " 2201.02177"])
@pytest.mark.parametrize("which", [["--all"], ["2201.02177"]])
def test_refresh_knows_a_paper_whose_id_is_written_loosely(
        tmp_path: Path, arxiv: ArxivServer, fake_clock: FakeTime, run_cli, loose: str,
        which: list[str]) -> None:
    """'arXiv no longer lists 1 of them: 2201.02177v2' (it does), 'not in the catalog:
    2201.02177' (it is), or the whole look-up refused with HTTP 400 (the 'arXiv:' prefix
    was sent in id_list as written)."""
    root = _loose_catalog(tmp_path / "catalog", loose)
    result = run_cli("refresh", *which, "--catalog", root, "--format", "json", exit_code=None)
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, result.stderr
    data = json.loads(result.stdout)
    assert data["missing"] == [] and data["checked"] >= 1
    asked = [i for r in arxiv.requests for i in r.ids]
    assert "2201.02177" in asked and not [i for i in asked if not i[0].isdigit()]


def test_refresh_names_the_file_of_a_catalog_id_that_is_none(
        tmp_path: Path, arxiv: ArxivServer, fake_clock: FakeTime, run_cli) -> None:
    """'9999.99999' in one paper file stopped 'refresh --all' with "'9999.99999' is not an
    arXiv id" and no word of where it is written."""
    from tests.helpers import one_line_error

    root = _loose_catalog(tmp_path / "catalog", "9999.99999")
    result = run_cli("refresh", "--all", "--catalog", root, exit_code=None)
    one_line_error(result, "grokking.toml", "9999.99999")
    assert arxiv.requests == []


@pytest.mark.parametrize("loose", ["2201.02177v2", "arXiv:2201.02177"])
def test_add_force_replaces_a_paper_whose_id_is_written_loosely(
        tmp_path: Path, arxiv: ArxivServer, fake_clock: FakeTime, run_cli, loose: str) -> None:
    """It was refused as 'a near-identical title', and with --force added beside the old
    file: the same paper twice in the catalog."""
    from deepphen.catalog import Catalog

    root = _loose_catalog(tmp_path / "catalog", loose)
    refused = run_cli("add", "2201.02177", "-s", "others", "--catalog", root, exit_code=1)
    assert "(the same arXiv id)" in refused.stderr
    result = run_cli("add", "2201.02177", "-s", "others", "-k", "Grokking", "--force",
                     "--catalog", root)
    assert "replaces the existing entry" in result.stderr
    papers = Catalog.load(root).papers
    assert [p.key for p in papers if "2201.02177" in (p.arxiv or "")] == ["2201.02177"]


def test_an_error_entry_of_megabytes_is_one_short_line(catalog_dir: Path, arxiv: ArxivServer,
                                                       fake: FakeTime, run_cli) -> None:
    """arXiv's error entry (HTTP 200, <id>.../api/errors</id>) went whole into the error
    line: a summary of megabytes was a megabyte line on stderr (an HTTP 400 body's words
    were already cut to 300 characters)."""
    body = (f"{FEED_HEAD}<entry><id>http://arxiv.org/api/errors#x</id>"
            f"<summary>{'bad query ' * 200_000}</summary></entry></feed>").encode()
    arxiv.fail(*[Fault("body", body=body)] * 5)  # smaller pages are refused alike
    result = run_cli("discover", *WINDOW, exit_code=2)
    [line] = [t for t in result.stderr.splitlines() if t.startswith("deepphen: error:")]
    assert "bad query" in line and len(line) < 2000


def test_triage_shows_a_title_of_megabytes_shortened(catalog_dir: Path, arxiv: ArxivServer,
                                                     fake: FakeTime, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk printed the whole title and six whole author names before its question."""
    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.30001", "Neural collapse " + "grokking " * 100_000,
                                ["Ann " + "Long" * 50_000] * 7, "neural collapse", ["cs.LG"],
                                dt.datetime(2025, 5, 18, 12))]
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("discover", *WINDOW, "--interactive", input="s\n")
    assert len(result.stdout) < 3000 and "…" in result.stdout


def test_a_long_dismissal_file_is_read_once(catalog_dir: Path, run_cli,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each entry's line number was looked up by reading the whole file again, in case it
    was bad: 4,000 dismissals (a year of a team's triage) took 5 s to load, at every run and
    every 'd', and 100,000 more than 5 minutes; lint's DP605 did the same. The file is read
    once or twice; a bad entry still names its line."""
    from deepphen import dismissed

    path = catalog_dir / "dismissed.toml"
    path.write_text("".join(f'[[dismissed]]\narxiv = "2505.{i:05d}"\ntitle = "T {i}"\n\n'
                            for i in range(2000)), encoding="utf-8")
    reads: list[Path] = []
    real = Path.read_text

    def counted(self: Path, *args: object, **kwargs: object) -> str:
        if self == path:
            reads.append(self)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counted)
    assert len(dismissed.load_dismissals(catalog_dir)) == 2000
    assert len(reads) <= 2
    reads.clear()
    run_cli("lint", "--catalog", catalog_dir, exit_code=None)
    assert len(reads) <= 2
    path.write_text(real(path) + '[[dismissed]]\narxiv = "no"\n', encoding="utf-8")
    with pytest.raises(dismissed.CatalogError) as caught:
        dismissed.load_dismissals(catalog_dir)
    assert caught.value.line == 8001


# --- ids in odd forms -----------------------------------------------------------------------

def test_an_old_id_with_or_without_its_subject_class_is_one_paper(tmp_path: Path,
                                                                 arxiv: ArxivServer,
                                                                 fake: FakeTime,
                                                                 run_cli) -> None:
    """``math.GT/0309136`` and ``math/0309136`` name one paper (deepphen.ids.archive_id). A
    feed writing the subject class its id did not have in the catalog or the dismissals
    proposed a catalog paper, or a dismissed one, as new; a feed with both forms listed it
    twice."""
    from deepphen.models import Link, Paper
    from tests.helpers import make_catalog

    root = make_catalog(tmp_path / "catalog", [
        Paper(title="Knots and their invariants", year=2003, section="others",
              arxiv="math/0309136", keywords=["Neural Collapse"],
              links=[Link("paper", "https://arxiv.org/abs/math/0309136")]),
        Paper(title="Neural collapse in deep nets", year=2020, section="neural-collapse",
              arxiv="2008.08186", keywords=["Neural Collapse"])])
    (root / "dismissed.toml").write_text(
        '[[dismissed]]\narxiv = "math/0501001"\ntitle = "Dismissed"\n', encoding="utf-8")
    stamp = "2025-05-18T12:00:00Z"
    body = _feed("5", stamp, "math.GT/0309136", "Another title of the catalog's paper")
    for ident, title in [("math.AG/0501001", "Dismissed, under its class"),
                         ("math/0502002", "Listed twice"), ("math.GT/0502002", "Listed twice"),
                         ("2505.30001", "Neural collapse, again")]:
        body = body.replace(b"</feed>", _feed("5", stamp, ident, title).split(
            b"</opensearch:totalResults>", 1)[1])
    arxiv.fail(Fault("body", body=body))
    result = run_cli("discover", "--catalog", root, *WINDOW, "--format", "json")
    assert sorted(r["arxiv"] for r in json.loads(result.stdout)) == ["2505.30001",
                                                                      "math/0502002"]
    assert "(4 fetched; left out 1 in the catalog, 1 dismissed)" in result.stderr


@pytest.mark.parametrize("value", ["\uff17d", "\u0661\u0662d", "\u0967\u0966d"])
@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_days_in_digits_of_another_script_are_refused_as_a_date_is(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, flag: str, value: str) -> None:
    """``--since ７d`` was seven days while ``--since ２０２５`` is no date (ASCII digits only,
    as --year and the dates take them)."""
    result = run_cli("discover", flag, value, "--category", "cs.LG", exit_code=2)
    assert "is not a date" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert arxiv.requests == []

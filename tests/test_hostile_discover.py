"""Red-team tests of the network commands (discover, add, refresh): what a hostile arXiv
server or a hostile catalog sends must reach no terminal, page or log as markup or control
sequences, and end in no traceback."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from deepphen import discover as core
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

"""Red-team tests of the network commands (discover, add, refresh): what a hostile arXiv
server or a hostile catalog sends must reach no terminal, page or log as markup or control
sequences, and end in no traceback."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from deepphen.cli import network
from deepphen.cli.discover import discover_progress

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

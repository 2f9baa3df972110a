"""What the commands that talk to arXiv share (add, refresh): the client and its progress bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

from deepphen.cli.output import console, is_terminal
from deepphen.printable import printable


@contextlib.contextmanager
def terminal_progress() -> Iterator[Any]:
    """A rich Progress on stderr (description, bar, count, time spent) when stdout and stderr
    are a terminal; None elsewhere. The one progress display of the commands that fetch."""
    if not (is_terminal() and is_terminal(sys.stderr)):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    # markup=False: a description may quote the server (an error's words, during a wait);
    # read as rich markup, "[link=...]" would be a link and "[/x]" a MarkupError traceback.
    columns = (TextColumn("{task.description}", markup=False), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        yield progress


@contextlib.contextmanager
def network_progress(description: str) -> Iterator[Any]:
    """Hooks for a rich progress bar of ids fetched, showing rate-limit and retry waits, the
    time spent and when the command gives up on arXiv (its overall deadline).

    Yields an object with ``start(total)``, ``batch(n)`` and ``wait(seconds, reason)``;
    on a terminal they drive a bar on stderr, otherwise they do nothing.
    """
    with terminal_progress() as progress:
        yield QuietProgress() if progress is None else RichProgress(progress, description)


class QuietProgress:
    """The progress hooks off the terminal: they do nothing."""

    def start(self, total: int) -> None:
        """Nothing to show."""
        pass

    def batch(self, count: int) -> None:
        """Nothing to show."""
        pass

    def wait(self, seconds: float, reason: str) -> None:
        """Nothing to show."""
        pass

    def limit(self, seconds: float | None) -> None:
        """Nothing to show."""
        pass


class RichProgress:
    """The progress hooks on a terminal: a rich bar of ids done, its text naming any wait."""

    def __init__(self, progress: Any, description: str) -> None:
        self.progress = progress
        self.description = description
        self.task = progress.add_task(description, total=None)

    def start(self, total: int) -> None:
        """The bar's length: ``total`` ids."""
        self.progress.update(self.task, total=total)

    def batch(self, count: int) -> None:
        """``count`` more ids done; any wait is over."""
        self.progress.update(self.task, advance=count, description=self.description)

    def wait(self, seconds: float, reason: str) -> None:
        """Name the wait (how long, and why) in the bar's text."""
        self.progress.update(self.task, description=waiting(seconds, reason))

    def limit(self, seconds: float | None) -> None:
        """Name the overall deadline in the bar's text."""
        if seconds:
            self.description += f" (gives up after {seconds:g}s)"
            self.progress.update(self.task, description=self.description)


def waiting(seconds: float, reason: str) -> str:
    """A progress line's words for a wait; ``reason`` may quote the server, so its control
    characters are shown, not obeyed."""
    return f"waiting {seconds:.0f}s ({printable(reason)})"


def arxiv_client(on_wait: Callable[[float, str], None] | None, timeout: float | None = None,
                 progress: Any = None) -> Any:
    """The arXiv API client, reporting its rate-limit and retry waits to ``on_wait``, with
    the overall deadline ``timeout`` (--timeout; None: the client's default), which
    ``progress`` shows."""
    from deepphen.arxiv import Client

    client = Client(on_wait=on_wait, **({"deadline": timeout} if timeout else {}))
    if progress is not None:
        progress.limit(client.deadline)
    return client

"""What every command prints, without typer: errors, plain lines, JSON, tables.

Typer-free so that ``deepphen search`` (see deepphen.cli.params) prints through the same
functions as every command. rich is imported only when output goes to a terminal (piped
output is plain text, and NO_COLOR is honoured by rich itself).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from deepphen.errors import EXIT_USAGE, DeepphenError, NothingFound
from deepphen.printable import bounded, printable

if TYPE_CHECKING:
    from pathlib import Path

    from rich.text import Text

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell shows for a tool whose reader left
# A URL a terminal may open on a click: web only, and nothing that could end the OSC 8 sequence.
# Compiled on first use (terminal tables only): this module is on search's start-up path.
LINKABLE = r"^https?://[\x21-\x7e]+\Z"


def error(message: str) -> None:
    """Print one error line to stderr (control characters in it shown, not acted on; a long
    quoted value elided). Bounded once shown: an escape is up to six characters."""
    sys.stderr.write(f"deepphen: error: {bounded(printable(message))}\n")


def warn(message: str) -> None:
    """Print one warning line to stderr (control characters in it shown, not acted on)."""
    sys.stderr.write(f"deepphen: warning: {bounded(printable(message))}\n")


def nothing_found(message: str) -> None:
    """Say on stderr that nothing was found: a plain line, not an error (exit 1 says it)."""
    sys.stderr.write(f"deepphen: {bounded(printable(message))}\n")


def lock_wait_notice(path: Path, timeout: float) -> None:
    """Say on stderr that a write waits for the catalog lock another process holds."""
    warn(f"{path}: another deepphen process is writing this catalog; waiting up to "
         f"{timeout:g}s for it to finish")


def run_command(func: Callable[..., None], *args: Any, **kwargs: Any) -> int:
    """Run a command function; a DeepphenError or Ctrl-C becomes one error line and its code."""
    from deepphen.fsutil import KEPT, LOCK_WAIT

    token, kept = LOCK_WAIT.set(lock_wait_notice), KEPT.set(0)
    try:
        return _run(func, *args, **kwargs)
    finally:
        LOCK_WAIT.reset(token)
        KEPT.reset(kept)


def _run(func: Callable[..., None], *args: Any, **kwargs: Any) -> int:
    try:
        func(*args, **kwargs)
        sys.stdout.flush()  # a reader that went away is found here, not at interpreter exit
        if _reader_left():
            raise BrokenPipeError
    except NothingFound as exc:
        nothing_found(str(exc))
        return exc.exit_code
    except DeepphenError as exc:
        error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        from deepphen.fsutil import KEPT

        kept = KEPT.get()
        error("interrupted" + (f" after writing its changes ({counted(kept, 'file')}, kept: "
                               "git status shows them)" if kept else ""))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return reader_left()
    except SystemExit as exc:
        if broken_pipe(exc):
            return reader_left()
        raise
    except OSError as exc:
        error(os_error_line(exc))
        return EXIT_USAGE
    return 0


def os_error_line(exc: OSError) -> str:
    """What the file system refused that no check foresaw (a permission, a full disk, a
    read-only mount), in one line that names the file when the error does."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _reader_left() -> bool:
    """Whether stdout is a pipe its reader closed with output still unread in it. A long
    write the reader cut short returns as if whole (CPython's buffered writer takes the
    partial write for done), so no error says the output was lost; the pipe does: POLLERR
    (no reader) with bytes in it (FIONREAD). A reader that took everything and left is not
    one that left early. Where either check is missing, nothing is claimed."""
    import stat

    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        import fcntl
        import select
        import termios

        poller = select.poll()
        poller.register(fd, 0)  # POLLERR is always reported: nothing else to ask
        if not any(events & select.POLLERR for _, events in poller.poll(0)):
            return False
        unread = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
    except (AttributeError, ImportError, OSError, ValueError):  # a test's stream, no poll
        return False
    return int.from_bytes(unread, sys.byteorder, signed=True) > 0


def broken_pipe(exc: BaseException) -> bool:
    """Whether ``exc`` says that stdout's reader went away: a BrokenPipeError, or rich's
    SystemExit(1) raised while handling one (rich.console.Console.on_broken_pipe: a table,
    or typer's help)."""
    return isinstance(exc, BrokenPipeError) or (
        isinstance(exc, SystemExit) and exc.code == 1
        and isinstance(exc.__context__, BrokenPipeError))


def reader_left() -> int:
    """After stdout's reader went away (`deepphen ... | head`: it has what it wants): the
    status of a Unix tool that SIGPIPE ended, output still buffered sent nowhere (flushed at
    exit, it would print a traceback)."""
    _discard_stdout()
    return EXIT_BROKEN_PIPE


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file descriptor (a test's captured stream)
        pass


_STDOUT: Any = object()


def is_terminal(stream: Any = _STDOUT) -> bool:
    """True when ``stream`` (default: stdout) is an interactive terminal (rich tables,
    colours, progress, prompts). A closed stream (``<&-``: Python makes it None) is none."""
    if stream is _STDOUT:
        stream = sys.stdout
    if stream is None:
        return False
    if os.environ.get("DEEPPHEN_FORCE_TERMINAL"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def can_ask() -> bool:
    """Whether a question can be asked and answered: stdin, stdout (what it is about) and
    stderr (where the question goes: ``2>log`` hid it in the file) are all terminals."""
    return is_terminal() and is_terminal(sys.stdin) and is_terminal(sys.stderr)


@functools.cache
def console(stderr: bool = False) -> Any:
    """A rich Console (imported on first use only). rich honours NO_COLOR by itself.

    No emoji codes: escaping markup leaves ":warning:" alone, and a file or title holding it
    would show another name than its own (a ``git mv`` hint naming no file)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def echo(text: str = "", *, err: bool = False) -> None:
    """Plain output line(s) to stdout (``err``: stderr); no control character in them acts."""
    text = printable(text, keep_layout=True)
    (sys.stderr if err else sys.stdout).write(text if text.endswith("\n") else text + "\n")


def echo_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Lines of text to stdout (``err``: stderr), one printed line each (a line break in one
    shows as a space; no control character acts), written thousands at a time: a write a
    line, each flushed on stderr, cost an import of a million problems half a second."""
    stream = sys.stderr if err else sys.stdout
    lines = iter(lines)
    while chunk := [printable(line) for line in itertools.islice(lines, 4096)]:
        stream.write("\n".join(chunk) + "\n")


def workflow_command(command: str, properties: dict[str, object], message: str) -> None:
    """Print one GitHub workflow command (``::error file=x,line=1::message``) to stdout: the
    only line deepphen prints that opens a CI command. Every value is made printable, then
    given the runner's documented escapes, so none can end the command or start another."""

    def escaped(text: str, is_property: bool) -> str:
        text = printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if is_property else text

    head = ",".join(f"{name}={escaped(str(value), True)}" for name, value in properties.items())
    sys.stdout.write(f"::{command}{' ' if head else ''}{head}::{escaped(message, False)}\n")


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless one: "1 paper", "3 papers"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def print_json(data: Any) -> None:
    """Indented strict UTF-8 JSON on stdout (dates and paths as strings, nan as "nan", the
    controls JSON allows raw escaped: see deepphen.export.json.dumps)."""
    from deepphen.export.json import dumps

    sys.stdout.write(dumps(data, indent=2) + "\n")


# Narrower than this per column, a table shows folded slivers: rows are stacked instead.
MIN_CELL_WIDTH = 8
MIN_BOXED_WIDTH = 16  # narrower, a stacked table drops its borders


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    links: Sequence[str | None] | None = None,
    link_column: int = 1,
) -> None:
    """A rich table on a terminal, tab-separated plain lines when piped.

    ``links`` optionally gives, per row, a URL making the ``link_column`` cell clickable.
    """
    if not is_terminal():
        for row in rows:
            echo("\t".join("" if cell is None else printable(str(cell)) for cell in row))
        return
    from rich.style import Style
    from rich.text import Text

    cell_rows = []
    for i, row in enumerate(rows):
        # Text, not str: catalog text is never read as rich markup.
        cells = [Text("" if c is None else printable(str(c))) for c in row]
        if links and links[i] and re.match(LINKABLE, links[i]):
            cells[link_column].stylize(Style(link=links[i]))
        cell_rows.append(cells)
    print_rich_table(title, columns, cell_rows)


def print_rich_table(title: str | None, columns: Sequence[str],
                     rows: Sequence[Sequence[Text]]) -> None:
    """A rich table of ready cells (their text already made printable), on a terminal.

    Too narrow for a column each (COLUMNS=20 left one column visible, or titles folded a
    letter a line), every row is one block of "column: value" lines, wrapped to the width.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = console()
    heading = Text(printable(title)) if title else None
    stacked = out.width < MIN_CELL_WIDTH * len(columns) + 3 * len(columns) + 1
    if stacked:
        # Borders take four columns: on a terminal of a few, they left no room for a letter.
        bare = out.width < MIN_BOXED_WIDTH
        table = Table(title=heading, show_header=False, show_lines=not bare,
                      header_style="bold", box=None if bare else box.SQUARE,
                      padding=(0, 0) if bare else (0, 1))
        table.add_column("row", overflow="fold")
    else:
        table = Table(title=heading, show_lines=False, header_style="bold")
        for col in columns:
            table.add_column(col, overflow="fold")
    for i, cells in enumerate(rows):
        if stacked:
            block = Text("\n" if i and bare else "")  # a blank line between bare blocks
            for j, (col, cell) in enumerate(zip(columns, cells, strict=True)):
                block.append(("\n" if j else "") + f"{col}: ", style="bold")
                block.append_text(cell)
            table.add_row(block)
        else:
            table.add_row(*cells)
    out.print(table)

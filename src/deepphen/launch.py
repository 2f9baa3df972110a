"""The ``deepphen`` console entry point: ``search`` without typer, else the typer application.

``deepphen search`` must start in about the time Python takes to import typer
(docs/benchmarks.md), and typer 0.29 builds a pydantic adapter per parameter, which costs more
than the whole budget. So argv of ``search`` is first read by deepphen.cli.search.quick_search
from the declarations typer reads too (deepphen.cli.params) and the command function runs
directly; what that parser leaves (``--help``, unknown or malformed options) goes to typer
unchanged, so help and usage errors are typer's own.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys


def main() -> None:
    """Entry point of the ``deepphen`` console script and ``python -m deepphen``."""
    exit_on_sigterm()
    closed_streams()
    utf8_streams()
    terminal_size_from_environment()
    if sys.argv[1:2] == ["search"]:
        from deepphen.cli.search import quick_search

        code = quick_search(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    from deepphen.cli.main import app

    app()


class ClosedStdout(io.TextIOBase):
    """What stands for a stdout the shell closed (``>&-``): every write fails as writing to a
    closed descriptor does, so output that cannot go anywhere is an error (one line, exit 2,
    as ``ls >&-`` has it), never a traceback nor a success."""

    def writable(self) -> bool:
        """Claims to be writable, so that the write itself fails with EBADF."""
        return True

    def write(self, text: str) -> int:
        """Fail as a write to a closed descriptor does."""
        raise OSError(errno.EBADF, "cannot write the output: stdout is closed")


def closed_streams() -> None:
    """A standard stream the shell closed is None in Python, and the first print to it died
    in a traceback. stdout becomes a ClosedStdout; stderr writes to the null device (whoever
    closed it chose not to read the diagnostics: the exit code still says what happened)."""
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  (for the process)


def utf8_streams() -> None:
    """Pipes and files get UTF-8 whatever the locale or $PYTHONIOENCODING says (LANG=C,
    PYTHONIOENCODING=ascii made every export fail on the first 'é'); bytes of undecodable
    file names go back out as they came (surrogateescape). A terminal keeps its own encoding,
    a character it lacks shown as an escape instead of ending the command."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError, OSError):
            tty = False
        try:
            if tty:
                reconfigure(errors="replace" if stream is sys.stdin else "backslashreplace")
            elif (stream.encoding or "").lower().replace("_", "-") not in ("utf-8", "utf8"):
                reconfigure(encoding="utf-8", errors="surrogateescape")
        except (ValueError, OSError):  # a closed or detached stream: leave it alone
            continue


# Wider than any screen: a width past it is a mistake, and --help pads every line to it.
MAX_COLUMNS = 10_000


def terminal_size_from_environment() -> None:
    """Drop a COLUMNS or LINES that is no whole number from 1 to MAX_COLUMNS, so rich (tables,
    typer's help) asks the terminal instead, 80 columns when there is none. rich takes any
    digits: COLUMNS=0, which some shells and editors' terminals leave, made every table and
    help print nothing; a huge one made --help write megabytes of padding. Python's
    shutil.get_terminal_size reads a non-positive value as no value too."""
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.strip().isdecimal()
                                      and 1 <= int(value) <= MAX_COLUMNS):
            del os.environ[name]


def exit_on_sigterm() -> None:
    """Make SIGTERM, and SIGHUP (the terminal was closed), raise SystemExit, so atomic writes,
    journals and locks clean up as on Ctrl-C. A SIGHUP ignored by whoever started us (nohup)
    stays ignored."""
    signal.signal(signal.SIGTERM, _exit_on_signal)
    hangup = getattr(signal, "SIGHUP", None)  # not on Windows
    if hangup is not None and signal.getsignal(hangup) is not signal.SIG_IGN:
        signal.signal(hangup, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)

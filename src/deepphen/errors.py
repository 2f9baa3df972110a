"""The one family of errors meant for users.

Core code raises these; the CLI turns them into a one-line message and an exit code.
Any other exception escaping a command is a bug. ``did_you_mean`` gives the hint an error
carries when the user's word is close to a known one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1  # lint findings, nothing matched, imported with problems
EXIT_USAGE = 2  # bad arguments or unreadable input


class DeepphenError(Exception):
    """An error caused by the user's input or environment, with a message written for them."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class CatalogNotFound(DeepphenError):
    """No catalog folder could be located."""


class CatalogError(DeepphenError):
    """A catalog file is unreadable or invalid (TOML syntax, field types)."""

    column: int | None = None  # where a TOML syntax error is, when the parser says


class InvalidId(DeepphenError):
    """A string that is not an arXiv id or arXiv URL."""


class NotFound(DeepphenError):
    """Something asked for does not exist (a paper, an arXiv id upstream)."""

    exit_code = EXIT_FINDINGS


class NothingFound(DeepphenError):
    """A query, filter or window that selected nothing (exit 1). Not an error: the CLI
    says it plainly ("deepphen: no paper matches ..."), never as "error:"."""

    exit_code = EXIT_FINDINGS


class Aborted(DeepphenError):
    """The user ended a command at its prompt before it wrote anything (exit 1, as an abort:
    not an interrupt, not bad input)."""

    exit_code = EXIT_FINDINGS


class LockTimeout(DeepphenError):
    """Another deepphen process holds the catalog lock for too long."""


class NetworkError(DeepphenError):
    """The arXiv API could not be reached or answered badly, after retries."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.url = url
        self.status = status


class Refused(NetworkError):
    """The API refused the request as asked (HTTP 400, 413 or 422, or an error entry):
    asking the same again would get the same answer. ``reason``: the server's own words."""

    def __init__(self, message: str, *, reason: str = "", url: str | None = None,
                 status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, url=url, status=status, hint=hint)
        self.reason = reason


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like ``word`` (difflib ratio at least ``cutoff``), or None."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint, or None when nothing is close."""
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close else None


def unknown_name_hint(word: str, choices: Iterable[str]) -> str:
    """The hint for a name that is not one of ``choices``: "did you mean 'x'?" when one is
    close, else the known names."""
    choices = list(choices)
    return did_you_mean(word, choices) or f"known: {', '.join(choices)}"

"""Option declarations shared by the commands, and the quick parser that reads them.

This module imports neither typer nor rich: ``deepphen search`` parses its arguments here
without typer (typer 0.29 builds a pydantic adapter per parameter, ~190 ms, several times the
whole search), and deepphen.cli.options turns the same declarations into typer's
``Annotated`` types. So flags, help, types and bounds are written once, in this file; defaults
are written once, in the command function's signature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


# Plain classes: this module is on search's start-up path, where a dataclass costs ~0.5 ms
# and a NamedTuple ~0.15 ms to define.
class Param:
    """One command-line parameter: an option when it has flags, else the positional argument."""

    __slots__ = ("complete", "flags", "help", "metavar", "min", "multiple", "name",
                 "show_default", "type")

    def __init__(self, name: str, help: str, flags: tuple[str, ...] = (), type: type = str,
                 *, metavar: str, multiple: bool = False, min: int | None = None,
                 show_default: bool = True, complete: str | None = None) -> None:
        self.name = name  # the keyword argument of the command function
        self.help = help
        self.metavar = metavar  # what --help calls its value (DATE, N), never a Python type
        self.flags = flags
        self.type = type  # str, int, float or Path
        self.multiple = multiple  # repeatable; the values arrive as a list
        self.min = min
        self.show_default = show_default
        # The shell completes its values from the catalog: a key of cli.completion.COMPLETERS.
        self.complete = complete

    def __repr__(self) -> str:
        return f"Param({self.name!r}, flags={self.flags!r})"


CATALOG = Param("catalog", "Catalog folder (default: $DEEPPHEN_CATALOG, else the nearest "
                "catalog/ upwards).", ("--catalog",), Path, metavar="DIR", show_default=False)

# The overall deadline of the commands that talk to arXiv, each naming its own default: the
# client's (deepphen.arxiv.DEFAULT_DEADLINE) for add and refresh, discover's (deepphen.discover
# DEADLINE for DEADLINE_DAYS, growing with the window). tests/test_docs.py keeps the figures.
_TIMEOUT_HELP = ("Give up on arXiv after this many seconds in all: every request, retry and "
                 "wait (default: {}).")
TIMEOUT = Param("timeout", _TIMEOUT_HELP.format("60"), ("--timeout",), float, min=1,
                metavar="SECONDS", show_default=False)
DISCOVER_TIMEOUT = Param("timeout", _TIMEOUT_HELP.format(
    "600 for a window of up to 30 days, as much more for each further 30"), ("--timeout",),
    float, min=1, metavar="SECONDS", show_default=False)

# The filter family: search, export and stats take it, as a FilterOptions (deepphen.filters).
FILTERS = (
    Param("section", "Only this section (heading or slug).", ("--section", "-s"),
          metavar="SECTION", complete="section"),
    Param("year", "Only this year subsection.", ("--year",), int, metavar="YEAR"),
    Param("since", "Only papers from this date on (YYYY[-MM[-DD]]).", ("--since",),
          metavar="DATE"),
    Param("until", "Only papers up to this date (YYYY[-MM[-DD]]).", ("--until",),
          metavar="DATE"),
    Param("keyword", "Only papers with this key word (repeatable).", ("--keyword", "-k"),
          metavar="KEYWORD", multiple=True, complete="keyword"),
    Param("author", "Only papers by this author (repeatable).", ("--author", "-a"),
          metavar="AUTHOR", multiple=True),
    Param("venue", "Only papers at this venue.", ("--venue",), metavar="VENUE"),
)

# ``deepphen search``'s own parameters; with CATALOG and FILTERS, everything it accepts.
SEARCH = (
    Param("query", "Words, an author, a title, an arXiv id or URL.", metavar="QUERY"),
    Param("limit", "Show at most N papers.", ("--limit", "-n"), int, min=1, metavar="N"),
    Param("fmt", "table (default), json or ids (one per line).", ("--format", "-f"),
          metavar="FORMAT"),
    CATALOG,
)


class FilterOptions:
    """The filter family's values as given on the command line (None or [] when not given)."""

    __slots__ = tuple(p.name for p in FILTERS)

    def __init__(self, section: str | None = None, year: int | None = None,
                 since: str | None = None, until: str | None = None,
                 keyword: list[str] | None = None, author: list[str] | None = None,
                 venue: str | None = None) -> None:
        self.section, self.year, self.since, self.until = section, year, since, until
        self.keyword, self.author, self.venue = keyword, author, venue

    def __bool__(self) -> bool:
        return any(getattr(self, name) not in (None, []) for name in self.__slots__)

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__
                          if getattr(self, name) is not None)
        return f"FilterOptions({given})"

    @classmethod
    def take(cls, options: dict[str, Any]) -> FilterOptions:
        """Remove the filter family's values from ``options`` and return them."""
        return cls(**{p.name: options.pop(p.name) for p in FILTERS if p.name in options})

    def build(self, settings: Any) -> Any:
        """The core Filters (deepphen.filters); raises DeepphenError on bad values."""
        from deepphen.errors import DeepphenError
        from deepphen.filters import Filters, parse_date_bound, resolve_section

        # An empty value would match every paper (--author "") or none: a slip either way,
        # refused alike for every filter of the family.
        for param in FILTERS:
            value = getattr(self, param.name)
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and not v.strip() for v in values):
                raise DeepphenError(f"{param.flags[0]} needs a value, not an empty one",
                                    hint=f"drop {param.flags[0]} or give it a value")
        # A name or venue of punctuation alone has nothing to compare ("!!!" matched all).
        for flag, values in (("--author", self.author or []), ("--venue", [self.venue or "x"])):
            for value in values:
                if not any(c.isalnum() for c in value):
                    raise DeepphenError(f"{flag} {value!r} has no letters or digits",
                                        hint=f"give {flag} a name to look for")
        start = parse_date_bound(self.since, end=False) if self.since else None
        end = parse_date_bound(self.until, end=True) if self.until else None
        if start and end and start > end:  # an empty range is a slip, not "nothing found"
            raise DeepphenError(f"--since {self.since} is after --until {self.until}",
                                hint="swap them")
        return Filters(
            section=resolve_section(settings, self.section).slug if self.section else None,
            year=self.year, since=start, until=end, keywords=list(self.keyword or []),
            authors=list(self.author or []), venue=self.venue,
        )


NO_FILTERS = FilterOptions()


def parse_args(params: tuple[Param, ...], argv: list[str]) -> dict[str, Any] | None:
    """Keyword arguments for ``argv`` by these declarations, or None to leave ``argv`` to typer.

    Only the plain forms are read (``--opt value``, ``--opt=value``, ``-o value``, one
    positional argument); anything else (``--help``, unknown or malformed options, a value
    out of bounds) returns None, so that help and usage errors stay typer's own.
    """
    by_flag = {flag: p for p in params for flag in p.flags}
    argument = next((p for p in params if not p.flags), None)
    options: dict[str, Any] = {}
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            if argument is None or argument.name in options:
                return None
            options[argument.name] = arg
            continue
        flag, eq, text = arg.partition("=")
        param = by_flag.get(flag)
        if param is None or (eq and not flag.startswith("--")):
            return None
        if not eq:
            text = next(args, None)
            if text is None:
                return None
        value = _convert(param, text)
        if value is None:
            return None
        if param.multiple:
            options.setdefault(param.name, []).append(value)
        elif param.name in options:
            return None
        else:
            options[param.name] = value
    return options


def _convert(param: Param, text: str) -> Any:
    """``text`` as the parameter's type, or None when typer would refuse it."""
    if param.type is int:
        if not text.isascii():  # int() reads "٢" and "１"; typer refuses them: its error
            return None
        try:
            number = int(text)
        except ValueError:
            return None
        return None if param.min is not None and number < param.min else number
    return param.type(text)

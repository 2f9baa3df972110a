"""The Typer application and what every command shares: options, errors, output.

This package is the only place that knows about typer, rich and terminals. Commands parse
options, call one core function, and render; rich is imported only when output goes to a
terminal (piped output is plain text, and NO_COLOR is honoured by rich itself).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from deepphen import __version__
from deepphen.errors import EXIT_FINDINGS, EXIT_USAGE, DeepphenError
from deepphen.printable import printable


class _OneLineErrors(TyperGroup):
    """Usage errors as one plain ``deepphen: error:`` line, like every other error.

    typer would draw them in a rich box that wraps long messages over several lines.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            error("aborted")
            sys.exit(1)
        except Exception as exc:
            # click's ClickException (its home module differs between typer versions).
            if not any(c.__name__ == "ClickException" for c in type(exc).__mro__):
                raise
            if type(exc).__name__ != "NoArgsIsHelpError":  # typer has printed the help
                ctx = getattr(exc, "ctx", None)
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                error(" ".join(exc.format_message().split()) + hint)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="deepphen",
    help="Keep a curated research-paper list as a TOML catalog: add, search, lint, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        help="Catalog folder (default: $DEEPPHEN_CATALOG, else the nearest catalog/ upwards).",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])
# A URL a terminal may open on a click: web only, and nothing that could end the OSC 8 sequence.
_LINKABLE_RE = re.compile(r"^https?://[\x21-\x7e]+$")


def handle_errors(func: F) -> F:
    """Turn DeepphenError into a one-line message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeepphenError as exc:
            error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            error("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def error(message: str) -> None:
    """Print one error line to stderr (control characters in it shown, not acted on)."""
    sys.stderr.write(f"deepphen: error: {printable(message)}\n")


def warn(message: str) -> None:
    """Print one warning line to stderr (control characters in it shown, not acted on)."""
    sys.stderr.write(f"deepphen: warning: {printable(message)}\n")


def usage_error(message: str) -> typer.Exit:
    """Report a usage error; ``raise usage_error(...)``."""
    error(message)
    return typer.Exit(EXIT_USAGE)


def is_terminal(stream: Any = None) -> bool:
    """True when output goes to an interactive terminal (rich tables, colours, progress)."""
    stream = stream or sys.stdout
    if os.environ.get("DEEPPHEN_FORCE_TERMINAL"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@functools.cache
def console(stderr: bool = False) -> Any:
    """A rich Console (imported on first use only). rich honours NO_COLOR by itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def echo(text: str = "", *, err: bool = False) -> None:
    """Plain output line(s) to stdout (``err``: stderr); no control character in them acts."""
    text = printable(text, keep_layout=True)
    (sys.stderr if err else sys.stdout).write(text if text.endswith("\n") else text + "\n")


def print_json(data: Any) -> None:
    """Indented strict UTF-8 JSON on stdout (dates and paths as strings, nan as "nan", the
    controls JSON allows raw escaped: see deepphen.export.json.dumps)."""
    from deepphen.export.json import dumps

    sys.stdout.write(dumps(data, indent=2) + "\n")


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
    from rich.table import Table
    from rich.text import Text

    # Text, not str: catalog text is never read as rich markup.
    table = Table(title=Text(printable(title)) if title else None, show_lines=False,
                  header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for i, row in enumerate(rows):
        cells = [Text("" if c is None else printable(str(c))) for c in row]
        if links and links[i] and _LINKABLE_RE.match(links[i]):
            cells[link_column].stylize(Style(link=links[i]))
        table.add_row(*cells)
    console().print(table)


def version_callback(value: bool) -> None:
    """``--version``: print the version and stop."""
    if value:
        echo(f"deepphen {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Keep a curated research-paper list as a TOML catalog.

    Examples:

      deepphen search grokking

      deepphen add 2201.02177 --section "Emergence and Phase Transitions" -k Grokking

      deepphen lint

      deepphen export --format md -o catalog/README.md
    """


# Filter options shared by search, export and stats (see deepphen.filters).
SectionFilter = Annotated[
    str | None, typer.Option("--section", "-s", help="Only this section (heading or slug).")
]
YearFilter = Annotated[int | None, typer.Option("--year", help="Only this year subsection.")]
SinceFilter = Annotated[
    str | None, typer.Option("--since", help="Only papers from this date on (YYYY[-MM[-DD]]).")
]
UntilFilter = Annotated[
    str | None, typer.Option("--until", help="Only papers up to this date (YYYY[-MM[-DD]]).")
]
KeywordFilter = Annotated[
    list[str] | None,
    typer.Option("--keyword", "-k", help="Only papers with this key word (repeatable)."),
]
AuthorFilter = Annotated[
    list[str] | None,
    typer.Option("--author", "-a", help="Only papers by this author (repeatable)."),
]
VenueFilter = Annotated[str | None, typer.Option("--venue", help="Only papers at this venue.")]


def make_filters(
    settings: Any,
    *,
    section: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    keyword: list[str] | None = None,
    author: list[str] | None = None,
    venue: str | None = None,
) -> Any:
    """Build core Filters from the shared options (raises DeepphenError on bad values)."""
    from deepphen.filters import Filters, parse_date_bound, resolve_section

    start = parse_date_bound(since, end=False) if since else None
    end = parse_date_bound(until, end=True) if until else None
    if start and end and start > end:  # an empty range is a slip, not "nothing found"
        raise DeepphenError(f"--since {since} is after --until {until}", hint="swap them")
    return Filters(
        section=resolve_section(settings, section).slug if section else None,
        year=year,
        since=start,
        until=end,
        keywords=list(keyword or []),
        authors=list(author or []),
        venue=venue,
    )


def select_papers(
    catalog: Path | None, query: str | None, **filter_options: Any
) -> tuple[Any, list[Any]]:
    """Load the catalog and keep the papers the filter options and the query select.

    Shared by export and stats, so that both accept the same options with the same meaning.
    """
    from deepphen.catalog import Catalog, find_catalog

    cat = Catalog.load(find_catalog(catalog))
    papers = make_filters(cat.settings, **filter_options).apply(cat.papers)
    if query is not None:
        from deepphen.search import search

        papers = [hit.paper for hit in search(papers, query)]
    return cat.settings, papers


def warn_if_nothing_matched(papers: list[Any], query: str | None,
                            filter_options: dict[str, Any]) -> None:
    """Exit 1 with a warning when a query or filter selected no paper at all."""
    chosen = query is not None or any(v not in (None, []) for v in filter_options.values())
    if not papers and chosen:
        warn("no paper matches the query and filters")
        raise typer.Exit(EXIT_FINDINGS)

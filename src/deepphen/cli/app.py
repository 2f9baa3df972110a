"""The Typer application and what the typer commands share: errors, exits, selection.

This package is the only place that knows about typer, rich and terminals. Commands parse
options, call one core function, and render (through deepphen.cli.output). The commands
register themselves on ``app``; deepphen.cli.main imports them all.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

import typer
from typer.core import TyperGroup

from deepphen import __version__
from deepphen.cli.output import (
    broken_pipe,
    echo,
    error,
    os_error_line,
    reader_left,
    run_command,
)
from deepphen.cli.params import FilterOptions
from deepphen.errors import EXIT_USAGE, NothingFound


class _OneLineErrors(TyperGroup):
    """Usage errors as one plain ``deepphen: error:`` line, like every other error.

    typer would draw them in a rich box that wraps long messages over several lines.
    """

    # Set while a shell asks for completions: the parameters' values are not checked then.
    completing = False

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        # A shell asks for completions: typer's scripts set $_<PROG>_COMPLETE to complete_<shell>
        # (the program's name may vary: deepphen, python -m deepphen); other *_COMPLETE
        # variables of the environment (BUILD_COMPLETE=1) are none of ours.
        shells = {v for k, v in os.environ.items()
                  if k.startswith("_") and k.endswith("_COMPLETE") and v.startswith("complete_")}
        if shells:
            from deepphen.cli.completion import (
                answer_unfiltered,
                quote_for_zsh,
                split_equals_for_bash,
                words_for_fish,
            )

            answer_unfiltered(self)  # typer keeps only values starting with what was typed
            self.completing = True  # nor are values checked (completion.uncoerced)
            if "complete_zsh" in shells:
                quote_for_zsh()  # typer's own quoting loses every ' and " of a value
            if "complete_bash" in shells:
                split_equals_for_bash()  # bash splits "--keyword=Occ" at the "="
            if "complete_fish" in shells:
                words_for_fish()  # typer ends the word at "Neural\ "
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
                given = args[0] if args else kwargs.get("args")
                message = _bad_number(exc, sys.argv[1:] if given is None else list(given))
                error((message or " ".join(exc.format_message().split())) + hint)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        # A shell asking for completions gets answers or nothing: whatever goes wrong (an
        # environment no shell sets, a bug) must not print a traceback into the command line
        # being typed. click's own exits (the answer given) pass through.
        try:
            super()._main_shell_completion(*args, **kwargs)
        except (Exception, KeyboardInterrupt):
            sys.exit(1)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        # typer's completion options are flags: the shell named after one is read here.
        from deepphen.cli.completion import named_shell

        asked = None if ctx.resilient_parsing else named_shell(args)
        if asked is not None:
            from deepphen.cli.completion_setup import complete_for_shell

            # As a command is run: a file that cannot be read or written is one line, exit 2.
            ctx.exit(run_command(complete_for_shell, *asked,
                                 prog_name=ctx.find_root().info_name or "deepphen"))
        return super().parse_args(ctx, args)

    # What typer prints itself (--help, --version, a completion script) to a reader that went
    # away ends as every command does (141, silently), not as click has it (1: "findings").
    # The group's own options are read in make_context, a command's in the group's invoke.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _quiet_when_the_reader_leaves():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: typer.Context) -> Any:
        with _quiet_when_the_reader_leaves():
            return super().invoke(ctx)

    def get_params(self, ctx: typer.Context) -> list[Any]:
        from deepphen.cli.completion import HELP

        params = self._as_completing(_human_labels(super().get_params(ctx)))
        for param in params:
            if param.name in HELP:
                param.help = HELP[param.name]  # type: ignore[attr-defined]
                param.metavar = "[SHELL]"
        return params

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:  # its params and its --help option (click caches that one)
            self._as_completing(_human_labels(command.get_params(ctx)))
        return command

    def _as_completing(self, params: list[Any]) -> list[Any]:
        if self.completing:
            from deepphen.cli.completion import uncoerced

            uncoerced(params)
        return params


@contextlib.contextmanager
def _quiet_when_the_reader_leaves() -> Iterator[None]:
    """What typer prints itself: a reader that left as for the commands (141, quietly), and
    an output that cannot be written (a closed stdout) one line and exit 2."""
    try:
        yield
    except (BrokenPipeError, SystemExit) as exc:
        if not broken_pipe(exc):
            raise
        raise typer.Exit(reader_left()) from None
    except OSError as exc:  # --install-completion's files, a closed stdout
        error(os_error_line(exc))
        raise typer.Exit(EXIT_USAGE) from None


# typer's validation of a number, in pydantic's words, and what a user is told instead.
_NUMBER_ERRORS = (
    (re.compile(r"Input should be a valid integer\b"), "{option} {value!r} is not a whole number"),
    (re.compile(r"Input should be a valid number\b"), "{option} {value!r} is not a number"),
    (re.compile(r"Input should be greater than or equal to (\S+)"),
     "{option} must be {0} or more, not {value}"),
)


def _bad_number(exc: Exception, argv: list[str]) -> str | None:
    """A bad number given to an option, said with the option, what was given and the bound
    (typer's own message names neither the value nor the fix); None for anything else."""
    param = getattr(exc, "param", None)
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("-")]
    if not opts:
        return None
    value = None
    for i, arg in enumerate(argv):  # the last one given counts, as for click
        name, eq, attached = arg.partition("=")
        if name in opts:
            value = attached if eq else (argv[i + 1] if i + 1 < len(argv) else None)
    message = str(getattr(exc, "message", ""))
    for pattern, said in _NUMBER_ERRORS:
        if value is not None and (m := pattern.search(message)):
            option = max(opts, key=len)  # the long name
            return said.format(*m.groups(), option=option, value=value)
    return None


def _human_labels(params: list[Any]) -> list[Any]:
    """No Python type in --help: typer labels a value by it ("<str>", "<list[str]>"). A flag
    (--version, --dry-run, --help) is a bare option line ("<bool>" reads as if it took a
    value); an option shows its metavar instead of the type, as typer does once one is
    declared; an argument, named by its metavar already, shows no type at all (typer shows
    the type whatever its metavar)."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif param.param_type_name == "argument" and param.metavar:
            param.display_type_rich = _no_type
    return params


def _no_type(ctx: Any) -> str:
    return ""


app = typer.Typer(
    cls=_OneLineErrors,
    name="deepphen",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn DeepphenError (and Ctrl-C) into a one-line message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        code = run_command(func, *args, **kwargs)
        if code:
            raise typer.Exit(code)

    return wrapper  # type: ignore[return-value]


def usage_error(message: str) -> typer.Exit:
    """Report a usage error; ``raise usage_error(...)``."""
    error(message)
    return typer.Exit(EXIT_USAGE)


def check_format(fmt: str, choices: tuple[str, ...]) -> None:
    """A usage error unless ``fmt`` is one of ``choices``."""
    if fmt not in choices:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(choices)}")


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
    """Keep a curated research-paper list as a TOML catalog: add, search, lint, export.

    Every command takes --catalog DIR (default: $DEEPPHEN_CATALOG, else the nearest catalog/
    folder upwards; for import, ./catalog) and has --help with examples. Exit codes: 0 ok, 1
    findings or nothing found, 2 usage or input error.

    Examples:

      deepphen search grokking

      deepphen add 2203.15556 --section "Empirical Study" -k "Neural Scaling Laws"

      deepphen lint

      deepphen export --format md -o catalog/README.md
    """


class Selection(NamedTuple):
    """What export and stats work on: the settings, the papers selected, and when there are
    none, why (with search's hints, found once)."""

    settings: Any
    papers: list[Any]
    nothing: NothingFound | None = None
    catalog: Sequence[Any] = ()  # every paper, which the selection was made from


def select_papers(catalog: Path | None, query: str | None, filters: FilterOptions, *,
                  whole: bool = False) -> Selection:
    """Load the catalog and keep the papers the filters and the query select.

    Shared by export and stats, so that both accept the same options with the same meaning.
    ``whole``: fill ``Selection.catalog`` (a query's selection pays for reading every paper
    only then: the formats of ``export.WHOLE_CATALOG`` need it, nothing else does).
    """
    from deepphen.catalog import Catalog, find_catalog, load_settings

    root = find_catalog(catalog)
    if query is None:
        cat = Catalog.load(root)
        papers = filters.build(cat.settings).apply(cat.papers)
        if papers:
            return Selection(cat.settings, papers, catalog=cat.papers)
        if not filters:
            return Selection(cat.settings, [], NothingFound(
                "the catalog has no papers", hint="add some with 'deepphen add'"))
        from deepphen.hints import nothing_matched

        return Selection(cat.settings, [], nothing_matched(cat.papers, None, True,
                                                           filters.keyword or ()))
    from deepphen.cache import snapshot
    from deepphen.catalog import read_paper, retry_if_vanished
    from deepphen.hints import NoMatch
    from deepphen.search import search_catalog

    # search's own: the whole catalog's index (built on the filtered papers alone, a word
    # the catalog has but they lack was read as a typo of another, "compositional" as
    # "computational"), from the cache (rebuilt here, it cost 0.6 s on 10,000 papers).
    settings = load_settings(root)
    keep = filters.build(settings)
    # One read of the catalog for both: the papers as search reads them.
    snap = retry_if_vanished(lambda: snapshot(root, read_paper)) if whole else None
    try:
        hits = search_catalog(root, query, keep=keep.matches if keep else None,
                              keywords=filters.keyword or (), snap=snap)
    except NoMatch as exc:  # its hints are found: check_selected raises it
        return Selection(settings, [], exc)
    return Selection(settings, [hit.paper for hit in hits],
                     catalog=snap.papers() if snap is not None else ())


def check_selected(selection: Selection) -> None:
    """Exit 1 when no paper was selected, said plainly and with the hints search gives:
    the query or filters matched nothing, or the catalog has no papers."""
    if selection.nothing is not None:
        raise selection.nothing


def unwrap_help(text: str) -> str:
    """A help text with each prose paragraph on one line, for rich to wrap to the terminal;
    paragraphs of indented lines (examples) and lists stay line for line."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if any(line.startswith((" ", "\t", "- ", "* ")) for line in lines):
            paragraphs.append(paragraph)
        else:
            paragraphs.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)

"""The ``deepphen`` console entry point: a quick path for ``search``, else the full CLI.

``deepphen search`` must start in about the time Python takes to import typer
(docs/benchmarks.md). Two costs stand in the way, both measured: importing the CLI package
imports every command module, and typer then builds a pydantic TypeAdapter for each of the
command's parameters, which alone costs more than the whole budget. So argv of the plain forms
of ``search`` is parsed here, without typer:

- piped output (or ``--format json|ids``) without filters is answered here from the core
  modules, with the same lines the command prints (a test compares the two);
- anything else that parses is handed to the command function itself, skipping typer's parsing;
- what does not parse (``--help``, unknown or malformed options) goes to typer unchanged, so
  help and usage errors are typer's own.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

# search's options that take a value: flag -> keyword argument of the command function.
_VALUE_OPTIONS = {
    "--limit": "limit", "-n": "limit", "--format": "fmt", "-f": "fmt", "--catalog": "catalog",
    "--section": "section", "-s": "section", "--year": "year", "--since": "since",
    "--until": "until", "--keyword": "keyword", "-k": "keyword", "--author": "author",
    "-a": "author", "--venue": "venue",
}
_REPEATABLE = {"keyword", "author"}
_INTEGERS = {"limit": 1, "year": None}  # name -> smallest accepted value
_FILTERS = ("section", "year", "since", "until", "keyword", "author", "venue")


def main() -> None:
    """Entry point of the ``deepphen`` console script and ``python -m deepphen``."""
    if sys.argv[1:2] == ["search"]:
        options = parse_search_args(sys.argv[2:])
        if options is not None:
            exit_on_sigterm()
            code = _quick_search(options)
            if code is None:
                from deepphen.cli.search import run_parsed

                code = run_parsed(options)
            sys.exit(code)
    from deepphen.cli import main as cli_main

    cli_main()


def exit_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit, so atomic writes and locks clean up as on Ctrl-C."""
    signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def parse_search_args(argv: list[str]) -> dict[str, object] | None:
    """Keyword arguments of the search command for ``argv``, or None to leave it to typer."""
    options: dict[str, object] = {}
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            if "query" in options:
                return None
            options["query"] = arg
            continue
        name, eq, value = arg.partition("=")
        target = _VALUE_OPTIONS.get(name)
        if target is None or (eq and not name.startswith("--")):
            return None
        if not eq:
            value = next(args, None)
            if value is None:
                return None
        if target in _REPEATABLE:
            options.setdefault(target, []).append(value)  # type: ignore[union-attr]
        elif target in options:
            return None
        elif target in _INTEGERS:
            try:
                number = int(value)
            except ValueError:
                return None
            minimum = _INTEGERS[target]
            if minimum is not None and number < minimum:
                return None
            options[target] = number
        else:
            options[target] = Path(value) if target == "catalog" else value
    return options


def _quick_search(options: dict[str, object]) -> int | None:
    """Answer a plain search from the core modules; None when the command must render it."""
    from deepphen.errors import DeepphenError
    from deepphen.printable import printable
    from deepphen.search import OUTPUT_FORMATS, NoMatch, hit_record, hit_row

    fmt = options.get("fmt", "table")
    query = options.get("query")
    if (fmt not in OUTPUT_FORMATS or query is None or any(f in options for f in _FILTERS)
            or (fmt == "table" and _is_terminal())):
        return None
    from deepphen.catalog import find_catalog
    from deepphen.search import search_catalog

    try:
        hits = search_catalog(find_catalog(options.get("catalog")), str(query),
                              limit=int(options.get("limit", 20)))  # type: ignore[arg-type]
    except DeepphenError as exc:
        if fmt == "json" and isinstance(exc, NoMatch):
            sys.stdout.write("[]\n")  # as the command: a JSON document even when nothing matched
        sys.stderr.write(f"deepphen: error: {printable(str(exc))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("deepphen: error: interrupted\n")
        return 130
    if fmt == "json":
        from deepphen.export.json import dumps

        lines = [dumps([hit_record(h) for h in hits], indent=2)]
    elif fmt == "ids":
        lines = [printable(h.paper.arxiv or h.paper.key) for h in hits]
    else:
        lines = ["\t".join(printable(cell) for cell in hit_row(h)) for h in hits]
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


def _is_terminal() -> bool:
    """As deepphen.cli.app.is_terminal, which this module must not import."""
    if os.environ.get("DEEPPHEN_FORCE_TERMINAL"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False

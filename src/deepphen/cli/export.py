"""``deepphen export``: the catalog (or a filtered part of it) in one of the FORMATS."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from deepphen.cli.app import (
    app,
    check_selected,
    handle_errors,
    select_papers,
    usage_error,
)
from deepphen.cli.options import CatalogOption, typed
from deepphen.cli.output import is_terminal
from deepphen.cli.params import NO_FILTERS, FilterOptions
from deepphen.export import FORMATS, piped
from deepphen.models import Settings
from deepphen.printable import printable


def _output_file(text: str) -> Path:
    """``-o``'s value as typed: a name that ends in '/' names a folder (typer's own Path
    conversion dropped the '/', so ``-o out/`` wrote a file ``out``)."""
    from deepphen.errors import DeepphenError
    from deepphen.outputs import output_path

    try:
        return output_path(text)
    except DeepphenError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("export")
@handle_errors
@typed
def export_command(
    query: Annotated[
        str | None, typer.Argument(help="Optional search query: export only matching papers.",
                                    metavar="QUERY")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.",
                          metavar="FORMAT")
    ] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically), not stdout "
                                  "('-': stdout).",
                                  metavar="FILE", parser=_output_file)
    ] = None,
    catalog: CatalogOption = None,
    filters: FilterOptions = NO_FILTERS,
    page: Annotated[
        str | None, typer.Option("--page", help="With --format md: write this declared page "
                                 "(its file name, e.g. FULL_LIST.md) instead of the first.",
                                 metavar="PAGE", show_default=False)
    ] = None,
) -> None:
    """Export the catalog as the markdown page, JSON, BibTeX, CSV or a searchable HTML page.

    Writes to standard output, or atomically to the file given with -o (its folder must
    exist). Filters and a query choose the papers; when they match none, the (empty) export
    is still written and the exit code is 1. Bad options or a file that cannot be written
    exit with 2.

    Examples:

      deepphen export --format md -o catalog/README.md

      deepphen export --format bibtex --keyword Grokking > grokking.bib

      deepphen export --format csv --section "Neural Collapse" --since 2023

      deepphen export "lottery ticket" --format json

      deepphen export --format html -o index.html

      deepphen export --format md --page FULL_LIST.md -o catalog/FULL_LIST.md
    """
    if fmt not in FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if output is not None and str(output) == "-":  # as for most tools (a file: its full path)
        output = None
    if output is not None and not output.parent.exists():
        # A typo in the folder should not leave a new folder tree behind: refuse, write nothing.
        raise usage_error(f"cannot write {output}: folder {output.parent} does not exist "
                          "(create it first)")
    from deepphen.export import WHOLE_CATALOG, export

    with _writer_lock(catalog, output):
        selection = select_papers(catalog, query, filters, whole=fmt in WHOLE_CATALOG)
        settings, papers = selection.settings, selection.papers
        declared = settings
        if page is not None:
            if fmt != "md":
                raise usage_error("--page chooses a markdown page: use it with --format md")
            settings = _declared_page(settings, page)
        if output is not None:
            from deepphen.catalog import check_output, find_catalog

            check_output(find_catalog(catalog), declared, output,
                         writing=settings.page if fmt == "md" else None)
        text = export(fmt, papers, settings, selection.catalog)
        if output is None:
            # On a terminal the text is to be read, not kept: no control character may act.
            # Piped, it may be a CI log: no line may open a workflow command.
            text = _readable(text) if is_terminal() else piped(fmt, text)
            sys.stdout.write(text)
        else:
            from deepphen.outputs import write_output

            # A terminal named with -o (/dev/tty) is read as standard output on one is; a
            # pipe gets the text as it is (the exact CSV, docs/export-formats.md).
            write_output(output, text, on_terminal=_readable)
    check_selected(selection)  # the document is written, but lists nothing


def _readable(text: str) -> str:
    """An export's text on a terminal, where no control character may act."""
    return printable(text, keep_layout=True)


def _writer_lock(catalog: Path | None, output: Path | None) -> contextlib.AbstractContextManager:
    """The catalog's lock when ``output`` is inside the catalog (its page): the export then
    reads and writes in turn with other writers (lint --fix, add), so a page is never written
    from files another process is changing, nor overwritten by its roll-back."""
    if output is None:
        return contextlib.nullcontext()
    from deepphen.catalog import find_catalog, inside

    root = find_catalog(catalog)
    if not inside(root, output.parent):
        return contextlib.nullcontext()
    from deepphen.fsutil import catalog_lock

    return catalog_lock(root)


def _declared_page(settings: Settings, name: str) -> Settings:
    """The page of the catalog written to ``name`` (``page`` or a ``[[pages]]`` file): the
    page of exactly that file, else the one page whose file has that name."""
    views = [view for view in settings.page_views() if view.page]
    exact = [view for view in views if view.page == name]
    named = exact or [view for view in views if Path(view.page).name == name]
    if len(named) == 1:
        return named[0]
    if named:
        raise usage_error(f"--page {name!r} names {len(named)} pages: "
                          f"{', '.join(view.page for view in named)}; give its path")
    raise usage_error(f"no page {name!r} in catalog.toml; declared: "
                      f"{', '.join(view.page for view in views) or 'none'}")

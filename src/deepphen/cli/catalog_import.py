"""``deepphen import``: read the list's markdown page into a new catalog folder."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from deepphen.cli.app import app, handle_errors
from deepphen.cli.output import echo, echo_lines, is_terminal, print_json
from deepphen.errors import EXIT_FINDINGS, EXIT_OK, DeepphenError

if TYPE_CHECKING:
    from deepphen.importer import ImportResult
    from deepphen.models import Settings

TargetOption = Annotated[
    Path | None,
    typer.Option("--catalog", help="Catalog folder to create "
                 "(default: $DEEPPHEN_CATALOG, else ./catalog).", metavar="DIR",
                 show_default=False),
]
# Below this many papers the write is quick enough that a progress bar would only flicker.
PROGRESS_MIN_PAPERS = 100


@app.command("import")
@handle_errors
def import_command(
    list_file: Annotated[Path, typer.Argument(help="The markdown page to import (README.md); "
                                              "'-' reads it from standard input.",
                                              metavar="LIST.md")],
    catalog: TargetOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the catalog already in the folder.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Report as 'text' or 'json'.",
                          metavar="FORMAT")
    ] = "text",
    merge: Annotated[
        bool, typer.Option("--merge", help="Add the page to the catalog already in the folder "
                           "as a further page: new papers added, known ones matched.")
    ] = False,
    page: Annotated[
        str | None, typer.Option("--page", help="Where export writes this page, relative to "
                                 "the catalog folder (e.g. FULL_LIST.md); with --merge the "
                                 "default is the page's file name.", metavar="PAGE",
                                 show_default=False)
    ] = None,
) -> None:
    """Import a markdown paper list into a catalog folder (one TOML file per paper).

    Every entry is read. Each line the catalog cannot hold, or export
    will write differently, is reported with its line number.
    Exit 0: clean; 1: imported with problems; 2: not a list.

    The folder must be new or empty, and not a folder of another catalog;
    --force replaces a catalog there.
    --merge adds a second page of the same list (a front page, a full
    list) to the catalog in the folder: papers it lacks are added, papers
    it has are matched, and differences are reported by line.

    LIST.md '-' reads the page from standard input (a pipe or a
    redirected file, at most 64 MiB as a file is); --merge then needs
    --page.

    Examples:

      deepphen import README.md --catalog catalog

      deepphen import FULL_LIST.md --catalog catalog --page FULL_LIST.md

      deepphen import README.md --catalog catalog --merge --page README.md

      deepphen import README.md --catalog catalog --force

      deepphen import README.md --catalog /tmp/try --format json

      curl -sL https://example.org/README.md | deepphen import - --catalog catalog
    """
    if fmt not in ("text", "json"):
        raise DeepphenError(f"unknown format {fmt!r}", hint="choose text or json")
    from deepphen.catalog import ENV_VAR
    from deepphen.catalog_write import write_catalog
    from deepphen.dialect import page_text
    from deepphen.importer import encoding_notes, iter_problem_lines, parse_list

    from_stdin = str(list_file) == "-"
    if from_stdin:
        if merge and page is None:
            raise DeepphenError("--merge from standard input needs --page",
                                hint="name the page export writes, e.g. --page README.md")
        list_file = Path(STDIN_NAME)
    raw = _decode(list_file, from_stdin=from_stdin)
    result = parse_list(page_text(raw), source=str(list_file))
    # What the normalization dropped, reported as the importer reports it in a page it reads.
    result.problems[:0] = encoding_notes(raw)
    if merge:
        if force:
            raise DeepphenError("--merge adds to a catalog, --force replaces one: choose one")
        _merge(list_file, result, catalog, page or list_file.name, fmt)
    if not result.papers:
        raise DeepphenError("not a paper list: no paper entries ('- Title. [[paper]](url)') "
                            "under a '## Section' heading", path=list_file,
                            hint="see docs/catalog-format.md for the layout")
    root = catalog or Path(os.environ.get(ENV_VAR) or "catalog")
    if page is not None:
        _check_page(root, result.settings, page)
        result.settings.page = page
    with _progress(len(result.papers), enabled=fmt == "text") as advance:
        write_catalog(root, result.settings, result.papers, force=force, on_paper=advance)
    if fmt == "json":
        print_json({
            "catalog": str(root), "papers": len(result.papers),
            "sections": result.section_count,
            "problems": [p._asdict() for p in result.problems],
        })
    else:
        # Diagnostics on stderr, as every command prints them; stdout keeps the summary.
        echo_lines(iter_problem_lines(result), err=True)
        echo(f"imported {result.summary()} into {root}")
    raise typer.Exit(EXIT_FINDINGS if result.problems else EXIT_OK)


def _merge(list_file: Path, result: ImportResult, catalog: Path | None, page: str,
           fmt: str) -> None:
    """``import --merge``: the page joins the catalog in the folder; exits."""
    from deepphen.catalog import find_catalog
    from deepphen.cli.add import report_undismissed
    from deepphen.merge import merge_into

    root = find_catalog(catalog)
    merged = merge_into(root, result, page,
                        check=lambda settings: _check_page(root, settings, page))
    if fmt == "json":
        print_json({
            "catalog": str(root), "page": page, "added": len(merged.added),
            "matched": len(merged.matched),
            "problems": [p._asdict() for p in merged.problems],
        })
    else:
        echo_lines((f"{list_file}:{p.line}: {p.level}: {p.message}" for p in merged.problems),
                   err=True)
        echo(f"merged {list_file} into {root} as page {page}: {merged.summary()}")
    report_undismissed(root, merged.dismissals)  # on stderr, whatever the format
    raise typer.Exit(EXIT_FINDINGS if merged.problems else EXIT_OK)


def _check_page(root: Path, settings: Settings, page: str) -> None:
    """Refuse (exit 2, nothing written) a page export could not write: outside the catalog
    folder, or one of the catalog's own files."""
    from deepphen.paths import page_problem

    problem = page_problem(root, settings, page)
    if problem:
        raise DeepphenError(f"{problem}: {page!r}", hint="give --page a markdown file name "
                            "in the catalog folder, e.g. README.md")


# How the page read from standard input ('-') is named in messages.
STDIN_NAME = "<stdin>"


def _decode(path: Path, *, from_stdin: bool = False) -> str:
    """The page as written (a byte-order mark and '\r' line ends kept). Only a regular file
    is read: a named pipe waited forever for a writer, and a device (/dev/zero) or a disk
    image is read no further than MAX_PAGE_BYTES. ``from_stdin``: standard input, bounded
    the same way."""
    from deepphen.fsutil import os_error, read_regular
    from deepphen.paths import MAX_PAGE_BYTES

    try:
        data = _read_stdin(path) if from_stdin else read_regular(path, MAX_PAGE_BYTES)
    except OSError as exc:
        hint = None if exc.errno in (errno.ENOENT, errno.EACCES) else \
            "give the markdown file of the list"
        raise os_error("read", exc, path, hint=hint) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeepphenError("not UTF-8 text", path=path, hint="save the file as UTF-8") from exc


def _read_stdin(name: Path) -> bytes:
    """Standard input's bytes, at most MAX_PAGE_BYTES (OSError past them, as for a file).
    Refused on a terminal: the command would sit waiting for a page typed by hand."""
    import sys

    from deepphen.fsutil import size_text
    from deepphen.paths import MAX_PAGE_BYTES

    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None:  # closed ('<&-'): Python makes it None
        raise DeepphenError("standard input is closed", path=name, hint=_STDIN_HINT)
    if is_terminal(sys.stdin):
        raise DeepphenError("standard input is a terminal, not a page", path=name,
                            hint=_STDIN_HINT)
    data = stream.read(MAX_PAGE_BYTES + 1)
    if isinstance(data, str):  # a text stream without a buffer
        data = data.encode("utf-8")
    if len(data) > MAX_PAGE_BYTES:
        raise OSError(errno.EFBIG, f"it is larger than {size_text(MAX_PAGE_BYTES)}", str(name))
    return data


_STDIN_HINT = "pipe the page in: curl -sL URL | deepphen import - --catalog DIR"


@contextlib.contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal for a large page; nothing otherwise."""
    if not (enabled and total >= PROGRESS_MIN_PAPERS and is_terminal()):
        yield None
        return
    from rich.progress import Progress

    from deepphen.cli.output import console

    with Progress(console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("writing papers", total=total)
        yield lambda done, _total: progress.update(task, completed=done)

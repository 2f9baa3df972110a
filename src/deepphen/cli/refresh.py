"""``deepphen refresh``: compare catalog papers with arXiv and apply what changed upstream."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from deepphen.cli.app import app, check_format, handle_errors
from deepphen.cli.network import arxiv_client, network_progress
from deepphen.cli.options import CatalogOption, TimeoutOption
from deepphen.cli.output import counted, print_json, print_table, warn
from deepphen.printable import TITLE_SHOWN, shorten

MISSING_SHOWN = 10  # ids named in the warning line; JSON's "missing" has every one

OUTPUT_FORMATS = ("text", "json")


@app.command("refresh")
@handle_errors
def refresh_command(
    arxiv_ids: Annotated[
        list[str] | None, typer.Argument(help="arXiv ids of catalog papers.", show_default=False,
                                         metavar="ARXIV_ID")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Every catalog paper with an arXiv id.")
    ] = False,
    write: Annotated[bool, typer.Option("--write", help="Apply the changes shown.")] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text or json.", metavar="FORMAT")
    ] = "text",
    catalog: CatalogOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Compare catalog papers with arXiv: title, authors, venue (journal_ref) and DOI.

    Each difference is one row: the paper's id, the field, its old and its new value;
    --write applies them (not to a file holding a comment, which rewriting would drop, nor
    a field edited on disk while it ran). Exits 1 when something changed upstream and was
    not written, an id is not in the catalog or arXiv's record is unfit to keep (no title,
    a title or name kilobytes long: that paper is left as it is), 2 for a malformed id or
    bad options, 0 otherwise.

    Examples:

      deepphen refresh 2201.02177

      deepphen refresh --all

      deepphen refresh --all --write
    """
    check_format(fmt, OUTPUT_FORMATS)
    from deepphen.catalog import find_catalog
    from deepphen.errors import EXIT_FINDINGS
    from deepphen.refresh import refresh, show_value

    root = find_catalog(catalog)
    with network_progress("checking arXiv") as progress:
        result = refresh(root, list(arxiv_ids or []), everything=everything, write=write,
                         client=arxiv_client(progress.wait, timeout, progress),
                         on_start=progress.start,
                         on_batch=progress.batch)
    if fmt == "json":
        print_json({"checked": result.checked, "updates": [u.to_json() for u in result.updates],
                    "missing": result.missing, "written": [str(p) for p in result.written],
                    "kept": [{"path": k.path, "line": k.line, "message": str(k)}
                             for k in result.kept],
                    "unfit": [{"arxiv": i, "problem": why} for i, why in result.unfit],
                    "stale": [{"path": str(u.paper.path), "fields": [c.field for c in u.changes]}
                              for u in result.done.stale],
                    "withdrawn": result.withdrawn})
    else:
        # A value of megabytes is shortened here (TITLE_SHOWN); the JSON has it whole.
        rows = [(u.paper.arxiv, c.field, shorten(show_value(c.old), TITLE_SHOWN),
                 shorten(show_value(c.new), TITLE_SHOWN))
                for u in result.updates for c in u.changes]
        if rows:
            print_table("Changed upstream", ["arxiv", "field", "old", "new"], rows)
        if result.missing:
            shown = result.missing[:MISSING_SHOWN]
            more = len(result.missing) - len(shown)
            warn(f"arXiv no longer lists {len(result.missing)} of them: {', '.join(shown)}"
                 + (f" and {more} more (--format json lists them all)" if more else ""))
        for kept in result.kept:  # a file --write left alone: its change is still to make
            warn(str(kept))
        if result.withdrawn:
            from deepphen.cli.add import warn_withdrawn

            for arxiv_id in result.withdrawn:
                warn_withdrawn(arxiv_id)
        for stale in result.done.stale:  # edited since it was read: the edit wins
            warn(f"{stale.paper.path}: changed on disk while refresh ran; "
                 f"{', '.join(c.field for c in stale.changes)} not written (run "
                 "'deepphen refresh' again to see what still differs)")
        for arxiv_id, why in result.unfit:
            warn(f"arXiv sent {why} for {arxiv_id}; left as it is (try again later)")
        changed = len(result.updates)
        done = f"wrote {counted(len(result.written), 'file')}" if write \
            else f"would change {counted(changed, 'file')}"
        sys.stderr.write(f"checked {counted(result.checked, 'paper')}; {changed} changed "
                         f"upstream" + (f"; {done}" if changed else "") + "\n")
        if result.written:
            from deepphen.cli.add import show_updated_pages

            show_updated_pages(root, err=True)  # beside the summary: stdout is the table
    if (result.updates and not write) or result.kept or result.unfit or result.done.stale:
        raise typer.Exit(EXIT_FINDINGS)

"""``deepphen add`` and ``deepphen refresh``: the commands that talk to the arXiv API."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from deepphen.cli.app import (
    CatalogOption,
    app,
    console,
    echo,
    handle_errors,
    is_terminal,
    print_json,
    print_table,
    usage_error,
    warn,
)
from deepphen.errors import DeepphenError
from deepphen.printable import printable

OUTPUT_FORMATS = ("text", "json")


@contextlib.contextmanager
def network_progress(description: str) -> Iterator[Any]:
    """Hooks for a rich progress bar of ids fetched, showing rate-limit and retry waits.

    Yields an object with ``start(total)``, ``batch(n)`` and ``wait(seconds, reason)``;
    on a terminal they drive a bar on stderr, otherwise they do nothing.
    """
    if not (is_terminal() and is_terminal(sys.stderr)):
        yield _QuietProgress()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        yield _RichProgress(progress, description)


class _QuietProgress:
    def start(self, total: int) -> None:
        pass

    def batch(self, count: int) -> None:
        pass

    def wait(self, seconds: float, reason: str) -> None:
        pass


class _RichProgress:
    def __init__(self, progress: Any, description: str) -> None:
        self.progress = progress
        self.description = description
        self.task = progress.add_task(description, total=None)

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def batch(self, count: int) -> None:
        self.progress.update(self.task, advance=count, description=self.description)

    def wait(self, seconds: float, reason: str) -> None:
        self.progress.update(self.task, description=f"waiting {seconds:.0f}s ({reason})")


def _client(on_wait: Callable[[float, str], None]) -> Any:
    from deepphen.arxiv import Client

    return Client(on_wait=on_wait)


def _check_format(fmt: str) -> None:
    if fmt not in OUTPUT_FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")


@app.command("add")
@handle_errors
def add_command(
    arxiv_ids: Annotated[
        list[str], typer.Argument(help="arXiv ids or arxiv.org abs/pdf/html links.",
                                  show_default=False)
    ],
    section: Annotated[
        str | None, typer.Option("--section", "-s", help="Section heading or slug (forgiving).")
    ] = None,
    accept_suggestion: Annotated[
        bool, typer.Option("--accept-suggestion", help="Use the best suggested section.")
    ] = False,
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", "-k", help="Key word (repeatable, or several joined by ';'); "
                     "variants are mapped to the catalog's spelling."),
    ] = None,
    code: Annotated[str | None, typer.Option("--code", help="Code repository URL.")] = None,
    venue: Annotated[
        str | None, typer.Option("--venue", help="Venue, e.g. 'ICLR 2023' (default: from "
                                 "arXiv's journal_ref).")
    ] = None,
    digest: Annotated[str | None, typer.Option("--digest", help="One-paragraph digest.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add even if it looks like a duplicate (the same "
                           "arXiv id is replaced).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print what would be written; write nothing.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    catalog: CatalogOption = None,
) -> None:
    """Add papers from arXiv, with duplicate checks and section and key-word suggestions.

    Without --section the sections are ranked for the paper from the catalog itself; a
    terminal asks to confirm, elsewhere pass --section or --accept-suggestion (with
    --dry-run the best suggestion is shown). Duplicates exit with 1, bad input with 2.

    Examples:

      deepphen add 2201.02177 --section "Emergence and Phase Transitions" -k Grokking

      deepphen add https://arxiv.org/pdf/2201.02177v2.pdf --accept-suggestion

      deepphen add 2201.02177 --dry-run --format json

      deepphen add 2206.07682 2201.02177 -s emergence --code https://github.com/o/r
    """
    _check_format(fmt)
    from deepphen import add as core
    from deepphen.catalog import find_catalog

    root = find_catalog(catalog)
    options = core.Options(section=section, keywords=list(keyword or []), code=code,
                           venue=venue, digest=digest, force=force)
    # Also for one id: retries after a 503 or 429 can wait for many seconds.
    with network_progress("fetching from arXiv") as progress:
        progress.start(len(arxiv_ids))
        proposals = core.plan_additions(root, arxiv_ids, options,
                                        client=_client(progress.wait), on_batch=progress.batch)
    proposals = [_place(p, accept=accept_suggestion or dry_run, show=fmt == "text" and
                        not section, root=root) for p in proposals]
    if fmt == "text":
        _notes(proposals)
    if not dry_run:
        core.write_additions(root, proposals, force=force)
    if fmt == "json":
        objects = [p.to_json(root) for p in proposals]
        print_json(objects[0] if len(objects) == 1 else objects)
        return
    for proposal in proposals:
        _show(proposal, root, dry_run=dry_run)


def _place(proposal: Any, *, accept: bool, show: bool, root: Path) -> Any:
    """The proposal with its section: given, accepted, or confirmed at the terminal."""
    if proposal.section is not None:
        return proposal
    ranking = proposal.suggested_sections
    prompting = not accept and is_terminal() and is_terminal(sys.stdin)
    if show or prompting:  # a prompt for a number needs the numbered list, whatever --format
        print_table(f"Sections for {proposal.entry.id}: {proposal.paper.title}",
                    ["#", "section", "score"],
                    [(i, s.section.heading, f"{s.score:.2f}") for i, s in enumerate(ranking, 1)])
    if accept:
        return proposal.with_section(ranking[0].section)
    if not prompting:
        raise DeepphenError(
            f"no section given for {proposal.entry.id}; best suggestion: "
            f"{ranking[0].section.heading} ({ranking[0].score:.2f})",
            hint="pass --section NAME or --accept-suggestion")
    from deepphen.catalog import load_settings
    from deepphen.filters import resolve_section

    settings = load_settings(root)
    while True:  # a typo at the prompt asks again rather than losing the fetched paper
        try:
            answer = typer.prompt(f"Section for {proposal.entry.id} (number or name)",
                                  default="1", err=True)
        except typer.Abort:
            # click turns Ctrl-C and Ctrl-D at a prompt into Abort: end the prompt's line and
            # exit as an interrupt (130), not as "findings" (1).
            sys.stderr.write("\n")
            raise KeyboardInterrupt from None
        if answer.strip().isdigit():
            if 1 <= int(answer) <= len(ranking):
                return proposal.with_section(ranking[int(answer) - 1].section)
            warn(f"no section number {answer.strip()}; choose 1 to {len(ranking)} or a name")
            continue
        try:
            return proposal.with_section(resolve_section(settings, answer))
        except DeepphenError as exc:
            warn(str(exc))


def _notes(proposals: list[Any]) -> None:
    for choice in proposals[0].renamed_keywords if proposals else []:
        warn(f"key word {choice.given!r} written as {choice.spelling!r}, the catalog's spelling")
    for proposal in proposals:
        if proposal.replaces is not None:
            warn(f"{proposal.entry.id} replaces the existing entry {proposal.replaces.path} "
                 "(--force)")
        if not proposal.paper.keywords:
            warn(f"{proposal.entry.id} has no key words; lint requires one to six (add with -k)")
        if proposal.suggested_keywords:
            echo(printable(f"suggested key words for {proposal.entry.id}: "
                           f"{'; '.join(proposal.suggested_keywords)} (add with -k)"), err=True)


def _show(proposal: Any, root: Path, *, dry_run: bool) -> None:
    from deepphen.catalog import paper_path, paper_to_toml
    from deepphen.export.markdown import render_entry

    path = paper_path(root, proposal.paper)
    if dry_run:
        echo(f"# {path} (dry run: nothing written)")
        echo(paper_to_toml(proposal.paper))
        echo(render_entry(proposal.paper))
        return
    echo(render_entry(proposal.paper))
    echo(f"wrote {path}")


@app.command("refresh")
@handle_errors
def refresh_command(
    arxiv_ids: Annotated[
        list[str] | None, typer.Argument(help="arXiv ids of catalog papers.", show_default=False)
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Every catalog paper with an arXiv id.")
    ] = False,
    write: Annotated[bool, typer.Option("--write", help="Apply the changes shown.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    catalog: CatalogOption = None,
) -> None:
    """Compare catalog papers with arXiv: title, authors, venue (journal_ref) and DOI.

    Each difference is shown as old -> new; --write applies them. Exits 1 when something
    changed upstream and was not written, 0 otherwise.

    Examples:

      deepphen refresh 2201.02177

      deepphen refresh --all

      deepphen refresh --all --write
    """
    _check_format(fmt)
    from deepphen.catalog import find_catalog
    from deepphen.errors import EXIT_FINDINGS
    from deepphen.refresh import refresh, show_value

    root = find_catalog(catalog)
    with network_progress("checking arXiv") as progress:
        result = refresh(root, list(arxiv_ids or []), everything=everything, write=write,
                         client=_client(progress.wait), on_start=progress.start,
                         on_batch=progress.batch)
    if fmt == "json":
        print_json({"checked": result.checked, "updates": [u.to_json() for u in result.updates],
                    "missing": result.missing, "written": [str(p) for p in result.written]})
    else:
        rows = [(u.paper.arxiv, c.field, show_value(c.old), show_value(c.new))
                for u in result.updates for c in u.changes]
        if rows:
            print_table("Changed upstream", ["arxiv", "field", "old", "new"], rows)
        if result.missing:
            warn(f"arXiv no longer lists {len(result.missing)} of them: "
                 f"{', '.join(result.missing)}")
        verb = "wrote" if write else "would change"
        sys.stderr.write(f"checked {result.checked} papers; {len(result.updates)} changed "
                         f"upstream" + (f"; {verb} {len(result.updates)} files" if
                                        result.updates else "") + "\n")
    if result.updates and not write:
        raise typer.Exit(EXIT_FINDINGS)

"""``deepphen add``: fetch papers from arXiv and write them into the catalog."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from deepphen.cli.app import app, check_format, handle_errors
from deepphen.cli.completion import complete_keyword, complete_section
from deepphen.cli.network import arxiv_client, network_progress
from deepphen.cli.options import CatalogOption, TimeoutOption
from deepphen.cli.output import can_ask, echo, print_json, print_table, warn
from deepphen.errors import Aborted, DeepphenError
from deepphen.printable import printable

OUTPUT_FORMATS = ("text", "json")


@app.command("add")
@handle_errors
def add_command(
    arxiv_ids: Annotated[
        list[str], typer.Argument(help="arXiv ids or arxiv.org abs/pdf/html links.",
                                  show_default=False, metavar="ARXIV_ID")
    ],
    section: Annotated[
        str | None, typer.Option("--section", "-s", help="Section heading or slug (forgiving).",
                                 metavar="SECTION",
                                 autocompletion=complete_section)
    ] = None,
    accept_suggestion: Annotated[
        bool, typer.Option("--accept-suggestion", help="Use the best suggested section "
                           "and, unless -k is given, the first three suggested key words.")
    ] = False,
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", "-k", help="Key word (repeatable, or several joined by ';'); "
                     "variants are mapped to the catalog's spelling.", metavar="KEYWORD",
                     autocompletion=complete_keyword),
    ] = None,
    code: Annotated[str | None, typer.Option("--code", help="Code repository URL.",
                                                          metavar="URL")] = None,
    venue: Annotated[
        str | None, typer.Option("--venue", help="Venue, e.g. 'ICLR 2023' (default: from "
                                 "arXiv's journal_ref).", metavar="VENUE")
    ] = None,
    digest: Annotated[str | None, typer.Option("--digest", help="One-paragraph digest.",
                                                            metavar="TEXT")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add even if it looks like a duplicate (the same "
                           "arXiv id is replaced, what its record leaves empty kept).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print what would be written; write nothing.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.",
                                                      metavar="FORMAT")] = "text",
    catalog: CatalogOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Add papers from arXiv, with duplicate checks and section and key-word suggestions.

    Without --section the sections are ranked for the paper from the catalog itself; a
    terminal asks to confirm, elsewhere pass --section or --accept-suggestion (with
    --dry-run the best suggestion is shown). Without -k a terminal asks for the key words,
    the suggested ones offered. --accept-suggestion also writes the first three suggested
    key words when no -k is given (given ones win: the two never mix). Duplicates exit with
    1, bad input with 2.

    Examples:

      deepphen add 2203.15556 --section "Empirical Study" -k "Neural Scaling Laws"

      deepphen add https://arxiv.org/pdf/2203.15556v1 --accept-suggestion

      deepphen add 2203.15556 --dry-run --format json

      deepphen add 2203.15556 2001.08361 -s empirical -k "scaling laws"

      deepphen add 2203.15556 -s empirical -k Transformers --venue "NeurIPS 2022"
    """
    check_format(fmt, OUTPUT_FORMATS)
    from deepphen import add as core
    from deepphen.catalog import find_catalog

    root = find_catalog(catalog)
    options = core.Options(section=section, keywords=list(keyword or []), code=code,
                           venue=venue, digest=digest, force=force)
    # Also for one id: retries after a 503 or 429 can wait for many seconds.
    with network_progress("fetching from arXiv") as progress:
        progress.start(len(arxiv_ids))
        client = arxiv_client(progress.wait, timeout, progress)
        proposals = core.plan_additions(root, arxiv_ids, options, client=client,
                                        on_batch=progress.batch)
    try:
        proposals = [_place(p, accept=accept_suggestion or dry_run, show=fmt == "text" and
                            not section, root=root) for p in proposals]
        if accept_suggestion:  # the suggested key words too, where -k gave none
            proposals = [p.accept_suggestion() for p in proposals]
        elif not dry_run and can_ask():
            # Lint refuses a paper with no key words: ask rather than write one it refuses.
            proposals = [p if p.paper.keywords else _ask_keywords(p, root) for p in proposals]
    except EndOfInput:  # no more answers: the papers are written all together or not at all
        raise Aborted("aborted at the end of input (Ctrl-D): nothing written") from None
    if fmt == "text":
        _notes(proposals, root, written=not dry_run)
    if not dry_run:
        report_undismissed(root, core.write_additions(root, proposals, force=force).dismissals)
    if fmt == "json":
        objects = [p.to_json(root) for p in proposals]
        print_json(objects[0] if len(objects) == 1 else objects)
        return
    for proposal in proposals:
        _show(proposal, root, dry_run=dry_run)
    if not dry_run:
        show_updated_pages(root)


def report_undismissed(root: Path, dismissals: Any) -> None:
    """Say what became of the dismissals of papers just added (``dismissed.Undismissed``):
    taken out of dismissed.toml, or left there, and why (lint's DP605 then names them)."""
    from deepphen.dismissed import dismissed_path

    name = dismissed_path(root).name
    if dismissals.dropped:
        warn(f"no longer dismissed: {', '.join(dismissals.dropped)} (taken out of {name})")
    if dismissals.left:
        warn(f"{', '.join(dismissals.left)} also dismissed in {dismissed_path(root)}, left as "
             f"written ({dismissals.why}): remove the [[dismissed]] entry by hand")


def warn_withdrawn(arxiv_id: str) -> None:
    """Say that arXiv marks this paper withdrawn (``add`` and ``refresh`` find it so)."""
    warn(f"{arxiv_id} is withdrawn, says its arXiv comment or abstract; check that the list "
         "should keep it")


def show_updated_pages(root: Path, *, err: bool = False) -> None:
    """Name the pages a write regenerated: they go into the same commit as the papers."""
    from deepphen.add import regenerated_pages
    from deepphen.catalog import load_settings

    for page in regenerated_pages(root, load_settings(root)):
        echo(f"updated {page}", err=err)


def _place(proposal: Any, *, accept: bool, show: bool, root: Path) -> Any:
    """The proposal with its section: given, accepted, or confirmed at the terminal."""
    if proposal.section is not None:
        return proposal
    ranking = proposal.suggested_sections
    prompting = not accept and can_ask()
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

    section = ask_section(load_settings(root), f"Section for {proposal.entry.id} (number or name)",
                          "1", [s.section for s in ranking])
    return proposal.with_section(section)


def ask_section(settings: Any, question: str, default: str | None,
                numbered: Sequence[Any] = ()) -> Any:
    """At the terminal: a section by name (forgiving, as --section) or by its number in
    ``numbered``, asked again until one is known: a typo never loses the paper."""
    from deepphen.filters import resolve_section

    while True:
        answer = ask(question, default)
        # isdecimal, not isdigit: '²' is a digit that int() refuses; read it as a name.
        if numbered and answer.strip().isdecimal():
            if 1 <= int(answer) <= len(numbered):
                return numbered[int(answer) - 1]
            warn(f"no section number {answer.strip()}; choose 1 to {len(numbered)} or a name")
            continue
        try:
            return resolve_section(settings, answer)
        except DeepphenError as exc:
            warn(str(exc))


def _ask_keywords(proposal: Any, root: Path) -> Any:
    """At the terminal: the key words (none given with -k), the first suggested ones offered."""
    from deepphen.suggest import ACCEPTED_KEYWORDS

    return ask_keywords(root, proposal, proposal.suggested_keywords[:ACCEPTED_KEYWORDS],
                        f"Key words for {proposal.entry.id}")


def ask_keywords(root: Path, proposal: Any, offered: Sequence[str], question: str) -> Any:
    """``proposal`` with the key words answered at the terminal (``offered`` the default),
    mapped to the catalog's spelling; asked again until lint would take them: one to six,
    each more than the punctuation or invisible characters the catalog's spelling drops."""
    from deepphen import add as core

    default = printable("; ".join(offered))
    question = printable(f"{question} (separated by ';'" + ("" if offered else
                                                           "; at least one") + ")")
    while True:
        # No default: click asks again on an empty answer, and the question says why.
        answer = ask(question, default or None)
        try:
            placed = core.with_keywords(root, proposal, [answer])
        except DeepphenError as exc:
            warn(str(exc))
            continue
        if placed.paper.keywords:
            return placed
        warn("no key word in that answer (punctuation and invisible characters are none): "
             "give one to six, separated by ';'")


# What a key sends rather than a character: C0 (a tab aside), DEL and C1 controls, an escape
# sequence's ESC or CSI among them. A pasted bidi mark is text, tidied where it is stored.
_TYPED_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


class EndOfInput(Exception):
    """Ctrl-D at a prompt: the terminal's "no more input". Each caller says what it means."""


def ask(text: str, default: str | None = None) -> str:
    """A question at the terminal (on stderr). Ctrl-C there is an interrupt (exit 130);
    Ctrl-D, the end of input, raises EndOfInput."""
    while True:
        try:
            answer = typer.prompt(text, default=default, err=True,
                                  show_default=default is not None)
        except typer.Abort as exc:
            # click turns both keys into Abort; the one it caught is the Abort's context.
            sys.stderr.write("\n")  # end the prompt's line
            if isinstance(exc.__context__, EOFError):
                raise EndOfInput from None
            raise KeyboardInterrupt from None
        if answer == default:  # the default was not typed
            return answer
        if _TYPED_CONTROL.search(answer):
            # An arrow or editing key the prompt cannot edit with: its escape sequence came
            # in with the answer, and its ESC dropped, "Lottery[D[DX" reached the catalog.
            warn("the answer holds a control character (an arrow or editing key?), which "
                 "this prompt cannot edit with: type it again")
            continue
        if "\ufffd" not in answer:
            return answer
        # What the terminal sent could not be decoded (a non-UTF-8 locale, "Régularisation"
        # typed under LANG=C): written as it was read, it reached the catalog as U+FFFD.
        warn(f"could not read what was typed as {sys.stdin.encoding or 'text'}: type it "
             "again in ASCII, or run deepphen with a UTF-8 locale (LANG=C.UTF-8)")


def _notes(proposals: list[Any], root: Path, *, written: bool) -> None:
    """Warnings and key-word hints on stderr. Once a paper is written, adding it again with -k
    would meet the duplicate check: the hints then name its file."""
    from deepphen.catalog import paper_path

    renamed = {(c.given, c.spelling): c for p in proposals for c in p.renamed_keywords}
    for choice in renamed.values():
        warn(f"key word {choice.given!r} written as {choice.spelling!r}, the catalog's spelling")
    for proposal in proposals:
        where = (f"put them in {paper_path(root, proposal.paper)}" if written
                 else "add with -k")
        if proposal.entry.withdrawn:
            warn_withdrawn(proposal.entry.id)
        if proposal.replaces is not None:
            kept = f"; kept from it: {', '.join(proposal.kept)}" if proposal.kept else ""
            warn(f"{proposal.entry.id} replaces the existing entry {proposal.replaces.path} "
                 f"(--force){kept}")
        if not proposal.paper.keywords:
            warn(f"{proposal.entry.id} has no key words; lint requires one to six ({where})")
        others = [k for k in proposal.suggested_keywords if k not in proposal.paper.keywords]
        suggested = "; ".join(others)
        if proposal.accepted_keywords:
            echo(printable(f"key words for {proposal.entry.id} from the suggestions: "
                           f"{'; '.join(proposal.accepted_keywords)} (--accept-suggestion)"),
                 err=True)
        elif others and proposal.paper.keywords:
            echo(printable(f"more key words suggested for {proposal.entry.id}: {suggested}"),
                 err=True)
        elif others:
            tail = "" if written else " (add with -k)"
            echo(printable(f"suggested key words for {proposal.entry.id}: {suggested}{tail}"),
                 err=True)


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

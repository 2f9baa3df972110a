"""``deepphen lint``: check the catalog against the list's rules, optionally fix them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from deepphen.cli.app import app, handle_errors, usage_error
from deepphen.cli.options import CatalogOption
from deepphen.cli.output import (
    console,
    echo,
    is_terminal,
    print_json,
    print_table,
    warn,
    workflow_command,
)
from deepphen.errors import EXIT_FINDINGS, EXIT_OK
from deepphen.printable import elide, printable

FORMATS = ("text", "json", "github")
MESSAGE_SHOWN = 1000  # characters of a finding's message a line shows


@app.command("lint")
@handle_errors
def lint_command(
    catalog: CatalogOption = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe fixes and report each.")
                   ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", show_default=False, metavar="FORMAT",
                     help="text, json or github (default: github when $GITHUB_ACTIONS is set, "
                          "else text). With --list-rules also md."),
    ] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", "-r", help="Run only this rule, by id or name (repeatable).",
                     metavar="RULE"),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the rules and exit.")
    ] = False,
) -> None:
    """Check the catalog against the list's rules; exit 1 on errors.

    Findings print as path:line:col: message (rule). Exit codes: 0 clean (warnings allowed
    unless --strict), 1 findings at error level, 2 usage error or unreadable settings.

    Examples:

      deepphen lint

      deepphen lint --fix

      deepphen lint --strict --format json

      deepphen lint --rule DP301 --rule duplicate-title

      deepphen lint --list-rules
    """
    if list_rules:
        _list_rules(fmt or "text")
        return
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") else "text")
    if fmt not in FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    from deepphen.catalog import find_catalog
    from deepphen.lint import engine

    root = find_catalog(catalog)
    select = engine.validate_select(rule) if rule else None
    kept: list = []
    if fix:
        changes, problems, kept = engine.fix(root, select)
        for change in changes:
            # Changes go to stderr so that --format json stays parseable on stdout.
            # Cut as findings are: a fix quoting a value of megabytes is one line to read.
            echo(printable(elide(str(change), MESSAGE_SHOWN)), err=fmt != "text")
        # A file --fix left alone: its findings say to fix it by hand. Once per reason: the
        # files of one linked section folder share theirs.
        for problem in dict.fromkeys(map(str, kept)):
            warn(problem)
    else:
        problems = engine.run(root, select)
    _render(problems, fmt)
    failing = [p for p in problems if p.level == "error" or strict]
    raise typer.Exit(EXIT_FINDINGS if failing or kept else EXIT_OK)


def _render(problems: list, fmt: str) -> None:
    if fmt == "json":
        print_json([p.to_dict() for p in problems])
    elif fmt == "github":
        for p in problems:
            workflow_command(p.level, {"file": annotated_path(p.path), "line": p.line,
                                       "col": p.column}, f"{_message(p)} ({p.rule})")
    elif is_terminal():
        _render_terminal(problems)
    else:
        for p in problems:
            # One finding, one line: a line break in catalog text must not forge another.
            echo(printable(f"{p.path}:{p.line}:{p.column}: {_message(p)} ({p.rule})"))
        if problems:
            echo(_summary(problems))


def _message(problem: Any) -> str:
    """The message with what to do when --fix cannot do it ("did you mean 'authors'?",
    "rename it: git mv ..."): CI logs and piped output need it most. Fixable findings are
    counted in the summary line instead, and the line still ends in ``(rule)``. A message
    quoting a value of megabytes is cut in its middle (JSON keeps it whole)."""
    if problem.fix_hint and problem.fix is None:
        return elide(f"{problem.message}; {problem.fix_hint}", MESSAGE_SHOWN)
    return elide(problem.message, MESSAGE_SHOWN)


def annotated_path(path: str) -> str:
    """A finding's file as a GitHub annotation names it: relative to the repository's root
    ($GITHUB_WORKSPACE on Actions, else the working folder) when the file is under it, else
    absolute. A catalog found by walking up, or given as ``../catalog``, is named otherwise."""
    try:
        base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
        target = Path(os.path.abspath(path))
    except OSError:  # the working folder was removed: the path as found
        return Path(path).as_posix()
    # As given, then with links resolved (a working folder reached through a symbolic link).
    for file, root in ((target, Path(os.path.abspath(base))),
                       (target.resolve(), Path(base).resolve())):
        if file.is_relative_to(root):
            return file.relative_to(root).as_posix()
    return target.as_posix()


def _summary(problems: list) -> str:
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    fixable = sum(p.fix is not None for p in problems)
    text = f"{errors} error(s), {warnings} warning(s) in {files} file(s)"
    return text + (f"; {fixable} fixable with --fix" if fixable else "")


def _render_terminal(problems: list) -> None:
    from rich.markup import escape as escape_markup

    def escape(text: str) -> str:
        return escape_markup(printable(text))

    out = console()
    current = None
    for p in problems:
        if p.path != current:
            if current is not None:
                out.print()
            out.print(f"[bold underline]{escape(p.path)}[/]", soft_wrap=True)
            current = p.path
        colour = "red" if p.level == "error" else "yellow"
        hint = f"  [dim]({escape(elide(p.fix_hint, MESSAGE_SHOWN))})[/]" if p.fix_hint else ""
        message = escape(elide(p.message, MESSAGE_SHOWN))
        out.print(f"  {escape(p.path)}:{p.line}:{p.column}: [{colour}]{message}[/] "
                  f"[dim]({p.rule})[/]{hint}", soft_wrap=True)
    if problems:
        out.print()
        out.print(f"[bold]{_summary(problems)}[/]")
    else:
        out.print("[green]no problems[/]")


def _list_rules(fmt: str) -> None:
    from deepphen.lint.rules import all_rules

    rules = list(all_rules().values())
    if fmt == "md":
        from deepphen.lint.docs import rules_markdown

        typer.echo(rules_markdown(), nl=False)
    elif fmt == "json":
        print_json([{"id": r.id, "name": r.name, "level": r.level, "fixable": r.fixable,
                     "description": r.description} for r in rules])
    elif fmt == "text":
        print_table("Lint rules", ["id", "name", "level", "fix", "description"],
                    [(r.id, r.name, r.level, "fix" if r.fixable else "", r.description)
                     for r in rules])
    else:
        raise usage_error(f"unknown format {fmt!r} for --list-rules; choose text, json or md")

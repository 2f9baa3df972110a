"""DP1xx: the paper files themselves: syntax, keys, fields, names and folders."""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from deepphen import ids
from deepphen.catalog import PAPER_FORM_HINT
from deepphen.errors import did_you_mean, unknown_name_hint
from deepphen.lint.context import Context, PaperFile
from deepphen.lint.registry import RULES, Flag, rule
from deepphen.lint.rules.common import is_arxiv_id
from deepphen.models import PAPER_FIELDS, REQUIRED_FIELDS
from deepphen.printable import shell_word


@rule("DP101", "toml-syntax", "error", "A paper file is valid UTF-8 TOML.", needs_paper=False)
def toml_syntax(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The file must parse; the other files are still checked when one does not.

    Bad:  ``title = "Grokking`` (unterminated string)
    Good: ``title = "Grokking"``
    """
    if f.parse_error is not None:
        # The reader's hint ("save the file as UTF-8", "write it as a string") is the fix.
        yield Flag(f.parse_error.message, line=f.parse_error.line or 1,
                   column=f.parse_error.column, hint=f.parse_error.hint)


@rule("DP102", "unknown-key", "error", "Every key of a paper file is a known field.",
      needs_paper=False)
def unknown_key(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A misspelt key is kept but ignored by every command, so its value is silently lost.
    So is a link table's key other than ``label`` and ``url``.

    Bad:  ``keyword = ["Grokking"]``
    Good: ``keywords = ["Grokking"]``
    """
    for key in f.keys:
        if key not in PAPER_FIELDS:
            hint = unknown_name_hint(key, PAPER_FIELDS)
            yield Flag(f"unknown key {key!r}", field=key, hint=hint)
    for i, link in enumerate(f.paper.links if f.paper is not None else []):
        for key in link.extra:  # kept by every rewrite, but no command reads it
            yield Flag(f"unknown key {key!r} in links[{i}]", field="links", index=i,
                       hint="a link has a label and a url; say more in the digest")


@rule("DP103", "required-field", "error", "A paper has a title, a year and a section.",
      needs_paper=False)
def required_field(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Without them the paper cannot be placed on the page.

    Bad:  a file with ``title`` and ``section`` but no ``year``
    Good: ``title = "..."``, ``year = 2022``, ``section = "others"``
    """
    if f.data is not None:
        for name in REQUIRED_FIELDS:
            if name not in f.data:
                yield Flag(f"missing required field '{name}'", line=1)


@rule("DP104", "field-type", "error", "Every field has the type the format defines.",
      needs_paper=False)
def field_type(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Types are those of docs/catalog-format.md; every field at fault is reported at once.

    Bad:  ``year = "2022"``
    Good: ``year = 2022``
    """
    for err in f.field_errors:
        if not (err.field in REQUIRED_FIELDS and f.data is not None
                and err.field not in f.data):  # missing: DP103's
            yield Flag(str(err), field=err.field, index=err.index, hint=PAPER_FORM_HINT)


@rule("DP105", "file-name", "error", "A paper file is named after its key: arXiv id or slug.")
def file_name(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """An arXiv paper's file is its file-safe id; a paper without one is its title's slug
    (first six words), with ``-2``, ``-3`` ... when two titles share a slug. The slug that
    deepphen 0.2 and earlier gave (``don-t-...`` for "Don't ...") is accepted too.

    Bad:  ``others/grokking.toml`` holding ``arxiv = "2201.02177"``
    Good: ``others/2201.02177.toml``; ``others/ai-models-collapse-when-trained-on.toml``
    """
    paper = f.paper
    stem = f.path.stem
    if paper.arxiv and is_arxiv_id(paper.arxiv):
        expected = ids.key_for_id(paper.arxiv)
        if stem != expected:
            target = f"{f.folder}/{expected}.toml"
            # A rename onto a file that is there would overwrite a paper (git mv refuses).
            hint = (f"{shell_word((ctx.root / target).as_posix())} exists: if it holds the "
                    "same paper, keep one of the two" if _taken(ctx, target)
                    else f"rename it: {_git_mv(ctx, f, target)}")
            yield Flag(f"file name '{stem}.toml' does not match arXiv id {paper.arxiv}",
                       field="arxiv", hint=hint)
    elif not paper.arxiv and ids.id_for_key(stem):
        yield Flag(f"file name '{stem}.toml' is an arXiv id but the paper has no arxiv field",
                   line=1, hint=f"add arxiv = \"{ids.id_for_key(stem)}\" or rename the file")
    elif not paper.arxiv:
        slug = ids.slugify(paper.title)
        # A name given by deepphen 0.2 or earlier ("don-t-..." for "Don't ...") stays valid.
        if not any(stem == s or re.fullmatch(rf"{re.escape(s)}-\d+", stem)
                   for s in (slug, ids.legacy_slug(paper.title))):
            # The slug, else the first "-N" free: the hint must not name another paper's file.
            names = (f"{f.folder}/{slug}{'' if n == 1 else f'-{n}'}.toml"
                     for n in itertools.count(1))
            # Nor another section's file's: a key is the catalog's (DP307).
            free = next(name for name in names
                        if not _taken(ctx, name) and PurePosixPath(name).stem not in _keys(ctx))
            _names(ctx).add(free)  # a twin of the same slug is offered the next one
            _keys(ctx).add(PurePosixPath(free).stem)
            yield Flag(f"file name '{stem}.toml' does not match the title's slug '{slug}'",
                       field="title", hint=f"rename it: {_git_mv(ctx, f, free)}")


def _names(ctx: Context) -> set[str]:
    """The catalog's paper files, and the names DP105's hints have offered so far."""
    return ctx.memo("DP105 names", lambda: {g.rel for g in ctx.files})


def _taken(ctx: Context, rel: str) -> bool:
    """Whether a file of the catalog (or anything else) is at ``rel``, or a hint offered it."""
    return rel in _names(ctx) or os.path.lexists(ctx.root / rel)


def _keys(ctx: Context) -> set[str]:
    """The keys (file names without '.toml') of ``_names``: of the catalog's files and hints."""
    return ctx.memo("DP105 keys", lambda: {PurePosixPath(rel).stem for rel in _names(ctx)})


def _git_mv(ctx: Context, f: PaperFile, to: str) -> str:
    """The command that moves ``f`` to ``to`` (relative to the catalog), with the paths as
    findings show them: the catalog's own, which work from the folder lint ran in."""
    return f"git mv {shell_word((ctx.root / f.rel).as_posix())} " \
           f"{shell_word((ctx.root / to).as_posix())}"


@rule("DP106", "file-folder", "error", "A paper file sits in the folder of its section.")
def file_folder(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Sections are folders; the ``section`` field and the folder must agree.

    Bad:  ``others/2201.02177.toml`` with ``section = "neural-collapse"``
    Good: ``neural-collapse/2201.02177.toml`` with ``section = "neural-collapse"``
    """
    section = f.paper.section
    if section != f.folder:
        # Only a known section is somewhere to move to ("../../tmp" is a path out of the
        # catalog) or a value to set (a folder named "odd\\" is no section, nor TOML as is).
        slugs = {s.slug for s in ctx.settings.sections}
        ways = ([f"move it: {_git_mv(ctx, f, f'{section}/{f.path.name}')}"] if section in slugs
                else []) + ([f"set section = {json.dumps(f.folder)}"] if f.folder in slugs
                            else [])
        yield Flag(f"section '{section}' but the file is in folder '{f.folder}'",
                   field="section", hint=", or ".join(ways) or "set section to the slug of "
                   "one of catalog.toml's sections, and move the file into that folder")


@rule("DP107", "ignore-entry", "error",
      "Each [ignore] entry names a rule and gives a reason.", needs_paper=False)
def ignore_entry(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A silenced rule must say why, so that a later reader can judge it.

    Bad:  ``[ignore]`` / ``DP305 = ""``
    Good: ``[ignore]`` / ``DP305 = "the journal version has its own entry on purpose"``
    """
    table = f.ignore_table
    if not isinstance(table, dict):
        return
    for key, reason in table.items():
        if key not in RULES:
            names = {r.name: r.id for r in RULES.values()}
            hint = (f"use the id {names[key]}" if key in names
                    else did_you_mean(key, RULES) or "see 'deepphen lint --list-rules'")
            yield Flag(f"[ignore] names unknown rule {key!r}", field=key, hint=hint)
        elif isinstance(reason, str) and not reason.strip():
            yield Flag(f"[ignore] {key} needs a reason", field=key,
                       hint=f'{key} = "why this paper is an exception"')


@rule("DP108", "paper-file-kind", "error",
      "Each '.toml' name in a section folder is a paper file: a regular file, or a link to "
      "one, named in lower-case '.toml'.", scope="catalog")
def paper_file_kind(ctx: Context) -> Iterator[Flag]:
    """Commands read regular files ending in '.toml' only (a named pipe would hang them), so
    anything else named like a paper (a folder, a pipe, a broken link, ``.TOML``) is
    silently left out of every page, export and search.

    Bad:  ``others/2201.02177.toml/`` (a folder), a named pipe or a broken link of that
          name, or ``others/2201.02177.TOML``
    Good: ``others/2201.02177.toml``, a file
    """
    import os
    import stat

    from deepphen.fsutil import file_kind

    for section in sorted(ctx.root.iterdir()):
        if section.name.startswith(".") or section.is_symlink() or not section.is_dir():
            continue
        for entry in sorted(section.iterdir()):
            if entry.suffix.lower() != ".toml":
                continue
            name = f"{section.name}/{entry.name}"
            try:
                mode = os.stat(entry).st_mode
            except FileNotFoundError:
                if entry.is_symlink():
                    yield Flag(f"{name} is a symbolic link to a file that does not exist; no "
                               "command reads it", path=entry, line=1,
                               hint="mend the link, or remove it")
                continue
            except OSError:
                continue  # a looping link: every command refuses the catalog (cache.scan)
            if not stat.S_ISREG(mode):
                yield Flag(f"{name} is {file_kind(mode)}, not a paper file; no command reads "
                           "it", path=entry, line=1,
                           hint="move the paper file it holds here, or rename it")
            elif entry.suffix != ".toml":
                lower = (ctx.root / section.name / f"{entry.stem}.toml").as_posix()
                yield Flag(f"{name} ends in {entry.suffix!r}, not '.toml'; no command reads it",
                           path=entry, line=1, hint=f"rename it: git mv "
                           f"{shell_word(entry.as_posix())} {shell_word(lower)}")

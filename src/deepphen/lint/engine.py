"""The lint engine: configure, run the rules, apply the fixes (all or nothing per file).

``load_context`` reads the settings, their ``[lint]`` table (deepphen.lint.config) and every
paper file into a ``Context``; ``check`` runs the enabled rules (deepphen.lint.rules) on it,
turns each ``Flag`` into a ``Finding`` located in its file and drops what a paper file silences
with ``[ignore] DPxxx = "reason"``; ``fix`` applies the safe fixes under the catalog lock
until nothing changes, and reports each as an ``AppliedFix``.

Lint works on the raw files: each paper file is read and validated on its own, so a file
that does not parse is one finding and every other file is still checked.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deepphen import catalog
from deepphen.comments import HasComment, comment_problem
from deepphen.errors import CatalogError, DeepphenError, did_you_mean
from deepphen.fsutil import os_error
from deepphen.lint.config import LintConfig
from deepphen.lint.context import Context, PaperFile, locate, read_file, relative_path
from deepphen.lint.registry import Finding, Fix, Flag, Rule
from deepphen.lint.rules import all_rules
from deepphen.models import FieldError, Paper


def load_context(root: Path) -> Context:
    """Read the settings (unreadable settings raise, exit 2) and every paper file.

    The parsed-catalog cache (deepphen.cache) checks each file's size, mtime and inode, so
    unchanged valid files need no parsing; when any file is invalid, every file is read and
    validated on its own instead, so each finding is reported and the others still checked.
    """
    root = Path(root)
    settings = catalog.load_settings(root)
    config = LintConfig.from_settings(settings.lint, all_rules(), root / catalog.SETTINGS_FILE)
    try:
        papers = catalog.load_papers(root)
    except CatalogError:
        files = [read_file(Path(path), root) for path in catalog.paper_files(root)]
    else:
        files = [PaperFile(p.path if isinstance(p.path, Path) else Path(p.path),  # type: ignore[arg-type]
                           relative_path(p.path, root), paper=p) for p in papers]
    return Context(root, settings, files, config)


def _display(root: Path, rel: str) -> str:
    return (root / rel).as_posix()


def _finding(ctx: Context, rule_obj: Rule, flag: Flag, file: PaperFile | None) -> Finding | None:
    if file is not None:
        if rule_obj.id in file.ignores:
            return None
        if flag.line is not None:
            line, col = flag.line, flag.column or 1
        else:
            line, col = file.locate(flag.field, flag.needle, flag.index)
        path = _display(ctx.root, file.rel)
    else:
        target = flag.path or ctx.root / catalog.SETTINGS_FILE
        if flag.line is not None:
            line, col = flag.line, 1
        elif target == ctx.root / catalog.SETTINGS_FILE:
            line, col = locate(ctx.settings_lines, flag.field, flag.needle, flag.index)
        else:
            line, col = 1, 1
        try:
            path = _display(ctx.root, target.relative_to(ctx.root).as_posix())
        except ValueError:
            path = target.as_posix()
    fix = flag.fix
    refusal = _refusal(ctx, file) if fix is not None and fix.edit and file else None
    if refusal is not None:  # lint said "fixable with --fix", which then left it alone
        why = ("a comment in the file keeps 'deepphen lint --fix' off it"
               if isinstance(refusal, HasComment)
               else f"'deepphen lint --fix' does not write it: {refusal}")
        hint, fix = f"fix it by hand ({fix.description}): {why}", None
    else:
        hint = flag.hint or (fix.todo if fix else None)
    return Finding(path, line, col, rule_obj.id, ctx.config.level(rule_obj), flag.message, hint,
                   fix, refusal)


def _refusal(ctx: Context, file: PaperFile) -> CatalogError | None:
    """Why --fix leaves this paper file as it is, or None; asked once per file, of files
    with a fix only: a comment rewriting it would drop, a section folder that is a symbolic
    link, a link to no paper file (catalog.written_paper_file)."""
    def ask() -> CatalogError | None:
        try:
            problem = comment_problem(file.path, catalog.read_text(file.path), "not fixed",
                                      NOT_FIXED_HINT)
            catalog.written_paper_file(ctx.root, file.path)
        except CatalogError as exc:
            return exc
        return problem

    return ctx.memo(f"refusal:{file.rel}", ask)


NOT_FIXED_HINT = "fix it by hand, or remove the comment and run 'deepphen lint --fix' again"


def check(ctx: Context, select: Iterable[str] | None = None) -> list[Finding]:
    """Run the enabled rules (or only ``select``) on a loaded context; sorted findings."""
    rules = [r for r in all_rules().values() if ctx.config.enabled(r)]
    if select is not None:
        wanted = set(select)
        rules = [r for r in rules if r.id in wanted or r.name in wanted]
    findings: list[Finding] = []
    for rule_obj in rules:
        if rule_obj.scope == "file":
            for file in ctx.files:
                if rule_obj.needs_paper and file.paper is None:
                    continue
                for flag in rule_obj.check(file, ctx):
                    finding = _finding(ctx, rule_obj, flag, file)
                    if finding:
                        findings.append(finding)
        else:
            for flag in rule_obj.check(ctx):
                finding = _finding(ctx, rule_obj, flag, flag.file)
                if finding:
                    findings.append(finding)
    findings.sort(key=lambda p: (p.path, p.line, p.column, p.rule, p.message))
    return findings


def run(root: Path, select: Iterable[str] | None = None) -> list[Finding]:
    """Lint the catalog in ``root``; the findings found, sorted by file and line."""
    return check(load_context(root), select)


def validate_select(names: Iterable[str]) -> list[str]:
    """Check ``--rule`` values against the registry (DeepphenError on unknown ones)."""
    rules = all_rules()
    known = set(rules) | {r.name for r in rules.values()}
    for name in names:
        if name not in known:
            raise DeepphenError(f"unknown rule {name!r}",
                                hint=did_you_mean(name, known) or "see --list-rules")
    return list(names)


# ---------------------------------------------------------------------------------------
# Fixing


@dataclass(frozen=True, slots=True)
class AppliedFix:
    """A fix that was applied: the file and what changed."""

    path: str
    rule: str
    description: str

    def __str__(self) -> str:
        return f"{self.path}: fixed: {self.description} ({self.rule})"


MAX_FIX_PASSES = 10  # fixes enabling others settle in two or three


def fix(root: Path, select: Iterable[str] | None = None
        ) -> tuple[list[AppliedFix], list[Finding], list[CatalogError]]:
    """Apply every safe fix, under the catalog lock, until nothing changes.

    Returns the changes made, the findings that remain, and why each paper file with a fix
    was left as it is (a comment rewriting it would drop, a linked section folder: its
    findings remain, each saying to fix it by hand).
    Each pass re-reads the files, so fixes that enable others (a canonical link that now
    duplicates another) settle, and a second call finds nothing to do.
    """
    from deepphen.fsutil import catalog_lock, private_dir, transaction

    root = Path(root)
    select = list(select) if select is not None else None
    changes: list[AppliedFix] = []
    kept: dict[Path, CatalogError] = {}
    # One journal over every pass: a refusal, a full disk or a signal part-way puts every
    # file, the page included, back as it was.
    with catalog_lock(root), transaction(private_dir(root)) as journal:
        for _ in range(MAX_FIX_PASSES):
            findings = run(root, select)
            kept.update((Path(p.path), p.refusal) for p in findings if p.refusal is not None)
            fixable = [p for p in findings if p.fix is not None]
            # A whole file written from the catalog (the page) is computed from the files as
            # read: it waits for a pass that edits no paper, so it is written, and reported,
            # once and from the fixed catalog.
            applied = _apply(root, [p for p in fixable if p.fix.write is None], journal,
                             kept) or _apply(root, fixable, journal, kept)
            if not applied:
                return changes, findings, list(kept.values())
            changes.extend(applied)
        # Passes ran out with papers still changing: the page is written all the same, from
        # the catalog as fixed so far, or --fix left it stale (DP501) as it ended.
        findings = run(root, select)
        changes.extend(_apply(root, [p for p in findings if p.fix is not None
                                     and p.fix.write is not None], journal, kept))
    return changes, _unsettled(run(root, select), kept), list(kept.values())


def _unsettled(findings: list[Finding], kept: dict[Path, CatalogError]) -> list[Finding]:
    """The findings after passes ran out with fixes still changing files (two fixes undoing
    each other, a defect): none is "fixable with --fix", which would only go round again,
    and each file is named as left unsettled."""
    import dataclasses

    out = []
    for p in findings:
        if p.fix is not None:
            kept.setdefault(Path(p.path), CatalogError(
                f"its fixes did not settle in {MAX_FIX_PASSES} passes (one undoes another)",
                path=Path(p.path), hint="fix it by hand, and report it to deepphen"))
            p = dataclasses.replace(p, fix=None, fix_hint=f"fix it by hand ({p.fix.description})"
                                    ": 'deepphen lint --fix' did not settle")
        out.append(p)
    return out


def _apply(root: Path, findings: list[Finding], journal: Any,
           kept: dict[Path, CatalogError]) -> list[AppliedFix]:
    changes: list[AppliedFix] = []
    by_path: dict[Path, list[tuple[Finding, Fix]]] = {}
    for finding in findings:
        if finding.fix is not None:
            target = finding.fix.target or Path(finding.path)
            by_path.setdefault(target, []).append((finding, finding.fix))
    for path, group in by_path.items():
        if not catalog.inside(root, path):
            raise CatalogError("outside the catalog folder; refusing to write it", path=path)
        changed = "it changed while 'deepphen lint --fix' ran; run it again"
        try:  # it was read when linted: it changed since
            old = path.read_text(encoding="utf-8") if path.is_file() else None
        except OSError as exc:
            raise os_error("read", exc, path, hint=changed, kind=CatalogError) from exc
        except UnicodeDecodeError as exc:
            raise CatalogError("cannot read: not UTF-8 text", path=path, hint=changed) from exc
        new = old
        edits = [fix for _, fix in group if fix.edit is not None]
        done = []  # the fixes that changed something: one may undo the need for another
        if edits and old is not None:
            problem = comment_problem(path, old, "not fixed", NOT_FIXED_HINT)
            if problem is not None:  # one written meanwhile (lint withholds the fix else)
                kept[path] = problem
                continue
            data = catalog.read_toml(path)
            for finding, fix in group:
                if fix.edit is not None:
                    before = copy.deepcopy(data)
                    fix.edit(data)
                    if data != before:
                        done.append((finding, fix))
            new = _paper_text(data, path)
        for finding, fix in group:
            if fix.write is not None:
                new = fix.write()
                done.append((finding, fix))
        if new is None or new == old:
            continue
        # A paper file: never through a linked section folder; through a link to one.
        written = catalog.written_paper_file(root, path) if edits else path
        journal.remember(written)
        # A paper file keeps its line ends and byte-order mark; a page is export's bytes.
        (catalog.rewrite_file if edits else catalog.write_file)(root, written, new)
        changes.extend(AppliedFix(path.as_posix(), f.rule, fix.description)
                       for f, fix in done or group)
    return changes


def _paper_text(data: dict[str, Any], path: Path) -> str:
    """The file's text after edits: the stable layout when the table is a valid paper."""
    try:
        return catalog.paper_to_toml(Paper.from_dict(data, key=path.stem, path=path))
    except FieldError:
        import tomli_w

        return tomli_w.dumps(data)

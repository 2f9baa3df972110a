"""The lint engine: Problem, the rule registry, configuration, run and fix.

A rule is a small function registered with ``@rule``. It receives one ``PaperFile`` (scope
``"file"``) or the whole ``Context`` (scope ``"catalog"``) and yields ``Hit``s; the engine
turns each hit into a ``Problem`` with the rule's id and configured level, locates it in the
file, and drops what a paper file silences with ``[ignore] DPxxx = "reason"``.

Lint works on the raw files: each paper file is read and validated on its own, so a file
that does not parse is one finding and every other file is still checked.
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from deepphen import catalog, ids, vocab
from deepphen.errors import CatalogError, DeepphenError
from deepphen.models import FieldError, Paper, Settings

LEVELS = ("error", "warning")
GITHUB_README_LIMIT_KB = 512  # GitHub stops rendering a README above 512 KB


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe change: ``edit`` mutates the paper file's TOML table, or ``write`` gives the
    whole new text of the file ``target``."""

    description: str
    edit: Callable[[dict[str, Any]], None] | None = None
    write: Callable[[], str] | None = None
    target: Path | None = None


@dataclass(slots=True)
class Hit:
    """What a rule reports; the engine adds rule id, level and the location in the file.

    ``field`` and ``needle`` locate the hit in a paper file (the key, then the text after
    it); ``line`` overrides them. Catalog-scope rules set ``file`` (a PaperFile) or ``path``.
    """

    message: str
    field: str | None = None
    needle: str | None = None
    line: int | None = None
    column: int | None = None  # with ``line``; 1 when not given
    fix: Fix | None = None
    hint: str | None = None
    file: PaperFile | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. Its text form is ``path:line:col: message (rule)``."""

    path: str
    line: int
    column: int
    rule: str
    level: str
    message: str
    fix_hint: str | None = None
    fix: Fix | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} ({self.rule})"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "rule": self.rule,
                "level": self.level, "message": self.message, "hint": self.fix_hint}


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule; ``doc`` is the check's docstring (with a bad and a good example)."""

    id: str
    name: str
    level: str
    description: str
    check: Callable[..., Iterable[Hit]]
    scope: str
    fixable: bool
    needs_paper: bool

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")


RULES: dict[str, Rule] = {}
_RULE_ID = re.compile(r"^DP[1-6]\d\d$")


def rule(rule_id: str, name: str, level: str, description: str, *, scope: str = "file",
         fixable: bool = False, needs_paper: bool = True) -> Callable[[Callable], Callable]:
    """Register a check function as a lint rule."""
    if not _RULE_ID.match(rule_id) or level not in LEVELS or scope not in ("file", "catalog"):
        raise ValueError(f"bad rule registration {rule_id} {level} {scope}")

    def register(func: Callable) -> Callable:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        if not func.__doc__ or "Bad:" not in func.__doc__ or "Good:" not in func.__doc__:
            raise ValueError(f"rule {rule_id} needs a docstring with Bad: and Good: examples")
        RULES[rule_id] = Rule(rule_id, name, level, description, func, scope, fixable,
                              needs_paper)
        return func

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, by id in order (importing the rule modules registers them)."""
    from deepphen.lint import (  # noqa: F401
        rules_config,
        rules_files,
        rules_links,
        rules_page,
        rules_placement,
        rules_text,
    )

    return dict(sorted(RULES.items()))


# ---------------------------------------------------------------------------------------
# Configuration: catalog.toml [lint]


@dataclass(slots=True)
class LintConfig:
    """``[lint]`` of catalog.toml: ``select = [...]`` (only these rules), ``disable = [...]``
    (rule ids or names), ``[lint.level] ID = level``, ``page_limit_kb`` (the page size limit,
    GitHub's 512 KB by default)."""

    selected: set[str] | None = None
    disabled: set[str] = field(default_factory=set)
    levels: dict[str, str] = field(default_factory=dict)
    page_limit_kb: int = GITHUB_README_LIMIT_KB

    @classmethod
    def from_settings(cls, table: dict[str, Any], path: Path | None = None) -> LintConfig:
        """Validate the ``[lint]`` table; anything wrong is a DeepphenError (exit 2)."""
        rules = all_rules()
        by_name = {r.name: r.id for r in rules.values()}

        def rule_id(value: Any, where: str) -> str:
            if isinstance(value, str) and value in rules:
                return value
            if isinstance(value, str) and value in by_name:
                return by_name[value]
            raise DeepphenError(f"[lint] {where}: unknown rule {value!r}", path=path,
                                hint=did_you_mean(str(value), [*rules, *by_name])
                                or "see 'deepphen lint --list-rules'")

        config = cls()
        for key, value in table.items():
            if key in ("select", "disable"):
                if not isinstance(value, list):
                    raise DeepphenError(f"[lint] {key} must be a list of rule ids or names",
                                        path=path)
                chosen = {rule_id(v, key) for v in value}
                if key == "select":
                    config.selected = chosen
                else:
                    config.disabled = chosen
            elif key == "level":
                if not isinstance(value, dict):
                    raise DeepphenError("[lint.level] must be a table of rule = level", path=path)
                for name, level in value.items():
                    if level not in LEVELS:
                        raise DeepphenError(f"[lint.level] {name}: level must be 'error' or "
                                            f"'warning', not {level!r}", path=path)
                    config.levels[rule_id(name, "level")] = level
            elif key == "page_limit_kb":
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise DeepphenError("[lint] page_limit_kb must be a positive integer",
                                        path=path)
                config.page_limit_kb = value
            else:
                raise DeepphenError(f"[lint] unknown setting {key!r}", path=path,
                                    hint=did_you_mean(key, _SETTINGS)
                                    or f"known: {', '.join(_SETTINGS)}")
        return config

    def enabled(self, rule_obj: Rule) -> bool:
        return rule_obj.id not in self.disabled and (
            self.selected is None or rule_obj.id in self.selected)

    def level(self, rule_obj: Rule) -> str:
        return self.levels.get(rule_obj.id, rule_obj.level)


_SETTINGS = ("select", "disable", "level", "page_limit_kb")


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like ``word`` (difflib ratio at least ``cutoff``), or None."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint, or None when nothing is close."""
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close else None


# ---------------------------------------------------------------------------------------
# The files and the context rules look at


@dataclass
class PaperFile:
    """One paper file as found on disk: its table and Paper when they could be read."""

    path: Path
    rel: str  # path relative to the catalog folder, with '/'
    data: dict[str, Any] | None = None  # the raw table, when the file was parsed here
    paper: Paper | None = None
    parse_error: CatalogError | None = None  # not UTF-8 or not TOML
    field_error: FieldError | None = None  # TOML, but a field is missing or mistyped

    @property
    def folder(self) -> str:
        return self.path.parent.name

    @cached_property
    def lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    @property
    def keys(self) -> list[str]:
        """The file's top-level keys (those of a valid paper are its fields and extras)."""
        if self.data is not None:
            return list(self.data)
        return list(self.paper.to_dict()) if self.paper else []

    @property
    def ignore_table(self) -> Any:
        """The file's ``[ignore]`` table as written (may be mistyped when the file is invalid)."""
        if self.paper is not None:
            return self.paper.ignore
        return self.data.get("ignore") if self.data else None

    @property
    def ignores(self) -> dict[str, str]:
        """Rules this file silences with a non-empty reason."""
        table = self.ignore_table
        if not isinstance(table, dict):
            return {}
        return {k: v for k, v in table.items() if isinstance(v, str) and v.strip()}

    def locate(self, field_name: str | None, needle: str | None = None) -> tuple[int, int]:
        """(line, column) of a key in the file and, when given, of ``needle`` after it."""
        return locate(self.lines, field_name, needle)


def locate(lines: list[str], field_name: str | None, needle: str | None = None
           ) -> tuple[int, int]:
    """(line, column), 1-based, of a TOML key and, when given, of ``needle`` after it."""
    start = 0
    if field_name:
        pattern = re.compile(
            rf"^\s*(?:{re.escape(field_name)}\s*=|\[\[?\s*{re.escape(field_name)}\s*\]?\])")
        for i, text in enumerate(lines):
            if pattern.match(text):
                start = i
                break
        else:
            return (1, 1)
    if needle:
        forms = [json.dumps(needle, ensure_ascii=False)[1:-1], needle]
        for i in range(start, len(lines)):
            for form in forms:
                col = lines[i].find(form) if form else -1
                if col >= 0:
                    return (i + 1, col + 1)
    if field_name and lines:
        return (start + 1, len(lines[start]) - len(lines[start].lstrip()) + 1)
    return (1, 1)


def read_file(path: Path, root: Path) -> PaperFile:
    """Read and validate one paper file, keeping whatever could be read."""
    rel = _relative(path, root)
    try:
        data = catalog.read_toml(path)
    except CatalogError as exc:
        return PaperFile(path, rel, parse_error=exc)
    try:
        paper = Paper.from_dict(data, key=path.stem, path=path)
    except FieldError as exc:
        return PaperFile(path, rel, data=data, field_error=exc)
    return PaperFile(path, rel, data=data, paper=paper)


@dataclass
class Context:
    """The catalog being linted; derived data is computed once, on first use."""

    root: Path
    settings: Settings
    files: list[PaperFile]
    config: LintConfig

    @cached_property
    def papers(self) -> list[Paper]:
        return [f.paper for f in self.files if f.paper is not None]

    @cached_property
    def vocabulary(self) -> Any:
        from deepphen.vocab import Vocabulary

        return Vocabulary.from_papers(self.papers)

    @cached_property
    def canonical_keywords(self) -> dict[str, str]:
        """Each key-word spelling in use -> the canonical spelling of its group."""
        vocab = self.vocabulary
        return {spelling: vocab.canonical(spelling) for spelling in vocab.counts}

    @cached_property
    def folded_titles(self) -> dict[int, str]:
        """vocab.fold of each valid file's title, by index in ``files``."""
        from deepphen.vocab import fold

        return {i: fold(f.paper.title) for i, f in enumerate(self.files) if f.paper is not None}

    @property
    def all_valid(self) -> bool:
        return all(f.paper is not None for f in self.files)

    @cached_property
    def settings_lines(self) -> list[str]:
        path = self.root / catalog.SETTINGS_FILE
        return path.read_text(encoding="utf-8").splitlines()

    @cached_property
    def page(self) -> str | None:
        """A fresh markdown export of the catalog; None when no markdown exporter exists."""
        from deepphen.export import exporter

        try:
            render = exporter("md")
        except (ImportError, AttributeError):
            return None
        return render(self.papers, self.settings)


def load_context(root: Path) -> Context:
    """Read the settings (unreadable settings raise, exit 2) and every paper file.

    The parsed-catalog cache (deepphen.cache) checks each file's size, mtime and inode, so
    unchanged valid files need no parsing; when any file is invalid, every file is read and
    validated on its own instead, so each problem is reported and the others still checked.
    """
    root = Path(root)
    settings = catalog.load_settings(root)
    config = LintConfig.from_settings(settings.lint, root / catalog.SETTINGS_FILE)
    try:
        papers = catalog.load_papers(root)
    except CatalogError:
        files = [read_file(Path(path), root) for path in catalog.paper_files(root)]
    else:
        files = [PaperFile(p.path if isinstance(p.path, Path) else Path(p.path),  # type: ignore[arg-type]
                           _relative(p.path, root), paper=p) for p in papers]
    return Context(root, settings, files, config)


def _relative(path: str | Path, root: Path) -> str:
    """``path`` relative to ``root`` with '/', cheaply (this runs once per paper file)."""
    text, base = os.fspath(path), os.fspath(root) + os.sep
    if text.startswith(base):
        return text[len(base):].replace(os.sep, "/")
    return Path(os.path.relpath(text, root)).as_posix()


# ---------------------------------------------------------------------------------------
# Running


def _display(root: Path, rel: str) -> str:
    return (root / rel).as_posix()


def _problem(ctx: Context, rule_obj: Rule, hit: Hit, file: PaperFile | None) -> Problem | None:
    if file is not None:
        if rule_obj.id in file.ignores:
            return None
        if hit.line is not None:
            line, col = hit.line, hit.column or 1
        else:
            line, col = file.locate(hit.field, hit.needle)
        path = _display(ctx.root, file.rel)
    else:
        target = hit.path or ctx.root / catalog.SETTINGS_FILE
        if hit.line is not None:
            line, col = hit.line, 1
        elif target == ctx.root / catalog.SETTINGS_FILE:
            line, col = locate(ctx.settings_lines, hit.field, hit.needle)
        else:
            line, col = 1, 1
        try:
            path = _display(ctx.root, target.relative_to(ctx.root).as_posix())
        except ValueError:
            path = target.as_posix()
    hint = hit.hint or (hit.fix.description if hit.fix else None)
    return Problem(path, line, col, rule_obj.id, ctx.config.level(rule_obj), hit.message, hint,
                   hit.fix)


def check(ctx: Context, select: Iterable[str] | None = None) -> list[Problem]:
    """Run the enabled rules (or only ``select``) on a loaded context; sorted problems."""
    rules = [r for r in all_rules().values() if ctx.config.enabled(r)]
    if select is not None:
        wanted = set(select)
        rules = [r for r in rules if r.id in wanted or r.name in wanted]
    problems: list[Problem] = []
    for rule_obj in rules:
        if rule_obj.scope == "file":
            for file in ctx.files:
                if rule_obj.needs_paper and file.paper is None:
                    continue
                for hit in rule_obj.check(file, ctx):
                    problem = _problem(ctx, rule_obj, hit, file)
                    if problem:
                        problems.append(problem)
        else:
            for hit in rule_obj.check(ctx):
                problem = _problem(ctx, rule_obj, hit, hit.file)
                if problem:
                    problems.append(problem)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.rule, p.message))
    return problems


def run(root: Path, select: Iterable[str] | None = None) -> list[Problem]:
    """Lint the catalog in ``root``; the problems found, sorted by file and line."""
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
class Change:
    """A fix that was applied: the file and what changed."""

    path: str
    rule: str
    description: str

    def __str__(self) -> str:
        return f"{self.path}: fixed: {self.description} ({self.rule})"


MAX_FIX_PASSES = 5


def fix(root: Path, select: Iterable[str] | None = None) -> tuple[list[Change], list[Problem]]:
    """Apply every safe fix, under the catalog lock, until nothing changes.

    Returns the changes made and the problems that remain. Each pass re-reads the files, so
    fixes that enable others (a canonical link that now duplicates another) settle, and a
    second call finds nothing to do.
    """
    from deepphen.fsutil import catalog_lock

    root = Path(root)
    select = list(select) if select is not None else None
    changes: list[Change] = []
    with catalog_lock(root):
        for _ in range(MAX_FIX_PASSES):
            problems = run(root, select)
            applied = _apply(root, [p for p in problems if p.fix is not None])
            if not applied:
                return changes, problems
            changes.extend(applied)
    return changes, run(root, select)


def _apply(root: Path, problems: list[Problem]) -> list[Change]:
    from deepphen.fsutil import atomic_write_text

    changes: list[Change] = []
    by_path: dict[Path, list[tuple[Problem, Fix]]] = {}
    for problem in problems:
        if problem.fix is not None:
            target = problem.fix.target or Path(problem.path)
            by_path.setdefault(target, []).append((problem, problem.fix))
    for path, group in by_path.items():
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        new = old
        edits = [fix for _, fix in group if fix.edit is not None]
        done = []  # the fixes that changed something: one may undo the need for another
        if edits and old is not None:
            data = catalog.read_toml(path)
            for problem, fix in group:
                if fix.edit is not None:
                    before = copy.deepcopy(data)
                    fix.edit(data)
                    if data != before:
                        done.append((problem, fix))
            new = _paper_text(data, path)
        for problem, fix in group:
            if fix.write is not None:
                new = fix.write()
                done.append((problem, fix))
        if new is None or new == old:
            continue
        if edits:  # a paper file: never written through a linked section folder
            catalog.refuse_linked_folder(path)
        atomic_write_text(path, new)
        changes.extend(Change(path.as_posix(), p.rule, fix.description) for p, fix in done or group)
    return changes


def _paper_text(data: dict[str, Any], path: Path) -> str:
    """The file's text after edits: the stable layout when the table is a valid paper."""
    try:
        return catalog.paper_to_toml(Paper.from_dict(data, key=path.stem, path=path))
    except FieldError:
        import tomli_w

        return tomli_w.dumps(data)


# Rules ask the same questions of the same strings for every file; these answers are pure
# functions of their argument, so a lint run remembers them.
is_arxiv_id = functools.cache(ids.is_arxiv_id)
arxiv_id_from_url = functools.cache(ids.arxiv_id_from_url)
fold = functools.cache(vocab.fold)


def iter_links(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The well-formed link tables of a paper file's table."""
    for item in data.get("links") or []:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            yield item

"""The lint rule registry: ``Rule``, ``Flag``, ``Finding``, ``Fix`` and the ``@rule`` decorator.

A rule is a small function registered with ``@rule``. It receives one ``PaperFile`` (scope
``"file"``) or the whole ``Context`` (scope ``"catalog"``) and yields ``Flag``s; the engine
(deepphen.lint.engine) turns each flag into a ``Finding`` with the rule's id and configured
level, located in its file. This module is a leaf: rule families and the engine import it,
it imports neither. The families register themselves when deepphen.lint.rules is imported.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deepphen.lint.context import PaperFile

LEVELS = ("error", "warning")


# A fix's description says what --fix did ("regenerated README.md"); a finding not fixed yet
# says what to do instead, so each past-tense verb a description may start with is here.
_TO_DO = {"regenerated": "regenerate", "removed": "remove", "normalized": "normalize",
          "wrote": "write", "cleaned": "clean", "split": "split"}


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe change: ``edit`` mutates the paper file's TOML table, or ``write`` gives the
    whole new text of the file ``target``. ``description`` is what the applied fix did, in
    the past tense or as ``old -> new``."""

    description: str
    edit: Callable[[dict[str, Any]], None] | None = None
    write: Callable[[], str] | None = None
    target: Path | None = None

    def __post_init__(self) -> None:
        verb = self.description.split(" ", 1)[0]
        if verb.endswith("ed") and verb not in _TO_DO:  # a rule author's slip, found by tests
            raise ValueError(f"add {verb!r} to deepphen.lint.registry._TO_DO")

    @property
    def todo(self) -> str:
        """The hint of a finding this fix would mend: what to run and what it changes."""
        verb, _, rest = self.description.partition(" ")
        if verb in _TO_DO:
            return f"run 'deepphen lint --fix' to {_TO_DO[verb]} {rest}"
        return f"run 'deepphen lint --fix' ({self.description})"


@dataclass(slots=True)
class Flag:
    """What a rule flags; the engine adds rule id, level and the location in the file.

    ``field`` and ``needle`` locate the flag in a paper file (the key, then the text after
    it; ``index``: in the index-th table of an array ``field``); ``line`` overrides them.
    Catalog-scope rules set ``file`` (a PaperFile) or ``path``.
    """

    message: str
    field: str | None = None
    needle: str | None = None
    index: int | None = None
    line: int | None = None
    column: int | None = None  # with ``line``; 1 when not given
    fix: Fix | None = None
    hint: str | None = None
    file: PaperFile | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint finding. Its text form is ``path:line:col: message (rule)``."""

    path: str
    line: int
    column: int
    rule: str
    level: str
    message: str
    fix_hint: str | None = None
    fix: Fix | None = field(default=None, compare=False, repr=False)
    # Why --fix leaves this finding's file alone (a CatalogError: a comment, a linked
    # section folder), its fix withheld: the file --fix reports as left as it is.
    refusal: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} ({self.rule})"

    def to_dict(self) -> dict[str, Any]:
        """The finding as ``--format json`` writes it."""
        return {"path": self.path, "line": self.line, "column": self.column, "rule": self.rule,
                "level": self.level, "message": self.message, "hint": self.fix_hint}


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule; ``doc`` is the check's docstring (with a bad and a good example)."""

    id: str
    name: str
    level: str
    description: str
    check: Callable[..., Iterable[Flag]]
    scope: str
    fixable: bool
    needs_paper: bool

    @property
    def doc(self) -> str:
        """The check's docstring, dedented."""
        return inspect.cleandoc(self.check.__doc__ or "")


# Filled by @rule as the families in deepphen.lint.rules are imported; read it through
# deepphen.lint.rules.all_rules(), which imports them first.
RULES: dict[str, Rule] = {}
_RULE_ID = re.compile(r"^DP[1-6]\d\d\Z")


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

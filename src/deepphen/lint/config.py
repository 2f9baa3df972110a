"""The ``[lint]`` table of catalog.toml: which rules run, at which level, and the page limit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepphen.errors import DeepphenError, did_you_mean, unknown_name_hint
from deepphen.lint.registry import LEVELS, Rule

GITHUB_README_LIMIT_KB = 512  # GitHub stops rendering a README above 512 KB


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
    def from_settings(cls, table: dict[str, Any], rules: dict[str, Rule],
                      path: Path | None = None) -> LintConfig:
        """Validate the ``[lint]`` table against ``rules`` (every registered rule, by id);
        anything wrong is a DeepphenError (exit 2)."""
        by_name = {r.name: r.id for r in rules.values()}

        def error(message: str, *keys: str, hint: str | None = None) -> DeepphenError:
            return DeepphenError(message, path=path, line=_line(path, keys), hint=hint)

        def rule_id(value: Any, where: str, *keys: str) -> str:
            if isinstance(value, str) and value in rules:
                return value
            if isinstance(value, str) and value in by_name:
                return by_name[value]
            hint_text = (did_you_mean(str(value), [*rules, *by_name])
                           or "see 'deepphen lint --list-rules'")
            raise error(f"[lint] {where}: unknown rule {value!r}", *keys, hint=hint_text)

        config = cls()
        for key, value in table.items():
            if key in ("select", "disable"):
                if not isinstance(value, list):
                    raise error(f"[lint] {key} must be a list of rule ids or names", key)
                chosen = {rule_id(v, key, key) for v in value}
                if key == "select":
                    config.selected = chosen
                else:
                    config.disabled = chosen
            elif key == "level":
                if not isinstance(value, dict):
                    raise error("[lint.level] must be a table of rule = level", key)
                for name, level in value.items():
                    if level not in LEVELS:
                        raise error(f"[lint.level] {name}: level must be 'error' or "
                                    f"'warning', not {level!r}", key, name)
                    config.levels[rule_id(name, "level", key, name)] = level
            elif key == "page_limit_kb":
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise error("[lint] page_limit_kb must be a positive integer", key)
                config.page_limit_kb = value
            else:
                raise error(f"[lint] unknown setting {key!r}", key,
                            hint=unknown_name_hint(key, _SETTINGS))
        return config

    def enabled(self, rule_obj: Rule) -> bool:
        """True when the rule runs: selected (or no selection) and not disabled."""
        return rule_obj.id not in self.disabled and (
            self.selected is None or rule_obj.id in self.selected)

    def level(self, rule_obj: Rule) -> str:
        """The rule's level: as configured, else its own."""
        return self.levels.get(rule_obj.id, rule_obj.level)


_SETTINGS = ("select", "disable", "level", "page_limit_kb")


def _line(path: Path | None, keys: tuple[str, ...]) -> int | None:
    """The line of catalog.toml where ``[lint]``'s key ``keys`` (``("level", "DP101")``) is
    set, else the nearest enclosing table's; None when the file cannot be read."""
    if path is None:
        return None
    from deepphen.catalog import CatalogError, read_text
    from deepphen.printable import text_lines

    try:
        lines = text_lines(read_text(path))
    except CatalogError:
        return None
    for depth in range(len(keys), -1, -1):
        line = _key_line(lines, ("lint", *keys[:depth]))
        if line is not None:
            return line
    return None


def _key_line(lines: list[str], keys: tuple[str, ...]) -> int | None:
    """The first line setting the dotted key ``keys``: as a table header (``[lint.level]``),
    as a key in its parent table (``select = ...`` under ``[lint]``) or dotted from an outer
    table (``lint.select = ...``, ``level.DP101 = ...``)."""
    table: tuple[str, ...] = ()
    for number, text in enumerate(lines, 1):
        header = re.match(r"\s*\[\[?([^\[\]]*)\]", text)
        if header:
            table = tuple(_parts(header.group(1)))
            if table == keys:
                return number
            continue
        assigned = re.match(r"\s*([^=#\[]+?)\s*=", text)
        if assigned and (*table, *_parts(assigned.group(1))) == keys:
            return number
    return None


def _parts(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in dotted.split(".")]

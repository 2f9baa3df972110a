"""The ``[lint]`` table of catalog.toml: which rules run, at which level, and the page limit."""

from __future__ import annotations

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

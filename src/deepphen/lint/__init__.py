"""``deepphen lint``: the list's rules as registered checks (see engine.py)."""

from deepphen.lint.engine import Change, Problem, Rule, all_rules, fix, run

__all__ = ["Change", "Problem", "Rule", "all_rules", "fix", "run"]

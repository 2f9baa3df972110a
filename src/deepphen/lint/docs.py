"""docs/lint-rules.md, generated from the rule registry so the page cannot drift from it.

Regenerate with ``deepphen lint --list-rules --format md > docs/lint-rules.md``; a test
compares the committed page with ``rules_markdown()``.
"""

from __future__ import annotations

from deepphen.lint.registry import Rule
from deepphen.lint.rules import all_rules

THEMES = {"1": "Files", "2": "Ids and links", "3": "Placement and duplicates", "4": "Text",
          "5": "The generated page", "6": "Settings"}

_HEADER = """\
# Lint rules

`deepphen lint` checks the catalog against the rules below. This page is generated from the
rule registry (`deepphen lint --list-rules --format md > docs/lint-rules.md`); a test fails
when it is out of date.

Exit codes: 0 clean (warnings allowed unless `--strict`), 1 findings at error level,
2 usage error or unreadable settings. `deepphen lint --fix` applies the fixes marked "yes".

## Configuration

Rules are selected, disabled or re-levelled in `catalog.toml`:

```toml
[lint]
# select = ["DP301", "duplicate-title"]   # only these rules (default: all)
disable = ["DP503"]          # rule ids or names
page_limit_kb = 512          # the page size limit of DP502 and DP503

[lint.level]
DP401 = "error"
```

A paper file silences a rule for itself, with a reason (DP107 checks the reason is there):

```toml
[ignore]
DP306 = "a different paper by the same group, with a near-identical title"
```
"""


def _text(description: str) -> str:
    """Plain text safe in markdown: a ``<id>`` would be taken for an HTML tag."""
    return description.replace("<", "&lt;").replace(">", "&gt;")


def _rule_section(r: Rule) -> list[str]:
    lines = [f"### {r.id} `{r.name}`", "",
             f"{_text(r.description)} Level: {r.level}. Fix: {'yes' if r.fixable else 'no'}.", ""]
    for line in r.doc.splitlines():
        stripped = line.strip()
        if stripped.startswith(("Bad:", "Good:")):
            label, _, rest = stripped.partition(":")
            lines.append(f"- {label}: {rest.strip()}")
        elif lines[-1].startswith("- ") and stripped:
            lines[-1] += " " + stripped
        else:
            lines.append(stripped)
    while lines[-1] == "":
        lines.pop()
    return [*lines, ""]


def rules_markdown() -> str:
    """The whole docs/lint-rules.md page."""
    rules = list(all_rules().values())
    out = [_HEADER, "## Rules", "", "| id | name | level | fix | description |",
           "|---|---|---|---|---|"]
    out += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.level} | "
            f"{'yes' if r.fixable else ''} | {_text(r.description)} |" for r in rules]
    out.append("")
    theme = None
    for r in rules:
        if r.id[2] != theme:
            theme = r.id[2]
            out += [f"## DP{theme}xx: {THEMES[theme]}", ""]
        out += _rule_section(r)
    return "\n".join(out).rstrip("\n") + "\n"

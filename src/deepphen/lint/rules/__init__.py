"""The lint rules, one module per family, registered on import (deepphen.lint.registry).

DP1xx files, DP2xx links, DP3xx placement, DP4xx text, DP5xx the page, DP6xx settings.
Importing this package imports every family once; ``all_rules`` reads the registry.
"""

from __future__ import annotations

from deepphen.lint.registry import RULES, Rule
from deepphen.lint.rules import discover, files, links, page, placement, settings, text

FAMILIES = (files, links, placement, text, page, settings, discover)


def all_rules() -> dict[str, Rule]:
    """Every rule, by id in order."""
    return dict(sorted(RULES.items()))

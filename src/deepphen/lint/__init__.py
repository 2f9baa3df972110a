"""``deepphen lint``: the list's rules as registered checks.

registry.py (Rule, Flag, Finding, Fix, @rule) is the leaf; context.py what rules look at;
config.py the ``[lint]`` settings; rules/ the rule families; engine.py runs and fixes;
docs.py generates docs/lint-rules.md.
"""

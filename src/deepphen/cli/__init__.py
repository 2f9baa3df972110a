"""Command-line interface: ``deepphen`` and ``python -m deepphen``."""

from __future__ import annotations

from deepphen.cli import export as _export  # noqa: F401  (registers commands)
from deepphen.cli.app import app


def main() -> None:
    """Entry point of the ``deepphen`` console script."""
    app()

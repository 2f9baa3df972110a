"""Command-line interface: ``deepphen`` and ``python -m deepphen``."""

from __future__ import annotations

from deepphen.cli import add as _add  # noqa: F401
from deepphen.cli import catalog_import as _catalog_import  # noqa: F401
from deepphen.cli import discover as _discover  # noqa: F401
from deepphen.cli import export as _export  # noqa: F401  (registers commands)
from deepphen.cli import lint as _lint  # noqa: F401
from deepphen.cli import search as _search  # noqa: F401
from deepphen.cli import stats as _stats  # noqa: F401
from deepphen.cli.app import app
from deepphen.launch import exit_on_sigterm


def main() -> None:
    """Entry point of the ``deepphen`` console script."""
    exit_on_sigterm()
    app()

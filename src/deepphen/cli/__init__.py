"""Command-line interface: ``deepphen`` and ``python -m deepphen``."""

from __future__ import annotations

import signal

from deepphen.cli import add as _add  # noqa: F401
from deepphen.cli import catalog_import as _catalog_import  # noqa: F401
from deepphen.cli import export as _export  # noqa: F401  (registers commands)
from deepphen.cli import lint as _lint  # noqa: F401
from deepphen.cli import search as _search  # noqa: F401
from deepphen.cli import stats as _stats  # noqa: F401
from deepphen.cli.app import app


def main() -> None:
    """Entry point of the ``deepphen`` console script."""
    # SIGTERM becomes SystemExit so that atomic writes and locks clean up like on Ctrl-C.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    app()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)

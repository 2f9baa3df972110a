"""The whole ``deepphen`` application: every command registered on deepphen.cli.app.app."""

from __future__ import annotations

import inspect

from deepphen.cli import add, catalog_import, discover, export, lint, refresh, stats
from deepphen.cli.app import app, handle_errors, root, unwrap_help
from deepphen.cli.options import typed
from deepphen.cli.params import SEARCH
from deepphen.cli.search import search_command

# Each module registers its command when imported (@app.command); search's module is
# typer-free, so its typer command is made here from the same function and declarations.
COMMAND_MODULES = (add, catalog_import, discover, export, lint, refresh, stats)
app.command("search")(handle_errors(typed(search_command, SEARCH)))

# The order `deepphen --help` lists the commands in; any other goes last.
ORDER = ("add", "refresh", "import", "discover", "export", "lint", "search", "stats")
app.registered_commands.sort(
    key=lambda c: ORDER.index(c.name) if c.name in ORDER else len(ORDER))

# Help texts are written hard-wrapped in the source; rich wraps them again to the terminal,
# and kept line breaks made ragged lines ("itself; a" / "terminal asks"). Prose paragraphs
# are joined into one line each, so rich alone wraps them; examples stay as written.
for _info in app.registered_commands:
    _info.help = unwrap_help(inspect.getdoc(_info.callback) or "")
app.info.help = unwrap_help(inspect.getdoc(root) or "")

"""typer's view of the shared parameters: ``Annotated`` types made from deepphen.cli.params.

A command takes the whole filter family as one ``filters: FilterOptions`` parameter; ``typed``
shows typer the seven options in its place, so each filter is declared once (in params.py)
and search, export and stats cannot drift apart.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any

import typer

from deepphen.cli.completion import COMPLETERS
from deepphen.cli.params import (
    CATALOG,
    DISCOVER_TIMEOUT,
    FILTERS,
    TIMEOUT,
    FilterOptions,
    Param,
)


def annotation(param: Param, *, optional: bool) -> Any:
    """The ``Annotated`` type typer reads for this declaration."""
    kind: Any = list[param.type] if param.multiple else param.type
    if optional:
        kind = kind | None
    if param.flags:
        complete = COMPLETERS[param.complete] if param.complete else None
        info = typer.Option(*param.flags, help=param.help, min=param.min, metavar=param.metavar,
                            show_default=param.show_default, autocompletion=complete)
    else:
        info = typer.Argument(help=param.help, show_default=param.show_default,
                              metavar=param.metavar)
    return Annotated[kind, info]


CatalogOption = annotation(CATALOG, optional=True)
TimeoutOption = annotation(TIMEOUT, optional=True)
DiscoverTimeoutOption = annotation(DISCOVER_TIMEOUT, optional=True)


def typed(func: Callable[..., None], declared: tuple[Param, ...] = ()) -> Callable[..., None]:
    """``func`` as typer sees a command: its ``filters`` parameter becomes the filter family's
    options, and the parameters named in ``declared`` get their declared flags and help.

    Defaults stay those of ``func``'s signature; other parameters keep their own annotations.
    """
    by_name = {p.name: p for p in declared}
    hints = typing.get_type_hints(func, include_extras=True)
    keyword = inspect.Parameter.KEYWORD_ONLY  # typer passes every parameter by name
    params: list[inspect.Parameter] = []
    for param in inspect.signature(func).parameters.values():
        if param.name == "filters":
            params += [inspect.Parameter(f.name, keyword, default=None,
                                         annotation=annotation(f, optional=True))
                       for f in FILTERS]
        elif param.name in by_name:
            params.append(param.replace(kind=keyword, annotation=annotation(
                by_name[param.name], optional=param.default is None)))
        else:
            params.append(param.replace(kind=keyword, annotation=hints[param.name]))
    takes_filters = "filters" in hints

    @functools.wraps(func)
    def command(**options: Any) -> None:
        if takes_filters:
            options["filters"] = FilterOptions.take(options)
        func(**options)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command

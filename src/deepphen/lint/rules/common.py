"""What several rule families share: cached answers to the questions every file asks, and a
paper file's links."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from deepphen import ids, vocab

# Rules ask the same questions of the same strings for every file; these answers are pure
# functions of their argument, so a lint run remembers them.
is_arxiv_id = functools.cache(ids.is_arxiv_id)
arxiv_id_from_url = functools.cache(ids.arxiv_id_from_url)
fold_distinct = functools.cache(vocab.fold_distinct)


def edit_field(name: str, change: Callable[[Any], Any]) -> Callable[[dict[str, Any]], None]:
    """A fix's edit of a paper file's data: field ``name``, when there, becomes
    ``change(value)``."""
    def edit(data: dict[str, Any]) -> None:
        if name in data:
            data[name] = change(data[name])

    return edit


def iter_links(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The well-formed link tables of a paper file's table."""
    for item in data.get("links") or []:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            yield item

"""Checking the fields of a TOML table: one error type naming the field, typed getters.

A leaf module: ``models`` and ``layout`` read catalog.toml and paper files through it, so a
wrong type is reported as ``FieldError`` naming the field, which the catalog locates.
"""

from __future__ import annotations

from typing import Any


class FieldError(ValueError):
    """A field of a table has the wrong type or value; ``field`` names it for locating, and
    ``index`` which of its ``[[field]]`` tables is at fault (the first when None)."""

    def __init__(self, field_name: str, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.field = field_name
        self.index = index


def item_error(table: str, index: int, message: str) -> FieldError:
    """An error in the ``index``-th table of ``table`` (``[[table]]`` or an inline array),
    located at that table's line: ``item_error("sections", 2, ": ...")``."""
    return FieldError(table, f"{table}[{index}]{message}", index=index)


_MISSING = object()


def typed_field(data: dict[str, Any], name: str, kind: type, default: Any = _MISSING) -> Any:
    """``data[name]`` checked to be a ``kind``; ``default`` when missing (required without)."""
    value = data.get(name, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise FieldError(name, f"missing required field '{name}'")
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise FieldError(name, f"field '{name}' must be {_TYPE_NAMES[kind]}, not {_kind(value)}")
    return value


def line_field(data: dict[str, Any], name: str, default: Any = _MISSING) -> Any:
    """``data[name]`` checked to be a string of one line: a heading, label, name or link that
    the page writes on one line, where a line break would start markup of its own (a
    heading "Others\\n\\n## Injected" wrote a second heading into every year of the section)."""
    value = typed_field(data, name, str, default)
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        raise FieldError(name, f"field '{name}' must be one line, without line breaks")
    return value


def str_list(data: dict[str, Any], name: str) -> list[str]:
    """``data[name]`` checked to be a list of strings (empty when missing)."""
    value = typed_field(data, name, list, [])
    if not all(isinstance(v, str) for v in value):
        raise FieldError(name, f"field '{name}' must be a list of strings")
    return list(value)


_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table",
               bool: "true or false"}


def _kind(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", list: "a list",
            dict: "a table", bool: "a boolean"}.get(type(value), type(value).__name__)

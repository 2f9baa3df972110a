"""Lines a page shows between its year groups and entries that are no paper: HTML comments,
note paragraphs ("Note: the papers below are surveys."), badge lines.

Import holds such lines until the year group or entry below them, whose note (``Layout.notes``)
they become; export writes them back above it, with the same blank lines. Lines that precede
neither (the end of a section, a ``</details>``) have no place in the catalog: each such note
is left out with one error naming its lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deepphen.import_entry import ERROR, Report, short
from deepphen.layout import Layout

# Lines the reader reads as a year group's HTML (or an entry): never a note.
_STRUCTURE_RE = re.compile(r"^\s*(</?details\b|<summary\b|[-*+]\s)", re.IGNORECASE)


def can_be_note(line: str) -> bool:
    """Whether ``line`` may be held as a note: text starting at the margin that is no year
    group line nor entry (an indented line belongs to an entry, or is lost with it)."""
    return not line[:1].isspace() and not _STRUCTURE_RE.match(line)


@dataclass
class _Pending:
    line: int  # the first line's number
    block: list[str]  # the lines, blank ones between paragraphs included
    gap: int  # blank lines above the first


class PendingNote:
    """The note read and not yet placed: at most one, grown by each note line that follows."""

    def __init__(self, lines: list[str], layout: Layout, report: Report) -> None:
        self.lines = lines  # the page's
        self.layout = layout
        self.report = report
        self.pending: _Pending | None = None

    def hold(self, lineno: int, block: list[str], gap: int) -> None:
        """Hold ``block`` (read from ``lineno``, ``gap`` blank lines above it), after the
        note held already if any."""
        if self.pending is None:
            self.pending = _Pending(lineno, list(block), gap)
        else:
            self.pending.block += [*[""] * gap, *block]

    def ends_at(self, lineno: int) -> bool:
        """Whether the held note's last line is line ``lineno``."""
        return self.pending is not None and \
            self.pending.line + len(self.pending.block) - 1 == lineno

    def take(self, gap: int) -> tuple[list[str], int, str] | None:
        """The held note's lines followed by ``gap`` blank lines (those above what it
        precedes), the blank lines above the note and the line above those; None when no
        note is held."""
        held, self.pending = self.pending, None
        if held is None:
            return None
        return [*held.block, *[""] * gap], held.gap, self.lines[held.line - held.gap - 2]

    def take_for(self, key: str, gap: int) -> int:
        """Attach the held note to ``key`` (a year group); returns the blank lines that count
        above the group: those above the note, else ``gap``."""
        if self.pending is not None and key in self.layout.notes:
            self.drop(f"year group {key!r} has a note already (its groups are merged)")
        taken = self.take(gap)
        if taken is None:
            return gap
        self.layout.notes[key] = taken[0]
        return taken[1]

    def drop(self, why: str = "it precedes no year group or entry") -> None:
        """Report the held note as left out: the catalog has no place for it here."""
        held, self.pending = self.pending, None
        if held is not None:
            end = held.line + len(held.block) - 1
            kind = "HTML comment" if held.block[0].lstrip().startswith("<!--") else "note"
            self.report(held.line, f"{kind} (lines {held.line}-{end}) left out: {why}: "
                                   f"{short(held.block[0])}", ERROR)

"""HTML comments among a page's paper sections, kept as the page's notes (``Layout.notes``).

A comment holding no entry is held until the reader meets what it precedes: a year group
(key ``"Section: YYYY"``), an entry (the paper's key, given once keys are), the
``</details>`` that closes a year group (key ``"end of Section: YYYY"``), the section's
text or image (then part of that text, deepphen.import_body), or the section's end (after
its last year group or entry, key ``"end of section Section"``), or, above the first section,
the end of the table of contents (key ``"end of contents"``). The blank lines
between the comment and what it precedes end the note's lines; those above it are the
group's ``blank_lines`` or the entry's ``entry_gaps``, and, for the end of a group or
section, the note's first lines (nothing else says them there; below a section's, the next
heading's ``blank_lines`` or the page's ``end_blank_lines``). A comment that precedes none of
these is left out and reported, as is a comment whose place export cannot keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deepphen.import_entry import ERROR, WARNING, short
from deepphen.import_resources import ENTRY_LIKE_RE
from deepphen.layout import CONTENTS_END, Layout, end_key, section_end_key

Report = Callable[..., None]  # (line, message, level=WARNING)


@dataclass(frozen=True)
class Note:
    """A comment read and not yet placed: its first line, its lines, blank lines above it."""

    line: int
    block: list[str]
    gap: int
    passed: bool = False  # reported as written below a line of text it is above

    @property
    def span(self) -> str:
        """``lines A-B`` of the page."""
        return f"lines {self.line}-{self.line + len(self.block) - 1}"


class PageNotes:
    """The comment held by the reader, placed when what it precedes is met."""

    def __init__(self, layout: Layout, report: Report) -> None:
        self.layout = layout
        self.report = report
        self.held: Note | None = None
        self.section_ends: dict[str, Note] = {}  # heading -> the comment after its last group

    def read(self, line: int, block: list[str], gap: int, in_section: bool) -> bool:
        """An HTML comment or fenced code block at ``line`` (``gap`` blank lines above it):
        held when it is a comment in a paper section (``in_section``) holding no entry;
        else left out (the page does not show it), reported. True when held."""
        comment = block[0].lstrip().startswith("<!--")
        if comment and in_section and not any(ENTRY_LIKE_RE.match(text) for text in block):
            self.hold(line, block, gap)
            return True
        kind = "HTML comment" if comment else "code block"
        self.report(line, f"{kind} (lines {line}-{line + len(block) - 1}) left out: what it "
                          "holds is not shown on the page", ERROR)
        return False

    def hold(self, line: int, block: list[str], gap: int) -> None:
        """Hold a comment; one below a held comment joins it (with the blank lines between),
        as both precede the same thing."""
        held = self.held
        if held is None:
            self.held = Note(line, list(block), gap)  # its own list: joined comments extend it
        else:  # in place: a copy per comment joined was quadratic in a run of them
            held.block.extend([""] * gap)
            held.block.extend(block)

    def take(self) -> Note | None:
        """The held comment, no longer held."""
        note, self.held = self.held, None
        return note

    def passed(self, text: str) -> None:
        """A line of a year group's text (its placeholder) below the held comment: export
        writes the comment after it, wherever it goes next (reported once)."""
        note = self.held
        if note is not None and not note.passed:
            self.held = Note(note.line, note.block, note.gap, passed=True)
            self.report(note.line, f"HTML comment ({note.span}) above the year group's line "
                                   f"{short(text)}: export writes it below that line")

    def before_group(self, key: str, gap: int, opened: int | None = None) -> int:
        """Place the held comment before the year group ``key`` (``gap`` blank lines between
        them); returns the blank lines above the comment, else ``gap`` (those above the
        group). A comment below the group's ``<details>`` line (at line ``opened``), above
        its ``<summary>``, is written above the ``<details>`` line (reported)."""
        note = self.take()
        if note is None:
            return gap
        if opened is not None and note.line > opened:
            self.report(note.line, f"HTML comment ({note.span}) between <details> and "
                                   "<summary>: export writes it above the <details> line")
            self._keep(key, [*note.block, ""], note, f"above the first {key!r}")
            return gap
        self._keep(key, [*note.block, *([""] * gap)], note, f"above the first {key!r}")
        return note.gap

    def before_close(self, key: str, gap: int) -> bool:
        """Place the held comment before the ``</details>`` of year group ``key`` (``gap``
        blank lines between them), the blank lines above it included; False when none is
        held."""
        note = self.take()
        if note is None:
            return False
        self._keep(end_key(key), [*([""] * note.gap), *note.block, *([""] * gap)], note,
                   f"at the end of the first {key!r}")
        return True

    def at_section_end(self, heading: str) -> None:
        """Place the held comment after the last year group or entry of section ``heading``
        (the next heading or the page's end follows), the blank lines above it included;
        those below it are the next heading's (or the page's end)."""
        note = self.take()
        if note is not None:
            self.section_ends.setdefault(heading, note)
            self._keep(section_end_key(heading), [*([""] * note.gap), *note.block], note,
                       f"at the end of the first {heading!r}", "section")

    def section_again(self, heading: str) -> None:
        """Section ``heading`` appears again, merged into the first on export: the comment
        kept after the first's last group is written below the entries that follow, said at
        its line."""
        note = self.section_ends.pop(heading, None)
        if note is not None:
            self.report(note.line, f"HTML comment ({note.span}) moved: its section appears "
                                   "twice, export writes it after the merged section's last "
                                   "group", WARNING)

    def at_contents_end(self) -> None:
        """Place the held comment below the table of contents, above the first section (or
        what stands before it), the blank lines above it included. Once: the comments met
        before it joined the held one."""
        note = self.take()
        if note is not None:
            self.layout.notes[CONTENTS_END] = [*([""] * note.gap), *note.block]

    def drop(self) -> None:
        """The section ends: a held comment precedes nothing kept, and is left out."""
        note = self.take()
        if note is not None:
            self.report(note.line, f"HTML comment ({note.span}) left out: it precedes no year "
                                   "group, entry or </details>", ERROR)

    def _keep(self, key: str, lines: list[str], note: Note, where: str,
              what: str = "year group") -> None:
        """Keep ``lines`` under ``key``; a second group of the same year or section of the
        same heading (merged into the first on export) adds its comment to the first's,
        reported: export writes it ``where`` says."""
        kept = self.layout.notes.get(key)
        if kept is None:
            self.layout.notes[key] = lines
            return
        kept.extend(lines)
        self.report(note.line, f"HTML comment ({note.span}) moved: its {what} appears "
                               f"twice, export writes it {where}", WARNING)

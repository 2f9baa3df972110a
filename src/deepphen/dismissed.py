"""Papers the curators dismissed in ``deepphen discover``: ``<catalog>/dismissed.toml``.

A small committed file, so a team shares its decisions and discover never proposes a
dismissed paper again::

    [[dismissed]]
    arxiv = "2505.01234"
    title = "A Paper That Does Not Belong"
    date = 2025-05-20
    reason = "optional, free text"

Entries are kept sorted by id, so two curators dismissing different papers rarely touch the
same lines; in a file holding curators' comments, new entries are added at its end instead,
its text kept as written. Writes take the catalog lock and replace the file atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deepphen import ids
from deepphen.catalog import field_line, read_toml
from deepphen.errors import CatalogError, DeepphenError
from deepphen.paths import DISMISSED_FILE, inside
from deepphen.printable import TITLE_SHOWN, shorten, text_lines

FIELDS = ("arxiv", "title", "date", "reason")
# A table's header line, its key quoted or bare (TOML reads both), a comment after it allowed.
_HEADER_LINE = re.compile(r"""\s*\[\[\s*(?:dismissed|"dismissed"|'dismissed')\s*\]\]"""
                          r"\s*(?:#.*)?$")
_HEADER = ("# Papers `deepphen discover` leaves out: dismissed by a curator "
           "(see docs/catalog-format.md).\n")


@dataclass(frozen=True, slots=True)
class Dismissal:
    """One dismissed arXiv paper."""

    arxiv: str
    title: str = ""
    date: dt.date | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The dismissal as a TOML table of the dismissals file."""
        out: dict[str, Any] = {"arxiv": self.arxiv}
        if self.title:
            out["title"] = self.title
        if self.date:
            out["date"] = self.date
        if self.reason:
            out["reason"] = self.reason
        return out


def dismissed_path(root: Path) -> Path:
    """Where the catalog keeps its dismissals."""
    return Path(root) / DISMISSED_FILE


def parse_dismissals(data: dict[str, Any], path: Path) -> list[Dismissal]:
    """Dismissals of a parsed file; CatalogError naming the line of the first bad one."""
    items = data.get("dismissed", [])
    unknown = [k for k in data if k != "dismissed"]
    if unknown:
        raise CatalogError(f"unknown key {unknown[0]!r}", path=path,
                           line=field_line(path, unknown[0]), hint="only [[dismissed]] tables")
    if not isinstance(items, list):
        raise CatalogError("'dismissed' must be a list of tables", path=path,
                           line=field_line(path, "dismissed"))
    out = []
    for i, item in enumerate(items):
        out.append(_dismissal(item, i, path))
    return out


def _dismissal(item: Any, index: int, path: Path) -> Dismissal:
    where = f"dismissed[{index}]"
    if not isinstance(item, dict):
        raise CatalogError(f"{where} must be a table", path=path)
    # The line only for an error: looking it up reads the file, and a file of thousands of
    # dismissals read once per entry took minutes.
    unknown = [k for k in item if k not in FIELDS]
    if unknown:
        raise CatalogError(f"{where}: unknown key {unknown[0]!r}", path=path,
                           line=entry_line(path, index), hint=f"known: {', '.join(FIELDS)}")
    raw = item.get("arxiv")
    try:
        if not isinstance(raw, str):
            raise ids.InvalidId("not a string")
        arxiv_id = ids.parse_arxiv_id(raw).id  # a version or a URL still names the paper
    except ids.InvalidId:
        raise CatalogError(f"{where}: 'arxiv' must be an arXiv id, not {raw!r}", path=path,
                           line=entry_line(path, index),
                           hint='e.g. arxiv = "2505.01234"') from None
    problem = value_problem(item)
    if problem:
        raise CatalogError(f"{where}: {problem}", path=path, line=entry_line(path, index))
    return Dismissal(arxiv_id, item.get("title", ""), item.get("date"),
                     item.get("reason", ""))


def value_problem(item: dict[str, Any]) -> str | None:
    """What is wrong with a dismissal's optional values (None when nothing): the one check
    that loading the file and lint's DP605 share."""
    date = item.get("date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        return "'date' must be a date, YYYY-MM-DD"
    for name in ("title", "reason"):
        if not isinstance(item.get(name, ""), str):
            return f"{name!r} must be a string"
    return None


def header_lines(path: Path) -> list[int]:
    """The line of every ``[[dismissed]]`` header, in order (none when unreadable): read
    once for a whole file, never once per entry (thousands of dismissals took minutes)."""
    from deepphen.comments import string_lines

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    values = string_lines(text)  # a header written in a multi-line reason is its text
    return [n for n, line in enumerate(text_lines(text), 1)
            if _HEADER_LINE.match(line) and n not in values]


def entry_line(path: Path, index: int) -> int | None:
    """The line of the ``index``-th ``[[dismissed]]`` header (None when not found)."""
    headers = header_lines(path)
    return headers[index] if index < len(headers) else None


def load_dismissals(root: Path) -> list[Dismissal]:
    """The catalog's dismissals; none when the file does not exist."""
    data = read_dismissed(root)
    return [] if data is None else parse_dismissals(data, dismissed_path(root))


def read_dismissed(root: Path) -> dict[str, Any] | None:
    """The parsed dismissals file, None when there is none (nor a link to one). CatalogError
    when it cannot be read: a link leading out of the catalog, or not a regular file (a
    folder or a FIFO of that name was taken for no file, and every dismissal forgotten)."""
    path = dismissed_path(root)
    if not path.exists():
        return None
    if path.is_symlink() and not inside(root, path):
        raise CatalogError("leaves the catalog folder through a symbolic link; refusing to "
                           "read it", path=path, hint="replace the link with the file")
    return read_toml(path)


def dismissals_to_toml(dismissals: list[Dismissal]) -> str:
    """The file's text: a comment line, then one table per dismissal, sorted by id (stable:
    a paper dismissed twice keeps both tables, in their order, for lint's DP605 to report;
    keeping one dropped the other's reason)."""
    ordered = sorted(dismissals, key=lambda d: (ids.id_sort_key(d.arxiv), d.arxiv))
    return _HEADER + "\n" + _tables(ordered)


def _tables(dismissals: list[Dismissal]) -> str:
    """``[[dismissed]]`` tables, as the docs show them, never tomli-w's inline array: more
    tables can follow them, so an entry is added to a file without rewriting it."""
    import tomli_w

    return "\n".join(f"[[dismissed]]\n{tomli_w.dumps(d.to_dict())}" for d in dismissals)


class InCatalog(DeepphenError):
    """A paper to dismiss is in the catalog (another curator added it meanwhile)."""


def dismiss(root: Path, new: list[Dismissal], *, lock_timeout: float = 30.0) -> Path:
    """Add dismissals to the file under the catalog lock, atomically; returns its path.

    The file is read again under the lock, so dismissals another curator's process wrote
    meanwhile are kept; a paper dismissed twice keeps its first entry. A paper the catalog
    holds by then (added by another walk) raises InCatalog, nothing written: dismissed and
    listed both, lint's DP605 refused the catalog.
    """
    from deepphen.catalog import load_papers, rewrite_file
    from deepphen.fsutil import catalog_lock, private_dir, transaction

    path = dismissed_path(root)
    # The title is a reminder for people in a committed file, not data: a feed's title of
    # megabytes is kept as a table shows it (those already in the file are left as written).
    new = [dataclasses.replace(d, title=shorten(d.title, TITLE_SHOWN)) for d in new]
    with catalog_lock(root, timeout=lock_timeout):
        try:
            papers = load_papers(root)
        except CatalogError:  # a broken paper file is lint's to report, not a dismissal's
            papers = []
        listed = next(((p, d) for p in papers for d in new if p.goes_by(d.arxiv)), None)
        if listed is not None:
            raise InCatalog(f"{ids.bare_id(listed[1].arxiv)} is in the catalog, added "
                            "meanwhile: not dismissed", path=listed[0].path)
        current = load_dismissals(root)
        known = {d.arxiv for d in current}
        added: dict[str, Dismissal] = {}
        for d in new:
            if d.arxiv not in known:
                added.setdefault(d.arxiv, d)
        if not added and path.is_file():
            return path  # nothing new: the file stays as written
        text = _with_added(path, current, list(added.values()))
        target = _written_file(path)
        with transaction(private_dir(root)) as journal:  # counted as kept after a Ctrl-C
            journal.remember(target)
            rewrite_file(root, target, text)  # temp file in the private folder
    return path


@dataclass(frozen=True, slots=True)
class Undismissed:
    """What ``drop_dismissed`` did: the ids taken out of dismissed.toml, and those left
    there (``why``: the file could not be rewritten as it is)."""

    dropped: list[str] = dataclasses.field(default_factory=list)
    left: list[str] = dataclasses.field(default_factory=list)
    why: str = ""


def drop_dismissed(root: Path, arxiv_ids: list[str], journal: Any) -> Undismissed:
    """Take the papers being added out of the dismissals, in the caller's transaction and
    under its catalog lock: a curator adding a paper overrules an earlier dismissal (both,
    and lint's DP605 refused the catalog). A file holding comments, which rewriting would
    drop, is left as written; one that cannot be read is lint's to report (DP605), never a
    reason to refuse the addition."""
    from deepphen.catalog import read_text, rewrite_file
    from deepphen.comments import comment_lines

    path = dismissed_path(root)
    try:
        current = load_dismissals(root)
    except CatalogError:
        return Undismissed()
    wanted = {ids.archive_id(ids.bare_id(i)) for i in arxiv_ids}
    hit = [d.arxiv for d in current if ids.archive_id(d.arxiv) in wanted]
    if not hit:
        return Undismissed()
    text = read_text(path)
    if set(comment_lines(text)) - set(_own_lines(text)):
        return Undismissed(left=hit, why="it holds comments, which rewriting it would drop")
    target = _written_file(path)
    journal.remember(target)
    rewrite_file(root, target, dismissals_to_toml(
        [d for d in current if ids.archive_id(d.arxiv) not in wanted]))
    return Undismissed(dropped=hit)


def _written_file(path: Path) -> Path:
    """The file a write of dismissed.toml replaces: through a link to the file that was read
    (load_dismissals refuses one leaving the catalog), as replacing the link itself left
    that file stale; a dangling link or a loop is replaced."""
    return Path(os.path.realpath(path)) if path.is_symlink() and path.is_file() else path


def _own_lines(text: str) -> list[int]:
    """The comment lines deepphen writes itself (its header): no curator's to keep, in a
    file of CR LF line ends too (a Windows checkout, kept so by the rewrite)."""
    return [1] if text.replace("\r\n", "\n", 1).startswith(_HEADER) else []


def _with_added(path: Path, current: list[Dismissal], added: list[Dismissal]) -> str:
    """The file's new text: written afresh (sorted) unless the file holds comments besides
    deepphen's own header, which rewriting would drop: then its text as it is, the new
    entries appended (checked to read back as the old and the new ones)."""
    import tomli

    from deepphen.catalog import read_text
    from deepphen.comments import comment_problem

    text = read_text(path) if path.is_file() else ""
    problem = comment_problem(path, text, "the new dismissal cannot be added to it as written",
                              "write its entries as [[dismissed]] tables, or remove the "
                              "comment, and dismiss again", ignore=_own_lines(text))
    if problem is None:
        return dismissals_to_toml(current + added)
    ordered = sorted(added, key=lambda d: (ids.id_sort_key(d.arxiv), d.arxiv))
    # Written in the file's line ends (catalog.rewrite_file), CR LF ones too.
    out = text.rstrip("\r\n") + "\n\n" + _tables(ordered)
    try:
        kept = len(parse_dismissals(tomli.loads(out), path)) == len(current) + len(ordered)
    except (tomli.TOMLDecodeError, CatalogError):
        kept = False
    if not kept:  # an inline dismissed = [...] (as 0.2.0 wrote it): no table can follow it
        raise problem
    return out

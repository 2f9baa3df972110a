"""``deepphen discover --interactive``: walk the candidates, add, skip or dismiss each.

Adding goes through the same code as ``deepphen add`` (deepphen.add: duplicate checks, key
word spelling, the catalog lock, atomic all-or-nothing writes, the page regenerated) and
its prompts (cli.add.ask_section, ask_keywords: an answer add refuses is asked again); a
dismissal is written at once (deepphen.dismissed). Each decision is written when it is
made, so quitting or Ctrl-C loses nothing already decided, and nothing is half-written.
Ctrl-D (the end of input) at any prompt quits as ``q`` does; an addition it cuts short is
not written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from deepphen.cli.add import (
    EndOfInput,
    ask,
    ask_keywords,
    ask_section,
    report_undismissed,
    show_updated_pages,
)
from deepphen.cli.output import echo, warn
from deepphen.errors import DeepphenError
from deepphen.printable import ABSTRACT_SHOWN, shorten
from deepphen.printable import printable as clean

KEYS = "a add, s skip, d dismiss, o abstract, q quit"
# An answer is one of the keys or the word it stands for: "dunno" or a pasted "ds" is no
# answer (read by its first letter, it dismissed the paper for good).
ANSWERS = {"a": "a", "add": "a", "s": "s", "skip": "s", "d": "d", "dismiss": "d",
           "o": "o", "abstract": "o", "q": "q", "quit": "q"}


class _Prefetched:
    """A stand-in arXiv client that answers with the entry discover already fetched."""

    def __init__(self, entry: Any) -> None:
        self.entry = entry

    def fetch(self, wanted: Iterable[Any], on_batch: Any = None) -> dict[str, Any]:
        return {self.entry.id: self.entry}


def triage(root: Path, result: Any, limit: int) -> None:
    """Ask about each of the best ``limit`` candidates in turn."""
    headings = result.headings()
    counts = {"added": 0, "dismissed": 0, "skipped": 0}
    fits = result.fits[:limit]
    try:
        for number, fit in enumerate(fits, 1):
            _show(fit, number, len(fits), headings)
            while True:
                answer = ANSWERS.get(ask(f"[{KEYS}]", default="s").strip().lower(), "")
                if answer == "o":
                    echo(clean(shorten(fit.entry.summary, ABSTRACT_SHOWN)) or "(no abstract)")
                    continue
                if answer == "q":
                    return
                if answer == "s":
                    counts["skipped"] += 1
                elif answer == "d":
                    _dismiss(root, fit, counts)
                elif answer == "a":
                    if not _add(root, fit, headings, counts):
                        continue  # add refused it, nothing written: ask about it again
                else:
                    warn(f"unknown answer; {KEYS}")
                    continue
                break
    except EndOfInput:  # no more answers: stop as at "q"
        return
    finally:
        sys.stderr.write(f"added {counts['added']}, dismissed {counts['dismissed']}, "
                         f"skipped {counts['skipped']}\n")


def _show(fit: Any, number: int, total: int, headings: dict[str, str]) -> None:
    from deepphen.printable import AUTHORS_SHOWN, TITLE_SHOWN

    entry = fit.entry
    sections = ", ".join(f"{clean(headings.get(slug, slug))} ({score:.2f})"
                         for slug, score in fit.suggested_sections[:3])
    date = entry.published.isoformat() if entry.published else "undated"
    echo("")
    authors = ", ".join(entry.authors[:6]) + (" et al." if len(entry.authors) > 6 else "")
    echo(f"[{number}/{total}] {fit.score:.2f}  {clean(shorten(entry.title, TITLE_SHOWN))}")
    echo(f"  {clean(shorten(authors, 2 * AUTHORS_SHOWN))} ({date}) {entry.abs_url}")
    echo(f"  why: {clean(fit.explain())}")
    echo(f"  sections: {sections or '-'}")
    echo(f"  key words: {clean('; '.join(fit.suggested_keywords)) or '-'}")


def _add(root: Path, fit: Any, headings: dict[str, str], counts: dict[str, int]) -> bool:
    """Add the candidate as ``deepphen add`` would, counted "added", or "skipped" when
    already in the catalog; False when add refused it (nothing written: ask about it again).
    The paper is checked before any question, and a refused answer (a section the catalog
    does not have, seven key words) is asked again, as add's prompts do, never losing the
    others. Counted as soon as written: a Ctrl-C while it says so still counts it."""
    from deepphen import add as core
    from deepphen.catalog import load_settings
    from deepphen.suggest import ACCEPTED_KEYWORDS

    try:
        [proposal] = core.plan_additions(root, [fit.entry.id], core.Options(),
                                         client=_Prefetched(fit.entry))  # type: ignore[arg-type]
    except DeepphenError as exc:  # added meanwhile, a key another paper holds, ...
        warn(f"not added: {_forced(exc, fit.entry.id)}")
        if not isinstance(exc, core.DuplicateError):
            return False
        counts["skipped"] += 1
        return True
    best = fit.suggested_sections[0][0] if fit.suggested_sections else ""
    section = ask_section(load_settings(root), "Section",
                          clean(headings.get(best, best)) or None)
    proposal = ask_keywords(root, proposal.with_section(section),
                            fit.suggested_keywords[:ACCEPTED_KEYWORDS], "Key words")
    try:
        added = core.write_additions(root, [proposal])
    except core.DuplicateError as exc:  # another curator added it meanwhile
        counts["skipped"] += 1
        warn(f"not added: {_forced(exc, fit.entry.id)}")
        return True
    # Any other failure to write (a full disk, a read-only catalog, the lock) ends the walk,
    # as a failed dismissal does: one line and exit 2, not a warning in a walk that exits 0.
    counts["added"] += 1
    echo(f"wrote {added.paths[0]}")
    report_undismissed(root, added.dismissals)
    show_updated_pages(root)
    return True


def _forced(exc: DeepphenError, arxiv_id: str) -> DeepphenError:
    """A duplicate's hint in the walk's words: it has no --force, add has."""
    from deepphen import add as core

    if isinstance(exc, core.DuplicateError) and exc.hint and "--force" in exc.hint:
        exc.hint = f"'deepphen add {arxiv_id} --force' adds it anyway"
    return exc


def _dismiss(root: Path, fit: Any, counts: dict[str, int]) -> None:
    """Dismiss the candidate, counted "dismissed" as soon as written; "skipped" when another
    walk added it meanwhile (not dismissed)."""
    from deepphen.discover import utc_today
    from deepphen.dismissed import Dismissal, InCatalog, dismiss

    try:
        path = dismiss(root, [Dismissal(fit.entry.id, fit.entry.title, utc_today())])
    except InCatalog as exc:
        counts["skipped"] += 1
        warn(str(exc))
        return
    counts["dismissed"] += 1
    echo(f"dismissed {fit.entry.id} (in {path.name})")

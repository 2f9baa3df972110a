"""Filters shared by search, export and stats, and forgiving section look-up."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from deepphen import ids
from deepphen.errors import DeepphenError
from deepphen.models import Paper, Section, Settings
from deepphen.vocab import fold, keyword_key


def resolve_section(settings: Settings, text: str) -> Section:
    """The section named by ``text``: slug, heading or TOC label, forgiving case and typos.

    Raises DeepphenError listing the valid sections when nothing fits.
    """
    wanted = fold(text)
    if wanted:
        for sec in settings.sections:
            if wanted in {fold(sec.slug), fold(sec.heading), fold(sec.toc_text)}:
                return sec
        prefixed = [s for s in settings.sections
                    if fold(s.heading).startswith(wanted) or fold(s.slug).startswith(wanted)]
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:  # "neural": Neural Collapse or Neural Tangent Kernel? Not a guess.
            raise _ambiguous(text, prefixed)
        from rapidfuzz import fuzz, process

        choices = {i: fold(s.heading) for i, s in enumerate(settings.sections)}
        best = process.extract(wanted, choices, scorer=fuzz.WRatio, score_cutoff=85, limit=None)
        if best:
            tied = [settings.sections[b[2]] for b in best if b[1] == best[0][1]]
            if len(tied) > 1:
                raise _ambiguous(text, tied)
            return settings.sections[best[0][2]]
        # A typo in a heading's first word(s), as a prefix is typed ("emprical"): the one
        # section whose heading or slug starts alike; two alike ("nerual") is no answer.
        alike = {i for i, s in enumerate(settings.sections) for name in (s.heading, s.slug)
                 if len(wanted) >= 4 and fuzz.ratio(wanted, fold(name)[:len(wanted)]) >= 80}
        if len(alike) == 1:
            return settings.sections[alike.pop()]
    valid = ", ".join(f"{s.heading} ({s.slug})" for s in settings.sections)
    raise DeepphenError(f"unknown section {text!r}", hint=f"valid sections: {valid}")


def _ambiguous(text: str, sections: list[Section]) -> DeepphenError:
    names = ", ".join(f"{s.heading} ({s.slug})" for s in sections)
    return DeepphenError(f"section {text!r} could be any of: {names}",
                         hint="give more of the name, or the slug")


def parse_date_bound(text: str, *, end: bool) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; ``end`` picks the last day of a year or month."""
    # ASCII digits, as --year and --limit take them ("２０２０" is refused there too).
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip(), re.ASCII)
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            start = dt.date(year, int(month), 1)
            if not end:
                return start
            nxt = dt.date(year + (start.month == 12), start.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise DeepphenError(
            f"invalid date {text!r}", hint="use YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


def paper_date(paper: Paper) -> dt.date:
    """Best known date of a paper: published, else the arXiv id's month, else its year."""
    if paper.published:
        return paper.published
    if paper.arxiv:
        month = ids.id_sort_key(paper.arxiv)[0]
        if month:
            return dt.date(month // 100, month % 100, 1)
    return dt.date(paper.year, 1, 1)


@dataclass
class Filters:
    """Conditions a paper must all meet; empty fields do not filter."""

    section: str | None = None  # a section slug, already resolved
    year: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    venue: str | None = None

    def __bool__(self) -> bool:
        # "is not None": a year of 0 is a condition (no paper meets it), not "no filter".
        return self.year is not None or any((self.section, self.since, self.until,
                                             self.keywords, self.authors, self.venue))

    def matches(self, paper: Paper) -> bool:
        """True when the paper meets every condition."""
        if self.section and paper.section != self.section:
            return False
        if self.year is not None and paper.year != self.year:
            return False
        if self.since or self.until:
            when = paper_date(paper)
            if (self.since and when < self.since) or (self.until and when > self.until):
                return False
        if self.keywords:
            have = {keyword_key(k) for k in paper.keywords}
            if not all(keyword_key(k) in have for k in self.keywords):
                return False
        if self.authors:
            names = [set(name_words(a)) for a in paper.authors]
            for wanted in self._author_words:
                if not any(_names_match(wanted, n) for n in names):
                    return False
        return not (self.venue and not _venue_holds(paper.venue or "", self.venue))

    @cached_property
    def _author_words(self) -> list[list[str]]:
        """Each ``--author``'s words to find in one name, read once, not once a paper: its
        folded words, and those fold leaves nothing of ("Müller" is "muller" alone, so that
        it finds "Muller" too; "Бурда" is "бурда")."""
        return [fold(wanted).split() + [w for w in name_words(wanted)
                                        if not w.isascii() and not fold(w)]
                for wanted in self.authors]

    def apply(self, papers: list[Paper]) -> list[Paper]:
        """The papers that meet every condition, in their order."""
        return [p for p in papers if self.matches(p)] if self else list(papers)


@lru_cache(maxsize=8192)  # a catalog names the same people on paper after paper
def name_words(text: str) -> tuple[str, ...]:
    """A name's words to compare: folded ("Müller" -> "muller"), and, where fold drops
    letters, as written, case-folded ("Бурда" -> "бурда"), so other scripts compare too."""
    words = fold(text).split()
    if not text.isascii():
        words += [w for w in re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).casefold())
                  if not w.isascii()]
    return tuple(words)


def _names_match(words: list[str], name: set[str]) -> bool:
    """Whether every word of an ``--author`` is a word of the name, in any order ("Wei Zhang"
    is "Zhang Wei"); a one-letter word is an initial ("J. Frankle") when a longer word is
    given. Whole words: "Li" is not "Lisa" nor "Philippe"."""
    initials = any(len(w) > 1 for w in words)
    return bool(words) and all(
        w in name or (initials and len(w) == 1 and any(n.startswith(w) for n in name))
        for w in words)


def _venue_holds(venue: str, wanted: str) -> bool:
    """Whether ``wanted`` is part of ``venue``, folded ("neurips" in "NeurIPS 2021"), or as
    written, case-folded, where fold leaves nothing of it (another script)."""
    folded = fold(wanted)
    if folded:
        return folded in fold(venue)
    plain = unicodedata.normalize("NFKC", wanted).casefold().strip()
    return bool(plain) and plain in unicodedata.normalize("NFKC", venue).casefold()

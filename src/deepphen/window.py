"""discover's window: the days of first submission a run asks arXiv for, and what is in it.

``--since``/``--until`` are read here (``Nd``, YYYY-MM-DD, YYYY-MM, YYYY) into a ``Window``;
the window writes its own ``submittedDate`` range and judges, whatever a server sent back,
which papers really are in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deepphen import ids
from deepphen.errors import DeepphenError
from deepphen.printable import elide

if TYPE_CHECKING:
    from deepphen.arxiv import ArxivEntry

DEFAULT_SINCE = "7d"
MAX_DAYS = 366
MAX_SINCE_DAYS = 100 * 365  # an ``Nd`` further back is a slip (arXiv is younger)
VALUE_SHOWN = 40  # characters of a bad --since/--until an error line quotes
# arXiv's first month (hep-th/9108001): nothing is submitted before it, and a year before 1000
# would not even write as the four digits a ``submittedDate`` range needs.
ARXIV_START = dt.date(1991, 8, 1)


@dataclass(frozen=True, slots=True)
class Window:
    """Days of first submission, both ends included (UTC, as arXiv stamps them)."""

    start: dt.date
    end: dt.date

    @property
    def term(self) -> str:
        """The ``submittedDate`` range of the arXiv query language, to the minute.

        It ends at midnight after the last day, not at its 23:59: a server that reads the
        range to the second (23:59:00) would miss the day's last minute. What the range
        brings from the day after (all of it, on a server that reads only the days) is
        dropped by ``holds``.
        """
        after = self.end + dt.timedelta(days=1)
        return f"submittedDate:[{self.start:%Y%m%d}0000 TO {after:%Y%m%d}0000]"

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def days(self) -> int:
        """How many calendar days the window spans, both ends included."""
        return (self.end - self.start).days + 1

    def split(self, parts: int) -> list[Window]:
        """The window as up to ``parts`` consecutive windows of whole days, as even as the
        days allow, newest first (the order discover fetches them in: what a failure leaves
        out is the oldest). A window of one day is not split."""
        parts = max(1, min(parts, self.days))
        bounds = [self.start + dt.timedelta(days=self.days * i // parts) for i in range(parts + 1)]
        return [Window(bounds[i], bounds[i + 1] - dt.timedelta(days=1))
                for i in reversed(range(parts))]

    def holds(self, entry: ArxivEntry) -> bool:
        """Whether the paper was first submitted in the window, as far as its entry tells.

        Servers differ in how they read a ``submittedDate`` range (to the day, the minute, the
        second) and some ignore terms they do not know: whatever came, a paper dated outside
        the window is not a candidate. Undated, it is judged by its id's month (arXiv numbers
        papers by month; a paper can be numbered in the month after its submission).
        """
        # The feed's own date, even one the id belies: it is the date the server's range
        # was applied to (a paper listed again, or re-dated by a stand-in, is in the window).
        day = entry.listed or entry.published
        if day is not None:
            return self.start <= day <= self.end
        month = ids.id_sort_key(entry.id)[0]
        if not month:
            return True
        first = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month  # one month of grace
        return first <= (month // 100) * 12 + month % 100 - 1 <= last


def _bound(text: str, today: dt.date, *, end: bool, option: str) -> dt.date:
    text = text.strip()
    shown = elide(text, VALUE_SHOWN)
    # ASCII digits, as every date and --year take them: "７d" and "١٢d" are no count of days.
    m = re.fullmatch(r"([0-9]+)\s*d", text, re.IGNORECASE)
    if m:
        # Digits counted before int() reads them: it refuses more than 4300 (a ValueError).
        digits = m.group(1).lstrip("0")
        if len(digits) > len(str(MAX_SINCE_DAYS)) or int(digits or "0") > MAX_SINCE_DAYS:
            raise DeepphenError(f"{option} {shown}: too many days", hint="e.g. 7d or 30d")
        return today - dt.timedelta(days=int(digits or "0"))
    from deepphen.filters import parse_date_bound

    try:
        return parse_date_bound(text, end=end)
    except DeepphenError:
        raise DeepphenError(f"{option} {shown!r} is not a date",
                            hint="use Nd (e.g. 7d, 30d), YYYY-MM-DD, YYYY-MM or YYYY") from None


def parse_window(since: str | None, until: str | None, *, today: dt.date) -> Window:
    """The window ``--since``/``--until`` name: ``Nd`` (N days before today), YYYY-MM-DD,
    YYYY-MM or YYYY (a month or year: its first day for --since, its last for --until).

    Default: the last 7 days up to today. Raises DeepphenError (exit 2) for an unparseable
    bound, --until before --since, a window wholly in the future or before arXiv, ``0d``-style
    empty windows and windows longer than a year. A window reaching into the future or back
    before arXiv is clipped to the days arXiv can have.
    """
    for option, value in (("--since", since), ("--until", until)):
        if value is not None and not value.strip():  # a slip, not "the default"
            raise DeepphenError(f"{option} needs a value, not an empty one",
                                hint=f"drop {option} or give it a value")
    start = _bound(since or DEFAULT_SINCE, today, end=False, option="--since")
    end = _bound(until, today, end=True, option="--until") if until else today
    if since is not None and re.fullmatch(r"\s*0+\s*d\s*", since, re.IGNORECASE):
        raise DeepphenError("--since 0d is an empty window", hint="e.g. --since 1d")
    if until and end < start:
        if since is None:
            raise DeepphenError(f"--until {end} is before the default --since {start} "
                                f"({DEFAULT_SINCE} ago)", hint="give --since too")
        raise DeepphenError(f"--until {end} is before --since {start}", hint="swap them")
    if start > today:
        raise DeepphenError(f"the window {start} to {end} is in the future (today is {today})",
                            hint="give a --since up to today")
    end = min(end, today)
    if end < ARXIV_START:
        raise DeepphenError(f"the window {start} to {end} is before arXiv's first papers "
                            f"({ARXIV_START:%B %Y})", hint="give a window from 1991-08 on")
    start = max(start, ARXIV_START)
    if (end - start).days + 1 > MAX_DAYS:
        raise DeepphenError(f"the window {start} to {end} is longer than a year",
                            hint="discover a year at most at a time")
    return Window(start, end)

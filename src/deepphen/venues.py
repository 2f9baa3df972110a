"""Venues: the conferences and journals the list knows, and the year in a venue.

One home for these facts: lint (DP411, a conference venue names its year), the BibTeX
export (an entry's type and its year), stats (venues counted without their year), import
(an entry dated by its venue) and add/refresh (a venue from arXiv's ``journal_ref``).
``YEAR_RE`` is the one pattern for a year in text; year headings of the page use it too.
"""

from __future__ import annotations

import re

# A four-digit year from 1900 to 2099 that is not part of a longer number: "ICLR 2023",
# "Empirical Study: 2023", "Nature 630, 123-130 (2024)".
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# A year in brackets, as arXiv's journal_ref writes it ("PNAS 117 (2020)"): the brackets go
# with it.
_BRACKETED_YEAR_RE = re.compile(r"[(\[]\s*" + YEAR_RE.pattern + r"\s*[)\]]")

# Conferences by the acronym that leads their venue ("ICLR 2023", "NeurIPS 2022 Workshop"),
# as the list writes them. A conference meets every year, so its venue names the edition.
CONFERENCES = (
    "ICLR", "NeurIPS", "NIPS", "ICML", "CVPR", "ICCV", "ECCV", "ACCV", "WACV", "BMVC",
    "AISTATS", "UAI", "COLT", "ALT", "AAAI", "IJCAI", "ACL", "EMNLP", "NAACL", "EACL", "COLING",
    "CoNLL", "COLM", "KDD", "WWW", "SIGIR", "MLSys", "CoRL", "CoLLAs", "LoG", "ICASSP",
    "INTERSPEECH", "ISIT", "CogSci", "CCN", "COSYNE", "MIDL", "ICDM", "SDM", "ECML", "ACML",
    "ICRA", "IROS", "RSS", "MICCAI", "FAccT",
)
# Journals whose venue is their name, longest first where one name starts another.
JOURNALS = ("Nature Machine Intelligence", "Nature Communications", "Nature Neuroscience",
            "Nature Physics", "Science Advances", "Physical Review Letters", "Nature", "Science")
# Venues that have no edition year: journals known by an acronym.
YEARLESS = frozenset({"JMLR", "TMLR", "PNAS"})
# How a journal_ref names a venue -> the list's short name (lower case, on word boundaries).
VENUE_PHRASES = {
    "iclr": "ICLR", "international conference on learning representations": "ICLR",
    "neurips": "NeurIPS", "nips": "NeurIPS", "neural information processing systems": "NeurIPS",
    "icml": "ICML", "international conference on machine learning": "ICML",
    "cvpr": "CVPR", "computer vision and pattern recognition": "CVPR",
    "iccv": "ICCV", "eccv": "ECCV", "aistats": "AISTATS", "uai": "UAI", "colt": "COLT",
    "aaai": "AAAI", "ijcai": "IJCAI", "acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL",
    "tmlr": "TMLR", "jmlr": "JMLR", "journal of machine learning research": "JMLR",
    "transactions on machine learning research": "TMLR", "mlsys": "MLSys", "kdd": "KDD",
    "colm": "COLM", "pnas": "PNAS", "proceedings of the national academy of sciences": "PNAS",
    "proc. natl. acad. sci": "PNAS",
}

_ACRONYMS = "|".join(re.escape(name) for name in CONFERENCES)
_CONFERENCE_RE = re.compile(rf"^(?:{_ACRONYMS})\b")
# A workshop may be named after anything ("... Workshop on Science of Deep Learning"), so a
# leading acronym in any case, or a meeting word anywhere, makes a venue a conference's.
_MEETING_RE = re.compile(rf"^(?:{_ACRONYMS})\b|\b(?:workshop|conference|symposium)s?\b",
                         re.IGNORECASE)
_JOURNAL_RE = re.compile(
    r"\b(?:nature|science|pnas|jmlr|tmlr|tpami|tnnls|tnn|tip|tsp|tit|ijcv|jair|jov|neuron"
    r"|cell|elife|plos|neural computation|neural networks|neurocomputing|entropy|annals|siam"
    r"|physical review|phys\.? rev|journal|transactions|letters|review|magazine|acta"
    r"|information and inference|foundations and trends|proceedings of the ieee"
    r"|proceedings of the national academy|proceedings of the royal society)\b",
    re.IGNORECASE,
)
_PROCEEDINGS_RE = re.compile(r"\bproceedings\b", re.IGNORECASE)
# Page and volume numbers of a journal_ref below this are not its year.
_EARLIEST_JOURNAL_REF_YEAR = 1980


def year_in(text: str) -> int | None:
    """The first year named in ``text``, or None."""
    m = YEAR_RE.search(text)
    return int(m.group(1)) if m else None


def venue_name(venue: str) -> str:
    """A venue without its year, so that "ICLR 2022" and "ICLR 2023" count together."""
    # The punctuation that joined the year goes with it: "NeurIPS-2022", "NeurIPS, 2023".
    bare = YEAR_RE.sub(" ", _BRACKETED_YEAR_RE.sub(" ", venue))
    bare = " ".join(bare.split()).strip(" ,;:-\u2013\u2014'")
    return bare or venue.strip()


def conference_acronym(venue: str) -> str | None:
    """The conference acronym leading ``venue`` exactly as the list writes it, or None."""
    m = _CONFERENCE_RE.match(venue.strip())
    return m.group() if m else None


def is_meeting(venue: str) -> bool:
    """True for a conference's, workshop's or symposium's venue (any case)."""
    return bool(_MEETING_RE.search(venue))


def is_journal(venue: str) -> bool:
    """True for a journal's venue (a known journal, or a journal word: "Transactions")."""
    return bool(_JOURNAL_RE.search(venue))


def is_proceedings(venue: str) -> bool:
    """True when the venue names proceedings ("Proceedings of ...")."""
    return bool(_PROCEEDINGS_RE.search(venue))


# Markdown emphasis around a run of the text: *x*, **x**, _x_, __x__ (underscores only at
# word edges, as markdown reads them: "NeurIPS_2023" holds none).
_EMPHASIS_RE = re.compile(r"(\*\*?)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__?)(?=\S)(.+?)(?<=\S)\3(?!\w)")


def plain_venue(text: str) -> str:
    """``text`` as the list writes a venue: plain text, as the page sets it in italics
    itself (no markdown emphasis, paired or stray at the ends) and single-spaced."""
    text = _EMPHASIS_RE.sub(lambda m: m.group(2) or m.group(4), text)
    return " ".join(text.strip("*_ ").split())


def venue_from_journal_ref(journal_ref: str | None) -> str | None:
    """A short venue in the list's style ("ICLR 2023", "Nature") from arXiv's ``journal_ref``.

    Known conferences become acronym + year; a known journal its name; anything else the
    journal_ref itself, whitespace-collapsed and without a trailing period.
    """
    if not journal_ref:
        return None
    text = plain_venue(journal_ref).rstrip(". ")
    low = text.lower()
    year = next((m.group(1) for m in YEAR_RE.finditer(text)
                 if int(m.group(1)) >= _EARLIEST_JOURNAL_REF_YEAR), "")
    for phrase, acronym in sorted(VENUE_PHRASES.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            workshop = " Workshop" if "workshop" in low else ""
            if acronym in YEARLESS:
                return acronym
            return f"{acronym} {year}{workshop}".strip().replace("  ", " ")
    for journal in JOURNALS:
        if re.match(rf"{re.escape(journal)}\b", text, re.IGNORECASE):
            return journal
    return text or None

"""deepphen.venues: venue names and the year in a venue, the one home that lint, BibTeX,
stats, import and add share."""

from __future__ import annotations

import pytest

from deepphen.export import bibtex
from deepphen.models import Paper
from deepphen.venues import (
    CONFERENCES,
    conference_acronym,
    is_journal,
    is_meeting,
    venue_from_journal_ref,
    venue_name,
    year_in,
)


@pytest.mark.parametrize(("text", "year"), [
    ("ICLR 2023", 2023), ("NeurIPS 2022 Workshop", 2022), ("Nature", None),
    ("Empirical Study (1999)", 1999), ("ICLR2023", 2023), ("12023", None), ("20234", None),
    ("Phys. Rev. B 85, 115117 (2012)", 2012), ("2101", None),
])
def test_year_in_finds_a_whole_four_digit_year(text: str, year: int | None) -> None:
    assert year_in(text) == year


@pytest.mark.parametrize(("venue", "name"), [
    ("ICLR 2023", "ICLR"), ("NeurIPS 2022 Workshop", "NeurIPS Workshop"), ("Nature", "Nature"),
    ("2020", "2020"),
    # A bracketed year took only its digits: "Nature ( )" in BibTeX's journal and in stats.
    ("Nature (2020)", "Nature"), ("PNAS 117 (2020)", "PNAS 117"),
    ("NeurIPS (2019) Workshop", "NeurIPS Workshop"), ("Phys. Rev. E [ 2019 ]", "Phys. Rev. E"),
    ("Nature (2020", "Nature ("),  # unmatched: only the year goes
])
def test_venue_name_drops_the_year(venue: str, name: str) -> None:
    assert venue_name(venue) == name


def test_conference_acronym_is_matched_as_the_list_writes_it() -> None:
    assert conference_acronym("  NeurIPS 2022 Workshop") == "NeurIPS"
    assert conference_acronym("COSYNE 2021") == "COSYNE"
    # A word that merely starts like an acronym, or an acronym in another case, is not one.
    assert conference_acronym("Log Analysis Journal") is None
    assert conference_acronym("ICLRx") is None
    assert conference_acronym("Nature") is None


def test_every_conference_is_one_for_lint_and_bibtex_alike() -> None:
    for name in CONFERENCES:
        assert conference_acronym(f"{name} 2021") == name
        assert is_meeting(f"{name} 2021")
        paper = Paper(title="T", year=2021, section="s", venue=f"{name} 2021")
        assert bibtex.entry_type(paper)[0] == "inproceedings", name


def test_journals_and_meetings() -> None:
    assert is_journal("Journal of Statistical Physics") and not is_meeting("Nature")
    assert is_meeting("Workshop on Science of Deep Learning")


@pytest.mark.parametrize(
    ("journal_ref", "venue"),
    [
        ("Published as a conference paper at ICLR 2023", "ICLR 2023"),
        ("Advances in Neural Information Processing Systems 35 (NeurIPS 2022)", "NeurIPS 2022"),
        ("NeurIPS 2021 Workshop on Distribution Shifts", "NeurIPS 2021 Workshop"),
        ("Proceedings of the 40th International Conference on Machine Learning, PMLR 202, 2023",
         "ICML 2023"),
        ("Nature 630, 123-130 (2024)", "Nature"),
        ("Proc. Natl. Acad. Sci. U.S.A. 117 (40) 24652 (2020)", "PNAS"),
        ("Nature Machine Intelligence 4, 2022", "Nature Machine Intelligence"),
        ("Journal of Machine Learning Research 24 (2023)", "JMLR"),
        ("Phys. Rev. B 85, 115117 (2012).", "Phys. Rev. B 85, 115117 (2012)"),
        ("  Indiana Univ.\n Math. J. 73 (2024)  ", "Indiana Univ. Math. J. 73 (2024)"),
        (None, None),
    ],
)
def test_venue_from_journal_ref(journal_ref: str | None, venue: str | None) -> None:
    assert venue_from_journal_ref(journal_ref) == venue

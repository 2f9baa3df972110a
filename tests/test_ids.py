"""arXiv ids: every spelling parsed to the canonical id, bad ones refused, file-safe keys."""

from __future__ import annotations

import pytest

from deepphen import ids
from deepphen.errors import InvalidId


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2201.02177", "2201.02177"),
        ("2201.02177v3", "2201.02177"),
        ("0704.0001", "0704.0001"),
        ("arXiv:2201.02177", "2201.02177"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/abs/2201.02177", "2201.02177"),
        ("http://www.arxiv.org/pdf/2201.02177v1.pdf", "2201.02177"),
        ("https://export.arxiv.org/abs/hep-th/9901001/", "hep-th/9901001"),
        ("https://arxiv.org/html/2201.02177v2", "2201.02177"),
        ("https://arxiv.org/abs/2504.05357#", "2504.05357"),
    ],
)
def test_parse_arxiv_id(text: str, expected: str) -> None:
    assert ids.parse_arxiv_id(text).id == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "../etc/passwd", "2201.0217", "1401.00001", "2213.00001",
             "https://example.com/abs/2201.02177", "2201.02177\x00", "/abs/2201.02177"],
)
def test_parse_arxiv_id_refuses(text: str) -> None:
    with pytest.raises(InvalidId):
        ids.parse_arxiv_id(text)


def test_keys_are_file_safe() -> None:
    assert ids.key_for_id("hep-th/9901001") == "hep-th_9901001"
    assert ids.id_for_key("hep-th_9901001") == "hep-th/9901001"
    assert ids.id_for_key("some-slug") is None
    assert not ids.is_safe_key("../x")
    assert not ids.is_safe_key("/abs")
    assert ids.id_sort_key("hep-th/9901001") < ids.id_sort_key("0704.0001")


@pytest.mark.parametrize(("text", "bare"), [
    ("10.1038/s41586-024-07566-y", "10.1038/s41586-024-07566-y"),
    ("10.48550/arXiv.2206.07682", "10.48550/arXiv.2206.07682"),
    ("10.1000.10/abc(1)<x>;2", "10.1000.10/abc(1)<x>;2"),  # any suffix but spaces
    ("https://doi.org/10.1038/nature14539", "10.1038/nature14539"),
    ("HTTP://DX.DOI.ORG/10.1038/nature14539", "10.1038/nature14539"),
    ("https://www.doi.org/10.1038/nature14539", "10.1038/nature14539"),
    ("doi:10.1038/nature14539", "10.1038/nature14539"),
    ("  DOI: 10.1038/nature14539 ", "10.1038/nature14539"),
    ("s41586-024-07566-y", None),
    ("10.12/x", None),  # a registrant code has four digits at least
    ("10.1038/", None),
    ("10.1038/a b", None),
    ("11.1038/x", None),
    ("https://example.org/10.1038/x", None),
    ("10.1038/x\n", "10.1038/x"),  # stray spaces around it dropped too
    ("", None),
    # A link is read as doi.org reads it: percent-decoded, without query or fragment.
    ("https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C338::AID-JBM1%3E3.0.CO;2-%23",
     "10.1002/(SICI)1097-4636(199812)43:4<338::AID-JBM1>3.0.CO;2-#"),
    ("https://doi.org/10.1038/nature14539?utm_source=x#main", "10.1038/nature14539"),
    ("doi:10.1000/a%20b", "10.1000/a%20b"),  # a label is no link: its text is the DOI's
    # Decoded to a control, a bidi override or a NUL: no DOI.
    ("https://doi.org/10.1000/x%1B%5B2J", None),
    ("https://doi.org/10.1000/x%E2%80%AE", None),
    ("https://doi.org/10.1000/x%00", None),
    ("10.1000/x\u200b", None),
])
def test_dois_bare_and_prefixed(text: str, bare: str | None) -> None:
    """lint's DP210 and its fix: a bare DOI is itself; a link or label drops its prefix."""
    assert ids.bare_doi(text) == bare
    assert ids.is_doi(text) == (bare == text)


@pytest.mark.parametrize(("text", "first"), [
    ("10.1073/pnas.2015509117 10.48550/arXiv.2008.08186", "10.1073/pnas.2015509117"),
    ("https://doi.org/10.1038/nature14539", "10.1038/nature14539"),
    ("not a doi 10.1038/x", "10.1038/x"),
    ("no doi here", None),
    ("", None),
])
def test_the_first_doi_of_a_feeds_doi_text(text: str, first: str | None) -> None:
    """arXiv's ``arxiv:doi`` may list several DOIs: the paper file keeps the first, bare,
    so that a paper just added passes lint's DP210."""
    assert ids.first_doi(text) == first

"""The Atom parser over every real arXiv recording in ../shared/fixtures/arxiv (when present)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deepphen.atom import parse_feed
from deepphen.errors import NetworkError
from tests.helpers import ARXIV_FIXTURES

RECORDED = sorted(ARXIV_FIXTURES.glob("*.xml")) if ARXIV_FIXTURES.is_dir() else []

pytestmark = pytest.mark.shared


def _expected_ids(path: Path) -> list[str]:
    """Ids the recording holds: the ``<id>.../abs/ID`` of each non-empty entry."""
    text = path.read_text(encoding="utf-8")
    return [re.sub(r"v\d+$", "", m) for m in re.findall(r"<id>https?://arxiv\.org/abs/(\S+?)</id>",
                                                         text)]


@pytest.mark.skipif(not RECORDED, reason="../shared/fixtures/arxiv not present")
@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.name)
def test_every_recording_parses(path: Path) -> None:
    body = path.read_bytes()
    if path.name.startswith(("error-", "legacy-error-")):
        with pytest.raises(NetworkError, match="incorrect id format"):
            parse_feed(body)
        return
    entries = parse_feed(body)
    assert [e.id for e in entries] == _expected_ids(path)
    for entry in entries:
        assert entry.title and entry.title == " ".join(entry.title.split())
        assert entry.authors and all(a == " ".join(a.split()) for a in entry.authors)
        assert entry.published is not None and 1990 < entry.year < 2100
        assert entry.primary_category
        assert "\n" not in entry.summary


@pytest.mark.skipif(not RECORDED, reason="../shared/fixtures/arxiv not present")
def test_recorded_details() -> None:
    by_name = {p.name: p for p in RECORDED}
    [single] = parse_feed(by_name["single-2206.06921.xml"].read_bytes())
    assert (single.id, single.version, single.year) == ("2206.06921", 3, 2022)
    assert single.doi == "10.1512/iumj.2024.73.9928"
    assert single.journal_ref == "Indiana Univ. Math. J. 73 (2024), 1331-1356"
    [legacy] = parse_feed(by_name["legacy-single-versioned-1111.2011v2.xml"].read_bytes())
    assert legacy.title == ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the "
                            "Large Connectivity Limit")
    assert legacy.published.isoformat() == "2011-11-08"
    assert legacy.primary_category == "cond-mat.str-el"
    [old] = parse_feed(by_name["oldstyle-versioned-hep-ex_0406020v1.xml"].read_bytes())
    assert (old.id, old.version) == ("hep-ex/0406020", 1)
    partial = parse_feed(by_name[
        "legacy-multi-partial-2201.13455,2201.13452,2201.13453,2201.13454.xml"].read_bytes())
    assert [e.id for e in partial] == ["2201.13452"]
    assert parse_feed(by_name["legacy-empty-1201.56789.xml"].read_bytes()) == []

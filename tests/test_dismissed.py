"""catalog/dismissed.toml: reading, merging writes under the lock, and bad files."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from deepphen.dismissed import Dismissal, dismiss, load_dismissals
from deepphen.errors import CatalogError
from deepphen.fsutil import atomic_write_text


def test_dismiss_merges_sorts_and_keeps_the_first(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("")
    dismiss(tmp_path, [Dismissal("2505.00002", "B", dt.date(2025, 5, 2))])
    dismiss(tmp_path, [Dismissal("2501.00009", "A", reason="a survey"),
                       Dismissal("2505.00002", "B again")])
    text = (tmp_path / "dismissed.toml").read_text()
    assert text.startswith("# Papers `deepphen discover` leaves out")
    data = tomllib.loads(text)["dismissed"]
    assert [d["arxiv"] for d in data] == ["2501.00009", "2505.00002"]
    assert data[1] == {"arxiv": "2505.00002", "title": "B", "date": dt.date(2025, 5, 2)}
    assert load_dismissals(tmp_path)[0].reason == "a survey"
    assert not list(tmp_path.glob(".deepphen-tmp-*"))


def test_no_file_means_no_dismissals(tmp_path: Path) -> None:
    assert load_dismissals(tmp_path) == []


@pytest.mark.parametrize(("text", "message", "line"), [
    ('[[dismissed]]\narxiv = "x"\n', "must be an arXiv id", 1),
    ('[[dismissed]]\narxiv = "2501.00001"\n\n[[dismissed]]\narxiv = 5\n', "arXiv id", 4),
    ('[[dismissed]]\narxiv = "2501.00001"\nwhy = "?"\n', "unknown key 'why'", 1),
    ('[[dismissed]]\narxiv = "2501.00001"\ndate = "May"\n', "must be a date", 1),
    ('dismissed = 3\n', "list of tables", 1),
    ('[[dismissed]\n', "TOML syntax error", 1),
])
def test_bad_files_name_the_line(tmp_path: Path, text: str, message: str, line: int) -> None:
    atomic_write_text(tmp_path / "dismissed.toml", text)
    with pytest.raises(CatalogError, match=message) as info:
        load_dismissals(tmp_path)
    assert info.value.line == line

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


def test_a_curators_comment_survives_a_dismissal(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("")
    dismiss(tmp_path, [Dismissal("2505.00002", "B")])
    path = tmp_path / "dismissed.toml"
    text = path.read_text().replace('[[dismissed]]\narxiv = "2505.00002"',
                                    '# off topic: a hardware paper\n[[dismissed]]\n'
                                    'arxiv = "2505.00002"  # see the thread')
    path.write_text(text)
    dismiss(tmp_path, [Dismissal("2501.00009", "A", reason="a survey")])
    after = path.read_text()
    assert after.startswith(text)  # kept as written, the new entry after it
    assert "# off topic: a hardware paper\n" in after and "# see the thread" in after
    assert [d.arxiv for d in load_dismissals(tmp_path)] == ["2505.00002", "2501.00009"]
    dismiss(tmp_path, [Dismissal("2501.00009", "A again")])  # nothing new: not rewritten
    assert path.read_text() == after


def test_without_comments_the_file_stays_sorted(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("")
    dismiss(tmp_path, [Dismissal("2505.00002")])
    dismiss(tmp_path, [Dismissal("2501.00009")])  # only deepphen's own header: rewritten
    data = tomllib.loads((tmp_path / "dismissed.toml").read_text())["dismissed"]
    assert [d["arxiv"] for d in data] == ["2501.00009", "2505.00002"]


def test_an_inline_list_with_a_comment_is_refused_unchanged(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("")
    text = '# ours\ndismissed = [{arxiv = "2505.00002"}]\n'
    (tmp_path / "dismissed.toml").write_text(text)
    with pytest.raises(CatalogError, match="has a comment, which rewriting") as info:
        dismiss(tmp_path, [Dismissal("2501.00009")])
    assert info.value.line == 1 and info.value.exit_code == 2
    assert (tmp_path / "dismissed.toml").read_text() == text


def test_a_commented_file_after_a_dismissal_passes_lint(catalog_dir: Path, run_cli) -> None:
    path = catalog_dir / "dismissed.toml"
    path.write_text('# hardware papers go here\n[[dismissed]]  # first\narxiv = "2505.00002"\n')
    dismiss(catalog_dir, [Dismissal("2501.00009", "A")])
    assert path.read_text().startswith('# hardware papers go here\n[[dismissed]]  # first\n')
    run_cli("lint", "--rule", "DP605")
    assert [d.arxiv for d in load_dismissals(catalog_dir)] == ["2505.00002", "2501.00009"]


def test_a_bad_entry_after_a_commented_header_is_named_at_its_line(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "dismissed.toml", '[[dismissed]] # ok\narxiv = "2501.00001"\n'
                      '\n[[dismissed]]  # bad\narxiv = "x"\n')
    with pytest.raises(CatalogError, match="arXiv id") as info:
        load_dismissals(tmp_path)
    assert info.value.line == 4

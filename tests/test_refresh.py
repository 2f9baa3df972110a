"""`deepphen refresh` against the local fake arXiv API."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from deepphen.arxiv import Client
from deepphen.catalog import Catalog
from deepphen.refresh import Change, changes_for, refresh
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.helpers import make_catalog, sample_papers, sample_settings, tree


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_all_reports_changes_and_writes_nothing(catalog_dir: Path, arxiv: ArxivServer,
                                                run_cli) -> None:
    before = {p: p.read_bytes() for p in catalog_dir.rglob("*.toml")}
    result = run_cli("refresh", "--all", exit_code=1)
    lines = result.stdout.splitlines()
    assert "2008.08186\tdoi\t(none)\t10.1073/pnas.2015509117" in lines
    assert "2505.04741\tvenue\t(none)\tICML 2025" in lines
    assert len(lines) == 2  # venue absent upstream never erases "ICLR 2022 Workshop"
    assert "checked 4 papers; 2 changed upstream" in result.stderr
    assert {p: p.read_bytes() for p in catalog_dir.rglob("*.toml")} == before
    assert [len(r.ids) for r in arxiv.requests] == [4]


def test_write_applies_changes(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    run_cli("refresh", "--all", "--write")
    assert read(catalog_dir / "neural-collapse" / "2008.08186.toml")["doi"] == \
        "10.1073/pnas.2015509117"
    assert read(catalog_dir / "empirical-study" / "2505.04741.toml")["venue"] == "ICML 2025"
    run_cli("refresh", "--all")  # nothing left to change: exit 0


def test_write_leaves_a_file_with_a_comment_as_it_is(catalog_dir: Path, arxiv: ArxivServer,
                                                      run_cli) -> None:
    """Writing a paper file from its data would drop a curator's comment: that file is left
    as it is and named with the comment's line; the other one is written; exit 1."""
    path = catalog_dir / "neural-collapse" / "2008.08186.toml"
    text = '# venue checked by hand\n' + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    result = run_cli("refresh", "--all", "--write", exit_code=1)
    assert path.read_text(encoding="utf-8") == text
    assert read(catalog_dir / "empirical-study" / "2505.04741.toml")["venue"] == "ICML 2025"
    assert result.stderr.splitlines()[:2] == [
        f"deepphen: warning: {path}:1: has a comment, which rewriting the file would drop; "
        "not written (make the change by hand, or remove the comment and run 'deepphen "
        "refresh --write' again)",
        "checked 4 papers; 2 changed upstream; wrote 1 file"]
    data = json.loads(run_cli("refresh", "--all", "--write", "-f", "json", exit_code=1).stdout)
    assert data["written"] == [] and [k["line"] for k in data["kept"]] == [1]


def test_write_names_the_page_it_regenerated(catalog_dir: Path, arxiv: ArxivServer,
                                            run_cli) -> None:
    """As add does: the page goes into the same commit as the papers (lint's DP501)."""
    make_catalog(catalog_dir, settings=sample_settings(page="README.md", regenerate_page=True))
    result = run_cli("refresh", "--all", "--write")
    assert f"updated {catalog_dir / 'README.md'}" in result.stderr.splitlines()
    assert "updated" not in run_cli("refresh", "--all").stderr  # nothing written, none said


def test_title_and_author_changes_shown_old_to_new(catalog_dir: Path, arxiv: ArxivServer,
                                                   run_cli) -> None:
    block = arxiv.feeds["current"][2]["2201.02177"]
    arxiv.overrides["2201.02177"] = block.replace(
        "Small Algorithmic Datasets</title>", "Small Algorithmic Datasets, Revisited</title>"
    ).replace("<name>Vedant Misra</name>", "<name>Vedant  Misra</name>\n    </author>\n"
              "    <author>\n      <name>New Author</name>")
    result = run_cli("refresh", "arXiv:2201.02177v1", "--format", "json", exit_code=1)
    data = json.loads(result.stdout)
    [update] = data["updates"]
    assert update["arxiv"] == "2201.02177"
    assert update["path"].endswith("emergence-and-phase-transitions/2201.02177.toml")
    fields = {c["field"]: c for c in update["changes"]}
    assert set(fields) == {"title", "authors"}
    assert fields["title"]["new"].endswith("Datasets, Revisited")
    assert fields["authors"]["new"][-2:] == ["Vedant Misra", "New Author"]
    assert data["checked"] == 1 and data["missing"] == [] and data["written"] == []


def test_cosmetic_differences_are_not_changes() -> None:
    paper = sample_papers()[0]
    entry = _entry(title=paper.title.upper() + ".", authors=[a.lower() for a in paper.authors])
    assert changes_for(paper, entry) == []
    moved = _entry(title=paper.title, authors=paper.authors, doi="10.1/X", journal_ref="ICLR 2022")
    assert changes_for(paper, moved) == [Change("venue", "ICLR 2022 Workshop", "ICLR 2022"),
                                         Change("doi", None, "10.1/X")]
    assert Change("authors", ["A", "B"], ["A"]).describe() == "authors: A, B -> A"


def _entry(**fields: object) -> object:
    from deepphen.arxiv import ArxivEntry

    base = {"id": "2201.02177", "version": 1, "title": "", "authors": [], "published": None}
    return ArxivEntry(**{**base, **fields})


def test_missing_upstream_is_reported(tmp_path: Path, arxiv: ArxivServer, run_cli,
                                      monkeypatch) -> None:
    papers = sample_papers()
    papers[2].arxiv = "2301.99999"
    papers[2].key = ""
    root = make_catalog(tmp_path / "catalog", papers)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("refresh", "--all", exit_code=1)
    assert "arXiv no longer lists 1 of them: 2301.99999" in result.stderr


def test_many_missing_ids_are_summed_up_in_one_short_line(tmp_path: Path, arxiv: ArxivServer,
                                                          run_cli, monkeypatch) -> None:
    """A catalog pointed at a partial mirror must not get a warning of hundreds of ids."""
    papers = [dataclasses.replace(sample_papers()[2], arxiv=f"2301.{99900 + i}", key="",
                                  title=f"Gone {i}") for i in range(25)]
    root = make_catalog(tmp_path / "catalog", papers)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("refresh", "--all")
    line = next(x for x in result.stderr.splitlines() if "no longer lists" in x)
    assert "no longer lists 25 of them: " in line
    assert line.count("2301.") == 10 and line.endswith("and 15 more (--format json lists "
                                                       "them all)")
    data = json.loads(run_cli("refresh", "--all", "--format", "json").stdout)
    assert len(data["missing"]) == 25


def test_unknown_ids_and_usage(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    result = run_cli("refresh", "2206.07682", exit_code=1)
    assert "not in the catalog: 2206.07682" in result.stderr
    assert "nothing to refresh" in run_cli("refresh", exit_code=2).stderr
    assert "not both" in run_cli("refresh", "2201.02177", "--all", exit_code=2).stderr
    assert "not an arXiv id" in run_cli("refresh", "../x", exit_code=2).stderr
    assert arxiv.requests == []


def test_network_failure_is_one_line(catalog_dir: Path, arxiv: ArxivServer, run_cli,
                                     monkeypatch) -> None:
    fake = FakeTime()
    monkeypatch.setattr(Client, "default_sleep", staticmethod(fake.sleep))
    monkeypatch.setattr(Client, "default_clock", staticmethod(fake.clock))
    arxiv.fail(*[Fault("status", 503)] * 4)
    result = run_cli("refresh", "--all", exit_code=2)
    [line] = result.stderr.splitlines()
    assert line.startswith("deepphen: error: cannot reach the arXiv API: HTTP 503 (4 tries)")
    assert arxiv.url in line
    assert fake.sleeps == [3.0, 6.0, 12.0]


def test_refresh_in_batches_of_100(tmp_path: Path, arxiv: ArxivServer) -> None:
    papers = []
    for n in range(1, 131):
        p = sample_papers()[0]
        p.title, p.arxiv, p.key = f"Paper number {n}", f"2101.{n:05d}", ""
        papers.append(p)
    root = make_catalog(tmp_path / "catalog", papers, sample_settings())
    fake = FakeTime()
    batches: list[int] = []
    result = refresh(root, everything=True, client=Client(clock=fake.clock, sleep=fake.sleep),
                     on_start=lambda n: batches.append(-n), on_batch=batches.append)
    assert batches == [-130, 100, 30]
    assert fake.sleeps == [3.0]
    assert result.checked == 130 and len(result.missing) == 130


def test_write_rereads_files_under_the_lock(catalog_dir: Path, arxiv: ArxivServer) -> None:
    result = refresh(catalog_dir, ["2008.08186"])
    path = result.updates[0].paper.path
    # The curator edits the file between the check and the write: the edit is kept.
    text = path.read_text(encoding="utf-8").replace('venue = "PNAS"', 'venue = "PNAS 2020"')
    path.write_text(text, encoding="utf-8")
    from deepphen.refresh import apply

    apply(catalog_dir, result.updates)
    data = read(path)
    assert data["venue"] == "PNAS 2020" and data["doi"] == "10.1073/pnas.2015509117"
    assert len(Catalog.load(catalog_dir).papers) == 5


def test_write_leaves_a_file_whose_changes_were_all_edited_meanwhile(
        catalog_dir: Path, arxiv: ArxivServer) -> None:
    """Every field shown was edited by hand before the write: no change applies, so the
    file was still written again (its layout, its mtime) and counted as written, and the
    page regenerated."""
    from deepphen.refresh import apply

    result = refresh(catalog_dir, ["2008.08186"])
    path = result.updates[0].paper.path
    # The DOI set by hand, first in the file: a rewrite would move it.
    text = 'doi = "10.1073/pnas.2015509117"\n' + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    settings = catalog_dir / "catalog.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "regenerate_page = false", 'page = "README.md"\nregenerate_page = true'),
        encoding="utf-8")
    before = tree(catalog_dir), path.stat().st_mtime_ns
    done = apply(catalog_dir, result.updates)
    assert (done.written, done.kept, done.stale) == ([], [], [])
    assert (tree(catalog_dir), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize("fmt", ["xml"])
def test_unknown_format(catalog_dir: Path, run_cli, fmt: str) -> None:
    assert "unknown format" in run_cli("refresh", "--all", "--format", fmt, exit_code=2).stderr


def test_progress_hooks_show_batches_and_waits() -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress

    from deepphen.cli.network import RichProgress, network_progress

    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    with Progress(console=console) as progress:
        hooks = RichProgress(progress, "checking arXiv")
        hooks.start(130)
        hooks.batch(100)
        hooks.wait(3.0, "rate limit")
        [task] = progress.tasks
        assert (task.total, task.completed) == (130, 100)
        assert task.description == "waiting 3s (rate limit)"
        hooks.batch(30)
        assert task.description == "checking arXiv" and task.completed == 130
    with network_progress("x") as quiet:  # pytest's output is not a terminal
        assert type(quiet).__name__ == "QuietProgress"

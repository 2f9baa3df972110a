"""Red-team tests of ``deepphen refresh --write``: what a hostile arXiv sends and what
changes on disk while it runs. (The basics are in test_refresh.py; an answer of other
papers, unfit records and loose ids in test_hostile_round6/7/8.py.)"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.refresh import apply, refresh
from tests.arxiv_query import CorpusEntry
from tests.arxiv_server import ArxivServer
from tests.helpers import tree

GROKKING = "emergence-and-phase-transitions/2201.02177.toml"
AUTHORS = ["Alethea Power", "Yuri Burda", "Harri Edwards", "Igor Babuschkin", "Vedant Misra"]


def serve(arxiv: ArxivServer, title: str, authors: list[str], **fields: object) -> None:
    """arXiv's record of 2201.02177 replaced by this one."""
    arxiv.overrides["2201.02177"] = CorpusEntry(
        "2201.02177", title, authors, str(fields.pop("summary", "An abstract.")), ["cs.LG"],
        dt.datetime(2022, 1, 6, 12), **fields).to_xml()


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def before_write(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run ``action`` once arXiv has answered, before --write takes the lock: a change on
    disk while refresh runs."""
    import deepphen.refresh as module

    real_apply = module.apply

    def apply_later(root: Path, updates: list, **options: object) -> object:
        action()
        return real_apply(root, updates, **options)

    monkeypatch.setattr(module, "apply", apply_later)


# ---------------------------------------------------------------------------------------
# The file's 'arxiv' field corrected while refresh ran (the curator found it named the wrong
# paper): the record of the old id was written over the paper the file now names. And a
# field edited meanwhile kept the edit, but the run said nothing and exited 0, though the
# change shown was not written.

def test_a_file_that_names_another_paper_since_it_was_read_is_not_written(
        catalog_dir: Path, arxiv: ArxivServer) -> None:
    serve(arxiv, "A Title of Another Paper", AUTHORS)
    result = refresh(catalog_dir, ["2201.02177"])
    path = catalog_dir / GROKKING
    path.write_text(path.read_text(encoding="utf-8").replace(
        'arxiv = "2201.02177"', 'arxiv = "2201.09999"'), encoding="utf-8")
    before = tree(catalog_dir)
    done = apply(catalog_dir, result.updates)
    assert tree(catalog_dir) == before and done.written == []
    [stale] = done.stale
    assert stale.paper.path == path and [c.field for c in stale.changes] == ["title"]


def test_a_field_edited_meanwhile_is_named_and_exits_1(catalog_dir: Path, arxiv: ArxivServer,
                                                       run_cli, monkeypatch) -> None:
    serve(arxiv, "Grokking, Revisited", AUTHORS, journal_ref="ICLR 2022")
    path = catalog_dir / GROKKING

    def edit() -> None:
        text = path.read_text(encoding="utf-8")
        edited = f'title = "Grokking, Edited {len(arxiv.requests)}"'
        path.write_text(re.sub(r"^title = .*$", edited, text, flags=re.M), encoding="utf-8")

    before_write(monkeypatch, edit)
    result = run_cli("refresh", "2201.02177", "--write", exit_code=1)
    assert f"deepphen: warning: {path}: changed on disk while refresh ran; title not " \
        "written" in result.stderr
    data = read(path)
    assert (data["title"], data["venue"]) == ("Grokking, Edited 1", "ICLR 2022")
    serve(arxiv, "Grokking, Revisited Again", AUTHORS, journal_ref="ICLR 2022")
    out = json.loads(run_cli("refresh", "2201.02177", "--write", "-f", "json",
                             exit_code=1).stdout)
    assert out["stale"] == [{"path": str(path), "fields": ["title"]}] and out["written"] == []


# ---------------------------------------------------------------------------------------
# An author list that names nobody ("et al." alone, names of punctuation) replaced the five
# real names with --write; an empty one never did.

@pytest.mark.parametrize("authors", [["et al."], ["et al", "..."], ["-", "."], ["...", "-"]])
def test_an_author_list_naming_nobody_is_no_change(catalog_dir: Path, arxiv: ArxivServer,
                                                   run_cli, authors: list[str]) -> None:
    serve(arxiv, "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
          authors)
    before = tree(catalog_dir)
    data = json.loads(run_cli("refresh", "2201.02177", "--write", "-f", "json").stdout)
    assert data["updates"] == [] and tree(catalog_dir) == before


# ---------------------------------------------------------------------------------------
# A paper arXiv marks withdrawn: add warns, refresh (the command that watches upstream)
# said nothing, even with nothing else changed.

def test_a_withdrawn_paper_is_named(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    serve(arxiv, "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
          AUTHORS, comment="This paper has been withdrawn by the authors")
    result = run_cli("refresh", "2201.02177", "2008.08186", exit_code=1)
    assert "deepphen: warning: 2201.02177 is withdrawn, says its arXiv comment or abstract; " \
        "check that the list should keep it" in result.stderr.splitlines()
    data = json.loads(run_cli("refresh", "--all", "-f", "json", exit_code=1).stdout)
    assert data["withdrawn"] == ["2201.02177"]


# ---------------------------------------------------------------------------------------
# A paper file, or its section folder, swapped for a symbolic link out of the catalog while
# refresh ran: --write read the file outside the catalog (its comments, its fields) before
# refusing to write through the link, and that refusal stopped the whole run (exit 2, no
# file written). It is now refused before it is read, and left as it is, as lint --fix
# leaves one: named on stderr, the other files written, exit 1.

@pytest.mark.parametrize("swap", ["file", "folder"])
def test_a_link_out_swapped_in_meanwhile_is_neither_read_nor_written(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch, tmp_path: Path,
        swap: str) -> None:
    from tests.helpers import spy_opens

    serve(arxiv, "Grokking, Revisited", AUTHORS)
    path = catalog_dir / GROKKING
    outside = tmp_path / "outside"
    outside.mkdir()
    opened: list[list[str]] = []  # the names os.open opens once the link is there
    before: dict[Path, bytes] = {}

    def swap() -> None:
        if swap == "file":
            (outside / "elsewhere.toml").write_bytes(path.read_bytes())
            path.unlink()
            path.symlink_to(outside / "elsewhere.toml")
        else:
            path.parent.rename(outside / path.parent.name)
            path.parent.symlink_to(outside / path.parent.name)
        before.update((p, p.read_bytes()) for p in outside.rglob("*.toml"))
        opened.append(spy_opens(monkeypatch))

    before_write(monkeypatch, swap)
    result = run_cli("refresh", "--all", "--write", exit_code=1)
    assert "refusing to write through it" in result.stderr
    assert "checked 4 papers; 3 changed upstream; wrote 2 files" in result.stderr
    assert read(catalog_dir / "neural-collapse" / "2008.08186.toml")["doi"]
    assert before and {p: p.read_bytes() for p in outside.rglob("*.toml")} == before
    [names] = opened
    assert "2008.08186.toml" in names  # (the spy sees the files read)
    assert not {"elsewhere.toml", "2201.02177.toml"} & set(names)


# ---------------------------------------------------------------------------------------
# A paper file moved to another section (or deleted) while refresh ran stopped --write with
# "cannot read: No such file or directory", exit 2, no file written: it is one more file
# changed on disk meanwhile, named, the others written.

def test_a_file_moved_meanwhile_is_named_and_the_others_written(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    serve(arxiv, "Grokking, Revisited", AUTHORS)
    path = catalog_dir / GROKKING
    moved = catalog_dir / "others" / path.name
    before_write(monkeypatch, lambda: path.rename(moved))
    result = run_cli("refresh", "--all", "--write", exit_code=1)
    assert f"{path}: changed on disk while refresh ran; title not written" in result.stderr
    assert "wrote 2 files" in result.stderr
    assert read(moved)["title"].startswith("Grokking: Generalization")
    assert read(catalog_dir / "neural-collapse" / "2008.08186.toml")["doi"]


def test_a_file_half_saved_meanwhile_is_named_and_the_others_written(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    """A file an editor left as invalid TOML while refresh ran stopped the whole write (exit
    2): it is left as it is, named with its error, and the others are written."""
    serve(arxiv, "Grokking, Revisited", AUTHORS)
    path = catalog_dir / GROKKING
    before_write(monkeypatch, lambda: path.write_text('title = "Grok', encoding="utf-8"))
    result = run_cli("refresh", "--all", "--write", exit_code=1)
    assert re.search(rf"{re.escape(str(path))}:1: .*\n", result.stderr), result.stderr
    assert "wrote 2 files" in result.stderr
    assert path.read_text(encoding="utf-8") == 'title = "Grok'
    assert read(catalog_dir / "neural-collapse" / "2008.08186.toml")["doi"]


# ---------------------------------------------------------------------------------------
# A catalog listing a paper twice (lint's DP304: "2201.02177" and "2201.02177v1"): refresh
# by id checked and wrote the last file only, --all both.

def test_a_paper_listed_twice_is_refreshed_in_both_files(catalog_dir: Path, arxiv: ArxivServer,
                                                         run_cli) -> None:
    serve(arxiv, "Grokking, Revisited", AUTHORS)
    path = catalog_dir / GROKKING
    twin = catalog_dir / "others" / "grokking-twin.toml"
    twin.write_text(path.read_text(encoding="utf-8").replace(
        'arxiv = "2201.02177"', 'arxiv = "2201.02177v1"'), encoding="utf-8")
    result = run_cli("refresh", "2201.02177", "--write")
    assert "checked 2 papers; 2 changed upstream; wrote 2 files" in result.stderr
    assert read(path)["title"] == read(twin)["title"] == "Grokking, Revisited"


# ---------------------------------------------------------------------------------------
# All or nothing (README): a later batch that fails, or Ctrl-C once the papers and while the
# page are written, leaves every file as it was.

def test_a_failed_later_batch_writes_nothing(tmp_path: Path, arxiv: ArxivServer,
                                             fake_clock: object, run_cli) -> None:
    from tests.arxiv_server import Fault
    from tests.helpers import make_catalog, sample_papers

    papers = [*sample_papers()]
    for n in range(1, 121):  # 124 ids: two requests; the first answered, the second not
        extra = sample_papers()[2]
        extra.title, extra.arxiv, extra.key = f"Paper number {n}", f"2101.{n:05d}", ""
        papers.append(extra)
    root = make_catalog(tmp_path / "catalog", papers)
    before = tree(root)
    serve(arxiv, "Grokking, Revisited", AUTHORS)  # a change the first answer brings
    arxiv.fail(Fault("body", body=arxiv.feed_for(["2201.02177"])), *[Fault("status", 503)] * 4)
    result = run_cli("refresh", "--all", "--write", "--catalog", root, exit_code=2)
    assert "HTTP 503" in result.stderr and tree(root) == before
    assert "2201.02177" in arxiv.requests[0].ids and len(arxiv.requests) == 5


def test_ctrl_c_while_the_page_is_written_puts_every_paper_back(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    import deepphen.add
    from tests.helpers import make_catalog, sample_settings

    make_catalog(catalog_dir, settings=sample_settings(page="README.md", regenerate_page=True))
    serve(arxiv, "Grokking, Revisited", AUTHORS)
    before = tree(catalog_dir)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(deepphen.add, "regenerate_page", interrupted)
    result = run_cli("refresh", "--all", "--write", exit_code=130)
    assert "interrupted" in result.stderr and tree(catalog_dir) == before

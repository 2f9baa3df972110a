"""Red-team round 7: add and refresh against odd arXiv records and odd catalogs, and
discover's triage. Each test is one class of defect, tried on its members; earlier rounds
are in tests/test_hostile_*.py and tests/test_hardening*.py.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen import add as core
from deepphen.catalog import Catalog, write_paper
from deepphen.models import Link, Paper
from deepphen.venues import plain_venue, venue_from_journal_ref
from tests.arxiv_query import CorpusEntry
from tests.arxiv_server import ArxivServer
from tests.helpers import one_line_error

Run = Callable[..., object]


def corpus_entry(arxiv_id: str, title: str, when: str = "2024-05-02T10:00:00",
                 **extra: object) -> CorpusEntry:
    return CorpusEntry(arxiv_id, title, ["Ann Example", "Bo Sample"], "An abstract.",
                       ["cs.LG"], dt.datetime.fromisoformat(when), **extra)  # type: ignore[arg-type]


def toml_of(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# The papers of one `add` were checked against the catalog only, never against each other:
# two near-identical titles, or one old paper given with and without its subject class,
# were written as two papers, which lint then refused (DP305, DP304).


def test_two_ids_of_one_call_that_are_one_paper_are_refused(
        catalog_dir: Path, arxiv: ArxivServer, run_cli: Run) -> None:
    arxiv.corpus = [corpus_entry("2405.00001", "Twin Titles of Grokking Phenomena"),
                    corpus_entry("2405.00002", "Twin titles of grokking phenomena.")]
    before = sorted(catalog_dir.rglob("*.toml"))
    result = run_cli("add", "2405.00001", "2405.00002", "-s", "others", "-k", "Grokking",
                     exit_code=1)
    assert "2405.00002 and 2405.00001 are the same paper" in result.stderr
    assert sorted(catalog_dir.rglob("*.toml")) == before
    run_cli("add", "2405.00001", "2405.00002", "-s", "others", "-k", "Grokking", "--force")
    assert (catalog_dir / "others" / "2405.00002.toml").is_file()


def test_one_paper_given_in_two_forms_is_fetched_and_added_once() -> None:
    assert core.parse_ids(["math.GT/0309136", "math/0309136v2", "2201.02177",
                           "arXiv:2201.02177", "https://arxiv.org/abs/2201.02177v3"]) == [
        "math.GT/0309136", "2201.02177"]


# ---------------------------------------------------------------------------------------
# The year came from the first version's date, the page's year subsection and lint's DP301
# from the id: a paper sent on 31 December with January's id was written a year early.


def test_the_year_written_is_the_ids(catalog_dir: Path, arxiv: ArxivServer,
                                     run_cli: Run) -> None:
    arxiv.corpus = [corpus_entry("2401.00020", "A Paper Sent on New Year's Eve",
                                 "2023-12-31T20:00:00")]
    run_cli("add", "2401.00020", "-s", "others", "-k", "Grokking")
    data = toml_of(catalog_dir / "others" / "2401.00020.toml")
    assert data["year"] == 2024 and str(data["published"]) == "2023-12-31"
    run_cli("lint")


# ---------------------------------------------------------------------------------------
# A paper known by an arxiv.org link only (no `arxiv` field): add refused it as "a
# near-identical title", --force added a second file beside it, and refresh said the id
# was not in the catalog at all.


@pytest.fixture
def linked_only(catalog_dir: Path, arxiv: ArxivServer) -> Path:
    arxiv.corpus = [corpus_entry("2408.00001", "What arXiv Calls the Paper")]
    paper = Paper(title="What the Curator Calls the Paper", year=2024, section="others",
                  authors=["Ann Example"], keywords=["Grokking"], key="linked-only-paper",
                  links=[Link("paper", "https://arxiv.org/abs/2408.00001")])
    write_paper(catalog_dir, paper)
    return catalog_dir / "others" / "linked-only-paper.toml"


def test_add_names_the_link_and_force_replaces_the_linking_paper(
        linked_only: Path, catalog_dir: Path, run_cli: Run) -> None:
    result = run_cli("add", "2408.00001", "-s", "others", exit_code=1)
    assert "already in the catalog (an arXiv link to it)" in result.stderr
    assert str(linked_only) in result.stderr
    result = run_cli("add", "2408.00001", "-s", "others", "-k", "Grokking", "--force")
    assert "replaces the existing entry" in result.stderr
    assert not linked_only.exists()
    assert sum(p.goes_by("2408.00001") for p in Catalog.load(catalog_dir).papers) == 1


def test_refresh_says_how_to_refresh_a_linking_paper(linked_only: Path,
                                                     run_cli: Run) -> None:
    result = run_cli("refresh", "2408.00001", exit_code=1)
    assert "linked by a paper without an 'arxiv' field" in result.stderr
    assert str(linked_only) in result.stderr
    assert 'add arxiv = "2408.00001" to its file' in result.stderr


# ---------------------------------------------------------------------------------------
# arXiv names math.GT/0309136 math/0309136 today: a server answering the old form asked
# for with the new one was "no paper" to add and "no longer listed" to refresh.


def test_an_answer_without_the_subject_class_is_the_paper_asked_for(
        catalog_dir: Path, arxiv: ArxivServer, run_cli: Run) -> None:
    run_cli("add", "math.GT/0309136", "-s", "others", "-k", "Grokking")  # as recorded
    assert toml_of(catalog_dir / "others" / "math.GT_0309136.toml")["arxiv"] == \
        "math.GT/0309136"
    for number in ("0309136", "0309137"):  # now the server drops the subject class
        arxiv.overrides[f"math.GT/{number}"] = corpus_entry(
            f"math/{number}", "Knots Answered Without Their Class",
            "2003-09-08T10:00:00").to_xml()
    result = run_cli("refresh", "math.GT/0309136", exit_code=None)
    assert result.exit_code in (0, 1) and "no longer" not in result.stderr, result.stderr
    run_cli("add", "math.GT/0309137", "-s", "others", "-k", "Grokking")
    assert toml_of(catalog_dir / "others" / "math_0309137.toml")["arxiv"] == "math/0309137"


def test_refresh_finds_an_old_paper_by_either_form(catalog_dir: Path, arxiv: ArxivServer,
                                                   run_cli: Run) -> None:
    run_cli("add", "math.GT/0309136", "-s", "others", "-k", "Grokking")
    result = run_cli("refresh", "math/0309136", exit_code=None)
    assert result.exit_code in (0, 1) and "not in the catalog" not in result.stderr


# ---------------------------------------------------------------------------------------
# A venue from arXiv's journal_ref kept markdown emphasis and a space before its final
# period; lint's fix stripped the ends only ("*Journal* 12" became "Journal* 12").


@pytest.mark.parametrize(("written", "plain"), [
    ("*Journal of Stuff* 12 (2023)", "Journal of Stuff 12 (2023)"),
    ("Proc. of the __Thing__ 2023", "Proc. of the Thing 2023"),
    ("**Nature**", "Nature"),
    ("*ICLR  2023*", "ICLR 2023"),
    ("A*STAR Journal 3", "A*STAR Journal 3"),
    ("NeurIPS_2023 Workshop", "NeurIPS_2023 Workshop"),
    ("Journal of Stuff* 12", "Journal of Stuff* 12"),
])
def test_a_venue_is_made_plain_text(written: str, plain: str) -> None:
    assert plain_venue(written) == plain
    assert plain_venue(plain) == plain  # what lint's fix writes, lint takes


def test_a_journal_ref_becomes_a_plain_venue() -> None:
    assert venue_from_journal_ref("Proc. of the __Thing__ 2023 .") == "Proc. of the Thing 2023"
    assert venue_from_journal_ref("*Journal of Stuff* 12 (2023)") == \
        "Journal of Stuff 12 (2023)"


def test_lint_fix_writes_a_venue_lint_takes(catalog_dir: Path, run_cli: Run) -> None:
    path = catalog_dir / "emergence-and-phase-transitions" / "2201.02177.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('venue = "ICLR 2022 Workshop"',
                                 'venue = "*Journal of Stuff* 12 (2023)"'), encoding="utf-8")
    assert "DP412" in run_cli("lint").stdout  # a warning
    run_cli("lint", "--fix", exit_code=None)
    assert toml_of(path)["venue"] == "Journal of Stuff 12 (2023)"


# ---------------------------------------------------------------------------------------
# A dotted key (links.paper = "x") was reported without its line or a way to mend it.


def test_a_dotted_key_of_the_wrong_type_is_located(catalog_dir: Path, run_cli: Run) -> None:
    path = catalog_dir / "emergence-and-phase-transitions" / "2201.02177.toml"
    lines = path.read_text(encoding="utf-8").split("links = [")[0].rstrip("\n").split("\n")
    path.write_text("\n".join([*lines, 'links.paper = "x"', ""]), encoding="utf-8")
    result = run_cli("search", "grokking", exit_code=2)
    one_line_error(result, f"{path}:{len(lines) + 1}:", "field 'links' must be a list",
                   "docs/catalog-format.md")


# ---------------------------------------------------------------------------------------
# lint --fix and export (a red-team pass over both dialects).

SAMPLE = "emergence-and-phase-transitions/2201.02177.toml"


def edit_sample(root: Path, old: str, new: str) -> Path:
    path = root / SAMPLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_fix_keeps_the_other_keys_of_a_link(catalog_dir: Path, run_cli: Run) -> None:
    """Any fix rewriting a paper file dropped a link table's keys besides label and url."""
    path = edit_sample(catalog_dir, 'url = "https://github.com/openai/grok" }',
                       'url = "https://github.com/openai/grok", note = "official", stars = 12 }')
    result = run_cli("lint", exit_code=1)
    assert "unknown key 'note' in links[1]; a link has a label and a url" in result.stdout
    edit_sample(catalog_dir, 'venue = "ICLR 2022 Workshop"', 'venue = "*ICLR 2022 Workshop*"')
    run_cli("lint", "--fix", exit_code=1)
    code = toml_of(path)["links"][1]
    assert code["note"] == "official" and code["stars"] == 12
    exported = json.loads(run_cli("export", "--format", "json").stdout)
    [paper] = [p for p in exported["papers"] if p.get("arxiv") == "2201.02177"]
    assert paper["links"][1]["note"] == "official"


def test_one_fix_run_settles_a_long_chain_and_the_page(tmp_path: Path, run_cli: Run) -> None:
    """A title ending ". . . . . . . ." took one pass a group, passes ran out at five, and
    the page was left stale (DP501) by the very run asked to fix it."""
    from tests.helpers import make_catalog, sample_papers, sample_settings

    root = make_catalog(tmp_path / "catalog", sample_papers(),
                        sample_settings(page="README.md", regenerate_page=True))
    edit_sample(root, 'title = "Grokking: Generalization Beyond Overfitting on Small '
                'Algorithmic Datasets"', 'title = "Grokking. . . . . . . . . . . ."')
    edit_sample(root, '"Grokking",\n]', '"Grokking. . . . . . . . .",\n]')
    run_cli("lint", "--fix", "--catalog", root)
    assert toml_of(root / SAMPLE)["title"] == "Grokking"
    assert toml_of(root / SAMPLE)["keywords"] == ["Grokking"]
    run_cli("lint", "--catalog", root)


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\u00ad", "\u180e"])
def test_lint_flags_and_drops_invisible_characters(char: str, catalog_dir: Path,
                                                   run_cli: Run) -> None:
    path = edit_sample(catalog_dir, '"Yuri Burda"', f'"Yuri{char} Burda"')
    result = run_cli("lint", exit_code=1)
    assert f"invisible character U+{ord(char):04X} in authors (DP413)" in result.stdout
    run_cli("lint", "--fix")
    assert "Yuri Burda" in toml_of(path)["authors"]


@pytest.mark.parametrize(("title", "braced"), [
    ("Convergence in $L_2$ and Beyond", "{{\\$L\\_2\\$}}"),
    ("On #GPT Prompts", "{{\\#GPT}}"),
    ("The NTK Regime", "{NTK}"),
])
def test_bibtex_protects_a_word_opening_on_an_escape(title: str, braced: str) -> None:
    """A top-level brace opening on a backslash is a "special character" to BibTeX, whose
    letters it lower-cases: {\\$L\\_2\\$} became $l_2$."""
    from deepphen.export.bibtex import title_value

    assert braced in title_value(title).split(" ")


def test_a_fixed_line_is_cut_as_findings_are(catalog_dir: Path, run_cli: Run) -> None:
    huge = "W" * 300_000
    edit_sample(catalog_dir, 'venue = "ICLR 2022 Workshop"', f'venue = "*{huge}*"')
    result = run_cli("lint", "--fix", exit_code=None)
    assert max(map(len, (result.stdout + result.stderr).splitlines())) < 2_000


@pytest.mark.parametrize(("url", "stripped"), [
    ("https://ex.org/p?print&utm_source=x", "https://ex.org/p?print"),
    ("https://ex.org/search?q=a%20b&utm_source=x", "https://ex.org/search?q=a%20b"),
    ("https://ex.org/p?path=a%2Fb&utm_medium=y", "https://ex.org/p?path=a%2Fb"),
    ("https://ex.org/p?a=1;b=2&utm_source=x", "https://ex.org/p?a=1;b=2"),
    ("https://ex.org/p?utm_source=x&fbclid=y", "https://ex.org/p"),
    ("https://ex.org/p?utm%5Fsource=x&id=3", "https://ex.org/p?id=3"),
])
def test_stripping_tracking_keeps_the_rest_as_written(url: str, stripped: str) -> None:
    from deepphen.lint.rules.links import strip_tracking

    assert strip_tracking(url) == stripped


def test_a_table_under_a_key_is_its_line_only_when_the_key_has_none() -> None:
    """``[[pages.sections]]`` is no ``[[pages]]`` of its own: counting it moved the error
    of the second page to another table's line."""
    from deepphen.comments import key_line

    lines = ["[[pages]]", "[[pages.sections]]", "[[pages]]", "x = 1"]
    assert key_line(lines, "pages", 1) == 3
    assert key_line(["[links.paper]", "url = 'x'"], "links") == 1
    assert key_line(["title = 'x'", "links.paper = 'x'"], "links") == 2


# ---------------------------------------------------------------------------------------
# A review of the round's own changes.


def test_a_paper_linking_to_an_id_is_not_that_paper(catalog_dir: Path, arxiv: ArxivServer,
                                                    run_cli: Run) -> None:
    """add --force removed a paper that merely linked to the id (a follow-up link), and add
    refused the id as already in the catalog."""
    path = edit_sample(catalog_dir, '{ label = "code", url = "https://github.com/openai/grok" }',
                       '{ label = "follow-up", url = "https://arxiv.org/abs/2206.07682" }')
    run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence")
    run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence", "--force")
    assert path.is_file()
    assert [p.arxiv for p in Catalog.load(catalog_dir).papers].count("2206.07682") == 1


def test_a_broken_dismissals_file_does_not_block_an_addition(catalog_dir: Path,
                                                             arxiv: ArxivServer,
                                                             run_cli: Run) -> None:
    (catalog_dir / "dismissed.toml").write_text("[[dismissed]\narxiv = 1\n", encoding="utf-8")
    run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence")
    assert (catalog_dir / "others" / "2206.07682.toml").is_file()
    assert "DP605" in run_cli("lint", exit_code=1).stdout  # the file is lint's to report


def test_a_dismissal_is_dropped_through_a_link_inside_the_catalog(
        catalog_dir: Path, arxiv: ArxivServer, run_cli: Run) -> None:
    from deepphen.dismissed import Dismissal, dismissals_to_toml, load_dismissals

    real = catalog_dir / "team-dismissed.toml"
    real.write_text(dismissals_to_toml([Dismissal("2206.07682", "x")]), encoding="utf-8")
    (catalog_dir / "dismissed.toml").symlink_to(real.name)
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence")
    assert "no longer dismissed: 2206.07682" in result.stderr
    assert (catalog_dir / "dismissed.toml").is_symlink() and not load_dismissals(catalog_dir)


def test_merging_a_page_takes_its_papers_out_of_the_dismissals(tmp_path: Path,
                                                               run_cli: Run) -> None:
    from deepphen.dismissed import Dismissal, dismiss, load_dismissals
    from tests.helpers import FIXTURES

    lists = FIXTURES / "lists"
    root = tmp_path / "catalog"
    run_cli("import", lists / "family-full.md", "--catalog", root, "--page", "full.md",
            exit_code=None)
    front = parse_front(lists / "family-front.md")
    dismiss(root, [Dismissal(front, "x"), Dismissal("2401.00009", "y")])
    result = run_cli("import", lists / "family-front.md", "--catalog", root, "--merge",
                     "--page", "front.md", exit_code=None)
    assert f"no longer dismissed: {front}" in result.stderr
    assert [d.arxiv for d in load_dismissals(root)] == ["2401.00009"]


def parse_front(page: Path) -> str:
    """The arXiv id of the first paper of a page."""
    import re

    return re.search(r"arxiv\.org/abs/(\d{4}\.\d{4,5})", page.read_text()).group(1)


def test_a_cached_paper_keeps_its_links_other_keys() -> None:
    from deepphen.cache import _pack, _unpack

    paper = Paper(title="T", year=2024, section="s",
                  links=[Link("code", "https://x.org", {"note": "official", "stars": 3})])
    assert _unpack(_pack(paper), "s/t.toml").links == paper.links


def test_both_forms_of_an_old_id_in_one_batch_are_found(arxiv: ArxivServer) -> None:
    from deepphen.arxiv import Client
    from tests.arxiv_server import FakeTime

    fake = FakeTime()
    found = Client(clock=fake.clock, sleep=fake.sleep).fetch(["math.GT/0309136",
                                                              "math/0309136"])
    assert set(found) == {"math.GT/0309136", "math/0309136"}


def test_a_default_holding_a_replacement_character_is_taken(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog damaged by the old bug offers "R\ufffdgularisation" as a default: Enter
    was refused again and again as "could not read what was typed"."""
    import typer

    from deepphen.cli.add import ask

    monkeypatch.setattr(typer, "prompt", lambda text, default=None, **kw: default)
    assert ask("Key words", default="R\ufffdgularisation") == "R\ufffdgularisation"

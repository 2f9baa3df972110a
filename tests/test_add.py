"""`deepphen add` against the local fake arXiv API: ids, duplicates, sections, output, writing."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen import add as core
from deepphen.catalog import Catalog, load_settings, read_paper, settings_to_toml
from deepphen.errors import InvalidId
from deepphen.fsutil import atomic_write_text
from deepphen.models import Link, Paper
from tests.arxiv_server import ArxivServer
from tests.helpers import (
    ctrl_c_after,
    make_catalog,
    one_line_error,
    sample_papers,
    sample_settings,
)

EMERGENCE = "emergence-and-phase-transitions"


def catalog_files(root: Path) -> dict[str, bytes]:
    """Every catalog file and its bytes (to check nothing changed); lock and cache aside."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".deepphen")}


def test_add_with_section_and_keyword_variant(catalog_dir: Path, arxiv: ArxivServer,
                                              run_cli) -> None:
    result = run_cli("add", "https://arxiv.org/pdf/2206.07682v2.pdf", "--section", "emergence",
                     "-k", "large-language models", "-k", "Emergent Abilities",
                     "--code", "https://github.com/o/r")
    path = catalog_dir / EMERGENCE / "2206.07682.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["title"] == "Emergent Abilities of Large Language Models"
    assert data["authors"] == ["Jason Wei", "Yi Tay", "Rishi Bommasani"]
    assert data["year"] == 2022 and str(data["published"]) == "2022-06-15"
    assert data["arxiv"] == "2206.07682" and data["category"] == "cs.CL"
    assert data["venue"] == "TMLR"
    assert data["keywords"] == ["Large Language Model", "Emergent Abilities"]
    assert data["links"] == [{"label": "paper", "url": "https://arxiv.org/abs/2206.07682"},
                             {"label": "code", "url": "https://github.com/o/r"}]
    assert "- Emergent Abilities of Large Language Models. [[paper]]" in result.stdout
    assert f"wrote {path}" in result.stdout
    assert "'large-language models' written as 'Large Language Model'" in result.stderr
    assert arxiv.requests[0].ids == ["2206.07682"]


def test_old_style_id_and_arxiv_prefix(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    run_cli("add", "arXiv:math.GT/0309136v1", "-s", "Others")
    data = tomllib.loads((catalog_dir / "others" / "math.GT_0309136.toml").read_text())
    assert data["arxiv"] == "math.GT/0309136" and data["year"] == 2003


@pytest.mark.parametrize("bad", ["../../etc/passwd", "2201.0217", "https://example.org/abs/2201.02177",
                                 "1501.0001", "hep-th/99010011", "2201.02177/../../x", ""])
def test_invalid_ids_refused_before_any_request(catalog_dir: Path, arxiv: ArxivServer, run_cli,
                                                bad: str) -> None:
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2206.07682", bad, "-s", "emergence", exit_code=2)
    assert "not an arXiv id" in result.stderr or "no arXiv id" in result.stderr
    assert arxiv.requests == []
    assert catalog_files(catalog_dir) == before


@given(st.text(max_size=60))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
def test_any_text_is_an_id_inside_the_catalog_or_refused(tmp_path: Path, text: str) -> None:
    try:
        [arxiv_id] = core.parse_ids([text])
    except InvalidId:
        return
    from deepphen.catalog import paper_path

    paper = Paper(title="t", year=2020, section="others", arxiv=arxiv_id,
                  key=core.ids.key_for_id(arxiv_id))
    path = paper_path(tmp_path, paper).resolve()
    assert path.parent == (tmp_path / "others").resolve()


def test_duplicate_id_refused_without_request(catalog_dir: Path, arxiv: ArxivServer,
                                              run_cli) -> None:
    result = run_cli("add", "2201.02177v2", "-s", "emergence", exit_code=1)
    assert "already in the catalog (the same arXiv id)" in result.stderr
    assert str(catalog_dir / EMERGENCE / "2201.02177.toml") in result.stderr
    assert arxiv.requests == []


def test_duplicate_title_with_other_link_refused_then_forced(tmp_path: Path, arxiv: ArxivServer,
                                                             run_cli, monkeypatch) -> None:
    listed = Paper(title="Deep double descent: where bigger models and more data hurt",
                   year=2019, section="others", venue="ICLR 2020",
                   links=[Link("paper", "https://openreview.net/forum?id=B1g5sA4twr")])
    root = make_catalog(tmp_path / "catalog", [*sample_papers(), listed])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("add", "1912.02292", "-s", "others", exit_code=1)
    assert "near-identical title" in result.stderr
    assert "catalog/others/deep-double-descent-where-bigger-models.toml: " in result.stderr
    assert not (root / "others" / "1912.02292.toml").exists()
    run_cli("add", "1912.02292", "-s", "others", "--force")
    assert (root / "others" / "1912.02292.toml").is_file()


def test_force_same_id_replaces_the_entry(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    result = run_cli("add", "2201.02177", "-s", "others", "--force")
    assert f"replaces the existing entry {catalog_dir / EMERGENCE / '2201.02177.toml'}" in \
        result.stderr
    assert not (catalog_dir / EMERGENCE / "2201.02177.toml").exists()
    assert (catalog_dir / "others" / "2201.02177.toml").is_file()
    assert sum(p.arxiv == "2201.02177" for p in Catalog.load(catalog_dir).papers) == 1


def test_force_keeps_what_the_curator_wrote_and_arxiv_says_nothing_of(
        catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    """A --force re-add wrote arXiv's record alone: the entry's digest, code link, lint
    ignores and keys of the curator's own were dropped without a word. What the record and
    the options give wins; the rest is kept, and named."""
    path = catalog_dir / EMERGENCE / "2201.02177.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["links"][0]["note"] = "the workshop version"
    data.update(ignore={"DP402": "on purpose"}, reviewed=dt.date(2024, 5, 1),
                notes={"why": "the first grokking paper"})
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    result = run_cli("add", "2201.02177", "-s", "others", "-k", "Grokking Dynamics",
                     "--force")
    assert result.stderr.count("kept from it: venue, digest, links, ignore, reviewed, notes") == 1
    new = tomllib.loads((catalog_dir / "others" / "2201.02177.toml").read_text(
        encoding="utf-8"))
    assert new["keywords"] == ["Grokking Dynamics"]  # given: the old ones go
    assert new["venue"] == "ICLR 2022 Workshop"  # arXiv's record has no journal_ref
    assert new["links"] == data["links"]  # the same paper link, its note, the code link
    assert (new["digest"], new["ignore"]) == (data["digest"], data["ignore"])
    assert (new["reviewed"], new["notes"]) == (data["reviewed"], data["notes"])


def test_force_never_replaces_a_file_holding_a_comment(catalog_dir: Path, arxiv: ArxivServer,
                                                       run_cli) -> None:
    path = catalog_dir / EMERGENCE / "2201.02177.toml"
    path.write_text(path.read_text(encoding="utf-8") + "# the workshop version on purpose\n",
                    encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2201.02177", "-s", "others", "--force", exit_code=2)
    one_line_error(result, f"{path}:{line}: has a comment, which rewriting the file would "
                   "drop; nothing added")
    assert catalog_files(catalog_dir) == before


def test_no_section_when_piped_is_a_usage_error(catalog_dir: Path, arxiv: ArxivServer,
                                                run_cli) -> None:
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2309.00001", exit_code=2)
    assert "no section given for 2309.00001; best suggestion: Neural Collapse" in result.stderr
    assert "--accept-suggestion" in result.stderr
    assert "Neural Collapse" in result.stdout  # the ranking was shown
    assert catalog_files(catalog_dir) == before


def test_accept_suggestion(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    run_cli("add", "2309.00001", "--accept-suggestion")
    assert (catalog_dir / "neural-collapse" / "2309.00001.toml").is_file()


def test_accept_suggestion_takes_the_suggested_key_words_unless_k_is_given(
        tmp_path: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    """The flag accepted the section only, while discover offers section and key words:
    without -k the paper was written with none (a lint error) and the suggestion printed."""
    spelt_out = [Paper(title=f"Paper {n}", year=2020, section="neural-collapse", keywords=kws)
                 for n, kws in enumerate([["Class Means", "Late Training"],
                                          ["Sudden Collapse", "Class Means", "Toy Study"]])]
    catalog_dir = make_catalog(tmp_path / "catalog", [*sample_papers(), *spelt_out])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(catalog_dir))
    shown = json.loads(run_cli("add", "2309.00001", "--dry-run", "-f", "json").stdout)
    suggested = shown["suggested_keywords"]
    assert len(suggested) > 3
    assert shown["paper"]["keywords"] == []  # a dry run alone takes none
    result = run_cli("add", "2309.00001", "--accept-suggestion")
    path = catalog_dir / "neural-collapse" / "2309.00001.toml"
    assert read_paper(path).keywords == suggested[:3]  # the first three, as --help says
    assert "has no key words" not in result.stderr
    assert "from the suggestions" in result.stderr
    # -k wins, whole, and --section wins over the suggested section.
    result = run_cli("add", "2206.07682", "--accept-suggestion", "-k", "Emergence",
                     "-s", "others", "-f", "json")
    written = json.loads(result.stdout)
    assert written["paper"]["keywords"] == ["Emergence"]
    assert written["paper"]["section"] == "others"


def test_terminal_prompt_takes_a_number_or_a_name(catalog_dir: Path, arxiv: ArxivServer,
                                                  run_cli, monkeypatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    run_cli("add", "2309.00001", input="\nNeural Collapse\n")
    assert (catalog_dir / "neural-collapse" / "2309.00001.toml").is_file()
    run_cli("add", "2206.07682", input="emergence\n\n")
    assert (catalog_dir / EMERGENCE / "2206.07682.toml").is_file()


def test_terminal_prompt_asks_again_after_a_bad_answer(catalog_dir: Path, arxiv: ArxivServer,
                                                        run_cli, monkeypatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    # '²' and '١٢' are digits to str.isdigit; neither may end in a traceback.
    result = run_cli("add", "2206.07682",
                     input="Quantum Gravity\n42\n²\n\u0661\u0662\nemergence\n\n")
    assert (catalog_dir / EMERGENCE / "2206.07682.toml").is_file()
    assert "unknown section 'Quantum Gravity'" in result.stderr
    assert "no section number 42" in result.stderr
    assert "unknown section '²'" in result.stderr and "no section number ١٢" in result.stderr
    assert len(arxiv.requests) == 1  # fetched once, whatever the answers


def test_terminal_prompt_shows_the_ranking_with_json_output(catalog_dir: Path,
                                                            arxiv: ArxivServer, run_cli,
                                                            monkeypatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("add", "2309.00001", "--format", "json", input="\n\nNeural Collapse\n")
    assert "Sections for 2309.00001" in result.stdout  # not a prompt for an unseen list
    assert (catalog_dir / "neural-collapse" / "2309.00001.toml").is_file()


def test_terminal_asks_for_key_words_too_the_suggested_offered(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    """Asked for the section, the curator is asked for the key words as well (as discover's
    triage does), the first three suggested offered: a paper is not written with none for
    lint to refuse. Typed ones are spelled as the catalog spells them, as -k's are."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    offered = core.plan_additions(catalog_dir, ["2206.07682"], core.Options())[0]
    assert offered.suggested_keywords
    result = run_cli("add", "2206.07682", input="emergence\n\n")
    path = catalog_dir / EMERGENCE / "2206.07682.toml"
    assert read_paper(path).keywords == offered.suggested_keywords[:3]
    assert "has no key words" not in result.stderr
    more = [k for k in offered.suggested_keywords if k not in offered.suggested_keywords[:3]]
    shown = [line for line in result.stderr.splitlines() if "more key words" in line]
    assert shown == ([f"more key words suggested for 2206.07682: {'; '.join(more)}"]
                     if more else [])  # not the ones just taken
    path.unlink()
    result = run_cli("add", "2206.07682", input="emergence\nlarge-language models; Grokking\n")
    assert read_paper(path).keywords == ["Large Language Model", "Grokking"]
    assert "written as 'Large Language Model'" in result.stderr


def test_terminal_key_word_prompt_asks_again_until_lint_would_take_them(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(core, "_suggest_keywords", lambda *args, **kwargs: [])
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    seven = "; ".join(f"Word{i}" for i in range(7))
    result = run_cli("add", "2206.07682", input=f"emergence\n\n{seven}\nEmergence\n")
    assert "at least one" in result.stderr and "at most 6" in result.stderr
    assert read_paper(catalog_dir / EMERGENCE / "2206.07682.toml").keywords == ["Emergence"]


def test_key_word_prompt_only_for_what_the_command_line_left_open(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    """-k, --accept-suggestion and --dry-run leave nothing to ask; --section alone leaves the
    key words (discover's checklist prints such a line for a paper with no suggestion)."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    run_cli("add", "2206.07682", "-k", "Emergence", input="emergence\n")
    assert read_paper(catalog_dir / EMERGENCE / "2206.07682.toml").keywords == ["Emergence"]
    run_cli("add", "2309.00001", "-s", "neural-collapse", "-n", input="")
    run_cli("add", "2309.00001", "-s", "neural-collapse", "--accept-suggestion", input="")
    (catalog_dir / "neural-collapse" / "2309.00001.toml").unlink()
    result = run_cli("add", "2309.00001", "-s", "neural-collapse", input="Neural Collapse\n")
    assert "Section for" not in result.stderr and "Key words for 2309.00001" in result.stderr
    assert read_paper(catalog_dir / "neural-collapse" / "2309.00001.toml").keywords == [
        "Neural Collapse"]


@pytest.mark.parametrize("args, answers", [
    (["2206.07682"], ""), (["2206.07682", "-s", "emergence"], ""),
    (["2206.07682", "2309.00001"], "1\n1\nEmergence\n")],
    ids=["section", "key-words", "second-paper"])
def test_end_of_input_at_a_prompt_stops_with_nothing_written(
        args: list[str], answers: str, catalog_dir: Path, arxiv: ArxivServer, run_cli,
        monkeypatch) -> None:
    """Ctrl-D: no more answers. add writes all its papers or none, so it stops before
    writing any, says so, and exits 1 as an abort does (not 130: nothing interrupted it)."""
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    before = catalog_files(catalog_dir)
    result = run_cli("add", *args, input=answers, exit_code=1)
    last = result.stderr.splitlines()[-1]
    assert last.startswith("deepphen: error: aborted") and "nothing written" in last, last
    assert "interrupted" not in result.stderr
    assert catalog_files(catalog_dir) == before


def test_ctrl_c_at_a_prompt_is_an_interrupt(catalog_dir: Path, arxiv: ArxivServer, run_cli,
                                            monkeypatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2206.07682", input=ctrl_c_after(monkeypatch, "1\n"), exit_code=130)
    assert "deepphen: error: interrupted" in result.stderr
    assert catalog_files(catalog_dir) == before


@pytest.mark.parametrize("args, message", [
    (["--code", "github.com/o/r"], "--code: URL 'github.com/o/r' is not an http(s) link"),
    (["--code", "https://"], "--code: URL 'https://' has no host"),
    ([a for i in range(7) for a in ("-k", f"Word{i}")],
     "7 key words given; an entry has at most 6"),
    # A -k naming nothing wrote the paper with no key word, as if -k had been left out.
    (["-k", "Grokking", "-k", "."], "--keyword '.' names no key word"),
    (["-k", " ; "], "--keyword ' ; ' names no key word"),
    (["-k", "\u200b\x07"], "--keyword '\\u200b\\x07' names no key word"),
])
def test_options_lint_would_reject_are_refused_before_fetching(
        catalog_dir: Path, arxiv: ArxivServer, run_cli, args: list[str], message: str) -> None:
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2206.07682", "-s", "emergence", *args, exit_code=2)
    assert message in result.stderr
    assert arxiv.requests == [] and catalog_files(catalog_dir) == before


def test_keyword_with_semicolons_is_several_key_words(catalog_dir: Path, arxiv: ArxivServer,
                                                      run_cli) -> None:
    result = run_cli("add", "2206.07682", "-s", "emergence", "-k", "Emergent Abilities; Scaling ;")
    data = tomllib.loads((catalog_dir / EMERGENCE / "2206.07682.toml").read_text())
    assert data["keywords"] == ["Emergent Abilities", "Scaling"]
    assert "written as" not in result.stderr  # splitting is not a respelling


def test_no_key_words_is_warned(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    result = run_cli("add", "2206.07682", "-s", "emergence")
    assert "2206.07682 has no key words; lint requires one to six" in result.stderr


def test_key_word_hints_fit_what_was_written(catalog_dir: Path, arxiv: ArxivServer,
                                            run_cli) -> None:
    """Once the paper is written, "add with -k" would only meet the duplicate check: the
    hint names the file to put key words in. A dry run wrote nothing: -k is the way."""
    path = catalog_dir / EMERGENCE / "2206.07682.toml"
    dry = run_cli("add", "2206.07682", "-s", "emergence", "--dry-run").stderr
    assert "suggested key words for 2206.07682: " in dry and "(add with -k)" in dry
    written = run_cli("add", "2206.07682", "-s", "emergence").stderr
    assert path.exists() and "add with -k" not in written
    assert f"has no key words; lint requires one to six (put them in {path})" in written
    assert "suggested key words for 2206.07682: " in written
    again = run_cli("add", "2206.07682", "-s", "emergence", "-k", "Emergence", "--force").stderr
    assert "add with -k" not in again and "no key words" not in again
    assert "more key words suggested for 2206.07682: " in again


def test_unknown_section_lists_the_valid_ones(catalog_dir: Path, arxiv: ArxivServer,
                                              run_cli) -> None:
    result = run_cli("add", "2206.07682", "-s", "Quantum Gravity", exit_code=2)
    assert "unknown section 'Quantum Gravity'" in result.stderr
    assert "Neural Collapse (neural-collapse)" in result.stderr
    assert arxiv.requests == []


def test_unknown_upstream_id_is_not_found(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    result = run_cli("add", "2206.07682", "2301.99999", "-s", "emergence", exit_code=1)
    assert "arXiv has no paper 2301.99999" in result.stderr
    assert not (catalog_dir / EMERGENCE / "2206.07682.toml").exists()


def test_a_catalog_id_written_with_a_version_is_still_a_duplicate() -> None:
    """A paper file's ``arxiv = "2505.30009v2"`` (lint DP201) let add write the same paper
    again once arXiv's title had changed."""
    old = Paper(title="An Old Title", year=2025, section="s", arxiv="2505.30009v2")
    assert core.find_duplicate([old], "2505.30009", "A Retitled Paper") is old


@pytest.mark.parametrize(("stored", "asked"), [
    ("math/0309136", "math.GT/0309136"), ("math.GT/0309136", "math/0309136"),
    ("cond-mat.stat-mech/0102536", "cond-mat/0102536")])
def test_an_old_id_with_or_without_its_subject_class_is_one_paper(stored: str,
                                                                   asked: str) -> None:
    """arXiv names math.GT/0309136 math/0309136 today: add took them for two papers."""
    old = Paper(title="A Title", year=2003, section="s", arxiv=stored)
    assert core.find_duplicate([old], asked, "Another Title") is old


def test_an_entry_without_a_title_is_not_written(catalog_dir: Path, arxiv: ArxivServer,
                                                 run_cli) -> None:
    """A feed entry with an empty <title> became a paper file with title = "" (lint DP402),
    through add or discover's triage."""
    import datetime as dt

    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.11111", " ", ["Ann Example"], "An abstract.",
                                ["cs.LG"], dt.datetime(2025, 5, 18, 12))]
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2505.11111", "-s", "emergence", "-k", "Grokking", exit_code=2)
    assert "arXiv sent no title for 2505.11111" in result.stderr
    assert catalog_files(catalog_dir) == before


def test_a_withdrawn_paper_is_added_with_a_warning(catalog_dir: Path, arxiv: ArxivServer,
                                                   run_cli) -> None:
    """The curator asked for this id: add writes it, but says arXiv marks it withdrawn."""
    import datetime as dt

    from tests.arxiv_query import CorpusEntry

    arxiv.corpus = [CorpusEntry("2505.11112", "A Result on Grokking", ["Ann Example"],
                                "An abstract.", ["cs.LG"], dt.datetime(2025, 5, 18, 12),
                                version=2, comment="This paper has been withdrawn by the authors")]
    result = run_cli("add", "2505.11112", "-s", "emergence", "-k", "Grokking")
    assert "2505.11112 is withdrawn" in result.stderr
    assert (catalog_dir / EMERGENCE / "2505.11112.toml").exists()


def test_dry_run_prints_toml_and_entry_and_writes_nothing(catalog_dir: Path, arxiv: ArxivServer,
                                                         run_cli) -> None:
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2206.07682", "--dry-run", "-k", "Emergence")
    assert catalog_files(catalog_dir) == before
    assert 'title = "Emergent Abilities of Large Language Models"' in result.stdout
    # Nothing is written, so the best suggestion (first row of the ranking shown) is used.
    best = result.stdout.splitlines()[0].split("\t")[1]
    slug = next(s.slug for s in sample_settings().sections if s.heading == best)
    assert f'section = "{slug}"' in result.stdout
    assert "  - Key Word: Emergence." in result.stdout
    assert "nothing written" in result.stdout


def test_json_output_shape(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    result = run_cli("add", "2206.07682", "--dry-run", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"paper", "suggested_sections", "suggested_keywords", "path"}
    assert data["paper"]["arxiv"] == "2206.07682"
    best = data["suggested_sections"][0]["section"]
    slug = next(s.slug for s in sample_settings().sections if s.heading == best)
    assert data["paper"]["section"] == slug
    assert data["path"] == str(catalog_dir / slug / "2206.07682.toml")
    scores = [s["score"] for s in data["suggested_sections"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert {s["section"] for s in data["suggested_sections"]} == {
        s.heading for s in sample_settings().sections}
    assert isinstance(data["suggested_keywords"], list)
    many = json.loads(run_cli("add", "2206.07682", "1912.02292", "-s", "others",
                              "--format", "json").stdout)
    assert [d["paper"]["arxiv"] for d in many] == ["2206.07682", "1912.02292"]
    assert all(Path(d["path"]).is_file() for d in many)


def test_page_regenerated_when_settings_ask(tmp_path: Path, arxiv: ArxivServer, run_cli,
                                            monkeypatch) -> None:
    root = make_catalog(tmp_path / "catalog",
                        settings=sample_settings(page="README.md", regenerate_page=True))
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli("add", "2206.07682", "-s", "emergence")
    page = (root / "README.md").read_text(encoding="utf-8")
    assert "- Emergent Abilities of Large Language Models. [[paper]]" in page
    assert "Prevalence of Neural Collapse" in page
    # Said, so that the page is committed with the paper (lint's DP501 fails CI otherwise).
    assert f"updated {root / 'README.md'}" in result.stdout.splitlines()


def test_no_page_update_is_claimed_when_none_was_made(catalog_dir: Path, arxiv: ArxivServer,
                                                      run_cli) -> None:
    assert "updated" not in run_cli("add", "2206.07682", "-s", "emergence").stdout
    assert "updated" not in run_cli("add", "1912.02292", "-s", "others", "-n").stdout


def test_failure_leaves_the_catalog_as_it_was(tmp_path: Path, arxiv: ArxivServer, run_cli,
                                              monkeypatch) -> None:
    root = make_catalog(tmp_path / "catalog",
                        settings=sample_settings(page="notes/page.md", regenerate_page=True))
    (root / "notes").write_text("a file where the page's folder should be")
    # The page cannot be written: the whole add must roll back.
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = catalog_files(root)
    result = run_cli("add", "2206.07682", "1912.02292", "-s", "others", "--force", exit_code=2)
    assert "cannot write" in result.stderr
    assert catalog_files(root) == before


def test_duplicates_checked_again_under_the_lock(catalog_dir: Path, arxiv: ArxivServer) -> None:
    proposals = core.plan_additions(catalog_dir, ["2206.07682"], core.Options(section="others"))
    # Another process adds the same paper between the fetch and the write.
    make_catalog(catalog_dir, [*sample_papers(), proposals[0].paper])
    with pytest.raises(core.DuplicateError, match="same arXiv id"):
        core.write_additions(catalog_dir, proposals)


def test_concurrent_adds_lose_nothing(tmp_path: Path, arxiv: ArxivServer) -> None:
    root = make_catalog(tmp_path / "catalog",
                        settings=sample_settings(page="README.md", regenerate_page=True))
    new_ids = ["2206.07682", "1912.02292", "1806.07572", "1611.03530"]
    arxiv.overrides["1611.03530"] = arxiv.feeds["current"][2]["1912.02292"].replace(
        "1912.02292", "1611.03530").replace("Deep Double Descent: Where Bigger Models and More "
                                            "Data Hurt", "Understanding Generalization Anew")
    env = {**os.environ, "DEEPPHEN_CATALOG": str(root), "DEEPPHEN_ARXIV_API_URL": arxiv.url}
    procs = [subprocess.Popen([sys.executable, "-m", "deepphen", "add", arxiv_id, "-s", "others"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for arxiv_id in new_ids]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    cat = Catalog.load(root)
    assert {p.arxiv for p in cat.papers} >= set(new_ids)
    page = (root / "README.md").read_text(encoding="utf-8")
    for arxiv_id in new_ids:
        assert f"https://arxiv.org/abs/{arxiv_id})" in page
    assert not list(root.rglob(".deepphen-tmp-*"))


def test_settings_round_trip_kept(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    before = (catalog_dir / "catalog.toml").read_text(encoding="utf-8")
    run_cli("add", "2206.07682", "-s", "emergence")
    assert (catalog_dir / "catalog.toml").read_text(encoding="utf-8") == before
    assert settings_to_toml(load_settings(catalog_dir)) == before


def test_find_duplicate_by_arxiv_link(tmp_path: Path) -> None:
    listed = Paper(title="Something else entirely", year=2022, section="others",
                   links=[Link("paper", "https://arxiv.org/abs/2206.07682v3")])
    assert core.find_duplicate([listed], "2206.07682", "Emergent abilities") is listed
    assert core.find_duplicate([listed], "2206.07683", "Emergent abilities") is None


def test_parse_ids_keeps_order_and_drops_repeats() -> None:
    assert core.parse_ids(["2201.02177v1", "arXiv:2201.02177", "hep-th/9901001"]) == [
        "2201.02177", "hep-th/9901001"]


def test_atomic_write_used(catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    atomic_write_text(catalog_dir / "marker.txt", "x")  # unrelated files are left alone
    run_cli("add", "2206.07682", "-s", "emergence")
    assert (catalog_dir / "marker.txt").read_text() == "x"
    assert not list(catalog_dir.rglob(".deepphen-tmp-*"))


@pytest.mark.parametrize("args", [["--accept-suggestion"], ["--section", "Others"], [],
                                  ["--dry-run"]])
def test_a_catalog_without_sections_is_one_clear_error(catalog_dir: Path, arxiv: ArxivServer,
                                                       run_cli, args: list[str]) -> None:
    settings = catalog_dir / "catalog.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?ms)^sections = \[.*?^\]\n", "sections = []\n", text),
                        encoding="utf-8")
    assert "sections = []" in settings.read_text(encoding="utf-8")
    before = catalog_files(catalog_dir)
    result = run_cli("add", "2206.07682", *args, exit_code=2)
    assert "defines no sections" in result.stderr and "Traceback" not in result.stderr
    assert catalog_files(catalog_dir) == before
    assert arxiv.requests == []  # refused before fetching


def test_no_id_names_the_argument_as_usage_shows_it(run_cli) -> None:
    """Not the Python parameter's name ('arxiv_ids'): the ARXIV_ID of the usage line."""
    assert "Missing argument 'ARXIV_ID'" in run_cli("add", exit_code=2).stderr
    assert "Usage: deepphen add [OPTIONS] {ARXIV_ID}..." in run_cli("add", "--help").stdout

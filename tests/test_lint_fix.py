"""``deepphen lint --fix`` as a curator relies on it.

Over catalogs hypothesis makes up, the fixes settle (a second --fix changes no byte),
nothing they claim to fix is left, and no rule's fix undoes another's (DP407 asked for
"Grokking." where DP409 wrote "Grokking", and every --fix rewrote the same files back and
forth). A paper file that is a symbolic link stays one: its file is fixed through it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen import catalog, fsutil
from deepphen.errors import CatalogError
from deepphen.lint import engine
from deepphen.suggest import normalize_keywords
from deepphen.tidy import keyword_vocabulary, tidy_keyword
from deepphen.vocab import Vocabulary
from tests.helpers import make_catalog, sample_papers, tree

# Spellings of a few key words as files hold them: case, plural, spaces, final punctuation,
# typographic quotes, invisible and control characters (DP407, DP409, DP410, DP413).
KEYWORDS = st.sampled_from([
    "Grokking", "grokking", "Grokking.", " Grokking. .", "Grokking;", "Neural Collapse",
    "neural collapse", "Neural  Collapse", "Neural Collapse,", "Large Language Models",
    "large language model", "Large Language Model.", "Model\u2019s Memory", "Model's Memory",
    "Model's memory.", "Zero\u200bShot", "ZeroShot", "Double\u2028Descent", "Double Descent",
    ".", " ; ",
])
# A file may silence a fixable rule: the others must still settle around what it keeps.
IGNORES = st.dictionaries(st.sampled_from(["DP402", "DP407", "DP409", "DP410", "DP413"]),
                          st.just("kept as the paper writes it"), max_size=2)
TITLES = st.lists(st.sampled_from(["Deep", "Double", "Descent", " ", "  ", ".", ";", ":",
                                   "\u2019", "\u201c", "\u200b", "\u2028", "...", "?"]),
                  min_size=1, max_size=6).map("".join)
AUTHORS = st.sampled_from(["Yuri Burda", "yuri burda", "A & B", "C and D", "et al", "et al.",
                           "Frankle et al.", "Jos\u00e9 P\u00e9rez", "Jose Perez", "X\u2019Y"])
URLS = st.sampled_from([
    "https://arxiv.org/abs/2201.02177", "http://arxiv.org/abs/2201.02177v2",
    "https://arxiv.org/pdf/2201.02177.pdf", "http://github.com/openai/grok",
    "https://github.com/openai/grok/", "https://github.com/openai/grok?utm_source=x",
    "http://github.com/openai/grok?utm_source=x&a=1#Echobox=1", "https://example.org/x?fbclid=1",
])
LINKS = st.lists(st.fixed_dictionaries({"label": st.sampled_from(["paper", "Paper", "code",
                                                                   "coed", "blog"]),
                                        "url": URLS}), max_size=3)
PAPER = st.fixed_dictionaries(
    {"title": TITLES, "authors": st.lists(AUTHORS, max_size=4), "year": st.just(2022),
     "section": st.just("others"), "keywords": st.lists(KEYWORDS, min_size=1, max_size=6)},
    optional={"links": LINKS, "venue": st.sampled_from(["*ICLR  2023*", "ICLR 2023", " PNAS "]),
              "arxiv": st.sampled_from(["2201.02177v2", "arXiv:2201.02177", "2203.01234"]),
              "ignore": IGNORES})


def catalog_bytes(root: Path) -> dict[str, bytes]:
    """The catalog's own files (not the lock or the derived cache, both dot-names)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".")
                                       for part in p.relative_to(root).parts)}


@settings(max_examples=60)
@given(st.lists(PAPER, min_size=1, max_size=4))
def test_fix_settles_and_leaves_nothing_it_fixes(papers: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_catalog(Path(tmp) / "catalog")
        for i, table in enumerate(papers):
            # Titles made unique: two papers of one title are DP305's, not a fix's.
            table = {**table, "title": f"Paper {i} {table['title']}"}
            (root / "others" / f"p{i}.toml").write_text(tomli_w.dumps(table), encoding="utf-8")
        _, remaining, _ = engine.fix(root)
        assert [str(p) for p in remaining if p.fix is not None] == []
        fixed = catalog_bytes(root)
        again, _, _ = engine.fix(root)
        assert again == []
        assert catalog_bytes(root) == fixed


def test_a_group_goes_by_the_spelling_lint_fixes_write(tmp_path: Path) -> None:
    """Two papers write "Grokking." and one "Grokking": the group went by "Grokking.", so
    DP407 respelt the third as "Grokking." while DP409 cleaned the two to "Grokking"."""
    papers = sample_papers()
    for paper, keyword in zip(papers, ["Grokking.", "Grokking.", "grokking"], strict=False):
        paper.keywords = [keyword]
    root = make_catalog(tmp_path / "catalog", papers)
    changes, remaining, _ = engine.fix(root)
    assert {c.rule for c in changes} >= {"DP407", "DP409"}
    assert [p for p in remaining if p.rule in ("DP407", "DP409")] == []
    assert engine.fix(root)[0] == []
    texts = [p.read_text(encoding="utf-8") for p in root.glob("*/*.toml")]
    assert sum('"Grokking",' in t for t in texts) == 3


def test_the_spelling_add_maps_a_key_word_to_passes_lint() -> None:
    papers = sample_papers()
    for paper in papers[:3]:
        paper.keywords = ["Model\u2019s  Memory."]
    assert Vocabulary.from_papers(papers).canonical("model's memory") == "Model\u2019s  Memory."
    vocab = keyword_vocabulary(papers)
    assert vocab.canonical("model's memory") == "Model's Memory"
    given_ = ["model\u2019s memory", "Zero\u200bShot"]
    assert [c.spelling for c in normalize_keywords(vocab, given_)] == ["Model's Memory",
                                                                      "ZeroShot"]
    assert tidy_keyword(" Grokking\u2028Phase . ; ") == "Grokking Phase"


def linked_paper(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A catalog whose others/ paper file is a link into the catalog's own .store/ folder,
    its title ending in a period (DP402, fixable): (root, link, the file it leads to)."""
    root = make_catalog(tmp_path / "catalog")
    link = root / "others" / "1803.03635.toml"
    target = root / ".store" / link.name
    target.parent.mkdir()
    text = link.read_text(encoding="utf-8").replace("Networks\"", "Networks.\"", 1)
    target.write_text(text, encoding="utf-8")
    link.unlink()
    link.symlink_to(os.path.relpath(target, link.parent))
    return root, link, target


def test_fix_writes_a_linked_paper_file_through_its_link(tmp_path: Path, run_cli) -> None:
    """--fix replaced the link with a fixed copy: the file it shared kept the fault."""
    root, link, target = linked_paper(tmp_path)
    out = run_cli("lint", "--fix", "--catalog", root).stdout
    assert f"{link.as_posix()}: fixed: removed the title's final punctuation (DP402)" in out
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert 'Networks"' in target.read_text(encoding="utf-8")
    before = tree(tmp_path)
    assert run_cli("lint", "--fix", "--catalog", root).stdout == ""
    assert tree(tmp_path) == before


def test_a_fix_undone_leaves_a_linked_paper_file_a_link(tmp_path: Path, monkeypatch,
                                                        run_cli) -> None:
    """The journal put the old text back at the link's path: a copy where the link was."""
    root, link, target = linked_paper(tmp_path)
    later = root / "others" / "zz-later.toml"  # fixed after the link's file
    later.write_text(target.read_text(encoding="utf-8").replace("The Lottery", "A Lottery"),
                     encoding="utf-8")
    before = tree(tmp_path)
    real = fsutil.atomic_write_bytes

    def failing(path: Path, data: bytes, **kwargs: object) -> None:
        if Path(path) == later:
            raise fsutil.os_error("write", OSError(28, "No space left on device"), path)
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsutil, "atomic_write_bytes", failing)
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=2)
    assert "No space left on device" in result.stderr
    assert link.is_symlink()
    assert tree(tmp_path) == before


def test_a_paper_written_back_through_a_link_stays_linked(tmp_path: Path) -> None:
    """refresh --write writes a paper back where it was read, as lint --fix does."""
    root, link, target = linked_paper(tmp_path)
    paper = catalog.read_paper(link)
    paper.venue = "ICLR 2019 (oral)"
    catalog.write_paper(root, paper, path=link)
    assert link.is_symlink() and catalog.read_paper(target).venue == "ICLR 2019 (oral)"


@pytest.mark.parametrize("target", ["catalog.toml", ".deepphen-cache/x.toml", "../x.toml",
                                    "others/missing.toml", "README.md"])
def test_no_paper_is_written_through_a_link_to_another_kind_of_file(target: str,
                                                                   tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "x.toml").write_text("", encoding="utf-8")
    (root / ".deepphen-cache").mkdir(exist_ok=True)
    (root / ".deepphen-cache" / "x.toml").write_text("", encoding="utf-8")
    (root / "README.md").write_text("", encoding="utf-8")
    link = root / "others" / "2201.99999.toml"
    link.symlink_to(os.path.relpath(root / target, link.parent))
    before = tree(tmp_path)
    with pytest.raises(CatalogError, match="leads to no paper file"):
        catalog.written_paper_file(root, link)
    assert tree(tmp_path) == before


def test_a_paper_in_a_linked_section_folder_is_not_offered_a_fix(tmp_path: Path,
                                                                 run_cli) -> None:
    """lint said "fixable with --fix" of a paper file in a section folder that is a link,
    and --fix then refused it with exit 2, fixing no other file either. It is left alone and
    named, as a file holding a comment is, and the others are fixed."""
    root, _, target = linked_paper(tmp_path)  # others/1803.03635.toml: DP402, fixable
    store = root / ".linked-section"
    store.mkdir()
    held = store / "2201.02177.toml"
    emergence = root / "emergence-and-phase-transitions"
    held.write_text((emergence / "2201.02177.toml").read_text(encoding="utf-8").replace(
        "Datasets\"", "Datasets.\""), encoding="utf-8")
    (emergence / "2201.02177.toml").unlink()
    emergence.rmdir()
    emergence.symlink_to(store.name, target_is_directory=True)
    second = store / "2201.00001.toml"  # a second file of the linked folder: one warning
    second.write_text(held.read_text(encoding="utf-8").replace("2201.02177", "2201.00001")
                      .replace("Grokking:", "Second:"), encoding="utf-8")
    before = held.read_bytes()
    out = run_cli("lint", "--catalog", root).stdout
    assert "1 fixable with --fix" in out  # the linked paper file's own, not the folder's
    lines = [line for line in out.splitlines() if "(DP402)" in line and "emergence" in line]
    assert len(lines) == 2
    for line in lines:
        assert "fix it by hand (removed the title's final punctuation)" in line
        assert "section folder is a symbolic link" in line
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=1)  # a file left alone
    assert "fixed: removed the title's final punctuation (DP402)" in result.stdout
    assert result.stderr == (f"deepphen: warning: {emergence}: section folder is a symbolic "
                             "link; refusing to write through it (replace the link with a "
                             "real folder)\n")
    assert held.read_bytes() == before and emergence.is_symlink()
    assert 'Networks"' in target.read_text(encoding="utf-8")
    assert "fixable with --fix" not in result.stdout


def test_lint_never_promises_a_fix_that_fix_leaves_undone(tmp_path: Path, run_cli) -> None:
    """A file holding a comment is left alone by --fix; lint still counted its findings
    "fixable with --fix" before and after, sending the curator round again."""
    root = make_catalog(tmp_path / "catalog")
    path = root / "others" / "1803.03635.toml"
    text = path.read_text(encoding="utf-8").replace("Networks\"", "Networks.\"", 1)
    path.write_text(text + "# the journal version is on its way\n", encoding="utf-8")
    for args in (("lint",), ("lint", "--fix"), ("lint",)):
        result = run_cli(*args, "--catalog", root, exit_code=None)
        assert "fixable with --fix" not in result.stdout
        [line] = [line for line in result.stdout.splitlines() if "(DP402)" in line]
        assert "fix it by hand (removed the title's final punctuation): a comment" in line
    assert path.read_text(encoding="utf-8").endswith("on its way\n")
    assert result.exit_code == 0  # a warning


def test_fixes_that_never_settle_are_not_offered_again(tmp_path: Path, monkeypatch,
                                                       run_cli) -> None:
    """Two fixes undoing each other (DP407 and DP409 did, a group going by "Grokking.") ran
    out of passes and left lint saying "fixable with --fix" for ever. Made to fight again
    here: the files are named, the findings say to fix them by hand, and the exit is 1."""
    from deepphen import tidy
    from deepphen.lint.rules import text

    monkeypatch.setattr(tidy, "keyword_vocabulary", Vocabulary.from_papers)
    monkeypatch.setattr(text, "tidy_keyword", str.strip)
    papers = sample_papers()  # a tie, which "Grokking." won: each pass swaps the two
    for paper, keyword in zip(papers, ["Grokking", "Grokking."], strict=False):
        paper.keywords = [keyword]
    root = make_catalog(tmp_path / "catalog", papers)
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=1)
    assert "fixable with --fix" not in result.stdout
    assert "did not settle" in result.stdout and "did not settle in 10 passes" in result.stderr


def test_a_file_spoilt_while_fix_runs_is_one_error(tmp_path: Path, monkeypatch) -> None:
    """Saved as no UTF-8 by an editor between lint's reading and --fix's writing, a paper
    file raised UnicodeDecodeError: a traceback, where every other bad file is one line."""
    root, _, target = linked_paper(tmp_path)
    real = engine.run

    def then_spoil(*args: object, **kwargs: object) -> list:
        findings = real(*args, **kwargs)  # type: ignore[arg-type]
        target.write_bytes(b"title = \"\xff\"\n")
        return findings

    monkeypatch.setattr(engine, "run", then_spoil)
    with pytest.raises(CatalogError, match="cannot read") as info:
        engine.fix(root)
    assert "run it again" in str(info.value)



def test_a_file_made_unreadable_while_fix_runs_names_it_once(tmp_path: Path,
                                                             monkeypatch) -> None:
    """The error said "cannot read: [Errno 13] Permission denied: '<path>'" after the same
    path: the reason is the OS's words, the file is named once, where every error names it."""
    root, _, target = linked_paper(tmp_path)
    real_read = Path.read_text

    def refused(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == target.name:  # as chmod 0 would, for anyone but root
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self, *args, **kwargs)  # type: ignore[arg-type]

    real = engine.run

    def then_lock(*args: object, **kwargs: object) -> list:
        findings = real(*args, **kwargs)  # type: ignore[arg-type]
        monkeypatch.setattr(Path, "read_text", refused)
        return findings

    monkeypatch.setattr(engine, "run", then_lock)
    with pytest.raises(CatalogError) as info:
        engine.fix(root)
    assert info.value.message == "cannot read: Permission denied"
    assert str(info.value).count(target.name) == 1 and "run it again" in str(info.value)


@pytest.mark.parametrize(("field", "value"), [("doi", "10.1000/ab\\u001bcd"),
                                              ("doi", "10.1000/ab\\u202ecd"),
                                              ("category", "cs.\\u200bLG")])
def test_a_control_character_in_an_identifier_is_the_curators_to_mend(
        tmp_path: Path, run_cli, field: str, value: str) -> None:
    """DP413's fix dropped the character: '10.1000/ab<ESC>cd' became '10.1000/abcd', another
    DOI, which DP210 then passed. It is reported, with where to copy it from, and kept."""
    root = make_catalog(tmp_path / "catalog")
    path = root / "others" / "1803.03635.toml"
    text = path.read_text(encoding="utf-8") + f'{field} = "{value}"\n'
    path.write_text(text, encoding="utf-8")
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=1)
    [line] = [line for line in result.stdout.splitlines() if "(DP413)" in line]
    assert "again" in line, line
    assert path.read_text(encoding="utf-8") == text

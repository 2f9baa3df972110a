"""Writes that must stay in their place (issue 13, items 1-6): each class over many members.

Every refused command leaves the catalog, and everything around it, byte for byte as it was
(``tree`` snapshots the whole tmp folder, links included; the self-ignoring cache folder is
left out because reading commands may refresh it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen.catalog import load_settings, settings_to_toml
from deepphen.fsutil import CACHE_DIR, TMP_PREFIX
from deepphen.paths import page_problem
from tests.arxiv_server import ArxivServer
from tests.helpers import make_catalog, one_line_error, sample_settings, tree

ERROR = "deepphen: error:"


# ---------------------------------------------------------------------------------------
# 1. The page path: every way out of the catalog, every catalog-owned file.

def _bad_pages(tmp: Path, root: Path) -> dict[str, str]:
    """name -> page value; links are made here."""
    (tmp / "victim.txt").write_text("precious\n")
    (root / "out.md").symlink_to(tmp / "victim.txt")
    (root / "cfg.md").symlink_to(root / "catalog.toml")
    (root / "loop.md").symlink_to(root / "loop.md")
    (root / ".docs").symlink_to(tmp)  # hidden: not a section folder (those are refused)
    return {
        "parent": "../victim.txt", "grandparent": "../../victim.txt",
        "dot-parent": "./../victim.txt", "inner-parent": "docs2/../../victim.txt",
        "absolute": str(tmp / "victim.txt"), "backslash": "..\\victim.txt",
        "windows-drive": "C:\\victim.txt", "settings": "catalog.toml",
        "settings-dot": "./catalog.toml", "paper": "others/1803.03635.toml",
        "section": "others", "in-section": "neural-collapse/README.md",
        "other-toml": "notes.toml", "cache": f"{CACHE_DIR}/papers.pickle",
        "cache-dir": CACHE_DIR, "lock": f"{CACHE_DIR}/lock", "old-lock": ".deepphen.lock",
        "temp": f"{TMP_PREFIX}x", "git": ".git/config", "root": ".",
        "newline": "README.md\n", "link-out": "out.md", "link-to-settings": "cfg.md",
        "link-loop": "loop.md", "folder-link": ".docs/victim.txt",
        # One file or folder where case is ignored (macOS, Windows): a clone there overwrote
        # catalog.toml with the page, or wrote it into a section folder.
        "settings-case": "Catalog.TOML", "toml-case": "notes.Toml",
        "in-section-case": "Neural-Collapse/README.md",
    }


PAGE_CASES = ["parent", "grandparent", "dot-parent", "inner-parent", "absolute", "backslash",
              "windows-drive", "settings", "settings-dot", "paper", "section", "in-section",
              "other-toml", "cache", "cache-dir", "lock", "old-lock", "temp", "git", "root",
              "newline", "link-out", "link-to-settings", "link-loop", "folder-link",
              "settings-case", "toml-case", "in-section-case"]


def _catalog_with_page(tmp_path: Path, case: str) -> tuple[Path, Path]:
    root = make_catalog(tmp_path / "catalog")
    page = _bad_pages(tmp_path, root)[case]
    (root / "catalog.toml").write_text(settings_to_toml(
        sample_settings(page=page, regenerate_page=True)), encoding="utf-8")
    return root, tmp_path


@pytest.mark.parametrize("case", PAGE_CASES)
def test_a_bad_page_is_refused_by_every_writer_and_reported_by_lint(
        tmp_path: Path, case: str, arxiv: ArxivServer, run_cli, monkeypatch) -> None:
    root, top = _catalog_with_page(tmp_path, case)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = tree(top)
    for args in (["add", "2206.07682", "-s", "others", "-k", "Emergence"],
                 ["refresh", "--all", "--write"], ["lint", "--fix"]):
        result = run_cli(*args, exit_code=None)
        if args[0] == "lint":  # a finding, not a usage error; and --fix writes nothing
            assert result.exit_code == 1 and "DP506" in result.stdout + result.stderr
        else:
            one_line_error(result, "catalog.toml", "page")
        assert tree(top) == before, args
    result = run_cli("lint", "--format", "json", exit_code=1)
    assert "DP506" in result.stdout


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["..", ".", "", "a", "README.md", "catalog.toml", "others",
                                 "x.toml", CACHE_DIR, "lock", ".git", "/", "\\", "~"]),
                min_size=1, max_size=5))
def test_any_page_accepted_is_a_plain_file_inside_the_catalog(tmp_path: Path,
                                                               parts: list[str]) -> None:
    root = tmp_path / "catalog"
    if not root.exists():
        make_catalog(root)
    page = "/".join(parts)
    settings_obj = load_settings(root)
    if page_problem(root, settings_obj, page) is None:
        target = (root / page).resolve()
        rel = target.relative_to(root.resolve())  # raises when it left the catalog
        assert rel.parts and rel.parts[0] not in {"others", "neural-collapse", CACHE_DIR}
        assert not target.name.endswith(".toml") and not target.is_dir()
        assert not any(p.startswith(".") for p in rel.parts)


# ---------------------------------------------------------------------------------------
# 2. add never replaces a file that holds another paper.

@pytest.mark.parametrize("content", [
    'title = "My Own Notes"\nyear = 2022\nsection = "others"\n',
    'title = "Other"\nyear = 2022\nsection = "others"\narxiv = "2101.00001"\n',
    'title = "Other"\nyear = 2022\nsection = "others"\n[[links]]\nlabel = "paper"\n'
    'url = "https://example.org/x"\n',
])
@pytest.mark.parametrize("force", [False, True])
def test_add_never_replaces_another_paper_with_the_same_file_name(
        tmp_path: Path, content: str, force: bool, arxiv: ArxivServer, run_cli,
        monkeypatch) -> None:
    root = make_catalog(tmp_path / "catalog")
    (root / "others" / "2206.07682.toml").write_text(content, encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = tree(tmp_path)
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence",
                     *(["--force"] if force else []), exit_code=None)
    one_line_error(result, "2206.07682.toml")
    assert tree(tmp_path) == before


def test_add_force_still_replaces_the_same_paper(catalog_dir: Path, arxiv: ArxivServer,
                                                 run_cli) -> None:
    run_cli("add", "2201.02177", "-s", "emergence", "-k", "Grokking", "--force")
    text = (catalog_dir / "emergence-and-phase-transitions" / "2201.02177.toml").read_text()
    assert 'arxiv = "2201.02177"' in text


# ---------------------------------------------------------------------------------------
# 3. import --force replaces only a folder the catalog owns wholly.

LIST = ("# L\n\n## Others\n\n### Others: 2022\n\n- Grokking. [[paper]](https://arxiv.org/abs/"
        "2201.02177)\n  - Alethea Power.\n  - Key Word: Grokking.\n")


@pytest.mark.parametrize("foreign", ["notes.txt", "drafts/idea.md", "README.md",
                                     "others/notes.md", "others/sub/x.toml", ".git/config",
                                     "others/link.toml", "link"])
def test_import_force_refuses_a_folder_holding_foreign_files(tmp_path: Path, foreign: str,
                                                              run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")  # page unset: a README is not the catalog's
    target = root / foreign
    target.parent.mkdir(parents=True, exist_ok=True)
    if foreign.endswith("link.toml") or foreign == "link":
        target.symlink_to(tmp_path)
    else:
        target.write_text("mine\n")
    (tmp_path / "list.md").write_text(LIST)
    before = tree(tmp_path)
    result = run_cli("import", tmp_path / "list.md", "--catalog", root, "--force",
                     exit_code=None)
    one_line_error(result, "not the catalog's")
    assert tree(tmp_path) == before


def test_import_force_replaces_an_owned_catalog_and_keeps_its_page(tmp_path: Path,
                                                                   run_cli) -> None:
    root = make_catalog(tmp_path / "catalog", settings=sample_settings(page="README.md"))
    (root / "README.md").write_text("the old page\n")
    (tmp_path / "list.md").write_text(LIST)
    run_cli("import", tmp_path / "list.md", "--catalog", root, "--force", exit_code=None)
    assert (root / "README.md").read_text() == "the old page\n"
    # (.deepphen-cache: the new folder's lock, held while it took the old one's place)
    assert sorted(p.name for p in root.iterdir()) == [".deepphen-cache", "README.md",
                                                      "catalog.toml", "others"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_import_force_keeps_every_declared_page_and_the_dismissals(tmp_path: Path,
                                                                   run_cli) -> None:
    """A two-page catalog (README's `import --merge` setup) after discover dismissed a paper:
    both pages and dismissed.toml are the catalog's own, so --force replaces it and keeps
    them."""
    import tomllib

    import tomli_w

    root = make_catalog(tmp_path / "catalog", settings=sample_settings(page="FULL_LIST.md"))
    table = tomllib.loads((root / "catalog.toml").read_text(encoding="utf-8"))
    table["pages"] = [{"page": "README.md", "title": "Front",
                       "sections": [{"slug": s["slug"]} for s in table["sections"]]}]
    (root / "catalog.toml").write_text(tomli_w.dumps(table), encoding="utf-8")
    kept = {"FULL_LIST.md": "the full list\n", "README.md": "the front page\n",
            "dismissed.toml": '[[dismissed]]\narxiv = "2505.01234"\n'}
    for name, text in kept.items():
        (root / name).write_text(text, encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST)
    run_cli("import", tmp_path / "list.md", "--catalog", root, "--force", exit_code=None)
    assert {name: (root / name).read_text(encoding="utf-8") for name in kept} == kept
    assert 'title = "L"' in (root / "catalog.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# 4. refresh --write writes back where it read.

@pytest.mark.parametrize("folder", ["others", "empirical-study"])
def test_refresh_writes_back_to_the_file_it_read(tmp_path: Path, folder: str,
                                                  arxiv: ArxivServer, run_cli,
                                                  monkeypatch) -> None:
    root = make_catalog(tmp_path / "catalog")
    original = root / "neural-collapse" / "2008.08186.toml"
    moved = root / folder / original.name
    moved.write_text(original.read_text())  # section field still says neural-collapse
    original.unlink()
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    run_cli("refresh", "2008.08186", "--write")
    assert "10.1073/pnas.2015509117" in moved.read_text()
    assert not original.exists()
    assert len(list(root.rglob("2008.08186.toml"))) == 1


# ---------------------------------------------------------------------------------------
# 5. lint --fix is all or nothing.

FIXABLE = ('title = "T{n}"\nyear = 2022\nsection = "others"\narxiv = "2201.0000{n}"\n'
           'keywords = ["Grokking"]\nauthors = ["A. B"]\n[[links]]\nlabel = "paper"\n'
           'url = "https://arxiv.org/abs/2201.0000{n}v2"\n')


def _fixable_catalog(tmp_path: Path) -> Path:
    root = make_catalog(tmp_path / "catalog", papers=[],
                        settings=sample_settings(page="README.md", regenerate_page=True))
    for n in range(1, 5):
        (root / "others").mkdir(exist_ok=True)
        (root / "others" / f"2201.0000{n}.toml").write_text(FIXABLE.format(n=n))
    return root


@pytest.mark.parametrize("failure", ["enospc-third", "eacces-page", "interrupt"])
def test_lint_fix_failing_part_way_changes_nothing(tmp_path: Path, failure: str,
                                                   monkeypatch, run_cli) -> None:
    from deepphen import fsutil

    # (A paper file in a linked section folder, which --fix refused part-way, is no longer
    # offered a fix: tests/test_lint_fix.py.)
    root = _fixable_catalog(tmp_path)
    before = tree(tmp_path)
    real = fsutil.atomic_write_bytes
    calls: list[Path] = []

    def failing(path: Path, data: bytes, **kwargs: object) -> None:
        if fsutil.CACHE_DIR in Path(path).parts:  # the cache and its folder's markers
            real(path, data, **kwargs)  # type: ignore[arg-type]
            return
        calls.append(Path(path))
        if failure == "enospc-third" and len(calls) == 3:
            raise fsutil.os_error("write", OSError(28, "No space left on device"), path)
        if failure == "eacces-page" and Path(path).name == "README.md":
            raise fsutil.os_error("write", OSError(13, "Permission denied"), path)
        if failure == "interrupt" and len(calls) == 2:
            raise KeyboardInterrupt
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsutil, "atomic_write_bytes", failing)
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=None)
    assert result.exit_code in (2, 130), result.stderr
    assert len(calls) >= 2
    assert tree(tmp_path) == before


def test_a_file_that_cannot_be_read_before_a_write_is_reported_as_a_read(
        tmp_path: Path, monkeypatch, run_cli) -> None:
    """The journal reads each file before changing it; a refused read named the write and
    blamed the folder ("is not writable"), sending the user after the wrong permission."""
    root = _fixable_catalog(tmp_path)
    page = root / "README.md"
    real = Path.read_bytes

    def refusing(path: Path) -> bytes:
        if path == page:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    before = tree(tmp_path)
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=None)
    one_line_error(result, "cannot read: Permission denied", "README.md")
    assert "writable" not in result.stderr and "cannot write" not in result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize(("signum", "ignored"), [(signal.SIGTERM, False),
                                               (signal.SIGHUP, False), (signal.SIGHUP, True)],
                         ids=["sigterm", "sighup", "sighup-under-nohup"])
def test_lint_fix_killed_by_a_signal_changes_nothing(tmp_path: Path, signum: int,
                                                     ignored: bool) -> None:
    """SIGTERM, and SIGHUP (the terminal closed): every file back as it was, the status a
    shell shows for the signal. SIGHUP killed the process where it stood, some papers fixed
    and the page not regenerated. Under nohup (SIGHUP ignored) the command runs on."""
    root = _fixable_catalog(tmp_path)
    before = tree(tmp_path)
    script = textwrap.dedent(f"""
        import os, signal, sys
        # Set either way: a test run under nohup hands its children SIGHUP ignored.
        signal.signal({int(signum)}, signal.SIG_IGN if {ignored!r} else signal.SIG_DFL)
        from deepphen import fsutil
        real = fsutil.atomic_write_bytes
        count = [0]
        def slow(path, data, **kw):
            count[0] += 1
            real(path, data, **kw)
            if count[0] == 2:
                os.kill(os.getpid(), {int(signum)})
        fsutil.atomic_write_bytes = slow
        sys.argv = ["deepphen", "lint", "--fix", "--catalog", {str(root)!r}]
        from deepphen.launch import main
        main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    if ignored:
        assert proc.returncode in (0, 1), proc.stderr
        assert tree(tmp_path) != before  # fixed
        return
    assert proc.returncode == 128 + signum, proc.stderr
    assert tree(tmp_path) == before


def test_ctrl_c_after_the_changes_are_written_says_they_are_kept(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped while printing what it fixed, lint --fix said "interrupted", as if it had put
    every file back, though its changes were written (and kept, as they should be)."""
    from deepphen.cli import lint as cli_lint

    root = _fixable_catalog(tmp_path)
    before = tree(tmp_path)

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_lint, "echo", stopped)
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=130)
    assert "interrupted after writing its changes" in result.stderr
    assert "kept" in result.stderr and tree(tmp_path) != before
    # The next command run in this process has written nothing: a plain "interrupted".
    monkeypatch.setattr(cli_lint, "echo", stopped)
    again = run_cli("lint", "--catalog", root, exit_code=130)
    assert again.stderr.strip().endswith("interrupted")


# ---------------------------------------------------------------------------------------
# 6. deepphen's own files ignore themselves.

def test_private_folder_ignores_itself_and_holds_lock_and_temp_files(
        catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence")
    run_cli("search", "grokking")
    private = catalog_dir / CACHE_DIR
    assert (private / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (private / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert (private / "lock").exists()
    top = {p.name for p in catalog_dir.iterdir()}
    assert top <= {"catalog.toml", CACHE_DIR, "empirical-study", "neural-collapse", "others",
                   "emergence-and-phase-transitions"}


def test_git_sees_nothing_deepphen_leaves_behind(catalog_dir: Path, arxiv: ArxivServer,
                                                 run_cli) -> None:
    git = subprocess.run(["git", "--version"], capture_output=True)
    if git.returncode != 0:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q", str(catalog_dir)], check=True)
    run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence")
    run_cli("lint", "--fix", exit_code=None)
    # What a killed write leaves: a temporary file in the private folder.
    (catalog_dir / CACHE_DIR / f"{TMP_PREFIX}abc").write_text("half")
    status = subprocess.run(["git", "-C", str(catalog_dir), "status", "--porcelain",
                             "--untracked-files=all"], capture_output=True, text=True,
                            check=True).stdout
    assert CACHE_DIR not in status and TMP_PREFIX not in status and "lock" not in status
    assert "others/2206.07682.toml" in status


@pytest.mark.parametrize("page", ["../other.md", "/tmp/other.md", "catalog.toml",
                                  "others/x.md", ".deepphen-cache/lock"])
def test_every_declared_page_is_checked_by_lint(tmp_path: Path, page: str, run_cli) -> None:
    """A catalog's further pages (``[[pages]]``) are held to the same rule as its first."""
    root = make_catalog(tmp_path / "catalog", settings=sample_settings(page="README.md"))
    import tomllib

    import tomli_w

    table = tomllib.loads((root / "catalog.toml").read_text(encoding="utf-8"))
    table["pages"] = [{"page": page, "title": "Second",
                       "sections": [{"slug": s["slug"]} for s in table["sections"]]}]
    (root / "catalog.toml").write_text(tomli_w.dumps(table), encoding="utf-8")
    result = run_cli("lint", "--catalog", root, "--format", "json", exit_code=1)
    assert '"DP506"' in result.stdout and page in result.stdout


@pytest.mark.parametrize("target", ["catalog.toml", "others/1803.03635.toml", "others/new.md",
                                    "others/new.toml", "dismissed.toml", ".deepphen-cache/lock",
                                    ".git/config", "notes.toml", "CATALOG.TOML", "Others/new.md"])
def test_export_output_never_overwrites_what_the_catalog_owns(tmp_path: Path, target: str,
                                                             run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    (root / ".git").mkdir()
    (root / target).parent.mkdir(exist_ok=True)  # Others/: others/ where case is ignored
    before = tree(tmp_path)
    result = run_cli("export", "-f", "md", "--catalog", root, "-o", root / target,
                     exit_code=None)
    one_line_error(result, target.rsplit("/", 1)[-1], "refusing")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("target", ["README.md", "docs/list.md", "../list.md"])
def test_export_output_may_write_a_page_in_or_beside_the_catalog(tmp_path: Path, target: str,
                                                                 run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    (root / "docs").mkdir()
    run_cli("export", "-f", "md", "--catalog", root, "-o", root / target)
    assert (root / target).read_text(encoding="utf-8").startswith("# Test List")


def test_export_output_is_written_through_a_link(tmp_path: Path, run_cli) -> None:
    """`-o` writes through a symbolic link (the link stays), as a shell's `>` does; the link
    was replaced by a new file."""
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "site").mkdir()
    link = tmp_path / "index.md"
    link.symlink_to(tmp_path / "site" / "index.md")
    run_cli("export", "-f", "md", "--catalog", root, "-o", link)
    assert link.is_symlink()
    assert (tmp_path / "site" / "index.md").read_text(encoding="utf-8").startswith("# Test List")


@pytest.mark.parametrize("kind", ["link-out", "fifo"])
def test_dismissals_are_read_only_from_the_catalog(tmp_path: Path, kind: str) -> None:
    from deepphen.dismissed import dismissed_path, load_dismissals
    from deepphen.errors import CatalogError

    root = make_catalog(tmp_path / "catalog")
    path = dismissed_path(root)
    if kind == "link-out":
        (tmp_path / "elsewhere.toml").write_text("[[dismissed]]\narxiv = \"2201.02177\"\n")
        path.symlink_to(tmp_path / "elsewhere.toml")
        with pytest.raises(CatalogError, match="symbolic link"):
            load_dismissals(root)
    else:
        os.mkfifo(path)
        # No hang, and no silence: taken for no file, every dismissal was forgotten.
        with pytest.raises(CatalogError, match="it is a named pipe"):
            load_dismissals(root)

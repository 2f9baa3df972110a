"""Files and the environment (issue 13, items 14, 15, 21 and 29's BOM), each as a class.

File-system failures are injected (the suite may run as root, for whom permissions do not
fail): every reading and writing command, under every fault, ends in one error line naming
the file (or, for lint, a finding naming it), exit 1 or 2, and the whole tmp tree unchanged.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivServer, FakeTime
from tests.helpers import make_catalog, sample_settings, tree

READERS = [["search", "grokking"], ["search", "grokking", "--section", "others"],
           ["export", "-f", "md"], ["export", "-f", "json"], ["stats"], ["lint"]]
WRITERS = [["lint", "--fix"], ["add", "2206.07682", "-s", "others", "-k", "Emergence"],
           ["refresh", "--all", "--write"]]
ERROR = "deepphen: error:"
LIST = ("# L\n\n## Others\n\n- Grokking. [[paper]](https://arxiv.org/abs/2201.02177)\n"
        "  - Alethea Power.\n  - Key Word: Grokking.\n")


def fault(monkeypatch: pytest.MonkeyPatch, code: int, hit: Callable[[str], bool],
          ops: set[str]) -> None:
    """Make the file system fail with ``code`` for paths ``hit`` picks, in the operations
    named: "read" (open without creating, list a folder), "create", "replace", "fsync"."""
    real_open, real_replace, real_scandir = os.open, os.replace, os.scandir
    real_listdir, real_mkdir, real_fsync = os.listdir, os.mkdir, os.fsync

    def failure(path: object) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path))  # type: ignore[arg-type]

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if isinstance(path, str | bytes | os.PathLike) and hit(os.fsdecode(path)):
            creating = bool(flags & os.O_CREAT)
            if ("create" in ops and creating) or ("read" in ops and not creating):
                raise failure(path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def fake_replace(src: object, dst: object, **kwargs: object) -> None:
        if "replace" in ops and hit(os.fsdecode(dst)):  # type: ignore[arg-type]
            raise failure(dst)
        real_replace(src, dst, **kwargs)  # type: ignore[arg-type]

    def fake_scandir(path: object = ".") -> object:
        if "read" in ops and isinstance(path, str | os.PathLike) and hit(os.fsdecode(path)):
            raise failure(path)
        return real_scandir(path)  # type: ignore[arg-type]

    def fake_listdir(path: object = ".") -> list:
        if "read" in ops and isinstance(path, str | os.PathLike) and hit(os.fsdecode(path)):
            raise failure(path)
        return real_listdir(path)  # type: ignore[arg-type]

    def fake_mkdir(path: object, *args: object, **kwargs: object) -> None:
        if "create" in ops and hit(os.fsdecode(path)):  # type: ignore[arg-type]
            raise failure(path)
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    def fake_fsync(fd: int) -> None:
        if "fsync" in ops:
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "replace", fake_replace)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "listdir", fake_listdir)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    monkeypatch.setattr(os, "fsync", fake_fsync)


# name -> (errno, operations, the path that fails, relative to the catalog ("" = any))
FAULTS = {
    "unreadable-paper": (errno.EACCES, {"read"}, "others/1803.03635.toml"),
    "io-error-paper": (errno.EIO, {"read"}, "others/1803.03635.toml"),
    "unreadable-section": (errno.EACCES, {"read"}, "others"),
    "unreadable-settings": (errno.EACCES, {"read"}, "catalog.toml"),
    "unreadable-catalog": (errno.EACCES, {"read"}, "."),
    "read-only": (errno.EROFS, {"create", "replace"}, ""),
    "permission-denied-writes": (errno.EACCES, {"create", "replace"}, ""),
    "full-disk": (errno.ENOSPC, {"fsync"}, ""),
}
FIXABLE_LINK = "https://arxiv.org/abs/1803.03635v3"  # lint --fix drops the version


def _catalog(tmp_path: Path) -> Path:
    root = make_catalog(tmp_path / "catalog", settings=sample_settings(
        page="README.md", regenerate_page=True))
    paper = root / "others" / "1803.03635.toml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        "https://arxiv.org/abs/1803.03635", FIXABLE_LINK), encoding="utf-8")
    return root


def _matcher(root: Path, target: str) -> Callable[[str], bool]:
    if not target:
        top = os.fspath(root.parent)
        return lambda p: os.path.abspath(p).startswith(top)
    wanted = os.path.normpath(root / target)
    return lambda p: os.path.normpath(os.path.abspath(p)) == wanted


def _check(result: object, target: str, root: Path) -> None:
    exc = result.exception  # type: ignore[attr-defined]
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    out = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in out
    assert result.exit_code in (0, 1, 2), out  # type: ignore[attr-defined]
    if result.exit_code == 2:  # type: ignore[attr-defined]
        errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR)]  # type: ignore[attr-defined]
        assert len(errors) == 1, result.stderr  # type: ignore[attr-defined]
        name = Path(target).name if target not in ("", ".") else ""
        assert name in errors[0] and str(root.parent) in errors[0], errors[0]


@pytest.mark.parametrize("name", list(FAULTS))
@pytest.mark.parametrize("command", READERS + WRITERS, ids=" ".join)
def test_every_file_system_failure_in_every_command_is_one_line(
        tmp_path: Path, name: str, command: list[str], arxiv: ArxivServer, fake_clock: FakeTime,
        monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    root = _catalog(tmp_path)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    run_cli("lint", "--fix", exit_code=None)  # a page and a warm cache, before the fault
    (root / "others" / "1803.03635.toml").write_text(
        (root / "others" / "1803.03635.toml").read_text(encoding="utf-8").replace(
            "https://arxiv.org/abs/1803.03635", FIXABLE_LINK), encoding="utf-8")
    code, ops, target = FAULTS[name]
    before = tree(tmp_path)
    fault(monkeypatch, code, _matcher(root, target), ops)
    result = run_cli(*command, exit_code=None)
    monkeypatch.undo()
    _check(result, target, root)
    if command in READERS and not ops & {"read"}:
        assert result.exit_code in (0, 1), result.stderr  # reading needs no writable folder
    if (command in WRITERS and result.exit_code == 2) or command in READERS:
        assert tree(tmp_path) == before


@pytest.mark.parametrize("where", ["read-only-parent", "proc", "parent-is-a-file",
                                   "target-is-a-file"])
def test_import_into_a_place_it_cannot_write_is_one_line(tmp_path: Path, where: str,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         run_cli) -> None:
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    target = {"read-only-parent": tmp_path / "ro" / "catalog",
              "proc": Path("/proc/deepphen-test/catalog"),
              "parent-is-a-file": tmp_path / "file" / "catalog",
              "target-is-a-file": tmp_path / "file"}[where]
    (tmp_path / "file").write_text("x")
    (tmp_path / "ro").mkdir()
    before = tree(tmp_path)
    if where == "read-only-parent":
        fault(monkeypatch, errno.EROFS, _matcher(tmp_path / "ro", ""), {"create", "replace"})
    result = run_cli("import", tmp_path / "list.md", "--catalog", target, exit_code=None)
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR)]
    assert len(errors) == 1
    assert tree(tmp_path) == before


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS], ids=["denied", "read-only"])
@pytest.mark.parametrize("where", ["export-outside", "import-outside", "export-page", "lint-fix"])
def test_an_unwritable_place_is_named_and_the_catalog_only_when_it_is_in_one(
        tmp_path: Path, where: str, code: int, monkeypatch: pytest.MonkeyPatch,
        run_cli) -> None:
    root = _catalog(tmp_path / "lists")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    run_cli("lint", "--fix", exit_code=None)  # the page and the private folder exist already
    paper = root / "others" / "1803.03635.toml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        "https://arxiv.org/abs/1803.03635", FIXABLE_LINK), encoding="utf-8")  # to fix again
    (tmp_path / "out").mkdir()
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    blocked, args = {
        "export-outside": (tmp_path / "out", ["export", "-o", tmp_path / "out" / "list.md"]),
        "import-outside": (tmp_path / "out", ["import", tmp_path / "list.md",
                                              "--catalog", tmp_path / "out" / "new"]),
        "export-page": (root, ["export", "-o", root / "README.md"]),
        "lint-fix": (root / "others", ["lint", "--fix"]),
    }[where]
    fault(monkeypatch, code, lambda p: os.path.dirname(os.path.abspath(p)) == str(blocked),
          {"create", "replace"})
    result = run_cli(*args, exit_code=2)
    monkeypatch.undo()
    [line] = result.stderr.splitlines()
    hint = line[line.rindex("("):]
    state = "is on a read-only file system" if code == errno.EROFS else "is not writable"
    in_catalog = where in ("export-page", "lint-fix")
    assert hint == f"({'the catalog' + chr(39) + 's folder' if in_catalog else 'folder'} "\
        f"{blocked} {state})", line


@pytest.mark.parametrize("kind", ["loop", "dangling", "to-a-folder"])
@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_lock_path_that_is_a_link_is_one_line(tmp_path: Path, kind: str, command: list[str],
                                                arxiv: ArxivServer, fake_clock: FakeTime,
                                                monkeypatch: pytest.MonkeyPatch,
                                                run_cli) -> None:
    from deepphen.fsutil import CACHE_DIR, LOCK_NAME, private_dir

    root = _catalog(tmp_path)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    lock = private_dir(root) / LOCK_NAME
    target = {"loop": lock, "dangling": tmp_path / "nowhere", "to-a-folder": tmp_path}[kind]
    lock.symlink_to(target)
    before = tree(tmp_path)
    result = run_cli(*command, exit_code=2)
    assert "Traceback" not in result.stderr and str(root / CACHE_DIR) in result.stderr
    assert tree(tmp_path) == before


# ---------------------------------------------------------------------------------------
# Files whose content or kind is hostile.

DEEP = 'title = "Deep"\nyear = 2020\nsection = "others"\nx = ' + "[" * 500 + "]" * 500 + "\n"
DEEP_TABLE = ('title = "Deep"\nyear = 2020\nsection = "others"\nx = ' + "{a = " * 300
              + "1" + "}" * 300 + "\n")
DOTTED = 'title = "Deep"\nyear = 2020\nsection = "others"\n' + ".".join(["a"] * 300) + " = 1\n"


@pytest.mark.parametrize("content", [DEEP, DEEP_TABLE, DOTTED], ids=["array", "table", "dotted"])
@pytest.mark.parametrize("command", READERS + WRITERS, ids=" ".join)
def test_deeply_nested_toml_is_an_error_not_a_recursion(
        tmp_path: Path, content: str, command: list[str], arxiv: ArxivServer, fake_clock: FakeTime,
        monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    (root / "others" / "deep.toml").write_text(content, encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = tree(tmp_path)
    result = run_cli(*command, exit_code=None)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "deep.toml:4:" in result.stdout + result.stderr  # the line that nests too deep
    if command[0] == "lint":
        assert result.exit_code == 1 and "DP101" in result.stdout
    else:
        assert result.exit_code == 2
    assert tree(tmp_path) == before


@pytest.mark.parametrize("kind", ["fifo", "folder", "link-out", "link-loop"])
@pytest.mark.parametrize("command", READERS + WRITERS, ids=" ".join)
def test_catalog_toml_that_is_not_a_file_is_one_line(tmp_path: Path, kind: str,
                                                    command: list[str], arxiv: ArxivServer,
                                                    fake_clock: FakeTime,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    settings = root / "catalog.toml"
    (tmp_path / "outside.toml").write_bytes(settings.read_bytes())
    settings.unlink()
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "folder":
        settings.mkdir()
    elif kind == "link-out":
        settings.symlink_to(tmp_path / "outside.toml")
    else:
        settings.symlink_to(settings)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = tree(tmp_path)
    result = run_cli(*command, exit_code=2)
    assert "Traceback" not in result.stderr and "catalog" in result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize("link", ["section-out", "paper-out", "paper-loop", "section-loop"])
@pytest.mark.parametrize("command", READERS + WRITERS, ids=" ".join)
def test_reads_through_links_leaving_the_catalog_are_refused(
        tmp_path: Path, link: str, command: list[str], arxiv: ArxivServer, fake_clock: FakeTime,
        monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    outside = make_catalog(tmp_path / "outside")
    secret = 'title = "Outside Secret"\nyear = 2020\nsection = "others"\n'
    (outside / "others" / "secret.toml").write_text(secret, encoding="utf-8")
    if link == "section-out":
        (root / "stolen").symlink_to(outside / "others", target_is_directory=True)
    elif link == "paper-out":
        (root / "others" / "secret.toml").symlink_to(outside / "others" / "secret.toml")
    elif link == "paper-loop":
        (root / "others" / "loop.toml").symlink_to(root / "others" / "loop.toml")
    else:
        (root / "loop").symlink_to(root / "loop")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    before = tree(tmp_path)
    result = run_cli(*command, "--format", "json" if command[0] in ("search", "lint") else
                     "text", exit_code=None) if command[0] in ("search", "lint") else \
        run_cli(*command, exit_code=None)
    assert "Traceback" not in result.stderr
    assert "Outside Secret" not in result.stdout
    if link.endswith("-out"):
        assert result.exit_code == 2 and "symbolic link" in result.stderr, result.stderr
    if result.exit_code == 2:  # a loop is no folder nor file: skipped, not refused
        assert tree(tmp_path) == before


@pytest.mark.parametrize("command", [["search", "bad link"], ["export", "-f", "md"],
                                     ["export", "-f", "html"], ["export", "-f", "bibtex"],
                                     ["export", "-f", "csv"], ["lint"], ["stats"]])
@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:x/", "https://ex ample.org",
                                 "http://host:99999/", "\x00", "javascript:alert(1)"])
def test_malformed_links_in_a_paper_never_crash(tmp_path: Path, url: str, command: list[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                run_cli) -> None:
    import json

    root = make_catalog(tmp_path / "catalog")
    (root / "others" / "bad-link.toml").write_text(
        'title = "Bad Link"\nyear = 2020\nsection = "others"\nkeywords = ["K"]\n'
        f'[[links]]\nlabel = "paper"\nurl = {json.dumps(url)}\n', encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    result = run_cli(*command, exit_code=None)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["paper", "settings", "both"])
@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_utf8_bom_is_read_as_nothing(tmp_path: Path, where: str, command: list[str],
                                       monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    root = make_catalog(tmp_path / "catalog")
    expected = run_cli(*command, "--catalog", root, exit_code=None).stdout
    for path in ([root / "others" / "1803.03635.toml"] if where == "paper" else
                 [root / "catalog.toml"] if where == "settings" else
                 list(root.rglob("*.toml"))):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli(*command, "--catalog", root, exit_code=None)
    assert result.exit_code in (0, 1) and result.stdout == expected, result.stderr


# ---------------------------------------------------------------------------------------
# 15. The environment: UTF-8 to files and pipes, whatever the locale.

# Each a subprocess per command (the streams are set up at start-up): a few seconds each.
ENVIRONMENTS = {
    "LANG=C": {"LANG": "C", "LC_ALL": ""},
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "PYTHONIOENCODING=latin-1, no UTF-8 mode, C locale": {
        "PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0", "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0"},
}
LOCALE_COMMANDS = [["search", "Ünïcode", "-f", "json"], ["search", "Ünïcode"],
                   ["export", "-f", "md"], ["export", "-f", "csv"],
                   ["stats", "--format", "json"], ["lint"]]


@pytest.mark.parametrize("env", list(ENVIRONMENTS))
def test_every_command_writes_utf8_whatever_the_locale(tmp_path: Path, env: str) -> None:
    root = make_catalog(tmp_path / "catalogé")  # a non-ASCII path reaches stderr too
    (root / "others" / "ünïcode.toml").write_text(
        'title = "Ünïcode Ψ Paper ε"\nyear = 2020\nsection = "others"\n'
        'authors = ["Zoë Ψ"]\nvenue = "Ünïcode Vénue"\n', encoding="utf-8")
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    base.update(ENVIRONMENTS[env], DEEPPHEN_CATALOG=str(root), NO_COLOR="1")
    for command in LOCALE_COMMANDS:
        proc = subprocess.run([sys.executable, "-m", "deepphen", *command], env=base,
                              capture_output=True, timeout=60)
        assert b"Traceback" not in proc.stderr, (command, proc.stderr.decode("utf-8", "replace"))
        assert proc.returncode in (0, 1), (command, proc.stderr)
        text = proc.stdout.decode("utf-8")  # strictly UTF-8
        if command[0] != "lint":
            assert "Ünïcode" in text or "Viégas" in text, (command, text[:200])
    out = tmp_path / "out.bib"
    proc = subprocess.run([sys.executable, "-m", "deepphen", "export", "-f", "bibtex", "-o",
                           str(out)], env=base, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Zoë" in out.read_text(encoding="utf-8")


def test_a_bom_is_nothing_to_import_or_to_lint_locations(tmp_path: Path, run_cli) -> None:
    """A BOM before a list page imports the same catalog; lint finds keys on line 1 of a
    paper file that starts with one (its lines are read as the parser reads them)."""
    (tmp_path / "plain.md").write_text(LIST, encoding="utf-8")
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf" + LIST.encode("utf-8"))
    run_cli("import", tmp_path / "plain.md", "--catalog", tmp_path / "a", exit_code=None)
    run_cli("import", tmp_path / "bom.md", "--catalog", tmp_path / "b", exit_code=None)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    from deepphen.lint.context import PaperFile

    paper = tmp_path / "paper.toml"
    text = 'title = "T  with  spaces"\nyear = 2020\nsection = "others"\n'
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        paper.write_bytes(data)
        assert PaperFile(paper, "others/paper.toml").locate("title", "with") == (1, 13)

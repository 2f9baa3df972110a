"""Paths that are no regular file, or far too large, wherever a command takes one.

A named pipe, a socket, a device or a folder given as the page to import, planted in the
catalog (a paper file, dismissed.toml, the private folder's markers) or named by ``export -o``
never hangs a command nor is taken for something else: one line naming it, exit 2 (lint
reports it). A file far larger than its kind ever is (a 50 MB paper file, /dev/zero as a
page) is refused without being read whole. Runs that could hang run in a thread with a
bound, so a regression fails instead of stopping the suite.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.fsutil import read_regular
from tests.arxiv_server import ArxivServer, FakeTime
from tests.helpers import make_catalog, make_special, one_line_error, tree

LIST = ("# L\n\n## Others\n\n- Grokking. [[paper]](https://arxiv.org/abs/2201.02177)\n"
        "  - Alethea Power.\n  - Key Word: Grokking.\n")


def bounded(run: Callable[..., object], *args: object, **kwargs: object) -> object:
    """``run(*args, **kwargs)`` in a thread, failing the test when it has not ended in a
    minute (a FIFO opened for reading or writing blocks until its other end comes)."""
    done: list[object] = []

    def call() -> None:
        try:
            done.append(run(*args, **kwargs))
        except BaseException as exc:  # raised again in the test's own thread
            done.append(exc)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, f"{args} blocked"
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0]


@pytest.mark.parametrize(("kind", "said"), [("fifo", "a named pipe"), ("socket", "a socket"),
                                            ("folder", "a folder"), ("null", "a device"),
                                            ("zero", "a device")])
def test_import_reads_only_a_regular_file(tmp_path: Path, kind: str, said: str,
                                          run_cli) -> None:
    """A named pipe waited forever for a writer; a socket said "No such device or address";
    /dev/null was "not a paper list" and /dev/zero was read to 64 MiB first."""
    page = Path(f"/dev/{kind}") if kind in ("null", "zero") else tmp_path / "page.md"
    if page.parent == tmp_path:
        make_special(page, kind)
    before = tree(tmp_path)
    result = bounded(run_cli, "import", page, "--catalog", tmp_path / "new", exit_code=None)
    one_line_error(result, str(page), f"cannot read: it is {said}",
                   "give the markdown file of the list")
    assert tree(tmp_path) == before


def test_import_refuses_a_page_too_large_reading_no_more_than_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    from deepphen import paths

    monkeypatch.setattr(paths, "MAX_PAGE_BYTES", len(LIST) - 1)
    page = tmp_path / "page.md"
    page.write_text(LIST, encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "new", exit_code=2)
    one_line_error(result, str(page), f"larger than {len(LIST) - 1} bytes")
    assert not (tmp_path / "new").exists()


def test_read_regular_never_blocks_and_reads_one_byte_past_its_limit(tmp_path: Path) -> None:
    fifo, sock = tmp_path / "fifo", tmp_path / "sock"
    make_special(fifo, "fifo")
    make_special(sock, "socket")
    with pytest.raises(OSError, match="it is a named pipe"):
        bounded(read_regular, fifo)
    with pytest.raises(OSError, match="it is a socket"):
        read_regular(sock)
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(OSError, match="larger than 10 bytes") as caught:
        read_regular(tmp_path / "big", 10)
    assert caught.value.errno == errno.EFBIG
    assert read_regular(tmp_path / "big", 11) == b"x" * 11


@pytest.mark.parametrize("marker", [".gitignore", "CACHEDIR.TAG"])
@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_a_private_folder_marker_that_is_no_file_is_replaced_not_opened(
        tmp_path: Path, marker: str, kind: str, catalog_dir: Path, run_cli) -> None:
    """A FIFO named .gitignore in .deepphen-cache/ hung every command, reading ones too
    (they write the cache): the marker was opened to be written."""
    from deepphen.fsutil import CACHE_DIR

    (catalog_dir / CACHE_DIR / marker).unlink()
    make_special(catalog_dir / CACHE_DIR / marker, kind)
    result = bounded(run_cli, "search", "grokking", exit_code=None)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert (catalog_dir / CACHE_DIR / marker).is_file()


def test_export_into_a_fifo_no_process_reads_is_refused(
        tmp_path: Path, catalog_dir: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    """As a shell's ``>``, export waited forever for a reader that never came."""
    from deepphen import outputs

    monkeypatch.setattr(outputs, "FIFO_READER_WAIT", 0.0)
    fifo = tmp_path / "pipe"
    make_special(fifo, "fifo")
    result = bounded(run_cli, "export", "-f", "md", "-o", fifo, exit_code=None)
    one_line_error(result, str(fifo), "no process reads this named pipe")


def test_export_over_a_socket_is_refused_not_replaced(tmp_path: Path, catalog_dir: Path,
                                                      run_cli) -> None:
    sock = tmp_path / "sock"
    make_special(sock, "socket")
    result = run_cli("export", "-f", "md", "-o", sock, exit_code=2)
    one_line_error(result, str(sock), "cannot write: it is a socket")
    assert sock.is_socket()


def _huge_paper(root: Path) -> Path:
    path = root / "others" / "1803.03635.toml"
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * (16 * 2**20) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["search", "lottery"], ["stats"], ["export", "-f", "md"],
                                     ["lint", "--fix"]], ids=" ".join)
def test_a_catalog_file_far_too_large_is_refused(tmp_path: Path, catalog_dir: Path,
                                                 command: list[str], run_cli) -> None:
    """A 50 MB paper file took search 11 s and 900 MB, lint longer than a minute."""
    path = _huge_paper(catalog_dir)
    before = tree(tmp_path)
    result = run_cli(*command, exit_code=None)
    if command[0] == "lint":  # reported as the file's finding; nothing else is fixed
        assert result.exit_code == 1 and "larger than 16 MiB; " in result.stdout  # type: ignore[attr-defined]
        assert "move this one out of the catalog (DP101)" in result.stdout  # type: ignore[attr-defined]
    else:
        one_line_error(result, str(path), "cannot read: it is larger than 16 MiB",
                       "move this one out of the catalog")
    assert tree(tmp_path) == before


def test_import_force_never_copies_a_dismissals_file_from_outside(tmp_path: Path,
                                                                  run_cli) -> None:
    """``import --force`` carried dismissed.toml over through a link leading out of the
    catalog: the file it led to (anyone's) was copied into the new catalog, to be committed."""
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "private.txt").write_text("not for the catalog\n", encoding="utf-8")
    (root / "dismissed.toml").symlink_to(tmp_path / "private.txt")
    (tmp_path / "page.md").write_text(LIST, encoding="utf-8")
    before = tree(tmp_path)
    result = run_cli("import", tmp_path / "page.md", "--catalog", root, "--force", exit_code=2)
    one_line_error(result, "holds files that are not the catalog's (dismissed.toml)")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("kind", ["fifo", "folder", "link-out"])
def test_a_dismissals_file_that_cannot_be_read_is_said_not_forgotten(
        tmp_path: Path, kind: str, catalog_dir: Path, arxiv: ArxivServer,
        fake_clock: FakeTime, run_cli) -> None:
    """A dismissed.toml that was a folder or a FIFO was taken for no file: discover proposed
    every dismissed paper again, and lint said nothing."""
    path = catalog_dir / "dismissed.toml"
    if kind == "link-out":
        (tmp_path / "elsewhere.toml").write_text('[[dismissed]]\narxiv = "2401.00001"\n')
        path.symlink_to(tmp_path / "elsewhere.toml")
    else:
        make_special(path, kind)
    said = "symbolic link" if kind == "link-out" else f"it is a {kind}".replace("fifo",
                                                                                "named pipe")
    lint = bounded(run_cli, "lint", "-f", "json", exit_code=1)
    found = [f for f in json.loads(lint.stdout) if f["rule"] == "DP605"]  # type: ignore[attr-defined]
    assert len(found) == 1 and said in found[0]["message"], found
    result = bounded(run_cli, "discover", "--since", "2024-01-01", "--until", "2024-01-02",
                     exit_code=None)
    one_line_error(result, str(path), said)


def test_a_paper_name_read_by_no_command_is_reported(catalog_dir: Path, run_cli) -> None:
    """A paper file behind a broken link, or named ``.TOML``, was left out of every page
    and search, and lint passed."""
    (catalog_dir / "others" / "gone.toml").symlink_to(catalog_dir / "others" / "nowhere.toml")
    paper = catalog_dir / "others" / "1803.03635.toml"
    paper.rename(paper.with_suffix(".TOML"))
    lint = run_cli("lint", "-f", "json", exit_code=1)
    found = {Path(f["path"]).name: f["message"] for f in json.loads(lint.stdout)  # type: ignore[attr-defined]
             if f["rule"] == "DP108"}
    assert set(found) == {"gone.toml", "1803.03635.TOML"}, found
    assert "symbolic link to a file that does not exist" in found["gone.toml"]
    assert "ends in '.TOML', not '.toml'" in found["1803.03635.TOML"]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_installing_completion_reads_only_a_regular_rc_file(
        tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    """A FIFO at ~/.bashrc hung the install; a folder there said "Is a directory", naming
    nothing."""
    monkeypatch.setenv("HOME", str(tmp_path))
    make_special(tmp_path / ".bashrc", kind)
    result = bounded(run_cli, "--install-completion", "bash", exit_code=None)
    one_line_error(result, str(tmp_path / ".bashrc"), "cannot read: it is a")


def test_installing_completion_on_a_full_disk_keeps_the_rc_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    """typer truncated ~/.bashrc and wrote it again: a full disk left it empty. Both ways
    to write a file fail here as a full disk fails them (after the truncation)."""
    import pathlib

    from deepphen import fsutil

    def full(path: Path, *args: object, **kwargs: object) -> None:
        path.open("w").close()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setenv("HOME", str(tmp_path))
    rc = tmp_path / ".bashrc"
    rc.write_bytes(b"alias ll='ls -l'\n")
    monkeypatch.setattr(pathlib.Path, "write_text", full)
    monkeypatch.setattr(fsutil.os, "fsync", no_space)
    result = run_cli("--install-completion", "bash", exit_code=None)
    one_line_error(result, str(rc), "No space left on device")
    assert rc.read_bytes() == b"alias ll='ls -l'\n"


def test_installing_completion_keeps_the_rc_file_as_it_is(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          run_cli) -> None:
    """A dotfile kept elsewhere stays a link, a byte that is no UTF-8 stays (typer's locale
    read failed or changed it), and a second install changes nothing (typer added a line
    end each time)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    kept = tmp_path / "dotfiles" / "bashrc"
    kept.parent.mkdir()
    kept.write_bytes(b"# caf\xe9 in latin-1\n")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".bashrc").symlink_to(kept)
    run_cli("--install-completion", "bash")
    once = kept.read_bytes()
    run_cli("--install-completion", "bash")
    assert (tmp_path / "home" / ".bashrc").is_symlink() and kept.read_bytes() == once
    assert once.startswith(b"# caf\xe9 in latin-1\n") and once.count(b"source '") == 1


def test_installing_zsh_completion_keeps_the_rc_file_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    """The blank lines that open and close a ~/.zshrc were stripped by the install."""
    monkeypatch.setenv("HOME", str(tmp_path))
    rc = tmp_path / ".zshrc"
    rc.write_bytes(b"\n# mine\nexport EDITOR=vi\n\n")
    run_cli("--install-completion", "zsh")
    once = rc.read_bytes()
    assert once.startswith(b"\n# mine\nexport EDITOR=vi\n\n") and b"compinit" in once
    run_cli("--install-completion", "zsh")
    assert rc.read_bytes() == once


@pytest.mark.parametrize("name", ["README.md", "notes.md"])
def test_export_never_writes_out_of_the_catalog_through_a_link_in_it(
        tmp_path: Path, name: str, run_cli) -> None:
    """A shared catalog's README.md linked to a file of the user's: ``export -o
    catalog/README.md`` (``make page``) wrote the page over that file. A link outside the
    catalog is still written through (test_hardening_writes)."""
    root = make_catalog(tmp_path / "catalog")
    mine = tmp_path / "home" / ".bashrc"
    mine.parent.mkdir()
    mine.write_text("alias ll='ls -l'\n", encoding="utf-8")
    (root / name).symlink_to(mine)
    before = tree(tmp_path)
    result = run_cli("export", "-f", "md", "--catalog", root, "-o", root / name, exit_code=2)
    one_line_error(result, name, "leaves the catalog folder through a symbolic link")
    assert tree(tmp_path) == before


# --- 'import -': the page from standard input (`curl URL | deepphen import -`), bounded as a
# file is, refused on a terminal, where it would wait for a page typed by hand.

PAGE_WITH_A_PROBLEM = LIST.replace("  - Key Word: Grokking.\n", "")  # and no key-word line


def test_import_dash_reads_the_page_from_standard_input(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "README.md"
    page.write_text(PAGE_WITH_A_PROBLEM, encoding="utf-8")
    from_file = run_cli("import", page, "--catalog", tmp_path / "a", exit_code=1)
    piped = run_cli("import", "-", "--catalog", tmp_path / "b", exit_code=1,
                    input=PAGE_WITH_A_PROBLEM)
    assert tree(tmp_path / "b") == tree(tmp_path / "a")
    # The same problems, named by the line of '<stdin>' instead of the file's.
    assert piped.stderr.replace("<stdin>:", f"{page}:") == from_file.stderr
    assert "<stdin>:5: warning: entry has no 'Key Word:' line" in piped.stderr
    assert piped.stdout.startswith("imported 1 paper in 1 section, 2 problems into ")


def test_import_dash_from_a_terminal_is_refused(tmp_path: Path, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")  # stdin taken for a terminal
    result = run_cli("import", "-", "--catalog", tmp_path / "c", exit_code=None, input=LIST)
    one_line_error(result, "<stdin>", "standard input is a terminal", "deepphen import -")
    assert not (tmp_path / "c").exists()


def test_import_dash_past_the_size_limit_is_refused_unread(tmp_path: Path, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen import paths

    monkeypatch.setattr(paths, "MAX_PAGE_BYTES", len(LIST) - 1)
    result = run_cli("import", "-", "--catalog", tmp_path / "c", exit_code=None, input=LIST)
    one_line_error(result, "<stdin>", "larger than")
    assert not (tmp_path / "c").exists()
    monkeypatch.setattr(paths, "MAX_PAGE_BYTES", len(LIST))  # exactly the limit
    run_cli("import", "-", "--catalog", tmp_path / "c", input=LIST, exit_code=1)


@pytest.mark.parametrize(("text", "said"), [("", "not a paper list"),
                                             (b"\xff\xfe", "not UTF-8")])
def test_import_dash_of_no_page_says_so(tmp_path: Path, run_cli, text: str | bytes,
                                        said: str) -> None:
    result = run_cli("import", "-", "--catalog", tmp_path / "c", exit_code=None, input=text)
    one_line_error(result, "<stdin>", said)


def test_import_dash_with_merge_needs_a_page_name(tmp_path: Path, run_cli) -> None:
    run_cli("import", "-", "--catalog", tmp_path / "c", input=LIST, exit_code=1)
    result = run_cli("import", "-", "--catalog", tmp_path / "c", "--merge", exit_code=None,
                     input=LIST)
    one_line_error(result, "--merge from standard input needs --page")
    merged = run_cli("import", "-", "--catalog", tmp_path / "c", "--merge", "--page",
                     "FULL_LIST.md", input=LIST, exit_code=None)
    assert merged.exit_code in (0, 1), merged.stderr
    assert "merged <stdin> into" in merged.stdout

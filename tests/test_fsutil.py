"""Atomic writes and the catalog lock, including interruption by signals."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deepphen.errors import CatalogError, DeepphenError, LockTimeout
from deepphen.fsutil import (
    STALE_TMP_SECONDS,
    TMP_PREFIX,
    atomic_write_text,
    catalog_lock,
    os_error,
    private_dir,
)
from deepphen.outputs import write_output


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    atomic_write_text(target, "old\n")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("via_link", [False, True])
def test_an_output_stream_is_written_into_never_replaced(tmp_path: Path, via_link: bool) -> None:
    """`-o /dev/null`, `-o /dev/stdout`, a FIFO: renaming a file over them (as root, in /dev)
    would replace the device itself with a file; the user asked for the stream."""
    import stat
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    target = tmp_path / "link" if via_link else fifo
    if via_link:
        target.symlink_to(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(target, "page\n")
    reader.join(5)
    assert got == [b"page\n"]
    assert stat.S_ISFIFO(os.stat(target).st_mode) and target.is_symlink() == via_link
    assert leftovers(tmp_path) == []


def test_write_under_a_file_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x")
    with pytest.raises(DeepphenError, match="notes is a file, not a folder"):
        atomic_write_text(tmp_path / "notes" / "sub" / "page.md", "text")


def test_failed_write_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old\n")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(DeepphenError, match="No space left"):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_keyboard_interrupt_mid_write_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_mid_write_leaves_old_file(tmp_path: Path, signum: int) -> None:
    """A real process killed while writing leaves the target as it was and no temp file."""
    target = tmp_path / "a.toml"
    target.write_text("old\n")
    ready = tmp_path / "ready"
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        from pathlib import Path
        from deepphen.launch import exit_on_sigterm
        exit_on_sigterm()
        # A child of a background job starts with SIGINT ignored; restore Ctrl-C's behaviour.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from deepphen.fsutil import atomic_write_text
        def slow_fsync(fd):
            Path({str(ready)!r}).write_text("x")
            time.sleep(30)  # the parent signals us here, mid-write
        os.fsync = slow_fsync
        try:
            atomic_write_text(Path({str(target)!r}), "new\\n")
        except KeyboardInterrupt:
            sys.exit(130)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():  # polling for the child, not sleeping in the code under test
            assert proc.poll() is None, "child exited early"
            assert time.monotonic() < deadline, "child never reached the write"
            time.sleep(0.01)
        proc.send_signal(signum)
        assert proc.wait(timeout=20) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def _a_catalog(folder: Path) -> Path:
    """A folder the lock takes for a catalog: it holds more than deepphen's private one."""
    (folder / "catalog.toml").write_text('title = "T"\n', encoding="utf-8")
    return folder


def test_lock_times_out_with_clear_message(tmp_path: Path) -> None:
    _a_catalog(tmp_path)
    # filelock is re-entrant within one object only; a second lock object must wait.
    with (
        catalog_lock(tmp_path),
        pytest.raises(LockTimeout) as info,
        catalog_lock(tmp_path, timeout=0.05),
    ):
        pass
    assert "lock" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_interrupted_import_leaves_nothing(tmp_path: Path, interruption: type) -> None:
    """Ctrl-C (or SIGTERM, which the CLI turns into SystemExit) halfway through writing the
    paper files of an import: no catalog, no temporary folder."""
    from deepphen.catalog_write import write_catalog
    from deepphen.importer import parse_list

    page = "# L\n\n## Others\n\n### Others: 2020\n" + "".join(
        f"\n- Paper {i}. [[paper]](https://arxiv.org/abs/2001.{i:05d})\n  - A. Author.\n"
        for i in range(1, 30))
    result = parse_list(page)

    def interrupt(done: int, total: int) -> None:
        if done == 10:
            raise interruption

    with pytest.raises(interruption):
        write_catalog(tmp_path / "cat", result.settings, result.papers, on_paper=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_a_device_that_refuses_a_write_is_named_itself(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    exc = OSError(errno.EACCES, os.strerror(errno.EACCES), str(fifo))
    assert str(os_error("write", exc, fifo)).endswith(f"(file {fifo} is not writable)")
    assert os_error("read", exc, fifo).hint is None  # reading names no folder to write in


def test_os_error_takes_the_callers_hint_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    exc = OSError(errno.EFBIG, "it is larger than 16 MiB", str(path))
    error = os_error("read", exc, path, hint="move it out", kind=CatalogError)
    assert type(error) is CatalogError
    assert str(error) == f"{path}: cannot read: it is larger than 16 MiB (move it out)"
    # An OSError without an errno says its own words, not only its class's name.
    assert os_error("read", OSError("stream closed"), path).message == "cannot read: stream closed"
    assert os_error("read", OSError(), path).message == "cannot read: OSError"


def test_a_signal_just_after_the_temporary_file_is_made_leaves_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C between mkstemp and the cleanup's try left an empty temporary file (seen in
    2 of 45 SIGTERMs of refresh --write)."""
    import tempfile

    real = tempfile.mkstemp

    def interrupted(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGINT)  # a real signal, as the terminal sends it
        return made

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # CI ignores SIGINT
    try:
        with pytest.raises(KeyboardInterrupt):
            atomic_write_text(tmp_path / "paper.toml", "text\n")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_catalog_keeps_its_temporary_file_in_the_private_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``export -o catalog/README.md`` wrote its temporary file beside the page: a kill -9
    left it in ``git status``. Where it is made is checked; outside a catalog, beside."""
    import tempfile

    from deepphen.fsutil import CACHE_DIR

    made: list[str] = []
    real = tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        made.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    root = tmp_path / "catalog"
    root.mkdir()
    (root / "catalog.toml").write_text('title = "T"\n', encoding="utf-8")
    write_output(root / "README.md", "page\n")
    write_output(tmp_path / "out.md", "page\n")
    # The private folder's two markers, then the page; then the file outside.
    assert [Path(m).parent for m in made] == [root / CACHE_DIR] * 3 + [tmp_path]
    assert (root / "README.md").read_text(encoding="utf-8") == "page\n"


def test_a_full_disk_says_to_free_space(tmp_path: Path) -> None:
    exc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "a.toml"))
    error = os_error("write", exc, tmp_path / "a.toml")
    assert error.hint is not None and "free some space" in error.hint


def test_a_folder_where_the_lock_goes_is_named(tmp_path: Path) -> None:
    from deepphen.fsutil import LOCK_NAME, private_dir

    (private_dir(tmp_path) / LOCK_NAME).mkdir(parents=True)
    with pytest.raises(DeepphenError) as caught, catalog_lock(tmp_path, timeout=0.1):
        pass
    assert caught.value.hint is not None and "a folder stands where the lock file goes" \
        in caught.value.hint


def test_a_special_file_where_the_lock_goes_is_never_opened(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO (so a device too: no test can make one unprivileged) planted as the lock was
    opened for writing by every writer: opening a device can act, one line instead."""
    from deepphen.fsutil import LOCK_NAME, private_dir
    from tests.helpers import spy_opens

    lock = private_dir(tmp_path) / LOCK_NAME
    os.mkfifo(lock)
    opened = spy_opens(monkeypatch)
    with pytest.raises(DeepphenError) as caught, catalog_lock(tmp_path, timeout=0.1):
        pass
    assert "the lock file is a named pipe" in caught.value.message
    assert LOCK_NAME not in opened


def test_an_immutable_file_is_named_not_its_folder(tmp_path: Path) -> None:
    """chattr +i: the folder is writable, the file is not; the hint blamed the folder."""
    import shutil

    path = tmp_path / "paper.toml"
    path.write_text("old\n", encoding="utf-8")
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)],
                                        capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (not root, or the file system lacks it)")
    try:
        with pytest.raises(DeepphenError) as caught:
            atomic_write_text(path, "new\n")
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)
    assert caught.value.hint is not None and "immutable or append-only" in caught.value.hint
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.toml"]  # no temporary left


def test_a_writer_that_must_wait_for_the_lock_says_so_once(tmp_path: Path) -> None:
    """A silent wait of up to 30 s looks like a hang: the hook hears of it, once."""
    from deepphen.fsutil import LOCK_WAIT

    heard: list[tuple[Path, float]] = []
    token = LOCK_WAIT.set(lambda path, timeout: heard.append((path, timeout)))
    _a_catalog(tmp_path)
    try:
        with catalog_lock(tmp_path):  # free: no word
            pass
        assert heard == []
        with (
            catalog_lock(tmp_path),
            pytest.raises(LockTimeout),
            catalog_lock(tmp_path, timeout=0.05),
        ):
            pass
    finally:
        LOCK_WAIT.reset(token)
    assert len(heard) == 1 and heard[0][1] == 0.05 and heard[0][0].name == "lock"


def test_an_output_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    """`-o site/index.html` where index.html links into another folder: the file the link
    leads to gets the text, as a shell's `>` writes it; the link was replaced by a file."""
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "index.html"
    real.write_text("old\n")
    link = tmp_path / "index.html"
    link.symlink_to(real)
    write_output(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    dangling = tmp_path / "next.html"
    dangling.symlink_to(tmp_path / "real" / "next.html")  # its file is not there yet
    write_output(dangling, "page\n")
    assert dangling.is_symlink() and (tmp_path / "real" / "next.html").read_text() == "page\n"
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


@pytest.mark.parametrize("case", ["loop", "no-folder"])
def test_an_output_link_that_leads_nowhere_is_refused(tmp_path: Path, case: str) -> None:
    link = tmp_path / "out.md"
    if case == "loop":
        link.symlink_to(link)
        message = "a loop of symbolic links"
    else:
        link.symlink_to(tmp_path / "missing" / "out.md")
        message = "whose folder does not exist"
    with pytest.raises(DeepphenError, match=message) as caught:
        write_output(link, "page\n")
    assert str(caught.value).startswith(f"{link}: ")
    assert link.is_symlink() and not (tmp_path / "missing").exists()
    assert leftovers(tmp_path) == []



def test_a_folder_holding_only_the_lock_is_no_catalog_to_lock(tmp_path: Path) -> None:
    """filelock makes its lock file's folders: a writer waiting while `import --force`
    swaps the catalog could lock a file in such a folder, standing where the catalog goes,
    and read a catalog that is not there yet. It waits for the catalog instead."""
    (tmp_path / ".deepphen-cache").mkdir()
    with pytest.raises(LockTimeout), catalog_lock(tmp_path, timeout=0.1):
        pass


def test_a_lock_whose_folder_the_swap_replaced_is_let_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap replacing the folder just after this writer locked a file in it: the lock
    held is no longer the catalog's, and the writer takes the new folder's."""
    import filelock

    root = tmp_path / "catalog"
    root.mkdir()
    _a_catalog(root)
    real_acquire = filelock.FileLock.acquire
    calls: list[Path] = []

    def acquire(self: filelock.FileLock, *args: object, **kwargs: object) -> object:
        held = real_acquire(self, *args, **kwargs)
        calls.append(Path(self.lock_file))
        if len(calls) == 1:  # import --force's swap, in that instant
            os.replace(root, tmp_path / "old")
            root.mkdir()
            _a_catalog(root)
        return held

    monkeypatch.setattr(filelock.FileLock, "acquire", acquire)
    with catalog_lock(root, timeout=5):
        assert len(calls) == 2
        assert (root / ".deepphen-cache" / "lock").is_file()


def test_the_next_writer_removes_what_a_killed_writer_left_in_the_private_folder(
        tmp_path: Path) -> None:
    """A kill -9 mid-write leaves a temporary file in ``.deepphen-cache/``; the next writer
    to take the lock removes it once it is stale, and leaves everything else alone: a fresh
    one (a live writer's), a link, a folder, another file."""
    (tmp_path / "catalog.toml").write_text('title = "x"\n', encoding="utf-8")
    folder = private_dir(tmp_path)
    old = time.time() - STALE_TMP_SECONDS - 60
    stale, fresh = folder / f"{TMP_PREFIX}dead", folder / f"{TMP_PREFIX}live"
    kept_dir, link, other = folder / f"{TMP_PREFIX}dir", folder / f"{TMP_PREFIX}link", folder / "x"
    for file in (stale, fresh, other):
        file.write_text("half", encoding="utf-8")
    kept_dir.mkdir()
    link.symlink_to(tmp_path / "catalog.toml")
    for path in (stale, other, kept_dir):
        os.utime(path, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    with catalog_lock(tmp_path):
        pass
    assert not stale.exists()
    assert fresh.is_file() and other.is_file() and kept_dir.is_dir() and link.is_symlink()
    assert (tmp_path / "catalog.toml").read_text(encoding="utf-8") == 'title = "x"\n'


def test_a_machine_clock_ahead_of_the_files_removes_no_live_writers_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file server, this machine's clock an hour ahead made a writer's fresh temporary
    file (the derived cache's, taking no lock) look stale: age is read by the folder's clock."""
    (tmp_path / "catalog.toml").write_text('title = "x"\n', encoding="utf-8")
    live = private_dir(tmp_path) / f"{TMP_PREFIX}live"
    live.write_text("half", encoding="utf-8")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2 * STALE_TMP_SECONDS)
    with catalog_lock(tmp_path):
        pass
    assert live.is_file()

"""Atomic file writes, the all-or-nothing journal, the catalog's private folder and its lock.

A write goes to a temporary file and is renamed over the target, so a reader sees the old file
or the new one, never half of either, and a crash or Ctrl-C leaves no temporary file behind.
Everything deepphen keeps for itself in a catalog (the derived cache, the lock, temporary
files) lives in ``.deepphen-cache/``, a folder that ignores itself: it holds a ``.gitignore``
of ``*`` and a ``CACHEDIR.TAG``, as pytest's and ruff's caches do, so a file left by a killed
process never shows up in ``git status`` and backup tools skip the folder.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from deepphen.errors import DeepphenError, LockTimeout

CACHE_DIR = ".deepphen-cache"
LOCK_NAME = "lock"  # inside CACHE_DIR
# Called once, with the lock file and the time limit, when a writer finds the catalog lock
# held and starts to wait: the CLI says so on stderr (a silent 30 s looks like a hang); the
# core prints nothing.
LOCK_WAIT: contextvars.ContextVar[Callable[[Path, float], None] | None] = (
    contextvars.ContextVar("deepphen_lock_wait", default=None))
TMP_PREFIX = ".deepphen-tmp-"
# A temporary file in the private folder older than this was left by a killed writer (a
# write takes seconds); the next writer to take the lock removes it.
STALE_TMP_SECONDS = 3600.0
# The tag backup and archiving tools look for (https://bford.info/cachedir/).
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by deepphen.\n"
                "# For information about cache directory tags, see https://bford.info/cachedir/\n")


def os_error(action: str, exc: OSError, path: str | Path, *, hint: str | None = None,
             kind: type[DeepphenError] = DeepphenError) -> DeepphenError:
    """One line for a failed file-system call: what, the reason, and the file at fault.

    ``hint``: the caller's advice (else the one a refused write or a full disk gets);
    ``kind``: the error's class (a catalog file's reader raises ``CatalogError``)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    # The file meant, not a temporary one beside it; the path at fault when it is another
    # (a folder on the way).
    culprit = exc.filename if isinstance(exc.filename, str) else None
    if culprit and culprit != str(path) and TMP_PREFIX not in os.path.basename(culprit):
        reason += f": {culprit}"
    if hint is None:
        hint = _advice(action, exc, path)
    return kind(f"cannot {action}: {reason}", path=path, hint=hint)


def _advice(action: str, exc: OSError, path: str | Path) -> str | None:
    """What to do about a failed call, when deepphen can tell."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and action != "read":
        return _refusal(exc, path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk (or quota) and run again"
    if exc.errno == errno.EISDIR and action == "lock":
        return "a folder stands where the lock file goes; remove it if no deepphen is running"
    return None


def _refusal(exc: OSError, path: str | Path) -> str:
    """What refused a write: the folder it creates or renames in (the file itself when it is
    a device or FIFO written in place). The catalog is named only when that is in one."""
    from deepphen.paths import catalog_holding

    # A rename's failure names the source first; the destination's folder is the one at fault.
    target = next((f for f in (exc.filename2, exc.filename) if isinstance(f, str)), str(path))
    try:
        mode = os.stat(target).st_mode
        in_place = not (stat.S_ISDIR(mode) or stat.S_ISREG(mode))
    except OSError:
        in_place = False
    blocked = target if in_place else os.path.dirname(os.path.abspath(target))
    what = "file" if in_place else "folder"
    if catalog_holding(blocked) is not None:
        what = f"the catalog's {what}"
    if exc.errno == errno.EROFS:
        return f"{what} {blocked} is on a read-only file system"
    if exc.errno == errno.EPERM and not in_place and os.access(blocked, os.W_OK | os.X_OK):
        # The folder takes writes, the file refuses them: Linux's immutable or append-only
        # attribute (chattr +i, +a), or another user's file in a sticky folder (/tmp).
        return (f"{target} refuses changes though its folder takes them: an immutable or "
                "append-only file (lsattr shows it), or another user's in a sticky folder")
    return f"{what} {blocked} is not writable"


def require_writable(folder: Path) -> None:
    """Raise now the error a write into ``folder`` would raise later: for a run that writes
    only after a long fetch (discover --interactive), whose first decision must not be where
    a read-only catalog is found. Nothing when the folder takes writes."""
    if os.access(folder, os.W_OK | os.X_OK):
        return
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    code = errno.EROFS if read_only else errno.EACCES
    # The file a write makes there first: the refusal is then said of its folder.
    probe = os.path.join(folder, TMP_PREFIX)
    raise os_error("write", OSError(code, os.strerror(code), probe), folder)


def file_kind(mode: int) -> str:
    """What a file that is no regular file is, in a word a user knows ("a named pipe")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file. OSError when it cannot be read, is something else (a
    FIFO, which would block every reader, a socket, a device, a folder: its ``strerror``
    says which) or holds more than ``limit`` bytes (EFBIG; at most ``limit + 1`` are read,
    so /dev/zero or a disk image cannot fill the memory). Never blocks."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # none on Windows
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        # A socket refuses to be opened ("No such device or address"): say what it is.
        try:
            mode = os.stat(path).st_mode
        except OSError:
            raise exc from None
        raise OSError(errno.EINVAL, f"it is {file_kind(mode)}", str(path)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL,
                          f"it is {file_kind(st.st_mode)}", str(path))
        with open(fd, "rb", closefd=False) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"it is larger than {size_text(limit)}", str(path))
    return data


def size_text(size: int) -> str:
    """A size limit as people read it: "64 MiB", "512 KiB"."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def private_dir(root: Path) -> Path:
    """The catalog's ``.deepphen-cache/`` folder, created self-ignoring when missing.

    Raises DeepphenError when it cannot be made, or when it is a symbolic link (in a catalog
    someone shared, the link could point anywhere) or not a folder.
    """
    folder = Path(root) / CACHE_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise DeepphenError("is not a plain folder; refusing to write into it", path=folder,
                            hint="delete it: it only holds deepphen's cache and lock")
    try:
        folder.mkdir(exist_ok=True)
        for name, text in ((".gitignore", "# Created by deepphen: ignore this whole folder.\n*\n"),
                           ("CACHEDIR.TAG", CACHEDIR_TAG)):
            marker = folder / name
            if not marker.is_file() and not marker.is_symlink():
                # Replaced, never opened: a FIFO planted under its name hung every command.
                atomic_write_text(marker, text, tmp_dir=folder)
    except OSError as exc:
        raise os_error("write", exc, folder) from exc
    return folder


def _mode_for(path: Path) -> int:
    """The permissions a write gives ``path``: the file's own when it replaces one (a private
    0600 page stays private, a group-writable one stays writable for the group), else what the
    umask leaves of 0666, as ``open()`` gives a new file. (mkstemp's file is 0600.)"""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            return st.st_mode & 0o777
    except OSError:
        pass
    mask = os.umask(0o022)  # read it back: there is no other portable way to read it
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(path: Path, data: bytes, *, tmp_dir: Path | None = None) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename), keeping the
    permissions of the file it replaces (see _mode_for).

    The temporary file goes to ``tmp_dir`` (a catalog's private folder, where a file left by
    a killed process is ignored), else beside the target; across file systems it goes beside
    the target.
    """
    import tempfile

    path = Path(path)
    # A Ctrl-C or SIGTERM between the temporary file's creation and the cleanup's reach left
    # it behind: they wait (deferred) until the file is the cleanup's to remove.
    held = _defer_signals()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=tmp_dir or path.parent)
    except (FileExistsError, NotADirectoryError) as exc:
        _redeliver(held)
        # A file where a folder of the path should be; the bare "File exists" misleads.
        blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()),
                       exc.filename)
        raise DeepphenError(f"cannot write: {blocker} is a file, not a folder",
                            path=path) from exc
    except BaseException as exc:
        _redeliver(held)
        if isinstance(exc, OSError):
            raise os_error("write", exc, path) from exc
        raise
    try:
        _redeliver(held)  # a signal that came meanwhile acts here, inside the try
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way of the file", str(path))
        try:
            os.replace(tmp, path)
        except OSError as exc:
            if exc.errno != errno.EXDEV or tmp_dir is None:
                raise
            os.unlink(tmp)
            atomic_write_bytes(path, data)  # another file system: write beside the target
    except BaseException as exc:
        # BaseException: KeyboardInterrupt and SystemExit (SIGTERM handler) must clean up too.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error("write", exc, path) from exc
        raise


def atomic_write_text(path: Path, text: str, *, tmp_dir: Path | None = None) -> None:
    """Write UTF-8 text atomically; see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"), tmp_dir=tmp_dir)


class Journal:
    """Files touched by a write, with their old bytes, to put them back on failure."""

    def __init__(self, tmp_dir: Path | None = None) -> None:
        self.saved: dict[Path, bytes | None] = {}
        self.tmp_dir = tmp_dir

    def remember(self, path: Path) -> None:
        """Keep ``path``'s current bytes (or its absence) before it is first changed. A
        symbolic link is remembered as the file it leads to, which writers write through:
        restoring the link's path replaced the link with a copy."""
        path = Path(path)
        if path.is_symlink() and path.is_file():
            path = Path(os.path.realpath(path))
        if path in self.saved:
            return
        try:
            self.saved[path] = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # no such file (yet): the write says why
            self.saved[path] = None
        except OSError as exc:  # a read: no "folder is not writable" hint for it
            raise os_error("read", exc, path) from exc

    def restore(self) -> None:
        """Put every remembered file back as it was (best effort: errors are swallowed).

        A second Ctrl-C or SIGTERM meanwhile waits until it is done: stopped half-way, the
        catalog would be left half-changed, after a first Ctrl-C that meant "change nothing".
        """
        with signals_held():
            for path, data in self.saved.items():
                with contextlib.suppress(OSError, DeepphenError):
                    if data is None:
                        path.unlink(missing_ok=True)
                    else:
                        atomic_write_bytes(path, data, tmp_dir=self.tmp_dir)


Deferred = tuple[dict[int, object], list[int]] | None


def _defer_signals() -> Deferred:
    """Hold SIGINT and SIGTERM back: their handlers only note them until ``_redeliver``. A
    mask would not do: another thread (a network watchdog's timer, a test runner's) takes
    a signal this one blocks, and Python raises it here all the same. None outside the main
    thread, where Python runs no handler (and sets none)."""
    import signal

    noted: list[int] = []
    old: dict[int, object] = {}
    # SIGHUP too where it exists: deepphen.launch makes it end the run as SIGTERM does.
    stops = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):
        stops.append(signal.SIGHUP)
    try:
        for number in stops:
            with contextlib.suppress(ValueError, OSError):
                old[number] = signal.signal(number, lambda signum, _frame: noted.append(signum))
    except BaseException:  # a signal between two of them: no handler left noting forever
        _redeliver((old, []))
        raise
    return (old, noted) if old else None  # none set: not the main thread (ValueError)


def _redeliver(deferred: Deferred) -> None:
    """Put the handlers back, and run the one of a signal that came meanwhile (which raises
    KeyboardInterrupt or SystemExit, as it would have)."""
    import signal

    if deferred is None:
        return
    old, noted = deferred
    for number, handler in old.items():
        if handler is not None:  # None: set outside Python, nothing to put back
            signal.signal(number, handler)  # type: ignore[arg-type]
    if noted and callable(old.get(noted[0])):
        old[noted[0]](noted[0], None)  # type: ignore[operator]
    elif noted and old.get(noted[0]) == signal.SIG_DFL:
        os.kill(os.getpid(), noted[0])


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM ignored for the block (in the main thread, where Python handles
    them; elsewhere nothing changes). The exception already on its way still ends the run."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):
            old[number] = signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in old.items():
            if handler is not None:  # None: set outside Python, nothing to put back
                signal.signal(number, handler)


@contextlib.contextmanager
def transaction(tmp_dir: Path | None = None) -> Iterator[Journal]:
    """Yield a journal; if the block fails (error, Ctrl-C, SIGTERM), every remembered file is
    put back, so a command changes all it meant to or nothing."""
    journal = Journal(tmp_dir)
    try:
        yield journal
    except BaseException:
        journal.restore()
        raise
    if journal.saved:
        KEPT.set(KEPT.get() + len(journal.saved))


# Files this run changed and kept (transactions that ended well): a command stopped after
# them (printing its results) says so, rather than that it was interrupted as if undone.
KEPT: contextvars.ContextVar[int] = contextvars.ContextVar("deepphen_kept", default=0)


def _holds_catalog_lock(lock: object, path: Path, root: Path) -> bool:
    """Whether ``lock``, just acquired, is the catalog's: ``root`` holds more than this
    private folder (filelock makes the folder of its lock file, so a writer waiting while
    ``import --force`` swaps the catalog can lock a file in a folder standing in for the
    catalog), and ``path`` is still the file locked (the swap replaces such a folder).
    Checked in this order, so that a swap in between is seen by the second check."""
    try:
        if not any(entry.name != CACHE_DIR for entry in Path(root).iterdir()):
            return False
        # filelock keeps the locked descriptor here (3.12 to 4.x); without it, the folder
        # check above is what there is.
        fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
        return fd is None or os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:  # the swap's instant without a catalog
        return False


@contextlib.contextmanager
def catalog_lock(root: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the catalog's write lock; several writers on one catalog take turns."""
    import time

    from filelock import FileLock, Timeout  # only writers pay for the import

    path = private_dir(root) / LOCK_NAME
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = stat.S_IFREG  # absent (filelock makes it), or filelock names the problem
    if stat.S_ISLNK(mode):
        raise DeepphenError("the lock file is a symbolic link; refusing to follow it",
                            path=path, hint="delete it if no deepphen is running")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a folder: filelock's EISDIR says it
        # Opened for writing, a device can act (a tape rewinds, a watchdog arms).
        raise DeepphenError(f"the lock file is {file_kind(mode)}; refusing to open it",
                            path=path, hint="delete it if no deepphen is running")
    lock = FileLock(str(path))
    deadline, waited = time.monotonic() + timeout, False
    try:
        while True:
            try:
                # One attempt first: only a wait is worth a word.
                lock.acquire(timeout=max(0.0, deadline - time.monotonic()) if waited else 0)
                if _holds_catalog_lock(lock, path, root):
                    break
                # A lock file filelock made while `import --force` swapped the folder: no
                # other writer waits on it. Let it go and wait for the new folder's lock.
                lock.release()
                waited = True
                if time.monotonic() >= deadline:
                    raise Timeout(str(path))
                time.sleep(0.05)
            except Timeout:
                if waited:
                    raise
                waited = True
                notify = LOCK_WAIT.get()
                if notify is not None:
                    notify(path, timeout)
            except FileNotFoundError:
                # The folder of the lock went while this writer waited: `import --force` is
                # swapping the catalog folder. Nothing is made while the catalog is missing
                # (a folder made there would stand in the new one's way); the new folder
                # holds the lock this writer waits for next.
                while not Path(root).is_dir():  # filelock would make its folders again
                    if time.monotonic() >= deadline:
                        raise Timeout(str(path)) from None
                    time.sleep(0.05)
                if time.monotonic() >= deadline:
                    raise Timeout(str(path)) from None
                private_dir(root)
    except Timeout as exc:
        raise LockTimeout(
            f"another deepphen process has held the catalog lock for {timeout:g}s",
            path=path,
            hint="wait for it to finish, or remove the lock file if no deepphen is running",
        ) from exc
    except OSError as exc:
        raise os_error("lock", exc, path) from exc
    sweep_stale_temporaries(path.parent, now=_folder_clock(path))
    try:
        yield
    finally:
        lock.release()


def _folder_clock(lock: Path) -> float | None:
    """The time by the file system's own clock (the lock file touched now), so that a file
    server's clock, not this machine's, tells a stale file's age; None when it cannot."""
    try:
        os.utime(lock)  # no times given: a network file system sets its own
        return os.stat(lock).st_mtime
    except OSError:
        return None


def sweep_stale_temporaries(folder: Path, now: float | None) -> None:
    """Remove the temporary files a killed writer left in a catalog's private ``folder``
    (regular files named TMP_PREFIX..., unchanged for STALE_TMP_SECONDS). ``now``: the
    folder's clock (``_folder_clock``); without it nothing is removed, as a machine's clock
    ahead of a file server's made a live writer's file look stale. Links, folders and
    anything else are left alone, and a file that cannot be removed is left for the next
    writer: the folder ignores itself, so nothing shows."""
    if now is None:
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TMP_PREFIX):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_TMP_SECONDS:
                os.unlink(entry.path)
        except OSError:
            continue

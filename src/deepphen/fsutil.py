"""Atomic file writes, all-or-nothing groups of them (``transaction``), and the catalog lock.

A write goes to a temporary file in the target's folder and is renamed over the target,
so a reader sees the old file or the new one, never half of either, and a crash or Ctrl-C
leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from deepphen.errors import DeepphenError, LockTimeout

LOCK_NAME = ".deepphen.lock"
TMP_PREFIX = ".deepphen-tmp-"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, rename)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    except (FileExistsError, NotADirectoryError) as exc:
        # A file where a folder of the path should be; the bare "File exists" misleads.
        blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()),
                       exc.filename)
        raise DeepphenError(f"cannot write: {blocker} is a file, not a folder",
                            path=path) from exc
    except OSError as exc:
        raise DeepphenError(f"cannot write: {exc.strerror}", path=path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        # BaseException: KeyboardInterrupt and SystemExit (SIGTERM handler) must clean up too.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise DeepphenError(f"cannot write: {exc.strerror}", path=path) from exc
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically; see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def catalog_lock(root: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the catalog's write lock; several writers on one catalog take turns."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    lock = FileLock(str(Path(root) / LOCK_NAME))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise LockTimeout(
            f"another deepphen process has held the catalog lock for {timeout:g}s",
            path=Path(root) / LOCK_NAME,
            hint="wait for it to finish, or remove the lock file if no deepphen is running",
        ) from exc
    try:
        yield
    finally:
        lock.release()


class Journal:
    """Files touched by a write, with their old bytes, to restore them on failure."""

    def __init__(self) -> None:
        self.saved: dict[Path, bytes | None] = {}

    def remember(self, path: Path) -> None:
        """Keep ``path``'s bytes (or that it did not exist) before the first write to it."""
        if path in self.saved:
            return
        try:
            self.saved[path] = path.read_bytes()
        except FileNotFoundError:
            self.saved[path] = None
        except OSError as exc:
            raise DeepphenError(f"cannot write: {exc.strerror}", path=path) from exc

    def restore(self) -> None:
        """Put every remembered file back as it was."""
        for path, data in self.saved.items():
            with contextlib.suppress(OSError, DeepphenError):
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write_bytes(path, data)


@contextlib.contextmanager
def transaction() -> Iterator[Journal]:
    """Yield a journal; if the block fails, every remembered file is put back."""
    journal = Journal()
    try:
        yield journal
    except BaseException:
        journal.restore()
        raise

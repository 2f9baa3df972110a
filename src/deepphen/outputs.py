"""Outputs a user names (``export -o``, the generated page): written straight into a
device or FIFO, through a symbolic link, else atomically (deepphen.fsutil), as a shell's
``>`` would write them, but never waiting forever for a FIFO's reader nor replacing a socket.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from deepphen.errors import DeepphenError
from deepphen.fsutil import atomic_write_bytes, file_kind, os_error, private_dir
from deepphen.paths import catalog_holding

# How long a named pipe given as an output (export -o) may take to get a reader: a shell's
# ``>`` would wait forever for one that never comes.
FIFO_READER_WAIT = 2.0


def output_path(name: str) -> Path:
    """The file ``export -o NAME`` is to write. An empty name, one holding NUL, and one only a
    folder can have (ending in a separator, its last part ``.`` or ``..``), are refused
    (DeepphenError): a shell's ``>`` refuses ``out/`` too, where ``Path("out/")``, which is
    ``out``, wrote a file of that name, or replaced the file ``out``, when a folder was meant."""
    separators = re.escape("".join(sorted({"/", os.sep, os.altsep or "/"})))
    last = re.split(f"[{separators}]", name)[-1]  # "" after a final separator
    if not name:
        raise DeepphenError("no file name; give one, or '-' for standard output")
    if "\0" in name:  # no system call takes it (typer's Path option refused it so)
        raise DeepphenError("a file name cannot hold a NUL byte")
    if last in ("", ".", ".."):
        raise DeepphenError(f"'{name}' names a folder, not a file; give a file name")
    return Path(name)


def _is_stream(path: Path) -> bool:
    """True for a character device or FIFO (``-o /dev/null``, a named pipe), through symbolic
    links, and for a name in /dev or /proc (``-o /dev/stdout`` redirected to a file): renaming
    a file over it would replace the device node or link itself (as root)."""
    try:
        folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        if folder == "/dev" or folder.startswith("/proc/"):
            return True
        mode = os.stat(path).st_mode
    except OSError:  # no such file (yet), or no working folder: the write names the file
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def write_output(path: Path, text: str,
                 on_terminal: Callable[[str], str] | None = None) -> None:
    """Write an output the user named (``export -o``): atomically to a file (through a
    symbolic link), straight into a device or FIFO. (A
    catalog's own files and cache are always replaced: a FIFO there is debris, not a
    reader.) The bytes are those stdout gets (deepphen.launch): UTF-8, and a file name that
    is no UTF-8 (a paper's key) as the bytes it came as. A named pipe no process reads, and
    a socket, are refused (DeepphenError): the one waited forever, the other was replaced.

    A terminal (``-o /dev/tty``, ``-o /dev/stdout`` on one) gets ``on_terminal(text)``: the
    text is to be read there, and no control character may act (a lone CR in a CSV digest
    moved the cursor back over the line). Anything else gets ``text`` as it is."""
    if not _is_stream(path):
        _refuse_special(path)
        target = written_through(Path(path))
        atomic_write_bytes(target, text.encode("utf-8", "surrogateescape"),
                           tmp_dir=_private_dir_of(target))
        return
    fd = _open_stream(path)
    try:
        if on_terminal is not None and os.isatty(fd):
            text = on_terminal(text)
        data = text.encode("utf-8", "surrogateescape")
        if getattr(os, "O_NONBLOCK", 0):  # a reader slower than the writer is waited for
            os.set_blocking(fd, True)
        with open(fd, "wb", closefd=False) as handle:
            handle.write(data)
    except BrokenPipeError:
        raise  # the reader left (-o /dev/stdout | head): quiet, as on stdout itself
    except OSError as exc:
        raise os_error("write", exc, path) from exc
    finally:
        os.close(fd)


def _open_stream(path: Path) -> int:
    """A device or FIFO opened for writing. A FIFO no process reads answers ENXIO instead of
    blocking forever: it is given FIFO_READER_WAIT seconds to get its reader (one started
    just before deepphen, ``cat pipe &``, may not have opened it yet), then refused."""
    import time

    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NONBLOCK", 0)
    deadline = time.monotonic() + FIFO_READER_WAIT
    while True:
        try:
            return os.open(path, flags, 0o666)
        except OSError as exc:
            if exc.errno != errno.ENXIO or not _is_fifo(path):
                raise os_error("write", exc, path) from exc
            if time.monotonic() >= deadline:
                raise DeepphenError("cannot write: no process reads this named pipe",
                                    path=path, hint="start its reader first, or write to a "
                                    "file") from exc
        time.sleep(0.02)


def _is_fifo(path: Path) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def _refuse_special(path: Path) -> None:
    """Raise when ``path`` (through links) is a socket or a block device outside /dev: a
    write would replace it, where a shell's ``>`` refuses (a folder is refused by the
    write itself)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise DeepphenError(f"cannot write: it is {file_kind(mode)}", path=path,
                            hint="write to a file")


def _private_dir_of(path: Path) -> Path | None:
    """The private folder of the catalog ``path`` is in, where a temporary file left by a
    killed process shows in no ``git status``; None outside a catalog (or when the folder
    cannot be had: the file's own folder then)."""
    try:
        root = catalog_holding(path.parent)
        return None if root is None else private_dir(root)
    except (OSError, DeepphenError):  # no working folder (the write names the file), ...
        return None


def written_through(path: Path) -> Path:
    """The file to write for ``path``, as a shell's ``>`` finds it: a symbolic link is
    written through (the link stays; its file gets the text). A read-only file is replaced,
    its mode kept (atomic_write_bytes), as generators that mark their output read-only need.
    ``export -o`` and the generated page (whose link paths.page_problem has checked stays
    in the catalog) are written so."""
    target = path
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if target.is_symlink():  # realpath gives up on a loop and returns a link
            raise DeepphenError("cannot write: a loop of symbolic links", path=path,
                                hint="write to a file, or mend the link")
        if not target.parent.is_dir():
            raise DeepphenError(f"cannot write: the link leads to {target}, whose folder "
                                "does not exist", path=path, hint="create it first, or "
                                "mend the link")
    return target

"""A derived cache of the parsed catalog, so commands need not re-parse every TOML file.

Parsing thousands of small TOML files dominates the start-up of every reading command
(see docs/benchmarks.md). The cache is one file, ``<catalog>/.deepphen-cache/papers.pickle``,
holding for each paper file its signature (name, size, mtime_ns, inode, ctime_ns) and the
parsed paper. The ctime is the part no one can set: an edit that keeps size and mtime (a
``touch -r``, a tool restoring timestamps) still changes it.

Correctness never depends on the cache: every load lists the paper files and compares each
signature; unchanged files come from the cache, new or changed files are parsed again, deleted
files drop out. Files modified within ``RACY_NS`` of writing the cache are not stored, because
a second edit in the same timestamp tick could keep the whole signature (git's "racy clean"
problem). Whatever does not validate is no cache: a missing, corrupt, foreign or wrongly shaped
cache file is ignored and rebuilt, and only regular files are read (a FIFO planted in its place
must not hang every command); a cache that cannot be written (read-only folder) is skipped
silently. The file is written atomically. Values computed from
the papers (the search index) are cached beside it by ``derived``, keyed on the generation
the papers cache gets each time it changes.

Safety: the cache lives inside a folder a stranger may have shared (a cloned repository), so it
is read with an unpickler that refuses every class except a few harmless ``datetime`` types;
papers are stored as plain tuples, never as pickled objects.
"""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import Any, NamedTuple, TypeVar

from deepphen import __version__
from deepphen.fsutil import CACHE_DIR
from deepphen.models import Link, Paper

PAPERS_FILE = "papers.pickle"


def source_digest(*modules: str) -> str:
    """A digest of these deepphen modules' source, for keying a cached value on the code that
    made it: any edit there, helpers included, must rebuild it (the version alone stays the
    same across a development cycle). Reading ~60 KB costs well under a millisecond. A
    module whose source is not there (an install of compiled files only) counts by its name:
    every command imports this, and the version still keys the cache."""
    import zlib  # built in: no start-up of its own, unlike hashlib's OpenSSL

    crc = 0
    for name in modules:
        try:
            source = Path(__file__).with_name(name).read_bytes()
        except OSError:
            source = name.encode()
        crc = zlib.crc32(source, crc)
    return f"{crc:08x}"


# What turns a file into a Paper or settings (models' imports: a test checks); a cached value
# is its output, so another version or an edit of it is another cache (derived values follow).
PARSING = ("catalog.py", "models.py", "fields.py", "ids.py", "layout.py", "slugs.py", "errors.py")
CODE = (__version__, source_digest(*PARSING))
# Paper fields stored positionally, in Paper's constructor order (key and path come from the
# file). They are part of the format, so a cache written for other fields is ignored.
_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if f.name not in ("key", "path"))
FORMAT = ("deepphen-papers", 4, _FIELDS, CODE)  # 4: a link's other keys (Link.extra) kept
RACY_NS = 2_000_000_000
_LINKS = _FIELDS.index("links")
_SAFE_GLOBALS = {("datetime", name) for name in ("date", "datetime", "time", "timedelta",
                                                  "timezone")}

T = TypeVar("T")
# What identifies one version of a paper file: ("folder/name", size, mtime_ns, inode, ctime_ns).
# A plain tuple, because the safe unpickler admits no classes.
FileSig = tuple[str, int, int, int, int]
_SIG_TYPES = (str, int, int, int, int)
clock = time.time_ns  # when the cache is written (tests move it)


def scan(root: Path) -> list[FileSig]:
    """The signature of every paper file (``<section>/<key>.toml``), in the stable order.

    Files are listed and stat'ed relative to an open folder descriptor: for thousands of
    files that is markedly cheaper than full paths (docs/benchmarks.md). A section folder or
    paper file that is a symbolic link leading out of the catalog raises CatalogError: the
    catalog's content is what is inside its folder, never what a shared link points to.
    """
    base = os.fspath(root)
    try:
        with os.scandir(base) as entries:
            listed = [(e.name, e.is_symlink()) for e in entries
                      if not e.name.startswith(".") and _is_dir(e)]
    except OSError as exc:
        raise _unreadable(exc, base) from exc
    folders = sorted(name for name, _ in listed)
    for name, linked in listed:
        if linked:
            _refuse_outside(root, os.path.join(base, name))
    out: list[FileSig] = []
    for folder in folders:
        try:
            fd = os.open(os.path.join(base, folder), os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # removed while listing
        except OSError as exc:
            raise _unreadable(exc, os.path.join(base, folder)) from exc
        try:
            try:
                names = sorted(os.listdir(fd))
            except OSError as exc:
                raise _unreadable(exc, os.path.join(base, folder)) from exc
            for name in names:
                if not name.endswith(".toml"):
                    continue
                try:
                    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    if S_ISLNK(st.st_mode):
                        _refuse_outside(root, os.path.join(base, folder, name))
                        st = os.stat(name, dir_fd=fd)
                except FileNotFoundError:
                    continue  # deleted while listing
                if S_ISREG(st.st_mode):
                    out.append((f"{folder}/{name}", st.st_size, st.st_mtime_ns, st.st_ino,
                                st.st_ctime_ns))
        finally:
            os.close(fd)
    return out


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symbolic link loop is no folder
        return False


def _unreadable(exc: OSError, path: str) -> Exception:
    """The CatalogError for a catalog folder that cannot be listed."""
    from deepphen.errors import CatalogError
    from deepphen.fsutil import os_error

    return os_error("read", exc, path, kind=CatalogError)


def _refuse_outside(root: Path, path: str) -> None:
    """CatalogError when the symbolic link ``path`` leads out of the catalog (or loops)."""
    from deepphen.errors import CatalogError
    from deepphen.paths import inside

    if not inside(root, Path(path)):
        raise CatalogError("is a symbolic link leading out of the catalog folder (or a loop); "
                           "refusing to read through it", path=path,
                           hint="replace the link with the real folder or file")


def _pack(paper: Paper) -> bytes:
    values = [getattr(paper, name) for name in _FIELDS]
    values[_LINKS] = tuple((link.label, link.url, link.extra) for link in paper.links)
    return pickle.dumps(tuple(values), protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(blob: bytes, path: str) -> Paper:
    return _from_values(safe_loads(blob), path)


_STR, _OPT_STR, _STRS = str, (str, type(None)), "strs"
# What each stored field must be; an entry of another shape is no cache (the file is parsed).
_SHAPES: dict[str, Any] = {
    "title": _STR, "year": int, "section": _STR, "authors": _STRS, "venue": _OPT_STR,
    "published": None, "arxiv": _OPT_STR, "doi": _OPT_STR, "category": _OPT_STR,
    "keywords": _STRS, "links": "links", "sort_as": _OPT_STR, "authors_collapsed": bool,
    "digest": _OPT_STR, "verbatim": _STRS, "ignore": dict, "extra": dict,
}


def _valid_value(shape: Any, value: Any) -> bool:
    import datetime as dt

    if shape is None:
        return value is None or type(value) is dt.date
    if shape == _STRS:
        return type(value) is list and all(type(v) is str for v in value)
    if shape == "links":
        return type(value) is tuple and all(
            type(v) is tuple and len(v) == 3 and type(v[0]) is str and type(v[1]) is str
            and type(v[2]) is dict for v in value)
    if shape is int:
        return type(value) is int
    return isinstance(value, shape)


def _from_values(stored: tuple, path: str) -> Paper:
    if type(stored) is not tuple or len(stored) != len(_FIELDS) or not all(
            _valid_value(_SHAPES.get(name, object), value)
            for name, value in zip(_FIELDS, stored, strict=True)):
        raise ValueError("a cache entry of the wrong shape")
    values = list(stored)
    values[_LINKS] = [Link(label, url, extra) for label, url, extra in values[_LINKS]]
    key = path[path.rfind("/") + 1:].removesuffix(".toml")
    return Paper(*values, key=key, path=Path(path))


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the catalog cache")


def safe_loads(data: bytes) -> Any:
    """Unpickle plain data (no classes but ``datetime`` ones); UnpicklingError otherwise."""
    return _SafeUnpickler(io.BytesIO(data)).load()


def _read_bytes(path: Path) -> bytes | None:
    """A cache file's bytes when it is a regular file; None otherwise (absent, a FIFO, a
    device, a folder, a symbolic link, unreadable, or in a private folder that is a symbolic
    link: nothing is read out of the catalog). Never blocks on a FIFO, and never opens
    anything but a regular file: opening a device can act (a tape rewinds, a watchdog arms),
    opening a FIFO wakes its writer, and a tarball extracted as root can plant either."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | nofollow)
    except OSError:
        return None
    try:
        if not S_ISREG(os.stat(path.name, dir_fd=folder, follow_symlinks=False).st_mode):
            return None
        fd = os.open(path.name, os.O_RDONLY | os.O_NONBLOCK | nofollow, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            return None
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _read(path: Path) -> Any:
    """The unpickled content of a cache file, or None when absent, corrupt or unsafe."""
    data = _read_bytes(path)
    if data is None:
        return None
    try:
        return safe_loads(data)
    except Exception:
        # Any failure to read a derived file just means "no cache"; the catalog is the truth.
        return None


def _write(path: Path, data: Any) -> bool:
    """Pickle ``data`` to a cache file atomically; see _write_bytes."""
    return _write_bytes(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _write_bytes(path: Path, data: bytes) -> bool:
    """Write a cache file atomically; False (and no error) when the folder is not writable."""
    from deepphen.errors import DeepphenError
    from deepphen.fsutil import atomic_write_bytes, private_dir

    try:
        # The folder is made self-ignoring; a link planted in its place is refused.
        atomic_write_bytes(path, data, tmp_dir=private_dir(path.parent.parent))
    except DeepphenError:
        return False
    return True


class Snapshot:
    """The catalog's paper files at one moment; each paper is decoded only when asked for.

    Commands that need every paper call ``papers()``; search decodes just its hits.
    ``generation`` names this exact set of file versions (None when some were not cacheable),
    so values derived from the papers can be cached under it (see ``derived``).
    """

    def __init__(self, root: Path, names: list[str], items: list[int | Paper],
                 stored: StoredPapers | None, generation: str | None,
                 parse: Callable[[Path], Paper]) -> None:
        self.root = root
        self._base = os.fspath(root)
        self._parse = parse
        self.names = names  # "<section>/<key>.toml", in the stable order
        self._items = items  # a parsed paper, or its entry number in ``stored``
        self._stored = stored
        self.generation = generation

    def __len__(self) -> int:
        return len(self.names)

    def paper(self, index: int) -> Paper:
        """The paper at ``index`` in the stable file order."""
        item = self._items[index]
        if isinstance(item, Paper):
            return item
        try:
            paper = _unpack(self._stored.blob(item), self.path(index))  # type: ignore[union-attr]
        except Exception:
            # A damaged entry in a derived file: the paper file itself is the truth.
            paper = self._parse(Path(self.path(index)))
        self._items[index] = paper
        return paper

    def papers(self) -> list[Paper]:
        """Every paper, in the stable file order."""
        return [self.paper(i) for i in range(len(self.names))]

    def path(self, index: int) -> str:
        """The file of the paper at ``index``."""
        return f"{self._base}/{self.names[index]}"


class StoredPapers(NamedTuple):
    """The content of the papers cache file.

    Layout: an 8-byte little-endian header length, the pickled header (FORMAT, generation,
    signatures, entry offsets), then every entry's pickled paper back to back. Reading the
    header and the raw entries as one bytes object is far cheaper than unpickling thousands of
    small objects, and entries are decoded only when their paper is asked for.
    """

    generation: str
    sigs: list[FileSig]
    offsets: array
    data: bytes

    def blob(self, entry: int) -> bytes:
        """The pickled paper of entry number ``entry``, undecoded."""
        return self.data[self.offsets[entry]:self.offsets[entry + 1]]

    @classmethod
    def read(cls, path: Path) -> StoredPapers | None:
        """The cache file's content, or None when absent, corrupt, unsafe or foreign."""
        content = _read_bytes(path)
        if content is None or len(content) < 8:
            return None
        try:
            size = int.from_bytes(content[:8], "little")
            header = safe_loads(content[8:8 + size])
            data = content[8 + size:]
            fmt, generation, sigs, raw_offsets = header
            offsets = array("Q", raw_offsets)
        except Exception:
            return None  # any failure to read a derived file just means "no cache"
        # The signatures' shape is checked only when they differ from the files listed
        # (snapshot): equal to scan()'s well-typed tuples, they need no other check. Offsets
        # out of order only cut entries wrongly, and a wrong entry is parsed from its file.
        valid = (fmt == FORMAT and isinstance(generation, str) and isinstance(sigs, list)
                 and len(offsets) == len(sigs) + 1 and offsets[-1] == len(data))
        return cls(generation, sigs, offsets, data) if valid else None

    @staticmethod
    def write(path: Path, generation: str, sigs: list[FileSig], blobs: list[bytes]) -> bool:
        """Write a snapshot atomically; False when the folder is not writable (it is a cache)."""
        offsets = array("Q", [0])
        for blob in blobs:
            offsets.append(offsets[-1] + len(blob))
        header = pickle.dumps((FORMAT, generation, sigs, offsets.tobytes()),
                              protocol=pickle.HIGHEST_PROTOCOL)
        return _write_bytes(path, len(header).to_bytes(8, "little") + header + b"".join(blobs))


def snapshot(root: Path, parse: Callable[[Path], Paper]) -> Snapshot:
    """List the catalog's paper files and match them against the cache.

    Files whose signature is cached are decoded later, on demand; new or changed files are
    parsed now with ``parse``, which raises CatalogError for an invalid file exactly as
    without the cache (invalid files are never stored, so they fail every time).
    """
    root = Path(root)
    started_ns = clock()
    files = scan(root)
    cache_path = root / CACHE_DIR / PAPERS_FILE
    stored = StoredPapers.read(cache_path)
    names = [sig[0] for sig in files]
    if stored is not None and stored.sigs == files:
        # Nothing changed (the common case): one list comparison instead of a loop.
        return Snapshot(root, names, list(range(len(files))), stored, stored.generation, parse)
    if stored is not None and not _valid_sigs(stored.sigs):
        stored = None  # signatures of the wrong shape: no cache
    entries = {sig: n for n, sig in enumerate(stored.sigs)} if stored else {}
    items: list[int | Paper] = []
    keep: list[FileSig] = []
    blobs: list[bytes] = []
    for sig in files:
        entry = entries.get(sig)
        if entry is not None:
            items.append(entry)
            keep.append(sig)
            blobs.append(stored.blob(entry))  # type: ignore[union-attr]
            continue
        paper = parse(root / sig[0])
        items.append(paper)
        if settled(sig[2], sig[4], started_ns):
            keep.append(sig)
            blobs.append(_pack(paper))
    # Something changed: a new random generation tells derived caches to rebuild.
    generation: str | None = os.urandom(8).hex()
    if not StoredPapers.write(cache_path, generation, keep, blobs) or len(keep) != len(files):
        generation = None
    return Snapshot(root, names, items, stored, generation, parse)


def settled(mtime_ns: int, ctime_ns: int, now_ns: int) -> bool:
    """Whether a file last changed at these times may be cached at ``now_ns`` (``clock()``):
    not within RACY_NS of it, nor after it (a clock set back)."""
    return max(mtime_ns, ctime_ns) < now_ns - RACY_NS


def _valid_sigs(sigs: Any) -> bool:
    """True for a list of well-typed, distinct file signatures."""
    if not isinstance(sigs, list):
        return False
    for sig in sigs:
        if not (type(sig) is tuple and len(sig) == len(_SIG_TYPES)
                and all(type(v) is t for v, t in zip(sig, _SIG_TYPES, strict=True))):
            return False
    return len(set(sigs)) == len(sigs)


def _is_valid(valid: Callable[[Any], bool], value: Any) -> bool:
    try:
        return bool(valid(value))
    except Exception:
        return False


def load_papers(root: Path, parse: Callable[[Path], Paper]) -> list[Paper]:
    """Every paper of the catalog, from the cache where files are unchanged, else ``parse``."""
    return snapshot(root, parse).papers()


def derived(snap: Snapshot, name: str, version: object, build: Callable[[], T],
            valid: Callable[[Any], bool] = lambda _value: True) -> T:
    """A value computed from a snapshot's papers, cached beside them under its generation.

    It is rebuilt whenever any paper file changes (new generation) or ``version`` (which
    the caller bumps when ``build`` changes) differs, or ``valid`` rejects the stored value
    (a cache file of the right tags but the wrong shape is no cache). Without a generation
    (some files too recent to cache, or a read-only folder), ``build`` runs and nothing is
    stored.
    """
    if snap.generation is None:
        return build()
    path = snap.root / CACHE_DIR / f"{name}.pickle"
    cached = _read(path)
    if (isinstance(cached, tuple) and len(cached) == 3
            and cached[:2] == (version, snap.generation) and _is_valid(valid, cached[2])):
        return cached[2]
    value = build()
    _write(path, (version, snap.generation, value))
    return value


def read_value(root: Path, name: str) -> Any:
    """A plain value stored with ``write_value`` under ``name``; None when absent or bad."""
    return _read(Path(root) / CACHE_DIR / f"{name}.pickle")


def str_table(value: Any) -> bool:
    """Whether a value read back is a dict of strings to strings: a cache file is checked,
    never trusted (an older format, or one a person edited)."""
    return isinstance(value, dict) and all(
        isinstance(x, str) for item in value.items() for x in item)


def keyed_value(root: Path, name: str, key: object, valid: Callable[[Any], bool]) -> Any:
    """The value stored as ``(key, value)`` under ``name`` when its key is ``key`` and
    ``valid`` accepts it, else None: a cache file is checked, never trusted (an older
    format, or one a person edited, ended a command in a TypeError), nor kept across a
    change of the code that made it (see ``write_keyed``)."""
    stored = read_value(root, name)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == (CODE, key):
        return stored[1] if _is_valid(valid, stored[1]) else None
    return None


def write_keyed(root: Path, name: str, key: object, value: Any) -> bool:
    """Store ``value`` under ``name`` for ``keyed_value``, keyed on ``key`` and on CODE:
    a value parsed from a catalog file by another version is no cache."""
    return write_value(root, name, ((CODE, key), value))


def write_value(root: Path, name: str, value: Any) -> bool:
    """Store a plain value (dicts, lists, strings, numbers, dates) in the derived cache.

    For facts fetched from elsewhere (arXiv metadata of the catalog's papers) that are worth
    keeping between runs but are never the truth; False when the cache cannot be written.
    """
    return _write(Path(root) / CACHE_DIR / f"{name}.pickle", value)

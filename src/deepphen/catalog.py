"""Find the catalog folder, read and validate its TOML files, write papers atomically.

Layout: ``<root>/catalog.toml`` holds the settings; each paper is ``<root>/<section>/<key>.toml``,
the key being the file-safe arXiv id or a slug. ``write_paper`` writes one paper (a whole
catalog at once: deepphen.catalog_write).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from deepphen import ids
from deepphen.comments import deepest_line, key_line, long_integer_line
from deepphen.errors import CatalogError, CatalogNotFound
from deepphen.models import FieldError, Paper, Settings
from deepphen.paths import (
    PRIVATE_PREFIXES,
    SETTINGS_FILE,
    inside,
    page_problem,
    resolved,
)
from deepphen.printable import text_lines
from deepphen.slugs import UniqueNames

ENV_VAR = "DEEPPHEN_CATALOG"


def find_catalog(explicit: str | Path | None = None, *, cwd: Path | None = None) -> Path:
    """Locate the catalog: ``--catalog``, then ``$DEEPPHEN_CATALOG``, then ``catalog/`` upwards."""
    if explicit is not None:
        return _checked(Path(explicit), "--catalog")
    env = os.environ.get(ENV_VAR)
    if env:
        return _checked(Path(env), ENV_VAR)
    try:
        start = (cwd or Path.cwd()).resolve()
    except FileNotFoundError:  # deleted under the shell: nothing to walk up from
        raise CatalogNotFound("the working folder no longer exists",
                              hint=f"pass --catalog DIR or set {ENV_VAR}") from None
    for folder in (start, *start.parents):
        for found in ((folder,) if folder.name == "catalog" else ()) + (folder / "catalog",):
            if (found / SETTINGS_FILE).is_file():
                return _near(found, start) if cwd is None else found
    raise CatalogNotFound(
        "no catalog found in this folder or above",
        hint=f"pass --catalog DIR, set {ENV_VAR}, or run 'deepphen import LIST.md --catalog DIR'",
    )


def _near(found: Path, start: Path) -> Path:
    """A catalog found in the working folder, or its ``catalog/``, as a path relative to it: lint,
    search and the rest then name its files as ``catalog/README.md``, as ``--catalog
    catalog`` does and as linters do, not by an absolute path. One found above stays
    absolute."""
    return found.relative_to(start) if found == start or found.parent == start else found


def _checked(path: Path, source: str) -> Path:
    settings = path / SETTINGS_FILE
    if path.is_file():  # --catalog catalog/catalog.toml: the file, not its folder
        raise CatalogNotFound(f"a file, not a catalog folder, given by {source}", path=path,
                              hint=f"give the folder that holds it: {path.parent}")
    if not settings.is_file():
        raise CatalogNotFound(
            f"not a catalog (no {SETTINGS_FILE}) given by {source}", path=path,
            hint="point it at a folder made by 'deepphen import'",
        )
    if settings.is_symlink() and not inside(path, settings):
        raise CatalogError("leaves the catalog folder through a symbolic link; refusing to "
                           "read it", path=settings, hint="replace the link with the file")
    return path


class FileVanished(CatalogError):
    """A file listed a moment ago was deleted before it could be read (another process)."""


MAX_DEPTH = 64  # arrays and tables nested deeper are refused (no list needs more than 3)


# A paper file holds a few hundred bytes, catalog.toml a few KB; dismissed.toml grows by
# ~4,000 entries (~0.7 MB) in a year of a team's triage. A file past this is no catalog
# file (a log or a disk image saved under its name): read whole, a 50 MB one took every
# command seconds to minutes and ~20 times its size in memory.
MAX_FILE_BYTES = 16 * 2**20


def read_text(path: Path) -> str:
    """A catalog file's UTF-8 text (a leading BOM dropped); CatalogError naming the file when
    it cannot be read, is not UTF-8, is larger than MAX_FILE_BYTES, or is not a regular file
    (a FIFO must not hang us)."""
    from deepphen.fsutil import os_error, read_regular

    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        hint = ("a catalog file holds one paper, the settings or the dismissals: move this "
                "one out of the catalog" if exc.errno == errno.EFBIG else None)
        kind = FileVanished if isinstance(exc, FileNotFoundError) else CatalogError
        raise os_error("read", exc, path, hint=hint, kind=kind) from exc
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CatalogError("not UTF-8 text", path=path, line=line,
                           hint="save the file as UTF-8") from exc


def read_toml(path: Path) -> dict:
    """Parse a TOML file; syntax errors become CatalogError with the file and line."""
    text = read_text(path)
    # tomli is tomllib's upstream, shipped compiled (mypyc): about 3x faster per file, which
    # is most of a cold load (bench/). Imported here: a warm cache parses no TOML at all.
    import tomli

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        # TOML ends a line in LF or CR LF only: a file saved with old Mac line ends (CR) is
        # one long line, whose error says nothing of why.
        lone_cr = re.search(r"\r(?!\n)", text) is not None
        error = CatalogError(f"TOML syntax error: {message}", path=path,
                             line=getattr(exc, "lineno", None),
                             hint="its lines end in CR alone: save it with LF (or CR LF) line "
                                  "ends" if lone_cr else None)
        error.column = getattr(exc, "colno", None)
        raise error from exc
    except RecursionError as exc:
        raise _too_deep(path, text) from exc
    except ValueError as exc:  # int()'s own, which tomli lets out: past its 4,300 digits
        raise CatalogError("TOML syntax error: an integer of thousands of digits (TOML's are "
                           "64-bit)", path=path, line=long_integer_line(text),
                           hint="write it as a string") from exc
    if _depth(data) > MAX_DEPTH:
        raise _too_deep(path, text)
    return data


def _too_deep(path: Path, text: str) -> CatalogError:
    return CatalogError(f"TOML syntax error: nested more than {MAX_DEPTH} levels deep",
                        path=path, line=deepest_line(text, MAX_DEPTH), hint="flatten the value")


def _depth(value: object) -> int:
    """How deeply arrays and tables nest in a parsed TOML value (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))
    return deepest


def field_line(path: Path, name: str, index: int | None = None) -> int | None:
    """The line where a top-level key (its ``index``-th table) is set in a TOML file."""
    try:
        lines = text_lines(read_text(path))
    except CatalogError:
        return None
    return key_line(lines, name, index or 0)


def load_settings(root: Path) -> Settings:
    """Read and validate ``catalog.toml``."""
    path = Path(root) / SETTINGS_FILE
    if path.is_symlink() and not inside(root, path):
        raise CatalogError("leaves the catalog folder through a symbolic link; refusing to "
                           "read it", path=path, hint="replace the link with the file")
    data = read_toml(path)
    try:
        return Settings.from_dict(data)
    except FieldError as exc:
        line = field_line(path, exc.field, exc.index)
        raise CatalogError(str(exc), path=path, line=line,
                           hint="docs/catalog-format.md, under 'catalog.toml', gives each "
                                "setting's form") from exc


def section_headings(root: Path) -> dict[str, str]:
    """``{slug: heading}`` of the catalog's sections, kept in the derived cache.

    For the JSON of search results, which would otherwise parse ``catalog.toml`` (and import
    the TOML reader) on every run. The cached value is keyed on the file's size, mtime, inode
    and ctime (the part no edit can keep: an edit in place that restores the mtime changes
    it), and a file changed less than ``cache.RACY_NS`` ago is not stored (see cache.py).
    """
    from deepphen import cache

    path = Path(root) / SETTINGS_FILE
    try:
        st = path.stat()
    except OSError:
        st = None  # load_settings names the problem
    sig = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) if st else None
    cached = cache.keyed_value(root, "section-headings", sig, cache.str_table)
    if sig and cached is not None:
        return dict(cached)
    headings = {sec.slug: sec.heading for sec in load_settings(root).sections}
    if sig and cache.settled(st.st_mtime_ns, st.st_ctime_ns, cache.clock()):
        cache.write_keyed(root, "section-headings", sig, headings)
    return headings


PAPER_FORM_HINT = "docs/catalog-format.md, under 'Paper files', gives each field's form"


def read_paper(path: Path) -> Paper:
    """Read and validate one paper file; its key is the file name without ``.toml``."""
    data = read_toml(path)
    try:
        return Paper.from_dict(data, key=path.stem, path=path)
    except FieldError as exc:
        raise CatalogError(str(exc), path=path, line=field_line(path, exc.field, exc.index),
                           hint=PAPER_FORM_HINT) from exc


def paper_files(root: Path) -> Iterator[Path]:
    """Every paper file of the catalog, in a stable order (section folders, then names)."""
    from deepphen.cache import scan

    for sig in scan(root):
        yield Path(root, sig[0])


# How often a load is redone when a listed file vanished before it was read.
VANISHED_RETRIES = 5
T = TypeVar("T")


def load_papers(root: Path, *, use_cache: bool = True) -> list[Paper]:
    """Every paper of the catalog; the first invalid file raises CatalogError.

    Unchanged files come from the derived cache in ``.deepphen-cache/`` (see deepphen.cache),
    which is checked against every file's size and mtime, so the result is the same as parsing.
    A file deleted by a writer between listing and reading (a paper moved to another section,
    a key renamed) makes the load start again from a fresh listing instead of failing.
    """
    return retry_if_vanished(lambda: _load_papers_once(root, use_cache))


def retry_if_vanished(load: Callable[[], T]) -> T:
    """Run ``load``, again from a fresh listing while a listed file vanished before it was
    read (up to VANISHED_RETRIES times in all)."""
    for _attempt in range(VANISHED_RETRIES - 1):
        try:
            return load()
        except FileVanished:
            continue
    return load()


def _load_papers_once(root: Path, use_cache: bool) -> list[Paper]:
    if not use_cache:
        return [read_paper(path) for path in paper_files(root)]
    from deepphen.cache import load_papers as load_cached

    return load_cached(Path(root), read_paper)


def paper_to_toml(paper: Paper) -> str:
    """The TOML text of a paper, in the stable field order: same paper, same bytes."""
    import tomli_w  # only writers pay for it: reading commands' start-up is budgeted

    return tomli_w.dumps(paper.to_dict())


def settings_to_toml(settings: Settings) -> str:
    """The TOML text of the settings, multi-line strings kept readable where that keeps
    them whole: tomli-w writes a value's CR LF ("a\\r\\nb") in a multi-line string as LF,
    so a text that reads back otherwise is written with every string on one line."""
    import tomli
    import tomli_w

    data = settings.to_dict()
    text = tomli_w.dumps(data, multiline_strings=True)
    return text if tomli.loads(text) == data else tomli_w.dumps(data)


def paper_key(paper: Paper, names: UniqueNames | None = None) -> str:
    """The file key for a paper: its file-safe arXiv id, else a title slug, made unique among
    ``names`` when given (and recorded there)."""
    if paper.arxiv:
        key = ids.key_for_id(paper.arxiv)
        return key if names is None else names.add(key)
    base = ids.slugify(paper.title)
    return base if names is None else names.unique(base)


def paper_path(root: Path, paper: Paper) -> Path:
    """Where a paper's file lives; refuses anything that would leave the catalog folder."""
    key = paper.key or paper_key(paper)
    if not ids.is_safe_key(key) or not ids.is_safe_key(paper.section):
        raise CatalogError(f"unsafe file name {paper.section}/{key}.toml", path=root)
    return Path(root) / paper.section / f"{key}.toml"


def refuse_linked_folder(path: Path) -> None:
    """Raise when the folder a paper file is written into is a symbolic link."""
    if path.parent.is_symlink():
        raise CatalogError("section folder is a symbolic link; refusing to write through it",
                           path=path.parent, hint="replace the link with a real folder")


def written_paper_file(root: Path, path: Path) -> Path:
    """The file a write of the paper file ``path`` replaces: ``path`` itself, or, when it is
    a symbolic link, the paper file the link leads to, written through so the link stays (as
    the page and dismissed.toml are): replacing the link turned it into a copy, and the file
    it shared went stale. CatalogError for a section folder that is a link
    (``refuse_linked_folder``) and for a link that loops or leads to no paper file of this
    catalog (out of it, to a file at its top such as catalog.toml, into deepphen's folder)."""
    refuse_linked_folder(path)
    if not path.is_symlink():
        return path
    try:
        target, base = resolved(path), resolved(Path(root))
    except OSError:
        target = base = None
    rel = target.relative_to(base).parts if target and target.is_relative_to(base) else ()
    if (len(rel) < 2 or rel[0].startswith(PRIVATE_PREFIXES) or target is None
            or target.suffix != ".toml" or not target.is_file()):
        raise CatalogError("is a symbolic link that leads to no paper file of the catalog; "
                           "refusing to write through it", path=path,
                           hint="replace the link with the paper file")
    return target


def page_path(root: Path, settings: Settings) -> Path | None:
    """Where the generated page (``page`` in catalog.toml) is, or None when there is none.

    CatalogError when the settings name a path paths.page_problem refuses (one that leaves
    the catalog folder or names a file the catalog owns): every command that reads or writes
    the page asks here, and lint reports the same as DP505."""
    problem = page_problem(root, settings)
    if problem:
        path = Path(root) / SETTINGS_FILE
        raise CatalogError(f"{problem}: {settings.page!r}", path=path,
                           line=_page_line(path, settings.page or ""),
                           hint="set page to a markdown file in the catalog folder, not a "
                           "folder nor a file the catalog owns")
    return Path(root) / settings.page if settings.page else None


def _page_line(path: Path, page: str) -> int | None:
    """The line of catalog.toml setting ``page = <page>``: a further page's, not the first
    page's ``page =`` line, when the fault is the further page's."""
    import json

    try:
        lines = text_lines(read_text(path))
    except CatalogError:
        return None
    written = {json.dumps(page, ensure_ascii=False), f"'{page}'"}
    for number, line in enumerate(lines, 1):
        key, equals, value = line.partition("=")
        if equals and key.strip() == "page" and value.split("#")[0].strip() in written:
            return number
    return key_line(lines, "page")


def check_output(root: Path, settings: Settings, output: Path, *,
                 writing: str | None = None) -> None:
    """CatalogError when ``output`` (``export -o``) is inside the catalog folder and names a
    file the catalog owns (paths.page_problem): a page may be written there, never over
    ``catalog.toml``, a paper file, a section folder's content or deepphen's own files;
    nor over one of the catalog's pages but the one being exported (``writing``, that
    page's file): a CSV, or the full list, replaced the front page. A path outside the
    catalog is the user's to choose, but not through a link in the catalog that leads out
    of it: a shared catalog's README.md linked to ~/.bashrc, and ``make page`` wrote there.
    """
    output, base = Path(output), resolved(Path(root))
    named: list[str] = []
    with contextlib.suppress(ValueError, OSError):  # where it leads
        named.append(resolved(output).relative_to(base).as_posix())
    with contextlib.suppress(ValueError, OSError):  # what it is called: a name in the catalog
        if output.name not in ("", ".", ".."):
            named.append((resolved(output.parent).relative_to(base) / output.name).as_posix())
    for rel in dict.fromkeys(named):
        _check_output_name(root, settings, output, rel, writing)


def _check_output_name(root: Path, settings: Settings, output: Path, rel: str,
                       writing: str | None) -> None:
    problem = page_problem(root, settings, rel)
    if problem:
        raise CatalogError(f"refusing to write it: {problem.removeprefix('page ')}",
                           path=output, hint="write outside the catalog folder, or to its "
                           "page (e.g. README.md)")
    pages = [view.page for view in settings.page_views() if view.page]
    if rel in pages and rel != writing:
        raise CatalogError(f"refusing to write it: it is the catalog's page {rel!r}",
                           path=output, hint=f"'deepphen export --format md --page "
                           f"{rel}' writes that page; choose another file for this")


def write_file(root: Path, path: Path, text: str) -> None:
    """Write a file of the catalog at ``root`` atomically, its temporary file in the
    catalog's self-ignoring private folder (a kill leaves nothing git would show)."""
    from deepphen.fsutil import atomic_write_text, private_dir  # only writers pay for it

    atomic_write_text(path, text, tmp_dir=private_dir(root))


def rewrite_file(root: Path, path: Path, text: str) -> None:
    """Write a TOML file of the catalog (``write_file``) in the form the file it replaces
    has: its CR LF line ends and its byte-order mark kept. A file written on Windows, read
    as any other, was written back LF without its mark: every line changed in a diff. A
    rewrite that changes no byte writes nothing."""
    from deepphen.fsutil import read_regular

    try:
        old = read_regular(path, MAX_FILE_BYTES)  # larger: refused when read
    except OSError:  # none yet (or no regular file, which the write names): LF, no mark
        old = b""
    body = old.removeprefix(b"\xef\xbb\xbf")
    if body.partition(b"\n")[0].endswith(b"\r"):  # its first line's end is CR LF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    text = ("\ufeff" if len(body) < len(old) else "") + text
    if old and text.encode("utf-8") == old:
        return  # the same bytes: the file is left untouched (its mtime, git's stat cache)
    write_file(root, path, text)


def write_paper(root: Path, paper: Paper, *, path: Path | None = None) -> Path:
    """Write one paper file atomically and return its path.

    A new paper goes to ``<section>/<key>.toml``; an edited one goes back to ``path``, the file
    it was read from, even when its section field names another folder. Refused: a path
    outside the catalog, and a section folder that is a symbolic link (in a catalog someone
    shared, a cloned repository, the link could point anywhere). A paper file that is a link
    is written through (``written_paper_file``).
    """
    if path is None:
        path = paper_path(root, paper)
    elif not (Path(path).parent.parent == Path(root) and inside(root, Path(path).parent)):
        raise CatalogError("not a paper file of the catalog; refusing to write it", path=path)
    rewrite_file(root, written_paper_file(root, path), paper_to_toml(paper))
    return path


@dataclass
class Catalog:
    """A loaded catalog: its folder, settings and papers."""

    root: Path
    settings: Settings
    papers: list[Paper] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Catalog:
        """Read the settings and every paper of the catalog at ``root``."""
        root = Path(root)
        return cls(root, load_settings(root), load_papers(root))

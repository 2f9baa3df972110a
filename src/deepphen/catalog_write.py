"""Writing a whole catalog at once, all or nothing: the new folder ``deepphen import`` makes,
the catalog ``import --force`` replaces (under the lock, its pages and dismissals carried
over), and the papers ``import --merge`` adds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from deepphen import catalog as store  # store.paper_to_toml: tests stop a write part-way
from deepphen.catalog import (
    load_settings,
    paper_path,
    rewrite_file,
    settings_to_toml,
    write_paper,
)
from deepphen.errors import CatalogError, DeepphenError
from deepphen.models import Paper, Settings
from deepphen.paths import (
    DISMISSED_FILE,
    SETTINGS_FILE,
    foreign_entries,
    page_problem,
)

if TYPE_CHECKING:
    from deepphen.dismissed import Undismissed


def write_catalog(root: Path, settings: Settings, papers: list[Paper], *, force: bool = False,
                  on_paper: Callable[[int, int], None] | None = None) -> Path:
    """Write ``catalog.toml`` and one file per paper under ``root``, all or nothing.

    Everything is written into a temporary folder beside ``root`` and renamed into place, so a
    failure leaves ``root`` as it was. A non-empty ``root`` is refused unless ``force``, and even
    then only when it is a catalog holding nothing but what the catalog owns (paths.
    foreign_entries): it is replaced whole, its pages and ``dismissed.toml`` carried over.
    ``on_paper(done, total)`` is called after each paper file (for a progress bar).
    Raises DeepphenError (nothing written) when the folder is refused or a write fails.
    """
    # Only a whole-catalog write pays for these imports (reading commands' start-up is budgeted).
    import shutil
    import tempfile

    from deepphen.fsutil import TMP_PREFIX, catalog_lock, os_error, signals_held

    root = Path(root)
    # A catalog reached through a symbolic link is replaced where it is, the link kept.
    real = Path(os.path.realpath(root)) if root.is_symlink() else root
    made: list[Path] = []  # temporary folders to remove unless they became the catalog

    def folder(kind: str) -> Path:
        made.append(Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{kind}-", dir=real.parent)))
        # A kill leaves it beside the catalog: it ignores itself until it is one.
        (made[-1] / ".gitignore").write_text("*\n", encoding="utf-8")
        return made[-1]

    try:
        if _check_target(real, force=force) is None:
            real.parent.mkdir(parents=True, exist_ok=True)
            tmp = folder("import")
            _fill(tmp, settings, papers, on_paper)
            if real.exists():
                real.rmdir()  # empty: checked above
            (tmp / ".gitignore").unlink()
            os.replace(tmp, real)
            made.remove(tmp)
            return root
        # Under the catalog's lock from the first look to the swap: what another writer
        # did meanwhile (a dismissal, a page) is carried over, not lost with the old folder.
        with catalog_lock(real):
            existing = _check_target(real, force=force) or []
            tmp = folder("import")
            _fill(tmp, settings, papers, on_paper)
            for name in existing:
                # The old pages are the curator's until regenerated, and the dismissals are
                # the curators' decisions: carry them over.
                if (real / name).is_file() and not (tmp / name).exists():
                    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(real / name, tmp / name)
            old = folder("old")
            # The new folder's lock is held before it takes the catalog's place, so a writer
            # waiting for the lock waits on (and finds) it. A Ctrl-C or SIGTERM meanwhile is
            # ignored: the swap and the old folder's removal finish, and the import with them.
            with catalog_lock(tmp), signals_held():
                (tmp / ".gitignore").unlink()
                os.replace(real, old / "catalog")
                made.remove(old)  # it holds the old catalog: removed only once replaced
                try:
                    _take_place(tmp, real, old / "catalog")
                except BaseException:
                    if not (old / "catalog").exists():  # put back: nothing left in it
                        shutil.rmtree(old, ignore_errors=True)
                    raise
                made.remove(tmp)
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise os_error("write the catalog", exc, root) from exc
    finally:
        for leftover in made:
            shutil.rmtree(leftover, ignore_errors=True)
    return root


def _take_place(new: Path, real: Path, old: Path) -> None:
    """Rename ``new`` to ``real``, whose catalog was just moved to ``old``; on failure put
    the old catalog back, or, when that fails too, say where it is (it is never removed)."""
    try:
        _rename_into_place(new, real)
    except BaseException:
        try:
            _rename_into_place(old, real)
        except OSError as exc:
            raise DeepphenError(f"could not put the old catalog back ({exc.strerror}); it is "
                                f"kept in {old}", path=real,
                                hint=f"move {old} back to {real}") from exc
        raise


def _rename_into_place(folder: Path, real: Path) -> None:
    """``os.replace(folder, real)`` where ``real`` was just moved away. A writer waiting for
    the lock may recreate ``real/.deepphen-cache`` (filelock makes its lock's folders) in
    that instant: such a folder holds nothing of anyone's and is removed, and the rename
    tried again."""
    import shutil

    from deepphen.fsutil import CACHE_DIR

    try:
        os.replace(folder, real)
    except OSError:
        if not real.is_dir() or [p.name for p in real.iterdir()] != [CACHE_DIR]:
            raise
        shutil.rmtree(real)
        os.replace(folder, real)


def _check_target(root: Path, *, force: bool) -> list[str] | None:
    """The files of the old catalog to carry over (its pages, ``dismissed.toml``) when
    ``root`` holds a catalog to replace, None when it is new or empty; raises when it must
    not be touched."""
    if root.exists() and not root.is_dir():
        raise DeepphenError("exists and is not a folder", path=root,
                            hint="choose another --catalog folder")
    parent = Path(os.path.realpath(root)).parent
    outer = parent if (parent / SETTINGS_FILE).is_file() else None
    if outer is not None:
        # The outer catalog would read this one's catalog.toml as a paper file of a section
        # and fail (its section folders are read one level deep: deeper is no harm).
        raise DeepphenError(f"inside the catalog {outer}; refusing to make a catalog in "
                            "another", path=root, hint="choose a --catalog folder outside it")
    if not root.exists() or not any(root.iterdir()):
        return None
    if not (root / SETTINGS_FILE).is_file():
        raise DeepphenError("folder is not empty and holds no catalog; refusing to replace it",
                            path=root, hint="choose an empty or new --catalog folder")
    if not force:
        raise DeepphenError("a catalog already exists here", path=root,
                            hint="pass --force to replace it")
    try:
        settings = load_settings(root)
        pages = [view.page for view in settings.page_views()
                 if view.page and not page_problem(root, settings, view.page)]
    except DeepphenError:
        pages = []
    foreign = foreign_entries(root, pages)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        raise DeepphenError(f"holds files that are not the catalog's ({shown}); refusing to "
                            "replace it", path=root,
                            hint="move them out of the folder, or import into a new folder")
    return [*pages, DISMISSED_FILE]


def _fill(folder: Path, settings: Settings, papers: list[Paper],
          on_paper: Callable[[int, int], None] | None) -> None:
    # Plain writes are enough inside the private temporary folder: it becomes the catalog in
    # one rename, so no reader ever sees a half-written file.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)
    (folder / SETTINGS_FILE).write_text(settings_to_toml(settings), encoding="utf-8")
    total = len(papers)
    for done, paper in enumerate(papers, 1):
        path = paper_path(folder, paper)
        path.parent.mkdir(exist_ok=True)
        path.write_text(store.paper_to_toml(paper), encoding="utf-8")
        if on_paper:
            on_paper(done, total)


def add_to_catalog(root: Path, settings: Settings, papers: list[Paper]) -> Undismissed:
    """Write new paper files and the new ``catalog.toml`` into an existing catalog, all or
    nothing (a failure puts every file back), and take the papers added out of the
    dismissals (``dismissed.drop_dismissed``). The caller holds the catalog lock, under which
    it read what it changes (deepphen.merge.merge_into)."""
    from deepphen.dismissed import drop_dismissed
    from deepphen.fsutil import transaction

    root = Path(root)
    with transaction() as journal:
        for paper in papers:
            path = paper_path(root, paper)
            if path.exists():
                raise CatalogError("a paper file of this name exists already", path=path,
                                   hint="rename one of the two papers' keys")
            journal.remember(path)
            path.parent.mkdir(exist_ok=True)
            write_paper(root, paper)
        journal.remember(root / SETTINGS_FILE)
        rewrite_file(root, root / SETTINGS_FILE, settings_to_toml(settings))
        return drop_dismissed(root, [p.arxiv for p in papers if p.arxiv], journal)

"""What a catalog folder owns, and the paths that must stay inside it.

A catalog is ``<root>/catalog.toml``, section folders of ``<key>.toml`` paper files, the
generated pages, ``dismissed.toml``, and deepphen's private folder (``.deepphen-cache/``: cache,
lock, temporary files). Every command that reads or writes a path the settings or a link
chose asks here first, so one check guards them all. A leaf module: it imports nothing else
of deepphen's but models.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath

from deepphen.models import Settings

SETTINGS_FILE = "catalog.toml"
DISMISSED_FILE = "dismissed.toml"  # the papers curators dismissed in discover (deepphen.dismissed)
# The largest list pages run to a few MB; past this, a page (imported, or committed and
# compared by lint) is no list (/dev/zero, a disk image) and would be read until memory ran out.
MAX_PAGE_BYTES = 64 * 1024 * 1024


def resolved(path: Path) -> Path:
    """``path`` with every symbolic link followed; OSError (ELOOP) on a link loop.

    ``Path.resolve()`` raises RuntimeError on a loop up to Python 3.12, while 3.13 returns the
    loop unresolved: a path that still holds a link after resolving is a loop on every version.
    """
    try:
        real = Path(path).resolve()
    except RuntimeError as exc:
        raise OSError(errno.ELOOP, "symbolic link loop", str(path)) from exc
    if any(part.is_symlink() for part in (real, *real.parents)):
        raise OSError(errno.ELOOP, "symbolic link loop", str(path))
    return real


def inside(root: Path, path: Path) -> bool:
    """True when ``path``, symbolic links followed, is a file or folder within ``root``."""
    try:
        return resolved(path).is_relative_to(resolved(root))
    except OSError:  # a symbolic link loop
        return False


def catalog_holding(path: str | Path) -> Path | None:
    """The catalog folder (one holding ``catalog.toml``) that ``path`` is in or is, or None."""
    path = Path(path).absolute()
    for folder in (path, *path.parents):
        try:
            if (folder / SETTINGS_FILE).is_file():
                return folder
        except OSError:  # a folder on the way that cannot be looked into
            continue
    return None


def page_problem(root: Path, settings: Settings, page: str | None = None) -> str | None:
    """Why ``page`` (default: the settings' ``page``) cannot be the generated page, or None.

    The page must be a file inside the catalog folder that the catalog does not own: not
    ``catalog.toml``, a paper file, a section folder or anything in one, nor deepphen's
    private folder, lock or temporary files (nor any hidden file, such as ``.git/...``),
    reached without leaving the folder through ``..``, an absolute path or a symbolic link.
    This is the one check every command that reads or writes the page, and lint, applies.
    """
    page = settings.page if page is None else page
    if page is None:
        return None
    text = page.replace("\\", "/")
    if not text.strip() or any(ord(c) < 32 for c in text):
        return "page must be a file name such as README.md"
    if text.startswith("/") or PureWindowsPath(page).drive:
        return "page is an absolute path; give it relative to the catalog folder"
    parts = [p for p in PurePosixPath(text).parts if p != "."]
    if ".." in parts:
        return "page leaves the catalog folder ('..')"
    if not parts:
        return "page names the catalog folder itself"
    root = Path(root)
    path = root.joinpath(*parts)
    if not inside(root, path):
        return "page leaves the catalog folder through a symbolic link"
    try:
        real = resolved(path).relative_to(resolved(root)).parts
    except (OSError, ValueError):
        real = tuple(parts)
    # Case aside: on macOS and Windows "CATALOG.TOML" is catalog.toml and "Others/" is others/.
    sections = {s.slug.casefold() for s in settings.sections}
    for names in (parts, real):
        if not names:
            return "page names the catalog folder itself"
        if any(n.startswith(".") for n in names):
            return "page names a hidden file or folder (deepphen's cache, lock or temporary files)"
        if names[-1].casefold().endswith(".toml"):
            return "page names a TOML file of the catalog"
        if names[0].casefold() in sections:
            return f"page is inside the section folder {names[0]!r}"
    if path.is_dir():
        return "page names a folder"
    if path.exists() and not path.is_file():
        return "page is not a regular file"
    return None


# deepphen's own names at a catalog's top: the private folder, and the lock and temporary
# files of versions that kept them there.
PRIVATE_PREFIXES = (".deepphen-cache", ".deepphen.lock", ".deepphen-tmp-")


def foreign_entries(root: Path, pages: Iterable[str]) -> list[str]:
    """What ``root`` holds that its catalog does not own (relative paths, sorted): anything
    but ``catalog.toml``, ``dismissed.toml`` and the declared ``pages`` (regular files, not
    links leading out), deepphen's private files
    and section folders of regular ``.toml`` files. A catalog may be replaced whole only when
    this is empty."""
    owned = {SETTINGS_FILE, DISMISSED_FILE}
    for page in pages:
        if page and not page.startswith(("/", "\\")) and ".." not in page:
            owned.add(PurePosixPath(page.replace("\\", "/")).as_posix())
    found = []
    for entry in sorted(Path(root).iterdir()):
        name = entry.name
        if (name in owned and _kept_file(root, entry)) or name.startswith(PRIVATE_PREFIXES):
            continue
        if name in owned or entry.is_symlink() or not entry.is_dir():
            found.append(name)
            continue
        for item in sorted(entry.iterdir()):
            rel = f"{name}/{item.name}"
            if rel in owned and _kept_file(root, item):
                continue
            if item.is_symlink() or not item.is_file() or item.suffix != ".toml":
                found.append(rel)
    return found


def _kept_file(root: Path, path: Path) -> bool:
    """Whether a file the catalog owns is one a replacement may carry over: a regular file
    inside the catalog. A link leading out would be copied in (a stranger's dismissed.toml
    linked to a file of yours), and a FIFO, device or folder cannot be copied."""
    return path.is_file() and (not path.is_symlink() or inside(root, path))

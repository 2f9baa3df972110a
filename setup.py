"""The package's long description: README.md with its links made absolute, for PyPI.

pyproject.toml holds the metadata; this file adds the one thing it cannot declare. README.md
links the repository's files relatively (docs/..., CONTRIBUTING.md, the screenshot), which
GitHub resolves in the branch, tag or fork being read, and which on PyPI all pointed at
pypi.org and were broken. So the description built into the sdist and wheel is README.md with
each relative link pointing at the repository ([project.urls] Homepage): at the release's tag
(vX.Y.Z, pushed before the upload: CONTRIBUTING.md), or at main for a development version,
which has no tag. README.md itself is left as it is. setuptools runs this file as
``__main__`` when it builds; tests import it to check the rewriting.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
# An inline link or image: [text](target) or ![alt](target); the target has no spaces. A
# link's text may hold an image (a linked screenshot or badge: [![alt](img)](target)).
INLINE_RE = re.compile(r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|!\[[^\[\]]*\]\([^)\s]+\))*)\]"
                       r"\((?P<target>[^)\s]+)")
# A link reference definition: [label]: target
REFERENCE_RE = re.compile(r"^(?P<head> {0,3}\[[^\]]+\]:[ \t]*)(?P<target>\S+)", re.M)
# A target PyPI reads as it is: with a scheme (https:, mailto:) or an anchor of the page.
ABSOLUTE_RE = re.compile(r"[A-Za-z][\w+.-]*:|#")


def absolute(target: str, repository: str, ref: str, image: bool = False) -> str:
    """``target`` as PyPI must find it: a path of the repository made a URL of ``ref``
    (a file's page, a folder's, or an image's raw bytes); any other target as it is."""
    if ABSOLUTE_RE.match(target):
        return target
    path = target.lstrip("/")  # GitHub reads a leading "/" as the repository's root
    if path.startswith("./"):
        path = path[2:]
    if image:
        raw = repository.replace("https://github.com/", "https://raw.githubusercontent.com/", 1)
        return f"{raw}/{ref}/{path}"
    kind = "tree" if path.split("#", 1)[0].endswith("/") or not path else "blob"
    return f"{repository}/{kind}/{ref}/{path}"


def pypi_readme(text: str, repository: str, ref: str) -> str:
    """``text`` (markdown) with every relative link and image made absolute (``absolute``)."""
    text = _inline(text, repository, ref)
    return REFERENCE_RE.sub(lambda m: m["head"] + absolute(m["target"], repository, ref), text)


def _inline(text: str, repository: str, ref: str) -> str:
    """``text``'s inline links and images made absolute, an image inside a link's text too."""
    return INLINE_RE.sub(lambda m: f"{m['image']}[{_inline(m['text'], repository, ref)}]("
                         + absolute(m["target"], repository, ref, bool(m["image"])), text)


def git_ref(version: str) -> str:
    """The tag a release is cut as (CONTRIBUTING.md), or main for a development version."""
    return "main" if ".dev" in version else f"v{version}"


def long_description(root: Path = HERE) -> str:
    """README.md under ``root`` as PyPI shows it, its links at the version's ref."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    init = (root / "src" / "deepphen" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r'^__version__ = "([^"]+)"', init, flags=re.M)
    if version is None:
        raise SystemExit("setup.py: no __version__ in src/deepphen/__init__.py")
    readme = (root / "README.md").read_text(encoding="utf-8")
    return pypi_readme(readme, project["urls"]["Homepage"].rstrip("/"), git_ref(version[1]))


if __name__ == "__main__":
    from setuptools import setup

    setup(long_description=long_description(), long_description_content_type="text/markdown")

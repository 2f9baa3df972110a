"""The package as users get it: metadata, the sdist and wheel, and the wheel run on its own.

The build runs without isolation (setuptools comes from the test extras) so that the test needs
no network; `make dist-check` does the isolated build and a clean-virtualenv install in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from deepphen import __version__

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SUPPORTED = ("3.11", "3.12", "3.13")


def test_metadata_is_complete() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert (ROOT / project["license-files"][0]).is_file()
    assert project["requires-python"] == f">={SUPPORTED[0]}"
    classifiers = set(project["classifiers"])
    assert {f"Programming Language :: Python :: {v}" for v in SUPPORTED} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: SPDX only
    assert {"Homepage", "Changelog", "Issues"} <= set(project["urls"])
    assert project["keywords"] and "readme" not in project
    # The version lives in deepphen/__init__.py only; the readme is README.md as setup.py
    # rewrites it for PyPI.
    assert project["dynamic"] == ["version", "readme"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                           str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    pytest.importorskip("twine")
    files = sorted(dist.iterdir())
    assert [f.name for f in files] == [f"deepphen-{__version__}-py3-none-any.whl",
                                       f"deepphen-{__version__}.tar.gz"]
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_wheel_holds_the_package_not_the_catalog(dist: Path) -> None:
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    sources = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src").rglob("*.py")}
    assert sources <= set(names)
    assert any(n.startswith("deepphen/export/html_assets/") for n in names)
    assert not any(n.startswith(("catalog/", "tests/")) or n.endswith(".toml") for n in names)
    metadata = zipfile.ZipFile(wheel).read(
        f"deepphen-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata


def _setup_py() -> object:
    """setup.py as a module: imported under another name, it builds nothing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("deepphen_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Every link target of a markdown text: inline links and images, and reference definitions.
LINK_TARGET = re.compile(r"\]\(([^)\s]+)|^ {0,3}\[[^\]]+\]:[ \t]*(\S+)", re.M)


def _targets(markdown: str) -> list[str]:
    return [a or b for a, b in LINK_TARGET.findall(markdown)]


def test_pypi_description_links_resolve_outside_the_repository(dist: Path) -> None:
    """README.md links docs/, CONTRIBUTING.md and its screenshot relatively, which GitHub
    resolves and PyPI sent to pypi.org (every one broken). The description in the wheel and
    sdist is README.md with those links at the repository, each naming a file that exists;
    README.md stays relative for GitHub, forks and clones."""
    import email
    import tarfile

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = [t for t in _targets(readme) if not re.match(r"https?://|#", t)]
    assert "CONTRIBUTING.md" in relative and "docs/page-screenshot.png" in relative
    wheel = zipfile.ZipFile(next(dist.glob("*.whl")))
    metadata = wheel.read(f"deepphen-{__version__}.dist-info/METADATA").decode()
    with tarfile.open(next(dist.glob("*.tar.gz"))) as tar:
        pkg_info = tar.extractfile(f"deepphen-{__version__}/PKG-INFO").read().decode()
    home = PYPROJECT["project"]["urls"]["Homepage"]
    ref = "main" if ".dev" in __version__ else f"v{__version__}"
    for text in (metadata, pkg_info):
        description = email.message_from_string(text).get_payload()
        assert description.startswith("# deepphen")
        targets = _targets(description)
        assert len(targets) == len(_targets(readme))
        for target in targets:
            assert re.match(r"https?://|#", target), f"relative on PyPI: {target}"
        paths = [re.sub(rf"^({re.escape(home)}/(blob|tree)|https://raw\.githubusercontent\.com/"
                        rf"[^/]+/[^/]+)/{re.escape(ref)}/", "", t).split("#")[0]
                 for t in targets if t.startswith((home, "https://raw.githubusercontent.com/"))]
        assert len(paths) == len(relative)
        missing = [p for p in paths if not (ROOT / p).exists()]
        assert not missing, f"the description links files the repository lacks: {missing}"


@pytest.mark.parametrize("target, image, expected", [
    ("docs/lint-rules.md", False, "https://github.com/o/r/blob/v1.2.3/docs/lint-rules.md"),
    ("docs/x.md#part", False, "https://github.com/o/r/blob/v1.2.3/docs/x.md#part"),
    ("./catalog/", False, "https://github.com/o/r/tree/v1.2.3/catalog/"),
    ("/LICENSE", False, "https://github.com/o/r/blob/v1.2.3/LICENSE"),
    ("docs/a.png", True, "https://raw.githubusercontent.com/o/r/v1.2.3/docs/a.png"),
    ("https://arxiv.org/abs/1", False, "https://arxiv.org/abs/1"),
    ("#usage", False, "#usage"),
    ("mailto:a@b.org", False, "mailto:a@b.org"),
])
def test_setup_py_makes_a_relative_link_absolute(target: str, image: bool,
                                                  expected: str) -> None:
    setup_py = _setup_py()
    assert setup_py.git_ref("1.2.3") == "v1.2.3" and setup_py.git_ref("1.2.4.dev0") == "main"
    assert setup_py.absolute(target, "https://github.com/o/r", "v1.2.3", image) == expected


def test_setup_py_rewrites_links_and_images_not_their_text() -> None:
    setup_py = _setup_py()
    markdown = ("See [docs/a.md](docs/a.md), ![shot](docs/a.png) and [b](https://x.org/b).\n"
                "\n[ref]: CONTRIBUTING.md\n")
    assert setup_py.pypi_readme(markdown, "https://github.com/o/r", "main") == (
        "See [docs/a.md](https://github.com/o/r/blob/main/docs/a.md), "
        "![shot](https://raw.githubusercontent.com/o/r/main/docs/a.png) and "
        "[b](https://x.org/b).\n\n[ref]: https://github.com/o/r/blob/main/CONTRIBUTING.md\n")


def test_setup_py_rewrites_a_linked_image_and_its_link() -> None:
    """[![alt](img)](target): the image's bytes and the link's page, each made absolute (the
    outer link stayed relative and the image got a page's URL)."""
    setup_py = _setup_py()
    markdown = "[![shot](docs/page.png)](docs/page.md)\n"
    assert setup_py.pypi_readme(markdown, "https://github.com/o/r", "main") == (
        "[![shot](https://raw.githubusercontent.com/o/r/main/docs/page.png)]"
        "(https://github.com/o/r/blob/main/docs/page.md)\n")


def test_sdist_holds_the_package_and_no_half_of_the_tests(dist: Path) -> None:
    """The sdist held the test modules but not their helpers, fixtures or the catalog they
    read: a suite that could not even be collected."""
    import tarfile

    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    assert "src/deepphen/__init__.py" in names and "CHANGELOG.md" in names
    assert not any(n.startswith(("tests/", "catalog/", ".venv")) for n in names), names


def test_wheel_runs_on_its_own(dist: Path, tmp_path: Path) -> None:
    """Installed alone into a fresh folder (its dependencies from this environment), the wheel's
    console script answers --version and searches a catalog."""
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-index", "--target", str(target), str(next(dist.glob("*.whl")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    env.pop("DEEPPHEN_CATALOG", None)
    script = target / "bin" / "deepphen"
    version = subprocess.run([sys.executable, str(script), "--version"], capture_output=True,
                             text=True, timeout=60, env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"deepphen {__version__}", version.stderr
    where = subprocess.run([sys.executable, "-c", "import deepphen; print(deepphen.__file__)"],
                           capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(target)), where.stdout  # the wheel's copy, not src/
    found = subprocess.run([sys.executable, str(script), "search", "grokking", "--catalog",
                            str(ROOT / "catalog"), "--format", "ids"], capture_output=True,
                           text=True, timeout=60, env=env, cwd=tmp_path)
    assert found.returncode == 0 and found.stdout.strip(), found.stderr
    # python -m, and the HTML page, which inlines the wheel's html_assets.
    page = tmp_path / "page.html"
    html = subprocess.run([sys.executable, "-m", "deepphen", "export", "--format", "html",
                           "--catalog", str(ROOT / "catalog"), "-o", str(page)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    css = (ROOT / "src" / "deepphen" / "export" / "html_assets" / "page.css").read_text(
        encoding="utf-8")
    assert css.strip().splitlines()[-1] in page.read_text(encoding="utf-8")


def test_importing_every_module_runs_nothing(tmp_path: Path) -> None:
    """deepphen.__main__ ran the command line when imported, as tools that import a whole
    package do (pdoc, sphinx-apidoc, pkgutil.walk_packages): it printed the help and exited 2."""
    import pkgutil

    import deepphen

    script = ("import importlib, pkgutil, deepphen\n"
              "for m in pkgutil.walk_packages(deepphen.__path__, 'deepphen.'):\n"
              "    importlib.import_module(m.name)\n"
              "print('imported', len(list(pkgutil.walk_packages(deepphen.__path__))))\n")
    done = subprocess.run([sys.executable, "-c", script, "lint"], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(deepphen.__file__).parents[1])})
    assert done.returncode == 0 and done.stdout.startswith("imported "), done.stdout + done.stderr
    assert "Usage" not in done.stdout
    assert "deepphen.__main__" in {m.name for m in pkgutil.walk_packages(deepphen.__path__,
                                                                          "deepphen.")}

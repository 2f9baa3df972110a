"""catalog.toml's headings, labels, names and links are one line each on the page: a line
break in one would start markup of its own (a second heading, a broken contents item), so
reading the catalog refuses it with one line naming the file, the line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import ERROR

BREAK = "X\\n\\n## Injected"  # as written in TOML: a real line break once read


def _replace(root: Path, old: str, new: str) -> None:
    path = root / "catalog.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, extra: str) -> None:
    path = root / "catalog.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _contents(root: Path) -> dict[Path, bytes]:
    """The catalog's files and their bytes; deepphen's private folder (its lock) aside."""
    return {p: p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".deepphen")}


@pytest.mark.parametrize(("edit", "field"), [
    (lambda r: _replace(r, 'title = "Test List"', f'title = "{BREAK}"'), "title"),
    (lambda r: _replace(r, 'toc_heading = "Table of Contents"', f'toc_heading = "{BREAK}"'),
     "toc_heading"),
    (lambda r: _replace(r, 'resources_toc_label = "Resources"',
                        f'resources_toc_label = "{BREAK}"'), "resources_toc_label"),
    (lambda r: _replace(r, 'heading = "Others"', f'heading = "{BREAK}"'), "heading"),
    (lambda r: _replace(r, 'toc_label = "Other Papers"', f'toc_label = "{BREAK}"'),
     "toc_label"),
    (lambda r: _append(r, f'\n[[resources]]\nname = "{BREAK}"\nurl = "https://x.org/"\n'),
     "name"),
    (lambda r: _append(r, '\n[[resources]]\nname = "Blog"\nurl = "https://x.org/\\n# Hi"\n'),
     "url"),
    (lambda r: _replace(r, 'title = "Test List"',
                        f'title = "Test List"\npapers_heading = "{BREAK}"'),
     "papers_heading"),
    (lambda r: _append(r, f'\n[[resource_sections]]\nheading = "{BREAK}"\n'), "heading"),
    (lambda r: _append(r, '\n[[resource_sections]]\nheading = "Tools"\n'
                          'toc_label = "T\\r\\n## I"\n'),
     "toc_label"),
])
def test_a_line_break_in_a_one_line_field_is_refused_with_its_line(
        catalog_dir: Path, run_cli: Callable[..., object], edit: Callable[[Path], None],
        field: str) -> None:
    edit(catalog_dir)
    before = _contents(catalog_dir)
    result = run_cli("export", "--format", "md", "-o", catalog_dir / "README.md",
                     exit_code=2)
    assert "Injected" not in result.stdout
    message = result.stderr.strip()
    assert message.startswith(f"{ERROR} {catalog_dir / 'catalog.toml'}:")
    assert f"'{field}'" in message and "one line" in message
    assert len(message.splitlines()) <= 2  # the error, and a hint at most
    line = int(message.split("catalog.toml:")[1].split(":")[0])
    text = (catalog_dir / "catalog.toml").read_text(encoding="utf-8").splitlines()
    # The field's own line, else the line of its table or of the array holding it.
    assert any(name in text[line - 1] for name in (field, "[[", "sections = ["))
    assert _contents(catalog_dir) == before  # nothing written (the lock aside: -o is in it)
    lint = run_cli("lint", exit_code=2)
    assert "one line" in lint.stderr


def test_multi_line_blocks_stay_allowed(catalog_dir: Path, run_cli: Callable[..., object]) -> None:
    # The intro and closing are the curator's own paragraphs: line breaks are theirs.
    _replace(catalog_dir, 'intro = "A list for tests."',
             'intro = """\nFirst paragraph.\n\nSecond paragraph."""')
    result = run_cli("export", "--format", "md")
    assert "First paragraph.\n\nSecond paragraph." in result.stdout

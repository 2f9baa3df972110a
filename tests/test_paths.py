"""deepphen.paths: following symbolic links the same way on every supported Python."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from deepphen.paths import inside, resolved


def test_a_link_loop_is_an_error_on_every_python(tmp_path: Path) -> None:
    """Python 3.13's resolve() returns a loop unresolved where 3.11 and 3.12 raise."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for path in (tmp_path / "a", tmp_path / "a" / "README.md"):
        with pytest.raises(OSError) as caught:
            resolved(path)
        assert caught.value.errno == errno.ELOOP
        assert not inside(tmp_path, path)


def test_links_are_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert resolved(tmp_path / "link" / "x.md") == (tmp_path / "real" / "x.md").resolve()
    assert inside(tmp_path, tmp_path / "link" / "x.md")
    (tmp_path / "out").symlink_to(tmp_path.parent)
    assert not inside(tmp_path, tmp_path / "out" / "x.md")

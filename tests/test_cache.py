"""The derived catalog cache: always the same papers as parsing, whatever happens to the files."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen import cache
from deepphen.catalog import load_papers, paper_files, read_paper
from deepphen.errors import CatalogError
from deepphen.search import SearchIndex
from tests.helpers import make_catalog, more_papers, spy_opens

HOUR_NS = 3600 * 10**9


def age(root: Path, hours: int = 1) -> None:
    """Make every paper file old enough to be cached (fresh files are 'racy')."""
    past = time.time_ns() - hours * HOUR_NS
    for path in paper_files(root):
        os.utime(path, ns=(past, past))


@pytest.fixture(autouse=True)
def cache_written_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is written an hour after the files: ctimes, which age() cannot move back,
    are then old enough to be trusted (a test of recent files takes the real clock back)."""
    monkeypatch.setattr(cache, "clock", lambda: time.time_ns() + HOUR_NS)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = make_catalog(tmp_path / "catalog")
    age(folder)
    return folder


def cache_file(root: Path) -> Path:
    return root / cache.CACHE_DIR / cache.PAPERS_FILE


def dicts(papers: list) -> list[tuple]:
    return [(p.key, str(p.path), p.to_dict()) for p in papers]


def no_parsing(path: Path) -> None:
    raise AssertionError(f"parsed {path} although it is cached")


def test_cached_load_equals_parsing(root: Path) -> None:
    parsed = load_papers(root, use_cache=False)
    first = load_papers(root)
    assert cache_file(root).is_file()
    second = cache.load_papers(root, no_parsing)
    assert dicts(first) == dicts(second) == dicts(parsed)
    assert [p.path for p in second] == list(paper_files(root))


def test_edit_add_delete_are_seen(root: Path) -> None:
    load_papers(root)
    target = next(p for p in paper_files(root) if p.stem == "2201.02177")
    target.write_text(target.read_text(encoding="utf-8").replace("Grokking:", "Grokked:"),
                      encoding="utf-8")
    extra = root / "others" / "new-paper.toml"
    extra.write_text('title = "A New Paper"\nyear = 2024\nsection = "others"\n', encoding="utf-8")
    next(p for p in paper_files(root) if p.stem == "1803.03635").unlink()
    age(root)
    papers = {p.key: p for p in load_papers(root)}
    assert papers["2201.02177"].title.startswith("Grokked:")
    assert "new-paper" in papers
    assert "1803.03635" not in papers
    assert dicts(list(papers.values())) == dicts(load_papers(root, use_cache=False))


def test_same_size_edit_with_new_mtime_is_seen(root: Path) -> None:
    load_papers(root)
    target = next(p for p in paper_files(root) if p.stem == "2008.08186")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("PNAS", "SNAP"), encoding="utf-8")
    assert target.stat().st_size == len(text.encode())
    later = time.time_ns() - HOUR_NS // 2
    os.utime(target, ns=(later, later))
    assert next(p for p in load_papers(root) if p.key == "2008.08186").venue == "SNAP"


def test_recent_files_are_not_trusted_from_the_cache(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "clock", time.time_ns)
    root = make_catalog(tmp_path / "fresh")  # files written just now: "racy"
    load_papers(root)
    stored = cache.StoredPapers.read(cache_file(root))
    assert stored is not None and stored.sigs == []
    with pytest.raises(AssertionError, match="parsed"):
        cache.load_papers(root, no_parsing)


@pytest.mark.parametrize("content", [b"", b"garbage", b"\x80\x05\x95", None,
                                     b"\xff" * 8 + b"header"])
def test_corrupt_cache_is_ignored_and_rebuilt(root: Path, content: bytes | None) -> None:
    expected = dicts(load_papers(root))
    if content is None:  # a valid header of the wrong shape
        header = pickle.dumps({"not": "a cache"})
        content = len(header).to_bytes(8, "little") + header
    cache_file(root).write_bytes(content)
    assert dicts(load_papers(root)) == expected
    assert dicts(cache.load_papers(root, no_parsing)) == expected


def test_damaged_entry_falls_back_to_the_file(root: Path) -> None:
    expected = dicts(load_papers(root))
    stored = cache.StoredPapers.read(cache_file(root))
    assert stored is not None
    cache.StoredPapers.write(cache_file(root), stored.generation, stored.sigs,
                             [b"\x80\x05broken"] * len(stored.sigs))
    assert dicts(load_papers(root)) == expected


class Boom:
    def __reduce__(self) -> tuple:
        return (os.system, ("touch pwned",))


def test_cache_cannot_run_code(root: Path, tmp_path: Path) -> None:
    """A cache planted in a shared catalog must not execute anything when read."""
    os.chdir(tmp_path)
    expected = dicts(load_papers(root))
    header = pickle.dumps((cache.FORMAT, "g", [("x", 1, 2, 3)], Boom()))
    cache_file(root).write_bytes(len(header).to_bytes(8, "little") + header)
    assert dicts(load_papers(root)) == expected
    assert not (tmp_path / "pwned").exists()


def test_invalid_file_fails_every_time(root: Path) -> None:
    bad = root / "others" / "bad.toml"
    bad.write_text('title = "T"\nyear = "2020"\nsection = "others"\n', encoding="utf-8")
    age(root)
    for _ in range(2):
        with pytest.raises(CatalogError, match=r"bad\.toml:2: field 'year'"):
            load_papers(root)


def test_unwritable_cache_is_not_an_error(root: Path) -> None:
    shutil.rmtree(root / cache.CACHE_DIR, ignore_errors=True)
    (root / cache.CACHE_DIR).write_text("a file where the cache folder should be")
    assert dicts(load_papers(root)) == dicts(load_papers(root, use_cache=False))


def test_symlinked_cache_folder_is_not_written_through(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(root / cache.CACHE_DIR, ignore_errors=True)
    (root / cache.CACHE_DIR).symlink_to(elsewhere)
    load_papers(root)
    assert list(elsewhere.iterdir()) == []


def test_derived_values_follow_the_papers(root: Path) -> None:
    builds: list[int] = []

    def build(snap: cache.Snapshot) -> int:
        builds.append(1)
        return len(snap)

    snap = cache.snapshot(root, read_paper)
    assert cache.derived(snap, "count", 1, lambda: build(snap)) == 5
    snap = cache.snapshot(root, no_parsing)
    assert cache.derived(snap, "count", 1, lambda: build(snap)) == 5
    assert len(builds) == 1  # the second time it came from the cache
    assert cache.derived(snap, "count", 2, lambda: build(snap)) == 5
    assert len(builds) == 2  # a new version rebuilds
    (root / "others" / "1803.03635.toml").unlink()
    snap = cache.snapshot(root, read_paper)
    assert cache.derived(snap, "count", 2, lambda: build(snap)) == 4
    assert len(builds) == 3  # a deleted file rebuilds
    edited = root / "neural-collapse" / "2008.08186.toml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("PNAS", "JMLR"))
    age(root)
    snap = cache.snapshot(root, read_paper)
    assert cache.derived(snap, "count", 2, lambda: build(snap)) == 4
    assert len(builds) == 4  # so does an edited one, though the count stays the same
    snap = cache.snapshot(root, no_parsing)
    assert cache.derived(snap, "count", 2, lambda: build(snap)) == 4
    assert len(builds) == 4  # and the edit was cached


def test_cache_files_are_written_atomically(root: Path) -> None:
    load_papers(root)
    names = {p.name for p in (root / cache.CACHE_DIR).iterdir()}
    assert names == {cache.PAPERS_FILE, ".gitignore", "CACHEDIR.TAG"}


def test_truncated_cache_is_ignored(root: Path) -> None:
    expected = dicts(load_papers(root))
    content = cache_file(root).read_bytes()
    cache_file(root).write_bytes(content[:-10])
    assert dicts(load_papers(root)) == expected
    assert cache_file(root).read_bytes() != content[:-10]  # rebuilt


def test_any_toml_value_survives_the_cache(root: Path) -> None:
    """Unknown fields keep TOML's dates, times, offsets and nested tables through the cache."""
    extra = root / "others" / "odd.toml"
    extra.write_text(
        'title = "Odd"\nyear = 2020\nsection = "others"\nwhen = 1979-05-27T07:32:00Z\n'
        'local = 1979-05-27T00:32:00-07:00\nat = 07:32:00\nratio = inf\n'
        "[table]\nx = [1, {a = 2}]\n", encoding="utf-8")
    age(root)
    expected = dicts(load_papers(root, use_cache=False))
    load_papers(root)
    assert dicts(cache.load_papers(root, no_parsing)) == expected


# Issue 13, item 12: whatever does not validate is no cache; only regular files are read.

GOOD_SIG = ("others/x.toml", 1, 2, 3, 4)


@pytest.mark.parametrize("header", [
    (cache.FORMAT, "g", [["others/x.toml", 1, 2, 3, 4]], None),  # lists are unhashable
    (cache.FORMAT, "g", ["others/x.toml"], None),
    (cache.FORMAT, "g", [("others/x.toml", 1, 2, 3)], None),  # the old 4-field signature
    (cache.FORMAT, "g", [("others/x.toml", "1", 2, 3, 4)], None),
    (cache.FORMAT, "g", [GOOD_SIG, GOOD_SIG], None),
    (cache.FORMAT, 7, [GOOD_SIG], None),
    (cache.FORMAT, "g", {"a": 1}, None),
    (cache.FORMAT, "g", [GOOD_SIG], "offsets"),
    (cache.FORMAT, "g", [GOOD_SIG]),
    (cache.FORMAT, "g", [GOOD_SIG], b"\x00" * 7),
])
def test_header_of_the_right_tag_but_wrong_shape_is_no_cache(root: Path, header: tuple
                                                             ) -> None:
    expected = dicts(load_papers(root, use_cache=False))
    if len(header) == 4 and header[3] is None:
        header = (*header[:3], bytes(8 * (len(header[2]) + 1)))
    raw = pickle.dumps(header)
    cache_file(root).write_bytes(len(raw).to_bytes(8, "little") + raw)
    assert dicts(load_papers(root)) == expected


@pytest.mark.parametrize("damage", [
    lambda v: (1, *v[1:]),  # title not a string
    lambda v: (v[0], "2020", *v[2:]),  # year a string
    lambda v: v[:-1],  # a field short
    lambda v: [*v],  # a list, not a tuple
    lambda v: {"title": v[0]},
    lambda v: tuple(x if not isinstance(x, tuple) else [list(y) for y in x] for x in v),
    lambda v: tuple(x if not isinstance(x, list) else [1, 2] for x in v),
])
def test_entries_of_the_wrong_shape_fall_back_to_the_files(root: Path, damage) -> None:
    expected = dicts(load_papers(root, use_cache=False))
    load_papers(root)
    stored = cache.StoredPapers.read(cache_file(root))
    assert stored is not None and stored.sigs
    blobs = [pickle.dumps(damage(pickle.loads(stored.blob(i)))) for i in range(len(stored.sigs))]
    cache.StoredPapers.write(cache_file(root), stored.generation, stored.sigs, blobs)
    assert dicts(load_papers(root)) == expected


@pytest.mark.parametrize("index", [
    {"not": "an index"}, [], None, 42,
    {"size": 5, "terms": "a", "starts": [], "papers": [], "phrases": [], "order": b"",
     "links": b""},
    "positions-out-of-range", "short-order", "wrong-size",
])
def test_search_index_of_the_wrong_shape_is_rebuilt(root: Path, index: object) -> None:
    from deepphen.search import INDEX_VERSION, SearchIndex, search_catalog

    expected = [h.paper.key for h in search_catalog(root, "neural collapse")]
    snap = cache.snapshot(root, read_paper)
    assert snap.generation is not None
    if isinstance(index, str):
        data = dict(SearchIndex.build(snap.papers()).data)
        if index == "positions-out-of-range":
            data["papers"] = [b"\xff\xff\x00\x00" * (len(raw) // 4) for raw in data["papers"]]
        elif index == "short-order":
            data["order"] = data["order"][:-4]
        else:
            data["size"] += 1
        index = data
    path = root / cache.CACHE_DIR / "search-index.pickle"
    path.write_bytes(pickle.dumps((INDEX_VERSION, snap.generation, index)))
    assert [h.paper.key for h in search_catalog(root, "neural collapse")] == expected


@pytest.mark.parametrize("name", [cache.PAPERS_FILE, "search-index.pickle"])
@pytest.mark.parametrize("kind", ["fifo", "folder", "link", "dangling-link"])
def test_only_regular_files_are_read_from_the_cache(root: Path, tmp_path: Path, name: str,
                                                    kind: str) -> None:
    import threading

    from deepphen.search import search_catalog

    expected = dicts(load_papers(root, use_cache=False))
    path = root / cache.CACHE_DIR / name
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link":
        (tmp_path / "elsewhere.pickle").write_bytes(b"x")
        path.symlink_to(tmp_path / "elsewhere.pickle")
    else:
        path.symlink_to(tmp_path / "missing")
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(
        (dicts(load_papers(root)), search_catalog(root, "grokking"))), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert results, "a cache that is not a regular file blocked the load"
    assert results[0][0] == expected  # type: ignore[index]


@pytest.mark.parametrize("keep", ["mtime", "mtime-and-inode"])
def test_an_edit_that_keeps_size_and_mtime_is_seen(root: Path, keep: str) -> None:
    load_papers(root)
    target = next(p for p in paper_files(root) if p.stem == "2008.08186")
    st = target.stat()
    text = target.read_text(encoding="utf-8").replace("PNAS", "SNAP")
    if keep == "mtime":  # a new file renamed over the old one: a new inode as well
        tmp = target.with_suffix(".new")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    else:
        target.write_text(text, encoding="utf-8")  # in place: inode kept
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # touch -r: mtime put back
    assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    assert next(p for p in load_papers(root) if p.key == "2008.08186").venue == "SNAP"


def test_stats_and_export_read_search_s_cached_index(tmp_path: Path, run_cli: Callable[..., object],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """They built the whole index again for every query (0.6 s on 10,000 papers), while
    search reads it from the cache: they select search's hits, from that cache."""
    root = make_catalog(tmp_path / "catalog", more_papers())
    age(root)
    args = ("lottery", "--year", "2021", "--catalog", root)
    keys = [h["key"] for h in json.loads(run_cli("search", *args, "-f", "json").stdout)]

    def no_build(*_args: object) -> None:
        raise AssertionError("index built again")

    monkeypatch.setattr(SearchIndex, "build", no_build)
    exported = json.loads(run_cli("export", *args, "--format", "json").stdout)
    assert sorted(p["key"] for p in exported["papers"]) == sorted(keys)
    assert json.loads(run_cli("stats", *args, "--format", "json").stdout)["papers"] == len(keys)


@pytest.mark.parametrize("other", ["version", "parsing code"])
def test_a_cache_of_another_deepphen_is_no_cache(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                  other: str) -> None:
    """A cached paper is what one version's parsing made of the file: after an upgrade (or
    an edit of the parsing code) it was served as is, a file the new code rejects or reads
    otherwise included; the search index and the section headings followed it."""
    from deepphen.catalog import section_headings

    old = ("0.0.1", cache.CODE[1]) if other == "version" else (cache.CODE[0], "0badc0de")
    with monkeypatch.context() as older:  # the deepphen that wrote the cache
        older.setattr(cache, "CODE", old)
        older.setattr(cache, "FORMAT", (*cache.FORMAT[:-1], old))
        snap = cache.snapshot(root, read_paper)
        assert cache.derived(snap, "n", 1, lambda: 5) == 5
        (root / "catalog.toml").write_text((root / "catalog.toml").read_text(
            encoding="utf-8"), encoding="utf-8")
        st = (root / "catalog.toml").stat()
        sig = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        assert cache.write_keyed(root, "section-headings", sig, {"others": "Stale"})
        assert section_headings(root)["others"] == "Stale"
    parsed: list[Path] = []

    def parse(path: Path):
        parsed.append(path)
        return read_paper(path)

    snap = cache.snapshot(root, parse)
    assert len(parsed) == len(snap) == 5  # every file parsed again
    assert cache.derived(snap, "n", 1, lambda: 6) == 6  # the derived value built again
    assert section_headings(root)["others"] != "Stale"
    parsed.clear()
    cache.snapshot(root, parse)
    assert parsed == []  # and the new cache is used


@pytest.mark.parametrize("name", [cache.PAPERS_FILE, "search-index.pickle", "arxiv-meta.pickle"])
def test_a_special_file_in_the_cache_is_never_opened(root: Path, name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO (and so a device: no test can make one unprivileged) was opened, then found
    not to be a regular file: opening a device can act, and opening a FIFO wakes a writer."""
    from deepphen.catalog_meta import load_meta
    from deepphen.search import search_catalog

    load_papers(root)
    search_catalog(root, "grokking")
    path = root / cache.CACHE_DIR / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    opened = spy_opens(monkeypatch)
    # Each reads the file once, and writes a regular one in its place: look after the first.
    if name == "arxiv-meta.pickle":
        assert load_meta(root).abstracts == {}
    elif name == cache.PAPERS_FILE:
        assert dicts(load_papers(root)) == dicts(load_papers(root, use_cache=False))
    else:
        assert search_catalog(root, "grokking")
        assert cache.PAPERS_FILE in opened  # the spy sees the cache's opens
    assert name not in opened


def test_section_headings_follow_the_cache_s_clock(root: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The headings' racy-file rule read the real clock, not ``cache.clock``: the one rule
    had two clocks, and a clock set back or ahead could not be tried on it."""
    from deepphen.catalog import section_headings

    stored = root / cache.CACHE_DIR / "section-headings.pickle"
    expected = section_headings(root)
    assert stored.is_file()  # an hour later (the fixture's clock), catalog.toml has settled
    stored.unlink()
    monkeypatch.setattr(cache, "clock", lambda: time.time_ns() - 24 * HOUR_NS)
    assert section_headings(root) == expected
    assert not stored.exists()  # changed after "now": a clock set back trusts nothing


def test_the_code_digest_needs_no_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """cache is imported by every command and digests the parsing code's source at import:
    an install of compiled files only must not make every command fail."""
    digest = cache.source_digest("models.py")
    assert cache.source_digest("models.py") == digest  # stable
    assert cache.source_digest("no_such_module.py") != cache.source_digest("other_module.py")

    def missing(_self: Path) -> bytes:
        raise FileNotFoundError("no source shipped")

    monkeypatch.setattr(Path, "read_bytes", missing)
    assert cache.source_digest("models.py") != digest


def test_the_cache_is_keyed_on_every_module_models_imports() -> None:
    """A paper or the settings is read by models.py and what it imports at load (layout,
    slugs, ...): an edit of any of them between releases is another cache, so each must be
    in cache.PARSING, which keys it."""
    import ast

    source = Path(cache.__file__).parent
    seen: set[str] = set()
    todo = ["models", "catalog"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.parse((source / f"{name}.py").read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("deepphen"):
                parts = node.module.split(".")
                names = [a.name for a in node.names] if len(parts) == 1 else [parts[1]]
                todo += [n for n in names if (source / f"{n}.py").is_file()]
    # catalog's own top-level helpers that do not read fields: output and file plumbing.
    plumbing = {"cache", "comments", "fsutil", "paths", "printable"}
    assert seen - plumbing <= {name.removesuffix(".py") for name in cache.PARSING}

"""Several real processes on one catalog: writers take turns, readers never crash.

Writers add papers through catalog.write_paper under fsutil.catalog_lock, checking first (under
the lock) whether the paper is already there, as ``deepphen add`` does; their id lists overlap
so that a missing lock would show up as a paper written twice. A mover shifts papers between
section folders (a new file written, the old one deleted), so files vanish while readers list
them. Readers load the catalog in a loop through the core and through the CLI meanwhile.

No sleeps: processes start, report ``ready``, and the writers begin when every reader is ready;
readers loop until the test creates a stop file after the writers have finished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deepphen import catalog, catalog_write, ids
from deepphen.catalog import load_papers
from deepphen.fsutil import TMP_PREFIX
from tests.helpers import make_catalog

SRC = Path(__file__).resolve().parents[1] / "src"

WRITER = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    from deepphen import ids
    from deepphen.catalog import load_papers, write_paper
    from deepphen.fsutil import catalog_lock
    from deepphen.models import Paper

    root, wanted = Path(sys.argv[1]), json.loads(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    written = []
    for ident in wanted:
        with catalog_lock(root, timeout=120):
            if any(p.arxiv == ident for p in load_papers(root)):
                continue
            write_paper(root, Paper(title=f"Concurrent paper {ident}", year=2020,
                                    section="others", arxiv=ident, key=ids.key_for_id(ident)))
            written.append(ident)
    print(json.dumps(written), flush=True)
''')

MOVER = textwrap.dedent('''
    import os, sys
    from pathlib import Path
    from deepphen.catalog import paper_path, read_paper, write_paper
    from deepphen.fsutil import catalog_lock

    root, rounds = Path(sys.argv[1]), int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()
    sections = ["empirical-study", "neural-collapse"]
    for i in range(rounds):
        with catalog_lock(root, timeout=120):
            for path in sorted((root / sections[i % 2]).glob("*.toml")):
                paper = read_paper(path)
                paper.section = sections[(i + 1) % 2]
                write_paper(root, paper)
                os.unlink(path)
    print("moved", flush=True)
''')

CORE_READER = textwrap.dedent('''
    import os, sys
    from pathlib import Path
    from deepphen.catalog import Catalog

    root, stop = Path(sys.argv[1]), Path(sys.argv[2])
    loads, added_seen = 0, 0
    while True:
        stopping = stop.exists()  # one more full load after the writers are done
        cat = Catalog.load(root)
        added = sum(1 for p in cat.papers if p.title.startswith("Concurrent paper"))
        # Writers only add: a later load never sees fewer of their papers.
        assert added >= added_seen, (added, added_seen)
        added_seen = added
        loads += 1
        if loads == 1:
            print("ready", flush=True)
        if stopping:
            break
    print(loads, added_seen, flush=True)
''')

CLI_READER = textwrap.dedent('''
    import json, subprocess, sys
    from pathlib import Path

    root, stop = sys.argv[1], Path(sys.argv[2])
    commands = [["export", "--format", "json"], ["lint", "--format", "json"],
                ["stats", "--format", "json"], ["search", "grokking", "--format", "json"]]
    runs = 0
    while True:
        stopping = stop.exists()
        args = commands[runs % len(commands)]
        proc = subprocess.run([sys.executable, "-m", "deepphen", *args, "--catalog", root],
                              capture_output=True, text=True)
        assert "Traceback" not in proc.stderr, proc.stderr
        if args[0] == "export":
            assert proc.returncode == 0, proc.stderr
            json.loads(proc.stdout)
        else:
            assert proc.returncode in (0, 1), proc.stderr
            json.loads(proc.stdout)
        runs += 1
        if runs == 1:
            print("ready", flush=True)
        if stopping and runs >= len(commands):
            break
    print(runs, flush=True)
''')


def spawn(tmp_path: Path, name: str, code: str, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / f"{name}.py"
    script.write_text(code, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1")
    env.pop("DEEPPHEN_CATALOG", None)
    return subprocess.Popen([sys.executable, str(script), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def expect_line(proc: subprocess.Popen[str], what: str) -> str:
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if not line.startswith(what):
        _out, err = proc.communicate(timeout=60)
        raise AssertionError(f"expected {what!r}, got {line!r}; stderr:\n{err}")
    return line


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    return out


def test_concurrent_writers_readers_and_mover(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    stop = tmp_path / "stop"
    shared = [f"2301.{n:05d}" for n in range(1, 31)]
    plans = [shared, shared[::-1], shared[10:] + [f"2302.{n:05d}" for n in range(1, 6)],
             [f"2303.{n:05d}" for n in range(1, 11)] + shared[:10]]

    readers = [spawn(tmp_path, f"core_reader{i}", CORE_READER, str(root), str(stop))
               for i in range(2)]
    readers.append(spawn(tmp_path, "cli_reader", CLI_READER, str(root), str(stop)))
    writers = [spawn(tmp_path, f"writer{i}", WRITER, str(root), json.dumps(plan))
               for i, plan in enumerate(plans)]
    mover = spawn(tmp_path, "mover", MOVER, str(root), "12")
    try:
        for proc in [*readers, *writers, mover]:
            expect_line(proc, "ready")
        for proc in [*writers, mover]:
            proc.stdin.write("go\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
        written = [json.loads(finish(w)) for w in writers]
        assert finish(mover).strip() == "moved"
        stop.touch()
        reports = [finish(r).split() for r in readers]
    finally:
        for proc in [*readers, *writers, mover]:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    wanted = {ident for plan in plans for ident in plan}
    flat = [ident for batch in written for ident in batch]
    assert sorted(flat) == sorted(wanted), "a paper was written twice or not at all"
    papers = load_papers(root, use_cache=False)
    keys = [(p.section, p.key) for p in papers]
    assert len(keys) == len(set(keys))
    assert sorted(p.arxiv for p in papers if p.title.startswith("Concurrent")) == sorted(wanted)
    for ident in wanted:
        assert (root / "others" / f"{ids.key_for_id(ident)}.toml").is_file()
    # The mover's papers (two sample papers of each moved section) each exist exactly once.
    moved = [p for p in papers if p.section in ("empirical-study", "neural-collapse")]
    assert len(moved) == 3 and len({p.key for p in moved}) == 3
    assert not list(root.rglob(f"{TMP_PREFIX}*")), "temporary files left behind"
    for report in reports[:2]:
        loads, seen = map(int, report)
        assert loads >= 2 and seen == len(wanted)
    assert int(reports[2][0]) >= 3


# --- a file deleted between listing and reading, made deterministic -----------------------


def delete_before_reading(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """The first read of ``victim`` finds it just deleted by another process."""
    real = catalog.read_paper

    def reading(path: Path) -> object:
        if Path(path) == victim and victim.exists():
            victim.unlink()
        return real(path)

    monkeypatch.setattr(catalog, "read_paper", reading)


@pytest.mark.parametrize("use_cache", [True, False])
def test_load_survives_a_file_deleted_mid_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               use_cache: bool) -> None:
    root = make_catalog(tmp_path / "catalog")
    victim = root / "others" / "1803.03635.toml"
    delete_before_reading(monkeypatch, victim)
    papers = load_papers(root, use_cache=use_cache)
    assert len(papers) == 4 and all(p.path != victim for p in papers)


def test_search_survives_a_file_deleted_mid_read(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen.search import search_catalog

    root = make_catalog(tmp_path / "catalog")
    delete_before_reading(monkeypatch, root / "others" / "1803.03635.toml")
    hits = search_catalog(root, "grokking")
    assert hits and hits[0].paper.arxiv == "2201.02177"


# `import --force` replaces the catalog folder under the lock. A writer waiting for the lock
# failed ("cannot lock: No such file or directory": its lock's folder went with the old
# catalog), a dismissal written while the import waited was lost (the import had read the
# old folder's files before it took the lock), and a stopped import left temporary folders.

HOLDER = textwrap.dedent('''
    import sys
    from pathlib import Path
    from deepphen.fsutil import LOCK_WAIT, catalog_lock

    root, then = Path(sys.argv[1]), sys.argv[2]
    LOCK_WAIT.set(lambda path, timeout: print("waiting", flush=True))
    with catalog_lock(root, timeout=60):
        print("locked", flush=True)
        if then == "dismiss":  # as triage's d writes it, under the lock
            sys.stdin.readline()
            (root / "dismissed.toml").write_text('[[dismissed]]\\narxiv = "2505.00001"\\n')
        print((root / "catalog.toml").read_text().splitlines()[0], flush=True)
''')


def _holder(root: Path, then: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(root), then], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(SRC)})


def _new_catalog(title: str) -> tuple[object, list]:
    from deepphen.models import Paper
    from tests.helpers import sample_settings

    settings = sample_settings()
    settings.title = title
    return settings, [Paper(title="A New Paper", year=2024, section="others", authors=["A B"])]


def test_a_writer_waiting_while_import_force_swaps_the_folder_gets_the_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_catalog(tmp_path / "catalog")
    settings, papers = _new_catalog("The New List")
    real_fill = catalog_write._fill
    waiter: list[subprocess.Popen[str]] = []

    def fill_once_a_writer_waits(*args: object, **kwargs: object) -> None:
        # The import holds the lock here: a writer starts and waits for it.
        waiter.append(_holder(root, "read"))
        assert waiter[0].stdout.readline() == "waiting\n"  # type: ignore[union-attr]
        real_fill(*args, **kwargs)

    monkeypatch.setattr(catalog_write, "_fill", fill_once_a_writer_waits)
    catalog_write.write_catalog(root, settings, papers, force=True)  # type: ignore[arg-type]
    out, _ = waiter[0].communicate(timeout=60)
    assert waiter[0].returncode == 0, out
    assert out.splitlines() == ["locked", 'title = "The New List"']
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_a_dismissal_written_while_import_force_waits_is_carried_over(tmp_path: Path) -> None:
    import threading

    root = make_catalog(tmp_path / "catalog")
    holder = _holder(root, "dismiss")
    assert holder.stdout.readline() == "locked\n"  # type: ignore[union-attr]
    settings, papers = _new_catalog("The New List")
    waiting = threading.Event()
    failure: list[BaseException] = []

    def run_import() -> None:
        from deepphen.fsutil import LOCK_WAIT

        LOCK_WAIT.set(lambda path, timeout: waiting.set())
        try:
            catalog_write.write_catalog(root, settings, papers, force=True)  # type: ignore[arg-type]
        except BaseException as exc:  # reported below
            failure.append(exc)

    importer = threading.Thread(target=run_import)
    importer.start()
    assert waiting.wait(60)
    holder.communicate("go\n", timeout=60)  # the dismissal is written, the lock released
    importer.join(60)
    assert not failure and not importer.is_alive()
    assert "2505.00001" in (root / "dismissed.toml").read_text(encoding="utf-8")
    assert (root / "catalog.toml").read_text(encoding="utf-8").startswith('title = "The New')


def test_import_force_stopped_before_the_lock_leaves_no_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen import fsutil

    root = make_catalog(tmp_path / "catalog")

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "catalog_lock", interrupted)
    settings, papers = _new_catalog("The New List")
    with pytest.raises(KeyboardInterrupt):
        catalog_write.write_catalog(root, settings, papers, force=True)  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]


def test_import_force_through_a_link_replaces_the_catalog_it_leads_to(tmp_path: Path) -> None:
    real = make_catalog(tmp_path / "repo" / "catalog")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    settings, papers = _new_catalog("The New List")
    catalog_write.write_catalog(link, settings, papers, force=True)  # type: ignore[arg-type]
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "catalog.toml").read_text(encoding="utf-8").startswith('title = "The New')
    assert not [p for p in (tmp_path / "repo").iterdir() if p.name.startswith(TMP_PREFIX)]


def _catalog_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.toml")}


@pytest.mark.parametrize("fault", ["cache-recreated", "second-rename-fails", "both-fail"])
def test_import_force_never_loses_the_old_catalog_in_the_swap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """Between the two renames of the swap the catalog folder is missing: a waiting writer's
    lock library may make ``catalog/.deepphen-cache`` there, and the new folder's rename then
    failed; the put-back failed alike, and the clean-up removed the old catalog with the rest."""
    import errno

    from deepphen.errors import DeepphenError

    root = make_catalog(tmp_path / "catalog")
    before = _catalog_files(root)
    settings, papers = _new_catalog("The New List")
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src: object, dst: object) -> None:
        if str(root) not in (str(src), str(dst)):  # not the swap (an atomic write)
            return real_replace(src, dst)
        calls.append((str(src), str(dst)))  # 1 aside, 2 into place, 3 back
        if len(calls) in {"second-rename-fails": {2}, "both-fail": {2, 3}}.get(fault, set()):
            raise OSError(errno.EIO, "I/O error", str(src))
        real_replace(src, dst)
        if len(calls) == 1 and fault == "cache-recreated":  # as a waiter's lock library does
            (root / ".deepphen-cache").mkdir(parents=True)
        return None

    monkeypatch.setattr(os, "replace", replace)
    if fault == "cache-recreated":
        catalog_write.write_catalog(root, settings, papers, force=True)  # type: ignore[arg-type]
        assert (root / "catalog.toml").read_text(encoding="utf-8").startswith('title = "The')
        assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]
        return
    with pytest.raises(DeepphenError) as caught:
        catalog_write.write_catalog(root, settings, papers, force=True)  # type: ignore[arg-type]
    if fault == "second-rename-fails":
        assert _catalog_files(root) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]
    else:
        kept = Path(calls[0][1])  # where the old catalog was moved: said, and still whole
        assert str(kept) in str(caught.value) and _catalog_files(kept) == before


def test_a_waiting_writer_makes_nothing_while_the_catalog_is_swapped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock's folder gone (import --force between its two renames): the writer waits
    for the catalog to be back, making no folder where the new one must go (it recreated
    ``.deepphen-cache`` there, or failed on it: "cannot write: No such file or directory")."""
    import threading
    import time

    import filelock

    from deepphen.fsutil import catalog_lock

    root = make_catalog(tmp_path / "catalog")
    aside = tmp_path / "aside"
    real_acquire = filelock.FileLock.acquire
    attempts: list[int] = []
    missing_while_waiting: list[bool] = []

    def acquire(self: object, timeout: float | None = None, **kwargs: object) -> object:
        attempts.append(1)
        if len(attempts) == 1:
            raise filelock.Timeout(str(root))  # another writer holds it: wait
        if len(attempts) == 2:
            os.rename(root, aside)  # the swap's first rename, mid-wait
            raise FileNotFoundError(2, "No such file or directory")
        return real_acquire(self, timeout=timeout, **kwargs)  # type: ignore[arg-type]

    real_sleep, test_thread = time.sleep, threading.current_thread()

    def sleep(seconds: float) -> None:
        if threading.current_thread() is not test_thread or not aside.exists():
            return real_sleep(seconds)  # another thread's (the test runner's) own sleep
        missing_while_waiting.append(not root.exists())
        os.rename(aside, root)  # the swap's second rename
        return None

    monkeypatch.setattr(filelock.FileLock, "acquire", acquire)
    monkeypatch.setattr(time, "sleep", sleep)
    with catalog_lock(root, timeout=30):
        assert (root / "catalog.toml").is_file()
    assert missing_while_waiting == [True] and len(attempts) == 3

"""Measure the HTML page: its size, its first render and key strokes in headless Chromium, and
the export's own time. Budgets (docs/benchmarks.md):

- the shipped catalog's page: <= 400 KB, first render <= 300 ms;
- a generated 10,000-paper catalog (with digests): page <= 2 x the same catalog's markdown
  page; key stroke to updated list <= 50 ms; ``deepphen export --format html`` <= 2 s.

First render is the navigation's ``loadEventEnd`` (HTML parsed, styled, the script run and the
list laid out; the page loads nothing else), with first contentful paint shown beside it. A
key stroke is timed inside the page: from setting the search box's value and dispatching the
``input`` event (the page has no debounce) to the list's layout being brought up to date
(``document.body.offsetHeight`` forces it), for each prefix of a typed query. A long
filtered view shows its first papers in that time and the rest in later animation frames
(``aria-busy`` on ``#results`` until done); the time until the whole list is shown is
reported too, on the big page, typing one key after the last list is complete. The search
index is built while the page is idle after loading; the first key stroke is reported too.
On the big page the same key strokes are timed again from three views (the full list; list
order with every paper filtered in; sorted newest first), each query typed once the whole list
is shown, with pressing a key word's button and (sorted) switching the sort: a sorted view is
one list of every paper, which once cost seconds.

``--paired SRC`` instead compares two checkouts on the big page in one run: the page exported
by the ``src`` folder SRC (another checkout's, e.g. from ``git archive``) and by this one, each
in its own browser, every prefix of the queries typed in one then the other, so that both see
the same machine load.

Usage:
    .venv/bin/python bench/bench_html.py [--papers 10000] [--runs 5] [--keep DIR] [--views]
    .venv/bin/python bench/bench_html.py --paired /tmp/before/src [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generate  # bench/generate.py: this script's folder is on sys.path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
from tests import browser as chromium  # noqa: E402  (the tests' Chromium set-up)

SHIPPED = BENCH.parent / "catalog"
DEEPPHEN = str(Path(sys.executable).with_name("deepphen"))
QUERIES = ("grokking", "lotery tiket", "neural colapse")
KEYSTROKE = """
const box = document.querySelector('input[type=search]');
const t0 = performance.now();
box.value = arguments[0];
box.dispatchEvent(new Event('input', {bubbles: true}));
document.body.offsetHeight;
return [performance.now() - t0, document.getElementById('count').textContent];
"""
# The same key stroke, then waiting until the page has shown every matching paper: a long
# filtered view shows its first papers at once and the rest in later frames, with
# aria-busy="true" on #results until it is done. Returns [to first papers, to all, count].
SETTLE = """
const done = arguments[arguments.length - 1];
const box = document.querySelector('input[type=search]');
const results = document.getElementById('results');
const t0 = performance.now();
box.value = arguments[0];
box.dispatchEvent(new Event('input', {bubbles: true}));
document.body.offsetHeight;
const first = performance.now() - t0;
const check = () => {
  if (results.hasAttribute('aria-busy')) { requestAnimationFrame(check); return; }
  document.body.offsetHeight;
  done([first, performance.now() - t0]);
};
check();
"""
WAIT = """
const done = arguments[arguments.length - 1];
const results = document.getElementById('results');
const check = () => {
  if (results.hasAttribute('aria-busy')) requestAnimationFrame(check); else done(true);
};
check();
"""
CHANGE = """
const el = document.getElementById(arguments[0]);
const t0 = performance.now();
el.value = arguments[1];
el.dispatchEvent(new Event('change', {bubbles: true}));
document.body.offsetHeight;
return performance.now() - t0;
"""
# Press a displayed key word's button (the pressed one when there is one: releasing it).
KEYWORD = """
const shown = document.getElementById('sections').classList.contains('off') ? '#results'
  : '#sections';
const button = document.querySelector(shown + ' .k button[aria-pressed="true"]')
  || document.querySelector(shown + ' .k button');
const t0 = performance.now();
button.click();
document.body.offsetHeight;
return performance.now() - t0;
"""
LOAD = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return [nav.loadEventEnd, paint ? paint.startTime : null,
        performance.getEntriesByType('resource').length];
"""


def export(catalog: Path, fmt: str, out: Path, src: Path | None = None) -> float:
    """Seconds for one ``deepphen export`` process (of the package in ``src`` when given)."""
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    start = time.perf_counter()
    subprocess.run([DEEPPHEN, "export", "--format", fmt, "--catalog", str(catalog), "-o",
                    str(out)], check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def first_render(b: chromium.Browser, page: Path, runs: int) -> tuple[list[float], list[float]]:
    loads, paints = [], []
    for _ in range(runs):
        b.open(page)
        load, paint, fetched = b.js(LOAD)
        assert fetched == 0, "the page fetched something"
        loads.append(load)
        paints.append(paint or 0.0)
    return loads, paints


def keystrokes(b: chromium.Browser, page: Path,
               runs: int) -> tuple[float, list[tuple[float, str]], str]:
    """(first key stroke after load, every later key stroke with its text, a count shown)."""
    b.open(page)
    time.sleep(1.0)  # let the idle callback build the index, as a reader's pause would
    first, _ = b.js(KEYSTROKE, "g")
    b.js(KEYSTROKE, "")
    times, shown = [], ""
    for _ in range(runs):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                ms, text = b.js(KEYSTROKE, query[:end])
                times.append((ms, query[:end]))
                shown = f"{query!r}: {text}"
            b.js(KEYSTROKE, "")
    return first, times, shown


def whole_lists(b: chromium.Browser, page: Path) -> list[tuple[float, str]]:
    """Each typed prefix's time until every matching paper is shown (one pass; each key
    stroke waits for the last one's list to be complete)."""
    b.open(page)
    time.sleep(1.0)
    b.driver.set_script_timeout(60)
    times = []
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            _, whole = b.driver.execute_async_script(SETTLE, query[:end])
            times.append((whole, query[:end]))
        b.driver.execute_async_script(SETTLE, "")
    return times


# The views a query starts from: the full list; list order with a filter every paper passes
# (the earliest year), so every paper is in #results; sorted, also every paper in #results.
VIEWS = {"list order, unfiltered": (None, ""), "list order, every paper filtered in":
         ("since", "first year"), "newest first": ("sort", "newest")}


def views(b: chromium.Browser, page: Path, runs: int,
          view: str) -> tuple[list[tuple[float, str]], list[float], list[float]]:
    """From one of VIEWS with the whole list shown: every typed prefix's key stroke (each
    query started once the last list is complete), pressing and releasing a key word, and,
    sorted, switching to the other orders and back."""
    b.open(page)
    time.sleep(1.0)
    b.driver.set_script_timeout(60)
    field, value = VIEWS[view]
    if field:
        if value == "first year":
            value = b.js("return document.getElementById('since').min")
        b.js(CHANGE, field, value)
        b.driver.execute_async_script(WAIT)
    sort = value if field == "sort" else ""
    times, words, switches = [], [], []
    for _ in range(runs):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                took, _ = b.js(KEYSTROKE, query[:end])
                times.append((took, query[:end]))
            b.js(KEYSTROKE, "")
            b.driver.execute_async_script(WAIT)
        for _ in range(2):
            words.append(b.js(KEYWORD))
            b.driver.execute_async_script(WAIT)
        for other in ([o for o in ("newest", "oldest", "") if o != sort] + [sort]) if sort else []:
            switches.append(b.js(CHANGE, "sort", other))
            b.driver.execute_async_script(WAIT)
    return times, words, switches


def paired(pages: list[Path], runs: int) -> list[list[tuple[float, str]]]:
    """Each page in its own browser; every prefix typed in one, then the others, ``runs``
    times: the key strokes of each page, under the same load."""
    browsers = [chromium.Browser(1200, 900) for _ in pages]
    try:
        for b, page in zip(browsers, pages, strict=True):
            b.open(page)
        time.sleep(1.0)  # the idle callbacks build the indexes
        times: list[list[tuple[float, str]]] = [[] for _ in pages]
        for _ in range(runs):
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    counts = set()
                    for b, out in zip(browsers, times, strict=True):
                        took, text = b.js(KEYSTROKE, query[:end])
                        out.append((took, query[:end]))
                        counts.add(text)
                    assert len(counts) == 1, f"the pages differ on {query[:end]!r}: {counts}"
                for b in browsers:
                    b.js(KEYSTROKE, "")
        return times
    finally:
        for b in browsers:
            b.quit()


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} ms, max {max(values):.0f} ms"


def strokes(times: list[tuple[float, str]]) -> str:
    values = sorted(t for t, _ in times)
    worst = max(times)
    return (f"median {statistics.median(values):.0f} ms, 90th percentile "
            f"{values[int(0.9 * (len(values) - 1))]:.0f} ms, max {worst[0]:.0f} ms "
            f"(typing {worst[1]!r}) over {len(values)}")


def paired_exports(catalog: Path, work: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds of ``export --format md`` and ``--format html`` run alternately, so that both
    see the same machine load; the ratio of the two is the stable figure."""
    md, html = [], []
    for _ in range(runs):
        md.append(export(catalog, "md", work / "pair.md"))
        html.append(export(catalog, "html", work / "pair.html"))
    return md, html


def report_views(b: chromium.Browser, page: Path, papers: int, runs: int) -> None:
    """One line per view of VIEWS: key strokes, key word, sort switches."""
    for view in VIEWS:
        times, words, switches = views(b, page, runs, view)
        firsts = [took for took, typed in times if len(typed) == 1]
        print(f"{papers} papers, {view}, whole list shown: key stroke {strokes(times)}, a "
              f"query's first {ms(firsts)}; key word {ms(words)}"
              + (f"; switching the sort {ms(switches)}" if switches else ""), flush=True)


def everything(b: chromium.Browser, work: Path, args: argparse.Namespace) -> None:
    """The shipped page, then the big page: every measure in the module's docstring."""
    shipped = work / "shipped.html"
    export(SHIPPED, "html", shipped)
    size = shipped.stat().st_size
    print(f"shipped catalog: page {size / 1000:.0f} KB (budget 400 KB)")
    loads, paints = first_render(b, shipped, args.runs)
    print(f"shipped catalog: first render (loadEventEnd) {ms(loads)}; "
          f"first contentful paint {ms(paints)} (budget 300 ms)")
    first, times, shown = keystrokes(b, shipped, args.runs)
    print(f"shipped catalog: key stroke {strokes(times)}; first {first:.0f} ms")

    with generate.generated_catalog(args.papers, args.keep) as catalog:
        big, md = work / "big.html", work / "big.md"
        export(catalog, "html", big)  # warms the catalog cache
        md_s, html_s = paired_exports(catalog, work, args.runs)
        export(catalog, "md", md)
        ratio = big.stat().st_size / md.stat().st_size
        print(f"{args.papers} papers: html {big.stat().st_size / 1e6:.2f} MB, markdown "
              f"{md.stat().st_size / 1e6:.2f} MB, ratio {ratio:.2f} (budget 2)")
        ratios = [h / m for h, m in zip(html_s, md_s, strict=True)]
        print(f"{args.papers} papers: export --format html median "
              f"{statistics.median(html_s):.2f} s, --format md {statistics.median(md_s):.2f}"
              f" s in pairs; html/md {statistics.median(ratios):.2f} (budget 2 s)")
        loads, paints = first_render(b, big, max(2, args.runs // 2))
        print(f"{args.papers} papers: first render {ms(loads)}; first paint {ms(paints)}")
        first, times, shown = keystrokes(b, big, args.runs)
        print(f"{args.papers} papers: key stroke {strokes(times)}; first {first:.0f} ms "
              f"(budget 50 ms); last {shown}")
        print(f"{args.papers} papers: key stroke to the whole list shown "
              f"{strokes(whole_lists(b, big))}")
        report_views(b, big, args.papers, args.runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    generate.add_size_arguments(parser)
    parser.add_argument("--views", action="store_true",
                        help="only the big page's three views (to compare two checkouts)")
    parser.add_argument("--paired", type=Path, metavar="SRC",
                        help="the big page of the package in SRC against this checkout's, "
                             "typed in turn")
    args = parser.parse_args(argv)
    if args.paired and not (args.paired / "deepphen").is_dir():
        parser.error(f"--paired {args.paired}: no deepphen package there (give a src folder)")
    reason = chromium.missing()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="deepphen-bench-html-"))
    if args.paired:
        with generate.generated_catalog(args.papers, args.keep) as catalog:
            pages = [work / "paired-before.html", work / "paired-after.html"]
            export(catalog, "html", pages[0], args.paired.resolve())
            export(catalog, "html", pages[1], BENCH.parent / "src")
            before, after = paired(pages, args.runs)
        print(f"{args.papers} papers, paired: key stroke, {args.paired}: {strokes(before)}")
        print(f"{args.papers} papers, paired: key stroke, this checkout: {strokes(after)}")
        print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs")
        return 0
    b = chromium.Browser(1200, 900)
    try:
        if args.views:
            with generate.generated_catalog(args.papers, args.keep) as catalog:
                export(catalog, "html", work / "big.html")
                report_views(b, work / "big.html", args.papers, args.runs)
        else:
            everything(b, work, args)
    finally:
        b.quit()
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

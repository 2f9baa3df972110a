"""Measure how the HTML page ranks a query against ``deepphen search``: the top five papers
the page shows for each written query (bench/search_queries.toml), in headless Chromium (the
browser tests' set-up, tests/browser.py), beside the CLI's top five for the same query.

Per kind of query and overall: how many queries the two put the same paper first, show the
same five papers in the same order, and the same five in any order, and the mean share of
the CLI's top five the page has in its own. Queries refused as having nothing to look for
(the page then shows the whole list) are left out.

Usage:
    .venv/bin/python bench/eval_page_search.py [CATALOG] [--written FILE] [--show-misses N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
from tests import browser as chromium  # noqa: E402  (the tests' Chromium set-up)

from deepphen.catalog import Catalog  # noqa: E402
from deepphen.errors import DeepphenError  # noqa: E402
from deepphen.export import html as html_export  # noqa: E402
from deepphen.search import search  # noqa: E402

TOP = 5
# Set the box at once (an abstract typed key by key would search at each key), wait until
# the view is complete (no aria-busy on #results), and return the displayed papers' keys.
QUERY = """
const done = arguments[arguments.length - 1];
const box = document.getElementById('q');
box.value = arguments[0];
box.dispatchEvent(new Event('input', {bubbles: true}));
const results = document.getElementById('results');
const check = () => {
  if (results.hasAttribute('aria-busy')) { requestAnimationFrame(check); return; }
  done(Array.from(document.querySelectorAll('.paper'))
    .filter(e => e.getClientRects().length > 0).map(e => e.dataset.key).slice(0, arguments[1]));
};
check();
"""


def page_top(b: chromium.Browser, queries: list[str]) -> list[list[str]]:
    """The first ``TOP`` papers the page shows for each query, in its order."""
    return [b.driver.execute_async_script(QUERY, q, TOP) for q in queries]


def compare(cli: list[str], page: list[str]) -> tuple[float, float, float, float]:
    """(same first, same five in order, same five, share of the CLI's five in the page's)."""
    share = len(set(cli) & set(page)) / len(cli) if cli else float(not page)
    return float(cli[:1] == page[:1]), float(cli == page), float(set(cli) == set(page)), share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path, nargs="?", default=BENCH.parent / "catalog")
    parser.add_argument("--written", type=Path, default=BENCH / "search_queries.toml")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args(argv)
    why = chromium.missing()
    if why:
        print(why, file=sys.stderr)
        return 2
    catalog = Catalog.load(args.catalog)
    table = tomllib.loads(args.written.read_text("utf-8"))["query"]
    cases = []
    for q in table:
        try:
            cli = [h.paper.key for h in search(catalog.papers, q["text"], limit=TOP)]
        except DeepphenError:  # nothing to look for: refused, and the page shows every paper
            continue
        cases.append((q["kind"], q["text"], cli))
    with tempfile.TemporaryDirectory(prefix="deepphen-rank-") as tmp:
        page = Path(tmp) / "index.html"
        page.write_text(html_export.render(catalog.papers, catalog.settings), encoding="utf-8")
        b = chromium.Browser()
        try:
            b.open(page)
            shown = page_top(b, [text for _, text, _ in cases])
        finally:
            b.quit()
    per_kind: dict[str, list[tuple[float, ...]]] = {}
    misses = 0
    for (kind, text, cli), page_keys in zip(cases, shown, strict=True):
        value = compare(cli, page_keys)
        per_kind.setdefault(kind, []).append(value)
        if value[1] < 1 and misses < args.show_misses:
            misses += 1
            print(f"  differs {kind}: {text[:60]!r}: search {cli}, page {page_keys}",
                  file=sys.stderr)
    per_kind["all"] = [v for values in per_kind.values() for v in values]
    print(f"| kind | queries | same first | same top {TOP}, in order | same top {TOP} "
          f"| overlap@{TOP} |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, values in per_kind.items():
        means = (sum(v[j] for v in values) / len(values) for j in range(4))
        print(f"| {kind} | {len(values)} | " + " | ".join(f"{m:.3f}" for m in means) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

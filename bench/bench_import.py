"""Import on pathological pages: growth must be near-linear, not quadratic.

Pages found quadratic (one authors line of a million '*' took 62 s; 32,000 entries in one
year subsection took 33 s; then a title of 50,000 '[' 33 s, 20,000 sections 17 s, a link
line padded with 100,000 spaces 7 s, and many papers of one title or many entries dated by
their neighbours grew as the square): each is generated at a size N and at 4N and parsed
in paired, alternating runs (N, then 4N, in the same process and machine load). Reported per
page: the median seconds at each size and the median of the per-pair ratios t(4N)/t(N);
linear work gives about 4, quadratic about 16.

Usage:
    python bench/bench_import.py         # stars 250,000 / 1,000,000; entries 8,000 / 32,000
    python bench/bench_import.py --runs 5 --scale 0.25
    python bench/bench_import.py --only title    # the pages of one huge title
"""

from __future__ import annotations

import argparse
import statistics
import time

from deepphen.importer import parse_list

HEAD = "# L\n\n# Table of Contents\n\n## S\n\n### S: 2020\n"


def stars_page(n: int) -> str:
    """One entry whose authors line is ``n`` asterisks."""
    return (f"{HEAD}\n- T. [[paper]](https://arxiv.org/abs/2001.00001)\n  - {'*' * n}\n"
            "  - Key Word: K.\n")


def entries_page(n: int) -> str:
    """``n`` entries in one year subsection, their ids out of page order (every one placed),
    a tenth of them repeating an earlier id (left out as duplicates, with their problems)."""
    out = [HEAD]
    for i in range(n):
        num = (i * 7919) % 99999 + 1 if i % 10 else (((i - 1) * 7919) % 99999 + 1 if i else 1)
        out.append(f"- Title {i} [[paper]](https://arxiv.org/abs/2001.{num:05d})\n"
                   "  - A B.\n  - Key Word: K.\n")
    return "\n".join(out)


def brackets_page(n: int) -> str:
    """One entry whose title is ``n`` '[' (each once a start of a misbracketed link)."""
    return f"{HEAD}\n- {'[' * n}T. [[paper]](https://arxiv.org/abs/2001.00001)\n  - A.\n"


def spaces_page(n: int) -> str:
    """One entry whose title line ends in ``n`` spaces inside its link."""
    return (f"{HEAD}\n- T. [[paper]]( https://arxiv.org/abs/2001.00001 {' ' * n}x)\n"
            "  - A.\n  - Key Word: K.\n")


def sections_page(n: int) -> str:
    """``n`` sections, each with a year group and no entry."""
    return "# L\n\n" + "".join(f"## S{i}\n\n### S{i}: 2020\n\n" for i in range(n))


def same_titles_page(n: int) -> str:
    """``n`` entries of one title without arXiv ids: keys same-title, same-title-2, ..."""
    return HEAD + "".join(f"\n- Same Title. [[paper]](https://example.org/{i})\n  - A.\n"
                          "  - Key Word: K.\n" for i in range(n))


def undated_page(n: int) -> str:
    """``n`` entries without a year group, id or venue year: dated by their neighbours."""
    return "# L\n\n## S\n" + "".join(f"\n- T{i}. [[paper]](https://example.org/{i})\n"
                                     "  - A.\n  - Key Word: K.\n" for i in range(n))


def heading_page(n: int) -> str:
    """A section heading of ``n`` unclosed '_' openers ("_a _a ..."), each once a search for
    its closing marker to the end of the line."""
    return (f"# L\n\n## Table of Contents\n\n- [S](#s)\n\n## {'_a ' * n}\n\n"
            "### S: 2020\n\n- T. [[paper]](https://arxiv.org/abs/2001.00001)\n  - A.\n")


def digest_page(n: int) -> str:
    """One entry whose digest line is padded with ``n`` spaces before its closing tag (each
    blank once the start of a search reading the rest of the run)."""
    return (f"{HEAD}\n- T. [[paper]](https://arxiv.org/abs/2001.00001)\n  - A.\n"
            f"  - Key Word: K.\n  - <details><summary>Digest</summary> x{' ' * n}y</details>\n")


def title_page(unit: str):
    """A page maker: one entry whose title is ``unit`` repeated to ``n`` characters, then a
    double space (formatting only, so the entry is kept as written and its lines compared
    token by token)."""
    def make(n: int) -> str:
        return (f"{HEAD}\n- {unit * (n // len(unit))}T.  [[paper]](https://arxiv.org/abs/"
                "2001.00001)\n  - A.\n  - Key Word: K.\n")
    return make


def timed(text: str) -> float:
    start = time.perf_counter()
    parse_list(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    parser.add_argument("--only", default="", help="the pages whose name holds this text")
    args = parser.parse_args()
    cases = [("authors line of N '*'", stars_page, int(250_000 * args.scale)),
             ("N entries in one year", entries_page, int(8_000 * args.scale)),
             ("title of N '['", brackets_page, int(25_000 * args.scale)),
             ("N spaces in a link line", spaces_page, int(100_000 * args.scale)),
             ("N sections", sections_page, int(5_000 * args.scale)),
             ("N papers of one title", same_titles_page, int(4_000 * args.scale)),
             ("N entries dated by neighbours", undated_page, int(4_000 * args.scale)),
             ("heading of N '_a '", heading_page, int(4_000 * args.scale)),
             ("digest padded with N spaces", digest_page, int(20_000 * args.scale)),
             ("title of N characters of words", title_page("Word "), int(250_000 * args.scale)),
             ("title of N '`'", title_page("`"), int(250_000 * args.scale)),
             ("title of N characters of '*a '", title_page("*a "), int(250_000 * args.scale)),
             ("title of N characters of '\\\\['", title_page("\\\\["),
              int(250_000 * args.scale))]
    cases = [case for case in cases if args.only in case[0]]
    print("| page | N | t(N) s | 4N | t(4N) s | t(4N)/t(N) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make, n in cases:
        small, large = make(n), make(4 * n)
        pairs = [(timed(small), timed(large)) for _ in range(args.runs)]
        t_small = statistics.median(a for a, _ in pairs)
        t_large = statistics.median(b for _, b in pairs)
        ratio = statistics.median(b / a for a, b in pairs)
        print(f"| {name} | {n:,} | {t_small:.2f} | {4 * n:,} | {t_large:.2f} | {ratio:.1f} |")


if __name__ == "__main__":
    main()

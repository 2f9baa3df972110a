"""What a reader keeps of one export is the same in every export of the catalog.

A BibTeX key goes into a ``\\cite{}``, a section anchor into a link: a filtered export (a
section, a year, a query) must give a paper or a section the key or anchor the whole export
gives it, and a paper added later must leave the keys of the papers already there alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from deepphen.export import bibtex as bib
from deepphen.export import html
from deepphen.models import Paper, Section
from tests.helpers import make_catalog, sample_settings

_KEY_RE = re.compile(r"^@\w+\{([^,]+),", re.MULTILINE)


def namesakes() -> list[Paper]:
    """Three papers of one base key (smith2020deep), in three sections, listed newest first."""
    return [
        Paper(title="Deep Nets, Third", year=2020, section="others", authors=["Ann Smith"],
              arxiv="2003.00001", keywords=["Depth"]),
        Paper(title="Deep Nets Again", year=2020, section="neural-collapse",
              authors=["Ann Smith"], arxiv="2002.00001", keywords=["Depth"]),
        Paper(title="Deep Nets", year=2020, section="empirical-study", authors=["Ann Smith"],
              arxiv="2001.00001", keywords=["Depth"]),
    ]


def _keys(text: str) -> list[str]:
    return _KEY_RE.findall(text)


def _by_title(text: str) -> dict[str, str]:
    entries = text.split("\n\n")
    return {re.search(r"title = \{(.*)\},", e).group(1): _KEY_RE.search(e).group(1)
            for e in entries if e.strip()}


def test_a_filtered_bibtex_export_keeps_each_papers_key(tmp_path: Path, run_cli) -> None:
    root = make_catalog(tmp_path / "catalog", namesakes())
    whole = _by_title(run_cli("export", "-f", "bibtex", "--catalog", root).stdout)
    assert whole == {"Deep Nets, Third": "smith2020deepc", "Deep Nets Again": "smith2020deepb",
                     "Deep Nets": "smith2020deep"}
    for args in (["--section", "neural-collapse"], ["--section", "others"], ["Again"],
                 ["--keyword", "Depth", "Third"]):
        part = _by_title(run_cli("export", "-f", "bibtex", "--catalog", root, *args).stdout)
        assert part, args
        assert part == {title: whole[title] for title in part}, args


def test_a_newer_namesake_leaves_the_older_keys_alone() -> None:
    old, *_ = reversed(namesakes())
    before = bib.citation_keys([old])
    newer = namesakes()
    after = bib.citation_keys(newer)
    assert before[id(old)] == "smith2020deep" == after[id(newer[-1])]  # not "...deepa"
    assert sorted(after.values()) == ["smith2020deep", "smith2020deepb", "smith2020deepc"]


def test_keys_follow_the_papers_dates_not_the_list_or_sort_as() -> None:
    papers = namesakes()
    expected = {p.arxiv: k for p, k in zip(papers, ["smith2020deepc", "smith2020deepb",
                                                     "smith2020deep"], strict=True)}
    for order in (papers, papers[::-1], [papers[1], papers[2], papers[0]]):
        keys = bib.citation_keys(order)
        assert {p.arxiv: keys[id(p)] for p in order} == expected
    # sort_as places a paper on the page; a curator moving it must not move its key.
    papers[2].sort_as = "2012.99999"
    keys = bib.citation_keys(papers)
    assert {p.arxiv: keys[id(p)] for p in papers} == expected


def test_a_paper_without_a_date_comes_after_the_dated_ones() -> None:
    dated = Paper(title="Deep A", year=2020, section="others", authors=["Ann Smith"],
                  published=dt.date(2020, 5, 1))
    undated = Paper(title="Deep B", year=2020, section="others", authors=["Ann Smith"])
    keys = bib.citation_keys([undated, dated])
    assert (keys[id(dated)], keys[id(undated)]) == ("smith2020deep", "smith2020deepb")


def test_keys_of_a_part_are_those_of_the_whole_in_memory() -> None:
    papers = namesakes()
    whole = bib.citation_keys(papers)
    part = bib.citation_keys([papers[0]], catalog=papers)
    assert part == {id(papers[0]): whole[id(papers[0])]}
    # Read twice (a search and a load), a file is one paper: matched by its path.
    copies = [dataclasses.replace(p, path=Path(f"/c/{i}.toml")) for i, p in enumerate(papers)]
    again = [dataclasses.replace(p) for p in copies]
    assert bib.citation_keys([again[0]], catalog=copies)[id(again[0])] == "smith2020deepc"


def _section_ids(page: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="sec" id="([^"]+)" data-s="\d+"><h2[^>]*>([^<]*)',
                           page))


def test_a_filtered_html_page_keeps_each_sections_anchor(tmp_path: Path, run_cli) -> None:
    # Headings whose anchors are alike once made ASCII ("Réseaux" and "Rseaux": "rseaux").
    settings = sample_settings(sections=[Section("Réseaux", "reseaux"),
                                         Section("Rseaux", "rseaux"), Section("Main", "main")])
    papers = [dataclasses.replace(p, section=s) for p, s in
              zip(namesakes(), ["reseaux", "rseaux", "main"], strict=True)]
    whole = _section_ids(html.render(papers, settings))
    assert sorted(whole) == ["main-2", "rseaux", "rseaux-2"]
    for keep in ("rseaux", "main"):
        part = [p for p in papers if p.section == keep]
        shown = _section_ids(html.render(part, settings, catalog=papers))
        assert shown and shown.items() <= whole.items(), keep
    root = make_catalog(tmp_path / "catalog", papers, settings)
    page = run_cli("export", "-f", "html", "--catalog", root, "--section", "rseaux").stdout
    assert set(_section_ids(page)) == {"rseaux-2"}


def test_an_empty_section_does_not_rename_the_whole_pages_anchors() -> None:
    """The page leaves an empty section out; counting it gave "Rseaux" the anchor
    ``#rseaux-2`` when an empty "Réseaux" came first, breaking links to the whole page."""
    settings = sample_settings(sections=[Section("Réseaux", "reseaux"),
                                         Section("Rseaux", "rseaux")])
    papers = [dataclasses.replace(p, section="rseaux") for p in namesakes()[:1]]
    assert list(_section_ids(html.render(papers, settings, catalog=papers))) == ["rseaux"]


def test_moving_a_paper_to_another_section_keeps_the_keys() -> None:
    """Undated namesakes (no arXiv id, no date) are told apart by their file's name, not its
    path: moving one to another section folder swapped the two keys."""
    undated = [dataclasses.replace(p, arxiv=None, published=None) for p in namesakes()[:2]]
    first = [dataclasses.replace(p, key=k, path=Path(f"/c/{s}/{k}.toml"))
             for p, k, s in zip(undated, ["deep-a", "deep-b"], ["others", "neural-collapse"],
                                strict=True)]
    moved = [dataclasses.replace(first[0], section="empirical-study",
                                 path=Path("/c/empirical-study/deep-a.toml")), first[1]]
    keys = bib.citation_keys(first)
    again = bib.citation_keys(moved)
    assert [keys[id(p)] for p in first] == [again[id(p)] for p in moved]
    assert sorted(keys.values()) == ["smith2020deep", "smith2020deepb"]


def test_only_the_formats_that_need_it_read_the_whole_catalog_for_a_query(
        tmp_path: Path, run_cli, monkeypatch) -> None:
    """A query's export read every paper again for every format, though only BibTeX keys
    and the page's anchors need them, and those can use the read search made: `stats QUERY`
    and `export QUERY -f csv` took twice as long on 10,000 papers."""
    from deepphen import cache

    root = make_catalog(tmp_path / "catalog", namesakes())
    reads: list[str] = []
    real = cache.snapshot
    monkeypatch.setattr(cache, "snapshot", lambda *a, **k: reads.append("read") or real(*a, **k))

    def snapshots(*args: str) -> int:
        reads.clear()
        run_cli(*args, "Again", "--catalog", root)
        return len(reads)

    searched = snapshots("stats")
    assert searched == 1
    # bibtex and html use the whole catalog search read: no second read for them either.
    for fmt in ("csv", "json", "md", "bibtex", "html"):
        assert snapshots("export", "-f", fmt) == searched, fmt

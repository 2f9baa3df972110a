"""The bench scripts work: a generated catalog loads, and search recall on it stays high."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

from deepphen.catalog import Catalog

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_catalog_is_valid_and_deterministic(tmp_path: Path) -> None:
    generate = bench_module("generate")
    settings, papers = generate.generate(120, seed=3)
    generate.write_catalog(tmp_path / "cat", settings, papers)
    loaded = Catalog.load(tmp_path / "cat").papers
    assert len(loaded) == 120
    assert all(p.digest and p.keywords and p.authors and p.arxiv for p in loaded)
    again = generate.generate(120, seed=3)[1]
    assert [p.to_dict() for p in again] == [p.to_dict() for p in papers]


def test_search_recall_on_a_generated_catalog() -> None:
    generate, evaluate = bench_module("generate"), bench_module("eval_search")
    papers = generate.generate(300, seed=5)[1]
    queries = evaluate.make_queries(papers, 40, random.Random(1))
    kinds = {kind for kind, _text, _relevant in queries}
    assert kinds - {"acronym"} == {"keyword", "title-word", "surname", "title-phrase", "id"}
    assert evaluate.evaluate(papers, queries)["all"] >= 0.9


def test_typos_are_single_edits() -> None:
    evaluate = bench_module("eval_search")
    rng = random.Random(0)
    for _ in range(200):
        word = "generalization"
        misspelt = evaluate.typo(word, rng)
        assert misspelt[0] == "g" and misspelt != word and abs(len(misspelt) - len(word)) <= 1


def test_search_recall_on_the_real_list(real_list: Path) -> None:
    """The held-out check in small: generated queries on the real list, with typos."""
    from deepphen.importer import parse_list

    evaluate = bench_module("eval_search")
    papers = parse_list(real_list.read_text(encoding="utf-8"), source="README.md").papers
    queries = evaluate.make_queries(papers, 60, random.Random(11))
    result = evaluate.evaluate(papers, queries)
    assert result["all"] >= 0.95
    assert min(result.values()) >= 0.9
    assert result["acronym"] >= 0.9  # the catalog's acronyms (LTH, ICL) find their papers


def test_written_queries_name_papers_of_the_real_list_and_keep_their_hits(
        real_list: Path) -> None:
    """bench/search_queries.toml: every expected key is a paper of the real list, and the
    hand-written queries keep the hit rates docs/benchmarks.md records."""
    from deepphen.importer import parse_list

    evaluate = bench_module("eval_search")
    papers = parse_list(real_list.read_text(encoding="utf-8"), source="README.md").papers
    queries = evaluate.written_queries(BENCH / "search_queries.toml")
    keys = {p.arxiv or p.key for p in papers}
    assert len(queries) >= 80
    assert all(set(expect) <= keys for _kind, _text, expect in queries if expect is not None)
    result = evaluate.evaluate_written(papers, queries)
    count, at5, at10, _recall = result["all"]
    assert count == len(queries) and at5 >= 0.95 and at10 >= 0.97
    assert result["empty"][1:] == (1.0, 1.0, 1.0)  # refused, not crashed or searched

"""Generate a synthetic catalog of any size in the list's format, with digests.

Titles, authors, key words, venues and digests are drawn from invented word lists with a
fixed seed, so two runs with the same arguments give the same catalog. Optionally also writes
the catalog's markdown page (the list's format), to time ``deepphen import`` and ``grep``.

Usage:
    python bench/generate.py 10000 /tmp/cat10k [--page /tmp/cat10k.md] [--seed 1]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from deepphen.catalog import paper_key, paper_to_toml, settings_to_toml
from deepphen.models import Link, Paper, Section, Settings

SECTIONS = [
    ("Empirical Study", "empirical-study"),
    ("Neural Collapse", "neural-collapse"),
    ("Deep Double Descent", "deep-double-descent"),
    ("Lottery Ticket Hypothesis", "lottery-ticket-hypothesis"),
    ("Emergence and Phase Transitions", "emergence-and-phase-transitions"),
    ("Interactions with Neuroscience", "interactions-with-neuroscience"),
    ("Information Bottleneck", "information-bottleneck"),
    ("Neural Tangent Kernel", "neural-tangent-kernel"),
    ("Others", "others"),
]

# Key words per section (a controlled vocabulary, as in the list), plus shared ones.
SECTION_KEYWORDS = {
    "empirical-study": ["Generalization", "Memorization", "Scaling Laws", "Fine-Tuning",
                        "Representation Learning", "Hallucination", "Data Pruning",
                        "Loss Landscape", "Label Noise", "Distribution Shift"],
    "neural-collapse": ["Neural Collapse", "Minority Collapse", "Simplex Equiangular Tight Frame",
                        "Feature Geometry", "Imbalanced Classification"],
    "deep-double-descent": ["Deep Double Descent", "Benign Overfitting", "Interpolation",
                            "Sample-wise Double Descent", "Epoch-wise Double Descent"],
    "lottery-ticket-hypothesis": ["Lottery Ticket Hypothesis", "Pruning at Initialization",
                                  "Weight Rewinding", "Sparse Training", "Structured Pruning"],
    "emergence-and-phase-transitions": ["Grokking", "Emergent Abilities", "In-Context Learning",
                                        "Phase Transition", "Induction Heads"],
    "interactions-with-neuroscience": ["Brain Alignment", "Neural Recordings", "Visual Cortex",
                                       "Cognitive Model", "Predictive Coding"],
    "information-bottleneck": ["Information Bottleneck", "Mutual Information", "Compression",
                               "Rate-Distortion", "Minimal Sufficient Statistics"],
    "neural-tangent-kernel": ["Neural Tangent Kernel", "Infinite Width", "Lazy Training",
                              "Gaussian Process", "Feature Learning"],
    "others": ["Implicit Regularization", "Mean-Field Theory", "Expressivity", "PAC-Bayes",
               "Edge of Stability", "Sharpness", "Mode Connectivity", "Adversarial Robustness"],
}
SHARED_KEYWORDS = ["Large Language Model", "Transformer", "Stochastic Gradient Descent",
                   "Convolutional Network", "Diffusion Model", "Reinforcement Learning",
                   "Vision Transformer", "Self-Supervised Learning", "Optimization"]

SUBJECTS = ["Deep Networks", "Transformers", "Language Models", "Two-Layer Networks",
            "Residual Networks", "Linear Models", "Graph Neural Networks", "Diffusion Models",
            "Vision Transformers", "Recurrent Networks", "Autoencoders", "Kernel Machines",
            "Mixture of Experts", "Sparse Networks", "Wide Networks", "Deep Linear Networks"]
ADJECTIVES = ["Implicit", "Hidden", "Sharp", "Flat", "Sparse", "Emergent", "Robust", "Spurious",
              "Latent", "Low-Rank", "Stochastic", "Adaptive", "Universal", "Geometric",
              "Spectral", "Curious", "Provable", "Gradual", "Abrupt", "Simple", "Modular"]
NOUNS = ["Bias", "Dynamics", "Features", "Representations", "Minima", "Symmetry", "Collapse",
         "Memorization", "Generalization", "Capacity", "Plasticity", "Circuits", "Curvature",
         "Overfitting", "Transitions", "Scaling", "Priors", "Alignment", "Sharpness", "Noise",
         "Forgetting", "Compression", "Invariance", "Superposition", "Calibration"]
VERBS = ["Explains", "Predicts", "Drives", "Controls", "Shapes", "Limits", "Reveals", "Tames"]
TEMPLATES = [
    "On the {adj} {noun} of {subject}",
    "{adj} {noun} in {subject}",
    "{noun} {verb} {noun2} in {subject}",
    "Understanding {noun} through the Lens of {adj} {noun2}",
    "Why Do {subject} Exhibit {adj} {noun}?",
    "{kw}: A Study of {adj} {noun} in {subject}",
    "Towards a Theory of {kw} in {subject}",
    "When Does {noun} Help {subject}?",
    "{adj} {noun} and {adj2} {noun2}: Evidence from {subject}",
    "The {adj} Road to {kw}",
    "Revisiting {kw} for {subject}",
    "A Tale of {adj} {noun} and {kw}",
]
FIRST = ["Alice", "Bo", "Carlos", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
         "Kavya", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
         "Uma", "Viktor", "Wen", "Xavier", "Yara", "Zoltan", "Amélie", "Björn", "Chloé", "Dmitri",
         "Erin", "Fatima", "Gustavo", "Hana", "Ivan", "Julia", "Kenji", "Laila", "Marta", "Noor"]
LAST = ["Abernathy", "Bianchi", "Castellanos", "Dubois", "Eriksen", "Fujimoto", "Gallagher",
        "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
        "Petrov", "Quintero", "Rasmussen", "Schäfer", "Tanaka", "Umarov", "Varga", "Whitfield",
        "Xu", "Yilmaz", "Zhang", "Achterberg", "Baptiste", "Chandrasekaran", "Delacroix",
        "Einarsson", "Fonseca", "Grünewald", "Hosseini", "Iwasaki", "Jovanović", "Kuznetsov",
        "Lefèvre", "Mendoza", "Nørgaard", "Oyelaran", "Papadopoulos", "Rahimi", "Sørensen",
        "Takahashi", "Valverde", "Wojcik", "Yamamoto", "Zielinski", "Brennan"]
VENUES = ["NeurIPS {y}", "ICLR {y}", "ICML {y}", "COLT {y}", "AISTATS {y}", "JMLR", "TMLR",
          "Nature", "PNAS", "NeurIPS {y} Workshop", "CVPR {y}", "ACL {y}"]
DIGEST_OPENINGS = [
    "We study {noun_l} in {subject_l} trained with {kw_l}.",
    "This paper asks why {subject_l} show {adj_l} {noun_l}.",
    "We revisit {kw_l} and find that {noun_l} matters more than expected.",
    "Recent work links {kw_l} to {noun_l}; we test this link at scale.",
]
DIGEST_MIDDLES = [
    "Across {n} settings, {adj_l} {noun_l} appears early and then fades.",
    "A simple model predicts when {noun_l} sets in and how it depends on width and depth.",
    "Controlled experiments separate the role of data size from that of training time.",
    "We derive bounds showing that {noun2_l} governs the final error.",
    "Our measurements cover {n} architectures and several optimizers.",
    "The effect persists under label noise, augmentation and weight decay.",
]
DIGEST_ENDINGS = [
    "These results suggest a unified view of {kw_l} and {noun2_l}.",
    "We release code and checkpoints to encourage further study.",
    "The findings caution against reading {noun_l} as a sign of overfitting.",
    "This offers a practical diagnostic for {subject_l}.",
]


def make_paper(rng: random.Random, index: int, used_ids: set[str]) -> Paper:
    """One synthetic paper; ``index`` only spreads ids so that they stay unique."""
    slug = rng.choice(SECTIONS)[1]
    year = rng.choices(range(2016, 2026), weights=range(1, 11))[0]
    keywords = rng.sample(SECTION_KEYWORDS[slug], k=min(rng.randint(1, 3),
                                                        len(SECTION_KEYWORDS[slug])))
    keywords += rng.sample(SHARED_KEYWORDS, k=rng.choice((0, 0, 1, 2)))
    words = {
        "adj": rng.choice(ADJECTIVES), "adj2": rng.choice(ADJECTIVES),
        "noun": rng.choice(NOUNS), "noun2": rng.choice(NOUNS), "verb": rng.choice(VERBS),
        "subject": rng.choice(SUBJECTS), "kw": keywords[0], "n": rng.randint(3, 40),
    }
    words.update({f"{k}_l": str(v).lower() for k, v in words.items()})
    title = rng.choice(TEMPLATES).format(**words)
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 7))]
    month = rng.randint(1, 12)
    while True:
        arxiv = f"{year % 100:02d}{month:02d}.{rng.randint(1, 29999) + index % 7:05d}"
        if arxiv not in used_ids:
            used_ids.add(arxiv)
            break
    sentences = [rng.choice(DIGEST_OPENINGS)]
    sentences += rng.sample(DIGEST_MIDDLES, k=rng.randint(2, 4))
    sentences.append(rng.choice(DIGEST_ENDINGS))
    links = [Link("paper", f"https://arxiv.org/abs/{arxiv}")]
    if rng.random() < 0.4:
        links.append(Link("code", f"https://github.com/{words['noun_l']}-lab/{arxiv}"))
    venue = rng.choice(VENUES).format(y=year + 1) if rng.random() < 0.5 else None
    return Paper(
        title=title, year=year, section=slug, authors=authors, venue=venue,
        published=dt.date(year, month, rng.randint(1, 28)), arxiv=arxiv, keywords=keywords,
        links=links, digest=" ".join(sentences).format(**words),
    )


def generate(count: int, seed: int = 1) -> tuple[Settings, list[Paper]]:
    """Settings and ``count`` papers, deterministic for a seed."""
    rng = random.Random(seed)
    used: set[str] = set()
    papers = [make_paper(rng, i, used) for i in range(count)]
    settings = Settings(
        title="Synthetic Deep Phenomena",
        sections=[Section(heading, slug) for heading, slug in SECTIONS],
        intro="A generated list for benchmarks.",
        resources_toc_label="Resources",
    )
    return settings, papers


def write_catalog(root: Path, settings: Settings, papers: list[Paper]) -> None:
    """Write the catalog files (plain writes: atomicity does not matter for a fresh bench dir)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "catalog.toml").write_text(settings_to_toml(settings), encoding="utf-8")
    for section in settings.sections:
        (root / section.slug).mkdir()
    for paper in papers:
        paper.key = paper_key(paper)
        (root / paper.section / f"{paper.key}.toml").write_text(paper_to_toml(paper),
                                                                 encoding="utf-8")


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """The options the bench scripts share: catalog size, repetitions, where to keep it."""
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the catalog here and keep it")


@contextlib.contextmanager
def generated_catalog(count: int, keep: Path | None = None) -> Iterator[Path]:
    """A generated catalog of ``count`` papers, in ``keep`` or a temporary folder removed after."""
    work = keep or Path(tempfile.mkdtemp(prefix="deepphen-bench-"))
    catalog = work / "catalog"
    try:
        settings, papers = generate(count)
        write_catalog(catalog, settings, papers)
        print(f"catalog: {count} papers in {catalog}")
        yield catalog
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def render_page(settings: Settings, papers: list[Paper]) -> str:
    """The list page for these papers: deepphen's own markdown exporter."""
    from deepphen.export import exporter

    return exporter("md")(papers, settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of papers")
    parser.add_argument("catalog", type=Path, help="folder to (re)create")
    parser.add_argument("--page", type=Path, help="also write the markdown page here")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    settings, papers = generate(args.count, args.seed)
    write_catalog(args.catalog, settings, papers)
    if args.page:
        try:
            args.page.write_text(render_page(settings, papers), encoding="utf-8")
        except (ImportError, KeyError) as exc:
            print(f"generate: no markdown exporter yet ({exc}); page not written", file=sys.stderr)
            return 1
    print(f"wrote {len(papers)} papers to {args.catalog}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

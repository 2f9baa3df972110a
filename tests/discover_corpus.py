"""Invented arXiv papers for the search stand-in: a few on the list's topics, many others.

Every title, abstract and author here is made up for the tests. Dates are UTC; the corpus is
built around a given day so tests can place windows relative to an injected "today".
"""

from __future__ import annotations

import datetime as dt
import random

from tests.arxiv_query import CorpusEntry

# (id, title, authors, summary, categories) of papers a deep-phenomena list would want.
TOPICAL = [
    ("2505.10001", "Grokking as a Phase Transition in Modular Arithmetic Networks",
     ["Ada Quinlan", "Boris Ferreira"],
     "We study grokking, the delayed generalization of small transformers trained on modular "
     "arithmetic, and show that weight decay drives a sharp phase transition from memorization "
     "to a generalizing circuit.", ["cs.LG", "stat.ML"]),
    ("2505.10002", "Neural Collapse Emerges Late in Training of Deep Classifiers",
     ["Chen Liwei", "Dana Okafor"],
     "Last-layer features of deep classifiers converge to a simplex equiangular tight frame, "
     "the neural collapse phenomenon; we measure when it emerges and how it relates to "
     "generalization.", ["cs.LG"]),
    ("2505.10003", "Epoch-wise Double Descent under Label Noise",
     ["Emil Sørensen", "Farah Haddad"],
     "Test error of overparameterized networks first rises then falls again with training "
     "time: we explain this epoch-wise double descent by label noise and model capacity.",
     ["stat.ML", "cs.LG"]),
    ("2505.10004", "Winning Lottery Tickets in Sparse Transformers",
     ["Gita Rao", "Hugo Laurent"],
     "Iterative magnitude pruning finds sparse subnetworks, winning lottery tickets, that "
     "train to full accuracy; we study the lottery ticket hypothesis for transformers.",
     ["cs.LG", "cs.CL"]),
    ("2505.10005", "Emergent Abilities of Language Models Are Predictable from Loss",
     ["Ines Walker", "Jon Mbeki"],
     "Emergent abilities of large language models appear abruptly with scale; we show the "
     "emergence is predictable from pretraining loss curves.", ["cs.CL"]),
]

_NOISE_TOPICS = [
    ("Robot Grasping with Tactile Sensors", "A robot grasps objects using tactile feedback.",
     ["cs.RO"]),
    ("Image Segmentation of Satellite Data", "We segment satellite images of farmland.",
     ["cs.CV"]),
    ("Query Optimization for Column Stores", "A cost model for column store queries.",
     ["cs.DB"]),
    ("Protein Folding Kinetics", "Folding rates of small proteins in solution.",
     ["q-bio.BM"]),
    ("Dark Matter Halos in Dwarf Galaxies", "Rotation curves of dwarf galaxies.",
     ["astro-ph.GA"]),
    ("A Survey of Federated Learning Systems", "We survey systems for federated learning.",
     ["cs.LG", "cs.DC"]),
    ("Speech Enhancement with Diffusion", "Diffusion models remove noise from speech.",
     ["eess.AS", "cs.SD"]),
]


def make_corpus(day: dt.date, *, noise: int = 60, seed: int = 7) -> list[CorpusEntry]:
    """The topical papers, submitted on ``day``, and ``noise`` others spread over the 10 days
    up to it (ids unique, deterministic)."""
    rng = random.Random(seed)
    noon = dt.datetime.combine(day, dt.time(12, 0))
    corpus = [
        CorpusEntry(id=i, title=t, authors=a, summary=s, categories=c,
                    submitted=noon - dt.timedelta(minutes=5 * n), version=2,
                    updated=noon + dt.timedelta(days=1))
        for n, (i, t, a, s, c) in enumerate(TOPICAL)
    ]
    for n in range(noise):
        title, summary, cats = _NOISE_TOPICS[n % len(_NOISE_TOPICS)]
        submitted = noon - dt.timedelta(hours=rng.randrange(0, 240), minutes=rng.randrange(60))
        corpus.append(CorpusEntry(
            id=f"2505.2{n:04d}", title=f"{title} {n}", authors=[f"Author {n}", "Zed Common"],
            summary=summary, categories=list(cats), submitted=submitted))
    return corpus

"""arXiv's subject categories (https://arxiv.org/category_taxonomy), to check names given by users.

Only the current categories are listed: a search for a retired one (``cmp-lg``) finds
nothing new, so it is refused like a typo. MSC and ACM codes (``68T07``, ``I.2.7``), which
older feeds list among an entry's categories, are not arXiv categories either.
"""

from __future__ import annotations

from deepphen.errors import DeepphenError

_ARCHIVES = {
    "cs": "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA "
          "NE NI OH OS PF PL RO SC SD SE SI SY",
    "econ": "EM GN TH",
    "eess": "AS IV SP SY",
    "math": "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA "
            "RA RT SG SP ST",
    "astro-ph": "CO EP GA HE IM SR",
    "cond-mat": "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con",
    "nlin": "AO CD CG PS SI",
    "physics": "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an "
               "ed-ph flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph "
               "soc-ph space-ph",
    "q-bio": "BM CB GN MN NC OT PE QM SC TO",
    "q-fin": "CP EC GN MF PM PR RM ST TR",
    "stat": "AP CO ME ML OT TH",
}
# Archives that are a category by themselves.
_SINGLE = ("gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nucl-ex", "nucl-th",
           "quant-ph")

CATEGORIES: frozenset[str] = frozenset(
    [f"{archive}.{sub}" for archive, subs in _ARCHIVES.items() for sub in subs.split()]
    + list(_SINGLE))
_BY_FOLDED = {c.lower(): c for c in CATEGORIES}


def is_category(name: str) -> bool:
    """True for a current arXiv category, spelt exactly (``cs.LG``)."""
    return name in CATEGORIES


def canonical_category(name: str) -> str:
    """The category as arXiv spells it (``cs.lg`` -> ``cs.LG``); DeepphenError if unknown."""
    text = name.strip()
    found = _BY_FOLDED.get(text.lower())
    if found is not None:
        return found
    close = similar_categories(text)
    hint = ("did you mean " + ", ".join(close) + "?") if close else \
        "e.g. cs.LG, stat.ML; see https://arxiv.org/category_taxonomy"
    raise DeepphenError(f"unknown arXiv category {name!r}", hint=hint)


def similar_categories(name: str) -> list[str]:
    """Up to three categories ``name`` may have meant: first those of its subject in another
    archive (``cs.ML`` -> ``stat.ML``: a letter-by-letter likeness offers cs.PL), then the
    ones spelt alike."""
    from difflib import get_close_matches

    text = name.strip().lower()
    subject = text.partition(".")[2] or text
    same = [c for folded, c in sorted(_BY_FOLDED.items())
            if subject and folded.partition(".")[2] == subject]
    close = [_BY_FOLDED[c] for c in get_close_matches(text, list(_BY_FOLDED), n=3, cutoff=0.6)]
    return list(dict.fromkeys([*same, *close]))[:3]

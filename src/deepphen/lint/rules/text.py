"""DP4xx: the text of an entry: title, authors, key words, venue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from deepphen.lint.context import Context, PaperFile
from deepphen.lint.registry import Fix, Flag, rule
from deepphen.lint.rules.common import edit_field, fold_distinct
from deepphen.printable import control_kind, has_control, strip_controls, strip_invisible
from deepphen.tidy import (
    ET_AL,
    TYPOGRAPHIC_RE,
    ascii_quotes,
    dedupe_folded,
    ends_badly,
    et_al_last,
    is_joined,
    plain_keyword,
    split_joined,
    strip_final,
    tidy_keyword,
)
from deepphen.venues import conference_acronym, plain_venue, year_in

MAX_KEYWORDS = 6
SPELLING_CUTOFF = 91  # rapidfuzz ratio between folded key words from different groups


def _normal_space(text: str) -> str:
    return " ".join(text.split())


@rule("DP401", "title-whitespace", "warning",
      "A title has no leading, trailing, doubled or line-break spaces.", fixable=True)
def title_whitespace(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Stray spaces break title search and duplicate detection on the rendered page.

    Bad:  ``title = " Deep  Double Descent"``
    Good: ``title = "Deep Double Descent"``
    """
    title = f.paper.title
    if title != _normal_space(title):
        yield Flag("stray whitespace in the title", field="title",
                   fix=Fix("normalized the title's spaces",
                          edit=edit_field("title", _normal_space)))


@rule("DP402", "title-punctuation", "warning",
      "A title does not end in '.', ',', ';' or ':' (the page adds the period).", fixable=True)
def title_punctuation(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The page writes ``Title.``; a stored final period would show twice. '?' and '!' stay.

    Bad:  ``title = "Deep Double Descent."``
    Good: ``title = "Deep Double Descent"`` or ``title = "Is Attention Interpretable?"``
    """
    title = f.paper.title.rstrip()
    if not title:
        yield Flag("empty title", field="title")
    elif ends_badly(title):
        yield Flag(f"title ends in {title[-1]!r}", field="title",
                   fix=Fix("removed the title's final punctuation",
                          edit=edit_field("title", strip_final)))


@rule("DP403", "authors-empty", "warning", "A paper lists its authors.")
def authors_empty(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Every entry's second line names the authors.

    Bad:  no ``authors`` field, or ``authors = []``
    Good: ``authors = ["Alethea Power", "Yuri Burda"]``
    """
    if not f.paper.authors or not any(a.strip() for a in f.paper.authors):
        yield Flag("no authors", field="authors")


@rule("DP404", "author-duplicate", "warning", "No author is listed twice.", fixable=True)
def author_duplicate(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Names are compared folded (case, accents, punctuation); the fix keeps the first.

    Bad:  ``authors = ["Yuri Burda", "Harri Edwards", "Yuri Burda"]``
    Good: ``authors = ["Yuri Burda", "Harri Edwards"]``
    """
    seen: set[str] = set()
    for name in f.paper.authors:
        key = fold_distinct(name)
        if key and key in seen:
            yield Flag(f"author {name!r} is listed twice", field="authors", needle=name,
                       fix=Fix(f"removed the second {name!r}",
                              edit=edit_field("authors", dedupe_folded)))
            return
        seen.add(key)


def _et_al_last(data: dict[str, Any]) -> None:
    if isinstance(data.get("authors"), list):
        data["authors"] = et_al_last(data["authors"])


@rule("DP405", "et-al", "warning",
      "A shortened author list ends in one item written 'et al.'.", fixable=True)
def et_al(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A list is complete unless its last item is "et al."; BibTeX then ends the authors in
    ``and others``. ``authors_collapsed`` only moves the names into the page's Author List
    block and says nothing about completeness.

    Bad:  ``authors = ["Jonathan Frankle et al."]``, ``authors = ["et al", "Jonathan Frankle"]``
    Good: ``authors = ["Jonathan Frankle", "et al."]``
    """
    authors = f.paper.authors
    for i, name in enumerate(authors):
        if ET_AL.match(name.strip()) and (i != len(authors) - 1 or name != "et al."):
            yield Flag(f"{name!r}: a shortened list ends in one item 'et al.'", field="authors",
                       needle=name, fix=Fix("wrote 'et al.' as the last author item",
                                           edit=_et_al_last))
            break
    if f.paper.authors_collapsed and not f.paper.authors:
        yield Flag("authors_collapsed = true but no authors are listed",
                   field="authors_collapsed")


@rule("DP406", "keywords-count", "error", "A paper has one to six key words.")
def keywords_count(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Key words carry secondary topics and drive search; too many dilute them.

    Bad:  ``keywords = []``
    Good: ``keywords = ["Grokking", "Modular Arithmetic"]``
    """
    count = len([k for k in f.paper.keywords if k.strip()])
    if count == 0:
        yield Flag("no key words", field="keywords",
                   hint="add one to six, reusing the vocabulary ('deepphen stats' lists it)")
    elif count > MAX_KEYWORDS:
        yield Flag(f"{count} key words; at most {MAX_KEYWORDS}", field="keywords")


def _replace_keyword(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    return edit_field("keywords", lambda ks: [new if k == old else k for k in ks])


@rule("DP407", "keyword-variant", "warning",
      "A key word is spelt as the rest of the catalog spells it.", fixable=True)
def keyword_variant(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Variants differ in case, hyphens or plural; the canonical spelling is the most used.

    Bad:  ``keywords = ["large language models"]`` where others say "Large Language Model"
    Good: ``keywords = ["Large Language Model"]``
    """
    canonical_of = ctx.canonical_keywords
    for keyword in f.paper.keywords:
        canonical, tidy = canonical_of.get(keyword.strip()), tidy_keyword(keyword)
        # Spelt as the group once tidied: its spaces, punctuation, quotes are DP409's,
        # DP410's and DP413's to report (as is a key word of punctuation alone, "").
        if canonical and tidy and canonical != tidy:
            yield Flag(f"key word {keyword!r} is a variant of {canonical!r}", field="keywords",
                       needle=keyword,
                       fix=Fix(f"key word {keyword!r} -> {canonical!r}",
                              edit=_replace_keyword(keyword, canonical)))


def _misspellings(ctx: Context) -> dict[str, str]:
    """Spellings in rare key-word groups whose folded form is a typo away from a commoner
    group -> that group's canonical spelling (worked out once per lint run)."""
    return ctx.memo("keyword-misspellings", lambda: _find_misspellings(ctx))


def _find_misspellings(ctx: Context) -> dict[str, str]:
    from rapidfuzz import fuzz, process

    vocab = ctx.vocabulary
    totals = {norm: vocab.uses(spellings[0]) for norm, spellings in vocab.groups.items()}
    common = {norm: norm for norm, total in totals.items() if total >= 2}
    out: dict[str, str] = {}
    for norm, total in totals.items():
        if total > 2 or len(norm) < 6:
            continue
        for match, _score, _ in process.extract(norm, common, scorer=fuzz.ratio,
                                               score_cutoff=SPELLING_CUTOFF, limit=3):
            if match != norm and totals[match] >= 2 * total and _differs_by_spelling(norm, match):
                for spelling in vocab.groups[norm]:
                    out[spelling] = vocab.canonical(match)
                break
    return out


def _differs_by_spelling(a: str, b: str) -> bool:
    """Same words in number and leading letters: "generalisation"/"generalization", not
    "linear probe"/"linear probing" or "image model"/"video model"."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(x[:2] == y[:2] for x, y in zip(wa, wb, strict=True))


@rule("DP408", "keyword-spelling", "warning",
      "A rare key word is not a misspelling of a common one.")
def keyword_spelling(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Rapidfuzz compares each rarely used key word with the commoner ones; no automatic
    fix, since two close spellings can be two real terms.

    Bad:  ``keywords = ["Generalisation"]`` where ten papers say "Generalization"
    Good: ``keywords = ["Generalization"]``
    """
    misspelt = _misspellings(ctx)
    for keyword in f.paper.keywords:
        target = misspelt.get(keyword.strip())
        if target:
            count = ctx.vocabulary.uses(target)  # the canonical form may be written nowhere
            yield Flag(f"key word {keyword!r} is spelt almost like {target!r} ({count} papers); "
                       "one of them is likely misspelt", field="keywords", needle=keyword,
                       hint="use one spelling everywhere, or [ignore] DP408 with a reason")


def _clean_keywords(values: list[Any]) -> list[Any]:
    cleaned = [plain_keyword(v) if isinstance(v, str) else v for v in values]
    return dedupe_folded([v for v in cleaned if v != ""])


@rule("DP409", "keyword-format", "warning",
      "Key words have no stray spaces or punctuation and are not repeated.", fixable=True)
def keyword_format(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The page joins key words with '; ' and ends the line with '.' itself.

    Bad:  ``keywords = [" Grokking.", "grokking"]``
    Good: ``keywords = ["Grokking"]``
    """
    keywords = f.paper.keywords
    cleaned = _clean_keywords(list(keywords))
    if cleaned != keywords:
        # Name the key words at fault: the ones cleaning changes or drops, else exact repeats.
        bad = ([k for k in keywords if k not in cleaned]
               or [k for i, k in enumerate(keywords) if k in keywords[:i]])
        yield Flag("key words with stray spaces, punctuation or repeats: "
                   + ", ".join(repr(k) for k in dict.fromkeys(bad)), field="keywords",
                   needle=bad[0] if bad else None,
                   fix=Fix("cleaned the key words", edit=edit_field("keywords", _clean_keywords)))


@rule("DP410", "typographic-quotes", "warning",
      "Titles, authors, venues and key words use ASCII quotes.", fixable=True)
def typographic_quotes(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The list writes ASCII quotes, so its page reads alike throughout and a plain grep of
    the files finds "Don't" however the source spelt it (deepphen's own comparisons fold
    quotes alike anyway).

    Bad:  ``title = "Don’t Decay the Learning Rate"``
    Good: ``title = "Don't Decay the Learning Rate"``
    """
    paper = f.paper
    for name, values in (("title", [paper.title]), ("authors", paper.authors),
                         ("venue", [paper.venue or ""]), ("keywords", paper.keywords)):
        for value in values:
            m = TYPOGRAPHIC_RE.search(value)
            if m:
                yield Flag(f"typographic quote {m.group()!r} in {name}", field=name,
                           needle=value,
                           fix=Fix(f"ASCII quotes in {name}",
                                   edit=edit_field(name, ascii_quotes)))
                break


@rule("DP411", "venue-year", "warning",
      "A conference venue names its year (ICLR 2023, not ICLR).")
def venue_year(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A conference meets every year; journals (Nature, PNAS, TMLR) need no year.

    Bad:  ``venue = "ICLR"``
    Good: ``venue = "ICLR 2023"``, ``venue = "NeurIPS 2022 Workshop"``, ``venue = "Nature"``
    """
    venue = f.paper.venue
    if venue and conference_acronym(venue) and year_in(venue) is None:
        yield Flag(f"conference venue {venue!r} without a year", field="venue",
                   hint=f"e.g. {venue.strip().split()[0]} {f.paper.year}")


def _clean_venue(value: Any) -> Any:
    return plain_venue(value) if isinstance(value, str) else value


@rule("DP412", "venue-format", "warning",
      "A venue is plain text: no markdown emphasis or stray spaces.",
      fixable=True)
def venue_format(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The page sets the venue in italics itself.

    Bad:  ``venue = "*ICLR  2023*"``
    Good: ``venue = "ICLR 2023"``
    """
    venue = f.paper.venue
    if venue is not None and _clean_venue(venue) != venue:
        yield Flag(f"venue {venue!r} is not plain text", field="venue",
                   fix=Fix(f"venue = {_clean_venue(venue)!r}",
                          edit=edit_field("venue", _clean_venue)))


# Line breaks and tabs are how a long digest is written in TOML; anywhere else, and any
# other control or bidi-formatting character anywhere, is text that acts instead of showing.
_TEXT_FIELDS = ("title", "authors", "venue", "keywords", "digest", "links", "doi", "category")
_LAYOUT_OK = {"digest": "\t\n\r"}
# Identifiers: a character dropped makes another one (a DOI, a category), so the fix is the
# curator's, from the source.
_NO_FIX = {"doi": "copy the DOI again from its source (doi.org or the publisher's page)",
           "category": "write the arXiv category again, e.g. cs.LG"}


def _strip_controls(value: Any) -> Any:
    """Spacing controls as one space, every other control, bidi or invisible character
    (a zero-width space, a soft hyphen: DP413) dropped."""
    if isinstance(value, str):
        return strip_invisible(strip_controls(value))
    if isinstance(value, list):
        return [_strip_controls(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_controls(v) for k, v in value.items()}
    return value


def _field_texts(paper: Any, name: str) -> list[str]:
    if name == "links":
        return [text for link in paper.links for text in (link.label, link.url)]
    value = getattr(paper, name)
    return list(value) if isinstance(value, list) else [value or ""]


@rule("DP413", "control-character", "error",
      "Text has no control, line-separator, bidi-override or invisible character.",
      fixable=True)
def control_character(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Such characters are invisible in an editor but act where the text goes: an ESC clears a
    terminal, U+2028 or U+000B breaks a page line into a heading or quote, U+202E reverses
    what a reader sees, and tag characters spell text no reviewer sees. The fix makes line
    breaks a space and drops the rest, except in a DOI or a category, where dropping one
    names another: those are the curator's to copy again.

    Bad:  ``title = "Deep\\u2028# Double Descent"``, ``authors = ["A\\u001b[2J"]``
    Good: ``title = "Deep Double Descent"``
    """
    for name in _TEXT_FIELDS:
        allowed = _LAYOUT_OK.get(name, "")
        for text in _field_texts(f.paper, name):
            bad = next((ch for ch in text if ch not in allowed
                        and (has_control(ch) or not strip_invisible(ch))), None)
            if bad is not None:
                fix = None if name in _NO_FIX else Fix(
                    f"removed control characters from {name}",
                    edit=edit_field(name, _strip_controls_except(allowed)))
                yield Flag(f"{control_kind(bad)} character U+{ord(bad):04X} in {name}",
                           field=name, needle=text,  # its line in a list, not the list's
                           fix=fix, hint=_NO_FIX.get(name))
                break


def _strip_controls_except(allowed: str) -> Callable[[Any], Any]:
    """``_strip_controls``, but the characters ``allowed`` (a digest's line breaks) stay."""
    if not allowed:
        return _strip_controls

    def strip(value: Any) -> Any:
        return strip_invisible(strip_controls(value, keep=allowed)) if isinstance(value, str) \
            else value

    return strip


@rule("DP414", "author-joined", "error",
      "Each author is one list item: no '&' or ' and ' inside a name.", fixable=True)
def author_joined(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Two people in one item count as one author in BibTeX, CSV and search; the fix splits
    the item at '&' or 'and'. A group's name may join others and stays one item.

    Bad:  ``authors = ["Denis Therien & Konrad P. Kording"]``
    Good: ``authors = ["Denis Therien", "Konrad P. Kording"]``,
          ``authors = ["ATLAS and CMS Collaborations"]``
    """
    for name in f.paper.authors:
        if is_joined(name):
            yield Flag(f"author {name!r} names more than one person", field="authors",
                       needle=name, fix=Fix("split the joined author names",
                                           edit=edit_field("authors", split_joined)))
            return

"""Clitic-aware word forms: what a written Arabic word may be once its clitics are removed.

Arabic writes conjunctions, prepositions and the article *attached* to the
next word (وبغداد "and Baghdad", بالعراق "in Iraq", للقوات "to the forces") and
possessive/object pronouns attached to the end (قواتها "its forces"). A
matcher that compares whole tokens misses these; a matcher that strips letters
blindly breaks names (بيروت is not ب + يروت). This module enumerates the
*possible* analyses and leaves the choice to the caller (a dictionary, a
model, an index).

Vocabulary
- proclitic: a prefix sequence  [و|ف] [ب|ل|ك] [ال]  (each part optional),
  with ل + ال written لل (للقوات); a preposition may carry a tatweel
  (لـ"الهيئة"، بـ…) before a quoted or foreign word. Stripping always leaves at least `MIN_STEM` letters.
- enclitic: an attached pronoun ه ها هم هما هن ك كم كما كن نا ني ي.

API (all functions are pure and take one word, no spaces):
- `proclitic_splits(word)`  -> [(prefix, base), ...] every analysis, longest
  prefix first, always ending with ("", word).
- `strip_proclitics(word, keep_article=False, known=None)` -> the base form.
  Without a lexicon only unambiguous prefixes are removed (those ending in the
  article, and لـ): والعراق -> عراق (keep_article: العراق), but واشنطن stays;
  with `known` (a set of base forms) the longest analysis whose base is known
  wins: وبغداد -> بغداد.
- `strip_enclitics(word)` -> word without an attached pronoun (قواتها -> قوات).
- `bare_forms(word)` -> the set of all candidate bare forms of a written word
  (the word itself, each proclitic base, with and without ال, with and without
  an enclitic): use it to look a text token up in a dictionary of base forms.
- `clitic_variants(word)` -> the surface forms a *base* word takes with the
  proclitics attached (بغداد -> وبغداد، ببغداد، لبغداد، فبغداد، وببغداد …;
  العراق -> والعراق، بالعراق، للعراق، فالعراق، وللعراق …): use it to expand a
  keyword into the forms that occur in text.

Inputs are used as written; normalise first (`rasid.nlp.normalizer`) if
hamza or teh-marbuta spelling must not matter.
"""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

MIN_STEM = 2
CONJUNCTIONS: tuple[str, ...] = ("و", "ف")
PREPOSITIONS: tuple[str, ...] = ("ب", "ل", "ك")
ARTICLE = "ال"
_TATWEEL = "\u0640"
ENCLITICS: tuple[str, ...] = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك", "ي")


def _prefix_sequences() -> list[tuple[str, bool]]:
    """Every written proclitic sequence, with whether it contains the article."""
    out: set[tuple[str, bool]] = set()
    for conj in ("", *CONJUNCTIONS):
        for prep in ("", *PREPOSITIONS):
            for art in ("", ARTICLE):
                if prep == "ل" and art:
                    out.add((conj + "لل", True))  # ل + ال is written لل
                    continue
                seq = conj + prep + art
                if seq:
                    out.add((seq, bool(art)))
                if prep and not art:
                    out.add((conj + prep + _TATWEEL, False))  # لـ"الهيئة", بـ"…"
    return sorted(out, key=lambda item: (-len(item[0]), item[0]))


PROCLITIC_SEQUENCES: tuple[tuple[str, bool], ...] = tuple(_prefix_sequences())
_SEQUENCE_SET: frozenset[str] = frozenset(seq for seq, _ in PROCLITIC_SEQUENCES)
_LONGEST = max(len(seq) for seq in _SEQUENCE_SET)


@lru_cache(maxsize=65536)
def proclitic_splits(word: str) -> tuple[tuple[str, str], ...]:
    """All (prefix, base) analyses of `word`, longest prefix first, then ("", word).

    A preposition written with tatweel (لـ، بـ، كـ) is read as that preposition.
    """
    splits: list[tuple[str, str]] = []
    # Longest first; at most 5 letters (e.g. وبال + tatweel-free forms), at least MIN_STEM left.
    for length in range(min(_LONGEST, len(word) - MIN_STEM), 0, -1):
        if word[:length] in _SEQUENCE_SET:
            splits.append((word[:length], word[length:]))
    splits.append(("", word))
    return tuple(splits)


def _restore_article(prefix: str, base: str) -> str:
    """For a prefix ending in لل (ل + ال), give the base its article back: للقوات -> القوات."""
    return "ال" + base if prefix.endswith("لل") else base


def strip_proclitics(word: str, keep_article: bool = False, known: Container[str] | None = None) -> str:
    """`word` without its proclitics (see module docs).

    Without `known`, only unambiguous prefixes go: those that end in the
    article (وال بال فال كال لل ولل وبال …) and "لـ"; a bare و/ب/ل/ف/ك may be
    part of the name itself (واشنطن، بيروت، لبنان), so it stays. With `known`
    (a lexicon of base forms) the longest analysis whose base is known wins,
    so وبغداد -> بغداد when بغداد is known; a known `word` is kept as is, and
    an unknown one falls back to the unambiguous rule.
    """
    splits = [(prefix, base) for prefix, base in proclitic_splits(word) if prefix]
    if known is not None:
        if word in known:
            return word
        for prefix, base in splits:
            has_article = prefix.endswith((ARTICLE, "لل"))
            if base in known or (has_article and ARTICLE + base in known):
                return ARTICLE + base if has_article and keep_article else base
    for prefix, base in splits:
        has_article = prefix.endswith((ARTICLE, "لل"))
        if has_article:
            return ARTICLE + base if keep_article else base
        if prefix.endswith(_TATWEEL):
            return base
    return word


def strip_enclitics(word: str) -> str:
    """`word` without an attached pronoun, if at least three letters remain."""
    for enclitic in ENCLITICS:
        if word.endswith(enclitic) and len(word) - len(enclitic) >= 3:
            return word[: -len(enclitic)]
    return word


@lru_cache(maxsize=65536)
def bare_forms(word: str) -> frozenset[str]:
    """Every candidate bare form of a written word (itself included)."""
    forms: set[str] = {word}
    for prefix, base in proclitic_splits(word):
        with_article = _restore_article(prefix, base)
        forms.add(with_article)
        forms.add(base)
        if prefix.endswith(ARTICLE):
            forms.add(ARTICLE + base)
    forms |= {strip_enclitics(form) for form in list(forms)}
    return frozenset(f for f in forms if len(f) >= MIN_STEM)


def clitic_variants(word: str) -> frozenset[str]:
    """The written forms of a base `word` with each proclitic sequence attached (itself included)."""
    variants: set[str] = {word}
    has_article = word.startswith(ARTICLE) and len(word) - len(ARTICLE) >= MIN_STEM
    bare = word[len(ARTICLE) :] if has_article else word
    for conj in ("", *CONJUNCTIONS):
        for prep in ("", *PREPOSITIONS):
            if not conj and not prep:
                continue
            if has_article and prep == "ل":
                variants.add(conj + "لل" + bare)
            elif has_article:
                variants.add(conj + prep + ARTICLE + bare)
            else:
                variants.add(conj + prep + word)
            if prep and not has_article:
                variants.add(conj + prep + _TATWEEL + word)
    return frozenset(variants)

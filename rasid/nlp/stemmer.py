"""Light Arabic stemming, exactly as Lucene's `ArabicStemmer` (Elasticsearch `arabic_stem`).

The stemmer expects *normalised* input (see `rasid.nlp.normalizer`): in
Elasticsearch's `arabic` analyzer `arabic_normalization` runs first, so e.g.
teh marbuta has already become heh. `stem()` does not normalise by itself,
just like Lucene's filter; use `normalize_and_stem()` for raw text.

Algorithm (Larkey, Ballesteros & Connell's "light10" as written in Lucene):
1. remove the first matching prefix of ال وال بال كال فال لل و, if what
   remains has at least 2 characters (at least 3 for the one-letter و);
2. then, in order, remove *each* matching suffix of
   ها ان ات ون ين يه ية ه ة ي while at least 2 characters remain before it.
"""

from __future__ import annotations

from rasid.nlp.normalizer import normalize

PREFIXES: tuple[str, ...] = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES: tuple[str, ...] = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def _stem_prefix(token: str) -> str:
    n = len(token)
    for prefix in PREFIXES:
        # Lucene: the one-letter wa- prefix needs a 4-char word; others leave >= 2 chars.
        if len(prefix) == 1 and n < 4:
            continue
        if n < len(prefix) + 2:
            continue
        if token.startswith(prefix):
            return token[len(prefix) :]
    return token


def _stem_suffix(token: str) -> str:
    for suffix in SUFFIXES:
        if len(token) >= len(suffix) + 2 and token.endswith(suffix):
            token = token[: -len(suffix)]
    return token


def stem(token: str) -> str:
    """Lucene `ArabicStemmer` applied to one (already normalised) token."""
    return _stem_suffix(_stem_prefix(token))


def normalize_and_stem(token: str) -> str:
    """Normalise then stem: the last two steps of Elasticsearch's `arabic` analyzer."""
    return stem(normalize(token))

"""The lookup key of a word for learned resources (clusters, gazetteers, caches).

Lucene normalisation (hamza-alef, teh marbuta, alef maksura, harakat,
tatweel) plus lowercase and ASCII digits, so that spelling variants of one
word share what was learned about it. Digits all read as "0": the model cares
that a token is a number, not which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasid.nlp.normalizer import normalize

_DIGITS_RE = re.compile(r"\d")
_MAX_CACHED = 200_000
# word -> key, for every word seen (news repeats its words); a plain dict, cleared when full:
# a lookup is cheaper than an LRU cache's, and the hot path looks up every token.
_KEYS: dict[str, str] = {}


def _compute(word: str) -> str:
    return _DIGITS_RE.sub("0", normalize(word.lower()))


def word_key(word: str) -> str:
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) >= _MAX_CACHED:
            _KEYS.clear()
        key = _KEYS[word] = _compute(word)
    return key


def word_keys(words: Sequence[str]) -> list[str]:
    """`word_key()` of each word."""
    keys = list(map(_KEYS.get, words))
    if None in keys:
        keys = list(map(word_key, words))
    return keys

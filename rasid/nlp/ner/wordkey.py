"""The lookup key of a word for learned resources (clusters, gazetteers, caches).

Lucene normalisation (hamza-alef, teh marbuta, alef maksura, harakat,
tatweel) plus lowercase and ASCII digits, so that spelling variants of one
word share what was learned about it. Digits all read as "0": the model cares
that a token is a number, not which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasid.nlp.bounded_memo import BoundedMemo
from rasid.nlp.normalizer import normalize

_DIGITS_RE = re.compile(r"\d")
# word -> key, for every word seen (news repeats its words); the hot path looks up every token.
_KEYS: BoundedMemo[str, str] = BoundedMemo(200_000)


def _compute(word: str) -> str:
    return _DIGITS_RE.sub("0", normalize(word.lower()))


def word_key(word: str) -> str:
    key = _KEYS.get(word)
    return key if key is not None else _KEYS.remember(word, _compute(word))


def word_keys(words: Sequence[str]) -> list[str]:
    """`word_key()` of each word."""
    keys = list(map(_KEYS.get, words))
    if None in keys:
        keys = list(map(word_key, words))
    return keys

"""The lookup key of a word for learned resources (clusters, gazetteers, caches).

Lucene normalisation (hamza-alef, teh marbuta, alef maksura, harakat,
tatweel) plus lowercase and ASCII digits, so that spelling variants of one
word share what was learned about it. Digits all read as "0": the model cares
that a token is a number, not which.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rasid.nlp.normalizer import normalize

_DIGITS_RE = re.compile(r"\d")


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    return _DIGITS_RE.sub("0", normalize(word.lower()))

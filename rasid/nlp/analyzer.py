"""Python mirror of Elasticsearch's built-in `arabic` analyzer.

Elasticsearch (Lucene `ArabicAnalyzer`) runs, in order:
standard tokenizer -> lowercase -> decimal_digit -> stop (Lucene's Arabic
list, applied *before* normalisation) -> arabic_normalization -> arabic_stem.

`analyze()` applies the same chain to our tokens (`rasid.nlp.tokenizer`, which
agrees with the standard tokenizer on Arabic and Latin words and numbers;
punctuation yields no term in either) and keeps the offsets of each term in
the original text, so a keyword rule can both match exactly the terms
Elasticsearch indexes and highlight where they occur. Stop words are dropped
but still count as positions, as in Lucene, so phrase matching can require
adjacency the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from rasid.nlp.normalizer import normalize
from rasid.nlp.stemmer import stem
from rasid.nlp.tokenizer import WORD_TOKEN_RE, is_word_text


class AnalyzedToken(NamedTuple):
    """One indexed term: the original token `text == original[start:end]` and its term forms.

    A named tuple rather than a frozen dataclass: rules analyse every article's full text, and
    building a frozen dataclass costs several times more.
    """

    text: str
    start: int
    end: int
    position: int  # token position, stop words included (Lucene position increments)
    normalized: str  # lowercased, ASCII digits, Lucene-normalised
    stem: str  # the term Elasticsearch indexes


def _load_stopwords() -> frozenset[str]:
    raw = resources.files("rasid.nlp.resources").joinpath("arabic_stopwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


STOPWORDS: frozenset[str] = _load_stopwords()


_DECIMAL_DIGIT_RE = re.compile(r"\d")  # Unicode category Nd, exactly what str.isdecimal accepts


def _decimal_digits(word: str) -> str:
    """Lucene `DecimalDigitFilter`: any Unicode decimal digit becomes its ASCII digit."""
    if word.isascii() or _DECIMAL_DIGIT_RE.search(word) is None:
        return word
    return _DECIMAL_DIGIT_RE.sub(lambda digit: str(unicodedata.digit(digit.group())), word)


@lru_cache(maxsize=65536)
def analyze_word(word: str) -> tuple[str, str] | None:
    """(normalized, stem) of one token, or None when the analyzer drops it (stop word)."""
    lowered = _decimal_digits(word.lower())
    if lowered in STOPWORDS:
        return None
    normalized = normalize(lowered)
    return normalized, stem(normalized)


def analyze(text: str) -> list[AnalyzedToken]:
    """The terms Elasticsearch's `arabic` analyzer produces for `text`, with offsets."""
    out: list[AnalyzedToken] = []
    position = -1
    # Only word tokens count, so the regex skips punctuation (see WORD_TOKEN_RE).
    for match in WORD_TOKEN_RE.finditer(text):
        word = match.group()
        if not _is_word(word):
            continue
        position += 1
        forms = analyze_word(word)
        if forms is None:
            continue
        out.append(AnalyzedToken(word, match.start(), match.end(), position, forms[0], forms[1]))
    return out


@lru_cache(maxsize=65536)
def _is_word(word: str) -> bool:
    return is_word_text(word)


@lru_cache(maxsize=65536)
def _indexed_term(word: str) -> str | None:
    if not _is_word(word):
        return None
    forms = analyze_word(word)
    return None if forms is None else forms[1]


def analyze_terms(text: str) -> list[str]:
    """Only the indexed terms, e.g. to turn a keyword or query into what it matches.

    The same terms as `analyze`, without offsets or token objects: the sink runs this over every
    article's full text (the `search_terms` field), so it skips punctuation in the regex instead.
    """
    terms = [_indexed_term(word) for word in WORD_TOKEN_RE.findall(text)]
    return [term for term in terms if term is not None]

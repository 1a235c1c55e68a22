"""An article's text fields as the rules see them: Elasticsearch `arabic` terms, clitic-aware.

Each token is indexed under its Elasticsearch term (the stem) and, because
Lucene's stemmer leaves a bare ب/ل/ك/ف proclitic in place (لبغداد stays
لبغداد), also under the stem of each proclitic analysis of the word: لبغداد
is found by the term بغداد. Positions are Lucene's (stop words count), so
phrases and NEAR/n mean what they mean in Kibana.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rasid.nlp.analyzer import analyze_word
from rasid.nlp.clitics import proclitic_splits
from rasid.nlp.stemmer import stem
from rasid.nlp.tokenizer import WORD_TOKEN_RE, is_word_text
from rasid.records import TEXT_FIELDS, Article

# A proclitic analysis must leave a real word, and its stem too: لبنان must not
# be found by بن (the stem of ل + بنان), the commonest word in Arabic names.
MIN_BASE_LETTERS = 3


@lru_cache(maxsize=131072)
def match_keys(normalized: str, indexed_term: str) -> tuple[str, ...]:
    """Every term under which a token can be found: its ES term, then its clitic-free stems."""
    keys = [indexed_term]
    for prefix, base in proclitic_splits(normalized):
        if not prefix or len(base) < MIN_BASE_LETTERS:
            continue
        if prefix.endswith("لل"):
            base = "ال" + base  # ل + ال is written لل; the stemmer wants the article back
        key = stem(base)
        if len(key) >= MIN_BASE_LETTERS and key not in keys:
            keys.append(key)
    return tuple(keys)


@lru_cache(maxsize=131072)
def _word_terms(word: str) -> tuple[str, tuple[str, ...]] | None | bool:
    """A word token's (normalised surface, match keys); None for a stop word (it still takes a
    position); False for a token that is no word (no position, as in `analyze`)."""
    if not is_word_text(word):
        return False
    forms = analyze_word(word)
    if forms is None:
        return None
    return forms[0], match_keys(forms[0], forms[1])


@dataclass
class FieldText:
    """One analysed field: the positions of every key and surface form, and each token's offsets."""

    name: str
    text: str
    positions: dict[str, list[int]] = field(default_factory=dict)
    # Normalised surface forms, for prefix queries written with the article (التفجير*).
    surfaces: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, text: str) -> FieldText:
        # The terms of `analyze(text)`, read straight from the words with one cached lookup per word:
        # the alert stage runs this over every article's full text. Offsets wait for `span_text`.
        ft = cls(name, text)
        positions, surfaces = ft.positions, ft.surfaces
        position = -1
        for word in WORD_TOKEN_RE.findall(text):
            terms = _word_terms(word)
            if terms is False:
                continue
            position += 1
            if terms is None:
                continue
            normalized, keys = terms
            for key in keys:
                if key in positions:
                    positions[key].append(position)
                else:
                    positions[key] = [position]
            if normalized in surfaces:
                surfaces[normalized].append(position)
            else:
                surfaces[normalized] = [position]
        return ft

    _sorted_keys: list[str] | None = field(default=None, repr=False)
    # Character offsets of the token at each position (stop words included), found when first needed
    # and only as far as asked: evidence of a match wants a few, mostly near the start.
    _offsets: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _tokens: Iterator[re.Match[str]] | None = field(default=None, repr=False)

    def prefix_positions(self, prefix: str) -> list[int]:
        """Positions of tokens whose term (or normalised surface) starts with `prefix`."""
        if self._sorted_keys is None:
            self._sorted_keys = sorted({*self.positions, *self.surfaces})
        keys = self._sorted_keys
        found: set[int] = set()
        i = bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix):
            found.update(self.positions.get(keys[i], ()))
            found.update(self.surfaces.get(keys[i], ()))
            i += 1
        return sorted(found)

    def span_text(self, first: int, last: int) -> tuple[int, int, str]:
        """Character offsets and original text from token position `first` to `last`."""
        offsets = self._offsets
        if len(offsets) <= last:
            if self._tokens is None:
                self._tokens = WORD_TOKEN_RE.finditer(self.text)
            for match in self._tokens:
                if _word_terms(match.group()) is not False:
                    offsets.append(match.span())
                    if len(offsets) > last:
                        break
        start, end = offsets[first][0], offsets[last][1]
        return start, end, self.text[start:end]


@dataclass
class AnalysedArticle:
    """The three text fields of an article, analysed once for all rules."""

    fields: dict[str, FieldText]

    @classmethod
    def of(cls, article: Article, fields: tuple[str, ...] = TEXT_FIELDS) -> AnalysedArticle:
        return cls({name: FieldText.of(name, article.text_of(name)) for name in fields})

    @classmethod
    def of_texts(cls, texts: dict[str, str]) -> AnalysedArticle:
        return cls({name: FieldText.of(name, text) for name, text in texts.items()})

    def haystack(self) -> str:
        """All keys and surfaces, space separated, for the Aho-Corasick prefilter."""
        parts: list[str] = []
        for ft in self.fields.values():
            parts.extend(ft.positions)
            parts.extend(ft.surfaces)
        return " " + " ".join(parts) + " "

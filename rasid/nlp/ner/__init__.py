"""Named-entity recognition (PER, ORG, LOC, MISC).

`extract_entities(text, field)` splits `text` into sentences and tokens
(offsets into `text`), tags them with the CRFs shipped in `model/` (trained by
`rasid ner train`), adds the institution and facility names analysts expect
but ANERcorp leaves untagged (`institutions.py`), and returns `Entity`
records whose `text == text[start:end]` and whose `normalized` key is fit for
aggregation (see `mentions.py`).
"""

from __future__ import annotations

from functools import lru_cache

from rasid.nlp.ner.institutions import apply_conventions
from rasid.nlp.ner.mentions import (
    leading_clitic_length,
    merge_short_names,
    spans_from_tags,
)
from rasid.nlp.ner.name_spelling import default_name_spelling, plain
from rasid.nlp.ner.tagger import default_tagger
from rasid.nlp.ner.wordkey import word_keys
from rasid.nlp.tokenizer import iter_token_spans, split_sentences
from rasid.records import Entity

_LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


def extract_entities(text: str, field: str = "content") -> list[Entity]:
    """Entities in `text`; offsets point into `text` as given."""
    if not text or not text.strip():
        return []
    tagger = default_tagger()
    found: list[tuple[int, int, str]] = []
    # Per sentence: its offset, its tokens' (start, end) in it and their text (no Token objects: a hot path).
    sentences = []
    for sentence in split_sentences(text):
        spans = iter_token_spans(sentence.text)
        if spans:
            sentences.append((sentence.start, spans, [sentence.text[a:b] for a, b in spans]))
    keys = [word_keys(words) for _, _, words in sentences]
    # The whole field is one document: the tagger's memory links repeated names.
    all_tags = tagger.tag_keys(keys)
    for (offset, spans, words), sent_keys, tags in zip(sentences, keys, all_tags, strict=True):
        names = apply_conventions(words, spans_from_tags(tags), tagger.institutions, tagger.gazetteer, sent_keys)
        for first, last, label in names:
            if label not in _LABELS:
                continue
            start = offset + spans[first][0] + leading_clitic_length(words[first], tagger.word_counts)
            end = offset + spans[last - 1][1]
            if start < end:
                found.append((start, end, label))
    labels = [label for _, _, label in found]
    keys = merge_short_names(labels, [_key(text[s:e]) for s, e, _ in found])
    return [
        Entity(text=text[s:e], label=label, start=s, end=e, field=field, normalized=key)  # type: ignore[arg-type]
        for (s, e, label), key in zip(found, keys)
    ]


@lru_cache(maxsize=100_000)  # news repeats its names
def _key(mention: str) -> str:
    """Aggregation key of one mention, readably spelled; an article-less لل form reads as ال (للقوات -> القوات)."""
    name = plain(mention)
    if name.startswith("لل") and len(name) > 4:
        name = "ال" + name[2:]
    return default_name_spelling().key(name)


__all__ = ["extract_entities"]

"""Named-entity recognition (PER, ORG, LOC, MISC).

`extract_entities(text, field)` splits `text` into sentences and tokens
(offsets into `text`), tags them with the CRFs shipped in `model/` (trained by
`rasid ner train`), adds the institution and facility names analysts expect
but ANERcorp leaves untagged (`institutions.py`), and returns `Entity`
records whose `text == text[start:end]` and whose `normalized` key is fit for
aggregation (see `mentions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rasid.nlp.ner.consistency import family_names, propagate_names, tag_family_names
from rasid.nlp.ner.institutions import apply_conventions
from rasid.nlp.ner.mentions import (
    leading_clitic_length,
    merge_short_names,
    spans_from_tags,
)
from rasid.nlp.ner.name_spelling import default_name_spelling, plain
from rasid.nlp.ner.tagger import EntityTagger, default_tagger
from rasid.nlp.ner.wordkey import word_keys
from rasid.nlp.tokenizer import TokenizedSentence, tokenize_sentences
from rasid.records import Entity

_LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


def extract_entities(text: str, field: str = "content") -> list[Entity]:
    """Entities in `text`; offsets point into `text` as given."""
    return extract_entities_many([(text, field)])[0]


# Per sentence: its offset in the text, its tokens' (start, end) in it, their text and their word keys.
_Sentence = tuple[int, list[tuple[int, int]], list[str], list[str]]


def extract_entities_many(texts: Sequence[tuple[str, str]],
                          tokenized: Sequence[list[TokenizedSentence]] | None = None) -> list[list[Entity]]:
    """`extract_entities(text, field)` of each (text, field), e.g. an article's title, summary and text.

    Each text stays its own document for the tagger, which runs on all of them at once (less CPU
    than three calls); then a name tagged in one text is tagged where it recurs untagged in the
    others (`consistency.propagate_names`), so an article's fields agree on their names; a family name alone is the
    person another field names in full (`consistency.tag_family_names`), and a short person name takes the full name
    another field gives it. `tokenized`:
    each text's `tokenize_sentences()`, when the caller has made it for other extractors too.
    """
    documents: list[list[_Sentence]] = []
    for number, (text, _) in enumerate(texts):
        if not text or not text.strip():
            documents.append([])
            continue
        sentences = []
        for item in tokenized[number] if tokenized is not None else tokenize_sentences(text):
            sentence, spans = item.sentence, _without_hashtag_marks(item.sentence.text, item.spans)
            if spans:
                words = [sentence.text[a:b] for a, b in spans]
                sentences.append((sentence.start, spans, words, word_keys(words)))
        documents.append(sentences)
    out: list[list[Entity]] = [[] for _ in texts]
    tagged = [i for i, (text, _) in enumerate(texts) if text and text.strip()]
    if not tagged:
        return out
    tagger = default_tagger()
    keys = [[sent_keys for *_, sent_keys in documents[i]] for i in tagged]
    # Each field is one document: the tagger's memory links repeated names within it.
    all_tags = tagger.tag_documents(keys)
    families: frozenset[str] = frozenset()
    if tagger.propagate:
        # The article's fields' sentences joined: one name, one label across them (a headline that says "ترمب يهدد…"
        # without context gets the label the lead gave the same name), and a family name alone is the person the
        # article names in full (the title's "ماكرون" is the text's "إيمانويل ماكرون"). Tags only go from O to a label.
        flat_keys = [k for doc in keys for k in doc]
        flat_tags = [t for doc in all_tags for t in doc]
        if len(tagged) > 1:
            flat_tags = propagate_names(flat_keys, flat_tags)
        families = family_names(flat_keys, flat_tags)
        all_tags = _split_like(keys, tag_family_names(flat_keys, flat_tags, families))
    for i, doc_tags in zip(tagged, all_tags, strict=True):
        out[i] = _entities(texts[i][0], texts[i][1], documents[i], doc_tags, tagger, families)
    if len(tagged) > 1:
        _merge_short_names_across(out)
    return out


def _without_hashtag_marks(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The tokens without a hashtag's "#" and the "_" that joins its words: "دونالد #ترمب" and "#جواد_ظريف" are read as
    the names they write (the tagger, trained on text without hashtags, took the marks for a name's end). The marks
    stay inside an entity's text; its key drops them (`name_key`)."""
    def glued(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[1] == b[0]

    kept = []
    for k, span in enumerate(spans):
        mark = sentence[span[0] : span[1]]
        after = k + 1 < len(spans) and glued(span, spans[k + 1])
        if (mark == "#" and after) or (mark == "_" and after and k > 0 and glued(spans[k - 1], span)):
            continue
        kept.append(span)
    return kept


def _merge_short_names_across(found: list[list[Entity]]) -> None:
    """A one-word person name in one field takes the full name another field of the article gives it (the title's
    "ترامب" is the text's "دونالد ترامب"), as within a field."""
    flat = [e for field in found for e in field]
    keys = merge_short_names([e.label for e in flat], [e.normalized or "" for e in flat])
    for entity, key in zip(flat, keys, strict=True):
        entity.normalized = key


def _split_like(keys: list[list[list[str]]], joined: list[list[str]]) -> list[list[list[str]]]:
    """Per-sentence tags of the fields joined, split back into one list per field."""
    out, start = [], 0
    for doc in keys:
        out.append(joined[start : start + len(doc)])
        start += len(doc)
    return out


def _entities(text: str, field: str, sentences: list[_Sentence], all_tags: list[list[str]],
              tagger: EntityTagger, families: frozenset[str] = frozenset()) -> list[Entity]:
    found: list[tuple[int, int, str]] = []
    for (offset, spans, words, sent_keys), tags in zip(sentences, all_tags, strict=True):
        names = apply_conventions(words, spans_from_tags(tags), tagger.institutions, tagger.gazetteer, sent_keys)
        for first, last, label in names:
            if label not in _LABELS or (last - first == 1 and sent_keys[first] not in families
                                        and _gentilic(sent_keys[first], tagger)):
                continue
            start = offset + spans[first][0] + leading_clitic_length(words[first], tagger.word_counts, families)
            end = offset + spans[last - 1][1]
            if start < end:
                found.append((start, end, label))
    labels = [label for _, _, label in found]
    keys = merge_short_names(labels, [name_key(text[s:e]) for s, e, _ in found])
    return [
        Entity(text=text[s:e], label=label, start=s, end=e, field=field, normalized=key)  # type: ignore[arg-type]
        for (s, e, label), key in zip(found, keys)
    ]


def _gentilic(key: str, tagger: EntityTagger) -> bool:
    """"روسي" (Russian) of "روسيا", "الكيني" of "كينيا": an adjective of a country, which ANERcorp leaves untagged, not a
    name (the entity model tagged most of the ANT sample's 130 "روسي" a person: "جاسوس روسي"، "بدعم روسي"). The country
    must be a place name of the training data that news writes at least as often as the word ("ميدي", a Yemeni town,
    is no adjective of "ميديا"). The caller keeps a family name the article gives in full ("ميغان روسي"، "ستيفن كوري")."""
    base = key.removeprefix("ال")
    country = base[:-1] + "يا"
    return len(base) >= 4 and base.endswith("ي") and "LOCB" in tagger.gazetteer.get(country, ()) \
        and tagger.word_counts.get(country, 0) >= tagger.word_counts.get(base, 0)


@lru_cache(maxsize=100_000)  # news repeats its names
def name_key(mention: str) -> str:
    """Aggregation key of one mention, readably spelled; an article-less لل form reads as ال (للقوات -> القوات)."""
    name = " ".join(plain(mention).replace("#", " ").replace("_", " ").split())  # "محمد #جواد_ظريف"
    if name.startswith("لل") and len(name) > 4:
        name = "ال" + name[2:]
    return default_name_spelling().key(name)


__all__ = ["extract_entities", "extract_entities_many", "name_key"]

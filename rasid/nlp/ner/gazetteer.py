"""Name lists learned from the labelled training sentences.

For every word key: the labels and positions (B = first word of a name, I =
inside) it takes in training names, kept when the word is tagged so in at
least `min_share` of its occurrences (so "وزارة" counts as ORG-B, "في" never
does). To keep the tagger from trusting a list that already contains the very
sentence it learns from, training features use a *jackknifed* list built from
the other folds (`jackknife()`), and the shipped list uses all of train.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from rasid.nlp.ner.conll import TaggedSentence, entity_spans
from rasid.nlp.ner.wordkey import word_key


def build_gazetteer(sentences: Sequence[TaggedSentence], min_share: float = 0.3) -> dict[str, list[str]]:
    occurrences: Counter[str] = Counter()
    tagged: dict[str, Counter[str]] = defaultdict(Counter)
    for sent in sentences:
        keys = [word_key(t) for t in sent.tokens]
        occurrences.update(keys)
        for start, end, label in entity_spans(sent.tags):
            tagged[keys[start]][label + "B"] += 1
            for k in keys[start + 1 : end]:
                tagged[k][label + "I"] += 1
    out: dict[str, list[str]] = {}
    for key, counts in tagged.items():
        kinds = sorted(kind for kind, c in counts.items() if c >= min_share * occurrences[key])
        if kinds and len(key) > 1:
            out[key] = kinds
    return out


def jackknife(sentences: Sequence[TaggedSentence], folds: int = 5) -> list[dict[str, list[str]]]:
    """For each of `folds` contiguous blocks, the gazetteer built from the other blocks."""
    size = -(-len(sentences) // folds)
    blocks = [list(sentences[i : i + size]) for i in range(0, len(sentences), size)]
    return [build_gazetteer([s for j, b in enumerate(blocks) if j != i for s in b]) for i in range(len(blocks))]

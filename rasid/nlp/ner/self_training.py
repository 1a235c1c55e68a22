"""How a tagger trained on the labelled data tags each word across raw news (self-training).

A name seen a handful of times in ANERcorp, or never, is often seen dozens of
times in the raw ANT articles, most of them in contexts the tagger reads
well ("مرمى سلتيك", "شركة فولكسفاغن"). Tagging all of ANT with a first-pass
CRF and counting, per word key, how often it was tagged with each label gives
a corpus-wide view of the word that a single sentence lacks; `features.py`
turns the shares into features for the CRFs that are then trained.

The counts are learned from raw text with no labels; the tagger that produces
them is trained on the same labelled sentences the final CRFs see (on dev
that is train minus dev, so the dev figure is honest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor

TAG_ORDER: tuple[str, ...] = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
MAX_TOKENS = 200  # a raw paragraph longer than this is cut (tagging cost, not accuracy)
MIN_COUNT = 2  # words seen once in raw news are not kept (model size)
TaggedCounts = Mapping[str, Sequence[int]]


def count_tags(model_path: Path, extractor: FeatureExtractor, sentences: Iterable[Sequence[str]]) -> dict[str, list[int]]:
    """word key -> how often the CRF in `model_path` tagged it with each of `TAG_ORDER`, over `sentences` (keys)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    slot = {tag: i for i, tag in enumerate(TAG_ORDER)}
    counts: dict[str, list[int]] = {}
    for keys in sentences:
        keys = list(keys[:MAX_TOKENS])
        if not keys:
            continue
        for key, tag in zip(keys, tagger.tag(extractor.sentence(keys)), strict=True):
            row = counts.get(key)
            if row is None:
                row = counts[key] = [0] * len(TAG_ORDER)
            row[slot.get(tag, 0)] += 1
    tagger.close()
    return {key: row for key, row in counts.items() if sum(row) >= MIN_COUNT}

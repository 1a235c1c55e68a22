"""The trained entity tagger: tokens in, BIO tags out.

Two CRF passes (see `memory.py`): the first tags each sentence from its own
words; the second also sees what the first pass said about the same words in
the surrounding sentences of the same document, so a name is tagged
consistently wherever it recurs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor
from rasid.nlp.ner.memory import memory_features
from rasid.nlp.ner.model_files import FIRST_PASS_FILE, MODEL_DIR, SECOND_PASS_FILE, read_resources


class ModelNotTrained(RuntimeError):
    """The package holds no trained model (run `rasid ner train`)."""


def _open(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


class EntityTagger:
    """CRFs over cached per-word features (see `features.py`)."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        if not (directory / FIRST_PASS_FILE).exists():
            raise ModelNotTrained(f"no entity model in {directory}; run `rasid ner train`")
        resources = read_resources(directory)
        clusters = {k: tuple(v) for k, v in resources["clusters"].items()}
        self.features = FeatureExtractor(clusters, resources["gazetteer"])
        self.word_counts: dict[str, int] = resources.get("counts", {})
        self._first = _open(directory / FIRST_PASS_FILE)
        second = directory / SECOND_PASS_FILE
        self._second = _open(second) if second.exists() else None

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence of one document (or a stream of neighbouring sentences)."""
        feats = [self.features.sentence(s) for s in sentences]
        first = [list(self._first.tag(f)) if f else [] for f in feats]
        if self._second is None:
            return first
        memory = memory_features([self.features.lookup_forms(s) for s in sentences], first)
        return [
            list(self._second.tag([a + b for a, b in zip(f, m)])) if f else []
            for f, m in zip(feats, memory, strict=True)
        ]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """One BIO tag per token of a single sentence (no document context)."""
        return self.tag_document([tokens])[0] if tokens else []


@lru_cache(maxsize=1)
def default_tagger() -> EntityTagger:
    """The model shipped in the package, loaded once per process."""
    return EntityTagger()

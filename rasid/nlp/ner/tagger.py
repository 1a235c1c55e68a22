"""The trained entity tagger: tokens in, BIO tags out."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor
from rasid.nlp.ner.model_files import CRF_FILE, MODEL_DIR, read_resources


class ModelNotTrained(RuntimeError):
    """The package holds no trained model (run `rasid ner train`)."""


class EntityTagger:
    """A CRF over cached per-word features (see `features.py`)."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        if not (directory / CRF_FILE).exists():
            raise ModelNotTrained(f"no entity model in {directory}; run `rasid ner train`")
        resources = read_resources(directory)
        clusters = {k: tuple(v) for k, v in resources["clusters"].items()}
        self.features = FeatureExtractor(clusters, resources["gazetteer"])
        self.word_counts: dict[str, int] = resources.get("counts", {})
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(directory / CRF_FILE))

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """One BIO tag per token."""
        if not tokens:
            return []
        return list(self._crf.tag(self.features.sentence(tokens)))

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return [self.tag(s) for s in sentences]


@lru_cache(maxsize=1)
def default_tagger() -> EntityTagger:
    """The model shipped in the package, loaded once per process."""
    return EntityTagger()

"""The trained entity tagger: tokens in, BIO tags out.

Two CRF passes (see `memory.py`): the first tags each sentence from its own
words; the second also sees what the first pass said about the same words in
the surrounding sentences of the same document, so a name is tagged
consistently wherever it recurs. A small convolutional network over word
vectors learned from raw news (`neural.py`) adds its label log-probabilities,
weighted as chosen on dev, to both passes' emission scores. Last, names tagged
in one sentence are tagged where they recur untagged nearby (`consistency.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasid.nlp.ner.consistency import propagate_names
from rasid.nlp.ner.decoder import CrfDecoder, WordScores, read_model
from rasid.nlp.ner.features import FeatureExtractor
from rasid.nlp.ner.memory import memory_features
from rasid.nlp.ner.model_files import (
    FIRST_PASS_FILE,
    MODEL_DIR,
    NEURAL_FILE,
    SECOND_PASS_FILE,
    read_resources,
)
from rasid.nlp.ner.neural import ConvTagger
from rasid.nlp.ner.wordkey import word_key

_EMPTY = np.zeros((0, 0))


class ModelNotTrained(RuntimeError):
    """The package holds no trained model (run `rasid ner train`)."""


class EntityTagger:
    """CRFs over cached per-word features (see `features.py`), decoded by `decoder.py`."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        if not (directory / FIRST_PASS_FILE).exists():
            raise ModelNotTrained(f"no entity model in {directory}; run `rasid ner train`")
        resources = read_resources(directory)
        clusters = {k: tuple(v) for k, v in resources["clusters"].items()}
        self.features = FeatureExtractor(clusters, resources["gazetteer"], resources.get("tagged"))
        self.word_counts: dict[str, int] = resources.get("counts", {})
        self.gazetteer: dict[str, list[str]] = resources["gazetteer"]
        # Institution names mined from raw news, by first word (see `institutions.py`).
        self.institutions: dict[str, list[list[str]]] = {}
        for name in resources.get("institutions", []):
            self.institutions.setdefault(name[0], []).append(name)
        models = [read_model(p) for p in (directory / FIRST_PASS_FILE, directory / SECOND_PASS_FILE) if p.exists()]
        # Both passes share one per-word score cache: a new word is analysed once.
        self._scores = WordScores(models)
        self._first = self._scores.decoders[0]
        self._second = self._scores.decoders[1] if len(models) > 1 else None
        self._memory_scores: dict[tuple[str, ...], np.ndarray] = {}
        self.propagate = True  # `consistency.py` after the last pass (off only to measure it)
        # Optional convolutional tagger (`neural.py`): its label log-probabilities, times a weight
        # chosen on dev, are added to each CRF pass's emission scores.
        self.neural: ConvTagger | None = None
        self.neural_weights: tuple[float, float] = tuple(resources.get("neural_weights", (0.0, 0.0)))  # type: ignore[assignment]
        if (directory / NEURAL_FILE).exists():
            self.neural = ConvTagger.load(directory / NEURAL_FILE, self.gazetteer, resources.get("tagged"))
            self._neural_columns = [
                np.asarray([self.neural.labels.index(label) for label in d.labels]) for d in self._scores.decoders
            ]

    def _roles(self, sentences: Sequence[Sequence[str]]) -> list[tuple[list[str], np.ndarray]]:
        out = []
        for tokens in sentences:
            keys = [word_key(t) for t in tokens]
            out.append((keys, self._scores.roles(self.features, keys) if keys else _EMPTY))
        return out

    def first_pass(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags from the first pass alone (each sentence on its own)."""
        roles = self._roles(sentences)
        return self._first_pass(roles, self._neural(roles))

    def _neural(self, roles: list[tuple[list[str], np.ndarray]]) -> list[np.ndarray] | None:
        """The conv tagger's log-probabilities, per pass: weighted, in that CRF's label order, flat."""
        if self.neural is None or not any(self.neural_weights):
            return None
        flat = self.neural.log_probs_flat([keys for keys, _ in roles])
        return [w * flat[:, c] for w, c in zip(self.neural_weights, self._neural_columns, strict=False)]

    @staticmethod
    def _add_flat(emissions: list[np.ndarray], extra: np.ndarray) -> None:
        position = 0
        for e in emissions:
            if len(e):
                e += extra[position : position + len(e)]
                position += len(e)

    def _first_pass(self, roles: list[tuple[list[str], np.ndarray]], neural: list[np.ndarray] | None) -> list[list[str]]:
        cols = self._scores.columns[0]
        emissions = [self._first.emissions(k, r[:, :, cols]) if k else _EMPTY for k, r in roles]
        if neural is not None and self.neural_weights[0]:
            self._add_flat(emissions, neural[0])
        return self._first.viterbi(emissions)

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence of one document (or a stream of neighbouring sentences)."""
        roles = self._roles(sentences)
        neural = self._neural(roles)
        first = self._first_pass(roles, neural)
        second = self._second
        if second is None:
            return self._consistent(roles, first)
        memory = memory_features([self.features.lookup_forms(s) for s in sentences], first)
        cols = self._scores.columns[1]
        emissions = []
        for (keys, r), extra in zip(roles, memory, strict=True):
            if not keys:
                emissions.append(_EMPTY)
                continue
            e = second.emissions(keys, r[:, :, cols])
            e += np.stack([self._memory_score(second, m) for m in extra])
            emissions.append(e)
        if neural is not None and self.neural_weights[1]:
            self._add_flat(emissions, neural[1])
        return self._consistent(roles, second.viterbi(emissions))

    def _consistent(self, roles: list[tuple[list[str], np.ndarray]], tags: list[list[str]]) -> list[list[str]]:
        return propagate_names([keys for keys, _ in roles], tags) if self.propagate else tags

    def _memory_score(self, decoder: CrfDecoder, features: tuple[str, ...]) -> np.ndarray:
        # Memory features repeat a lot ("t1=O", "dm=O"…): score each combination once.
        cached = self._memory_scores.get(features)
        if cached is None:
            cached = self._memory_scores[features] = decoder.score(features)
        return cached

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """One BIO tag per token of a single sentence (no document context)."""
        return self.tag_document([tokens])[0] if tokens else []


@lru_cache(maxsize=1)
def default_tagger() -> EntityTagger:
    """The model shipped in the package, loaded once per process."""
    return EntityTagger()

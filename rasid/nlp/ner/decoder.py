"""Fast Viterbi decoding of a trained linear-chain CRF, with emission scores cached per word.

A token's features are its word's own features plus its neighbours' words
seen at offsets -2..+2 (`features.py`), so its emission score is a sum of
per-word vectors: one vector per (word, offset) is computed once and reused.
Decoding then costs a few numpy additions per sentence and one Viterbi sweep
over all sentences of a document at once (batched by length), instead of
hashing ~40 feature strings per token in crfsuite. The weights are read from
the crfsuite model file, so the result is the same argmax crfsuite computes
(up to the 1e-6 rounding of crfsuite's model dump, which can only matter for
exact ties).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor, WordFeatures

_MAX_CACHED_WORDS = 400_000  # bound the per-word caches of a long-running process


def read_model(model_path: Path) -> tuple[list[str], Any]:
    """Labels and parsed weights (crfsuite's dump) of a crfsuite model file."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return list(tagger.labels()), tagger.info()


class FeatureRows:
    """Feature string -> matrix row, shared by the decoders of one tagger (one lookup serves all)."""

    def __init__(self, features: Iterable[str]) -> None:
        self.rows: dict[str, int] = {}
        for f in features:
            self.rows.setdefault(f, len(self.rows) + 1)  # row 0: features no model knows
        self._words: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def word_rows(self, key: str, word: WordFeatures) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the word's five feature parts, each part led by the zero row, and where parts start."""
        cached = self._words.get(key)
        if cached is None:
            if len(self._words) > _MAX_CACHED_WORDS:
                self._words.clear()
            get = self.rows.get
            indices: list[int] = []
            starts: list[int] = []
            for part in word:
                starts.append(len(indices))
                indices.append(0)
                indices += [get(f, 0) for f in part]
            # numpy arrays rather than lists: the garbage collector does not track them.
            cached = self._words[key] = (np.array(indices, dtype=np.intp), np.array(starts, dtype=np.intp))
        return cached


class CrfDecoder:
    """Scores and decodes with the weights of one crfsuite model."""

    def __init__(self, model: tuple[list[str], Any], rows: FeatureRows | None = None) -> None:
        """`model`: what `read_model()` returned for a crfsuite model file."""
        labels, info = model
        self.labels = labels
        index = {label: i for i, label in enumerate(self.labels)}
        n = len(self.labels)
        self.transitions = np.zeros((n, n))
        for (a, b), w in info.transitions.items():
            self.transitions[index[a], index[b]] = w
        self.feature_rows = rows or FeatureRows(attr for attr, _ in info.state_features)
        row_of = self.feature_rows.rows
        matrix = np.zeros((len(row_of) + 1, n))  # row 0 stays zero
        for (attr, label), w in info.state_features.items():
            matrix[row_of[attr], index[label]] = w
        self._matrix = matrix
        self.weights: dict[str, np.ndarray] = {attr: matrix[row_of[attr]] for attr, _ in info.state_features}
        self._zero = np.zeros(n)
        self._roles: dict[str, np.ndarray] = {}

    def score(self, features: Sequence[str]) -> np.ndarray:
        """Sum of the weight vectors of `features` (unknown features weigh nothing)."""
        out = self._zero.copy()
        for f in features:
            vec = self.weights.get(f)
            if vec is not None:
                out += vec
        return out

    def role_scores(self, key: str, word: WordFeatures) -> np.ndarray:
        """(5, labels): the word's own score and its score as neighbour -1, +1, -2, +2."""
        cached = self._roles.get(key)
        if cached is None:
            if len(self._roles) > _MAX_CACHED_WORDS:
                self._roles.clear()
            indices, starts = self.feature_rows.word_rows(key, word)
            # One gather-and-sum for all five parts.
            cached = self._roles[key] = np.add.reduceat(self._matrix[indices], starts, axis=0)
        return cached

    def emissions(self, extractor: FeatureExtractor, tokens: Sequence[str]) -> np.ndarray:
        """(tokens, labels) emission scores, equal to crfsuite's for `extractor.sentence(tokens)`."""
        keys, words = extractor.word_entries(tokens)
        n = len(keys)
        roles = np.stack([self.role_scores(k, w) for k, w in zip(keys, words)])
        e = roles[:, 0].copy()
        if n > 1:
            e[1:] += roles[:-1, 1]
            e[:-1] += roles[1:, 2]
            weights = self.weights
            for i in range(1, n):
                vec = weights.get("bg-=" + keys[i - 1] + "|" + keys[i])
                if vec is not None:
                    e[i] += vec
                vec = weights.get("bg+=" + keys[i - 1] + "|" + keys[i])
                if vec is not None:
                    e[i - 1] += vec
        if n > 2:
            e[2:] += roles[:-2, 3]
            e[:-2] += roles[2:, 4]
        e[0] += self.score(["BOS"])
        e[n - 1] += self.score(["EOS"])
        if n > 1:
            e[1] += self.score(["BOS2"])
            e[n - 2] += self.score(["EOS2"])
        return e

    def viterbi(self, emissions: Sequence[np.ndarray]) -> list[list[str]]:
        """Best label sequence of each sentence; sentences of equal length are decoded together."""
        out: list[list[str]] = [[] for _ in emissions]
        by_length: dict[int, list[int]] = {}
        for i, e in enumerate(emissions):
            if len(e):
                by_length.setdefault(len(e), []).append(i)
        labels = self.labels
        trans = self.transitions[None, :, :]
        for length, members in by_length.items():
            batch = np.stack([emissions[i] for i in members])  # (B, n, L)
            delta = batch[:, 0]
            back = np.empty((len(members), length, len(labels)), dtype=np.int64)
            for t in range(1, length):
                cand = delta[:, :, None] + trans  # (B, from, to)
                back[:, t] = cand.argmax(1)
                delta = cand.max(1) + batch[:, t]
            best = delta.argmax(1)
            paths = np.empty((len(members), length), dtype=np.int64)
            paths[:, -1] = best
            rows = np.arange(len(members))
            for t in range(length - 1, 0, -1):
                paths[:, t - 1] = back[rows, t, paths[:, t]]
            for row, i in enumerate(members):
                out[i] = [labels[j] for j in paths[row]]
        return out

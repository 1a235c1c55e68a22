"""Fast Viterbi decoding of trained linear-chain CRFs, with emission scores cached per word.

A token's features are its word's own features plus its neighbours' words
seen at offsets -2..+2 (`features.py`), so its emission score is a sum of
per-word vectors: the vector of each (word, offset) is computed once and
reused. Decoding then costs a few numpy additions per sentence and one Viterbi
sweep over all sentences of a document at once (batched by length), instead
of hashing ~40 feature strings per token in crfsuite. The weights are read
from the crfsuite model files, so the result is the argmax crfsuite computes
(up to the 1e-6 rounding of crfsuite's model dump, which can only matter for
exact ties).

Several CRFs (the tagger's two passes) share one `WordScores` cache: a new
word's features are computed once, looked up once, and scored for every model
with one gather-and-sum; only the scores (not the feature strings) are kept,
about 1 KB a word, up to `MAX_CACHED_WORDS` words.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor

MAX_CACHED_WORDS = 100_000  # ~100 MB at most; the cache restarts empty when full
ROLES = 5  # the word itself, then as neighbour -1, +1, -2, +2
VITERBI_BATCH = 64  # sentences decoded together (sorted by length, so padding stays small)


def read_model(model_path: Path) -> tuple[list[str], Any]:
    """Labels and parsed weights (crfsuite's dump) of a crfsuite model file."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return list(tagger.labels()), tagger.info()


class CrfDecoder:
    """The weights of one crfsuite model, indexed by the shared feature rows of a `WordScores`."""

    def __init__(self, model: tuple[list[str], Any], rows: dict[str, int]) -> None:
        """`model`: what `read_model()` returned; `rows`: feature string -> row (row 0 = unknown)."""
        labels, info = model
        self.labels = labels
        index = {label: i for i, label in enumerate(labels)}
        n = len(labels)
        self.transitions = np.zeros((n, n))
        for (a, b), w in info.transitions.items():
            self.transitions[index[a], index[b]] = w
        self.matrix = np.zeros((len(rows) + 1, n))  # row 0 stays zero
        for (attr, label), w in info.state_features.items():
            self.matrix[rows[attr], index[label]] = w
        self.weights: dict[str, np.ndarray] = {attr: self.matrix[rows[attr]] for attr, _ in info.state_features}
        self._zero = np.zeros(n)

    def score(self, features: Sequence[str]) -> np.ndarray:
        """Sum of the weight vectors of `features` (unknown features weigh nothing)."""
        out = self._zero.copy()
        for f in features:
            vec = self.weights.get(f)
            if vec is not None:
                out += vec
        return out

    def emissions(self, keys: Sequence[str], roles: np.ndarray) -> np.ndarray:
        """(tokens, labels) emission scores from the words' role scores (tokens, ROLES, labels).

        Assembles exactly what `FeatureExtractor.sentence()` gives crfsuite:
        own word, neighbours at -1/+1/-2/+2, the two bigrams, BOS/EOS marks.
        """
        n = len(keys)
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
        """Best label sequence of each sentence.

        Sentences are sorted by length and decoded `VITERBI_BATCH` at a time,
        padded to the longest of the batch: a sentence that has ended carries
        its scores through the padded steps unchanged (an identity back
        pointer), so each numpy step serves the whole batch.
        """
        out: list[list[str]] = [[] for _ in emissions]
        order = sorted((i for i, e in enumerate(emissions) if len(e)), key=lambda i: len(emissions[i]))
        labels = self.labels
        n_labels = len(labels)
        trans = self.transitions[None, :, :]
        identity = np.arange(n_labels)
        for start in range(0, len(order), VITERBI_BATCH):
            members = order[start : start + VITERBI_BATCH]
            lengths = [len(emissions[i]) for i in members]
            longest = lengths[-1]
            batch = np.zeros((len(members), longest, n_labels))
            for row, i in enumerate(members):
                batch[row, : lengths[row]] = emissions[i]
            delta = batch[:, 0].copy()
            # A sentence that has ended keeps its scores and an identity back pointer. Members are
            # sorted by length, so the sentences still running at step t are a suffix of the batch.
            back = np.empty((len(members), longest, n_labels), dtype=np.int64)
            back[:] = identity
            first_active = 0
            for t in range(1, longest):
                while lengths[first_active] <= t:
                    first_active += 1
                cand = delta[first_active:, :, None] + trans  # (B, from, to)
                back[first_active:, t] = cand.argmax(1)
                # The max is the candidate the argmax picked, bit for bit.
                delta[first_active:] = cand.max(1) + batch[first_active:, t]
            rows = np.arange(len(members))
            paths = np.empty((len(members), longest), dtype=np.int64)
            paths[:, -1] = delta.argmax(1)
            for t in range(longest - 1, 0, -1):
                paths[:, t - 1] = back[rows, t, paths[:, t]]
            for row, i in enumerate(members):
                out[i] = [labels[j] for j in paths[row, : lengths[row]]]
        return out


class WordScores:
    """Role scores of words under several CRFs at once, cached per word key."""

    def __init__(self, models: Sequence[tuple[list[str], Any]]) -> None:
        self.rows: dict[str, int] = {}
        for _, info in models:
            for attr, _ in info.state_features:
                self.rows.setdefault(attr, len(self.rows) + 1)
        self.decoders = [CrfDecoder(model, self.rows) for model in models]
        self._joint = np.hstack([d.matrix for d in self.decoders])  # (rows, sum of label counts)
        bounds = np.cumsum([0] + [len(d.labels) for d in self.decoders])
        self.columns = [slice(int(a), int(b)) for a, b in pairwise(bounds)]
        self._cache: dict[str, np.ndarray] = {}

    def roles(self, extractor: FeatureExtractor, keys: Sequence[str]) -> np.ndarray:
        """(tokens, ROLES, all models' labels) for the word keys of one sentence."""
        cache = self._cache
        out = []
        for key in keys:
            scores = cache.get(key)
            if scores is None:
                if len(cache) >= MAX_CACHED_WORDS:
                    cache.clear()
                scores = cache[key] = self._score_word(extractor, key)
            out.append(scores)
        return np.stack(out)

    def _score_word(self, extractor: FeatureExtractor, key: str) -> np.ndarray:
        get = self.rows.get
        indices: list[int] = []
        starts: list[int] = []
        for part in extractor.compute_word(key):
            starts.append(len(indices))
            indices.append(0)  # each part starts with the zero row, so no part is empty
            indices += [get(f, 0) for f in part]
        return np.add.reduceat(self._joint[indices], starts, axis=0)

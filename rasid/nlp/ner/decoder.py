"""Fast Viterbi decoding of trained linear-chain CRFs, with emission scores cached per word.

A token's features are its word's own features plus its neighbours' words
seen at offsets -2..+2 (`features.py`), so its emission score is a sum of
per-word vectors: the vector of each (word, offset) is computed once and
reused. Decoding then costs a few numpy additions per document (all its
sentences at once, all models' labels side by side) and one Viterbi sweep
(batched by sentence length), instead of hashing ~40 feature strings per
token in crfsuite. The weights are read from the crfsuite model files, so the
result is the argmax crfsuite computes (up to the 1e-6 rounding of crfsuite's
model dump, which can only matter for exact ties; `tests/nlp/test_ner_decoding.py`).

Several CRFs (the tagger's two passes) share one `WordScores` table: a new
word's features are computed once, looked up once, and scored for every model
with one gather-and-sum (for all of a document's new words together); only the
scores (not the feature strings) are kept, one row per word id, about 1 KB a
word, up to `MAX_CACHED_WORDS` words.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate, pairwise, repeat
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite

from rasid.nlp.ner.features import FeatureExtractor

MAX_CACHED_WORDS = 100_000  # ~100 MB at most; the table restarts empty when full
ROLES = 5  # the word itself, then as neighbour -1, +1, -2, +2
NEIGHBOUR_PREFIXES = {"-1": 0, "+1": 1, "-2": 2, "+2": 3}  # how `FeatureExtractor` marks roles 1-4
VITERBI_BATCH = 64  # sentences decoded together (sorted by length, so padding stays small)
SCORE_BATCH = 256  # new words scored together (the gathered feature rows stay in the CPU caches)
BACKTRACE_IN_PYTHON = 2048  # (steps x sentences) up to which back pointers are followed in Python


def read_model(model_path: Path) -> tuple[list[str], Any]:
    """Labels and parsed weights (crfsuite's dump) of a crfsuite model file."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return list(tagger.labels()), tagger.info()


def _flat_pointers(back: np.ndarray) -> Sequence[int]:
    """Back pointers as one flat sequence of ints for Python to follow: bytes when labels fit in one
    (indexing bytes gives ints, and building them is ~50x cheaper than `tolist()`)."""
    if back.shape[-1] <= 256:
        return back.astype(np.uint8).tobytes()
    return back.ravel().tolist()


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
        self._into = self.transitions.T[None, :, :].copy()  # (1, to, from): reductions run over the last axis
        self._cells = np.arange(VITERBI_BATCH * n) * n  # start of each (sentence, to) row of candidates
        self._into_all = np.ascontiguousarray(np.broadcast_to(self._into, (VITERBI_BATCH, n, n)))  # per sentence
        self._offsets = self._cells.reshape(VITERBI_BATCH, n)

    def score(self, features: Sequence[str]) -> np.ndarray:
        """Sum of the weight vectors of `features` (unknown features weigh nothing)."""
        out = self._zero.copy()
        for f in features:
            vec = self.weights.get(f)
            if vec is not None:
                out += vec
        return out

    def viterbi(self, emissions: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """Best label index of each token: `emissions` (tokens, labels) of consecutive sentences of `lengths`.

        Sentences are sorted by length and decoded `VITERBI_BATCH` at a time,
        padded to the longest of the batch, so each numpy step serves all the
        sentences still running; the back pointers are then followed in Python
        from each sentence's own last token.
        """
        if len(lengths) == 1 and lengths[0]:
            return self._viterbi_one(emissions)
        out = np.zeros(len(emissions), dtype=np.int64)
        starts = list(accumulate(lengths[:-1], initial=0)) if len(lengths) else []
        order = sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i])
        n_labels = len(self.labels)
        into_all = self._into_all
        offsets = self._offsets
        for first in range(0, len(order), VITERBI_BATCH):
            members = order[first : first + VITERBI_BATCH]
            sizes = [lengths[i] for i in members]
            longest = sizes[-1]
            count = len(members)
            batch = np.zeros((longest, count, n_labels))  # (step, sentence, label)
            for row, i in enumerate(members):
                batch[: sizes[row], row] = emissions[starts[i] : starts[i] + sizes[row]]
            delta = batch[0].copy()
            back = np.empty((longest, count, n_labels), dtype=np.int64)
            # Each sentence's scores repeated for every next label, (sentence, to, from): the candidates
            # are then one contiguous addition (a broadcast one costs twice as much).
            repeated = np.empty((count, n_labels, n_labels))
            repeated[:] = delta[:, None, :]
            scratch = np.empty((count, n_labels, n_labels))
            picked = np.empty((count, n_labels), dtype=np.int64)
            # Members are sorted by length, so the sentences still running at step t are a suffix
            # of the batch (from `first_active`); one that has ended keeps its last scores.
            first_active = 0
            t = 1
            while t < longest:
                while sizes[first_active] <= t:
                    first_active += 1
                running = count - first_active
                scores = delta[first_active:]  # views: updated in place
                previous = repeated[first_active:]
                as_previous = scores[:, None, :]
                cand = scratch[:running]  # (B, to, from)
                into = into_all[:running]
                cells = picked[:running]
                start = offsets[:running]
                back_running = back[:, first_active:]
                batch_running = batch[:, first_active:]
                stop = sizes[first_active]  # the same sentences run until then
                for step in range(t, stop):
                    np.add(previous, into, out=cand)
                    best_from = back_running[step]
                    cand.argmax(2, out=best_from)
                    # The candidate the argmax picked is the max, bit for bit (and cheaper to take than a max).
                    np.add(best_from, start, out=cells)
                    cand.take(cells, out=scores)
                    scores += batch_running[step]
                    previous[:] = as_previous
                t = stop
            self._backtrace(back, delta.argmax(1), sizes, [starts[i] for i in members], out)
        return out

    def _viterbi_one(self, emissions: np.ndarray) -> np.ndarray:
        """`viterbi()` of a single sentence (a title): the same sums, without the batching."""
        size, n_labels = emissions.shape
        into = self._into[0]  # (to, from)
        rows = self._cells[:n_labels]
        delta = emissions[0].copy()
        cand = np.empty((n_labels, n_labels))
        back = np.empty((size, n_labels), dtype=np.int64)
        for step in range(1, size):
            np.add(delta, into, out=cand)
            best_from = back[step]
            cand.argmax(1, out=best_from)
            np.add(cand.take(rows + best_from), emissions[step], out=delta)
        label = int(delta.argmax())
        path = [label] * size
        pointers = _flat_pointers(back)  # (step, label) -> one index
        for t in range(size - 1, 0, -1):
            label = pointers[t * n_labels + label]
            path[t - 1] = label
        return np.array(path, dtype=np.int64)

    @staticmethod
    def _backtrace(back: np.ndarray, ends: np.ndarray, sizes: list[int], starts: list[int], out: np.ndarray) -> None:
        """Follow the back pointers (step, sentence, label) from each sentence's last label into `out`."""
        longest, members, n_labels = back.shape
        if members * longest <= BACKTRACE_IN_PYTHON:  # plain Python is quicker up to large batches
            pointers = _flat_pointers(back)  # (step, sentence, label) -> one index
            stride = members * n_labels
            for row, label in enumerate(ends.tolist()):
                size = sizes[row]
                path = [label] * size
                at = (size - 1) * stride + row * n_labels
                for t in range(size - 2, -1, -1):
                    label = pointers[at + label]
                    path[t] = label
                    at -= stride
                out[starts[row] : starts[row] + size] = path
            return
        # All sentences at once, right to left; a sentence joins at its own last token.
        flat = back.reshape(-1)
        rows = np.arange(members) * n_labels
        paths = np.empty((longest, members), dtype=np.int64)
        label = np.zeros(members, dtype=np.int64)
        joined = members  # sentences from `joined` on have started (sizes ascend)
        for t in range(longest - 1, -1, -1):
            while joined and sizes[joined - 1] > t:
                joined -= 1
                label[joined] = ends[joined]
            paths[t, joined:] = label[joined:]
            if t:
                label[joined:] = flat[t * members * n_labels + rows[joined:] + label[joined:]]
        for row in range(members):
            out[starts[row] : starts[row] + sizes[row]] = paths[: sizes[row], row]


class WordScores:
    """Role scores of words under several CRFs at once, one row per word id; emissions of whole documents."""

    def __init__(self, models: Sequence[tuple[list[str], Any]]) -> None:
        self.rows: dict[str, int] = {}
        for _, info in models:
            for attr, _ in info.state_features:
                self.rows.setdefault(attr, len(self.rows) + 1)
        self.decoders = [CrfDecoder(model, self.rows) for model in models]
        self._joint = np.hstack([d.matrix for d in self.decoders])  # (rows, sum of label counts)
        bounds = np.cumsum([0] + [len(d.labels) for d in self.decoders])
        self.columns = [slice(int(a), int(b)) for a, b in pairwise(bounds)]
        self._marks = {mark: self._joint[self.rows.get(mark, 0)] for mark in ("BOS", "EOS", "BOS2", "EOS2")}
        # Feature rows of a word seen as a neighbour, by the unprefixed feature: "-1w=…" under "w=…".
        self._role_rows: list[dict[str, int]] = [{} for _ in NEIGHBOUR_PREFIXES]
        for attr, row in self.rows.items():
            role = NEIGHBOUR_PREFIXES.get(attr[:2])
            if role is not None:
                self._role_rows[role][attr[2:]] = row
        self._index_bigrams()
        self.reset()

    def _index_bigrams(self) -> None:
        """The models' word-bigram features ("bg-=a|b", "bg+=a|b") by (a, b), as sorted integer codes.

        A token pair then finds its bigram rows with one vectorised binary search, no strings built.
        """
        words: dict[str, int] = {}  # words that occur in some bigram feature
        found: dict[tuple[int, int], list[int]] = {}
        for attr, row in self.rows.items():
            if not attr.startswith(("bg-=", "bg+=")):
                continue
            pair = attr[4:]
            for cut, char in enumerate(pair):
                if char == "|":  # every reading of a|b, in case a word itself holds a "|"
                    a = words.setdefault(pair[:cut], len(words))
                    b = words.setdefault(pair[cut + 1 :], len(words))
                    found.setdefault((a, b), [0, 0])[0 if attr[2] == "-" else 1] = row
        self._bigram_words = words
        ordered = sorted(found)
        self._bigram_codes = np.asarray([a * len(words) + b for a, b in ordered], dtype=np.int64)
        self._bigram_rows = np.asarray([found[pair] for pair in ordered], dtype=np.int64).reshape(-1, 2)

    def reset(self) -> None:
        """Forget every word (their ids start again from 0)."""
        self.words = 0
        # The whole table at once: fresh zero pages, resident only as rows are written; growing it by
        # copying (up to 70 MB) stalled the stream for up to a tenth of a second, mid-article.
        self._table = np.zeros((MAX_CACHED_WORDS, ROLES, self._joint.shape[1]))
        self._bigram_of = np.zeros(MAX_CACHED_WORDS, dtype=np.int64)  # per word id: index in `_bigram_words`, or -1

    def add(self, extractor: FeatureExtractor, keys: Sequence[str]) -> None:
        """Score new words (distinct, not yet added): they get ids `words`, `words + 1`, …"""
        needed = self.words + len(keys)
        if needed > len(self._table):  # only one call with more new words than the whole table
            grown = np.zeros((max(needed, min(2 * len(self._table), MAX_CACHED_WORDS)), *self._table.shape[1:]))
            grown[: self.words] = self._table[: self.words]
            self._table = grown
            self._bigram_of = np.resize(self._bigram_of, len(grown))
        for first in range(0, len(keys), SCORE_BATCH):
            batch = keys[first : first + SCORE_BATCH]
            at = self.words + first
            self._table[at : at + len(batch)] = self._score_words(extractor, batch)
        self._bigram_of[self.words : needed] = [self._bigram_words.get(key, -1) for key in keys]
        self.words = needed

    def _score_words(self, extractor: FeatureExtractor, keys: Sequence[str]) -> np.ndarray:
        """(words, ROLES, labels): each role's feature rows summed (one gather and one reduceat)."""
        own_row = self.rows.get
        left1, right1, left2, right2 = (rows.get for rows in self._role_rows)
        indices = array("q")
        starts = array("q")
        zero = repeat(0)  # the row of an unknown feature
        # Each part starts with the zero row, so no part is empty; parts in `FeatureExtractor._word` order.
        for key in keys:
            own, near, far = extractor.word_parts(key)
            for row_of, features in ((own_row, own), (left1, near), (right1, near), (left2, far), (right2, far)):
                starts.append(len(indices))
                indices.append(0)
                indices.extend(map(row_of, features, zero))
        rows = self._joint[np.frombuffer(indices, dtype=np.int64)]
        return np.add.reduceat(rows, np.frombuffer(starts, dtype=np.int64), axis=0).reshape(len(keys), ROLES, -1)

    def emissions(self, ids: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """(tokens, all models' labels) emission scores of consecutive sentences (`lengths`, none empty).

        `ids`: word id of each token. Assembles exactly what
        `FeatureExtractor.sentence()` gives crfsuite, in the same order of
        additions: own word, neighbours at -1/+1, the two bigrams, -2/+2, BOS/EOS marks.
        """
        roles = self._table.take(ids, axis=0)  # (tokens, ROLES, labels)
        if len(lengths) == 1:
            return self._sentence_emissions(roles, ids)
        sizes = np.asarray(lengths)
        ends = sizes.cumsum()
        remaining = np.repeat(ends, sizes) - np.arange(len(ids)) - 1  # tokens after it in its sentence
        # Shifted slices over the whole document; a 0/1 mask zeroes what would cross a sentence
        # boundary (x·1 = x and e + 0 = e exactly, so the sums are those of the per-sentence features).
        pair = (remaining[:-1] >= 1)[:, None]  # token i and i + 1 share a sentence
        e = roles[:, 0].copy()
        e[1:] += roles[:-1, 1] * pair
        e[:-1] += roles[1:, 2] * pair
        self._add_bigrams(e, ids, (remaining >= 1).nonzero()[0])
        pair = (remaining[:-2] >= 2)[:, None]  # token i and i + 2 share a sentence
        e[2:] += roles[:-2, 3] * pair
        e[:-2] += roles[2:, 4] * pair
        # The boundary marks, added to the tokens they belong to only (elsewhere they would add 0),
        # in the same order: BOS, EOS, BOS2, EOS2.
        marks = self._marks
        firsts = ends - sizes
        long = sizes > 1
        e[firsts] += marks["BOS"]
        e[ends - 1] += marks["EOS"]
        e[firsts[long] + 1] += marks["BOS2"]
        e[ends[long] - 2] += marks["EOS2"]
        return e

    def _sentence_emissions(self, roles: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """`emissions()` of a single sentence: the same additions in the same order, no sentence masks.

        (Where `emissions()` adds a neighbour times 0 or a mark times 0, this adds nothing: the same values.)
        """
        n = len(ids)
        e = roles[:, 0].copy()
        if n > 1:
            e[1:] += roles[:-1, 1]
            e[:-1] += roles[1:, 2]
            self._add_bigrams(e, ids, np.arange(n - 1))
            e[2:] += roles[:-2, 3]
            e[:-2] += roles[2:, 4]
        marks = self._marks
        e[0] += marks["BOS"]
        e[n - 1] += marks["EOS"]
        if n > 1:
            e[1] += marks["BOS2"]
            e[n - 2] += marks["EOS2"]
        return e

    def _add_bigrams(self, e: np.ndarray, ids: np.ndarray, left: np.ndarray) -> None:
        """Add the "bg-" (to the right word) then "bg+" (to the left word) weights of the pairs (left, left + 1)."""
        if not len(self._bigram_codes):
            return
        of = self._bigram_of
        a = of[ids[left]]
        b = of[ids[left + 1]]
        both = (a >= 0) & (b >= 0)
        left = left[both]
        codes = a[both] * len(self._bigram_words) + b[both]
        at = np.minimum(self._bigram_codes.searchsorted(codes), len(self._bigram_codes) - 1)
        hit = self._bigram_codes[at] == codes
        left = left[hit]
        rows = self._bigram_rows[at[hit]]
        minus, plus = rows[:, 0], rows[:, 1]
        e[left[minus > 0] + 1] += self._joint[minus[minus > 0]]
        e[left[plus > 0]] += self._joint[plus[plus > 0]]

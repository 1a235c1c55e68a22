"""A small convolutional tagger over word embeddings learned from raw news, run in pure numpy.

Why: the CRF sees words as sparse strings; a name it never saw is only
linked to training names through cluster ids. This network sees dense word
vectors (PPMI-SVD vectors learned from the ANT articles, `clusters.py`),
the word's proclitic-free base, its letters (a character CNN, so an unknown
word still gets a representation) and the gazetteer, and gives per-token label
log-probabilities that the tagger adds to the CRF's emission scores.

Architecture (trained with torch by `neural_training.py`, exported to .npz):
  word vector = [embedding(word) | embedding(base form) | char-CNN(letters) | gazetteer kinds]
  conv1 (width 3) -> ReLU -> conv2 (width 3) -> ReLU [-> conv3 (width 3, dilation 2) -> ReLU] -> linear -> log-softmax.
Speed: a word's conv1 contribution at each of its three positions depends on
the word alone, so it is computed once per word type and cached; a document
then costs a gather, shifted adds, one (tokens x 3·hidden x hidden) matmul and
the output layer, for all its sentences at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np

from rasid.nlp.clitics import proclitic_splits

GAZ_KINDS: tuple[str, ...] = tuple(f"{label}{part}" for label in ("PER", "LOC", "ORG", "MISC") for part in "BI")
GAZ_DIM = len(GAZ_KINDS) + 1  # + "the hit is on the proclitic-free base"
MAX_CHARS = 24
_GAZ_INDEX = {k: i for i, k in enumerate(GAZ_KINDS)}
_MAX_CACHED_WORDS = 100_000
_CHUNK_TOKENS = 1024
_ZEROS = (0,) * MAX_CHARS  # padding of a word's letter ids


def base_form(key: str, vocab: Mapping[str, int]) -> str:
    """The longest proclitic-free form of `key` that `vocab` knows, else `key` (وبغداد -> بغداد)."""
    for prefix, base in proclitic_splits(key):
        if not prefix:
            break
        form = ("ال" + base) if prefix.endswith("لل") else base
        if form in vocab:
            return form
        if base in vocab:
            return base
    return key


def gazetteer_vector(key: str, gazetteer: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Multi-hot of the name-list kinds of `key` (or, failing that, of its proclitic-free base)."""
    out = np.zeros(GAZ_DIM, dtype=np.float32)
    _fill_gazetteer(out, key, gazetteer)
    return out


def _fill_gazetteer(out: np.ndarray, key: str, gazetteer: Mapping[str, Sequence[str]]) -> None:
    """`gazetteer_vector()` written into `out` (zeros)."""
    hits = gazetteer.get(key)
    if not hits:
        for prefix, base in proclitic_splits(key)[:-1]:
            hits = gazetteer.get(("ال" + base) if prefix.endswith("لل") else base)
            if hits:
                out[-1] = 1.0
                break
    for kind in hits or ():
        i = _GAZ_INDEX.get(kind)
        if i is not None:
            out[i] = 1.0


TAGGED_DIM = 6  # shares of O, PER, LOC, ORG, MISC in raw-news tagging (`self_training.py`), log count


def tagged_vector(key: str, tagged: Mapping[str, Sequence[int]]) -> np.ndarray:
    """How a first-pass CRF tagged `key` (or, failing that, its proclitic-free base) across raw news."""
    counts = tagged.get(key)
    if counts is None:
        for prefix, base in proclitic_splits(key)[:-1]:
            counts = tagged.get(("ال" + base) if prefix.endswith("لل") else base)
            if counts is not None:
                break
    out = np.zeros(TAGGED_DIM, dtype=np.float32)
    if counts:
        n = sum(counts)
        out[0] = counts[0] / n
        for t in range(4):
            out[1 + t] = (counts[1 + 2 * t] + counts[2 + 2 * t]) / n
        out[5] = np.log2(1 + n) / 10
    return out


def char_ids(key: str, alphabet: Mapping[str, int]) -> list[int]:
    """Letters of `key` between boundary marks (1 = unknown letter, 2 = start, 3 = end); 0 pads."""
    return [2, *(alphabet.get(c, 1) for c in key[: MAX_CHARS - 2]), 3]


# A chunk of a document for the conv tagger: its token range in the batch, its keys and word ids.
_Chunk = tuple[int, int, Sequence[str], "np.ndarray | None"]


def _document_chunks(lengths: Sequence[int]) -> list[tuple[int, int, list[int]]]:
    """A document's chunks of whole sentences of at most `_CHUNK_TOKENS` tokens (a longer sentence
    alone): (first token, end token, sentence lengths)."""
    chunks = []
    first = size = 0
    sizes: list[int] = []
    for n in lengths:
        if size + n > _CHUNK_TOKENS and size:
            chunks.append((first, first + size, sizes))
            first += size
            size = 0
            sizes = []
        sizes.append(n)
        size += n
    if size:
        chunks.append((first, first + size, sizes))
    return chunks


class ConvTagger:
    """Inference for the exported network; `log_probs()` per sentence of a document."""

    def __init__(self, weights: Mapping[str, np.ndarray], vocab: Sequence[str], alphabet: str,
                 labels: Sequence[str], gazetteer: Mapping[str, Sequence[str]],
                 dilations: Sequence[int] = (1,), tagged: Mapping[str, Sequence[int]] | None = None) -> None:
        """`tagged`: the raw-news tag counts, for a network trained with them as inputs (else None)."""
        self.labels = list(labels)
        self.vocab = {w: i + 1 for i, w in enumerate(vocab)}  # 0 = unknown word (zero vector)
        self.alphabet = {c: i + 4 for i, c in enumerate(alphabet)}
        self.gazetteer = gazetteer
        self.tagged = tagged
        f32 = np.float32
        self.embeddings = weights["embeddings"].astype(f32)
        self.char_embeddings = weights["char_embeddings"].astype(f32)
        char_conv = weights["char_conv"].astype(f32)  # (filters, char_dim, 3)
        self.char_conv = np.concatenate([char_conv[:, :, k].T for k in range(3)], axis=0)  # (3·char_dim, filters)
        self.char_bias = weights["char_bias"].astype(f32)
        conv1 = weights["conv1"].astype(f32)  # (hidden, word_dim, 3)
        # Per position k: (word_dim, hidden), stacked so one matmul gives all three.
        self.conv1 = np.concatenate([conv1[:, :, k].T for k in range(3)], axis=1)
        self.conv1_bias = weights["conv1_bias"].astype(f32)
        # Upper conv layers: (3·hidden, hidden) kernels, biases and dilations (conv2, conv3, …).
        self.upper: list[tuple[np.ndarray, np.ndarray, int]] = []
        for layer, dilation in enumerate(dilations, start=2):
            kernel = weights[f"conv{layer}"].astype(f32)
            stacked = np.concatenate([kernel[:, :, k].T for k in range(3)], axis=0)
            self.upper.append((stacked, weights[f"conv{layer}_bias"].astype(f32), int(dilation)))
        self.out = weights["out"].astype(f32).T  # (hidden, labels)
        self.out_bias = weights["out_bias"].astype(f32)
        self.hidden = self.conv1_bias.shape[0]
        self._index: dict[str, int] = {}  # word key -> row of `_projected`
        # The whole cache at once: np.zeros takes fresh zero pages from the OS, so only the rows written
        # count in resident memory, and the table does not grow by copying (copying 50-100 MB stalled the
        # stream for a quarter of a second, mid-article).
        self._projected = np.zeros((_MAX_CACHED_WORDS, 3, self.hidden), np.float32)
        # The same rows by a caller's word ids (`EntityTagger`'s), -1 where not looked up yet: a token
        # then costs a numpy gather, not a dict lookup. Filled from `_index`, emptied when it is.
        self._row_of_id = np.full(1024, -1, dtype=np.int64)

    @classmethod
    def load(cls, path: Path, gazetteer: Mapping[str, Sequence[str]],
             tagged: Mapping[str, Sequence[int]] | None = None) -> ConvTagger:
        with np.load(path, allow_pickle=False) as data:
            weights = {k: data[k] for k in data.files}
        info = json.loads(str(weights.pop("meta_json")))
        if info.get("tagged_inputs") and tagged is None:
            raise ValueError(f"{path} was trained with raw-news tag counts; pass them")
        return cls(weights, info["vocab"], info["alphabet"], info["labels"], gazetteer, info.get("dilations", (1,)),
                   tagged if info.get("tagged_inputs") else None)

    def word_vector(self, key: str) -> np.ndarray:
        """The word's input vector (see the module docs)."""
        return self._word_vectors([key])[0]

    def _word_vectors(self, keys: Sequence[str]) -> np.ndarray:
        """(words, input dim) for several words at once (the char CNN runs as one matmul)."""
        ids = [char_ids(key, self.alphabet) for key in keys]
        sizes = list(map(len, ids))
        width = max(sizes) + 2
        # A zero column either side: the conv padding (built as one list: one array conversion).
        padded = np.array([[0, *x, *_ZEROS[: width - 1 - len(x)]] for x in ids], dtype=np.int64)
        chars = self.char_embeddings[padded]  # (words, width, char_dim); row 0 of the table is zero
        windows = np.concatenate([chars[:, :-2], chars[:, 1:-1], chars[:, 2:]], axis=2)
        conv = np.maximum(windows @ self.char_conv + self.char_bias, 0)  # (words, width - 2, filters)
        lengths = np.asarray(sizes)
        conv[np.arange(width - 2)[None, :] >= lengths[:, None]] = 0  # after ReLU, 0 never beats a real position
        vocab = self.vocab
        words = np.asarray([vocab.get(key, 0) for key in keys])
        bases = np.asarray([vocab.get(base_form(key, vocab), 0) for key in keys])
        gaz = np.zeros((len(keys), GAZ_DIM), dtype=np.float32)
        for row, key in enumerate(keys):
            _fill_gazetteer(gaz[row], key, self.gazetteer)
        parts = [self.embeddings[words], self.embeddings[bases], np.maximum.reduce(conv, axis=1), gaz]
        if self.tagged is not None:
            parts.append(np.stack([tagged_vector(key, self.tagged) for key in keys]))
        return np.concatenate(parts, axis=1)

    def forget_word_ids(self) -> None:
        """The caller's word ids now stand for other words (see `_row_of_id`)."""
        self._row_of_id[:] = -1

    def _projections(self, keys: Sequence[str], word_ids: np.ndarray | None = None) -> np.ndarray:
        """(tokens, 3, hidden): what each word adds to conv1 as the left neighbour, centre, right neighbour."""
        rows = self._projection_rows(keys, word_ids)  # first: it may grow `_projected`
        return self._projected.take(rows, axis=0)

    def _projection_rows(self, keys: Sequence[str], word_ids: np.ndarray | None = None) -> np.ndarray:
        """Rows of `_projected` for `keys` (one chunk), new words projected first.

        Cached per word: a row of `_projected` per word id. New words are projected together
        (one batch per chunk: the batch decides the float32 rounding, so it stays as it is).
        `word_ids`: the caller's id of each key (see `_row_of_id`), when it has them.
        """
        if word_ids is None:
            return self._rows(keys)
        highest = int(np.maximum.reduce(word_ids))
        if highest >= len(self._row_of_id):
            grown = np.full(max(highest + 1, 2 * len(self._row_of_id)), -1, dtype=np.int64)
            grown[: len(self._row_of_id)] = self._row_of_id
            self._row_of_id = grown
        rows = self._row_of_id[word_ids]
        unseen = (rows < 0).nonzero()[0]
        if len(unseen):
            unseen_keys = [keys[i] for i in unseen.tolist()]
            cleared = self._add_missing(unseen_keys, keys)
            if cleared:  # every row is new: the whole chunk is looked up again
                self._row_of_id[:] = -1
                self._row_of_id[word_ids] = self._rows(keys)
            else:
                self._row_of_id[word_ids[unseen]] = self._rows(unseen_keys)
            rows = self._row_of_id[word_ids]
        return rows

    def _rows(self, keys: Sequence[str]) -> np.ndarray:
        """Rows of `_projected` for `keys`, projecting the new ones (`_add_missing`)."""
        index = self._index
        ids = list(map(index.get, keys))  # None: not projected yet
        if None in ids:
            self._add_missing(keys, keys)
            ids = list(map(index.__getitem__, keys))
        return np.array(ids, dtype=np.int64)

    def _add_missing(self, candidates: Sequence[str], chunk: Sequence[str]) -> bool:
        """Project the `candidates` not in `_index` (in order of first occurrence), as one batch.

        When the cache would overflow it is cleared and all of `chunk` is projected: returns True then.
        """
        index = self._index
        missing = list(dict.fromkeys(key for key in candidates if key not in index))
        if not missing:
            return False
        cleared = len(index) + len(missing) > _MAX_CACHED_WORDS
        if cleared:
            index.clear()
            missing = list(dict.fromkeys(chunk))
        first = len(index)
        end = first + len(missing)
        if end > len(self._projected):  # only a single chunk with more new words than the whole cache
            grown = np.zeros((max(end, min(2 * len(self._projected), _MAX_CACHED_WORDS)), 3, self.hidden), np.float32)
            grown[:first] = self._projected[:first]
            self._projected = grown
        self._projected[first:end] = (self._word_vectors(missing) @ self.conv1).reshape(len(missing), 3, self.hidden)
        for offset, key in enumerate(missing):
            index[key] = first + offset
        return cleared

    def log_probs(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """(tokens, labels) log-probabilities per sentence of word keys; sentences are independent."""
        if not sentences:
            return []
        flat = self.log_probs_flat(sentences)
        return np.split(flat, np.cumsum([len(s) for s in sentences])[:-1])

    def log_probs_flat(self, sentences: Sequence[Sequence[str]], tokens: Sequence[str] | None = None,
                       word_ids: np.ndarray | None = None) -> np.ndarray:
        """`log_probs()` of all tokens of all sentences, stacked: (tokens, labels).

        `tokens`: the sentences' keys concatenated, when the caller has them; `word_ids`: the
        caller's id of each token's key (one id per distinct key, stable until `forget_word_ids()`).
        """
        return self.log_probs_documents([(sentences, tokens, word_ids)])

    def log_probs_documents(
        self, documents: Sequence[tuple[Sequence[Sequence[str]], Sequence[str] | None, np.ndarray | None]],
    ) -> np.ndarray:
        """`log_probs_flat()` of several documents, stacked: each its own (sentences, tokens, word_ids).

        Each document is read in its own chunks, with its own new-word batches and its own
        matrix products (those decide the float32 rounding), exactly as alone; the element-wise
        steps between them run once for as many chunks as fit in `_CHUNK_TOKENS` (an article's
        fields: once), so the arrays stay small enough for the CPU caches.
        """
        groups: list[tuple[list[_Chunk], list[int], int]] = []  # (chunks, sentence lengths, tokens)
        chunks: list[_Chunk] = []
        lengths: list[int] = []
        size = 0
        for sentences, tokens, word_ids in documents:
            if tokens is None:
                tokens = [key for keys in sentences for key in keys]
            for first, end, chunk_lengths in _document_chunks([len(keys) for keys in sentences if keys]):
                if size and size + end - first > _CHUNK_TOKENS:
                    groups.append((chunks, lengths, size))
                    chunks, lengths, size = [], [], 0
                chunks.append((size, size + end - first, tokens[first:end],
                               None if word_ids is None else word_ids[first:end]))
                lengths += chunk_lengths
                size += end - first
        if size:
            groups.append((chunks, lengths, size))
        if not groups:
            return np.zeros((0, len(self.labels)), np.float32)
        parts = [self._log_probs(*group) for group in groups]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _log_probs(self, chunks: list[_Chunk], lengths: list[int], n: int) -> np.ndarray:
        """Log-probabilities of `n` tokens: `chunks` of consecutive sentences of `lengths` (none empty)."""
        # Each chunk's projections, gathered as soon as they are known (a later chunk may clear the cache).
        proj = np.empty((n, 3, self.hidden), np.float32)
        for a, b, tokens, word_ids in chunks:
            rows = self._projection_rows(tokens, word_ids)  # first: it may grow `_projected`
            self._projected.take(rows, axis=0, out=proj[a:b])
        h = proj[:, 1] + self.conv1_bias
        if len(lengths) == 1:
            # One sentence: every token but the first has a left neighbour, all but the last a right one.
            h[1:] += proj[:-1, 0]
            h[:-1] += proj[1:, 2]
            has_left = has_right = None
        else:
            # 1 where the token has a left (right) neighbour in its own sentence: the convs' zero padding.
            starts = list(accumulate(lengths, initial=0))
            has_left = np.ones((n, 1), np.float32)
            has_right = np.ones((n, 1), np.float32)
            has_left[starts[:-1]] = 0
            has_right[[end - 1 for end in starts[1:]]] = 0
            h[1:] += proj[:-1, 0] * has_left[1:]
            h[:-1] += proj[1:, 2] * has_right[:-1]
        np.maximum(h, 0, out=h)
        width = h.shape[1]
        for kernel, bias, d in self.upper:
            # [left neighbour | token | right neighbour], zero where the neighbour is outside the sentence.
            windows = np.empty((n, 3 * width), np.float32)
            windows[:, width : 2 * width] = h
            windows[:d, :width] = 0
            windows[n - d :, 2 * width :] = 0
            if has_left is None:
                windows[d:, :width] = h[:-d]
                windows[:-d, 2 * width :] = h[d:]
            elif d == 1:
                np.multiply(h[:-1], has_left[1:], out=windows[1:, :width])
                np.multiply(h[1:], has_right[:-1], out=windows[:-1, 2 * width :])
            else:
                # Dilated: the neighbour d tokens away, when it lies in the same sentence.
                sentence = np.repeat(np.arange(len(lengths)), lengths)
                same = (sentence[d:] == sentence[:-d])[:, None]
                np.multiply(h[:-d], same, out=windows[d:, :width])
                np.multiply(h[d:], same, out=windows[:-d, 2 * width :])
            h = np.empty((n, kernel.shape[1]), np.float32)
            for a, b, *_ in chunks:  # one product per chunk, as when chunks were tagged one by one
                np.matmul(windows[a:b], kernel, out=h[a:b])
            h += bias
            np.maximum(h, 0, out=h)
        logits = np.empty((n, self.out.shape[1]), np.float32)
        for a, b, *_ in chunks:
            np.matmul(h[a:b], self.out, out=logits[a:b])
        logits += self.out_bias
        logits -= np.maximum.reduce(logits, axis=1, keepdims=True)
        return logits - np.log(np.add.reduce(np.exp(logits), axis=1, keepdims=True))

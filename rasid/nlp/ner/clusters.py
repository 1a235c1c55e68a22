"""Word clusters learned without labels from raw news text (ANT corpus).

Distributional vectors: positive PMI of each word with the most frequent
words one position to its left and one to its right, reduced by SVD; then
k-means at several granularities. A cluster id is a feature that lets the
tagger generalise from a name seen in training to names it never saw that are
used the same way (Brown-cluster style, but numpy-only and fast).
Deterministic: fixed seeds, fixed order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from rasid.nlp.ner.wordkey import word_key
from rasid.nlp.tokenizer import tokenize

GRANULARITIES: tuple[int, ...] = (64, 256, 1024)


def article_sentences(path: Path) -> Iterator[list[str]]:
    """Token keys of every title and body paragraph of the ANT articles file."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for field in ("title", "text"):
                for paragraph in (doc.get(field) or "").split("\n"):
                    keys = [word_key(t.text) for t in tokenize(paragraph)]
                    if keys:
                        yield keys


def _vectors(
    sentences: list[list[str]], counts: Counter[str], vocab_size: int, n_contexts: int, dim: int, window: int
) -> tuple[list[str], np.ndarray]:
    ranked = [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 3]
    vocab = ranked[:vocab_size]
    index = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(n_contexts, len(vocab))
    boundary = len(vocab)  # id for sentence boundary / out-of-vocabulary
    ids = np.fromiter(
        (index.get(k, boundary) for s in sentences for k in [*s, "\x00"]), dtype=np.int64
    )
    ids[ids == index.get("\x00", -1)] = boundary
    # One block of context columns per relative position: -window..-1, 1..window.
    shifts = [d for d in range(-window, window + 1) if d]
    width = len(shifts) * n_ctx
    cooc = np.zeros((len(vocab), width), dtype=np.float32)
    for block, shift in enumerate(shifts):
        d = abs(shift)
        target = ids[d:] if shift < 0 else ids[:-d]
        context = ids[:-d] if shift < 0 else ids[d:]
        keep = (target < boundary) & (context < n_ctx)
        flat = target[keep] * width + (context[keep] + block * n_ctx)
        cooc += np.bincount(flat, minlength=cooc.size).reshape(cooc.shape).astype(np.float32)
    total = cooc.sum()
    row = cooc.sum(1, keepdims=True) + 1e-9
    col = cooc.sum(0, keepdims=True) ** 0.75  # context-distribution smoothing
    col = col / col.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(cooc * total / (row * col + 1e-9) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    gram = ppmi.T @ ppmi
    eigvals, eigvecs = np.linalg.eigh(gram.astype(np.float64))
    order = np.argsort(eigvals)[::-1][:dim]
    vectors = ppmi @ eigvecs[:, order].astype(np.float32)
    # Fix the sign of each component so runs agree bit for bit.
    signs = np.sign(vectors[np.abs(vectors).argmax(0), np.arange(vectors.shape[1])])
    vectors *= signs
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return vocab, vectors


def _kmeans(x: np.ndarray, k: int, seed: int, iterations: int = 25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    k = min(k, len(x))  # a tiny corpus has fewer words than clusters
    centers = x[rng.choice(len(x), size=k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        assign = (x @ centers.T).argmax(1)  # cosine: vectors are unit length
        sums = np.zeros_like(centers)
        np.add.at(sums, assign, x)
        sizes = np.bincount(assign, minlength=k)[:, None]
        empty = sizes[:, 0] == 0
        centers = np.where(empty[:, None], centers, sums / np.maximum(sizes, 1))
        centers /= np.linalg.norm(centers, axis=1, keepdims=True) + 1e-9
    return assign


def learn_clusters(
    sentences: Iterable[list[str]], vocab_size: int = 40_000, n_contexts: int = 1000, dim: int = 100, window: int = 1
) -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
    """(word key -> cluster id at each of `GRANULARITIES`, word key -> frequency) for the vocabulary."""
    clusters, counts, _, _ = learn_clusters_and_vectors(sentences, vocab_size, n_contexts, dim, window)
    return clusters, counts


def learn_clusters_and_vectors(
    sentences: Iterable[list[str]], vocab_size: int = 40_000, n_contexts: int = 1000, dim: int = 100, window: int = 1
) -> tuple[dict[str, tuple[int, ...]], dict[str, int], list[str], np.ndarray]:
    """`learn_clusters()`'s result plus the vocabulary and its unit-length word vectors (for `neural.py`)."""
    sents = list(sentences)
    counts = Counter(k for s in sents for k in s)
    vocab, vectors = _vectors(sents, counts, vocab_size, n_contexts, dim, window)
    assignments = [_kmeans(vectors, k, seed=k) for k in GRANULARITIES]
    clusters = {w: tuple(int(a[i]) for a in assignments) for i, w in enumerate(vocab)}
    return clusters, {w: counts[w] for w in vocab}, vocab, vectors

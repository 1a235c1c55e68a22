"""L2-regularised logistic regression over sparse binary features (the threat decision layer and role selector).

Each example is a set of feature names. The fit is Newton's method whose steps are solved by preconditioned conjugate
gradients with sparse products, so it never builds the dense feature matrix or its Hessian: the same optimum as a
dense Newton solve (the loss is strictly convex), in seconds instead of minutes on a few thousand examples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_NEWTON_STEPS = 50
_STEP_TOLERANCE = 1e-7  # stop when no weight moves more than this
_CG_STEPS = 1000
_CG_TOLERANCE = 1e-6  # a Newton step's linear solve stops when |residual| <= this × |right-hand side|


class _SparseBinary:
    """Rows of 0/1 features in compressed-row form; the last column is the bias (1 in every row)."""

    def __init__(self, rows: Sequence[Sequence[int]], columns: int) -> None:
        lengths = np.array([len(r) + 1 for r in rows], dtype=np.int64)
        self.indices = np.fromiter((k for r in rows for k in (*r, columns - 1)), dtype=np.int64, count=int(lengths.sum()))
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self.row_of = np.repeat(np.arange(len(rows)), lengths)
        self.columns = columns

    def times(self, v: np.ndarray) -> np.ndarray:
        return np.add.reduceat(v[self.indices], self.starts)  # every row holds the bias, so no row is empty

    def transposed_times(self, u: np.ndarray) -> np.ndarray:
        return np.bincount(self.indices, weights=u[self.row_of], minlength=self.columns)


def fit_logistic(examples: Sequence[Sequence[str]], labels: Sequence[float], l2: float, min_count: int,
                 sample_weights: Sequence[float] | None = None) -> tuple[dict[str, float], float]:
    """Weights of the features seen in at least `min_count` examples, and the (unpenalised) bias."""
    if not examples:
        return {}, 0.0
    counts: dict[str, int] = {}
    unique = [sorted(set(feats)) for feats in examples]
    for feats in unique:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: k for k, f in enumerate(vocab)}
    x = _SparseBinary([[index[f] for f in feats if f in index] for feats in unique], len(vocab) + 1)
    y = np.asarray(labels, dtype=float)
    sw = np.ones(len(y)) if sample_weights is None else np.asarray(sample_weights, dtype=float)
    penalty = np.full(len(vocab) + 1, float(l2))
    penalty[-1] = 0.0
    w = np.zeros(len(vocab) + 1)
    for _ in range(_NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x.times(w), -30, 30)))
        grad = x.transposed_times(sw * (p - y)) + penalty * w
        step = _newton_step(x, sw * p * (1 - p), penalty + 1e-9, grad)
        w -= step
        if np.max(np.abs(step)) < _STEP_TOLERANCE:
            break
    return {f: float(w[k]) for f, k in index.items()}, float(w[-1])


def _newton_step(x: _SparseBinary, curvature: np.ndarray, ridge: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve H s = b, H = Xᵀ diag(curvature) X + diag(ridge), by conjugate gradients preconditioned by H's diagonal
    (the features are 0/1, so that diagonal is Xᵀ curvature + ridge)."""

    def hessian_times(v: np.ndarray) -> np.ndarray:
        return x.transposed_times(curvature * x.times(v)) + ridge * v

    diagonal = x.transposed_times(curvature) + ridge
    s = np.zeros_like(b)
    r = b.copy()
    z = r / diagonal
    d = z.copy()
    rz = float(r @ z)
    limit = _CG_TOLERANCE**2 * float(b @ b)  # compared with the squared residual
    for _ in range(_CG_STEPS):
        if float(r @ r) <= limit:
            break
        hd = hessian_times(d)
        alpha = rz / float(d @ hd)
        s += alpha * d
        r -= alpha * hd
        z = r / diagonal
        rz_next = float(r @ z)
        d = z + (rz_next / rz) * d
        rz = rz_next
    return s

"""Exact-span precision/recall/F1 per label (same reading as conlleval.py), for model selection."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rasid.nlp.ner.conll import entity_spans


def span_scores(gold: Sequence[list[str]], pred: Sequence[list[str]]) -> dict[str, dict[str, float]]:
    """{label: {p, r, f1, n}} plus "micro"; sequences are per sentence."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = entity_spans(g), entity_spans(p)
        for s in gs & ps:
            tp[s[2]] += 1
        for s in ps - gs:
            fp[s[2]] += 1
        for s in gs - ps:
            fn[s[2]] += 1

    def prf(labels: list[str]) -> dict[str, float]:
        a, b, c = (sum(x[lab] for lab in labels) for x in (tp, fp, fn))
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "n": a + c}

    labels = sorted(set(tp) | set(fp) | set(fn))
    out = {lab: prf([lab]) for lab in labels}
    out["micro"] = prf(labels)
    return out


def format_scores(scores: dict[str, dict[str, float]]) -> str:
    return "  ".join(f"{k} {v['f1']:.4f}" for k, v in scores.items())

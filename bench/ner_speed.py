"""Entity tagging speed on one core: the shipped model vs whitespace split + dictionary lookup.

Both tag the ANERcorp test split (token sequence only; the tags are not read).
`tokens_per_s` is a *cold* pass (fresh tagger, empty per-word cache, so every
word's features are computed once), the pessimistic figure; `warm_tokens_per_s`
is a second pass over the same text (steady state). The baseline splits raw
sentence strings on whitespace and looks each word up in a word->tag dict built
from train. Last stdout line: one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

SHARED = Path(os.environ.get("RASID_SHARED", "/work/shared")) / "data" / "ner"


def _sentences(path: Path) -> list[list[str]]:
    from rasid.nlp.ner.conll import read_conll_file

    return [s.tokens for s in read_conll_file(path)]


def _baseline_tokens_per_s(train: Path, sentences: list[list[str]]) -> float:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in train.read_text("utf-8").splitlines():
        cols = line.split()
        if len(cols) >= 2:
            counts[cols[0]][cols[-1]] += 1
    lexicon = {w: c.most_common(1)[0][0] for w, c in counts.items()}
    texts = [" ".join(s) for s in sentences]
    n = sum(len(s) for s in sentences)
    start = time.perf_counter()
    tagged = [[lexicon.get(w, "O") for w in text.split()] for text in texts]
    elapsed = time.perf_counter() - start
    assert sum(len(t) for t in tagged) == n
    return n / elapsed


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sentences = _sentences(SHARED / "test.conll")
    n = sum(len(s) for s in sentences)

    from rasid.nlp.ner.tagger import EntityTagger

    t0 = time.perf_counter()
    tagger = EntityTagger()
    load_s = time.perf_counter() - t0

    # As `rasid ner tag` does: the whole input is one stream (both CRF passes, document memory).
    t0 = time.perf_counter()
    tagger.tag_document(sentences)
    cold = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    tagger.tag_document(sentences)
    warm = n / (time.perf_counter() - t0)
    baseline = _baseline_tokens_per_s(SHARED / "train.conll", sentences)

    print(f"tokens: {n} in {len(sentences)} sentences; model load {load_s:.2f}s", file=sys.stderr)
    print(f"model, cold cache: {cold:,.0f} tokens/s")
    print(f"model, warm cache: {warm:,.0f} tokens/s")
    print(f"baseline (whitespace split + dict lookup): {baseline:,.0f} tokens/s")
    print(json.dumps({
        "tokens_per_s": round(cold),
        "warm_tokens_per_s": round(warm),
        "baseline_tokens_per_s": round(baseline),
        "model_load_s": round(load_s, 3),
        "tokens": n,
    }))


if __name__ == "__main__":
    main()

"""Entity tagging speed on one core: the shipped model vs whitespace split + dictionary lookup.

Both tag the ANERcorp test split (token sequence only; the tags are not read),
in one process pinned to one core, the way `rasid ner tag` does (one stream,
both CRF passes, document memory).

- `tokens_per_s`: steady state of a running pipeline — the tagger has first
  tagged 500 *other* articles (ANT corpus), so common words' features are
  cached, but every test word never seen in them is analysed on the spot.
- `cold_tokens_per_s`: a fresh tagger, every word analysed for the first time.
- `same_text_tokens_per_s`: the test set again (everything cached): the ceiling.
- `baseline_tokens_per_s`: raw sentence strings split on whitespace, each word
  looked up in a word->tag dict built from train.
- `articles_per_s`: what the processor pays per article: `extract_entities`
  (sentences, tokens, tagging, conventions, aggregation keys) on the title,
  summary and text of 500 ANT articles, in a process that has first done the
  same for 500 other articles.
- `fields_together_articles_per_s`: the same articles with their three fields
  tagged in one `extract_entities_many` call (same entities, one tagger pass).
Times are this process's CPU time (`time.process_time`), so the figures say
what one core does even when the machine is shared; wall-clock figures of the
steady-state run are printed too. Last stdout line: one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

SHARED = Path(os.environ.get("RASID_SHARED", "/work/shared")) / "data" / "ner"
NEWS = SHARED.parent / "news" / "ant-articles.jsonl"


def _sentences(path: Path) -> list[list[str]]:
    from rasid.nlp.ner.conll import read_conll_file

    return [s.tokens for s in read_conll_file(path)]


def _clock() -> float:
    return time.process_time()


def _other_articles(count: int) -> list[list[list[str]]]:
    """Token sentences of the first `count` ANT articles (not the NER test text)."""
    from rasid.nlp.tokenizer import split_sentences, tokenize

    out = []
    with NEWS.open(encoding="utf-8") as f:
        for line, _ in zip(f, range(count)):
            text = json.loads(line)["text"]
            out.append([[t.text for t in tokenize(s.text)] for s in split_sentences(text)])
    return out


def _articles_per_s(together: bool = False) -> float:
    """Steady-state entity extraction per article (title, summary and text, as the processor enriches them).

    `together`: the three fields in one `extract_entities_many` call, not one call each.
    """
    from rasid.nlp.ner import extract_entities, extract_entities_many

    with NEWS.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line, _ in zip(f, range(1000))]
    fields = ("title", "summary", "text")

    def extract(row: dict) -> None:
        if together:
            extract_entities_many([(row.get(field) or "", field) for field in fields])
        else:
            for field in fields:
                extract_entities(row.get(field) or "", field)

    for row in rows[:500]:
        extract(row)
    start = _clock()
    for row in rows[500:]:
        extract(row)
    return 500 / (_clock() - start)


def _baseline_tokens_per_s(train: Path, sentences: list[list[str]]) -> float:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in train.read_text("utf-8").splitlines():
        cols = line.split()
        if len(cols) >= 2:
            counts[cols[0]][cols[-1]] += 1
    lexicon = {w: c.most_common(1)[0][0] for w, c in counts.items()}
    texts = [" ".join(s) for s in sentences]
    n = sum(len(s) for s in sentences)
    start = _clock()
    tagged = [[lexicon.get(w, "O") for w in text.split()] for text in texts]
    elapsed = _clock() - start
    assert sum(len(t) for t in tagged) == n
    return n / elapsed


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sentences = _sentences(SHARED / "test.conll")
    n = sum(len(s) for s in sentences)

    from rasid.nlp.ner.tagger import EntityTagger

    t0 = _clock()
    tagger = EntityTagger()
    load_s = _clock() - t0

    t0 = _clock()
    tagger.tag_document(sentences)
    cold = n / (_clock() - t0)

    steady_tagger = EntityTagger()
    for article in _other_articles(500):
        steady_tagger.tag_document(article)
    t0, wall0 = _clock(), time.perf_counter()
    steady_tagger.tag_document(sentences)
    steady = n / (_clock() - t0)
    steady_wall = n / (time.perf_counter() - wall0)
    t0 = _clock()
    steady_tagger.tag_document(sentences)
    warm = n / (_clock() - t0)
    baseline = _baseline_tokens_per_s(SHARED / "train.conll", sentences)
    articles = _articles_per_s()
    # A fresh tagger for the second run, so that it too meets the measured articles for the first time.
    from rasid.nlp.ner.tagger import default_tagger

    default_tagger.cache_clear()
    together = _articles_per_s(together=True)

    print(f"tokens: {n} in {len(sentences)} sentences; model load {load_s:.2f}s", file=sys.stderr)
    print(f"model, steady state (after 500 other articles): {steady:,.0f} tokens/s CPU, {steady_wall:,.0f} wall")
    print(f"model, cold (fresh tagger): {cold:,.0f} tokens/s")
    print(f"model, same text again: {warm:,.0f} tokens/s")
    print(f"baseline (whitespace split + dict lookup): {baseline:,.0f} tokens/s")
    print(f"entity extraction per article (title + summary + text, steady state): {articles:,.1f} articles/s")
    print(f"the same, the three fields in one call (extract_entities_many): {together:,.1f} articles/s")
    print(json.dumps({
        "tokens_per_s": round(steady),
        "wall_tokens_per_s": round(steady_wall),
        "cold_tokens_per_s": round(cold),
        "same_text_tokens_per_s": round(warm),
        "baseline_tokens_per_s": round(baseline),
        "articles_per_s": round(articles, 1),
        "fields_together_articles_per_s": round(together, 1),
        "model_load_s": round(load_s, 3),
        "tokens": n,
    }))


if __name__ == "__main__":
    main()

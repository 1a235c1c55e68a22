"""Enrichment time per real article with and without threat extraction.

usage: python bench/threat_cost.py [N_ARTICLES] [WARM_ARTICLES]
Enriches real articles (../shared/data/news/ant-articles.jsonl) as the processor does: each field split
into sentences and tokens once (counted with the entities: the tagger needs it), entities of title,
summary and text in one `extract_entities_many` call, then `extract_threats` on each field.
The first WARM_ARTICLES (default 1000) warm the tagger's per-word caches, as a running processor's
are; the next N (default 1000) are timed, each seen once, with the CPU time of each part read
around it (this process's CPU time: the machine is shared, so wall time moves with other jobs).
Seeing each article once matters: a repeated article is tagged from the caches, which shrinks the
entity part and inflates the threats' share. The last stdout line is one JSON object:
{"enrich_ms_per_article" (entities + threats), "without_threats_ms_per_article" (entities), ...}.
"""

from __future__ import annotations

import json
import sys
import time
from itertools import islice
from pathlib import Path

from rasid.nlp.ner import extract_entities_many
from rasid.nlp.threats import extract_threats
from rasid.nlp.tokenizer import tokenize_sentences

NEWS = Path("/work/shared/data/news/ant-articles.jsonl")
FIELDS = ("title", "summary", "text")


def enrich_timed(article: dict) -> tuple[float, float, int]:
    """(CPU seconds for entities, CPU seconds for threats, threat statements found) of one article."""
    texts = [(article.get(field) or "", field) for field in FIELDS]
    started = time.process_time()
    tokenized = [tokenize_sentences(text) for text, _ in texts]  # the tagger needs it; threats reuse it
    entities = extract_entities_many(texts, tokenized)
    tagged = time.process_time()
    found = sum(len(extract_threats(text, field, ents, tokenized=sentences))
                for (text, field), ents, sentences in zip(texts, entities, tokenized, strict=True) if text)
    return tagged - started, time.process_time() - tagged, found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with NEWS.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in islice(lines, warm + n)]
    for article in rows[:warm]:
        enrich_timed(article)
    entity_s = threat_s = 0.0
    threats = 0
    for article in rows[warm:]:
        e, t, found = enrich_timed(article)
        entity_s, threat_s, threats = entity_s + e, threat_s + t, threats + found
    timed = len(rows) - warm
    with_ms, without_ms = (entity_s + threat_s) * 1000 / timed, entity_s * 1000 / timed
    print(f"{timed} articles (after {warm} warm-up articles), {threats} threat statements found")
    print(f"CPU: entities {without_ms:.3f} ms/article, threats {with_ms - without_ms:.3f} ms/article: "
          f"threats add {(with_ms / without_ms - 1) * 100 if without_ms else float('inf'):.1f} % to enrichment")
    print(json.dumps({"enrich_ms_per_article": round(with_ms, 3), "without_threats_ms_per_article": round(without_ms, 3),
                      "threats_share_added": round(with_ms / without_ms - 1, 3) if without_ms else None,
                      "articles": timed, "warm_articles": warm, "threats": threats}))


if __name__ == "__main__":
    main()

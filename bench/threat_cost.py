"""Enrichment time per real article with and without threat extraction.

usage: python bench/threat_cost.py [N_ARTICLES]
Runs `extract_entities_many` on title, summary and text (as the processor does) of the first N articles of
../shared/data/news/ant-articles.jsonl (default 1000), once with and once
without `extract_threats`, alternating rounds to even out machine noise. The
figures are CPU time of this process (the machine is shared, so wall time moves
with other jobs' load); wall time is printed beside them. The last stdout line
is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rasid.nlp.ner import extract_entities_many
from rasid.nlp.threats import extract_threats

NEWS = Path("/work/shared/data/news/ant-articles.jsonl")
FIELDS = ("title", "summary", "text")


def enrich(article: dict, with_threats: bool) -> int:
    found = 0
    texts = [(article.get(field) or "", field) for field in FIELDS]
    for (text, field), entities in zip(texts, extract_entities_many(texts), strict=True):
        if with_threats and text:
            found += len(extract_threats(text, field, entities))
    return found


def timed(articles: list[dict], with_threats: bool) -> tuple[float, float, int]:
    start, wall = time.process_time(), time.perf_counter()
    found = sum(enrich(a, with_threats) for a in articles)
    return time.process_time() - start, time.perf_counter() - wall, found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    articles = [json.loads(line) for _, line in zip(range(n), NEWS.open(encoding="utf-8"))]
    enrich(articles[0], True)  # warm caches and lazy model loading
    with_s = without_s = with_wall = without_wall = 0.0
    threats = 0
    for _ in range(3):
        t, w, _found = timed(articles, False)
        without_s, without_wall = without_s + t, without_wall + w
        t, w, threats = timed(articles, True)
        with_s, with_wall = with_s + t, with_wall + w
    per = 3 * len(articles) / 1000
    with_ms, without_ms = with_s / per, without_s / per
    print(f"{len(articles)} articles, {threats} threat statements found")
    print(f"CPU: with threats {with_ms:.3f} ms/article, without {without_ms:.3f} ms/article, "
          f"threats add {with_ms - without_ms:.3f} ms ({(with_ms / without_ms - 1) * 100 if without_ms else float('inf'):.1f} %)")
    print(f"wall: with threats {with_wall / per:.3f} ms/article, without {without_wall / per:.3f} ms/article")
    print(json.dumps({"enrich_ms_per_article": round(with_ms, 3), "without_threats_ms_per_article": round(without_ms, 3),
                      "wall_enrich_ms_per_article": round(with_wall / per, 3),
                      "wall_without_threats_ms_per_article": round(without_wall / per, 3),
                      "articles": len(articles), "threats": threats}))


if __name__ == "__main__":
    main()

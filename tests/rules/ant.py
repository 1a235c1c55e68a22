"""Real articles from the ANT corpus sample (/work/shared/data/news/ant-articles.jsonl) as records."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from rasid.records import EnrichedArticle
from rasid.samples.ant_corpus import article_from_ant_row

ANT_PATH = Path("/work/shared/data/news/ant-articles.jsonl")


@lru_cache(maxsize=1)
def ant_rows() -> dict[str, dict]:
    rows = {}
    with ANT_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def enriched(row: dict, **overrides: object) -> EnrichedArticle:
    article = article_from_ant_row(row)
    fields: dict[str, object] = {
        **article.model_dump(), "id": hashlib.sha256(row["url"].encode()).hexdigest()[:32],
        "fetched_at": article.published_at, "nlp_version": "test", "enriched_at": article.published_at,
    }
    fields.update(overrides)
    return EnrichedArticle(**fields)  # type: ignore[arg-type]


def article(ant_id: str, **overrides: object) -> EnrichedArticle:
    return enriched(ant_rows()[ant_id], **overrides)

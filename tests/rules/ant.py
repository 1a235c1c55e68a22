"""Real articles from the ANT corpus sample (/work/shared/data/news/ant-articles.jsonl) as records."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from rasid.records import EnrichedArticle

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
    try:
        published = parsedate_to_datetime(row["published"]).astimezone(timezone.utc)
    except (TypeError, ValueError):
        published = datetime(2018, 1, 1, tzinfo=timezone.utc)
    fields: dict[str, object] = {
        "id": hashlib.sha256(row["url"].encode()).hexdigest()[:32],
        "url": row["url"], "canonical_url": row["url"], "feed_url": f"https://{row['source']}.example/rss",
        "source": row["source"], "title": row["title"], "summary": row.get("summary") or "",
        "content": row.get("text") or "", "published_at": published, "fetched_at": published,
        "nlp_version": "test", "enriched_at": published,
    }
    fields.update(overrides)
    return EnrichedArticle(**fields)  # type: ignore[arg-type]


def article(ant_id: str, **overrides: object) -> EnrichedArticle:
    return enriched(ant_rows()[ant_id], **overrides)

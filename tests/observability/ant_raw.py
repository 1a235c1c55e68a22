"""Real ANT corpus articles (/work/shared/data/news/ant-articles.jsonl) as `news.raw` records, full text as content."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from rasid.records import Article
from tests.conftest import SHARED_NEWS


def ant_rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    with SHARED_NEWS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, start, start + count)]


def raw_article(row: dict[str, Any], fetched_at: datetime | None = None) -> Article:
    return Article(
        id=row["id"],
        url=row["url"],
        canonical_url=row["url"],
        feed_url=f"file:///ant/{row['source']}.xml",
        source=row["source"],
        title=row["title"],
        summary=row.get("summary", ""),
        content=row["text"],
        published_at=parsedate_to_datetime(row["published"]).astimezone(timezone.utc),
        fetched_at=fetched_at or datetime.now(timezone.utc),
        authors=[row["author"]] if row.get("author") else [],
        tags=[row["category"]] if row.get("category") else [],
    )


def raw_articles(count: int, start: int = 0) -> list[Article]:
    return [raw_article(row) for row in ant_rows(count, start)]

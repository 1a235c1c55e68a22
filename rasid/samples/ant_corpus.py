"""Rows of the ANT corpus JSONL (real Arabic news, `shared/data/news/ant-articles.jsonl`) as `Article` records.

Benchmarks and tests feed the pipeline real articles; this is the one place that maps a row's fields.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from rasid.records import Article


def article_from_ant_row(
    row: dict[str, Any], *, article_id: str | None = None, url: str | None = None, fetched_at: datetime | None = None
) -> Article:
    """The row as a `news.raw` article (full text as `content`); id and URL may be overridden for fresh copies."""
    link = url or row["url"]
    return Article(
        id=article_id or row["id"],
        url=link,
        canonical_url=link,
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

"""Real articles of the ANT corpus (/work/shared/data/news/ant-articles.jsonl) as `news.enriched` records."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from rasid.nlp.threats import extract_threats
from rasid.records import EnrichedArticle
from rasid.samples.ant_corpus import article_from_ant_row
from rasid.settings import Settings
from rasid.streams.publisher import RecordPublisher
from tests.conftest import SHARED_NEWS

ENRICHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


@cache
def ant_rows() -> tuple[dict[str, Any], ...]:
    with SHARED_NEWS.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines)


def enriched(row: dict[str, Any], enriched_at: datetime = ENRICHED_AT, with_threats: bool = False) -> EnrichedArticle:
    raw = article_from_ant_row(row)
    return EnrichedArticle(
        **raw.model_dump(exclude={"fetched_at"}),
        fetched_at=raw.published_at + timedelta(minutes=1),
        threats=extract_threats(row["text"], "content", []) if with_threats else [],
        nlp_version="test",
        enriched_at=enriched_at,
    )


def ant_articles(count: int, start: int = 0) -> list[EnrichedArticle]:
    return [enriched(row) for row in itertools.islice(ant_rows(), start, start + count)]


def ant_row(article_id: str) -> dict[str, Any]:
    return next(row for row in ant_rows() if row["id"] == article_id)


def produce(settings: Settings, records: Iterable[Any], topic: str | None = None, key: str = "id") -> int:
    publisher = RecordPublisher(settings, client_id="test-producer")
    try:
        return publisher.send_all(topic or settings.topic_enriched, [(getattr(r, key), r) for r in records])
    finally:
        publisher.close()

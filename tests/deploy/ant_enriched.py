"""Real ANT corpus articles (/work/shared/data/news/ant-articles.jsonl) enriched by Rasid's own NLP."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats import extract_threats
from rasid.records import EnrichedArticle, Entity, ThreatStatement
from rasid.samples.ant_corpus import article_from_ant_row
from tests.conftest import SHARED_NEWS

ENRICHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@cache
def ant_rows() -> tuple[dict[str, Any], ...]:
    with SHARED_NEWS.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in itertools.islice(lines, 400))


def enriched(row: dict[str, Any], enriched_at: datetime = ENRICHED_AT, entities: bool = False,
             threats: bool = False) -> EnrichedArticle:
    """The row as `news.enriched` carries it; entities (the shipped NER model) and threats of its content on request."""
    article = article_from_ant_row(row)
    found: list[Entity] = extract_entities(row["text"], "content") if entities else []
    statements: list[ThreatStatement] = extract_threats(row["text"], "content", found) if threats else []
    return EnrichedArticle(**{**article.model_dump(), "fetched_at": article.published_at + timedelta(minutes=1)},
                           entities=found, threats=statements, nlp_version="test", enriched_at=enriched_at)


def ant_articles(count: int, start: int = 0, entities: bool = False) -> list[EnrichedArticle]:
    return [enriched(row, entities=entities) for row in itertools.islice(ant_rows(), start, start + count)]


def with_threats(count: int) -> list[EnrichedArticle]:
    """The first `count` articles in which the extractor finds at least one threat statement."""
    found = [a for a in (enriched(row, threats=True) for row in ant_rows()) if a.threats]
    assert len(found) >= count, f"only {len(found)} ANT articles with threats in the first {len(ant_rows())}"
    return found[:count]

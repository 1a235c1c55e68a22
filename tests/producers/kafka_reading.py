"""Articles as they arrived on news.raw."""

from __future__ import annotations

from rasid.records import Article
from rasid.settings import Settings
from tests.conftest import read_topic


def raw_articles(settings: Settings, at_least: int, timeout_s: float = 20.0) -> list[Article]:
    records = read_topic(settings, settings.topic_raw, at_least=at_least, timeout_s=timeout_s)
    articles = [Article.model_validate_json(record.value) for record in records]
    assert all(record.key.decode() == article.id for record, article in zip(records, articles))
    return articles

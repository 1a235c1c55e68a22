"""Real ANT corpus articles (/work/shared/data/news/ant-articles.jsonl) as `news.raw` records, full text as content."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

from rasid.records import Article
from rasid.samples.ant_corpus import article_from_ant_row
from tests.conftest import SHARED_NEWS


def ant_rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    with SHARED_NEWS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, start, start + count)]


def raw_article(row: dict[str, Any], fetched_at: datetime | None = None) -> Article:
    return article_from_ant_row(row, fetched_at=fetched_at)


def raw_articles(count: int, start: int = 0) -> list[Article]:
    return [raw_article(row) for row in ant_rows(count, start)]

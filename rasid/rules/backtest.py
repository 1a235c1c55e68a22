"""Back-test a rule on indexed articles: fetch by date range from Elasticsearch, then run the
very engine the stream runs, in publication order, with `now` = each article's time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rasid.records import Alert, EnrichedArticle
from rasid.rules.engine import RuleEngine
from rasid.rules.kinds import Rule
from rasid.sinks.article_document import STORED_ENRICHMENT_FIELDS, stored_enrichment

PAGE_SIZE = 500
DERIVED_KEYS = ("entity_count", "threat_count", "max_severity")


def article_from_document(source: dict[str, Any]) -> EnrichedArticle:
    """Invert the sink's article document (mentions and threats are stored apart from the keyword fields)."""
    doc = {k: v for k, v in source.items() if k not in DERIVED_KEYS + STORED_ENRICHMENT_FIELDS}
    doc["entities"], doc["threats"] = stored_enrichment(source)
    return EnrichedArticle.model_validate(doc)


def indexed_articles(es: Any, index: str, since: datetime, until: datetime,
                     page_size: int = PAGE_SIZE) -> Iterator[EnrichedArticle]:
    """Every article published in [since, until], oldest first, paged with search_after."""
    search_after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "size": page_size,
            "query": {"range": {"published_at": {"gte": since.isoformat(), "lte": until.isoformat()}}},
            "sort": [{"published_at": {"order": "asc"}}, {"id": {"order": "asc"}}],
        }
        if search_after is not None:
            body["search_after"] = search_after
        response = es.search(index=index, body=body)
        hits = response["hits"]["hits"]
        for hit in hits:
            yield article_from_document(hit["_source"])
        if len(hits) < page_size:
            return
        search_after = hits[-1]["sort"]


@dataclass
class BacktestResult:
    articles: int = 0
    alerts: list[Alert] = field(default_factory=list)


def backtest(rule: Rule, articles: Iterator[EnrichedArticle], until: datetime | None = None) -> BacktestResult:
    """Alerts `rule` would have fired on `articles` (in order), timer rules ticked as time passes."""
    engine = RuleEngine(rules=[rule], store={})
    result = BacktestResult()
    tick_every = timedelta(minutes=1)
    next_tick: datetime | None = None
    for article in articles:
        result.articles += 1
        at = article.published_at
        if rule.timed:
            while next_tick is not None and next_tick < at:
                result.alerts.extend(engine.tick(next_tick))
                next_tick += tick_every
            if next_tick is None:
                next_tick = at
        result.alerts.extend(engine.evaluate(article, at))
    if rule.timed and until is not None and next_tick is not None:
        while next_tick <= until:
            result.alerts.extend(engine.tick(next_tick))
            next_tick += tick_every
    return result

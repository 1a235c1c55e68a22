"""What the web page asks Elasticsearch: filtered article search, facets, threats, recent alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, get_args

from elasticsearch import Elasticsearch, NotFoundError

from rasid.records.threat import ThreatCategory
from rasid.search.article_search import article_query
from rasid.search.highlighter import query_terms
from rasid.settings import Settings
from rasid.sinks.article_document import STORED_ENRICHMENT_FIELDS, stored_enrichment
from rasid.web.snippets import Snippet, lead, snippet

THREAT_CATEGORIES: tuple[str, ...] = get_args(ThreatCategory)
ENTITY_FIELDS = ("entities.per", "entities.org", "entities.loc", "entities.misc")
PAGE_SIZE = 20
# Articles a category filter can reach through the threats index (terms aggregation size).
MAX_CATEGORY_ARTICLES = 10_000


@dataclass(frozen=True)
class ArticleFilters:
    query: str = ""
    source: str = ""
    entity: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.query or self.source or self.entity or self.category or self.date_from or self.date_to)


@dataclass
class ArticleHit:
    id: str
    title: str
    url: str
    source: str
    published_at: str
    snippets: list[Snippet]
    entities: dict[str, list[str]] = field(default_factory=dict)
    threat_count: int = 0
    max_severity: int = 0


@dataclass
class ArticlePage:
    total: int
    hits: list[ArticleHit]
    page: int
    pages: int


@dataclass
class Facets:
    sources: list[str]
    entities: list[str]


@dataclass
class ThreatRow:
    article_id: str
    title: str
    url: str
    source: str
    published_at: str
    text: str
    actor: str | None
    actor_names: list[str]
    trigger: str | None
    action: str | None
    target: str | None
    condition: str | None
    category: str
    severity: int
    negated: bool


@dataclass
class AlertRow:
    alert_id: str
    rule_name: str
    severity: int
    created_at: str
    title: str
    url: str
    article_id: str | None


def _published_range(filters: ArticleFilters) -> dict[str, Any] | None:
    bounds: dict[str, str] = {}
    if filters.date_from:
        bounds["gte"] = filters.date_from.isoformat()
    if filters.date_to:  # the whole "to" day
        bounds["lt"] = (filters.date_to + timedelta(days=1)).isoformat()
    return {"range": {"published_at": bounds}} if bounds else None


def _article_ids_with_category(es: Elasticsearch, settings: Settings, category: str) -> list[str]:
    try:
        response = es.search(index=settings.index_threats, size=0, query={"term": {"category": category}},
                             aggs={"articles": {"terms": {"field": "article_id", "size": MAX_CATEGORY_ARTICLES}}})
    except NotFoundError:
        return []
    return [bucket["key"] for bucket in response["aggregations"]["articles"]["buckets"]]


def article_search_body(es: Elasticsearch, settings: Settings, filters: ArticleFilters) -> dict[str, Any]:
    must = [article_query(filters.query)] if filters.query.strip() else [{"match_all": {}}]
    conditions: list[dict[str, Any]] = []
    if filters.source:
        conditions.append({"term": {"source": filters.source}})
    if filters.entity:
        conditions.append({"bool": {"minimum_should_match": 1,
                                    "should": [{"term": {name: filters.entity}} for name in ENTITY_FIELDS]}})
    if filters.category:
        conditions.append({"ids": {"values": _article_ids_with_category(es, settings, filters.category)}})
    published = _published_range(filters)
    if published:
        conditions.append(published)
    body: dict[str, Any] = {"query": {"bool": {"must": must, "filter": conditions}}}
    if not filters.query.strip():
        body["sort"] = [{"published_at": {"order": "desc"}}]
    return body


def search_page(es: Elasticsearch, settings: Settings, filters: ArticleFilters) -> ArticlePage:
    body = article_search_body(es, settings, filters)
    page = max(1, filters.page)
    try:
        response = es.search(index=settings.index_articles, size=PAGE_SIZE, from_=(page - 1) * PAGE_SIZE,
                             source_excludes=["search_terms", *STORED_ENRICHMENT_FIELDS], **body)
    except NotFoundError:
        return ArticlePage(0, [], 1, 1)
    hits = response["hits"]
    total = hits["total"]["value"] if isinstance(hits["total"], dict) else int(hits["total"])
    terms = query_terms(filters.query) if filters.query.strip() else set()
    return ArticlePage(total, [_article_hit(hit, terms) for hit in hits["hits"]], page,
                       max(1, -(-total // PAGE_SIZE)))


def _article_hit(hit: dict[str, Any], terms: set[str]) -> ArticleHit:
    source = hit["_source"]
    snippets = [s for s in (snippet(source.get(name) or "", terms) for name in ("title", "summary", "content")) if s]
    if not snippets:
        snippets = [lead(source.get("summary") or source.get("content") or "")]
    return ArticleHit(
        id=hit["_id"],
        title=source.get("title", ""),
        url=source.get("url", ""),
        source=source.get("source", ""),
        published_at=source.get("published_at", ""),
        snippets=snippets[:2],
        entities={k: v for k, v in (source.get("entities") or {}).items() if v},
        threat_count=int(source.get("threat_count") or 0),
        max_severity=int(source.get("max_severity") or 0),
    )


def facets(es: Elasticsearch, settings: Settings) -> Facets:
    aggs: dict[str, Any] = {"sources": {"terms": {"field": "source", "size": 100}}}
    for name in ENTITY_FIELDS:
        aggs[name] = {"terms": {"field": name, "size": 15}}
    try:
        response = es.search(index=settings.index_articles, size=0, aggs=aggs)
    except NotFoundError:
        return Facets([], [])
    found = response.get("aggregations", {})
    sources = sorted(bucket["key"] for bucket in found.get("sources", {}).get("buckets", []))
    entities: list[str] = []
    for name in ENTITY_FIELDS:
        for bucket in found.get(name, {}).get("buckets", []):
            if bucket["key"] not in entities:
                entities.append(bucket["key"])
    return Facets(sources, entities)


def threat_rows(es: Elasticsearch, settings: Settings, category: str = "", source: str = "",
                size: int = 100, actor: str = "") -> list[ThreatRow]:
    conditions: list[dict[str, Any]] = []
    if category:
        conditions.append({"term": {"category": category}})
    if source:
        conditions.append({"term": {"source": source}})
    if actor:
        conditions.append({"term": {"actor_names": actor}})
    try:
        response = es.search(index=settings.index_threats, size=size, query={"bool": {"filter": conditions}},
                             sort=[{"published_at": {"order": "desc"}}, {"severity": {"order": "desc"}}])
    except NotFoundError:
        return []
    rows = []
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        rows.append(ThreatRow(
            article_id=doc.get("article_id", ""), title=doc.get("title", ""), url=doc.get("url", ""),
            source=doc.get("source", ""), published_at=doc.get("published_at", ""), text=doc.get("text", ""),
            actor=doc.get("actor"), actor_names=list(doc.get("actor_names") or []), trigger=doc.get("trigger"),
            action=doc.get("action"),
            target=doc.get("target"), condition=doc.get("condition"), category=doc.get("category", "other"),
            severity=int(doc.get("severity") or 0), negated=bool(doc.get("negated")),
        ))
    return rows


def threat_actors(es: Elasticsearch, settings: Settings, size: int = 30) -> list[str]:
    """The names that threaten most often, for the actor filter."""
    try:
        response = es.search(index=settings.index_threats, size=0,
                             aggs={"actors": {"terms": {"field": "actor_names", "size": size}}})
    except NotFoundError:
        return []
    return [bucket["key"] for bucket in response.get("aggregations", {}).get("actors", {}).get("buckets", [])]


def recent_alerts(es: Elasticsearch, settings: Settings, size: int = 50) -> list[AlertRow]:
    try:
        response = es.search(index=settings.index_alerts, size=size, sort=[{"created_at": {"order": "desc"}}])
    except NotFoundError:
        return []
    rows = []
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        rows.append(AlertRow(
            alert_id=doc.get("alert_id", hit["_id"]), rule_name=doc.get("rule_name") or doc.get("rule_id", ""),
            severity=int(doc.get("severity") or 0), created_at=doc.get("created_at", ""),
            title=doc.get("title", ""), url=doc.get("url", ""), article_id=doc.get("article_id"),
        ))
    return rows


def article_by_id(es: Elasticsearch, settings: Settings, article_id: str) -> dict[str, Any] | None:
    try:
        response = es.search(index=settings.index_articles, size=1, query={"ids": {"values": [article_id]}},
                             source_excludes=["search_terms"])
    except NotFoundError:
        return None
    hits = response["hits"]["hits"]
    if not hits:
        return None
    source = hits[0]["_source"]
    _, threats = stored_enrichment(source)
    doc = {k: v for k, v in source.items() if k not in STORED_ENRICHMENT_FIELDS}
    doc["threats"] = threats
    return doc

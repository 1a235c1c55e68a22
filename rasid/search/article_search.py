"""Arabic full-text search over `rasid-articles` with highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from rasid.records import TEXT_FIELDS
from rasid.search.highlighter import highlight, query_terms
from rasid.settings import Settings
from rasid.sinks.article_document import STORED_ENRICHMENT_FIELDS


@dataclass
class SearchHit:
    id: str
    score: float
    title: str
    url: str
    source: str
    published_at: str
    snippets: list[str]


def article_query(query: str) -> dict[str, Any]:
    """Match on the server's Arabic-analysed fields or on the terms Rasid analysed itself at index time."""
    terms = " ".join(sorted(query_terms(query)))
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": query, "fields": ["title^3", "summary^2", "content"], "operator": "and"}},
    ]
    if terms:
        should.append({"match": {"search_terms": {"query": terms, "operator": "and"}}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def search_articles(es: Elasticsearch, settings: Settings, query: str, size: int = 10) -> tuple[int, list[SearchHit]]:
    try:
        response = es.search(index=settings.index_articles, query=article_query(query), size=size,
                             source_excludes=["search_terms", *STORED_ENRICHMENT_FIELDS])
    except NotFoundError:
        return 0, []
    hits = response["hits"]
    total = hits["total"]["value"] if isinstance(hits["total"], dict) else int(hits["total"])
    terms = query_terms(query)
    return total, [_hit(hit, terms) for hit in hits["hits"]]


def _hit(hit: dict[str, Any], terms: set[str]) -> SearchHit:
    source = hit["_source"]
    snippets = [s for s in (highlight(source.get(name) or "", terms) for name in TEXT_FIELDS) if s]
    if not snippets:
        snippets = [(source.get("summary") or source.get("content") or "")[:200]]
    return SearchHit(
        id=hit["_id"],
        score=float(hit.get("_score") or 0.0),
        title=source.get("title", ""),
        url=source.get("url", ""),
        source=source.get("source", ""),
        published_at=source.get("published_at", ""),
        snippets=snippets,
    )

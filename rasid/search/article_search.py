"""Arabic full-text search over `rasid-articles` with highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from rasid.settings import Settings

SEARCH_FIELDS = ["title^3", "summary^2", "content"]
HIGHLIGHT_START, HIGHLIGHT_END = "«", "»"


@dataclass
class SearchHit:
    id: str
    score: float
    title: str
    url: str
    source: str
    published_at: str
    snippets: list[str]


def search_articles(es: Elasticsearch, settings: Settings, query: str, size: int = 10) -> tuple[int, list[SearchHit]]:
    body_query: dict[str, Any] = {
        "multi_match": {"query": query, "fields": SEARCH_FIELDS + ["title.exact", "summary.exact", "content.exact"]}
    }
    highlight = {
        "pre_tags": [HIGHLIGHT_START],
        "post_tags": [HIGHLIGHT_END],
        "fields": {"title": {}, "summary": {}, "content": {"fragment_size": 160, "number_of_fragments": 2}},
    }
    try:
        response = es.search(index=settings.index_articles, query=body_query, highlight=highlight, size=size)
    except NotFoundError:
        return 0, []
    hits = response["hits"]
    total = hits["total"]["value"] if isinstance(hits["total"], dict) else int(hits["total"])
    return total, [_hit(hit) for hit in hits["hits"]]


def _hit(hit: dict[str, Any]) -> SearchHit:
    source = hit["_source"]
    highlight = hit.get("highlight", {})
    snippets = [s for name in ("title", "summary", "content") for s in highlight.get(name, [])]
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

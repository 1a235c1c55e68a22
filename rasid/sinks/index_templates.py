"""Index templates for articles, threats and alerts, installed idempotently at sink start."""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch

from rasid.settings import Settings

log = logging.getLogger("rasid.sink")

# Lucene's Arabic chain, as Elasticsearch's `arabic` analyzer, plus an unstemmed subfield for exact phrases.
ARABIC_ANALYSIS: dict[str, Any] = {
    "filter": {"rasid_arabic_stop": {"type": "stop", "stopwords": "_arabic_"}},
    "analyzer": {
        "rasid_arabic": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "decimal_digit", "rasid_arabic_stop", "arabic_normalization", "arabic_stem"],
        },
        "rasid_arabic_exact": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "decimal_digit", "arabic_normalization"],
        },
    },
}
# For servers that lack the Arabic token filters: the built-in analyzer, and standard for exact.
FALLBACK_ANALYZERS = {"rasid_arabic": "arabic", "rasid_arabic_exact": "standard"}


def _text(analyzer: str, exact: str) -> dict[str, Any]:
    return {"type": "text", "analyzer": analyzer, "fields": {"exact": {"type": "text", "analyzer": exact}}}


def _span() -> dict[str, Any]:
    return {"properties": {"text": {"type": "keyword"}, "start": {"type": "integer"}, "end": {"type": "integer"}}}


def article_mappings(analyzer: str, exact: str) -> dict[str, Any]:
    keyword = {"type": "keyword"}
    return {
        "dynamic": False,
        "properties": {
            "schema_version": keyword,
            "id": keyword,
            "url": keyword,
            "canonical_url": keyword,
            "feed_url": keyword,
            "source": keyword,
            "title": _text(analyzer, exact),
            "summary": _text(analyzer, exact),
            "content": _text(analyzer, exact),
            "published_at": {"type": "date"},
            "published_at_estimated": {"type": "boolean"},
            "fetched_at": {"type": "date"},
            "enriched_at": {"type": "date"},
            "language": keyword,
            "authors": keyword,
            "tags": keyword,
            "nlp_version": keyword,
            "entities": {"properties": {k: keyword for k in ("per", "org", "loc", "misc")}},
            "entity_mentions": {
                "type": "object",
                "enabled": False,
            },
            "entity_count": {"type": "integer"},
            "threats": {"type": "object", "enabled": False},
            "threat_count": {"type": "integer"},
            "max_severity": {"type": "integer"},
            # Pre-analysed by Rasid (Lucene Arabic chain in Python): whitespace-separated stems.
            "search_terms": {"type": "text", "analyzer": "whitespace"},
        },
    }


def threat_mappings(analyzer: str, exact: str) -> dict[str, Any]:
    keyword = {"type": "keyword"}
    props: dict[str, Any] = {
        "article_id": keyword,
        "source": keyword,
        "url": keyword,
        "title": _text(analyzer, exact),
        "text": _text(analyzer, exact),
        "field": keyword,
        "published_at": {"type": "date"},
        "enriched_at": {"type": "date"},
        "negated": {"type": "boolean"},
        "severity": {"type": "integer"},
        "severity_rule": keyword,
        "category": keyword,
        "cameo_code": keyword,
        "plover_code": keyword,
        "start": {"type": "integer"},
        "end": {"type": "integer"},
    }
    for part in ("trigger", "actor", "target", "action", "condition", "reported_by"):
        props[part] = keyword
        props[f"{part}_span"] = _span()
    return {"dynamic": False, "properties": props}


def alert_mappings() -> dict[str, Any]:
    keyword = {"type": "keyword"}
    return {
        "dynamic": False,
        "properties": {
            "alert_id": keyword,
            "rule_id": keyword,
            "rule_name": keyword,
            "article_id": keyword,
            "severity": {"type": "integer"},
            "created_at": {"type": "date"},
            "title": {"type": "text"},
            "url": keyword,
            "matched": {"type": "object", "enabled": False},
        },
    }


def _put(es: Elasticsearch, name: str, pattern: str, mappings: dict[str, Any], analysis: dict[str, Any] | None) -> None:
    settings: dict[str, Any] = {"number_of_shards": 1}
    if analysis:
        settings["analysis"] = analysis
    es.indices.put_index_template(
        name=name, index_patterns=[pattern], priority=100, template={"settings": settings, "mappings": mappings}
    )


def analysis_supported(es: Elasticsearch) -> bool:
    """Does this server know the Arabic normalisation and stemming token filters?"""
    try:
        es.indices.analyze(tokenizer="standard", filter=["arabic_normalization", "arabic_stem"], text="العربية")
        return True
    except BadRequestError:
        return False


def install_templates(es: Elasticsearch, settings: Settings) -> bool:
    """Install or update the three templates; returns False when the Arabic fallback was used."""
    full = analysis_supported(es)
    if full:
        analysis: dict[str, Any] | None = ARABIC_ANALYSIS
        analyzer, exact = "rasid_arabic", "rasid_arabic_exact"
    else:
        log.warning(
            "Elasticsearch at %s lacks the arabic_normalization/arabic_stem token filters; "
            "falling back to its built-in 'arabic' analyzer (search may match fewer word forms)",
            settings.elasticsearch_url,
        )
        analysis = None
        analyzer, exact = FALLBACK_ANALYZERS["rasid_arabic"], FALLBACK_ANALYZERS["rasid_arabic_exact"]
    _put(es, "rasid-articles", f"{settings.index_articles}*", article_mappings(analyzer, exact), analysis)
    _put(es, "rasid-threats", f"{settings.index_threats}*", threat_mappings(analyzer, exact), analysis)
    _put(es, "rasid-alerts", f"{settings.index_alerts}*", alert_mappings(), None)
    return full

"""Prometheus metrics every stage shares: records in and out, errors by kind, dead letters, latency per hop.

Stage names are the DLQ's: `enrich` (processor), `index` (sink). The producer keeps its own
feed metrics in `rasid.producers.producer_metrics` (`rasid_articles_produced_total`, …).
The default registry is used, so whatever serves /metrics in a process shows all of them.
"""

from __future__ import annotations

from datetime import datetime, timezone

from prometheus_client import Counter, Histogram

from rasid.records import EnrichedArticle

RECORDS_IN = Counter("rasid_stage_records_in_total", "Records a stage consumed from Kafka", ["stage"])
RECORDS_OUT = Counter(
    "rasid_stage_records_out_total",
    "Records a stage delivered: enriched articles (enrich), documents Elasticsearch accepted (index)",
    ["stage", "kind"],
)
ERRORS = Counter("rasid_stage_errors_total", "Records a stage could not handle, by kind of error", ["stage", "kind"])
DEAD_LETTERS = Counter("rasid_dead_letters_total", "Records written to the dead-letter topic", ["stage"])

# Sub-second resolution where the goal is (p95 < 1 s), coarse beyond.
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
HOP_SECONDS = Histogram(
    "rasid_article_hop_seconds",
    "Seconds between two moments of one article: fetched→enriched, enriched→indexed, fetched→indexed",
    ["hop"],
    buckets=_LATENCY_BUCKETS,
)
ENRICH_SECONDS = Histogram(
    "rasid_enrich_seconds", "Seconds of NLP (entities, threats) for one article",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
# How old news is when it becomes searchable: feeds publish late, so hours-wide buckets.
FRESHNESS_SECONDS = Histogram(
    "rasid_article_freshness_seconds", "Seconds from an article's published_at to its indexing",
    buckets=(1, 10, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600),
)


def _seconds_since(moment: datetime, now: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (now - moment).total_seconds())


def record_consumed(stage: str, count: int = 1) -> None:
    RECORDS_IN.labels(stage=stage).inc(count)


def record_enriched(article: EnrichedArticle, nlp_seconds: float) -> None:
    """The processor delivered one enriched article."""
    RECORDS_OUT.labels(stage="enrich", kind="article").inc()
    ENRICH_SECONDS.observe(nlp_seconds)
    HOP_SECONDS.labels(hop="fetched_to_enriched").observe(_seconds_since(article.fetched_at, article.enriched_at))


def record_indexed(article: EnrichedArticle, now: datetime | None = None) -> None:
    """Elasticsearch accepted one article document (call after the bulk acknowledgement)."""
    now = now or datetime.now(timezone.utc)
    RECORDS_OUT.labels(stage="index", kind="article").inc()
    HOP_SECONDS.labels(hop="enriched_to_indexed").observe(_seconds_since(article.enriched_at, now))
    HOP_SECONDS.labels(hop="fetched_to_indexed").observe(_seconds_since(article.fetched_at, now))
    FRESHNESS_SECONDS.observe(_seconds_since(article.published_at, now))


def record_documents(stage: str, kind: str, count: int) -> None:
    """Other documents a stage delivered (threats, alerts)."""
    if count:
        RECORDS_OUT.labels(stage=stage, kind=kind).inc(count)


def record_error(stage: str, kind: str) -> None:
    ERRORS.labels(stage=stage, kind=kind).inc()


def record_dead_letter(stage: str, kind: str) -> None:
    """A record went to the DLQ; `kind` is a short, bounded error class (never the free-text reason)."""
    DEAD_LETTERS.labels(stage=stage).inc()
    ERRORS.labels(stage=stage, kind=kind).inc()


def dead_letter_kind(reason: str) -> str:
    """A bounded label for a DLQ reason, so metrics never get one series per message."""
    lowered = reason.lower()
    if "schema_version" in lowered:
        return "unknown_schema_version"
    if lowered.startswith("not a valid"):
        return "invalid_record"
    if "refused" in lowered:
        return "refused_by_elasticsearch"
    if lowered.startswith("enrichment failed"):
        return "enrichment_failed"
    if lowered.startswith("rule evaluation failed"):
        return "rule_failed"
    return "other"

"""Consume `news.enriched`, bulk-index into Elasticsearch, commit offsets only after acknowledgement."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import Elasticsearch, helpers
from kafka import KafkaConsumer
from kafka.consumer.fetcher import ConsumerRecord
from pydantic import ValidationError
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_exponential_jitter

from rasid.records import EnrichedArticle
from rasid.settings import Settings
from rasid.sinks.article_document import article_document, external_version, threat_documents
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_templates import install_templates
from rasid.streams.dead_letters import DeadLetterQueue

log = logging.getLogger("rasid.sink")

STAGE = "index"
# Per-document statuses worth retrying: the server was busy or failing, not the document.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class RetryableBulkError(Exception):
    """Some documents were refused for a transient reason; the whole batch is retried."""


@dataclass
class SinkStats:
    batches: int = 0
    indexed: int = 0
    rejected: int = 0


@dataclass
class _Pending:
    record: ConsumerRecord
    article: EnrichedArticle


class ElasticsearchSink:
    def __init__(self, settings: Settings, es: Elasticsearch | None = None, batch_size: int = 500) -> None:
        self.settings = settings
        self.es = es or elasticsearch_client(settings)
        self.batch_size = batch_size
        self.stats = SinkStats()
        self.dlq = DeadLetterQueue(settings, STAGE)
        self._stop = threading.Event()
        self.consumer = KafkaConsumer(
            settings.topic_enriched,
            bootstrap_servers=settings.bootstrap_servers,
            group_id=settings.sink_group,
            client_id="rasid-sink",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=batch_size,
            fetch_max_bytes=32 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )

    def setup(self) -> None:
        install_templates(self.es, self.settings)

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        self.setup()
        try:
            while not self._stop.is_set():
                self.poll_once()
        finally:
            self.consumer.close(autocommit=False)
            self.dlq.close()

    def poll_once(self, timeout_ms: int = 500) -> int:
        batch = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.batch_size)
        records = [record for records in batch.values() for record in records]
        if not records:
            return 0
        pending = [p for p in (self._parse(record) for record in records) if p is not None]
        if pending:
            self._index(pending)
        # Only now, with every document acknowledged or dead-lettered, do the offsets move.
        self.consumer.commit()
        self.stats.batches += 1
        return len(records)

    def _parse(self, record: ConsumerRecord) -> _Pending | None:
        try:
            return _Pending(record, EnrichedArticle.model_validate_json(record.value))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "document"
            self._reject(record, f"not a valid enriched article: {where}: {err['msg']}")
            return None

    def _reject(self, record: ConsumerRecord, reason: str) -> None:
        key = record.key.decode("utf-8", "replace") if record.key else None
        self.dlq.reject(reason, record.value, topic=record.topic, partition=record.partition, offset=record.offset, key=key)
        self.stats.rejected += 1

    def _actions(self, pending: list[_Pending]) -> list[dict[str, Any]]:
        actions: list[dict[str, Any]] = []
        for item in pending:
            article = item.article
            version = external_version(article)
            actions.append({
                "_index": self.settings.index_articles,
                "_id": article.id,
                "_version": version,
                "_version_type": "external_gte",
                "_source": article_document(article),
            })
            for threat_id, doc in threat_documents(article):
                actions.append({
                    "_index": self.settings.index_threats,
                    "_id": threat_id,
                    "_version": version,
                    "_version_type": "external_gte",
                    "_source": doc,
                })
        return actions

    def _index(self, pending: list[_Pending]) -> None:
        by_id = {item.article.id: item for item in pending}
        failures = self._bulk_with_retries(self._actions(pending))
        for doc_id, index, status, reason in failures:
            article_id = doc_id.rsplit("-", 1)[0] if index == self.settings.index_threats else doc_id
            item = by_id.get(article_id)
            if item is not None:
                self._reject(item.record, f"Elasticsearch refused the document for {index} (HTTP {status}): {reason}")
        self.stats.indexed += len(pending) - len({f[0] for f in failures if f[1] == self.settings.index_articles})

    @retry(
        retry=retry_if_exception_type((RetryableBulkError, ESConnectionError, ConnectionTimeout)),
        wait=wait_exponential_jitter(initial=0.5, max=30),
        stop=stop_after_delay(24 * 3600),
        reraise=True,
        before_sleep=lambda state: log.warning(
            "bulk indexing failed (%s); retrying in %.1fs", state.outcome.exception(), state.next_action.sleep  # type: ignore[union-attr]
        ),
    )
    def _bulk_with_retries(self, actions: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
        _, errors = helpers.bulk(self.es, actions, raise_on_error=False, raise_on_exception=True, stats_only=False)
        failures: list[tuple[str, str, int, str]] = []
        for error in errors:  # type: ignore[union-attr]
            op = next(iter(error.values()))
            status = int(op.get("status", 0))
            if status == 409:
                continue  # a newer (or the same) enrichment is already indexed: nothing to do
            if status in RETRYABLE_STATUSES:
                raise RetryableBulkError(f"{status} for {op.get('_id')}")
            reason = op.get("error", {})
            text = reason.get("reason", str(reason)) if isinstance(reason, dict) else str(reason)
            failures.append((str(op.get("_id")), str(op.get("_index")), status, text))
        return failures

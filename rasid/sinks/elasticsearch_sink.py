"""Consume `news.enriched` and `news.alerts`, bulk-index into Elasticsearch, commit offsets only after acknowledgement.

The bar is Kafka Connect's Elasticsearch sink:
- records accumulate across polls and are flushed by count, bytes or linger time; one batch is written
  on a writer thread while the consumer thread polls and shapes the next (Connect's in-flight requests);
- transient failures (429, 5xx, no connection) are retried with exponential backoff and jitter, while the
  consumer stays in its group (partitions paused, polling without fetching);
- a document the server refuses goes to the dead-letter topic with the server's reason, the rest of the
  batch is indexed, and the partition moves on;
- offsets are committed per partition, exactly up to what was flushed, only after the server acknowledged;
- `_id` is the article id (threats: article id + number, alerts: alert id), and article and threat
  documents carry the enrichment time as an external version, so a replay never overwrites a newer
  enrichment; a re-enrichment with fewer threats removes the threat documents it no longer has;
- records of partitions taken away by a rebalance and not yet written are left to the new owner;
- a rebalance that never hands this sink its partitions (seen on the embedded noida-db when a join crosses an offset
  commit) is left: after `sink_rebalance_stall_s`, plus jitter so that stuck members do not all leave at once, the sink
  leaves the group and joins it again (a dead member that the broker never expires is not cured this way).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError
from pydantic import ValidationError

from rasid.observability.stage_metrics import (
    record_consumed,
    record_documents,
    record_error,
    record_indexed,
)
from rasid.observability.structured_logging import article_context
from rasid.records import Alert, EnrichedArticle
from rasid.settings import Settings
from rasid.sinks.alert_document import alert_document
from rasid.sinks.article_document import (
    article_document,
    external_version,
    threat_documents,
)
from rasid.sinks.batching import Batch, BatchLimits
from rasid.sinks.bulk_writer import Backoff, BulkOperation, BulkWriter, ItemOutcome
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_templates import install_templates
from rasid.streams.dead_letters import DeadLetterQueue
from rasid.streams.fetch_backoff import (
    EMPTY_FETCH_PAUSE_S,
    pause_kafka_python_after_empty_fetch,
)
from rasid.streams.group_membership import claim_slot, leave_group
from rasid.streams.topics import ensure_topics

log = logging.getLogger("rasid.sink")

STAGE = "index"
# Delete-by-query clauses per request (well under the default max_clause_count of 1024).
CLEANUP_CHUNK = 200
# While a batch is being written, look this often whether it was answered (then its offsets are committed).
IN_FLIGHT_CHECK_S = 0.1


class SinkStopping(Exception):
    """Asked to stop while the server was still failing: leave the batch uncommitted (it is replayed)."""


@dataclass
class SinkStats:
    batches: int = 0
    articles: int = 0
    threats: int = 0
    alerts: int = 0
    stale: int = 0  # a newer enrichment was already indexed (or superseded within the batch)
    stale_threats_removed: int = 0
    rejected: int = 0
    commits: int = 0


@dataclass
class ArticleItem:
    record: ConsumerRecord
    article: EnrichedArticle
    version: int
    # Shaped on the consumer thread as records arrive, while the previous batch is being written.
    document: dict[str, Any]
    threats: list[tuple[str, dict[str, Any]]]


@dataclass
class AlertItem:
    record: ConsumerRecord
    alert: Alert
    document: dict[str, Any]


SinkItem = ArticleItem | AlertItem


@dataclass
class _Written:
    """An article whose document the server accepted in this flush."""

    item: ArticleItem
    replaced: bool  # an earlier document with this id existed: its threats may be stale
    threat_ids: list[str] = field(default_factory=list)


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, sink: ElasticsearchSink) -> None:
        self.sink = sink

    def on_partitions_revoked(self, revoked: Collection[TopicPartition]) -> None:
        self.sink._on_revoked(set(revoked))

    def on_partitions_assigned(self, assigned: Collection[TopicPartition]) -> None:
        self.sink._on_assigned(set(assigned))


class ElasticsearchSink:
    def __init__(
        self,
        settings: Settings,
        es: Elasticsearch | None = None,
        limits: BatchLimits | None = None,
        backoff: Backoff | None = None,
        shutdown_grace_s: float | None = None,
    ) -> None:
        self.settings = settings
        # Retries are ours (backoff with jitter, resending only unanswered operations), not the transport's.
        self.es = (es or elasticsearch_client(settings)).options(max_retries=0)
        self.limits = limits or BatchLimits(
            max_docs=settings.sink_batch_docs, max_bytes=settings.sink_batch_bytes, linger_s=settings.sink_linger_ms / 1000
        )
        backoff = backoff or Backoff(max_s=settings.sink_backoff_max_s)
        self.shutdown_grace_s = settings.sink_shutdown_grace_s if shutdown_grace_s is None else shutdown_grace_s
        self.stats = SinkStats()
        self.batch: Batch[SinkItem] = Batch(self.limits)
        self.writer = BulkWriter(self.es, backoff, sleep=self._sleep_unless_stopping)
        # One batch in flight on a writer thread while this thread polls and shapes the next one.
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasid-sink-bulk")
        self._in_flight: tuple[Future[None], Batch[SinkItem]] | None = None
        self.dlq = DeadLetterQueue(settings, STAGE)
        self._stop = threading.Event()
        self._stop_requested_at: float | None = None
        self._revoked_in_flight: set[TopicPartition] = set()
        self._revoked_last: set[TopicPartition] = set()  # by the rebalance now under way
        self._rewind: dict[TopicPartition, int] = {}
        # noida-db answers an empty fetch at once: without a pause, polling spins between two records.
        pause_kafka_python_after_empty_fetch()
        self.slot = claim_slot(settings.data_dir / "run", settings.sink_group)
        self._rebalancing_since: float | None = None  # the group began a rebalance that has not assigned us yet
        self._orphaned: Batch[SinkItem] | None = None  # in flight when this sink left its group
        self._stall_after_s = self._stall_limit()
        self.consumer = self._new_consumer()

    def _new_consumer(self) -> KafkaConsumer:
        settings = self.settings
        return KafkaConsumer(
            bootstrap_servers=settings.bootstrap_servers,
            group_id=settings.sink_group,
            group_instance_id=self.slot.instance_id,
            # Static membership: a restart within the session timeout keeps the assignment, no rebalance.
            session_timeout_ms=30_000,
            client_id="rasid-sink",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.limits.max_docs,
            fetch_max_bytes=32 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
            # With nothing to fetch (see pause_kafka_python_after_empty_fetch), poll waits this long at a time.
            retry_backoff_ms=int(EMPTY_FETCH_PAUSE_S * 1000),
            # Eager assignors (kafka-python's default): every rebalance ends in on_partitions_assigned, even with no
            # partitions, which the stalled-rebalance watchdog relies on (a cooperative one calls it only on gains).
            partition_assignment_strategy=(RangePartitionAssignor, RoundRobinPartitionAssignor),
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def setup(self) -> None:
        ensure_topics(self.settings, [self.settings.topic_enriched, self.settings.topic_alerts, self.settings.topic_dlq])
        # Elasticsearch may still be starting (compose, rasid up): wait for it like for any outage.
        self.writer.call(lambda: install_templates(self.es, self.settings))
        self._subscribe()

    def _subscribe(self) -> None:
        self._rebalancing_since = time.monotonic()
        self.consumer.subscribe([self.settings.topic_enriched, self.settings.topic_alerts], listener=_Rebalance(self))

    def stop(self) -> None:
        """Ask the loop to finish: it flushes what it holds (retrying for `shutdown_grace_s`) and commits."""
        if self._stop_requested_at is None:
            self._stop_requested_at = time.monotonic()
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            self.setup()
            while not self._stop.is_set():
                self.poll_once()
            self.flush()
        except SinkStopping:
            log.warning("stopped while Elasticsearch was unavailable; unflushed records will be read again")
        finally:
            self.close()

    def close(self) -> None:
        try:
            self._writer_thread.shutdown(wait=True, cancel_futures=True)
            self.consumer.close(autocommit=False)
            leave_group(self.settings.bootstrap_servers, self.settings.sink_group, self.slot.instance_id)
        finally:
            self.slot.release()
            self.dlq.close()
        log.info("sink stopped: %s", self.stats)

    # -- consuming ---------------------------------------------------------------------------

    def poll_once(self, max_wait_s: float = 0.5) -> int:
        """Poll once and add what came to the batch; hand a due batch to the writer thread when it is free.

        While a batch is in flight and the next one is already full, partitions are paused: polling goes
        on (the consumer stays in its group) but fetches nothing. Returns the number of records polled.
        """
        self._settle_in_flight(wait_s=0.0)
        self._start_write_if_due()
        self._set_paused(self.batch.full)
        wait = self.batch.seconds_until_due()
        timeout_s = max_wait_s if wait is None else min(wait, max_wait_s)
        if self._in_flight is not None:
            if self.batch.due:
                self._settle_in_flight(wait_s=min(max_wait_s, 0.2))  # nothing to do but wait for the writer
                timeout_s = 0.0
            else:
                timeout_s = min(timeout_s, IN_FLIGHT_CHECK_S)  # commit soon after the write is answered
        polled = self.consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max(1, self.batch.room))
        count = 0
        for tp, records in polled.items():
            for record in records:
                self._add(tp, record)
                count += 1
        self._start_write_if_due()
        self._rejoin_if_stalled()
        return count

    def _set_paused(self, paused: bool) -> None:
        if paused:
            self.consumer.pause(*self.consumer.assignment())
        elif self.consumer.paused():
            self.consumer.resume(*self.consumer.paused())

    def _add(self, tp: TopicPartition, record: ConsumerRecord) -> None:
        record_consumed(STAGE)
        item = self._parse(record)
        self.batch.add(tp, record.offset, item, len(record.value or b""))

    def _parse(self, record: ConsumerRecord) -> SinkItem | None:
        try:
            if record.topic == self.settings.topic_alerts:
                alert = Alert.model_validate_json(record.value or b"")
                return AlertItem(record, alert, alert_document(alert))
            article = EnrichedArticle.model_validate_json(record.value or b"")
            return ArticleItem(record, article, external_version(article), article_document(article),
                               threat_documents(article))
        except ValidationError as exc:
            what = "alert" if record.topic == self.settings.topic_alerts else "enriched article"
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "document"
            self._reject(record, f"not a valid {what}: {where}: {err['msg']}")
            return None
        except Exception as exc:  # one record the document shaping chokes on must not stop the stream
            log.exception("could not shape the documents of %s[%d]@%d", record.topic, record.partition, record.offset)
            self._reject(record, f"could not shape the index documents: {type(exc).__name__}: {exc}")
            return None

    def _reject(self, record: ConsumerRecord, reason: str) -> None:
        key = record.key.decode("utf-8", "replace") if record.key else None
        with article_context(key or ""):
            self.dlq.reject(reason, record.value, topic=record.topic, partition=record.partition, offset=record.offset,
                            key=key)
        self.stats.rejected += 1

    # -- flushing ----------------------------------------------------------------------------

    def flush(self, backoff: Backoff | None = None) -> None:
        """Write everything held until each document has a final answer, committing exactly its offsets."""
        self._settle_in_flight(wait_s=None)
        if self.batch.empty:
            return
        batch, self.batch = self.batch, Batch(self.limits)
        self._write(batch.items, backoff)
        self._finish(batch, revoked=set())

    def _start_write_if_due(self) -> None:
        if self._in_flight is not None or not self.batch.due:
            return
        batch, self.batch = self.batch, Batch(self.limits)
        self._in_flight = (self._writer_thread.submit(self._write, batch.items, None), batch)

    def _settle_in_flight(self, wait_s: float | None) -> None:
        """If the batch in flight is written (waiting up to `wait_s`; None: until it is), commit its offsets."""
        if self._in_flight is None:
            return
        future, batch = self._in_flight
        done, _ = wait([future], timeout=wait_s)
        if not done:
            return
        self._in_flight = None
        revoked, self._revoked_in_flight = self._revoked_in_flight, set()
        future.result()  # a write that gave up (stopping) or failed for good raises here
        self._finish(batch, revoked)

    def _finish(self, batch: Batch[SinkItem], revoked: set[TopicPartition]) -> None:
        self.stats.batches += 1
        if batch is self._orphaned:
            self._orphaned = None
            return  # read before this sink left the group: the partitions' owners read it again
        offsets = batch.commit_offsets(self.consumer.assignment() - revoked)
        if offsets:
            self._commit(offsets)

    def _commit(self, offsets: dict[TopicPartition, Any]) -> None:
        try:
            self.consumer.commit(offsets=offsets)
            self.stats.commits += 1
        except KafkaError as exc:
            record_error(STAGE, "commit_failed")
            # The group moved on (rebalance): the new owner re-reads from the last commit; writes are idempotent.
            log.warning("offset commit failed (%s); those records will be indexed again, without duplicates", exc)

    def _write(self, items: list[SinkItem], backoff: Backoff | None) -> None:
        articles = self._newest_articles(item for item in items if isinstance(item, ArticleItem))
        alerts = list({item.alert.alert_id: item for item in items if isinstance(item, AlertItem)}.values())

        operations = [self._article_operation(item) for item in articles]
        operations += [self._alert_operation(item) for item in alerts]
        outcomes = self.writer.write(operations, backoff)
        written = self._article_outcomes(articles, outcomes[: len(articles)])
        self._alert_outcomes(alerts, outcomes[len(articles):])

        # Threats only for articles whose document was accepted: a replayed older enrichment (409)
        # must not bring back threat documents a newer one removed.
        threat_operations: list[BulkOperation] = []
        owners: list[tuple[_Written, str]] = []
        for entry in written:
            for threat_id, doc in entry.item.threats:
                threat_operations.append(BulkOperation("index", {
                    "_index": self.settings.index_threats, "_id": threat_id,
                    "version": entry.item.version, "version_type": "external_gte",
                }, doc))
                owners.append((entry, threat_id))
                entry.threat_ids.append(threat_id)
        self._threat_outcomes(owners, self.writer.write(threat_operations, backoff))
        self._remove_stale_threats([entry for entry in written if entry.replaced], backoff)

    def _newest_articles(self, items: Iterable[ArticleItem]) -> list[ArticleItem]:
        newest: dict[str, ArticleItem] = {}
        for item in items:
            seen = newest.get(item.article.id)
            if seen is not None:
                self.stats.stale += 1
            if seen is None or item.version >= seen.version:
                newest[item.article.id] = item
        return list(newest.values())

    def _article_operation(self, item: ArticleItem) -> BulkOperation:
        return BulkOperation("index", {
            "_index": self.settings.index_articles, "_id": item.article.id,
            "version": item.version, "version_type": "external_gte",
        }, item.document)

    def _alert_operation(self, item: AlertItem) -> BulkOperation:
        # An alert never changes: `create` makes a replay a no-op (409) instead of a rewrite.
        return BulkOperation("create", {"_index": self.settings.index_alerts, "_id": item.alert.alert_id},
                             item.document)

    def _article_outcomes(self, articles: list[ArticleItem], outcomes: list[ItemOutcome]) -> list[_Written]:
        written: list[_Written] = []
        for item, outcome in zip(articles, outcomes, strict=True):
            if outcome.written:
                written.append(_Written(item, replaced=outcome.result != "created"))
                self.stats.articles += 1
                record_indexed(item.article)
            elif outcome.conflict:
                self.stats.stale += 1
            else:
                self._reject(item.record, self._refusal(self.settings.index_articles, item.article.id, outcome))
        return written

    def _alert_outcomes(self, alerts: list[AlertItem], outcomes: list[ItemOutcome]) -> None:
        for item, outcome in zip(alerts, outcomes, strict=True):
            if outcome.written or outcome.conflict:
                self.stats.alerts += 1
                record_documents(STAGE, "alert", 1)
            else:
                self._reject(item.record, self._refusal(self.settings.index_alerts, item.alert.alert_id, outcome))

    def _threat_outcomes(self, owners: list[tuple[_Written, str]], outcomes: list[ItemOutcome]) -> None:
        refused: dict[str, tuple[_Written, list[str]]] = {}
        for (entry, threat_id), outcome in zip(owners, outcomes, strict=True):
            if outcome.written or outcome.conflict:
                self.stats.threats += 1
                record_documents(STAGE, "threat", 1)
                continue
            reasons = refused.setdefault(entry.item.article.id, (entry, []))[1]
            reasons.append(self._refusal(self.settings.index_threats, threat_id, outcome))
        for entry, reasons in refused.values():
            self._reject(entry.item.record, "; ".join(reasons))

    @staticmethod
    def _refusal(index: str, doc_id: str, outcome: ItemOutcome) -> str:
        return f"Elasticsearch refused document {doc_id} for {index} (HTTP {outcome.status}): {outcome.reason}"

    def _remove_stale_threats(self, replaced: list[_Written], backoff: Backoff | None) -> None:
        """Delete threat documents an earlier enrichment wrote and this one no longer has."""
        if not replaced:
            return
        index = self.settings.index_threats
        # Delete-by-query searches: make the earlier enrichment's threats visible first.
        self.writer.call(lambda: self.es.indices.refresh(index=index, ignore_unavailable=True, allow_no_indices=True),
                         backoff)
        for start in range(0, len(replaced), CLEANUP_CHUNK):
            chunk = replaced[start:start + CLEANUP_CHUNK]
            query = {"bool": {"minimum_should_match": 1, "should": [
                {"bool": {
                    "filter": [{"term": {"article_id": entry.item.article.id}}],
                    "must_not": [{"ids": {"values": entry.threat_ids}}] if entry.threat_ids else [],
                }} for entry in chunk
            ]}}
            response = self.writer.call(lambda q=query: self.es.delete_by_query(  # type: ignore[misc]
                index=index, query=q, conflicts="proceed", ignore_unavailable=True, allow_no_indices=True,
            ), backoff)
            self.stats.stale_threats_removed += int(response.get("deleted", 0))

    # -- backing off -------------------------------------------------------------------------

    def _sleep_unless_stopping(self, seconds: float) -> None:
        """Backoff sleep on the writer thread; the consumer thread keeps polling (partitions paused)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self._check_shutdown()
            time.sleep(min(remaining, 0.2))
        self._check_shutdown()

    def _check_shutdown(self) -> None:
        if self._stop_requested_at is not None and time.monotonic() - self._stop_requested_at > self.shutdown_grace_s:
            raise SinkStopping()

    # -- rebalance -----------------------------------------------------------------------------

    def _on_revoked(self, revoked: set[TopicPartition]) -> None:
        # kafka-python runs rebalance callbacks on its IO thread: no blocking consumer call (commit) here.
        self._rebalancing_since = time.monotonic()
        self._revoked_last = revoked
        if self._in_flight is not None:
            # Being written: it finishes, but its offsets are not committed for partitions we no longer own.
            self._revoked_in_flight |= revoked
        rewind = self.batch.drop(revoked)
        if rewind:
            # Not yet written: the next owner reads them again from the last commit. If that is us again,
            # the consumer may keep its position past them, so remember where to seek back to.
            self._rewind.update(rewind)
            log.info("rebalance: left unflushed records from offsets %s to the partitions' next owner",
                     {_partition_name(tp): offset for tp, offset in rewind.items()})

    def _on_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("rebalance: this sink now owns %s", _partition_names(assigned) or "no partitions")
        self._rebalancing_since = None
        # Given straight back by the same rebalance, nobody else owned them in between: the batch in
        # flight commits them after all (else a partition whose last records it held stays uncommitted).
        self._revoked_in_flight -= assigned & self._revoked_last
        self._revoked_last = set()
        for tp in assigned & self._rewind.keys():
            self.consumer.seek(tp, self._rewind[tp])
        self._rewind.clear()

    def _stall_limit(self) -> float:
        return self.settings.sink_rebalance_stall_s * random.uniform(1.0, 1.5)

    def _rejoin_if_stalled(self) -> None:
        """Leave and rejoin the group when a rebalance has not assigned this sink anything for too long.

        Owning no partition is no sign (more sinks than partitions leaves some idle, and they are told so); a
        rebalance begun and never finished is. On noida-db a join that crosses an offset commit can leave every
        member waiting until one leaves the group: leaving is what ends it.
        """
        since = self._rebalancing_since
        if since is None or time.monotonic() - since < self._stall_after_s:
            return
        record_error(STAGE, "rebalance_stalled")
        log.warning("rebalance: no partitions assigned %.0f s after the group began rebalancing; leaving the group "
                    "and joining it again", time.monotonic() - since)
        self._stall_after_s = self._stall_limit()
        try:
            replacement = self._new_consumer()  # before closing the old one: a broker outage leaves the sink as it was
        except KafkaError as exc:
            self._rebalancing_since = time.monotonic()
            log.warning("rebalance: could not reach the brokers to rejoin (%s); trying again later", exc)
            return
        self.consumer.close(autocommit=False)
        leave_group(self.settings.bootstrap_servers, self.settings.sink_group, self.slot.instance_id)
        self._rewind.clear()  # the new consumer starts from the committed offsets
        self._revoked_last = set()
        if self._in_flight is not None:
            self._orphaned = self._in_flight[1]  # others may own its partitions since we left: it commits nothing
        self.consumer = replacement
        self._subscribe()


def _partition_name(tp: TopicPartition) -> str:
    return f"{tp.topic}[{tp.partition}]"


def _partition_names(partitions: Collection[TopicPartition]) -> str:
    return ", ".join(_partition_name(tp) for tp in sorted(partitions))

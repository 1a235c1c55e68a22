"""`rasid reindex`: replay `news.enriched` (and `news.alerts`) from the start into new index versions, then swap.

1. the current templates are installed, so the new versions get the current mappings and analysis;
2. `<alias>-v<N+1>` is created beside the live version (the sink keeps writing to the alias meanwhile);
3. every partition is read from its first offset to its end offset as they were when the replay started
   (manual assignment, no consumer group: nothing of the sink's progress is touched);
4. unless forced, the swap is refused when the new version holds fewer articles than the live one
   (topic retention dropped old records): the live index is left as it was and the new one is deleted;
5. all aliases move in ONE `_aliases` request, so searches never see a missing or half-built index;
6. what arrived during the replay (up to the end offsets after the swap) is indexed into the new version:
   the sink wrote it to the old one, and from the swap on the sink itself writes to the new one;
7. the old versions are kept (swap back by hand if needed) unless `delete_old` is set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from pydantic import ValidationError

from rasid.records import Alert, EnrichedArticle
from rasid.settings import Settings
from rasid.sinks.alert_document import alert_document
from rasid.sinks.article_document import article_document, external_version, threat_documents
from rasid.sinks.bulk_writer import BulkOperation, BulkWriter
from rasid.sinks.index_aliases import alias_state, create_version, next_version, swap_aliases
from rasid.sinks.index_templates import install_index_templates, installed_options

log = logging.getLogger("rasid.reindex")

BATCH = 500


class ReindexError(Exception):
    """The replay could not be completed; the live indices were not touched."""


@dataclass
class ReindexReport:
    targets: dict[str, str] = field(default_factory=dict)  # alias -> new index
    previous: dict[str, list[str]] = field(default_factory=dict)  # alias -> indices it pointed to
    articles: int = 0
    threats: int = 0
    alerts: int = 0
    stale: int = 0  # older enrichments of an article already replayed (409), and stale threats removed
    invalid: int = 0  # records that are not valid enriched articles / alerts (the sink dead-lettered them)
    refused: list[str] = field(default_factory=list)
    truncated: dict[str, int] = field(default_factory=dict)  # "topic[p]" -> first offset still on the topic
    live_articles: int = 0
    new_articles: int = 0
    caught_up: int = 0  # records indexed after the swap
    swapped: bool = False
    deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0


class TopicReplay:
    """Read topics from their first offsets with manual assignment (no group, no commits)."""

    def __init__(self, settings: Settings, topics: list[str], timeout_s: float = 30.0) -> None:
        self.consumer = KafkaConsumer(
            bootstrap_servers=settings.bootstrap_servers,
            group_id=None,
            client_id="rasid-reindex",
            enable_auto_commit=False,
            max_poll_records=BATCH,
            fetch_max_bytes=32 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        self.partitions = self._assign(topics, timeout_s)
        self.first = self.consumer.beginning_offsets(self.partitions)
        self.consumer.seek_to_beginning(*self.partitions)

    def _assign(self, topics: list[str], timeout_s: float) -> list[TopicPartition]:
        deadline = time.monotonic() + timeout_s
        partitions: list[TopicPartition] = []
        for topic in topics:
            ids = self.consumer.partitions_for_topic(topic)
            while not ids and time.monotonic() < deadline:
                time.sleep(0.2)
                ids = self.consumer.partitions_for_topic(topic)
            if not ids:
                continue  # a topic nobody wrote to yet (no alerts fired): nothing to replay from it
            partitions.extend(TopicPartition(topic, p) for p in sorted(ids))
        if not partitions:
            raise ReindexError(f"none of {', '.join(topics)} exists on {self.consumer.config['bootstrap_servers']}")
        self.consumer.assign(partitions)
        return partitions

    def end_offsets(self) -> dict[TopicPartition, int]:
        return self.consumer.end_offsets(self.partitions)

    def read_until(self, end: dict[TopicPartition, int]) -> Iterator[list[ConsumerRecord]]:
        """Batches of records up to (not including) `end` for every partition."""
        while any(self.consumer.position(tp) < end[tp] for tp in self.partitions):
            polled = self.consumer.poll(timeout_ms=500, max_records=BATCH)
            batch = [r for tp, records in polled.items() for r in records if r.offset < end[tp]]
            if batch:
                yield batch

    def close(self) -> None:
        self.consumer.close(autocommit=False)


class VersionWriter:
    """Write replayed records into the new versions, with the sink's document shapes and versioning."""

    def __init__(self, es: Elasticsearch, settings: Settings, targets: dict[str, str], report: ReindexReport) -> None:
        self.settings = settings
        self.targets = targets
        self.report = report
        self.writer = BulkWriter(es)
        # Threat count of the newest enrichment written per article, to remove threats a newer one dropped.
        self.threat_counts: dict[str, tuple[int, int]] = {}

    def write(self, records: list[ConsumerRecord]) -> None:
        articles: dict[str, EnrichedArticle] = {}
        alerts: dict[str, Alert] = {}
        for record in records:
            try:
                if record.topic == self.settings.topic_alerts:
                    alert = Alert.model_validate_json(record.value)
                    alerts.setdefault(alert.alert_id, alert)
                else:
                    article = EnrichedArticle.model_validate_json(record.value)
                    seen = articles.get(article.id)
                    if seen is None or external_version(article) >= external_version(seen):
                        articles[article.id] = article
            except (ValidationError, ValueError):
                self.report.invalid += 1
        self._articles(list(articles.values()))
        self._alerts(list(alerts.values()))

    def _articles(self, articles: list[EnrichedArticle]) -> None:
        index, threats_index = self.targets[self.settings.index_articles], self.targets[self.settings.index_threats]
        operations = [BulkOperation("index", {"_index": index, "_id": a.id, "version": external_version(a),
                                              "version_type": "external_gte"}, article_document(a)) for a in articles]
        threat_ops: list[BulkOperation] = []
        for article, outcome in zip(articles, self.writer.write(operations), strict=True):
            if outcome.conflict:
                self.report.stale += 1
                continue
            if not outcome.written:
                self._refused(index, article.id, outcome.status, outcome.reason)
                continue
            self.report.articles += 1
            version = external_version(article)
            documents = threat_documents(article)
            threat_ops += [BulkOperation("index", {"_index": threats_index, "_id": threat_id, "version": version,
                                                   "version_type": "external_gte"}, doc) for threat_id, doc in documents]
            _, before = self.threat_counts.get(article.id, (0, 0))
            threat_ops += [BulkOperation("delete", {"_index": threats_index, "_id": f"{article.id}-{n}"})
                           for n in range(len(documents), before)]
            self.threat_counts[article.id] = (version, len(documents))
        for op, outcome in zip(threat_ops, self.writer.write(threat_ops), strict=True):
            if op.action == "delete":
                self.report.stale += outcome.result == "deleted"
            elif outcome.written:
                self.report.threats += 1
            elif not outcome.conflict:
                self._refused(threats_index, op.meta["_id"], outcome.status, outcome.reason)

    def _alerts(self, alerts: list[Alert]) -> None:
        index = self.targets.get(self.settings.index_alerts)
        if index is None or not alerts:
            return
        operations = [BulkOperation("create", {"_index": index, "_id": a.alert_id}, alert_document(a)) for a in alerts]
        for alert, outcome in zip(alerts, self.writer.write(operations), strict=True):
            if outcome.written or outcome.conflict:
                self.report.alerts += outcome.written
            else:
                self._refused(index, alert.alert_id, outcome.status, outcome.reason)

    def _refused(self, index: str, doc_id: str, status: int, reason: str | None) -> None:
        message = f"{index}/{doc_id} (HTTP {status}): {reason}"
        log.error("refused during reindex: %s", message)
        if len(self.report.refused) < 20:
            self.report.refused.append(message)


def _count(es: Elasticsearch, index: str) -> int:
    es.indices.refresh(index=index, ignore_unavailable=True, allow_no_indices=True)
    return int(es.count(index=index, ignore_unavailable=True, allow_no_indices=True)["count"])


def reindex(
    es: Elasticsearch,
    settings: Settings,
    *,
    include_alerts: bool = True,
    force: bool = False,
    delete_old: bool = False,
    progress: Callable[[ReindexReport], None] | None = None,
) -> ReindexReport:
    """Build new versions from the topics and swap every alias at once; see the module docstring."""
    started = time.monotonic()
    report = ReindexReport()
    aliases = [settings.index_articles, settings.index_threats] + ([settings.index_alerts] if include_alerts else [])
    topics = [settings.topic_enriched] + ([settings.topic_alerts] if include_alerts else [])
    # The current mappings, with the shards/replicas/ILM choices `rasid es setup` made.
    options = installed_options(es, settings)
    install_index_templates(es, settings, options)
    replay = TopicReplay(settings, topics)
    try:
        for tp, first in replay.first.items():
            if first > 0:
                report.truncated[f"{tp.topic}[{tp.partition}]"] = first
        for alias in aliases:
            state = alias_state(es, alias)
            report.previous[alias] = state.indices
            report.targets[alias] = create_version(es, alias, next_version(es, alias), options.rollover,
                                                   settings={"index": {"refresh_interval": "-1"}})
        writer = VersionWriter(es, settings, report.targets, report)
        for batch in replay.read_until(replay.end_offsets()):
            writer.write(batch)
            if progress:
                progress(report)
        for index in report.targets.values():
            es.indices.put_settings(index=index, settings={"index": {"refresh_interval": None}})
        report.live_articles = _count(es, settings.index_articles) if report.previous[settings.index_articles] else 0
        report.new_articles = _count(es, report.targets[settings.index_articles])
        if report.new_articles < report.live_articles and not force:
            _drop(es, report.targets.values())
            raise ReindexError(
                f"the replay produced {report.new_articles} articles but {settings.index_articles} holds "
                f"{report.live_articles}: {settings.topic_enriched} no longer has every article (retention?). "
                "Nothing was swapped; the new indices were removed. Use --force to swap anyway."
            )
        swap_aliases(es, report.targets)
        report.swapped = True
        before = report.articles + report.alerts
        for batch in replay.read_until(replay.end_offsets()):
            writer.write(batch)
        report.caught_up = report.articles + report.alerts - before
        if delete_old:
            old = [index for indices in report.previous.values() for index in indices
                   if index not in report.targets.values() and index not in aliases]
            _drop(es, old)
            report.deleted = old
    except BaseException:
        if not report.swapped:
            _drop(es, report.targets.values())
        raise
    finally:
        replay.close()
        report.seconds = round(time.monotonic() - started, 2)
    return report


def _drop(es: Elasticsearch, indices: Any) -> None:
    names = [name for name in indices if name]
    if names:
        es.indices.delete(index=",".join(names), ignore_unavailable=True)

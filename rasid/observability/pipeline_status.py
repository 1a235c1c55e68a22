"""What `rasid status` shows, read from Kafka and Elasticsearch only (works for any deployment).

- throughput per stage: records each stage added over an interval (producer: news.raw end offsets,
  processor: news.enriched, alerts: news.alerts, sink: offsets the sink group committed);
- lag per consumer group, topic and partition;
- the last error: the newest record on the dead-letter topic (stage, reason, where);
- document counts of the three indices;
- which stages answer on their /metrics port (on this machine).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from elastic_transport import TransportError
from elasticsearch import Elasticsearch, NotFoundError
from kafka import KafkaConsumer

from rasid.observability.consumer_lag import LagReader, PartitionLag
from rasid.observability.metrics_server import metrics_address
from rasid.settings import Settings
from rasid.streams.topics import alert_stage_inputs, records_written, topic_partitions

STAGES = ("producer", "processor", "alerts", "sink")


@dataclass
class LastError:
    stage: str
    reason: str
    at: str
    topic: str | None
    partition: int | None
    offset: int | None
    key: str | None


@dataclass
class Snapshot:
    """Counters at one moment: topic end offsets and what each group committed."""

    taken_at: float
    topic_ends: dict[str, int]
    lag: list[PartitionLag]

    def committed(self, group: str) -> int:
        return sum(row.committed or 0 for row in self.lag if row.group == group)


@dataclass
class PipelineStatus:
    interval_s: float
    throughput_per_s: dict[str, float]
    totals: dict[str, int]
    lag: list[PartitionLag]
    last_error: LastError | None
    dead_letters: int
    index_counts: dict[str, int | None]  # None: the index does not exist (yet)
    metrics_up: dict[str, bool] = field(default_factory=dict)


def consumer_groups(settings: Settings) -> dict[str, list[str]]:
    """Rasid's consumer groups and the topics each reads."""
    return {
        settings.processor_group: [settings.topic_raw],
        settings.alerts_group: alert_stage_inputs(settings),
        settings.sink_group: [settings.topic_enriched, settings.topic_alerts],
    }


class StatusReader:
    def __init__(self, settings: Settings, es: Elasticsearch) -> None:
        self.settings = settings
        self.es = es
        self._consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, client_id="rasid-status",
                                       enable_auto_commit=False)
        self._lag = {group: LagReader(settings.bootstrap_servers, group) for group in consumer_groups(settings)}

    def close(self) -> None:
        self._consumer.close()
        for reader in self._lag.values():
            reader.close()

    def snapshot(self) -> Snapshot:
        ends = {topic: records_written(self._consumer, topic) for topic in self.settings.topics}
        lag: list[PartitionLag] = []
        for group, topics in consumer_groups(self.settings).items():
            rows = self._lag[group].lag(topics)
            if any(row.committed is not None for row in rows):  # a group that never ran is not shown
                lag.extend(rows)
        return Snapshot(time.monotonic(), ends, lag)

    def last_error(self) -> LastError | None:
        """The newest dead letter (by its `at`), reading only the last record of each partition."""
        partitions = topic_partitions(self._consumer, self.settings.topic_dlq)
        if not partitions:
            return None
        ends = self._consumer.end_offsets(partitions)
        wanted = [tp for tp in partitions if ends.get(tp, 0) > 0]
        if not wanted:
            return None
        self._consumer.assign(wanted)
        for tp in wanted:
            self._consumer.seek(tp, ends[tp] - 1)
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + 5
        pending = set(wanted)
        while pending and time.monotonic() < deadline:
            for tp, records in self._consumer.poll(timeout_ms=300).items():
                for record in records:
                    try:
                        found.append(json.loads(record.value))
                    except (TypeError, ValueError):
                        found.append({"stage": "?", "reason": "unreadable dead letter", "at": ""})
                pending.discard(tp)
        self._consumer.unsubscribe()
        if not found:
            return None
        newest = max(found, key=lambda letter: str(letter.get("at", "")))
        return LastError(
            stage=str(newest.get("stage", "?")), reason=str(newest.get("reason", "")), at=str(newest.get("at", "")),
            topic=newest.get("topic"), partition=newest.get("partition"), offset=newest.get("offset"),
            key=newest.get("key"),
        )

    def index_counts(self) -> dict[str, int | None]:
        counts: dict[str, int | None] = {}
        for index in (self.settings.index_articles, self.settings.index_threats, self.settings.index_alerts):
            try:
                counts[index] = int(self.es.count(index=index)["count"])
            except NotFoundError:
                counts[index] = None
        return counts

    def metrics_up(self) -> dict[str, bool]:
        up: dict[str, bool] = {}
        for stage in ("producer", "processor", "alerts", "sink"):
            address = metrics_address(stage, self.settings)
            if address.port == 0:
                continue
            host = "127.0.0.1" if address.host in ("0.0.0.0", "") else address.host
            try:
                up[stage] = httpx.get(f"http://{host}:{address.port}/metrics", timeout=0.5).status_code == 200
            except httpx.HTTPError:
                up[stage] = False
        return up

    def status(self, interval_s: float = 2.0, previous: Snapshot | None = None) -> tuple[PipelineStatus, Snapshot]:
        """Throughput over `interval_s` (or since `previous`), and everything else as of now."""
        first = previous or self.snapshot()
        if previous is None and interval_s > 0:
            time.sleep(interval_s)
        second = self.snapshot()
        elapsed = max(1e-6, second.taken_at - first.taken_at)
        s = self.settings
        produced = {
            "producer": second.topic_ends[s.topic_raw] - first.topic_ends[s.topic_raw],
            "processor": second.topic_ends[s.topic_enriched] - first.topic_ends[s.topic_enriched],
            "alerts": second.topic_ends[s.topic_alerts] - first.topic_ends[s.topic_alerts],
            "sink": second.committed(s.sink_group) - first.committed(s.sink_group),
        }
        try:
            counts = self.index_counts()
        except TransportError:
            counts = {}
        status = PipelineStatus(
            interval_s=round(elapsed, 2),
            throughput_per_s={stage: round(max(0, n) / elapsed, 1) for stage, n in produced.items()},
            totals={"raw": second.topic_ends[s.topic_raw], "enriched": second.topic_ends[s.topic_enriched],
                    "alerts": second.topic_ends[s.topic_alerts], "dlq": second.topic_ends[s.topic_dlq],
                    "sink_committed": second.committed(s.sink_group)},
            lag=second.lag,
            last_error=self.last_error(),
            dead_letters=second.topic_ends[s.topic_dlq],
            index_counts=counts,
            metrics_up=self.metrics_up(),
        )
        return status, second

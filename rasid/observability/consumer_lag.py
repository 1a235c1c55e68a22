"""Consumer lag per topic and partition: the topic's end offset minus the group's committed offset.

Read with a plain consumer that carries the group id but never joins the group (no rebalance),
so it is safe to run next to the real consumers, from `rasid status` or a /metrics scrape.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from rasid.streams.topics import topic_partitions

log = logging.getLogger("rasid.observability.lag")


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    end_offset: int
    committed: int | None  # None: the group has committed nothing on this partition yet

    @property
    def lag(self) -> int:
        """Records the group still has to process (all of them when it never committed)."""
        return max(0, self.end_offset - (self.committed or 0))


class LagReader:
    """Reads committed and end offsets for one consumer group; reuse it, then `close()`."""

    def __init__(self, bootstrap_servers: list[str], group: str, request_timeout_ms: int = 10_000) -> None:
        self.group = group
        self._consumer = KafkaConsumer(
            bootstrap_servers=bootstrap_servers, group_id=group, enable_auto_commit=False,
            client_id=f"rasid-lag-{group}", request_timeout_ms=request_timeout_ms,
        )

    def lag(self, topics: Iterable[str]) -> list[PartitionLag]:
        partitions = [tp for topic in topics for tp in topic_partitions(self._consumer, topic)]
        if not partitions:
            return []
        ends = self._consumer.end_offsets(partitions)
        rows = []
        for tp in partitions:
            rows.append(PartitionLag(self.group, tp.topic, tp.partition, int(ends.get(tp, 0)),
                                     self._consumer.committed(tp)))
        return rows

    def close(self) -> None:
        self._consumer.close()


def consumer_lag(bootstrap_servers: list[str], group: str, topics: Iterable[str]) -> list[PartitionLag]:
    reader = LagReader(bootstrap_servers, group)
    try:
        return reader.lag(topics)
    finally:
        reader.close()


class ConsumerLagCollector(Collector):
    """`rasid_consumer_lag{group,topic,partition}` and committed/end offsets, read at scrape time.

    Cached for `max_age_s` so frequent scrapes don't turn into broker load; a broker that
    does not answer gives no lag series (and a warning) instead of a failed scrape.
    """

    def __init__(self, bootstrap_servers: list[str], group: str, topics: list[str], max_age_s: float = 5.0) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.group = group
        self.topics = topics
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._reader: LagReader | None = None
        self._cached: tuple[float, list[PartitionLag]] | None = None

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Registering must not touch Kafka: describe without reading.
        return iter(self._families([]))

    def collect(self) -> Iterator[GaugeMetricFamily]:
        return iter(self._families(self._rows()))

    def _rows(self) -> list[PartitionLag]:
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self.max_age_s:
                return self._cached[1]
            try:
                if self._reader is None:
                    self._reader = LagReader(self.bootstrap_servers, self.group)
                rows = self._reader.lag(self.topics)
            except (KafkaError, OSError) as exc:
                log.warning("could not read consumer lag of group %s: %s", self.group, exc)
                self._close_reader()
                rows = []
            self._cached = (now, rows)
            return rows

    def _close_reader(self) -> None:
        if self._reader is not None:
            try:
                self._reader.close()
            except Exception:  # noqa: BLE001 - closing a broken client must not fail the scrape
                pass
            self._reader = None

    def _families(self, rows: list[PartitionLag]) -> list[GaugeMetricFamily]:
        labels = ["group", "topic", "partition"]
        lag = GaugeMetricFamily("rasid_consumer_lag", "Records not yet consumed and committed by the group", labels=labels)
        end = GaugeMetricFamily("rasid_topic_end_offset", "End offset (next offset to be written) of the partition",
                                labels=labels)
        committed = GaugeMetricFamily("rasid_consumer_committed_offset", "Offset the group committed on the partition",
                                      labels=labels)
        for row in rows:
            values = [row.group, row.topic, str(row.partition)]
            lag.add_metric(values, row.lag)
            end.add_metric(values, row.end_offset)
            if row.committed is not None:
                committed.add_metric(values, row.committed)
        return [lag, end, committed]

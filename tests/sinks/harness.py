"""Run the sink in-process or as a `rasid sink` child process, and look at what it left behind."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from rasid.embedded.supervisor import SupervisedProcess
from rasid.settings import Settings
from rasid.sinks.elasticsearch_sink import ElasticsearchSink


@contextmanager
def sink_running(settings: Settings, **options: Any) -> Iterator[ElasticsearchSink]:
    """The sink's own loop in a thread; on exit it is stopped as SIGTERM would (flush, commit)."""
    sink = ElasticsearchSink(settings, **options)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            sink.run()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="sink", daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.stop()
        thread.join(timeout=60)
    assert not thread.is_alive(), "the sink did not stop"
    if errors:
        raise errors[0]


def sink_process(settings: Settings, name: str = "sink") -> SupervisedProcess:
    """`rasid sink` as a child process (as `rasid run` starts it), killable with SIGKILL."""
    return SupervisedProcess(
        name=name,
        command=[sys.executable, "-m", "rasid.cli.main", "sink", "--log-level", "INFO"],
        run_dir=settings.data_dir / "run",
        ports={},
        env=settings.as_env(),
    )


def count(es: Elasticsearch, index: str) -> int:
    if not es.indices.exists(index=index):
        return 0
    es.indices.refresh(index=index)
    return int(es.count(index=index)["count"])


def wait_for_count(es: Elasticsearch, index: str, expected: int, timeout_s: float = 60.0) -> int:
    deadline = time.monotonic() + timeout_s
    seen = count(es, index)
    while seen < expected and time.monotonic() < deadline:
        time.sleep(0.2)
        seen = count(es, index)
    return seen


def wait_until(condition: Any, timeout_s: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def indexed_ids(es: Elasticsearch, index: str) -> list[str]:
    """Every `_id` in the index (with repeats, if there were any); for indices under 10,000 documents."""
    es.indices.refresh(index=index)
    response = es.search(index=index, size=10_000, source=False, track_total_hits=True)
    assert response["hits"]["total"]["value"] < 10_000, "index too large for one search"
    return [hit["_id"] for hit in response["hits"]["hits"]]


def committed_lag(settings: Settings, topic: str) -> int:
    """Records on `topic` beyond the sink group's committed offsets (0: everything committed)."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers)
    try:
        committed = admin.list_group_offsets(settings.sink_group).get(settings.sink_group, {})
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = consumer.end_offsets(partitions)
        return sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())
    finally:
        admin.close()
        consumer.close()

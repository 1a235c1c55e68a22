"""Real servers for tests: noida-db (Kafka + Elasticsearch APIs) and the Tansu broker, on free ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasid.embedded import NoidaServer, TansuBroker
from rasid.embedded.supervisor import free_port
from rasid.settings import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_FEEDS = SHARED / "data" / "feeds"
SHARED_NEWS = SHARED / "data" / "news" / "ant-articles.jsonl"


@pytest.fixture(scope="session")
def noida(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoidaServer]:
    server = NoidaServer(tmp_path_factory.mktemp("noida"), free_port(), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tansu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TansuBroker]:
    broker = TansuBroker(tmp_path_factory.mktemp("tansu"), free_port())
    broker.start()
    yield broker
    broker.stop()


def isolated_settings(kafka_bootstrap: str, elasticsearch_url: str, data_dir: Path) -> Settings:
    """Settings whose topics, indices and groups no other test shares."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        embedded=False,
        kafka_bootstrap=kafka_bootstrap,
        elasticsearch_url=elasticsearch_url,
        data_dir=data_dir,
        topic_raw=f"news.raw.{tag}",
        topic_enriched=f"news.enriched.{tag}",
        topic_alerts=f"news.alerts.{tag}",
        topic_dlq=f"news.dlq.{tag}",
        index_articles=f"rasid-articles-{tag}",
        index_threats=f"rasid-threats-{tag}",
        index_alerts=f"rasid-alerts-{tag}",
        processor_group=f"rasid-enrich-{tag}",
        sink_group=f"rasid-sink-{tag}",
    )


@pytest.fixture
def settings(noida: NoidaServer, tmp_path: Path) -> Settings:
    """Settings pointing at the session's noida-db, isolated from other tests."""
    return isolated_settings(noida.kafka_bootstrap, noida.elasticsearch_url, tmp_path)


@pytest.fixture(params=["noida", "tansu"])
def kafka_settings(request: pytest.FixtureRequest, noida: NoidaServer, tmp_path: Path) -> Settings:
    """The same Kafka-level test against both brokers, to stay honest about the protocol."""
    broker = noida if request.param == "noida" else request.getfixturevalue("tansu")
    return isolated_settings(broker.kafka_bootstrap, noida.elasticsearch_url, tmp_path)


def read_topic(settings: Settings, topic: str, at_least: int, timeout_s: float = 30.0) -> list:
    """Every record on `topic` (all partitions, from the start), waiting until there are `at_least`."""
    import time

    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, auto_offset_reset="earliest",
                             enable_auto_commit=False)
    try:
        deadline = time.monotonic() + timeout_s
        partitions: set[int] = set()
        while not partitions and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic) or set()
            time.sleep(0.1)
        consumer.assign([TopicPartition(topic, p) for p in partitions])
        consumer.seek_to_beginning()
        records: list = []
        while len(records) < at_least and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=300).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()

"""Topics and the feed producer against both Kafka-protocol brokers (noida-db and Tansu)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kafka import KafkaAdminClient

from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.records import Article
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.conftest import SHARED_FEEDS, read_topic


def test_topics_are_created_with_the_configured_partitions(kafka_settings: Settings) -> None:
    kafka_settings.partitions = 3
    created = ensure_topics(kafka_settings)
    assert sorted(created) == sorted(kafka_settings.topics)
    admin = KafkaAdminClient(bootstrap_servers=kafka_settings.bootstrap_servers)
    try:
        described = {t["name"]: t for t in admin.describe_topics(kafka_settings.topics)}
    finally:
        admin.close()
    assert {name: len(d["partitions"]) for name, d in described.items()} == {name: 3 for name in kafka_settings.topics}
    # A second call changes nothing and does not fail.
    assert ensure_topics(kafka_settings) == []


def test_producer_sends_each_feed_item_once_keyed_by_article_id(kafka_settings: Settings, tmp_path: Path) -> None:
    ensure_topics(kafka_settings)
    feed_file = tmp_path / "cnn-middleEast.xml"
    shutil.copy(SHARED_FEEDS / "cnn-middleEast.xml", feed_file)
    feeds = [FeedConfig(url=feed_file.as_uri(), source="cnn")]

    producer = FeedProducer(kafka_settings, feeds)
    first = producer.poll_once()
    producer.close()
    # A restarted producer remembers what it sent.
    again = FeedProducer(kafka_settings, feeds)
    second = again.poll_once()
    again.close()

    assert first.produced == 30 and second.produced == 0
    records = read_topic(kafka_settings, kafka_settings.topic_raw, at_least=30)
    assert len(records) == 30
    articles = [Article.model_validate_json(r.value) for r in records]
    assert all(r.key.decode() == a.id for r, a in zip(records, articles))
    assert len({a.id for a in articles}) == 30
    assert all(a.source == "cnn" and a.title and a.url.startswith("http") for a in articles)

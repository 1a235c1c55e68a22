"""Create Rasid's topics explicitly, with the configured partition count."""

from __future__ import annotations

import logging

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from rasid.settings import Settings

log = logging.getLogger(__name__)


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """`news.enriched` keeps the latest enrichment of every article (compacted, never expired) so that
    `rasid reindex` can replay it all; alerts are kept for good; raw and DLQ use the broker's retention."""
    return {
        settings.topic_enriched: {"cleanup.policy": "compact"},
        settings.topic_alerts: {"retention.ms": "-1"},
    }


def ensure_topics(settings: Settings, topics: list[str] | None = None) -> list[str]:
    """Create missing topics; return the names that were created (existing ones are kept as they are)."""
    wanted = topics or settings.topics
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="rasid-admin")
    try:
        existing = set(admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return []
        configs = topic_configs(settings)
        new = [
            NewTopic(name, settings.partitions, settings.replication_factor, topic_configs=configs.get(name, {}))
            for name in missing
        ]
        try:
            admin.create_topics(new)
        except TopicAlreadyExistsError:
            # Another stage created it between our list and create: fine.
            pass
        log.info("created topics %s with %d partitions", ", ".join(missing), settings.partitions)
        return missing
    finally:
        admin.close()


def rules_input_topic(alerts_group: str) -> str:
    """The alert stage's internal single-partition topic: every article and timer tick, in one order."""
    return f"{alerts_group}-rules-in"


def alert_stage_inputs(settings: Settings) -> list[str]:
    """What the alert stage consumes, upstream first: `news.enriched`, then its rules input. Lag read in
    this order counts an article forwarded between the two reads (it is still on the second)."""
    return [settings.topic_enriched, rules_input_topic(settings.alerts_group)]


def topic_partitions(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions in order; none when the topic does not exist (yet)."""
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


def records_written(consumer: KafkaConsumer, topic: str) -> int:
    """Records ever written to `topic`: the sum of its partitions' end offsets (0 when it does not exist)."""
    partitions = topic_partitions(consumer, topic)
    return sum(consumer.end_offsets(partitions).values()) if partitions else 0

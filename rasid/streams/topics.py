"""Create Rasid's topics explicitly, with the configured partition count."""

from __future__ import annotations

import logging

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from rasid.settings import Settings

log = logging.getLogger(__name__)


def ensure_topics(settings: Settings, topics: list[str] | None = None) -> list[str]:
    """Create missing topics; return the names that were created (existing ones are kept as they are)."""
    wanted = topics or settings.topics
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="rasid-admin")
    try:
        existing = set(admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return []
        new = [NewTopic(name, settings.partitions, settings.replication_factor) for name in missing]
        try:
            admin.create_topics(new)
        except TopicAlreadyExistsError:
            # Another stage created it between our list and create: fine.
            pass
        log.info("created topics %s with %d partitions", ", ".join(missing), settings.partitions)
        return missing
    finally:
        admin.close()

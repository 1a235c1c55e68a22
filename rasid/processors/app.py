"""The Faust application shared by every processor agent."""

from __future__ import annotations

import faust

from rasid.settings import Settings


def faust_broker_url(settings: Settings) -> str:
    return ";".join(f"kafka://{server}" for server in settings.bootstrap_servers)


def create_app(settings: Settings) -> faust.App:
    return faust.App(
        settings.processor_group,
        broker=faust_broker_url(settings),
        # Our topics are created by `ensure_topics`; Faust only declares its own internal ones.
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        store="memory://",
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=100,
        # A crashed worker's partitions move to a live one within seconds, not a minute.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
        broker_commit_interval=1.0,
        producer_acks=-1,
        producer_max_request_size=8 * 1024 * 1024,
        consumer_max_fetch_size=8 * 1024 * 1024,
    )

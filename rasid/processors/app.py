"""The Faust application shared by every processor agent."""

from __future__ import annotations

import faust

from rasid.streams.fetch_backoff import pause_aiokafka_after_empty_fetch
from rasid.settings import Settings
from rasid.streams.group_membership import claim_slot


def faust_broker_url(settings: Settings) -> str:
    return ";".join(f"kafka://{server}" for server in settings.bootstrap_servers)


def create_app(settings: Settings) -> faust.App:
    pause_aiokafka_after_empty_fetch()
    # Static membership: a worker restarted after a crash takes its old place in the group at once
    # (noida-db never expires a dead member; Apache Kafka would only after the session timeout).
    slot = claim_slot(settings.data_dir / "run", settings.processor_group)
    # Faust's default is "<app id>-data" in the working directory: one stray folder per group.
    datadir = settings.data_dir / "faust" / settings.processor_group
    datadir.parent.mkdir(parents=True, exist_ok=True)  # Faust makes only the last level
    app = faust.App(
        settings.processor_group,
        broker=faust_broker_url(settings),
        # Our topics are created by `ensure_topics`; Faust only declares its own internal ones.
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        store="memory://",
        datadir=datadir,
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=100,
        # A crashed worker's partitions move to a live one within seconds, not a minute.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
        consumer_group_instance_id=slot.instance_id,
        broker_commit_interval=1.0,
        producer_acks=-1,
        producer_max_request_size=8 * 1024 * 1024,
        consumer_max_fetch_size=8 * 1024 * 1024,
    )
    app.group_slot = slot  # type: ignore[attr-defined]  # keeps the slot's lock for the app's lifetime
    return app

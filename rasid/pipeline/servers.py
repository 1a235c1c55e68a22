"""Start the embedded servers when the settings ask for them, and stop only what we started."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rasid.embedded import NoidaServer
from rasid.settings import Settings

log = logging.getLogger("rasid.servers")


def embedded_server(settings: Settings) -> NoidaServer:
    return NoidaServer(settings.data_dir, settings.embedded_kafka_port, settings.embedded_elasticsearch_port)


@contextmanager
def servers_available(settings: Settings) -> Iterator[bool]:
    """Yield with Kafka and Elasticsearch answering; True when this call started the embedded server."""
    if not settings.embedded:
        yield False
        return
    server = embedded_server(settings)
    if server.running_pid() is not None and server.answering():
        yield False
        return
    log.info("starting embedded noida-db (Kafka %s, Elasticsearch %s, data in %s)",
             settings.kafka_bootstrap, settings.elasticsearch_url, settings.data_dir)
    server.start()
    try:
        yield True
    finally:
        server.stop()

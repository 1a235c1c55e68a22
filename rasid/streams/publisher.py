"""Send versioned records to Kafka as UTF-8 JSON, keyed by their id."""

from __future__ import annotations

from collections.abc import Iterable

from kafka import KafkaProducer
from pydantic import BaseModel

from rasid.settings import Settings


def record_bytes(record: BaseModel) -> bytes:
    return record.model_dump_json().encode("utf-8")


class RecordPublisher:
    """A kafka-python producer that waits for broker acknowledgement of every batch it sends."""

    def __init__(self, settings: Settings, client_id: str) -> None:
        self._producer = KafkaProducer(
            bootstrap_servers=settings.bootstrap_servers,
            client_id=client_id,
            acks="all",
            retries=5,
            linger_ms=5,
            max_request_size=8 * 1024 * 1024,
        )

    def send_all(self, topic: str, keyed: Iterable[tuple[str | None, BaseModel]], timeout: float = 30.0) -> int:
        """Send and wait for every acknowledgement; raises if any send failed."""
        futures = [
            self._producer.send(topic, key=key.encode() if key else None, value=record_bytes(record))
            for key, record in keyed
        ]
        self._producer.flush(timeout=timeout)
        for future in futures:
            future.get(timeout=timeout)
        return len(futures)

    def close(self) -> None:
        self._producer.close(timeout=10)

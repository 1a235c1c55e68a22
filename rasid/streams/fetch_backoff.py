"""A short pause after an empty fetch, so an idle consumer does not spin.

A Kafka broker holds an empty fetch for `fetch.max.wait.ms` before answering; noida-db, the embedded
default, answers at once, and both Kafka clients then ask again straight away: an idle Faust worker
burned a third of a core, and a sink receiving 100 articles a second sent dozens of empty fetches
between two of them (3.3 ms of its CPU per article, against 1.4 ms when draining a backlog). Waiting
a little after an empty answer costs at most that much latency; against a broker that holds empty
fetches the pause follows a wait that was longer anyway.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka.consumer.fetcher import Fetcher as AiokafkaFetcher
from kafka.consumer.fetcher import Fetcher as KafkaPythonFetcher

EMPTY_FETCH_PAUSE_S = 0.05

_aiokafka_proc_fetch_request = AiokafkaFetcher._proc_fetch_request
_kafka_python_handle_fetch_response = KafkaPythonFetcher._handle_fetch_response
_kafka_python_fetchable_partitions = KafkaPythonFetcher._fetchable_partitions


async def _aiokafka_proc_fetch_request_pausing_when_empty(self: AiokafkaFetcher, *args: Any, **kwargs: Any) -> bool:
    has_new_data = await _aiokafka_proc_fetch_request(self, *args, **kwargs)
    if not has_new_data:
        try:
            await asyncio.sleep(EMPTY_FETCH_PAUSE_S)
        except asyncio.CancelledError:
            # The fetcher cancels and awaits its pending requests on close; like the original, end quietly.
            return False
    return has_new_data


def pause_aiokafka_after_empty_fetch() -> None:
    """Idempotent: patch aiokafka's fetcher (Faust's client) once for this process."""
    AiokafkaFetcher._proc_fetch_request = _aiokafka_proc_fetch_request_pausing_when_empty  # type: ignore[method-assign]


def _kafka_python_handle_fetch_response_noting_empty(self: KafkaPythonFetcher, node_id: int, fetch_offsets: Any,
                                                     send_time: float, response: Any) -> None:
    _kafka_python_handle_fetch_response(self, node_id, fetch_offsets, send_time, response)
    empty = all(not partition.records for topic in response.responses for partition in topic.partitions)
    until: dict[int, float] = self.__dict__.setdefault("_rasid_empty_until", {})
    if empty:
        until[node_id] = time.monotonic() + EMPTY_FETCH_PAUSE_S
    else:
        until.pop(node_id, None)


def _kafka_python_fetchable_partitions_not_pausing(self: KafkaPythonFetcher) -> list[Any]:
    fetchable = _kafka_python_fetchable_partitions(self)
    until: dict[int, float] = self.__dict__.get("_rasid_empty_until", {})
    if not until:
        return fetchable
    now = time.monotonic()
    resting = {node for node, deadline in until.items() if deadline > now}
    if not resting:
        return fetchable
    # Nothing to fetch makes KafkaConsumer.poll wait (retry_backoff_ms at a time) instead of spinning.
    return [tp for tp in fetchable if self._select_read_replica(tp) not in resting]


def pause_kafka_python_after_empty_fetch() -> None:
    """Idempotent: patch kafka-python's fetcher (the sink's client) once for this process."""
    KafkaPythonFetcher._handle_fetch_response = _kafka_python_handle_fetch_response_noting_empty  # type: ignore[method-assign]
    KafkaPythonFetcher._fetchable_partitions = _kafka_python_fetchable_partitions_not_pausing  # type: ignore[method-assign]

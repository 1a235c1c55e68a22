"""Accumulate consumed records across polls into one bulk batch, flushed by count, bytes or linger time."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata

Item = TypeVar("Item")


@dataclass(frozen=True)
class BatchLimits:
    """Flush when any limit is reached (Kafka Connect: batch.size, bulk size bytes, linger.ms)."""

    max_docs: int = 1000
    max_bytes: int = 8 * 1024 * 1024
    linger_s: float = 0.5

    def __post_init__(self) -> None:
        if self.max_docs < 1 or self.max_bytes < 1 or self.linger_s < 0:
            raise ValueError(f"batch limits must be positive: {self}")


@dataclass
class Batch(Generic[Item]):
    """Items waiting for one bulk request, and the offsets that become committable once they are written.

    Every consumed record advances its partition's offset here, even one that yields no item
    (it went to the dead-letter queue at parse time): after the flush it is handled either way.
    """

    limits: BatchLimits
    clock: Callable[[], float] = time.monotonic
    entries: list[tuple[TopicPartition, Item, int]] = field(default_factory=list)
    size_bytes: int = 0
    next_offsets: dict[TopicPartition, int] = field(default_factory=dict)
    first_offsets: dict[TopicPartition, int] = field(default_factory=dict)
    started_at: float | None = None

    def add(self, tp: TopicPartition, offset: int, item: Item | None, size_bytes: int) -> None:
        if self.started_at is None:
            self.started_at = self.clock()
        if item is not None:
            self.entries.append((tp, item, size_bytes))
            self.size_bytes += size_bytes
        self.next_offsets[tp] = max(self.next_offsets.get(tp, 0), offset + 1)
        self.first_offsets[tp] = min(self.first_offsets.get(tp, offset), offset)

    @property
    def items(self) -> list[Item]:
        return [item for _, item, _ in self.entries]

    @property
    def empty(self) -> bool:
        return not self.next_offsets

    @property
    def full(self) -> bool:
        return len(self.entries) >= self.limits.max_docs or self.size_bytes >= self.limits.max_bytes

    def seconds_until_due(self) -> float | None:
        """None while empty; 0 when the batch should be flushed now."""
        if self.started_at is None:
            return None
        if self.full:
            return 0.0
        return max(0.0, self.started_at + self.limits.linger_s - self.clock())

    @property
    def due(self) -> bool:
        return self.seconds_until_due() == 0.0

    @property
    def room(self) -> int:
        return max(0, self.limits.max_docs - len(self.entries))

    def drop(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, int]:
        """Forget what came from `partitions`; returns, per partition, the offset to read again from."""
        gone = {tp for tp in partitions if tp in self.next_offsets}
        rewind = {tp: self.first_offsets[tp] for tp in gone}
        self.entries = [entry for entry in self.entries if entry[0] not in gone]
        self.size_bytes = sum(size for _, _, size in self.entries)
        for tp in gone:
            del self.next_offsets[tp], self.first_offsets[tp]
        if self.empty:
            self.clear()
        return rewind

    def commit_offsets(self, owned: Collection[TopicPartition]) -> dict[TopicPartition, OffsetAndMetadata]:
        """Offsets to commit after a successful flush, for the partitions this consumer still owns."""
        return {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in self.next_offsets.items() if tp in owned}

    def clear(self) -> None:
        self.entries = []
        self.size_bytes = 0
        self.next_offsets = {}
        self.first_offsets = {}
        self.started_at = None

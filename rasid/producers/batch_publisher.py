"""Many feeds' new articles → few Kafka sends: feeds wait on one shared, acknowledged batch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol

from pydantic import BaseModel


class RecordSink(Protocol):
    """What `RecordPublisher` offers: send keyed records, return once all are acknowledged."""

    def send_all(self, topic: str, keyed: Iterable[tuple[str | None, BaseModel]], timeout: float = 30.0) -> int: ...

    def close(self) -> None: ...


class BatchPublisher:
    """While one batch is being acknowledged, the next one gathers; each caller learns its own fate."""

    def __init__(self, sink: RecordSink, topic: str) -> None:
        self.sink = sink
        self.topic = topic
        self._pending: list[tuple[list[tuple[str, BaseModel]], asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None

    async def publish(self, records: list[tuple[str, BaseModel]]) -> None:
        """Return when Kafka acknowledged all of `records`; raise if it did not."""
        if not records:
            return
        loop = asyncio.get_running_loop()
        if self._worker is None or self._worker.done() or self._worker.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._worker = loop.create_task(self._run())
        done: asyncio.Future[None] = loop.create_future()
        self._pending.append((records, done))
        assert self._wake is not None
        self._wake.set()
        await done

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            records = [record for part, _ in batch for record in part]
            try:
                await asyncio.to_thread(self.sink.send_all, self.topic, records)
            except Exception as exc:  # every feed in the batch learns it was not delivered
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def aclose(self) -> None:
        if self._worker is not None and not self._worker.done():
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._worker = None

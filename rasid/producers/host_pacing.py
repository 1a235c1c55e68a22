"""At most one request per `interval_s` to any one host (politeness for article pages)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostPacer:
    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        """Wait for this host's turn; requests to one host are serial and spaced by the interval."""
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._last_start.get(host, -1e9) + self.interval_s - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_start[host] = time.monotonic()
            yield

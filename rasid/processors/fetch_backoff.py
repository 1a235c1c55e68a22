"""A short pause after an empty fetch, so an idle Faust worker does not spin.

A Kafka broker holds an empty fetch for `fetch.max.wait.ms` before answering; noida-db, the embedded
default, answers at once, and aiokafka's fetcher then asks again straight away: an idle worker burned
a third of a core. Waiting a little after an empty answer costs at most that much latency.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

EMPTY_FETCH_PAUSE_S = 0.05

_original_proc_fetch_request = Fetcher._proc_fetch_request


async def _proc_fetch_request_pausing_when_empty(self: Fetcher, *args: Any, **kwargs: Any) -> bool:
    has_new_data = await _original_proc_fetch_request(self, *args, **kwargs)
    if not has_new_data:
        try:
            await asyncio.sleep(EMPTY_FETCH_PAUSE_S)
        except asyncio.CancelledError:
            # The fetcher cancels and awaits its pending requests on close; like the original, end quietly.
            return False
    return has_new_data


def install_empty_fetch_pause() -> None:
    """Idempotent: patch aiokafka's fetcher once for this process."""
    Fetcher._proc_fetch_request = _proc_fetch_request_pausing_when_empty  # type: ignore[method-assign]

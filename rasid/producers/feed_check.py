"""`rasid feeds check`: fetch each feed once, unconditionally, and say what came back. Changes no state."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from rasid.producers.feed_poller import FeedPoller
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.http_fetch import HttpFetcher, new_client
from rasid.producers.producer_metrics import FEED_ERRORS
from rasid.producers.producer_options import ProducerOptions


@dataclass
class FeedCheck:
    url: str
    source: str
    ok: bool
    http_status: int | None
    items: int
    encoding: str | None
    seconds: float
    error_kind: str | None
    problem: str  # the error, or the warnings, or ""
    bytes_read: int = 0


async def check_feeds_async(feeds: list[FeedConfig], options: ProducerOptions) -> list[FeedCheck]:
    async with new_client(options) as client:
        poller = FeedPoller(HttpFetcher(client, options), options)
        slots = asyncio.Semaphore(options.concurrency)

        async def one(feed: FeedConfig) -> FeedCheck:
            async with slots:
                outcome = await poller.poll(feed)
            if outcome.error is not None:
                FEED_ERRORS.labels(kind=outcome.error.kind.value).inc()
            return FeedCheck(
                url=feed.url, source=feed.source, ok=outcome.error is None, http_status=outcome.http_status,
                items=len(outcome.items), encoding=outcome.encoding, seconds=round(outcome.elapsed_s, 3),
                error_kind=outcome.error.kind.value if outcome.error else None,
                problem=outcome.error.message if outcome.error else "; ".join(outcome.warnings),
                bytes_read=outcome.bytes_read)

        return list(await asyncio.gather(*(one(feed) for feed in feeds)))


def check_feeds(feeds: list[FeedConfig], options: ProducerOptions | None = None) -> list[FeedCheck]:
    return asyncio.run(check_feeds_async(feeds, options or ProducerOptions()))

"""Poll feeds concurrently and publish new articles to `news.raw`, keyed by article id.

One asyncio loop polls thousands of feeds (bounded overall and per host); the sync methods
(`poll_once`, `poll_due`) run that loop for callers that are not async (the pipeline runner).
An article is marked seen, and its feed's ETag/Last-Modified stored, only after Kafka
acknowledged it: at-least-once, and never twice across restarts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from rasid.producers.address_guard import AddressGuard
from rasid.producers.batch_publisher import BatchPublisher, RecordSink
from rasid.producers.feed_errors import FeedError, FeedErrorKind
from rasid.producers.feed_poller import FeedOutcome, FeedPoller
from rasid.producers.feed_reader import FeedItem
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.full_text import FullTextReader
from rasid.producers.host_pacing import HostPacer
from rasid.producers.http_fetch import HttpFetcher, new_client
from rasid.producers.poll_schedule import PollPlanner
from rasid.producers.producer_metrics import (
    ARTICLES_DUPLICATE,
    ARTICLES_PRODUCED,
    FEED_ERRORS,
    FEED_POLLS,
    FEED_WARNINGS,
    FETCH_SECONDS,
)
from rasid.producers.producer_options import ProducerOptions
from rasid.producers.producer_state import ProducerState
from rasid.settings import Settings

log = logging.getLogger("rasid.producer")


@dataclass
class PollReport:
    feeds: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)  # feed url → "kind: message"
    article_ids: list[str] = field(default_factory=list)  # every item in the feeds this poll (304: as last read)
    produced: int = 0  # new articles sent to Kafka (acknowledged)
    not_modified: int = 0  # feeds that answered 304
    duplicates: int = 0  # items skipped as already sent
    feed_error_kinds: dict[str, str] = field(default_factory=dict)  # feed url → error kind
    feed_warnings: dict[str, list[str]] = field(default_factory=dict)  # feed url → warnings (bozo, encoding…)

    def merge(self, other: PollReport) -> None:
        self.feeds += other.feeds
        self.feed_errors.update(other.feed_errors)
        self.article_ids.extend(other.article_ids)
        self.produced += other.produced
        self.not_modified += other.not_modified
        self.duplicates += other.duplicates
        self.feed_error_kinds.update(other.feed_error_kinds)
        self.feed_warnings.update(other.feed_warnings)


class FeedProducer:
    def __init__(self, settings: Settings, feeds: list[FeedConfig], publisher: RecordSink | None = None,
                 options: ProducerOptions | None = None) -> None:
        self.settings = settings
        self.feeds = feeds
        self.options = options or ProducerOptions()
        self.state = ProducerState(settings.data_dir / "producer" / "state.sqlite3", self.options.seen_capacity)
        if publisher is None:
            from rasid.streams.publisher import RecordPublisher

            publisher = RecordPublisher(settings, client_id="rasid-producer")
        self._sink = publisher
        self._batches = BatchPublisher(publisher, settings.topic_raw)
        self._planner = PollPlanner(self.options)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._pacer = HostPacer(self.options.page_interval_s)

    # -- async API -------------------------------------------------------------------------------
    async def poll_async(self, feeds: Iterable[FeedConfig] | None = None) -> PollReport:
        """Poll these feeds (default: all of `self.feeds`) now, concurrently; publish what is new."""
        feeds = list(self.feeds if feeds is None else feeds)
        fetcher = HttpFetcher(self._http_client(), self.options)
        poller = FeedPoller(fetcher, self.options)
        reader = FullTextReader(fetcher, AddressGuard(self.options.allow_private_addresses), self._pacer,
                                self.options.max_page_bytes)
        overall = asyncio.Semaphore(self.options.concurrency)
        claimed: set[str] = set()  # keys taken by a feed in this poll, so two feeds never send one article
        reports = await asyncio.gather(*(self._poll_feed(feed, poller, reader, overall, claimed) for feed in feeds))
        report = PollReport()
        for one in reports:
            report.merge(one)
        return report

    async def poll_due_async(self) -> PollReport | None:
        """Poll the feeds whose time has come (jittered interval, backoff, Retry-After); None if none."""
        due = self.due_feeds()
        return await self.poll_async(due) if due else None

    async def run_async(self, stop: asyncio.Event, on_report=None) -> None:  # noqa: ANN001
        """Poll each feed on its own schedule until `stop` is set."""
        while not stop.is_set():
            report = await self.poll_due_async()
            if report is not None and on_report is not None:
                on_report(report)
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.2, min(self.seconds_until_due(), 5.0)))
            except TimeoutError:
                pass

    # -- sync API (the pipeline runner) ------------------------------------------------------------
    def poll_once(self) -> PollReport:
        """Poll every feed in `self.feeds` now (conditional GET), publish what is new, return the report."""
        return self._run(self.poll_async())

    def poll_due(self) -> PollReport | None:
        return self._run(self.poll_due_async())

    def due_feeds(self, now: float | None = None) -> list[FeedConfig]:
        now = time.time() if now is None else now
        schedules = self.state.schedules()
        return [feed for feed in self.feeds if feed.url not in schedules or schedules[feed.url].next_due <= now]

    def seconds_until_due(self, now: float | None = None) -> float:
        now = time.time() if now is None else now
        schedules = self.state.schedules()
        waits = [schedules[f.url].next_due - now if f.url in schedules else 0.0 for f in self.feeds]
        return max(0.0, min(waits, default=60.0))

    def close(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.run_until_complete(self._close_network())
            self._loop.close()
        self._close_stores()

    async def aclose(self) -> None:
        """Close from inside a running loop (the async API's counterpart of `close`)."""
        await self._close_network()
        self._close_stores()

    async def _close_network(self) -> None:
        await self._batches.aclose()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _close_stores(self) -> None:
        self.state.close()
        self._sink.close()

    # -- one feed --------------------------------------------------------------------------------
    async def _poll_feed(self, feed: FeedConfig, poller: FeedPoller, reader: FullTextReader,
                         overall: asyncio.Semaphore, claimed: set[str]) -> PollReport:
        report = PollReport(feeds=1)
        host = urlsplit(feed.url).hostname or ""
        per_host = self._host_slots.setdefault(host, asyncio.Semaphore(self.options.per_host_concurrency))
        async with overall, per_host:
            outcome = await poller.poll(feed, self.state.validators(feed.url))
        if outcome.http_status is not None:
            FETCH_SECONDS.observe(outcome.elapsed_s)
        if outcome.warnings:
            report.feed_warnings[feed.url] = outcome.warnings
            for warning in outcome.warnings:
                FEED_WARNINGS.labels(kind=warning.split(":", 1)[0]).inc()
                log.warning("feed %s (%s): %s", feed.url, feed.source, warning)
        if outcome.status == "error":
            assert outcome.error is not None
            self._failed(feed, outcome.error, report)
            return report
        if outcome.status == "not_modified":
            FEED_POLLS.labels(outcome="not_modified").inc()
            report.not_modified = 1
            report.article_ids.extend(self.state.item_ids(feed.url))  # unchanged: still these articles
            self.state.record_poll(feed.url, self._planner.after_success(feed.interval_s, time.time()),
                                   validators=outcome.validators)
            log.info("feed %s: not modified", feed.url)
            return report
        await self._deliver(feed, outcome, reader, claimed, report)
        return report

    def _failed(self, feed: FeedConfig, error: FeedError, report: PollReport) -> None:
        FEED_POLLS.labels(outcome="error").inc()
        FEED_ERRORS.labels(kind=error.kind.value).inc()
        report.feed_errors[feed.url] = str(error)
        report.feed_error_kinds[feed.url] = error.kind.value
        schedule = self._planner.after_error(feed.interval_s, self.state.schedule(feed.url), error, time.time())
        self.state.record_poll(feed.url, schedule)
        log.error("feed %s (%s) skipped: %s; next try in %.0fs", feed.url, feed.source, error,
                  schedule.next_due - time.time())

    async def _deliver(self, feed: FeedConfig, outcome: FeedOutcome, reader: FullTextReader, claimed: set[str],
                       report: PollReport) -> None:
        seen = self.state.seen_among(key for item in outcome.items for key in item.seen_keys)
        new: list[FeedItem] = []
        known: list[FeedItem] = []  # delivered before; their keys are recorded again (a new guid, say)
        for item in outcome.items:
            earlier = next((seen[key] for key in item.seen_keys if key in seen), None)
            report.article_ids.append(earlier or item.article.id)
            if earlier is not None:
                known.append(FeedItem(item.article.model_copy(update={"id": earlier}), item.guid_key))
            elif any(key in claimed for key in item.seen_keys):
                pass  # another feed of this poll sends it (and records it once acknowledged)
            else:
                claimed.update(item.seen_keys)
                new.append(item)
                continue
            report.duplicates += 1
        ARTICLES_DUPLICATE.inc(report.duplicates)
        if feed.full_text and new:
            texts = await asyncio.gather(*(reader.read(item.article.url) for item in new))
            for item, text in zip(new, texts):
                if text:
                    item.article = item.article.model_copy(update={"content": text})
        try:
            await self._batches.publish([(item.article.id, item.article) for item in new])
        except Exception as exc:  # noqa: BLE001 - any Kafka failure: nothing marked seen, retried next poll
            for item in new:
                claimed.difference_update(item.seen_keys)
            report.article_ids = [a for a in report.article_ids if a not in {i.article.id for i in new}]
            self._failed(feed, FeedError(FeedErrorKind.PUBLISH, f"Kafka did not acknowledge: {exc}"), report)
            return
        delivered = {key: item.article.id for item in known + new for key in item.seen_keys}
        self.state.record_poll(feed.url, self._planner.after_success(feed.interval_s, time.time()),
                               seen_keys=delivered, validators=outcome.validators,
                               item_ids=list(dict.fromkeys(report.article_ids)))
        FEED_POLLS.labels(outcome="ok").inc()
        ARTICLES_PRODUCED.inc(len(new))
        report.produced = len(new)
        log.info("feed %s: %d items, %d new", feed.url, len(outcome.items), len(new))

    # -- plumbing --------------------------------------------------------------------------------
    def _http_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            # httpx clients belong to one event loop; a caller on a new loop gets a new client.
            self._client = new_client(self.options)
            self._client_loop = loop
            self._host_slots = {}
            self._pacer = HostPacer(self.options.page_interval_s)
        return self._client

    def _run(self, coroutine):  # noqa: ANN001, ANN202
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            coroutine.close()
            raise RuntimeError("FeedProducer.poll_once/poll_due are for sync callers; use poll_async in a loop")
        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(coroutine)

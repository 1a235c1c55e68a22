"""Poll feeds and publish new articles to `news.raw`, keyed by article id."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from rasid.producers.feed_reader import USER_AGENT, FeedResult, read_feed
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.seen_articles import SeenArticles
from rasid.settings import Settings
from rasid.streams.publisher import RecordPublisher

log = logging.getLogger("rasid.producer")


@dataclass
class PollReport:
    feeds: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)
    article_ids: list[str] = field(default_factory=list)  # every item seen in the feeds this poll
    produced: int = 0  # new articles sent to Kafka


class FeedProducer:
    def __init__(self, settings: Settings, feeds: list[FeedConfig], publisher: RecordPublisher | None = None) -> None:
        self.settings = settings
        self.feeds = feeds
        self.seen = SeenArticles(settings.data_dir / "producer" / "seen-articles.json")
        self._publisher = publisher or RecordPublisher(settings, client_id="rasid-producer")
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=20.0, follow_redirects=True, max_redirects=5
        )

    def poll_once(self) -> PollReport:
        report = PollReport()
        for feed in self.feeds:
            report.feeds += 1
            self._publish(read_feed(feed, self._client), report)
        return report

    def _publish(self, result: FeedResult, report: PollReport) -> None:
        feed = result.feed
        if result.error:
            log.error("feed %s (%s) skipped: %s", feed.url, feed.source, result.error)
            report.feed_errors[feed.url] = result.error
            return
        if result.warning:
            log.warning("feed %s: %s", feed.url, result.warning)
        unique = {article.id: article for article in result.articles}
        report.article_ids.extend(unique)
        new = [article for article_id, article in unique.items() if article_id not in self.seen]
        if new:
            self._publisher.send_all(self.settings.topic_raw, [(a.id, a) for a in new])
            # Marked seen only once Kafka acknowledged them: at-least-once, never lost.
            self.seen.add_all([a.id for a in new])
        report.produced += len(new)
        log.info("feed %s: %d items, %d new", feed.url, len(unique), len(new))

    def close(self) -> None:
        self._client.close()
        self._publisher.close()

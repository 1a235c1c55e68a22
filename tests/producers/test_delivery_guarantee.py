"""At-least-once: when Kafka does not acknowledge, nothing is marked seen and no ETag is stored."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.producer_options import ProducerOptions
from rasid.settings import Settings
from rasid.streams.publisher import RecordPublisher
from rasid.streams.topics import ensure_topics
from tests.producers.feed_site import FeedSite
from tests.producers.kafka_reading import raw_articles


class UnreachableKafka:
    """A record sink whose broker never acknowledges (what RecordPublisher raises on a timeout)."""

    def send_all(self, topic: str, keyed: Iterable[tuple[str | None, BaseModel]], timeout: float = 30.0) -> int:
        list(keyed)
        raise TimeoutError("no acknowledgement from the broker within 30s")

    def close(self) -> None:
        return None


def test_unacknowledged_articles_are_sent_again_on_the_next_poll(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    feeds = [FeedConfig(url=site.serve_shared_feed("skynews-internationalNews.xml"), source="skynews")]

    failing = FeedProducer(settings, feeds, publisher=UnreachableKafka(), options=options)
    report = failing.poll_once()
    failing.close()
    assert report.produced == 0 and report.feed_error_kinds == {feeds[0].url: "publish"}
    assert "no acknowledgement" in report.feed_errors[feeds[0].url]

    # Kafka is back: the feed is fetched in full again (no If-None-Match was stored) and all 30 go out.
    working = FeedProducer(settings, feeds, publisher=RecordPublisher(settings, client_id="test"), options=options)
    again = working.poll_once()
    working.close()
    requests = site.requests_to("/feeds/skynews-internationalNews.xml")
    assert [r.status for r in requests] == [200, 200] and "If-None-Match" not in requests[1].headers
    assert again.produced == 30 and again.feed_errors == {}
    assert len({a.id for a in raw_articles(settings, at_least=30)}) == 30

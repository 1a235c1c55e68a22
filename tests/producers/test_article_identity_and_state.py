"""One article, one id, however its link is dressed; the seen-state is bounded and survives restarts."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import feedparser

from rasid.producers.article_identity import article_id, canonical_url
from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feed_reader import parse_feed_document
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.http_fetch import Validators
from rasid.producers.producer_options import ProducerOptions
from rasid.producers.producer_state import FeedSchedule, ProducerState
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.producers.feed_site import SHARED_FEEDS, FeedSite, Resource
from tests.producers.kafka_reading import raw_articles

FEED_LINKS = [e.link for e in feedparser.parse((SHARED_FEEDS / "alarabia-culture.xml").read_bytes()).entries]


def test_tracking_amp_mobile_and_encoding_variants_share_one_canonical_url() -> None:
    link = FEED_LINKS[0]  # a real Al Arabiya link with an Arabic path
    scheme, rest = link.split("://", 1)
    host, path = rest.split("/", 1)
    variants = [
        f"{link}?utm_source=facebook&utm_medium=social&fbclid=IwAR2x#comments",
        f"{scheme}://{host.replace('www.', 'm.')}/{path}",
        f"{scheme}://{host.replace('www.', 'mobile.')}/{path}?amp=1",
        f"{scheme}://{host.replace('www.', 'amp.')}/{path}",
        f"{scheme}://{host}/amp/{path}",
        f"{scheme}://{host}/{quote(path)}",
        f"{scheme}://{host.upper()}:{443 if scheme == 'https' else 80}/{path}?at_medium=RSS&at_campaign=KARANGA",
    ]
    assert {canonical_url(v) for v in variants} == {canonical_url(link)}
    assert canonical_url(link + "?id=2") != canonical_url(link + "?id=3")  # a real parameter stays
    assert canonical_url("https://www.bbc.com/arabic/middleeast-45914354.amp") == canonical_url(
        "https://www.bbc.com/arabic/middleeast-45914354")


def test_a_guid_seen_before_is_a_duplicate_even_under_a_new_link(settings: Settings, site: FeedSite,
                                                                  options: ProducerOptions) -> None:
    ensure_topics(settings)
    body = site.shared_feed("bbc-economy.xml").decode()
    url = site.add("/feed.xml", Resource(body=body.encode()))
    producer = FeedProducer(settings, [FeedConfig(url=url, source="bbc")], options=options)
    assert producer.poll_once().produced == 30
    # The site moves its articles (new links) but keeps the guids: nothing new to send,
    # and the ids reported are those the articles were sent under.
    first_ids = sorted(set(a.id for a in raw_articles(settings, at_least=30)))
    moved = body.replace("<link>" + site.base_url + "/pages/", "<link>" + site.base_url + "/moved/")
    site.resources["/feed.xml"].body = moved.encode()
    report = producer.poll_once()
    producer.close()
    assert report.produced == 0 and report.duplicates == 30
    assert sorted(set(report.article_ids)) == first_ids


def test_seen_state_and_validators_survive_a_restart_and_stay_bounded(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    state = ProducerState(path, capacity=1000)
    items = parse_feed_document(FeedConfig(url="http://x/feed", source="alarabiya"),
                                (SHARED_FEEDS / "alarabia-culture.xml").read_bytes(),
                                datetime.now(timezone.utc)).items
    keys = {key: item.article.id for item in items for key in item.seen_keys}
    state.record_poll("http://x/feed", FeedSchedule(next_due=123.0), seen_keys=keys,
                      validators=Validators('"abc"', "Sat, 20 Oct 2018 10:00:00 GMT"))
    state.close()

    reopened = ProducerState(path, capacity=1000)
    assert reopened.seen_among(keys) == keys
    assert reopened.validators("http://x/feed") == Validators('"abc"', "Sat, 20 Oct 2018 10:00:00 GMT")
    assert reopened.schedule("http://x/feed").next_due == 123.0
    # 3,000 more articles: only the newest 1,000 keys are kept; the first feed's are forgotten.
    for batch in range(30):
        more = {article_id(f"http://x/{batch}/{n}"): article_id(f"http://x/{batch}/{n}") for n in range(100)}
        reopened.record_poll("http://x/other", FeedSchedule(), seen_keys=more)
    reopened.prune()
    assert reopened.seen_count() == 1000
    assert reopened.seen_among(keys) == {}
    assert article_id("http://x/29/99") in reopened
    reopened.close()


def test_the_async_api_polls_inside_a_running_loop(settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    feeds = [FeedConfig(url=site.serve_shared_feed(name), source=name.split("-")[0], interval_s=3600)
             for name in ("skynews-technology.xml", "cnn-technology.xml")]

    async def main() -> tuple[int, int | None]:
        producer = FeedProducer(settings, feeds, options=options)
        try:
            first = await producer.poll_due_async()
            again = await producer.poll_due_async()  # nothing is due for an hour
            return first.produced if first else -1, again.produced if again else None
        finally:
            await producer.aclose()

    expected = {e.link for name in ("skynews-technology.xml", "cnn-technology.xml")
                for e in feedparser.parse(site.shared_feed(name)).entries}
    produced, again = asyncio.run(main())
    assert produced == len(expected) > 50 and again is None
    assert {a.url for a in raw_articles(settings, at_least=len(expected))} == expected

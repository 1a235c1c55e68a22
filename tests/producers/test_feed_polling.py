"""Real feeds over real HTTP into a real Kafka: exactly the feeds' articles arrive, once, across restarts."""

from __future__ import annotations

import time
import unicodedata

import feedparser

from rasid.producers.article_identity import article_id, canonical_url
from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.producer_options import ProducerOptions
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.producers.feed_site import SHARED_FEEDS, FeedSite, Resource, http_date
from tests.producers.kafka_reading import raw_articles


def tidy(title: str) -> str:
    """A title as the producer stores it: NFC, single spaces."""
    return unicodedata.normalize("NFC", " ".join(title.split()))


def ids_of(feed_body: bytes) -> dict[str, str]:
    """article id → title, as a reader of the feed would list them."""
    return {article_id(canonical_url(e.link)): tidy(e.title) for e in feedparser.parse(feed_body).entries}


def test_each_article_reaches_kafka_once_across_restarts_with_conditional_get(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    bbc = site.serve_shared_feed("bbc-middleEast.xml")  # ETag
    alarabiya_body = site.shared_feed("alarabia-economy.xml")
    alarabiya = site.add("/feeds/alarabiya.xml", Resource(body=alarabiya_body, etag=False,  # Last-Modified only
                                                          last_modified=http_date(1_540_000_000)))
    sky = site.serve_shared_feed("skynews-sport.xml")
    feeds = [FeedConfig(url=bbc, source="bbc"), FeedConfig(url=alarabiya, source="alarabiya"),
             FeedConfig(url=sky, source="skynews")]
    expected = {**ids_of(site.shared_feed("bbc-middleEast.xml")), **ids_of(alarabiya_body),
                **ids_of(site.shared_feed("skynews-sport.xml"))}

    producer = FeedProducer(settings, feeds, options=options)
    first = producer.poll_once()
    producer.close()
    assert first.feed_errors == {} and first.produced == len(expected) == 90
    on_kafka = raw_articles(settings, at_least=len(expected))
    assert {a.id: a.title for a in on_kafka} == expected
    assert len(on_kafka) == len(expected)
    assert all(a.url.startswith(site.base_url + "/pages/") for a in on_kafka)

    # A restarted producer sends validators it stored, gets 304s, sends nothing.
    restarted = FeedProducer(settings, feeds, options=options)
    second = restarted.poll_once()
    assert second.not_modified == 3 and second.produced == 0 and second.feed_errors == {}
    assert sorted(set(second.article_ids)) == sorted(expected)  # 304: the articles the feeds still hold
    assert [r.status for r in site.requests_to("/feeds/bbc-middleEast.xml")] == [200, 304]
    assert site.requests_to("/feeds/bbc-middleEast.xml")[1].headers["If-None-Match"].startswith('"')
    assert site.requests_to("/feeds/alarabiya.xml")[1].headers["If-Modified-Since"] == http_date(1_540_000_000)
    assert [r.status for r in site.requests_to("/feeds/alarabiya.xml")] == [200, 304]

    # The feed changes: one item from another feed of the site is added; only it is new.
    culture = feedparser.parse(site.shared_feed("bbc-culture.xml")).entries[0]
    body = site.shared_feed("bbc-middleEast.xml").decode()
    first_item = body.index("<item>")
    extra = (f"<item><title>{culture.title}</title><link>{culture.link}</link><guid>{culture.link}</guid>"
             f"<pubDate>{culture.published}</pubDate></item>\n")
    site.add("/feeds/bbc-middleEast.xml", Resource(body=(body[:first_item] + extra + body[first_item:]).encode()))
    third = restarted.poll_once()
    restarted.close()
    assert third.produced == 1 and third.not_modified == 2
    on_kafka = raw_articles(settings, at_least=len(expected) + 1)
    assert len(on_kafka) == len({a.id for a in on_kafka}) == len(expected) + 1
    assert tidy(culture.title) in {a.title for a in on_kafka}
    assert all(r.headers["User-Agent"].startswith("Rasid/") for r in site.requests)


def test_tracking_amp_and_mobile_variants_of_one_article_are_sent_once(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    """Two feeds of one site list the same article as a tracked link, an AMP link and a mobile link."""
    ensure_topics(settings)
    entries = feedparser.parse((SHARED_FEEDS / "bbc-middleEast.xml").read_bytes()).entries[:3]

    def feed(links: list[str]) -> bytes:
        items = "".join(f"<item><title>{e.title}</title><link>{link}</link><pubDate>{e.published}</pubDate></item>"
                        for e, link in zip(entries, links))
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()

    plain = [e.link for e in entries]
    variants = [plain[0] + "?utm_source=twitter&utm_medium=social&fbclid=IwAR0x",
                plain[1].replace("www.bbc.co.uk", "m.bbc.co.uk") + ".amp",
                plain[2].replace("http://www.", "http://amp.") + "?amp=1#comments"]
    feeds = [FeedConfig(url=site.add("/a.xml", Resource(body=feed(plain))), source="bbc"),
             FeedConfig(url=site.add("/b.xml", Resource(body=feed(variants))), source="bbc")]

    producer = FeedProducer(settings, feeds, options=options)
    report = producer.poll_once()
    producer.close()

    assert report.produced == 3 and report.duplicates == 3
    assert sorted(a.canonical_url for a in raw_articles(settings, at_least=3)) == sorted(canonical_url(u) for u in plain)


def test_errors_back_off_retry_after_is_honoured_and_other_feeds_keep_flowing(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    good = site.serve_shared_feed("france24-economy.xml")
    broken = site.add("/500.xml", Resource(body=b"Internal Server Error", status=500))
    limited = site.add("/429.xml", Resource(body=b"slow down", status=429, headers={"Retry-After": "7200"}))
    slow = site.add("/slow.xml", Resource(body=site.shared_feed("cnn-sport.xml"), delay_s=5.0))
    dripping = site.add("/drip.xml", Resource(body=site.shared_feed("cnn-economy.xml"), drip_s=0.4))
    site.add("/old-address.xml", Resource(status=301, headers={"Location": "/feeds/france24-economy.xml"}, etag=False))
    site.add("/loop.xml", Resource(status=302, headers={"Location": "/loop.xml"}, etag=False))
    feeds = [FeedConfig(url=url, source=name, interval_s=60) for name, url in [
        ("good", good), ("broken", broken), ("limited", limited), ("slow", slow), ("dripping", dripping),
        ("moved", site.url("/old-address.xml")), ("loop", site.url("/loop.xml"))]]

    producer = FeedProducer(settings, feeds, options=options)
    started = time.time()
    report = producer.poll_once()

    assert report.feed_error_kinds == {broken: "http_status", limited: "rate_limited", slow: "timeout",
                                       dripping: "timeout", site.url("/loop.xml"): "too_many_redirects"}
    assert "HTTP 500" in report.feed_errors[broken]
    assert any("moved" in w for w in report.feed_warnings[site.url("/old-address.xml")])
    # france24-economy's items, once, though two feed URLs lead to it
    expected = ids_of(site.shared_feed("france24-economy.xml"))
    assert report.produced == len(expected) > 10
    assert {a.id: a.title for a in raw_articles(settings, at_least=len(expected))} == expected

    schedules = producer.state.schedules()
    assert schedules[limited].next_due >= started + 7200  # Retry-After, not the 60 s interval
    assert started + 60 * 0.9 <= schedules[good].next_due <= time.time() + 60 * 1.1  # interval ± jitter
    assert schedules[broken].failures == 1
    assert {f.source for f in producer.due_feeds(now=time.time() + 61 * 1.1)} == {"good", "broken", "slow", "dripping", "moved", "loop"}
    producer.poll_once()
    schedules = producer.state.schedules()
    assert schedules[broken].failures == 2
    assert schedules[broken].next_due - time.time() > 60 * 2 * 0.85  # backoff doubles
    assert schedules[good].failures == 0
    producer.close()


def test_retry_after_as_an_http_date_and_a_503_are_honoured(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    in_two_hours = http_date(time.time() + 7200)
    busy = site.add("/busy.xml", Resource(body=b"maintenance", status=503, headers={"Retry-After": in_two_hours}))
    producer = FeedProducer(settings, [FeedConfig(url=busy, source="busy", interval_s=60)], options=options)
    started = time.time()
    report = producer.poll_once()
    assert report.feed_error_kinds == {busy: "rate_limited"}
    assert producer.state.schedule(busy).next_due >= started + 7200 - 2
    assert producer.due_feeds(now=started + 3600) == [] and producer.poll_due() is None
    producer.close()
    assert len(site.requests_to("/busy.xml")) == 1
